#!/usr/bin/env bash
# Plays against hosts that use the nlink.netlink.netns connection. setup.yml creates their namespaces and
# cleanup.yml always removes them, whatever happens in between. The names are unique per run, so that runs
# in parallel (other checkouts on the same host) do not meet.
set -eux

prefix="nlit-conn-$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')-"
workdir=$(mktemp -d "${OUTPUT_DIR:-/tmp}/connection_netns.XXXXXX")
inventory=$workdir/inventory.yml
cat >"$inventory" <<INVENTORY
all:
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    prefix: ${prefix}
  hosts:
    localhost:
      ansible_connection: local
  children:
    namespaces:
      vars:
        ansible_connection: nlink.netlink.netns
      hosts:
        ${prefix}a:                      # the namespace is the inventory hostname
        renamed:
          ansible_netns_name: ${prefix}b
    missing:
      vars:
        ansible_connection: nlink.netlink.netns
      hosts:
        ${prefix}missing:                # never created
INVENTORY

cleanup() {
    ansible-playbook -i "$inventory" cleanup.yml "$@"
    rm -rf "$workdir"
}
trap 'cleanup "$@"' EXIT

ansible-playbook -i "$inventory" setup.yml "$@"
ansible-playbook -i "$inventory" test.yml "$@"

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_link
short_description: Manage network links (interfaces) of every kind over netlink
version_added: 0.1.0
description:
  - Creates, changes and deletes network links - veth pairs, bridges and their ports, VXLAN, macvlan,
    macvtap, ifb, tun/tap, dummy, bonds, VLANs, VRFs, GRE and IP tunnels, Geneve, ipvlan, MACsec,
    WireGuard, team, netkit, XFRM - the way C(ip link) does, idempotently.
  - A link is identified by its O(name). Physical devices and C(lo) can be changed but are never created
    or removed.
  - With O(config), the top-level O(kind) and O(group) are the scope - O(state=overridden) removes the
    virtual links of that kind and group that are not listed (a listed veth's peer counts as listed).
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
  - nlink.netlink.link_kinds
options:
  name:
    description: Name of the link (1-15 characters).
    type: str
  kind:
    description:
      - The kind of link; needed to create one. The kind of an existing link cannot change.
      - At the top level with O(config), part of the purge scope.
    type: str
    choices: [bond, bridge, dummy, geneve, gre, gretap, ifb, ip6gre, ip6gretap, ip6tnl, ipip, ipvlan, macsec,
              macvlan, macvtap, netkit, nlmon, sit, tap, team, tun, veth, vlan, vrf, vti, vti6, vxlan, wireguard, xfrm]
  admin_state:
    description: Administrative state. Not reset by O(state=replaced).
    type: str
    choices: [up, down]
  mtu:
    description: MTU in bytes.
    type: int
  address:
    description: Link-layer (MAC) address, C(02:00:00:00:00:01).
    type: str
  txqlen:
    description: Transmit queue length.
    type: int
  master:
    description: The bridge, bond, team or VRF this link is a port of; an empty string detaches it.
    type: str
  alias:
    description: Free-text alias (C(ifalias)); an empty string removes it.
    type: str
  altnames:
    description: The complete list of alternative names.
    type: list
    elements: str
  group:
    description:
      - Link group number (0 is C(default)).
      - At the top level with O(config), part of the purge scope.
    type: int
  link:
    description: The lower device of a vlan, macvlan, macvtap, ipvlan, macsec, vxlan, tunnel or XFRM link.
    type: str
  target_netns:
    description:
      - Move the link into this named network namespace. A link already there counts as moved.
    type: str
'''

EXAMPLES = r'''
- name: A bridge with STP, up
  nlink.netlink.nl_link:
    name: br0
    kind: bridge
    admin_state: up
    bridge:
      stp_state: true
      forward_delay: 400

- name: A veth pair with one end on the bridge
  nlink.netlink.nl_link:
    name: veth0
    kind: veth
    veth:
      peer: veth0-peer
    master: br0
    admin_state: up
    bridge_port:
      cost: 10
      learning: false

- name: A VXLAN over eth0, in namespace lab
  nlink.netlink.nl_link:
    netns: lab
    name: vx100
    kind: vxlan
    link: eth0
    vxlan:
      id: 100
      remote: 192.0.2.2
      dstport: 4789

- name: Exactly these veth links in namespace lab (other veths there are removed)
  nlink.netlink.nl_link:
    netns: lab
    kind: veth
    state: overridden
    config:
      - name: v1
        veth: {peer: v1p}
      - name: v2
        veth: {peer: v2p}
        mtu: 9000

- name: Move one end of a veth into another namespace
  nlink.netlink.nl_link:
    name: v1p
    target_netns: lab2

- name: A tap device owned by uid 1000
  nlink.netlink.nl_link:
    name: tap0
    kind: tap
    tap:
      owner: 1000

- name: Remove a link
  nlink.netlink.nl_link:
    name: vx100
    state: absent
'''

RETURN = r'''
before:
  description: The addressed links before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"name": "br0", "kind": "bridge", "admin_state": "down", "mtu": 1500, "bridge": {"stp_state": false}}]
after:
  description: The same links afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as iproute2 commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip link add name br0 type bridge stp_state 1", "ip link set dev br0 up"]
failures:
  description: Links that failed, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current links in scope.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(ip -j -d link show)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.link import Link


def main():
    run_module(Link)


if __name__ == '__main__':
    main()

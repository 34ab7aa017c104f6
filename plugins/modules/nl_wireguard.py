#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_wireguard
short_description: Manage a WireGuard interface's keys, port, fwmark and peers over generic netlink
version_added: 0.1.0
description:
  - Sets the private key, listen port and firewall mark of a WireGuard interface and adds, changes and
    removes its peers, the way C(wg set) does, idempotently, talking to the kernel's C(wireguard) generic
    netlink family (Linux 5.6 or later, or the backported module).
  - The interface must exist; this module neither creates nor deletes it. Create it with
    M(nlink.netlink.nl_link) (O(nlink.netlink.nl_link#module:kind=wireguard)), which also sets its MTU and
    state; give it addresses with M(nlink.netlink.nl_address).
  - A peer is identified by its O(peers[].public_key). Peer sets of any size are sent in as many netlink
    messages as they need (a peer with many allowed IPs too) and read back merged.
  - Keys are never shown. Results, diffs, gathered state and facts give public keys, and for private and
    preshared keys only whether one is set (C(private_key_set), C(preshared_key_set)); diffs mark them
    C((set)), C((none)) or C((changed)). Commands (RV(commands), RV(rendered)) read the keys from
    C(/dev/stdin) (C(/dev/null) removes one); feed the key to each such command, for example
    C(wg set wg0 private-key /dev/stdin <<< "$KEY").
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  name:
    description:
      - The WireGuard interface. Required except with O(state=parsed) and O(state=gathered) (without it,
        V(gathered) reads every WireGuard interface of the namespace).
    type: str
  private_key:
    description:
      - The interface's private key, base64 (as C(wg genkey) prints it). The kernel derives the public key,
        returned as RV(public_key).
    type: str
  generate_private_key:
    description:
      - When the interface has no private key and O(private_key) is not given, generate one (Curve25519,
        on the managed host, as C(wg genkey) does). An interface that has a key keeps it.
      - The key is never returned; its public key is (RV(public_key)). In check mode a key is generated for
        the prediction only.
    type: bool
    default: false
  listen_port:
    description:
      - The UDP port to listen on, 1-65535. Not reset by O(state=replaced) (an interface without one picks a
        random port when it comes up).
    type: int
  fwmark:
    description: The firewall mark of outgoing packets; V(0) means none (O(state=replaced) resets it to V(0)).
    type: int
  peers:
    description:
      - The peers. Omitted, peers are not managed (except by O(state=overridden), which then removes them all).
    type: list
    elements: dict
    suboptions: &peer_options
      public_key:
        description: The peer's public key, base64. Its identity.
        type: str
        required: true
      preshared_key:
        description:
          - A symmetric key mixed into the handshake, base64. O(state=replaced) removes it when omitted.
        type: str
      endpoint:
        description:
          - Where the peer is reached, V(host:port); an IPv6 address in brackets (V([2001:db8::1]:51820)).
            A host name is resolved once, by the module on the managed host, as C(wg) does.
          - The kernel cannot forget an endpoint, so O(state=replaced) leaves it as it is when omitted.
        type: str
      allowed_ips:
        description:
          - Prefixes the peer may send from and that are routed to it (V(10.0.0.2/32), V(2001:db8::/64)); a
            bare address means a host prefix; host bits are cleared, as the kernel does.
          - With O(state=merged) these are added to the peer's (as C(wg addconf) does); with
            O(state=replaced) and O(state=overridden) the peer has exactly these (V([]) removes all).
        type: list
        elements: str
      persistent_keepalive:
        description: Seconds between keepalive packets, 1-65535; V(0) means off (the O(state=replaced) default).
        type: int
  config:
    description:
      - The peers, as in O(peers) (the collection's common name for the list of objects), with the same
        suboptions.
    type: list
    elements: dict
    suboptions: *peer_options
  src:
    description:
      - Path on the managed host of a JSON or YAML file holding the O(peers) list (for large peer sets).
    type: path
  state:
    description:
      - V(merged) sets what is given and adds and changes the given peers; V(replaced) also returns omitted
        settings to their defaults (see each option) and gives each listed peer exactly its
        O(peers[].allowed_ips); V(overridden) also removes the peers not listed; V(deleted) removes the
        listed peers (all of them with O(peers=[])) and leaves the interface's settings alone;
        V(gathered) reads; V(rendered) returns the C(wg set) commands of a merge; V(parsed) reads
        O(running_config).
      - V(present) and V(absent) mean V(merged) and V(deleted).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered, parsed, present, absent]
    default: merged
  running_config:
    description:
      - With O(state=parsed), the output of C(wg show all dump) (or C(wg show IFACE dump)). It holds private
        keys, so it is C(no_log); RV(parsed) shows only whether keys are set.
    type: str
notes:
  - Needs the C(wireguard) kernel module. C(wg) (wireguard-tools) is not needed by the module.
'''

EXAMPLES = r'''
- name: A WireGuard interface (created by nl_link) with a generated key and one peer
  nlink.netlink.nl_link:
    name: wg0
    kind: wireguard
    admin_state: up

- name: Keys, port and peers of wg0; the public key to hand to the peers is returned
  nlink.netlink.nl_wireguard:
    name: wg0
    generate_private_key: true
    listen_port: 51820
    peers:
      - public_key: "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
        endpoint: "[2001:db8::2]:51820"
        allowed_ips: [10.99.0.2/32, 2001:db8:99::2/128]
        persistent_keepalive: 25
  register: wg0

- name: Show the public key
  ansible.builtin.debug:
    msg: "{{ wg0.public_key }}"

- name: Exactly these peers (others are removed), with a preshared key from the vault
  nlink.netlink.nl_wireguard:
    name: wg0
    state: overridden
    private_key: "{{ vault_wg0_private_key }}"
    peers:
      - public_key: "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="
        preshared_key: "{{ vault_wg0_psk }}"
        endpoint: vpn.example.com:51820
        allowed_ips: [0.0.0.0/0]

- name: Ten thousand peers from a file on the managed host
  nlink.netlink.nl_wireguard:
    name: wg0
    state: overridden
    src: /etc/wireguard/wg0-peers.json

- name: Remove one peer
  nlink.netlink.nl_wireguard:
    name: wg0
    state: deleted
    peers:
      - public_key: "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="
'''

RETURN = r'''
public_key:
  description: The interface's public key (in check mode, as predicted); null when it has no private key.
  returned: with an action state other than deleted
  type: str
  sample: "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw="
before:
  description: The interface (C(interface)) and the managed peers (C(peers)) before; keys as presence only.
  returned: with an action state
  type: dict
  sample: {"interface": {"name": "wg0", "public_key": null, "private_key_set": false, "listen_port": 0,
           "fwmark": 0}, "peers": []}
after:
  description: The same afterwards (in check mode, as predicted).
  returned: with an action state
  type: dict
commands:
  description: The plan as C(wg set) commands; keys are read from C(/dev/stdin), never written out.
  returned: with an action state
  type: list
  elements: str
  sample: ["wg set wg0 private-key /dev/stdin listen-port 51820",
           "wg set wg0 peer xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= allowed-ips 10.99.0.2/32"]
failures:
  description: Changes the kernel refused, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The interface with its peers (a list of every interface when O(name) is omitted); keys as presence.
  returned: with O(state=gathered)
  type: raw
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) as a list of interfaces with their peers, keys as presence.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import PYROUTE2_IMPORT_ERROR, STATES
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import wireguard

argument_spec = dict(
    netns=dict(type='str'),
    state=dict(type='str', default='merged', choices=STATES),
    name=dict(type='str'),
    private_key=dict(type='str', no_log=True),
    generate_private_key=dict(type='bool', default=False, no_log=False),
    listen_port=dict(type='int'),
    fwmark=dict(type='int'),
    peers=dict(type='list', elements='dict', options=wireguard.Peers.options),
    config=dict(type='list', elements='dict', options=wireguard.Peers.options),
    src=dict(type='path'),
    running_config=dict(type='str', no_log=True),
)


def main():
    acting = [state for state in STATES if state not in ('parsed', 'gathered')]
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           mutually_exclusive=[('peers', 'config', 'src'), ('private_key', 'generate_private_key')],
                           required_if=[('state', 'parsed', ('running_config',))] +
                           [('state', state, ('name',)) for state in acting])
    if PYROUTE2_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('pyroute2'), exception=PYROUTE2_IMPORT_ERROR)
    wireguard.execute(module)


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_address
short_description: Manage IPv4 and IPv6 addresses over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes IP addresses on network devices, one or many in one task, the way
    C(ip address) does, idempotently.
  - An address is identified by its device and its address with prefix length (O(dev) + O(address)).
  - With O(config), the top-level O(dev) is the scope - O(state=overridden) removes the addresses of that
    device that are not listed. Addresses the kernel made itself (IPv6 link-local, addresses learned from
    router advertisements, privacy addresses) are never removed.
  - Deleting the primary IPv4 address of a subnet deletes its secondary addresses too, unless the
    C(net.ipv4.conf.<dev>.promote_secondaries) sysctl is set; the plan does not list them.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  dev:
    description:
      - Name of the device. Required for each object; at the top level with O(config), the purge scope and
        the device of items that name none.
    type: str
  address:
    description:
      - The address with its prefix length, C(192.0.2.1/24) or C(2001:db8::1/64). Without a prefix length,
        a host address (/32 or /128).
    type: str
  peer:
    description:
      - The remote end of a point-to-point link, with the prefix length that applies to it
        (C(ip address add 10.0.0.1 peer 10.0.0.2/32)).
    type: str
  broadcast:
    description: The IPv4 broadcast address.
    type: str
  label:
    description:
      - The IPv4 label, the device name or starting with C(<dev>:). An empty string means no label of its own.
    type: str
  scope:
    description:
      - The address scope, C(global), C(site), C(link), C(host), C(nowhere) or a number.
      - Not reset by O(state=replaced) (for IPv6 the kernel derives it from the address).
    type: str
  flags:
    description:
      - Address flags a user sets. Status flags (permanent, tentative, deprecated, secondary) are not managed.
    type: list
    elements: str
    choices: [autojoin, home, mngtmpaddr, nodad, noprefixroute, optimistic]
  valid_lft:
    description:
      - Valid lifetime, C(forever) or seconds. The kernel counts a finite lifetime down, so an address whose
        remaining lifetime is at most the one asked for is left alone.
    type: str
  preferred_lft:
    description:
      - Preferred lifetime, C(forever) or seconds, at most O(valid_lft); compared like O(valid_lft).
      - Defaults to O(valid_lft) when only that is given.
    type: str
  metric:
    description: Metric of the prefix route the kernel adds for the address.
    type: int
'''

EXAMPLES = r'''
- name: Put an address on eth1
  nlink.netlink.nl_address:
    dev: eth1
    address: 192.0.2.10/24

- name: Make eth1 carry exactly these addresses (others on eth1 are removed)
  nlink.netlink.nl_address:
    dev: eth1
    state: overridden
    config:
      - address: 192.0.2.10/24
      - address: 2001:db8::10/64
        flags: [nodad]

- name: A point-to-point address in namespace lab
  nlink.netlink.nl_address:
    netns: lab
    dev: tun0
    address: 10.0.0.1
    peer: 10.0.0.2/32

- name: Apply thousands of addresses from a file on the host
  nlink.netlink.nl_address:
    src: /etc/netlink/addresses.json

- name: Remove one address
  nlink.netlink.nl_address:
    dev: eth1
    address: 192.0.2.10/24
    state: absent

- name: Show what would be done, as ip commands
  nlink.netlink.nl_address:
    dev: eth1
    address: 192.0.2.11/24
    state: rendered
'''

RETURN = r'''
before:
  description: The addressed objects before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"dev": "eth1", "address": "192.0.2.10/24", "flags": [], "scope": "global", "label": "",
            "valid_lft": "forever", "preferred_lft": "forever", "metric": 0, "peer": null, "broadcast": null}]
after:
  description: The same objects afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as iproute2 commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip address add 192.0.2.10/24 dev eth1"]
failures:
  description: Items that failed in a bulk change, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current addresses in scope.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(ip -j address show)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import Address


def main():
    run_module(Address)


if __name__ == '__main__':
    main()

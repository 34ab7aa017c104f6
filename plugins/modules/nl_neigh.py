#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_neigh
short_description: Manage ARP and NDP neighbour entries over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes IPv4 (ARP) and IPv6 (NDP) neighbour entries and proxy entries, one or
    thousands in one task, the way C(ip neigh) does, idempotently.
  - An entry is identified by its device, its address and whether it is a proxy entry (O(dev) + O(dst) +
    O(proxy)). A change is made in place (C(ip neigh replace)).
  - The kernel moves the entries it resolves between states by itself (C(reachable), C(stale), C(delay),
    C(probe), ...). O(nud) is compared only where it is C(permanent) or C(noarp); any other state matches
    any state the kernel moves an entry through.
  - With O(config), the top-level O(dev) is the scope (required for O(state=overridden) and for
    O(state=deleted) without O(config)), narrowed by the top-level O(family), O(proxy) and O(nud).
    Without a top-level O(nud), only C(permanent) entries and proxy entries are removed - never the
    entries the kernel resolved, nor C(noarp) ones (the kernel makes those itself, for multicast and
    broadcast addresses and on devices without ARP). With a top-level O(nud), the entries in that state are
    in scope, whoever made them.
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
  dst:
    description:
      - The neighbour's IPv4 or IPv6 address, without prefix length.
    type: str
  lladdr:
    description:
      - The neighbour's link-layer address, C(02:00:00:00:00:01). Quote it in YAML - unquoted, some addresses
        (C(12:34:56:00:00:01)) read as numbers in base 60.
    type: str
  nud:
    description:
      - The state of the entry. C(permanent) (the default, as C(ip neigh add)) and C(noarp) stay as they are
        set; the others are a starting point the kernel moves the entry on from.
      - At the top level with O(config), also the scope - O(state=overridden) and O(state=deleted) remove the
        entries of the device in this state only.
    type: str
    choices: [delay, failed, incomplete, noarp, none, permanent, probe, reachable, stale]
  flags:
    description:
      - C(router) - the neighbour is a router (IPv6). C(extern_learn) - learned by a control plane outside
        the kernel; the kernel does not age it. C(managed) - the kernel resolves the entry and keeps it
        reachable (Linux 5.16 and later). C(use) - the kernel resolves the entry now; an action, never read
        back, so it alone changes nothing. C(proxy) is the same as O(proxy).
      - With C(managed) or C(use), the kernel ignores O(lladdr) and O(nud) (they are not applied nor
        compared); C(permanent) and C(noarp) are refused with them.
    type: list
    elements: str
    choices: [extern_learn, managed, proxy, router, use]
  proxy:
    description:
      - A proxy entry (C(ip neigh add proxy)) - the host answers ARP/NDP for O(dst) on O(dev). It has no
        O(lladdr) nor O(nud).
      - At the top level with O(config), also the scope - only proxy entries (true) or only the others (false).
    type: bool
  family:
    description:
      - C(inet) or C(inet6); follows from O(dst) (given, they must agree).
      - At the top level with O(config), also the scope - only entries of this family.
    type: str
    choices: [inet, inet6]
notes:
  - Reading is filtered by the kernel to the device asked for, when a task names one device.
  - O(state=parsed) reads the output of C(ip -j neigh show) (add C(nud all) to see C(noarp) entries), and of
    C(ip -j neigh show proxy), one after the other in one string.
'''

EXAMPLES = r'''
- name: A static ARP entry
  nlink.netlink.nl_neigh:
    dev: eth1
    dst: 192.0.2.10
    lladdr: 02:00:00:00:00:0a

- name: A static IPv6 router neighbour
  nlink.netlink.nl_neigh:
    dev: eth1
    dst: 2001:db8::1
    lladdr: 02:00:00:00:00:01
    flags: [router]

- name: Answer NDP for an address on eth1
  nlink.netlink.nl_neigh:
    dev: eth1
    dst: 2001:db8::53
    proxy: true

- name: Exactly these static entries on eth1 (entries the kernel resolved are left alone)
  nlink.netlink.nl_neigh:
    dev: eth1
    state: overridden
    config:
      - {dst: 192.0.2.10, lladdr: 02:00:00:00:00:0a}
      - {dst: 192.0.2.11, lladdr: 02:00:00:00:00:0b}

- name: Thousands of entries from a file on the host
  nlink.netlink.nl_neigh:
    dev: eth1
    src: /etc/netlink/neighbours.json

- name: Flush the stale entries of eth1
  nlink.netlink.nl_neigh:
    dev: eth1
    nud: stale
    state: deleted
'''

RETURN = r'''
before:
  description: The addressed entries before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"dev": "eth1", "dst": "192.0.2.10", "proxy": false, "family": "inet", "lladdr": "02:00:00:00:00:0a",
            "nud": "permanent", "flags": []}]
after:
  description: The same entries afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as iproute2 commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip neigh add 192.0.2.10 lladdr 02:00:00:00:00:0a nud permanent dev eth1"]
failures:
  description: Entries whose change failed, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current entries (of the device given, else of every device), proxy entries included.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.neigh import Neigh


def main():
    run_module(Neigh)


if __name__ == '__main__':
    main()

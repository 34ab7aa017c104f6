#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_nexthop
short_description: Manage nexthop objects and nexthop groups over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes nexthop objects (a gateway and/or a device, a blackhole, a nexthop for the
    bridge FDB) and nexthop groups (multipath and resilient), the way C(ip nexthop) does, idempotently.
    Routes refer to them by id (C(ip route add ... nhid 10)).
  - A nexthop is identified by its O(id).
  - A change is made in place (C(ip nexthop replace)), so routes using the nexthop keep it. The kernel cannot
    turn a nexthop into a group (or back), change a group's O(group_type) or a resilient group's number of
    buckets in place; the module refuses such a change before touching anything, because deleting the
    nexthop deletes the routes that use it. Delete it first (O(state=deleted)) if that is what you mean.
  - Members are made before the groups that use them, and groups are deleted before their members.
  - With O(config), the top-level O(protocol), O(ids) and O(dev) are the scope - O(state=overridden) removes
    the nexthops that match all the given ones and are not listed. At least one of them is required to purge.
    Nexthops of other protocols (those a routing daemon installs, for example) are never touched unless in
    scope.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  id:
    description:
      - The nexthop id, 1-4294967295. Required for each object.
    type: int
  ids:
    description:
      - Top-level scope only - the nexthop ids O(state=overridden) (or O(state=deleted) without O(config)) may
        remove, C(N) or a range C(N-M).
    type: str
  gateway:
    description:
      - The gateway address, IPv4 or IPv6. An empty string means none (a device-only nexthop).
    type: str
  dev:
    description:
      - The device the nexthop leaves through. An empty string means none (a blackhole or FDB nexthop).
      - At the top level with O(config), a scope (the nexthops on this device; the kernel filters the dump)
        and the device of items with a gateway that name none.
    type: str
  blackhole:
    description:
      - A nexthop that drops packets; it has no gateway, device or FDB flag.
    type: bool
  onlink:
    description:
      - Use the gateway as if it were directly attached to O(dev), even if no prefix says so.
    type: bool
  fdb:
    description:
      - A nexthop (or group) for the bridge FDB of a VXLAN device (C(bridge fdb add ... nhid)); it has a
        gateway and no device.
    type: bool
  family:
    description:
      - The address family of a nexthop without gateway (a blackhole or a device-only nexthop); otherwise it
        follows O(gateway). Groups have none.
    type: str
    choices: [inet, inet6]
  protocol:
    description:
      - The routing protocol the nexthop belongs to, by name (C(static), C(bgp), C(zebra) ...) or number.
        C(unspec) (0) is what C(ip nexthop add) sets and the default under O(state=replaced).
      - At the top level with O(config), a scope (the nexthops of this protocol) and the protocol of items
        that name none.
    type: str
  group:
    description:
      - Makes the nexthop a group of these member nexthops, which must exist or be listed too.
      - Compared as a set - the order of the members does not matter.
    type: list
    elements: dict
    suboptions:
      id:
        description: The member's nexthop id.
        type: int
        required: true
      weight:
        description: The member's weight, 1-256; 1 when omitted.
        type: int
  group_type:
    description:
      - C(mpath) (hash-threshold multipath, the kernel's default) or C(resilient) (hash buckets that move as
        little as possible when members change). Cannot change in place.
    type: str
    choices: [mpath, resilient]
  resilient:
    description:
      - Options of a resilient group (giving them implies O(group_type=resilient)).
      - Compared as given - options not given are left as they are.
    type: dict
    suboptions:
      buckets:
        description: Number of hash buckets; required by the kernel when the group is made. Cannot change in place.
        type: int
      idle_timer:
        description: Seconds a bucket must be idle before it may move to another member (kernel default 120).
        type: int
      unbalanced_timer:
        description: Seconds the group may stay unbalanced before busy buckets are moved too (0 - never).
        type: int
notes:
  - The kernel sets C(scope); it is not managed. Encapsulation (MPLS, seg6) of nexthops is not managed.
  - Deleting a nexthop deletes the routes that use it, and removes it from the groups it is a member of (a
    group left without members is deleted too).
  - C(ip nexthop) takes the family of a nexthop without gateway only from C(-6), so the commands for such
    IPv6 nexthops read C(ip -6 nexthop ...).
'''

EXAMPLES = r'''
- name: Two gateways and a multipath group over them, with the second weighted 3
  nlink.netlink.nl_nexthop:
    config:
      - {id: 1, gateway: 192.0.2.1, dev: eth0}
      - {id: 2, gateway: 192.0.2.2, dev: eth0}
      - {id: 10, group: [{id: 1}, {id: 2, weight: 3}]}

- name: A resilient group
  nlink.netlink.nl_nexthop:
    id: 20
    group: [{id: 1}, {id: 2}]
    resilient: {buckets: 64, idle_timer: 60}

- name: A blackhole nexthop in namespace lab
  nlink.netlink.nl_nexthop:
    netns: lab
    id: 99
    blackhole: true

- name: Exactly these static nexthops in ids 100-199 (other static ones there are removed)
  nlink.netlink.nl_nexthop:
    protocol: static
    ids: 100-199
    state: overridden
    config:
      - {id: 100, gateway: 2001:db8::1, dev: eth1}
      - {id: 101, gateway: 2001:db8::2, dev: eth1}

- name: Nexthops and a group for the FDB of a VXLAN device
  nlink.netlink.nl_nexthop:
    config:
      - {id: 201, gateway: 203.0.113.1, fdb: true}
      - {id: 202, gateway: 203.0.113.2, fdb: true}
      - {id: 200, group: [{id: 201}, {id: 202}], fdb: true}

- name: Remove a nexthop (routes using it go with it)
  nlink.netlink.nl_nexthop:
    id: 99
    state: absent
'''

RETURN = r'''
before:
  description: The addressed nexthops before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"id": 1, "gateway": "192.0.2.1", "dev": "eth0", "family": "inet", "blackhole": false, "onlink": false,
            "fdb": false, "protocol": "unspec", "group": null, "group_type": null, "resilient": null}]
after:
  description: The same nexthops afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as iproute2 commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip nexthop add id 1 via 192.0.2.1 dev eth0", "ip nexthop add id 10 group 1/2,3"]
failures:
  description: Changes that failed, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current nexthops in scope.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(ip -j nexthop show)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.nexthop import Nexthop


def main():
    run_module(Nexthop)


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_bridge_fdb
short_description: Manage bridge forwarding database (FDB) entries over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes FDB entries - static MAC addresses on bridge ports, and the remotes of VXLAN
    devices - one or many in one task, the way C(bridge fdb) does, idempotently.
  - An entry is identified by its device, MAC address, VLAN and table (O(dev) + O(mac) + O(vlan) + O(self));
    the all-zeros and multicast entries of a VXLAN device (one per remote, added with C(bridge fdb append))
    by their O(dst) too.
  - With O(config), the top-level O(dev) (and O(self), if given) is the scope - O(state=overridden) removes
    the entries of that device that are not listed. Entries the kernel keeps itself are never removed - the
    bridge's local entries for its ports' addresses, a device's own address lists (its C(self) entries,
    unless it is a VXLAN device), the default remote from a VXLAN device's C(remote)/C(group) - and learned
    entries (dynamic, C(extern_learn)) only with O(purge_learned).
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  mac:
    description:
      - The MAC address. Required for each object.
    type: str
  dev:
    description:
      - The device - a bridge port, the bridge itself, or a VXLAN device. Required for each object; at the
        top level with O(config), the purge scope and the device of items that name none.
    type: str
  vlan:
    description:
      - The VLAN of the entry, 1-4094 (the bridge must have VLAN filtering). Omitted - the entry for untagged
        traffic.
    type: int
  self:
    description:
      - C(false) - the entry is in the FDB of the bridge the port belongs to (C(bridge fdb ... master)).
      - C(true) - the entry is in the device's own table (C(bridge fdb ... self)), for a VXLAN device its
        remotes, for other devices their unicast/multicast address lists.
      - Default - C(false) for a bridge port, C(true) for any other device. On the bridge itself it makes no
        difference (its entries are in its FDB).
      - At the top level with O(config), it also bounds the purge scope to that table.
    type: bool
  nud:
    description:
      - The entry's state, as C(bridge fdb) names it.
      - C(static) - does not age out; the default on a bridge port.
      - C(permanent) - a local address of the bridge (frames to it are not forwarded); the default and the only
        choice on the bridge itself and in a device's own table (VXLAN aside).
      - C(dynamic) - ages out like a learned entry; the port must be forwarding.
      - Not reset by O(state=replaced).
    type: str
    choices: [dynamic, permanent, static]
  dst:
    description:
      - The remote VTEP address of a VXLAN entry.
    type: str
  vni:
    description:
      - The VNI to use toward O(dst); the device's own VNI when omitted.
    type: int
  port:
    description:
      - The UDP port of O(dst); the device's destination port when omitted.
    type: int
  src_vni:
    description:
      - The source VNI, for a VXLAN device in collect-metadata (C(external)) mode; others ignore it.
    type: int
  via:
    description:
      - The device to reach O(dst) through. An empty string means none.
    type: str
  sticky:
    description:
      - The entry may not move to another port (bridge FDB; not for C(permanent) entries).
    type: bool
  extern_learn:
    description:
      - The entry was learned by an external control plane (EVPN); the bridge keeps it as learned (O(nud=dynamic)).
      - Changing it deletes and adds the entry again.
    type: bool
  purge_learned:
    description:
      - Top-level scope only - with O(state=overridden) (or O(state=deleted) without O(config)), also remove
        the learned (dynamic and C(extern_learn)) entries of O(dev) that are not listed.
    type: bool
notes:
  - Without VLAN filtering on the bridge (C(vlan_filtering 1)), entries with a O(vlan) are refused.
  - On a port (or bridge) with VLANs, the kernel adds an entry without O(vlan) to each of the port's VLANs as
    well, and deletes those with it. Such an entry is added with C(bridge fdb replace) (some of them may
    exist), before the entries of the same MAC address with a VLAN; the copies are never purged.
  - The results C(commands) and C(rendered) are C(bridge fdb) commands (replayable with C(bridge -batch)).
'''

EXAMPLES = r'''
- name: A static MAC address on bridge port eth1
  nlink.netlink.nl_bridge_fdb:
    dev: eth1
    mac: 02:00:5e:10:00:01

- name: Exactly these static entries on eth1 (learned ones are left alone)
  nlink.netlink.nl_bridge_fdb:
    dev: eth1
    state: overridden
    config:
      - mac: 02:00:5e:10:00:01
      - mac: 02:00:5e:10:00:02
        vlan: 10
        sticky: true

- name: Flood unknown traffic of vxlan100 to two remote VTEPs (head-end replication)
  nlink.netlink.nl_bridge_fdb:
    dev: vxlan100
    self: true
    config:
      - {mac: "00:00:00:00:00:00", dst: 192.0.2.10}
      - {mac: "00:00:00:00:00:00", dst: 192.0.2.11}

- name: A MAC behind a remote VTEP, in namespace lab
  nlink.netlink.nl_bridge_fdb:
    netns: lab
    dev: vxlan100
    mac: 02:00:5e:10:00:99
    dst: 192.0.2.10
    self: true

- name: Remove an entry
  nlink.netlink.nl_bridge_fdb:
    dev: eth1
    mac: 02:00:5e:10:00:01
    state: absent
'''

RETURN = r'''
before:
  description: The addressed entries before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"dev": "eth1", "mac": "02:00:5e:10:00:01", "vlan": null, "self": false, "nud": "static",
            "dst": null, "vni": null, "port": null, "src_vni": null, "via": "", "sticky": false,
            "extern_learn": false}]
after:
  description: The same entries afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as C(bridge) commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["bridge fdb add 02:00:5e:10:00:01 dev eth1 master static"]
failures:
  description: Items that failed in a bulk change, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current entries in scope.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(bridge -j fdb show)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.bridge_fdb import BridgeFdb


def main():
    run_module(BridgeFdb)


if __name__ == '__main__':
    main()

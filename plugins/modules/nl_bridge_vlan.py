#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_bridge_vlan
short_description: Manage the VLANs of bridge ports and bridges over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes the VLANs of bridge ports (and of the bridge itself), with their PVID and
    egress-untagged flags and VLAN-to-tunnel mappings, the way C(bridge vlan) does, idempotently.
  - An object is a VLAN or a range of VLANs of a device (O(dev) + O(vid)). A range is present when all its
    VLANs are (adding it adds those missing); changing a range sets the attributes given on all its VLANs and
    leaves the others as they are, VLAN by VLAN.
  - With O(config), the top-level O(dev) is the scope - O(state=overridden) removes the VLANs of that device
    that no item covers, including the default VLAN 1 the bridge gives every port (list it to keep it).
  - Naming the bridge itself as O(dev) manages the bridge's own VLANs (C(bridge vlan ... self)).
  - Needs a kernel with bridge VLAN filtering (C(CONFIG_BRIDGE_VLAN_FILTERING)) and the C(RTM_*VLAN)
    messages (Linux 5.10; tunnel mappings are read from Linux 5.13). The VLANs only filter traffic once the
    bridge has C(vlan_filtering) on (M(nlink.netlink.nl_link)).
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  dev:
    description:
      - The bridge port, or the bridge itself. Required for each object; at the top level with O(config), the
        purge scope and the device of items that name none.
    type: str
  vid:
    description:
      - A VLAN id (1-4094) or a range C(N-M). Required for each object. Ranges of one device may not overlap.
    type: raw
  pvid:
    description:
      - The VLAN is the port's PVID - untagged frames coming in belong to it. A port has one PVID, so this
        needs a single VLAN; setting it moves the PVID from any other VLAN of the port.
    type: bool
  untagged:
    description:
      - Frames of the VLAN leave the port untagged.
    type: bool
  tunnel_id:
    description:
      - The tunnel id (VNI) the VLAN maps to on a VXLAN port with C(vlan_tunnel) on; for a range, the id of
        its first VLAN, the others following one by one. C(0) means no mapping.
    type: int
notes:
  - The results C(commands) and C(rendered) are C(bridge vlan) commands (replayable with C(bridge -batch)).
'''

EXAMPLES = r'''
- name: eth1 carries VLANs 10 and 20-29 tagged, and 100 untagged as its PVID
  nlink.netlink.nl_bridge_vlan:
    dev: eth1
    state: overridden
    config:
      - vid: 10
      - vid: 20-29
      - vid: 100
        pvid: true
        untagged: true

- name: The bridge itself takes part in VLAN 100
  nlink.netlink.nl_bridge_vlan:
    dev: br0
    vid: 100

- name: Map VLANs 10-19 to VNIs 1010-1019 on a VXLAN port (external, vlan_tunnel on)
  nlink.netlink.nl_bridge_vlan:
    netns: lab
    dev: vxlan0
    vid: 10-19
    tunnel_id: 1010

- name: Remove VLAN 10 from eth1
  nlink.netlink.nl_bridge_vlan:
    dev: eth1
    vid: 10
    state: absent
'''

RETURN = r'''
before:
  description: The addressed VLANs before, in the O(config) shape (attributes that differ within a range read null).
  returned: with an action state
  type: list
  elements: dict
  sample: [{"dev": "eth1", "vid": "20-29", "pvid": false, "untagged": false, "tunnel_id": 0}]
after:
  description: The same VLANs afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as C(bridge) commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["bridge vlan add dev eth1 vid 20-29"]
failures:
  description: Changes that failed, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current VLANs in scope, consecutive equal VLANs as one range.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(bridge -j vlan show)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.bridge_vlan import BridgeVlan


def main():
    run_module(BridgeVlan)


if __name__ == '__main__':
    main()

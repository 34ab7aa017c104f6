#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_facts
short_description: Gather netlink state (links, addresses, ...) as facts
version_added: 0.1.0
description:
  - Reads the kernel's network state over netlink into C(ansible_facts.netlink), one key per subset.
  - Each subset has the shape of what the module that manages it takes (most a O(nlink.netlink.nl_link#module:config)
    list), so gathered facts can be given back to that module as desired state (a no-op).
author:
  - nlink.netlink developers (!UNKNOWN)
options:
  gather_subset:
    description:
      - The subsets to gather - C(all), or any of those below; C(!name) leaves one out.
      - C(links) (M(nlink.netlink.nl_link)), C(addresses) (M(nlink.netlink.nl_address)), C(routes) (M(nlink.netlink.nl_route)),
        C(rules) (M(nlink.netlink.nl_rule)), C(neighbours) (M(nlink.netlink.nl_neigh)), C(nexthops) (M(nlink.netlink.nl_nexthop)),
        C(bridge_vlans) (M(nlink.netlink.nl_bridge_vlan)), C(bridge_fdb) (M(nlink.netlink.nl_bridge_fdb)) - lists of objects.
      - C(mptcp) (M(nlink.netlink.nl_mptcp)) - a dict of C(endpoints) and C(limits), empty without MPTCP.
      - C(ethtool) (M(nlink.netlink.nl_ethtool)) - per device the driver, link state and the settings the driver supports; no
        statistics.
      - C(tc) - a dict of C(qdiscs) (M(nlink.netlink.nl_qdisc); the kernel's default qdiscs left out), C(classes)
        (M(nlink.netlink.nl_tc_class)) and C(filters) (M(nlink.netlink.nl_tc_filter)) of every device; no statistics.
      - C(wireguard) (M(nlink.netlink.nl_wireguard)) - every WireGuard interface with its peers; public keys and key presence only.
      - C(genl_families) - the kernel's generic netlink families (name, id, version, ops, multicast groups); read only.
    type: list
    elements: str
    default: [all]
  compact:
    description:
      - Leave out of C(routes) what M(nlink.netlink.nl_route) assumes when an option is omitted - empty values,
        C(family) (the address of C(dst) says it), table C(main), type C(unicast), the family's default metric and
        scope, IPv6 pref C(medium). Given back to M(nlink.netlink.nl_route) a compact route is the same route.
      - For large tables - Ansible's cost is per value, in the module and on the controller, so 100,000 routes take
        about a third of the time as facts (docs/performance.md) - at the price of a shape where a missing key
        means the default (filter with C(default('main')) and the like).
    type: bool
    default: false
  netns:
    description:
      - Name of the network namespace (under C(/run/netns)) to read; the module's own namespace when omitted.
    type: str
notes:
  - Reads the running kernel; counters, timers and statistics are left out.
  - Needs the C(pyroute2) Python library on the managed host.
requirements:
  - pyroute2 >= 0.7
'''

EXAMPLES = r'''
- name: Everything
  nlink.netlink.nl_facts:

- name: Only the links of namespace lab
  nlink.netlink.nl_facts:
    netns: lab
    gather_subset: [links]

- name: A large routing table, without the values that are nl_route's defaults
  nlink.netlink.nl_facts:
    gather_subset: [routes]
    compact: true

- name: Feed gathered addresses back (a no-op)
  nlink.netlink.nl_address:
    state: merged
    config: "{{ ansible_facts.netlink.addresses }}"
'''

RETURN = r'''
ansible_facts:
  description: The gathered state.
  returned: always
  type: dict
  contains:
    netlink:
      description: One list per gathered subset, in the config shape of the module managing it.
      type: dict
      sample: {"links": [{"name": "lo", "kind": null, "admin_state": "up", "mtu": 65536}],
               "addresses": [{"dev": "lo", "address": "127.0.0.1/8", "scope": "host"}]}
'''

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import PYROUTE2_IMPORT_ERROR


def main():
    module = AnsibleModule(argument_spec=dict(gather_subset=dict(type='list', elements='str', default=['all']),
                                              compact=dict(type='bool', default=False),
                                              netns=dict(type='str')),
                           supports_check_mode=True)
    if PYROUTE2_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('pyroute2'), exception=PYROUTE2_IMPORT_ERROR)
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import facts
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import (
        NamespaceError, NetlinkError, ValidationError)
    try:
        subsets = facts.selected(module.params['gather_subset'])
        with Connection(netns=module.params['netns']) as conn:
            gathered = facts.gather(conn, module.params['netns'], subsets, compact=module.params['compact'])
    except (ValidationError, NamespaceError, NetlinkError) as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=False, ansible_facts={'netlink': gathered})


if __name__ == '__main__':
    main()

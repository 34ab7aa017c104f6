#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_mptcp
short_description: Manage MPTCP path-manager endpoints and limits over generic netlink
version_added: 0.1.0
description:
  - Adds, changes and removes the in-kernel MPTCP path manager's endpoints (the local addresses MPTCP may
    announce or use for extra subflows) and sets its limits, the way C(ip mptcp endpoint) and
    C(ip mptcp limits) do, idempotently. Both are per network namespace.
  - An endpoint is identified by its O(endpoints[].address) and O(endpoints[].port). Only the C(backup) and
    C(fullmesh) flags change in place; a change of the other flags, the id or the device deletes the endpoint
    and adds it again.
  - O(state=overridden) removes the endpoints not listed in O(endpoints) (all of them when it is empty or
    omitted); endpoints the kernel made itself (C(implicit)) are left alone. Limits are never removed;
    O(state=deleted) leaves them as they are.
  - Talks to the kernel's C(mptcp_pm) generic netlink family (Linux 5.7 or later, C(CONFIG_MPTCP)).
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  endpoints:
    description:
      - The endpoints. Omitted, endpoints are not managed (except by O(state=overridden) and O(state=gathered)).
    type: list
    elements: dict
    suboptions:
      address:
        description: The local IPv4 or IPv6 address, without prefix length.
        type: str
        required: true
      port:
        description:
          - The port to announce with the address (a signal endpoint only; the kernel listens on it, so the
            address must be configured on an interface). Part of the identity; 0 or omitted means none.
        type: int
      id:
        description:
          - The endpoint id, 1-255. When omitted the kernel chooses one and a different id is not a change.
        type: int
      flags:
        description:
          - C(signal) announces the address to the peer, C(subflow) opens subflows from it, C(backup) makes
            them backup subflows, C(fullmesh) opens a subflow to every announced peer address (with
            C(subflow), not C(signal)). Omitted, not managed; C([]) under O(state=replaced) clears them.
        type: list
        elements: str
        choices: [backup, fullmesh, signal, subflow]
      dev:
        description: The device to bind subflows from this address to. Not reset by O(state=replaced).
        type: str
  config:
    description:
      - The endpoints, as in O(endpoints) (the collection's common name for the list of objects).
    type: list
    elements: dict
  src:
    description:
      - Path on the managed host of a JSON or YAML file holding the O(endpoints) list.
    type: path
  limits:
    description:
      - The path manager's limits; only what is given is set.
    type: dict
    suboptions:
      subflows:
        description: Most additional subflows per MPTCP connection (0-8).
        type: int
      add_addr_accepted:
        description: Most addresses announced by the peer that are accepted per connection (0-8).
        type: int
  state:
    description:
      - V(merged) adds and changes the given endpoints and limits; V(replaced) also clears the omitted flags of
        the given endpoints; V(overridden) also removes unlisted endpoints; V(deleted) removes the given
        endpoints (all with O(endpoints=[])); V(gathered) reads; V(rendered) returns the C(ip mptcp)
        commands of a merge; V(parsed) reads O(running_config).
      - V(present) and V(absent) mean V(merged) and V(deleted).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered, parsed, present, absent]
    default: merged
  running_config:
    description: With O(state=parsed), the output of C(ip -j mptcp endpoint show).
    type: str
notes:
  - The MPTCP sysctl C(net.mptcp.enabled) and the path manager type (C(net.mptcp.pm_type), in-kernel by
    default) are not managed here.
'''

EXAMPLES = r'''
- name: Announce a second address and open subflows from a third, at most 2 subflows
  nlink.netlink.nl_mptcp:
    endpoints:
      - address: 192.0.2.10
        flags: [signal]
      - address: 198.51.100.10
        dev: eth1
        flags: [subflow, backup]
    limits:
      subflows: 2
      add_addr_accepted: 2

- name: Exactly these endpoints in namespace lab (others are removed)
  nlink.netlink.nl_mptcp:
    netns: lab
    state: overridden
    endpoints:
      - address: 2001:db8::10
        id: 5
        flags: [subflow, fullmesh]

- name: Remove every endpoint
  nlink.netlink.nl_mptcp:
    state: deleted
    endpoints: []

- name: What would change, as ip commands
  nlink.netlink.nl_mptcp:
    state: rendered
    endpoints:
      - address: 192.0.2.10
        flags: [signal]
'''

RETURN = r'''
before:
  description: The managed endpoints (those addressed or changed) and the limits before.
  returned: with an action state
  type: dict
  sample: {"endpoints": [{"address": "192.0.2.10", "port": 0, "id": 1, "flags": ["signal"], "dev": null}],
           "limits": {"subflows": 2, "add_addr_accepted": 0}}
after:
  description: The same afterwards (in check mode, as predicted).
  returned: with an action state
  type: dict
commands:
  description: The plan as C(ip mptcp) commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip mptcp limits set subflows 2", "ip mptcp endpoint add 192.0.2.10 signal"]
failures:
  description: Changes the kernel refused, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current endpoints and limits, in the shape of the options.
  returned: with O(state=gathered)
  type: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) as C(endpoints).
  returned: with O(state=parsed)
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import PYROUTE2_IMPORT_ERROR, STATES
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import mptcp

argument_spec = dict(
    netns=dict(type='str'),
    state=dict(type='str', default='merged', choices=STATES),
    endpoints=dict(type='list', elements='dict', options=mptcp.Endpoints.options),
    config=dict(type='list', elements='dict'),
    src=dict(type='path'),
    limits=dict(type='dict', options=mptcp.Limits.options),
    running_config=dict(type='str'),
)


def main():
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           mutually_exclusive=[('endpoints', 'config', 'src')],
                           required_if=[('state', 'parsed', ('running_config',))])
    if PYROUTE2_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('pyroute2'), exception=PYROUTE2_IMPORT_ERROR)
    mptcp.execute(module)


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_netns
short_description: Manage named network namespaces
version_added: 0.1.0
description:
  - Creates and removes named network namespaces, the ones C(ip netns) lists, idempotently. A named
    namespace is a new network namespace bind-mounted at C(/run/netns/NAME), exactly as C(ip netns add)
    makes it, so C(ip netns exec), C(ip -n NAME), the O(netns) option of the other modules of this
    collection and the P(nlink.netlink.netns#connection) connection plugin all find it.
  - A namespace is identified by its name (O(name)). O(id) is the namespace id (nsid) by which the
    module's own namespace knows it, as C(ip netns set) assigns it.
  - Removing a namespace removes its name; the namespace itself, with its devices, goes away when no
    process is left in it.
  - The top-level O(prefix) is the scope - O(state=overridden), and O(state=deleted) without O(config),
    remove the namespaces whose names start with it that are not listed, never any other. Without
    O(prefix) they refuse to run.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  name:
    description:
      - Name of the namespace, the file name under C(/run/netns). Required for each object.
    type: str
  id:
    description:
      - The namespace id (nsid, 0 to 2147483647) the module's own namespace has for this one, as in
        C(ip netns set NAME ID). The kernel assigns ids on its own too (when a device moves between
        namespaces); an id once assigned cannot be changed or taken back - changing it fails with the
        kernel's message.
      - Not reset by O(state=replaced).
    type: int
  prefix:
    description:
      - The scope, a start of names (C(lab-)). O(state=overridden) and O(state=deleted) without O(config)
        remove only namespaces whose names start with it; every name given must start with it;
        O(state=gathered) lists only those. An empty string puts every named namespace in scope.
      - Top level only.
    type: str
  netns:
    description:
      - Not accepted by this module. Named namespaces are files in the mount namespace, not objects inside a
        network namespace; giving O(netns) is an error.
    type: str
notes:
  - Creating the first namespace makes C(/run/netns) a shared mount point, as C(ip netns add) does.
  - Needs root (C(CAP_SYS_ADMIN)) to create and remove namespaces.
'''

EXAMPLES = r'''
- name: Create namespace lab
  nlink.netlink.nl_netns:
    name: lab

- name: Create namespace lab with id 7 in the host's namespace
  nlink.netlink.nl_netns:
    name: lab
    id: 7

- name: Exactly these lab- namespaces (other lab-* ones are removed, nothing else is touched)
  nlink.netlink.nl_netns:
    prefix: lab-
    state: overridden
    config:
      - name: lab-a
      - name: lab-b

- name: Remove every namespace whose name starts with lab-
  nlink.netlink.nl_netns:
    prefix: lab-
    state: deleted

- name: Remove namespace lab
  nlink.netlink.nl_netns:
    name: lab
    state: absent

- name: List the named namespaces
  nlink.netlink.nl_netns:
    state: gathered
  register: namespaces

- name: Show the commands that would create one
  nlink.netlink.nl_netns:
    name: lab
    state: rendered
'''

RETURN = r'''
before:
  description: The named namespaces concerned before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"name": "lab", "id": null}]
after:
  description: The same namespaces afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
  sample: [{"name": "lab", "id": 7}]
commands:
  description: The plan as iproute2 commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip netns add lab", "ip netns set lab 7"]
failures:
  description: Namespaces that could not be changed when several were, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The named namespaces (in scope), each with C(name) and C(id) (null when none is assigned).
  returned: with O(state=gathered)
  type: list
  elements: dict
  sample: [{"name": "lab", "id": null}, {"name": "lab-b", "id": 0}]
rendered:
  description: The commands that would bring the namespaces to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
  sample: ["ip netns add lab"]
parsed:
  description: O(running_config) (C(ip -j netns list)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.netns import NetNS


def main():
    run_module(NetNS)


if __name__ == '__main__':
    main()

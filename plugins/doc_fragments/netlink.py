# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options and notes every resource module shares (module_utils/netlink/module.py).
    DOCUMENTATION = r'''
options:
  netns:
    description:
      - Name of the network namespace (under C(/run/netns)) to act in; the module's own namespace when omitted.
      - A missing namespace is an error; it is never created implicitly (see M(nlink.netlink.nl_netns)).
    type: str
  state:
    description:
      - C(merged) adds or updates the objects given, touching only the attributes given.
      - C(replaced) makes each object given exactly what is given; omitted attributes return to their defaults.
      - C(overridden) makes the scope exactly O(config) - objects in scope that are not listed are removed,
        never anything outside the scope.
      - C(deleted) removes the objects given; without O(config), everything in the scope.
      - C(gathered) reads the current objects into RV(gathered), in the O(config) shape.
      - C(rendered) returns the plan of C(merged) as equivalent iproute2 commands in RV(rendered); nothing is
        changed. The plan of any other state is RV(commands) of that state run in check mode.
      - C(parsed) turns the JSON output of the matching C(ip -j) command, given in O(running_config), into
        RV(parsed), in the O(config) shape; the kernel is not consulted.
      - C(present) and C(absent) are C(merged) and C(deleted), for the one-object form.
    type: str
    default: merged
    choices: [merged, replaced, overridden, deleted, gathered, rendered, parsed, present, absent]
  config:
    description:
      - A list of objects, each a mapping of the per-object options of this module.
      - When given, per-object options may not be given at the top level; the top-level scope options
        bound what O(state=overridden) may remove and fill in what items omit.
    type: list
    elements: dict
  src:
    description:
      - Path on the managed host of a JSON or YAML file holding the same list as O(config) (or a mapping
        with a C(config) key). For very large sets, this avoids passing them through Ansible variables.
      - Mutually exclusive with O(config).
    type: path
  running_config:
    description:
      - With O(state=parsed), the JSON output of the iproute2 command this module mirrors.
    type: str
notes:
  - The module changes the running kernel only. Nothing is written to persistent network configuration
    (ifupdown, NetworkManager, systemd-networkd), so changes do not survive a reboot.
  - Needs the C(pyroute2) Python library on the managed host and the privileges to change networking
    (root or C(CAP_NET_ADMIN)).
  - Supports check mode (the plan is computed against the kernel and nothing is written) and diff mode.
  - The results C(before) and C(after) list the objects the task addresses; when it addresses more than
    1000, only those that change.
requirements:
  - pyroute2 >= 0.7
'''

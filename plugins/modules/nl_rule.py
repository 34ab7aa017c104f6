#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_rule
short_description: Manage policy routing rules over netlink
version_added: 0.1.0
description:
  - Adds and removes IPv4 and IPv6 policy routing rules (the routing policy database), one or many in one
    task, the way C(ip rule) does, idempotently.
  - A rule is identified by what the kernel compares when it refuses a duplicate - O(family), O(priority),
    every selector (O(from), O(to), O(tos), O(dscp), O(fwmark)/O(fwmask), O(iif), O(oif), O(l3mdev),
    O(uidrange), O(ipproto), O(sport), O(dport)), O(protocol), O(action), O(table) and the suppressors.
    Two rules may share a priority when anything else differs. An omitted selector means "any" (C(from all)).
  - O(invert) and the O(goto) target are not part of that identity (the kernel refuses a rule that differs
    from another in them only); changing either deletes the rule and adds it again, which puts it after the
    other rules of the same priority.
  - Without O(priority), a rule that matches in everything else is the one meant, whatever its priority; a
    new one gets the priority the kernel would give it (one less than the priority of the second rule of its
    family), stated in RV(commands).
  - The kernel deletes the first rule that matches the fields a deletion gives, and ignores fields it does
    not give. The module deletes rules with more selectors before those with fewer, and refuses a deletion
    that would hit another rule of the same priority which has more selectors and stays.
  - With O(config), the top-level O(priority_range), O(table) and O(family) are the scope -
    O(state=overridden), and O(state=deleted) without O(config), remove the rules inside all of them that are
    not listed; without any of them they refuse to run. The rules the kernel makes itself (protocol
    C(kernel) - priorities 0, 32766 and 32767) are removed only when O(priority_range) is given and holds
    their priority.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  family:
    description:
      - C(inet) (IPv4) or C(inet6) (IPv6). Defaults to the family of O(from)/O(to), else C(inet).
      - At the top level with O(config), part of the scope and the family of items that name none.
    type: str
    choices: [inet, inet6]
  priority:
    description:
      - The rule's priority (preference), 0 to 4294967295; lower is looked at first.
    type: int
  priority_range:
    description:
      - The scope, C([min, max]) - O(state=overridden) and O(state=deleted) without O(config) remove only
        rules whose priority lies within (bounds included). Top level only.
    type: list
    elements: int
  invert:
    description:
      - Invert the selectors (C(ip rule add not ...)).
    type: bool
  from:
    description:
      - Source prefix, C(10.0.0.0/8); an address without prefix length is a host. C(all) or omitted - any.
    type: str
  to:
    description:
      - Destination prefix, as O(from).
    type: str
  tos:
    description:
      - The TOS/DS field to match, a number (C(0x10)) or a code point name (C(CS1), C(AF11), C(EF)).
        The kernel accepts only the old TOS bits for IPv4 (use O(dscp) for the full DSCP).
    type: raw
  dscp:
    description:
      - The DSCP value to match, 0 to 63 (C(FRA_DSCP)). Needs Linux 6.12 or later - older kernels ignore the
        attribute, so the rule is added without it and the module fails, reporting the rule absent. iproute2
        6.1 neither shows nor accepts it, so RV(commands) with it need a newer C(ip). Mutually exclusive with O(tos).
    type: int
  fwmark:
    description:
      - The firewall mark to match, a number (C(0x10) or C(16)).
    type: raw
  fwmask:
    description:
      - The mask applied to the mark before comparing; all ones when omitted.
    type: raw
  iif:
    description:
      - Name of the incoming device to match (C(lo) - packets of this host). The device need not exist.
    type: str
  oif:
    description:
      - Name of the outgoing device to match (sockets bound to it). The device need not exist.
    type: str
  l3mdev:
    description:
      - Look up the table of the VRF device the packet belongs to (C(ip rule add l3mdev)); takes no O(table).
    type: bool
  uidrange:
    description:
      - Range of user ids of the sending socket, C(1000-1999) (or a single id).
    type: raw
  ipproto:
    description:
      - IP protocol to match, a name (C(tcp), C(udp), C(icmp), C(ipv6-icmp), ...) or a number.
    type: raw
  sport:
    description:
      - Source port or range, C(80) or C(1024-65535).
    type: raw
  dport:
    description:
      - Destination port or range, as O(sport).
    type: raw
  protocol:
    description:
      - Who made the rule, C(static), C(boot), C(kernel), C(bgp), ... or a number; C(unspec) when omitted.
        Part of the identity.
    type: raw
  action:
    description:
      - What a matching packet gets. C(to_tbl) (or C(table)) looks up O(table); C(goto) jumps to the rule of
        priority O(goto); C(nop) does nothing; C(blackhole), C(unreachable), C(prohibit) drop it.
      - Defaults to C(goto) when O(goto) is given, else C(to_tbl).
    type: str
    choices: [blackhole, goto, nop, prohibit, table, to_tbl, unreachable]
  table:
    description:
      - The routing table to look up, C(main), C(local), C(default) or a number 1-4294967295. C(main) when
        omitted with action C(to_tbl), as C(ip rule add) does; only action C(to_tbl) looks up a table.
      - At the top level with O(config), part of the scope and the table of items that name none.
    type: raw
  goto:
    description:
      - The priority of the rule to jump to, with action C(goto); it must be higher than O(priority).
    type: int
  suppress_prefixlength:
    description:
      - Reject a route from the table whose prefix length is this or shorter (C(0) - ignore default routes).
    type: int
  suppress_ifgroup:
    description:
      - Reject a route from the table whose device is in this device group.
    type: int
notes:
  - O(state=parsed) reads the output of C(ip -j -d rule show) (C(-d) shows the protocol of the kernel's
    rules), or a mapping with the keys C(inet) and C(inet6) holding the outputs of C(ip -j -d rule show) and
    C(ip -6 -j -d rule show). A plain list has no family - a rule in it is IPv6 only where an address says so.
  - RV(commands) of IPv6 rules carry C(-6) (C(ip rule) takes the family from nothing else); with
    C(ip -batch), replay them with C(ip -6 -batch).
'''

EXAMPLES = r'''
- name: Packets marked 0x10 look up table 100
  nlink.netlink.nl_rule:
    priority: 1000
    fwmark: 0x10
    table: 100

- name: IPv6 traffic from a prefix uses its own table
  nlink.netlink.nl_rule:
    priority: 1001
    from: 2001:db8:100::/48
    table: 200

- name: Exactly these rules between priorities 1000 and 1999 (the kernel's default rules are outside)
  nlink.netlink.nl_rule:
    priority_range: [1000, 1999]
    state: overridden
    config:
      - {priority: 1000, fwmark: 0x10, fwmask: 0xff, table: 100}
      - {priority: 1010, uidrange: 1000-1999, ipproto: tcp, dport: 8000-8999, table: 101}
      - {priority: 1020, family: inet6, iif: lo, table: 200, suppress_prefixlength: 0}
      - {priority: 1030, to: 192.0.2.0/24, action: blackhole}

- name: Remove every rule that looks up table 100
  nlink.netlink.nl_rule:
    table: 100
    state: deleted

- name: In namespace lab, show the commands without changing anything
  nlink.netlink.nl_rule:
    netns: lab
    priority: 500
    from: 10.1.0.0/16
    table: 10
    state: rendered
'''

RETURN = r'''
before:
  description: The addressed rules before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"family": "inet", "priority": 1000, "invert": false, "from": null, "to": null, "tos": null,
            "dscp": null, "fwmark": 16, "fwmask": null, "iif": null, "oif": null, "l3mdev": false,
            "uidrange": null, "ipproto": null, "sport": null, "dport": null, "protocol": "unspec",
            "action": "to_tbl", "table": "100", "goto": null, "suppress_prefixlength": null,
            "suppress_ifgroup": null}]
after:
  description: The same rules afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as iproute2 commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip rule add pref 1000 fwmark 0x10 table 100"]
failures:
  description: Rules whose change failed, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current rules (of O(family) when given, else of both families).
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
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.rule import Rule


def main():
    run_module(Rule)


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_facts: which resource gathers each subset. A new resource joins by one line here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import Address
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.bridge_fdb import BridgeFdb
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.bridge_vlan import BridgeVlan
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.ethtool import EthtoolFacts
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.genl_family import GenlFamily
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.link import Link
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.mptcp import MptcpFacts
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.neigh import Neigh
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.nexthop import Nexthop
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route, default_scope
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc import Qdisc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.rule import Rule
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_class import TcClass
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter import TcFilter
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.wireguard import WireguardFacts


class TcFacts:
    """The ``tc`` subset: every device's qdiscs, classes and filters, each list in its module's shape (the
    kernel's default qdiscs and all statistics left out)."""

    PARTS = (('qdiscs', Qdisc), ('classes', TcClass), ('filters', TcFilter))

    def __init__(self, conn, params, netns):
        self.parts = [(name, resource(conn, params, netns)) for name, resource in self.PARTS]

    def gather(self):
        facts = {}
        for name, resource in self.parts:
            resource.wants = []
            facts[name] = resource.gather()
        return facts


# Static imports: Ansible ships a module only the module_utils it can see imported.
SUBSETS = {
    'links': Link,
    'addresses': Address,
    'routes': Route,
    'rules': Rule,
    'neighbours': Neigh,
    'nexthops': Nexthop,
    'bridge_vlans': BridgeVlan,
    'bridge_fdb': BridgeFdb,
    'genl_families': GenlFamily,
    'mptcp': MptcpFacts,
    'ethtool': EthtoolFacts,
    'tc': TcFacts,
    'wireguard': WireguardFacts,
}


def selected(gather_subset):
    """Resolve ``all``, names and ``!name`` exclusions, the way Ansible's own gather_subset reads."""
    chosen, excluded = set(), set()
    for entry in gather_subset:
        negate = entry.startswith('!')
        name = entry[1:] if negate else entry
        names = set(SUBSETS) if name == 'all' else {name}
        unknown = names - set(SUBSETS)
        if unknown:
            raise ValidationError('gather_subset: %s is not a subset; use all, %s, or !name to exclude one'
                                  % (', '.join(sorted(unknown)), ', '.join(sorted(SUBSETS))))
        (excluded if negate else chosen).update(names)
    if not chosen and excluded:
        chosen = set(SUBSETS)
    return sorted(chosen - excluded)


def compact_route(route):
    """A gathered route without the values nl_route assumes when an option is omitted: empty ones ('', [], {},
    False, None, 0) and defaults (table main, type unicast, the family's default metric and scope, IPv6 pref
    medium); family goes too, as dst says it. Given back to nl_route it means the same route (merged, replaced
    and overridden alike). Ansible's cost is per value, in the module and at the controller (docs/performance.md:
    100,000 routes as facts cost ~30 s CPU in the full shape, ~6 s in this one)."""
    out = dict((name, value) for name, value in route.items() if value and name != 'family')
    family, metric = route['family'], route['metric']
    if metric == 0 and family == 'inet6':
        out['metric'] = 0  # the kernel's own IPv6 local routes: 0 is not the family's default (1024)
    elif metric == 1024 and family == 'inet6':
        del out['metric']
    for name, default in (('table', 'main'), ('type', 'unicast'), ('pref', 'medium')):
        if out.get(name) == default:
            del out[name]
    has_path = bool(route['gateway'] or route['nexthops'] or route['nhid'])
    if out.get('scope') == default_scope(family, route['type'], has_path):
        del out['scope']
    return out


# Subsets whose compact facts leave out what their module assumes when omitted (those that reach 100,000s of objects)
COMPACT = {'routes': compact_route}


def gather(conn, netns, subsets, compact=False):
    facts = {}
    for name in subsets:
        resource = SUBSETS[name](conn, {}, netns)
        resource.wants = []
        facts[name] = resource.gather()
        if compact and name in COMPACT:
            facts[name] = [COMPACT[name](item) for item in facts[name]]
    return facts

# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Policy routing rules (RTM_*RULE, struct fib_rule_hdr; linux/fib_rules.h, rt-rule.yaml).

Identity is what the kernel compares when it refuses a duplicate (net/core/fib_rules.c rule_exists):
family, priority, every selector, protocol, action and table. ``invert`` and the ``goto`` target are not
compared there, so they are attributes: changing one is a delete and an add. Purge scope: a priority
range, a table, a family; the kernel's own rules (protocol kernel) only inside an explicit priority range.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import socket

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import NLM_F_CREATE, NLM_F_EXCL
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.link import valid_name

RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE = 32, 33, 34
FAMILIES = {'inet': rtnl.AF_INET, 'inet6': rtnl.AF_INET6}
ACTIONS = {'to_tbl': 1, 'goto': 2, 'nop': 3, 'blackhole': 6, 'unreachable': 7, 'prohibit': 8}
TABLES = {'default': 253, 'main': 254, 'local': 255}
PROTOCOLS = rtnl.PROTOCOLS
# linux/in.h IPPROTO_*, named as /etc/protocols (and so `ip -j rule show`) names them
IP_PROTOCOLS = {'icmp': 1, 'igmp': 2, 'tcp': 6, 'udp': 17, 'dccp': 33, 'gre': 47, 'esp': 50, 'ah': 51,
                'ipv6-icmp': 58, 'sctp': 132, 'udplite': 136}
# Code point names iproute2 prints for tos (RFC 2474/2597/3246, /etc/iproute2/rt_dsfield)
DSFIELD_NAMES = dict([('default', 0x00), ('EF', 0xb8)] + [('CS%d' % n, n << 5) for n in range(1, 8)] +
                     [('AF%d%d' % (c, d), (c << 5) | (d << 3)) for c in range(1, 5) for d in range(1, 4)])
FIB_RULE_INVERT = 0x2
U32 = 0xFFFFFFFF  # also "not set" for the suppressors (-1 in the kernel)
PROTOCOL_KERNEL = 'kernel'

# Matching fields in `ip rule` word order; each is compared by the kernel when a request sets it.
SELECTORS = ('from', 'to', 'tos', 'dscp', 'fwmark', 'fwmask', 'iif', 'oif', 'l3mdev', 'uidrange', 'ipproto',
             'sport', 'dport')
SUPPRESSORS = ('suppress_prefixlength', 'suppress_ifgroup')

_MESSAGE_CLASS = []


def rule_message():
    """pyroute2's fibmsg plus FRA_DSCP (rt-rule.yaml; newer than pyroute2 and the 6.1 UAPI headers)."""
    if not _MESSAGE_CLASS:
        from pyroute2.netlink.rtnl.fibmsg import fibmsg

        class rulemsg(fibmsg):
            # pyroute2 caches the compiled attribute table on the class: this one compiles its own
            _nlmsg_base__compiled_nla = False
            _nlmsg_base__t_nla_map = None
            _nlmsg_base__r_nla_map = None
            nla_map = fibmsg.nla_map + ((25, 'FRA_DSCP', 'uint8'),)
        _MESSAGE_CLASS.append(rulemsg)
    return _MESSAGE_CLASS[0]


def number(value, option, maximum=U32, names=None):
    """An integer (decimal or 0x-hex) or one of ``names``, in 0..maximum."""
    if names and value in names:
        return names[value]
    try:
        result = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value), 0)
    except ValueError:
        result = -1
    if not 0 <= result <= maximum:
        allowed = 'a number 0-%d' % maximum + (' or one of %s' % ', '.join(sorted(names)) if names else '')
        raise ValidationError('%s: %r is not %s' % (option, value, allowed))
    return result


def name_of(value, names):
    return next((name for name, number_ in names.items() if number_ == value), str(value))


def port_range(value, option, maximum=0xFFFF):
    """'80', 80 or '1000-2000' as 'start-end' text."""
    text = str(value)
    start, dash, end = text.partition('-')
    try:
        first, last = int(start), int(end if dash else start)
    except ValueError:
        first = last = -1
    if not 0 <= first <= last <= maximum:
        raise ValidationError("%s: %r is not a number or a range 'start-end' within 0-%d" % (option, value, maximum))
    return '%d-%d' % (first, last)


def short_range(text):
    first, last = text.split('-')
    return first if first == last else text


def ip_protocol(value, option='ipproto'):
    text = str(value)
    if text.startswith('ipproto-'):  # how iproute2 prints a number /etc/protocols does not name
        text = text[len('ipproto-'):]
    elif text not in IP_PROTOCOLS and not text.isdigit():
        try:
            text = str(socket.getprotobyname(text))  # the host's /etc/protocols, as iproute2 reads it
        except OSError:
            pass
    return name_of(number(text, option, 255, IP_PROTOCOLS), IP_PROTOCOLS)


def table_name(value, option='table'):
    return name_of(number(value, option, U32, TABLES), TABLES)


def prefix(value, option):
    if value in (None, 'all'):
        return None
    try:
        return str(ipaddress.ip_interface(value))
    except ValueError:
        raise ValidationError('%s: %r is not an IPv4/IPv6 prefix (or all)' % (option, value))


def fwmask_of(rule):
    """The mask the kernel holds: all ones for a mark given without one, nothing without a mark."""
    if rule.get('fwmask') is not None:
        return rule['fwmask']
    return U32 if rule.get('fwmark') is not None else 0


def finds(request, rule):
    """Whether the kernel's lookup for RTM_DELRULE (rule_find) with ``request``'s fields hits ``rule``:
    family, priority and action always count; every other field only when the request sets it."""
    if any(request[name] != rule[name] for name in ('family', 'priority', 'action')):
        return False
    for name in SELECTORS + SUPPRESSORS + ('table', 'protocol'):
        value = fwmask_of(request) if name == 'fwmask' else request.get(name)
        if value in (None, False, 0, 'unspec'):
            continue
        if (fwmask_of(rule) if name == 'fwmask' else rule.get(name)) != value:
            return False
    return True


def specificity(rule):
    return sum(1 for name in SELECTORS + SUPPRESSORS + ('table', 'protocol')
               if rule.get(name) not in (None, False, 0, 'unspec'))


def insert_at(rules, rule):
    """Where the kernel puts a new rule: after the last one of lower or equal priority."""
    position = len([r for r in rules if r['priority'] <= rule['priority']])
    rules.insert(position, rule)


class Rule(Resource):
    identity = ('family', 'priority') + SELECTORS + ('protocol', 'action', 'table') + SUPPRESSORS
    scope = ('family', 'table', 'priority_range')
    attributes = (
        Attribute('invert', default=False),
        Attribute('goto'),
    )
    options = {
        'family': dict(type='str', choices=sorted(FAMILIES)),
        'priority': dict(type='int'),
        'priority_range': dict(type='list', elements='int'),
        'invert': dict(type='bool'),
        'from': dict(type='str'),
        'to': dict(type='str'),
        'tos': dict(type='raw'),
        'dscp': dict(type='int'),
        'fwmark': dict(type='raw'),
        'fwmask': dict(type='raw'),
        'iif': dict(type='str'),
        'oif': dict(type='str'),
        'l3mdev': dict(type='bool'),
        'uidrange': dict(type='raw'),
        'ipproto': dict(type='raw'),
        'sport': dict(type='raw'),
        'dport': dict(type='raw'),
        'protocol': dict(type='raw'),
        'action': dict(type='str', choices=sorted(ACTIONS) + ['table']),
        'table': dict(type='raw'),
        'goto': dict(type='int'),
        'suppress_prefixlength': dict(type='int'),
        'suppress_ifgroup': dict(type='int'),
    }
    mutually_exclusive = [('tos', 'dscp')]

    # -- desired side -----------------------------------------------------------------------------
    def check_request(self, state, wants):
        Resource.check_request(self, state, wants)
        bounds = self.scope_values.get('priority_range')
        if bounds is not None and (len(bounds) != 2 or not 0 <= bounds[0] <= bounds[1] <= U32):
            raise ValidationError('priority_range: %r is not [min, max] with 0 <= min <= max <= %d' % (bounds, U32))
        if self.scope_values.get('table') is not None:
            table_name(self.scope_values['table'])
        scoped = any(self.scope_values.get(name) is not None for name in self.scope)
        self.narrow = state in ('merged', 'replaced', 'rendered') or (state == 'deleted' and bool(wants))
        if (state == 'overridden' or (state == 'deleted' and not wants)) and not scoped:
            raise ValidationError('state=%s without a config list removes every rule: set priority_range, table '
                                  'or family to say which rules' % state)
        if state in ('merged', 'replaced', 'rendered') and not wants and scoped:
            # top-level table/family alone are the scope, not a rule: say so rather than do nothing
            raise ValidationError('state=%s: no rule given - priority_range, table and family alone are the scope '
                                  'of overridden and deleted; give the rule a priority, a selector or an action '
                                  '(or use config)' % state)

    def normalize(self, item):
        want = dict((name, item.get(name)) for name in self.options if name != 'priority_range')
        for option in ('from', 'to'):
            want[option] = prefix(want[option], option)
        versions = set(ipaddress.ip_interface(want[o]).version for o in ('from', 'to') if want[o])
        family = want['family'] or ('inet6' if versions == {6} else 'inet')
        if len(versions) > 1 or versions - {4 if family == 'inet' else 6}:
            raise ValidationError('from/to: %s and %s are not both of family %s'
                                  % (want['from'] or 'all', want['to'] or 'all', family))
        want['family'] = family
        want['priority'] = None if want['priority'] is None else number(want['priority'], 'priority')
        want['invert'] = bool(want['invert'])
        want['l3mdev'] = bool(want['l3mdev'])
        if want['tos'] is not None:
            want['tos'] = number(want['tos'], 'tos', 255, DSFIELD_NAMES) or None  # tos 0 matches any
        if want['dscp'] is not None:
            want['dscp'] = number(want['dscp'], 'dscp', 63)
        for option in ('fwmark', 'fwmask'):
            if want[option] is not None:
                want[option] = number(want[option], option)
        if want['fwmask'] is not None and want['fwmark'] is None:
            raise ValidationError('fwmask: a mask applies to fwmark; give fwmark too')
        if want['fwmask'] == U32:
            want['fwmask'] = None  # what the kernel holds for a mark given alone
        for option in ('iif', 'oif'):
            if want[option] is not None:
                valid_name(want[option], option)
        if want['uidrange'] is not None:
            want['uidrange'] = port_range(want['uidrange'], 'uidrange', U32)
        for option in ('sport', 'dport'):
            if want[option] is not None:
                want[option] = short_range(port_range(want[option], option))
        if want['ipproto'] is not None:
            want['ipproto'] = ip_protocol(want['ipproto'])
        want['protocol'] = name_of(number(want['protocol'] or 'unspec', 'protocol', 255, PROTOCOLS), PROTOCOLS)
        for option in SUPPRESSORS:
            if want[option] is not None:
                want[option] = number(want[option], option, U32 - 1)
        self.normalize_action(want)
        return want

    def normalize_action(self, want):
        action = {'table': 'to_tbl', None: 'goto' if want['goto'] is not None else 'to_tbl'}.get(
            want['action'], want['action'])
        if (action == 'goto') != (want['goto'] is not None):
            raise ValidationError('goto: the priority to jump to is given with action goto, and only then')
        table = table_name(want['table']) if want['table'] is not None else None
        if action != 'to_tbl' or want['l3mdev']:
            if table is not None:
                raise ValidationError('table: a rule with %s looks up no table; give none' % (
                    'l3mdev' if want['l3mdev'] else 'action ' + action))
        elif table is None:
            table = 'main'  # as `ip rule add`
        elif table == '0':
            raise ValidationError('table: 0 is no table; use main, local, default or 1-%d' % U32)
        want['action'], want['table'] = action, table

    def in_scope(self, have):
        if self.scope_values.get('family') not in (None, have['family']):
            return False
        if self.scope_values.get('table') is not None and table_name(self.scope_values['table']) != have['table']:
            return False
        bounds = self.scope_values.get('priority_range')
        if bounds is None:  # the kernel's own rules are in scope only inside a range that is given
            return have['protocol'] != PROTOCOL_KERNEL
        return bounds[0] <= have['priority'] <= bounds[1]

    # -- reading ----------------------------------------------------------------------------------
    def gather(self):
        wants = getattr(self, 'wants', [])
        # one family when the items and the scope name only that one, and nothing else is read or purged
        families = set(w['family'] for w in wants) | {self.scope_values.get('family')}
        if len(families - {None}) != 1 or (None in families and not getattr(self, 'narrow', False)):
            families = set(FAMILIES)
        msg_class = rule_message()
        self.lists = {}
        for family in sorted(families - {None}):
            request = msg_class()
            request['family'] = FAMILIES[family]
            self.lists[family] = [self.from_message(msg) for msg in self.conn.dump(request, RTM_GETRULE, msg_class)]
        self.resolve_priorities(wants)
        return [rule for family in sorted(self.lists) for rule in self.lists[family]]

    def resolve_priorities(self, wants):
        """A rule given without a priority is the first one that matches it otherwise; a new one gets the
        priority the kernel would give it (one less than the second rule's), so that plans and rendered
        commands are explicit."""
        planned = dict((family, list(rules)) for family, rules in self.lists.items())
        for want in wants:
            if want['priority'] is not None:
                continue
            rules = planned[want['family']]
            same = [r for r in rules if self.key(dict(r, priority=None)) == self.key(want)]
            if same:
                want['priority'] = same[0]['priority']
                continue
            want['priority'] = rules[1]['priority'] - 1 if len(rules) > 1 and rules[1]['priority'] else 0
            insert_at(rules, want)

    @staticmethod
    def from_message(msg):
        family = rtnl.FAMILY_NAMES[msg['family']]
        action = name_of(msg['action'], ACTIONS)
        mark, mask = msg.get_attr('FRA_FWMARK'), msg.get_attr('FRA_FWMASK')
        have = {
            'family': family,
            'priority': msg.get_attr('FRA_PRIORITY') or 0,
            'invert': bool(msg['flags'] & FIB_RULE_INVERT),
            'from': None, 'to': None,
            'tos': msg['tos'] or None,
            'dscp': msg.get_attr('FRA_DSCP'),
            'fwmark': mark if mark or mask else None,
            'fwmask': mask if mask not in (None, U32) else None,
            'iif': msg.get_attr('FRA_IIFNAME'),
            'oif': msg.get_attr('FRA_OIFNAME'),
            'l3mdev': bool(msg.get_attr('FRA_L3MDEV')),
            'uidrange': None,
            'ipproto': ip_protocol(msg.get_attr('FRA_IP_PROTO')) if msg.get_attr('FRA_IP_PROTO') else None,
            'sport': None, 'dport': None,
            'protocol': name_of(msg.get_attr('FRA_PROTOCOL') or 0, PROTOCOLS),
            'action': action,
            'table': None,
            'goto': msg.get_attr('FRA_GOTO') if action == 'goto' else None,
        }
        for name, attr, length in (('from', 'FRA_SRC', 'src_len'), ('to', 'FRA_DST', 'dst_len')):
            if msg[length]:
                have[name] = str(ipaddress.ip_interface('%s/%d' % (msg.get_attr(attr), msg[length])))
        for name, attr in (('uidrange', 'FRA_UID_RANGE'), ('sport', 'FRA_SPORT_RANGE'), ('dport', 'FRA_DPORT_RANGE')):
            value = msg.get_attr(attr)  # pyroute2 decodes a range as 'start:end'
            if value:
                text = value.replace(':', '-')
                have[name] = text if name == 'uidrange' else short_range(text)
        table = msg.get_attr('FRA_TABLE') or msg['table']
        if table and action == 'to_tbl':  # other tools may store one with other actions, never looked up
            have['table'] = table_name(table)
        for name, attr in (('suppress_prefixlength', 'FRA_SUPPRESS_PREFIXLEN'),
                           ('suppress_ifgroup', 'FRA_SUPPRESS_IFGROUP')):
            value = msg.get_attr(attr)
            have[name] = value if value not in (None, U32) else None
        return have

    # -- writing ----------------------------------------------------------------------------------
    def order(self, changes):
        """Deletions first, the rules with more selectors before those with fewer: the kernel deletes the
        first rule that matches the fields a request gives, so a rule with fewer selectors must not be
        asked for while a longer one it matches comes before it. Where that cannot be avoided, refuse."""
        deletes = sorted((c for c in changes if c.op == 'delete'), key=lambda c: -specificity(c.before))
        ordered = deletes + [c for c in changes if c.op != 'delete']
        lists = dict((family, list(rules)) for family, rules in getattr(self, 'lists', {}).items())
        for change in ordered:
            rules = lists.setdefault((change.before or change.after)['family'], [])
            if change.op in ('delete', 'update'):
                hit = next((r for r in rules if finds(change.before, r)), None)
                if hit is not None and self.key(hit) != change.key:
                    raise ValidationError(
                        "cannot delete the rule '%s' alone: the kernel deletes the first rule that matches the "
                        "fields it is given, and that is '%s'; delete or re-prioritize that one as well"
                        % (self.label(change.key), self.label(self.key(hit))))
                if hit is not None:
                    rules.remove(hit)
            if change.op in ('create', 'update'):
                insert_at(rules, change.after)
        return ordered

    def message(self, rule):
        msg = rule_message()()
        msg['family'] = FAMILIES[rule['family']]
        msg['action'] = ACTIONS[rule['action']]
        msg['flags'] = FIB_RULE_INVERT if rule.get('invert') else 0
        msg['tos'] = rule.get('tos') or 0
        attrs = [('FRA_PRIORITY', rule['priority'])]
        for name, attr, length in (('from', 'FRA_SRC', 'src_len'), ('to', 'FRA_DST', 'dst_len')):
            if rule.get(name):
                network = ipaddress.ip_interface(rule[name])
                msg[length] = network.network.prefixlen
                attrs.append((attr, str(network.ip)))
        if rule.get('table'):
            table = TABLES.get(rule['table']) or int(rule['table'])
            msg['table'] = table if table < 256 else 0
            attrs.append(('FRA_TABLE', table))
        if rule.get('fwmark') is not None:
            attrs += [('FRA_FWMARK', rule['fwmark']), ('FRA_FWMASK', fwmask_of(rule))]
        for name, attr in (('iif', 'FRA_IIFNAME'), ('oif', 'FRA_OIFNAME'), ('dscp', 'FRA_DSCP'), ('goto', 'FRA_GOTO'),
                           ('suppress_prefixlength', 'FRA_SUPPRESS_PREFIXLEN'),
                           ('suppress_ifgroup', 'FRA_SUPPRESS_IFGROUP')):
            if rule.get(name) is not None:
                attrs.append((attr, rule[name]))
        if rule.get('l3mdev'):
            attrs.append(('FRA_L3MDEV', 1))
        if rule.get('ipproto'):
            attrs.append(('FRA_IP_PROTO', IP_PROTOCOLS.get(rule['ipproto']) or int(rule['ipproto'])))
        for name, attr in (('uidrange', 'FRA_UID_RANGE'), ('sport', 'FRA_SPORT_RANGE'), ('dport', 'FRA_DPORT_RANGE')):
            if rule.get(name):
                attrs.append((attr, port_range(rule[name], name, U32).replace('-', ':')))
        if rule.get('protocol') not in (None, 'unspec'):
            attrs.append(('FRA_PROTOCOL', PROTOCOLS.get(rule['protocol']) or int(rule['protocol'])))
        msg['attrs'] = attrs
        return msg

    def requests(self, change):
        requests = []
        if change.op in ('delete', 'update'):
            requests.append((self.message(change.before), RTM_DELRULE, 0))
        if change.op in ('create', 'update'):
            requests.append((self.message(change.after), RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL))
        return requests

    # -- as iproute2 commands -----------------------------------------------------------------------
    @staticmethod
    def words(rule):
        words = ['not'] if rule.get('invert') else []
        words += ['pref', rule['priority']]
        for name in SELECTORS:
            value = rule.get(name)
            if value in (None, False) or name == 'fwmask':
                continue
            if name == 'l3mdev':
                words.append(name)
            elif name == 'tos':
                words += [name, '0x%02x' % value]
            elif name == 'fwmark':
                words += [name, '0x%x' % value + ('/0x%x' % rule['fwmask'] if rule.get('fwmask') is not None else '')]
            elif name == 'ipproto':  # by number: names need /etc/protocols where the command runs
                words += [name, IP_PROTOCOLS.get(value) or value]
            else:
                words += [name, value]
        if rule.get('protocol') not in (None, 'unspec'):
            words += ['protocol', rule['protocol']]
        if rule['action'] == 'to_tbl':
            words += ['table', rule['table']] if rule.get('table') else []
        elif rule['action'] == 'goto':
            words += ['goto', rule.get('goto')]  # a label names no target: it is not identity
        else:
            words.append(rule['action'])
        for name in SUPPRESSORS:
            if rule.get(name) is not None:
                words += [name, rule[name]]
        return words

    def command(self, verb, rule):
        # `ip rule` takes the family from -6 only (not from the addresses): `ip -batch` replays such lines
        # with `ip -6 -batch`
        return self.ip(*(['-6'] if rule['family'] == 'inet6' else []) + ['rule', verb] + self.words(rule))

    def render(self, change):
        commands = []
        if change.op in ('delete', 'update'):
            commands.append(self.command('del', change.before))
        if change.op in ('create', 'update'):
            commands.append(self.command('add', change.after))
        return commands

    def label(self, key):
        rule = dict(zip(self.identity, key))
        return '%s %s' % (rule['family'], ' '.join(str(w) for w in self.words(rule) if w is not None))

    @classmethod
    def parse(cls, text):
        """``ip -j -d rule show`` output (a list) or {"inet": <that>, "inet6": <ip -6 -j -d rule show>}."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError('running_config is not JSON from `ip -j -d rule show`: %s' % exc)
        if isinstance(data, list):
            data = {None: data}
        if not isinstance(data, dict) or not set(data) <= {None, 'inet', 'inet6'}:
            raise ValidationError('running_config: expected a list from `ip -j -d rule show`, or a mapping of '
                                  'inet and inet6 to such lists')
        resource = cls(None, {})
        return [resource.normalize(cls.from_json(entry, family)) for family, entries in sorted(
            data.items(), key=lambda pair: str(pair[0])) for entry in entries]

    @staticmethod
    def from_json(entry, family):
        item = {'family': family, 'priority': entry.get('priority', 0), 'invert': 'not' in entry,
                'l3mdev': 'l3mdev' in entry}
        for name, key in (('from', 'src'), ('to', 'dst')):
            if entry.get(key, 'all') != 'all':
                item[name] = entry[key] + ('/%d' % entry[key + 'len'] if key + 'len' in entry else '')
        for name in ('tos', 'dscp', 'fwmark', 'fwmask', 'iif', 'oif', 'ipproto', 'protocol', 'goto'):
            item[name] = entry.get(name)
        for name, key in (('uidrange', 'uid'), ('sport', 'sport'), ('dport', 'dport')):
            if key + '_start' in entry:
                item[name] = '%s-%s' % (entry[key + '_start'], entry[key + '_end'])
            elif name != 'uidrange':
                item[name] = entry.get(name)
        item['action'] = 'nop' if 'nop' in entry else 'goto' if 'goto' in entry else entry.get('action', 'to_tbl')
        if item['action'] == 'to_tbl' and not item['l3mdev']:
            item['table'] = entry.get('table', 'main')
        item['suppress_prefixlength'] = entry.get('suppress_prefixlen')
        group = entry.get('suppress_ifgroup')
        item['suppress_ifgroup'] = None if group is None else number(group, 'suppress_ifgroup', U32, {'default': 0})
        return item

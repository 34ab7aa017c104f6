# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Nexthop objects and groups (RTM_*NEXTHOP): identity id; purge scope: protocol, id range, device.

pyroute2 has no nexthop message: ``nhmsg`` below follows linux/nexthop.h.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import ipaddress
import json
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError

RTM_NEWNEXTHOP, RTM_DELNEXTHOP, RTM_GETNEXTHOP = 104, 105, 106
RTNH_F_ONLINK = 4
NEXTHOP_GRP_TYPES = {'mpath': 0, 'resilient': 1}
GRP = struct.Struct('=IBBH')  # struct nexthop_grp; weight is stored minus one
MAX_ID = 0xFFFFFFFF
USER_HZ = 100  # the resilient timers are clock_t on the wire, seconds here (as in iproute2)
FAMILIES = {'inet': rtnl.AF_INET, 'inet6': rtnl.AF_INET6}
PROTOCOLS, PROTOCOL_NAMES = rtnl.PROTOCOLS, rtnl.PROTOCOL_NAMES
RESILIENT = ('buckets', 'idle_timer', 'unbalanced_timer')
# Beyond this many wanted ids missing from a filtered dump, one unfiltered dump is cheaper than a GET each.
GET_LIMIT = 32


_CLASSES = []


def nhmsg_class():
    """struct nhmsg and the NHA_* attributes (linux/nexthop.h); built on first use (pyroute2 is lazy)."""
    if not _CLASSES:
        from pyroute2.netlink import nla, nlmsg

        class nhmsg(nlmsg):
            prefix = 'NHA_'
            fields = (('family', 'B'), ('scope', 'B'), ('protocol', 'B'), ('resvd', 'B'), ('flags', 'I'))
            nla_map = ((0, 'NHA_UNSPEC', 'none'), (1, 'NHA_ID', 'uint32'), (2, 'NHA_GROUP', 'cdata'),
                       (3, 'NHA_GROUP_TYPE', 'uint16'), (4, 'NHA_BLACKHOLE', 'flag'), (5, 'NHA_OIF', 'uint32'),
                       (6, 'NHA_GATEWAY', 'ipaddr'), (7, 'NHA_ENCAP_TYPE', 'uint16'), (8, 'NHA_ENCAP', 'cdata'),
                       (9, 'NHA_GROUPS', 'flag'), (10, 'NHA_MASTER', 'uint32'), (11, 'NHA_FDB', 'flag'),
                       (12, 'NHA_RES_GROUP', 'res_group | nested'), (13, 'NHA_RES_BUCKET', 'cdata'))

            class res_group(nla):
                prefix = 'NHA_RES_GROUP_'
                nla_map = ((0, 'NHA_RES_GROUP_PAD', 'none'), (1, 'NHA_RES_GROUP_BUCKETS', 'uint16'),
                           (2, 'NHA_RES_GROUP_IDLE_TIMER', 'uint32'),
                           (3, 'NHA_RES_GROUP_UNBALANCED_TIMER', 'uint32'),
                           (4, 'NHA_RES_GROUP_UNBALANCED_TIME', 'uint64'))
        _CLASSES.append(nhmsg)
    return _CLASSES[0]


def encode_group(members):
    return b''.join(GRP.pack(m['id'], m['weight'] - 1, 0, 0) for m in members)


def decode_group(data):
    entries = (GRP.unpack_from(data, offset) for offset in range(0, len(data) - GRP.size + 1, GRP.size))
    return [{'id': nh_id, 'weight': weight + 1} for nh_id, weight, _resvd1, _resvd2 in entries]


def protocol_name(value, option='protocol'):
    """A protocol by name or number (0-255), as its canonical name (a number iproute2 has no name for)."""
    if isinstance(value, int) or str(value).isdigit():
        number = int(value)
        if 0 <= number <= 255:
            return PROTOCOL_NAMES.get(number, str(number))
    elif str(value) in PROTOCOLS:
        return str(value)
    raise ValidationError('%s: %r is not a routing protocol; use one of %s or a number 0-255'
                          % (option, value, ', '.join(sorted(PROTOCOLS))))


def protocol_number(name):
    return PROTOCOLS[name] if name in PROTOCOLS else int(name)


def id_range(value, option='ids'):
    """'N' or 'N-M' (1-4294967295) as (first, last)."""
    text = str(value).strip()
    parts = text.split('-', 1)
    try:
        first, last = int(parts[0]), int(parts[-1])
    except ValueError:
        first = last = 0
    if not 1 <= first <= last <= MAX_ID:
        raise ValidationError("%s: %r is not a nexthop id or range; use 'N' or 'N-M' with 1 <= N <= M <= %d"
                              % (option, value, MAX_ID))
    return first, last


def set_of_members(want, have):
    return sorted((m['id'], m['weight']) for m in want) == sorted((m['id'], m['weight']) for m in have or [])


def subset_equal(want, have):
    have = have or {}
    return all(value is None or have.get(name) == value for name, value in want.items())


class Nexthop(Resource):
    identity = ('id',)
    scope = ('protocol', 'ids', 'dev')
    attributes = (
        Attribute('family'),
        Attribute('gateway'),
        Attribute('dev'),
        Attribute('blackhole', default=False),
        Attribute('onlink', default=False),
        Attribute('fdb', default=False),
        Attribute('protocol', default='unspec'),
        Attribute('group', equal=set_of_members),
        Attribute('group_type'),
        Attribute('resilient', equal=subset_equal),
    )
    options = dict(
        id=dict(type='int', required=True),
        ids=dict(type='str'),
        gateway=dict(type='str'),
        dev=dict(type='str'),
        blackhole=dict(type='bool'),
        onlink=dict(type='bool'),
        fdb=dict(type='bool'),
        family=dict(type='str', choices=sorted(FAMILIES)),
        protocol=dict(type='str'),
        group=dict(type='list', elements='dict', options=dict(id=dict(type='int', required=True),
                                                              weight=dict(type='int'))),
        group_type=dict(type='str', choices=sorted(NEXTHOP_GRP_TYPES)),
        resilient=dict(type='dict', options=dict((name, dict(type='int')) for name in RESILIENT)),
    )

    # -- desired side -----------------------------------------------------------------------------
    def normalize(self, item):
        want = dict((attr.name, item.get(attr.name)) for attr in self.attributes)
        want['id'] = item.get('id')
        if not 1 <= want['id'] <= MAX_ID:
            raise ValidationError('id: %r is not a nexthop id; use 1-%d' % (want['id'], MAX_ID))
        if want['protocol'] is not None:
            want['protocol'] = protocol_name(want['protocol'])
        if item.get('ids') is not None:
            id_range(item['ids'])
        # the top-level dev is a scope and a default for nexthops that have a device, not for the others
        if want['dev'] == self.scope_values.get('dev') and (want['group'] or want['blackhole'] or want['fdb']):
            want['dev'] = None
        if want['group'] is not None:
            return self.normalize_group(want)
        for name in ('group_type', 'resilient'):
            if want[name] is not None:
                raise ValidationError('%s: only a nexthop group (group) has a %s' % (name, name))
        if want['gateway']:
            try:
                gateway = ipaddress.ip_address(want['gateway'])
            except ValueError:
                raise ValidationError('gateway: %r is not an IPv4/IPv6 address' % want['gateway'])
            family = 'inet' if gateway.version == 4 else 'inet6'
            if want['family'] not in (None, family):
                raise ValidationError('family: %s does not match gateway %s' % (want['family'], gateway))
            want['gateway'], want['family'] = str(gateway), family
        if want['blackhole']:
            if want['gateway'] or want['dev'] or want['onlink'] or want['fdb']:
                raise ValidationError('blackhole: a blackhole nexthop has no gateway, dev, onlink or fdb')
            want['gateway'] = want['dev'] = ''
        elif want['fdb']:
            if want['dev'] or want['onlink']:
                raise ValidationError('fdb: a nexthop for the bridge FDB has a gateway only, no dev or onlink')
            if not want['gateway']:
                raise ValidationError('fdb: a nexthop for the bridge FDB needs a gateway')
            want['dev'], want['blackhole'] = '', False
        elif want['gateway'] or want['dev']:
            want['blackhole'] = False
            if want['dev']:
                want['fdb'] = False
        return want

    def normalize_group(self, want):
        for name in ('gateway', 'dev', 'family'):
            if want[name]:
                raise ValidationError('%s: a nexthop group has no %s (its members have)' % (name, name))
        for name in ('blackhole', 'onlink'):
            if want[name]:
                raise ValidationError('%s: a nexthop group cannot be %s (its members can)' % (name, name))
        if not want['group']:
            raise ValidationError('group: a nexthop group needs at least one member')
        members, seen = [], set()
        for member in want['group']:
            weight = 1 if member.get('weight') is None else member['weight']
            if not 1 <= member['id'] <= MAX_ID or not 1 <= weight <= 256:
                raise ValidationError('group: %r is not a member; give an id 1-%d and a weight 1-256'
                                      % (member, MAX_ID))
            if member['id'] in seen or member['id'] == want['id']:
                raise ValidationError('group: nexthop %d is listed twice or is the group itself' % member['id'])
            seen.add(member['id'])
            members.append({'id': member['id'], 'weight': weight})
        want['group'] = members
        if want['resilient'] is not None:
            want['resilient'] = dict((k, v) for k, v in want['resilient'].items() if v is not None)
            if want['group_type'] not in (None, 'resilient'):
                raise ValidationError('resilient: only a group of group_type resilient has these options')
            want['group_type'] = 'resilient'
        want['gateway'] = want['dev'] = want['family'] = None
        want['blackhole'] = want['onlink'] = False
        return want

    def check_request(self, state, wants):
        self.state = state
        Resource.check_request(self, state, wants)
        purging = state == 'overridden' or (state == 'deleted' and not wants)
        if purging and all(self.scope_values.get(name) is None for name in self.scope):
            raise ValidationError('state=%s without a config list removes every nexthop in scope: set protocol, '
                                  'ids and/or dev to say which' % state)
        if self.scope_values.get('ids') is not None:
            self.id_bounds = id_range(self.scope_values['ids'])
        if self.scope_values.get('protocol') is not None:
            self.scope_values['protocol'] = protocol_name(self.scope_values['protocol'])

    def in_scope(self, have):
        bounds = getattr(self, 'id_bounds', None)
        return (self.scope_values.get('protocol') in (None, have['protocol'])
                and self.scope_values.get('dev') in (None, have.get('dev'))
                and (bounds is None or bounds[0] <= have['id'] <= bounds[1]))

    # -- reading ----------------------------------------------------------------------------------
    def gather(self):
        nhmsg = nhmsg_class()
        self.indexes = rtnl.link_indexes(self.conn)
        names = dict((index, name) for name, index in self.indexes.items())
        wants = getattr(self, 'wants', [])
        dev = self.scope_values.get('dev')
        if dev is not None and dev not in self.indexes:
            haves, filtered = [], True  # nothing is in the scope of a device that does not exist
        else:
            request = nhmsg()
            request['attrs'] = self.dump_filter(wants)
            filtered = bool(request['attrs'])
            haves = [self.from_message(msg, names) for msg in self.conn.dump(request, RTM_GETNEXTHOP, nhmsg)]
        # a wanted id may exist outside the filter (on another device, as a single nexthop...): ask for it,
        # one by one when few are missing, else with a dump of all
        found = set(h['id'] for h in haves)
        missing = [w['id'] for w in wants if w['id'] not in found] if filtered else []
        if len(missing) > GET_LIMIT:
            haves = [self.from_message(msg, names) for msg in self.conn.dump(nhmsg(), RTM_GETNEXTHOP, nhmsg)]
        else:
            haves += [h for h in (self.get(nh_id, names) for nh_id in missing) if h]
        if any(self.scope_values.get(name) is not None for name in self.scope):
            wanted = set(w['id'] for w in wants)
            haves = [h for h in haves if h['id'] in wanted or self.in_scope(h)]
        return haves

    def dump_filter(self, wants):
        """Kernel-side filter attributes: what the purge scope needs, or else what every wanted object has."""
        state = getattr(self, 'state', None)
        if state == 'overridden' or (state in ('deleted', 'gathered') and not wants):
            dev = self.scope_values.get('dev')
            return [('NHA_OIF', self.indexes[dev])] if dev is not None else []
        devs = set(w.get('dev') for w in wants)
        if len(devs) == 1 and next(iter(devs)) in self.indexes:
            return [('NHA_OIF', self.indexes[next(iter(devs))])]
        if wants and all(w.get('group') for w in wants):
            return [('NHA_GROUPS', True)] + ([('NHA_FDB', True)] if all(w.get('fdb') for w in wants) else [])
        if wants and all(w.get('fdb') for w in wants):
            return [('NHA_FDB', True)]
        return []

    def get(self, nh_id, names):
        nhmsg = nhmsg_class()
        request = nhmsg()
        request['attrs'] = [('NHA_ID', nh_id)]
        try:
            replies = self.conn.request(request, RTM_GETNEXTHOP, reply_class=nhmsg)
        except NetlinkError as exc:
            if exc.code == errno.ENOENT:
                return None
            raise
        return self.from_message(replies[0], names) if replies else None

    @staticmethod
    def from_message(msg, names):
        group, oif, res = msg.get_attr('NHA_GROUP'), msg.get_attr('NHA_OIF'), msg.get_attr('NHA_RES_GROUP')
        single = group is None
        group_type = msg.get_attr('NHA_GROUP_TYPE') or 0
        return {
            'id': msg.get_attr('NHA_ID'),
            'family': dict((v, k) for k, v in FAMILIES.items()).get(msg['family']) if single else None,
            'gateway': (msg.get_attr('NHA_GATEWAY') or '') if single else None,
            'dev': (names.get(oif, str(oif)) if oif else '') if single else None,
            'blackhole': msg.get_attr('NHA_BLACKHOLE') is not None,
            'onlink': bool(msg['flags'] & RTNH_F_ONLINK),
            'fdb': msg.get_attr('NHA_FDB') is not None,
            'protocol': PROTOCOL_NAMES.get(msg['protocol'], str(msg['protocol'])),
            'group': None if single else decode_group(group),
            'group_type': None if single else dict((v, k) for k, v in NEXTHOP_GRP_TYPES.items()).get(
                group_type, str(group_type)),
            'resilient': None if res is None else {
                'buckets': res.get_attr('NHA_RES_GROUP_BUCKETS'),
                'idle_timer': (res.get_attr('NHA_RES_GROUP_IDLE_TIMER') or 0) // USER_HZ,
                'unbalanced_timer': (res.get_attr('NHA_RES_GROUP_UNBALANCED_TIMER') or 0) // USER_HZ},
        }

    # -- writing ----------------------------------------------------------------------------------
    def order(self, changes):
        """Groups are deleted first and made last; their members are made first and deleted last.

        Changes the kernel cannot make in place (a nexthop into a group, a group's type or bucket count)
        are refused here, before anything is applied: deleting and re-adding would delete the routes
        that use the nexthop. So is deleting a nexthop a remaining group uses: the kernel would change
        that group behind the task's back.
        """
        for change in changes:
            if change.op == 'update':
                self.check_in_place(change)
                if change.delta.get('resilient') and change.before.get('resilient'):
                    change.after['resilient'] = dict(change.before['resilient'], **change.delta['resilient'])
        self.check_members(changes)

        def is_group(change):
            return bool((change.after or change.before).get('group'))
        deletes = [c for c in changes if c.op == 'delete']
        writes = [c for c in changes if c.op != 'delete']
        return ([c for c in deletes if is_group(c)] + [c for c in writes if not is_group(c)]
                + [c for c in writes if is_group(c)] + [c for c in deletes if not is_group(c)])

    def check_members(self, changes):
        deleted = set(c.key[0] for c in changes if c.op == 'delete' and not c.before.get('group'))
        if not deleted:
            return
        nhmsg = nhmsg_class()
        request = nhmsg()
        request['attrs'] = [('NHA_GROUPS', True)]
        groups = dict((msg.get_attr('NHA_ID'), decode_group(msg.get_attr('NHA_GROUP')))
                      for msg in self.conn.dump(request, RTM_GETNEXTHOP, nhmsg))
        for change in changes:
            if (change.after or change.before).get('group'):
                groups[change.key[0]] = (change.after or {}).get('group') or []
        for group_id, members in sorted(groups.items()):
            used = sorted(deleted & set(m['id'] for m in members))
            if used:
                raise ValidationError('nexthop %d: group %d still uses it after this task, and deleting a member '
                                      'changes the group (the kernel drops the member, and deletes a group left '
                                      'empty); list group %d with its new members, or delete it too'
                                      % (used[0], group_id, group_id))

    def check_in_place(self, change):
        before, delta, label = change.before, change.delta, 'nexthop %d' % change.key[0]
        if bool(before.get('group')) != bool(change.after.get('group')) or (
                before.get('group') and any(delta.get(n) for n in ('gateway', 'dev', 'blackhole', 'onlink'))):
            raise ValidationError('%s: the kernel cannot turn a nexthop into a group or a group into a nexthop in '
                                  'place; delete it first (routes using it are deleted with it)' % label)
        if 'group_type' in delta:
            raise ValidationError('%s: the kernel cannot change group_type (%s to %s) in place; delete the group '
                                  'first (routes using it are deleted with it)'
                                  % (label, before.get('group_type'), delta['group_type']))
        buckets = (delta.get('resilient') or {}).get('buckets')
        if buckets is not None and buckets != (before.get('resilient') or {}).get('buckets'):
            raise ValidationError('%s: the kernel cannot change the number of buckets of a resilient group in '
                                  'place; delete the group first (routes using it are deleted with it)' % label)

    def message(self, item):
        nhmsg = nhmsg_class()
        msg = nhmsg()
        attrs = [('NHA_ID', item['id'])]
        if item.get('protocol') is not None:
            msg['protocol'] = protocol_number(item['protocol'])
        if item.get('group'):
            attrs.append(('NHA_GROUP', encode_group(item['group'])))
            if item.get('group_type') == 'resilient':  # mpath is the kernel's default type (iproute2 omits it)
                res = item.get('resilient') or {}
                attrs += [('NHA_GROUP_TYPE', NEXTHOP_GRP_TYPES['resilient']),
                          ('NHA_RES_GROUP', {'attrs': [
                              (nla, res[name] * (USER_HZ if name != 'buckets' else 1))
                              for name, nla in zip(RESILIENT, ('NHA_RES_GROUP_BUCKETS', 'NHA_RES_GROUP_IDLE_TIMER',
                                                               'NHA_RES_GROUP_UNBALANCED_TIMER'))
                              if res.get(name) is not None]})]
        else:
            msg['family'] = FAMILIES[item.get('family') or 'inet']
            if item.get('onlink'):
                msg['flags'] = RTNH_F_ONLINK
            if item.get('blackhole'):
                attrs.append(('NHA_BLACKHOLE', True))
            if item.get('dev') and not item.get('blackhole') and not item.get('fdb'):
                attrs.append(('NHA_OIF', self.index_of(item['dev'])))
            if item.get('gateway') and not item.get('blackhole'):
                attrs.append(('NHA_GATEWAY', item['gateway']))
        if item.get('fdb'):
            attrs.append(('NHA_FDB', True))
        msg['attrs'] = attrs
        return msg

    def index_of(self, dev):
        index = self.indexes.get(dev) or rtnl.link_indexes(self.conn).get(dev)
        if not index:
            raise NetlinkError(errno.ENODEV, context='dev %s does not exist' % dev)
        return index

    def requests(self, change):
        if change.op == 'delete':
            msg = nhmsg_class()()
            msg['attrs'] = [('NHA_ID', change.key[0])]
            return (msg, RTM_DELNEXTHOP, 0)
        flags = NLM_F_CREATE | (NLM_F_EXCL if change.op == 'create' else NLM_F_REPLACE)
        return (self.message(change.after), RTM_NEWNEXTHOP, flags)

    def apply(self, changes):
        requests, errors = [], {}
        for index, change in enumerate(changes):
            try:
                requests.append((index, self.requests(change)))
            except NetlinkError as exc:
                errors[index] = exc
        failed = self.conn.bulk([request for _index, request in requests])
        errors.update((requests[position][0], error) for position, error in failed.items())
        return errors

    # -- rendering ---------------------------------------------------------------------------------
    def render(self, change):
        if change.op == 'delete':
            return [self.ip('nexthop', 'del', 'id', change.key[0])]
        item = change.after
        words = ['nexthop', 'add' if change.op == 'create' else 'replace', 'id', item['id']]
        if item.get('group'):
            words += ['group', '/'.join('%d,%d' % (m['id'], m['weight']) if m['weight'] != 1 else str(m['id'])
                                        for m in item['group'])]
            if item.get('group_type') == 'resilient':
                words += ['type', 'resilient']
                for name in RESILIENT:
                    if (item.get('resilient') or {}).get(name) is not None:
                        words += [name, item['resilient'][name]]
        elif item.get('blackhole'):
            words.append('blackhole')
        else:
            if item.get('gateway'):
                words += ['via', item['gateway']]
            if item.get('dev') and not item.get('fdb'):
                words += ['dev', item['dev']]
            if item.get('onlink'):
                words.append('onlink')
        if item.get('fdb'):
            words.append('fdb')
        if item.get('protocol') not in (None, 'unspec'):
            words += ['proto', item['protocol']]
        # iproute2 takes the family of a nexthop without gateway from -4/-6 only
        if item.get('family') == 'inet6' and not item.get('gateway'):
            words.insert(0, '-6')
        return [self.ip(*words)]

    @classmethod
    def parse(cls, text):
        """``ip -j nexthop show`` output as a config list."""
        try:
            return [cls.parse_entry(entry) for entry in json.loads(text)]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError('running_config is not JSON from `ip -j nexthop show`: %s' % exc)

    @staticmethod
    def parse_entry(entry):
        group, gateway, args = entry.get('group'), entry.get('gateway', ''), entry.get('resilient_args')
        family = None
        if group is None and gateway:
            family = 'inet' if ipaddress.ip_address(gateway).version == 4 else 'inet6'
        return {
            'id': entry['id'],
            'family': family,
            'gateway': gateway if group is None else None,
            'dev': entry.get('dev', '') if group is None else None,
            'blackhole': 'blackhole' in entry,
            'onlink': 'onlink' in entry.get('flags', []),
            'fdb': 'fdb' in entry,
            'protocol': protocol_name(entry.get('protocol', 'unspec')),
            'group': None if group is None else [{'id': m['id'], 'weight': m.get('weight', 1)} for m in group],
            'group_type': None if group is None else entry.get('type', 'mpath'),
            'resilient': None if args is None else dict((name, args.get(name)) for name in RESILIENT),
        }

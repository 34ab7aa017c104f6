# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP neighbours (RTM_*NEIGH, struct ndmsg; linux/neighbour.h, rt-neigh.yaml): identity dev + dst + proxy.

Purge scope: a device (required), narrowed by family, proxy and nud. Without a nud scope only permanent
entries and proxy entries are purged: the kernel makes noarp entries itself (multicast, broadcast, devices
without ARP) and resolves the others.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import json
import re
import socket
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NLATTR, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLMSGHDR, align4)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.link import valid_name

RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH = 28, 29, 30
NUD = {'none': 0x00, 'incomplete': 0x01, 'reachable': 0x02, 'stale': 0x04, 'delay': 0x08, 'probe': 0x10,
       'failed': 0x20, 'noarp': 0x40, 'permanent': 0x80}
# The states the kernel keeps as they were set; it moves an entry between the others by itself.
STATIC = ('permanent', 'noarp')
# NTF_* in ndm_flags; managed is NTF_EXT_MANAGED in NDA_FLAGS_EXT
NTF = {'use': 0x01, 'extern_learn': 0x10, 'router': 0x80}
NTF_PROXY = 0x08
NTF_EXT_MANAGED = 0x01
# With these the kernel resolves the entry itself and ignores a given lladdr and state.
RESOLVING = ('managed', 'use')
FAMILIES = {'inet': rtnl.AF_INET, 'inet6': rtnl.AF_INET6}
LLADDR = re.compile(r'^[0-9a-f]{1,2}(:[0-9a-f]{1,2})*$')
NDA = {'NDA_DST': 1, 'NDA_LLADDR': 2, 'NDA_IFINDEX': 8, 'NDA_FLAGS_EXT': 15}
NDMSG = struct.Struct('=BxxxiHBB')
U32 = struct.Struct('=I')
NLA_TYPE_MASK = 0x3fff


class NeighMessage:
    """struct ndmsg with the attributes this resource uses, packed with ``struct``: pyroute2's generic codec
    takes about 0.3 ms a message, seconds for the thousands of entries one task may hold. It looks like a
    pyroute2 message to Connection: header and fields by key, encode()/decode(), the attribute table by
    which an extended ack's offset is named."""

    fields = (('family', 'B'), ('__pad', '3x'), ('ifindex', 'i'), ('state', 'H'), ('flags', 'B'), ('ndm_type', 'B'))
    _nlmsg_base__t_nla_map = dict((number, {'name': name, 'class': None}) for name, number in NDA.items())

    def __init__(self, data=None):
        self.data = data
        self.values = {'header': {}, 'family': 0, 'ifindex': 0, 'state': 0, 'flags': 0, 'ndm_type': 0, 'attrs': []}

    def __getitem__(self, key):
        return self.values[key]

    def __setitem__(self, key, value):
        self.values[key] = value

    def get_attr(self, name):
        return next((value for key, value in self.values['attrs'] if key == name), None)

    def encode(self):
        values, header = self.values, self.values['header']
        parts = [NDMSG.pack(values['family'], values['ifindex'], values['state'], values['flags'], values['ndm_type'])]
        for name, value in values['attrs']:
            if name == 'NDA_DST':
                value = socket.inet_pton(socket.AF_INET if values['family'] == rtnl.AF_INET else socket.AF_INET6, value)
            elif name != 'NDA_LLADDR':
                value = U32.pack(value)
            parts.append(NLATTR.pack(NLATTR.size + len(value), NDA[name]) + value + b'\0' * (align4(len(value)) - len(value)))
        body = b''.join(parts)
        self.data = NLMSGHDR.pack(NLMSGHDR.size + len(body), header['type'], header['flags'],
                                  header['sequence_number'], header.get('pid', 0)) + body

    def decode(self):
        data = self.data
        length, msg_type, flags, seq, pid = NLMSGHDR.unpack_from(data)
        self.values['header'] = {'length': length, 'type': msg_type, 'flags': flags, 'sequence_number': seq,
                                 'pid': pid}
        family, ifindex, state, ndm_flags, ndm_type = NDMSG.unpack_from(data, NLMSGHDR.size)
        self.values.update(family=family, ifindex=ifindex, state=state, flags=ndm_flags, ndm_type=ndm_type)
        names = dict((number, name) for name, number in NDA.items())
        offset, attrs = NLMSGHDR.size + NDMSG.size, []
        while offset + NLATTR.size <= length:
            size, kind = NLATTR.unpack_from(data, offset)
            if size < NLATTR.size:
                break
            value, name = data[offset + NLATTR.size:offset + size], names.get(kind & NLA_TYPE_MASK)
            if name == 'NDA_DST':
                value = socket.inet_ntop(socket.AF_INET if family == rtnl.AF_INET else socket.AF_INET6, value)
            elif name in ('NDA_IFINDEX', 'NDA_FLAGS_EXT'):
                value = U32.unpack(value)[0]
            if name:
                attrs.append((name, value))
            offset += align4(size)
        self.values['attrs'] = attrs


def canonical_ip(text):
    """(family, the address as the kernel's dump reads back): inet_ntop's text, as in NeighMessage."""
    for family, name in ((socket.AF_INET, 'inet'), (socket.AF_INET6, 'inet6')):
        try:
            return name, socket.inet_ntop(family, socket.inet_pton(family, str(text)))
        except (OSError, ValueError):
            continue
    raise ValidationError('dst: %r is not an IPv4/IPv6 address' % text)


def nud_equal(want, have):
    """A state the kernel changes by itself (reachable -> stale -> ...) matches any other such state."""
    if want in STATIC or have in STATIC:
        return want == have
    return True


def flags_equal(want, have):
    """use is an action, never a state the kernel reports."""
    return set(want) - {'use'} == set(have or [])


class Neigh(Resource):
    identity = ('dev', 'dst', 'proxy')
    scope = ('dev', 'family', 'proxy', 'nud')
    purge_requires = ('dev',)
    attributes = (
        Attribute('lladdr'),
        Attribute('nud', equal=nud_equal),
        Attribute('flags', default=[], equal=flags_equal),
    )
    options = dict(
        dev=dict(type='str', required=True),
        dst=dict(type='str', required=True),
        lladdr=dict(type='str'),
        nud=dict(type='str', choices=sorted(NUD)),
        flags=dict(type='list', elements='str', choices=sorted(list(NTF) + ['managed', 'proxy'])),
        proxy=dict(type='bool'),
        family=dict(type='str', choices=sorted(FAMILIES)),
    )

    # -- desired side -----------------------------------------------------------------------------
    def normalize(self, item):
        want = dict((name, item.get(name)) for name in self.options)
        valid_name(want['dev'], 'dev')
        family, want['dst'] = canonical_ip(want['dst'])
        if want['family'] not in (None, family):
            raise ValidationError('family: %s, but dst %s is %s' % (want['family'], want['dst'], family))
        want['family'] = family
        flags = set(want['flags'] or [])
        want['proxy'] = bool(want['proxy']) or 'proxy' in flags
        want['flags'] = sorted(flags - {'proxy'})
        if want['lladdr'] is not None:
            text = want['lladdr'].lower()
            if not LLADDR.match(text):
                raise ValidationError('lladdr: %r is not a link-layer address like 02:00:00:00:00:01' % want['lladdr'])
            want['lladdr'] = ':'.join('%02x' % int(part, 16) for part in text.split(':'))
        if want['proxy']:
            for option in ('lladdr', 'nud'):
                if want[option] is not None:
                    raise ValidationError('%s: a proxy entry has no %s; give none' % (option, option))
        elif flags & set(RESOLVING):
            if want['nud'] in STATIC:
                raise ValidationError('nud: with %s the kernel resolves the entry; %s cannot be asked for'
                                      % (' and '.join(sorted(flags & set(RESOLVING))), want['nud']))
            want['lladdr'] = want['nud'] = None  # the kernel ignores both
        elif want['nud'] is None:
            want['nud'] = 'permanent'  # as `ip neigh add`
        return want

    def in_scope(self, have):
        if not Resource.in_scope(self, have):
            return False
        return self.scope_values.get('nud') is not None or have['proxy'] or have['nud'] == 'permanent'

    # -- reading ----------------------------------------------------------------------------------
    def check_request(self, state, wants):
        Resource.check_request(self, state, wants)
        self.narrow = state in ('merged', 'replaced', 'rendered') or (state == 'deleted' and bool(wants))

    def asked(self, wants, name):
        """The values of ``name`` the dump must cover (empty: all): those of the items and the scope; all
        when the scope leaves it open and the task purges or reads everything."""
        scope = self.scope_values.get(name)
        if scope is None and not getattr(self, 'narrow', False):
            return set()
        return set(w[name] for w in wants) | ({scope} if scope is not None else set())

    def gather(self):
        self.indexes = rtnl.link_indexes(self.conn)
        names = dict((index, name) for name, index in self.indexes.items())
        wants = getattr(self, 'wants', [])
        devs, families, kinds = [self.asked(wants, name) for name in ('dev', 'family', 'proxy')]
        ifindex = None
        if len(devs) == 1:
            ifindex = self.indexes.get(devs.pop())
            if ifindex is None:
                return []
        family = FAMILIES[families.pop()] if len(families) == 1 else rtnl.AF_UNSPEC
        haves = []
        for proxy in kinds if len(kinds) == 1 else (False, True):  # proxy entries are a dump of their own
            request = NeighMessage()
            request['family'] = family
            request['flags'] = NTF_PROXY if proxy else 0
            # the kernel filters by device under strict checking (and says so with NLM_F_DUMP_FILTERED);
            # the test below keeps kernels without it right
            request['attrs'] = [('NDA_IFINDEX', ifindex)] if ifindex else []
            for msg in self.conn.dump(request, RTM_GETNEIGH, NeighMessage):
                if msg['family'] in rtnl.FAMILY_NAMES and ifindex in (None, msg['ifindex']):
                    haves.append(self.from_message(msg, names))
        return haves

    @staticmethod
    def from_message(msg, names):
        proxy = bool(msg['flags'] & NTF_PROXY)
        lladdr = msg.get_attr('NDA_LLADDR')
        flags = [name for name, bit in NTF.items() if msg['flags'] & bit]
        if (msg.get_attr('NDA_FLAGS_EXT') or 0) & NTF_EXT_MANAGED:
            flags.append('managed')
        state = msg['state']
        return {
            'dev': names.get(msg['ifindex'], str(msg['ifindex'])),
            'dst': msg.get_attr('NDA_DST'),
            'proxy': proxy,
            'family': rtnl.FAMILY_NAMES[msg['family']],
            'lladdr': ':'.join('%02x' % byte for byte in lladdr) if lladdr else None,
            'nud': None if proxy else next((n for n, bit in NUD.items() if bit == state), '0x%02x' % state),
            'flags': sorted(flags),
        }

    # -- writing ----------------------------------------------------------------------------------
    def message(self, item, delete=False):
        msg = NeighMessage()
        msg['family'] = FAMILIES[item['family']]
        msg['ifindex'] = self.indexes[item['dev']]
        msg['flags'] = NTF_PROXY if item['proxy'] else 0
        attrs = [('NDA_DST', item['dst'])]
        if not delete:
            flags = item.get('flags') or []
            msg['flags'] |= sum(NTF[name] for name in flags if name in NTF)
            if item.get('nud'):
                msg['state'] = NUD[item['nud']]  # none for proxies, and for managed: the kernel refuses permanent
            if item.get('lladdr'):
                attrs.append(('NDA_LLADDR', bytes(int(part, 16) for part in item['lladdr'].split(':'))))
            if 'managed' in flags:
                attrs.append(('NDA_FLAGS_EXT', NTF_EXT_MANAGED))
        msg['attrs'] = attrs
        return msg

    def request(self, change):
        if change.op == 'delete':
            return (self.message(change.before, delete=True), RTM_DELNEIGH, 0)
        flags = NLM_F_CREATE | (NLM_F_EXCL if change.op == 'create' else NLM_F_REPLACE)
        return (self.message(change.after), RTM_NEWNEIGH, flags)

    def apply(self, changes):
        requests, owners, errors = [], [], {}
        for index, change in enumerate(changes):
            if (change.after or change.before)['dev'] not in self.indexes:
                errors[index] = NetlinkError(errno.ENODEV)  # never sent: ifindex 0 means "any device"
                continue
            requests.append(self.request(change))
            owners.append(index)
        for position, error in self.conn.bulk(requests).items():
            errors[owners[position]] = error
        return errors

    def label(self, key):
        dev, dst, proxy = key
        return '%s %s%s' % (dev, 'proxy ' if proxy else '', dst)

    def render(self, change):
        item = change.after or change.before
        words = ['proxy', item['dst']] if item['proxy'] else [item['dst']]
        if change.op == 'delete':
            return [self.ip('neigh', 'del', *(words + ['dev', item['dev']]))]
        if item.get('lladdr'):
            words += ['lladdr', item['lladdr']]
        if item.get('nud'):
            words += ['nud', item['nud']]
        words += ['dev', item['dev']] + (item.get('flags') or [])
        return [self.ip('neigh', 'add' if change.op == 'create' else 'replace', *words)]

    @classmethod
    def parse(cls, text):
        """``ip -j neigh show`` output; several documents one after another (with ``ip -j neigh show proxy``)."""
        decoder, position, entries = json.JSONDecoder(), 0, []
        text = text.strip()
        while position < len(text):
            try:
                document, position = decoder.raw_decode(text, position)
            except ValueError as exc:
                raise ValidationError('running_config is not JSON from `ip -j neigh show`: %s' % exc)
            if not isinstance(document, list):
                raise ValidationError('running_config is not JSON from `ip -j neigh show`: %r is no list of entries'
                                      % (document,))
            entries += document
            while position < len(text) and text[position].isspace():
                position += 1
        resource = cls(None, {})
        config = []
        for entry in entries:
            if 'dev' not in entry:
                raise ValidationError('running_config: an entry without dev (%s): give the output for all devices, '
                                      'without `dev NAME`' % entry.get('dst'))
            item = {'dev': entry['dev'], 'dst': entry.get('dst'), 'lladdr': entry.get('lladdr'),
                    'proxy': 'proxy' in entry, 'flags': sorted(f for f in ('router', 'extern_learn', 'managed')
                                                               if f in entry)}
            if entry.get('state'):
                item['nud'] = entry['state'][0].lower()
            config.append(resource.normalize(item))
        return config

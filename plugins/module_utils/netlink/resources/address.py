# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP addresses (RTM_*ADDR): identity dev + address/prefix; scope for purge: a device."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

FOREVER = 0xFFFFFFFF
# IFA_F_* a user sets; the rest (permanent, tentative, secondary, deprecated, ...) is status.
FLAGS = {'nodad': 0x02, 'optimistic': 0x04, 'home': 0x10, 'mngtmpaddr': 0x100, 'noprefixroute': 0x200,
         'autojoin': 0x400}
IFA_F_TEMPORARY, IFA_F_PERMANENT = 0x01, 0x80
KERNEL_PROTOS = (1, 2, 3)  # IFA_PROTO kernel_lo, kernel_ra, kernel_ll
LINK_LOCAL6 = ipaddress.ip_network('fe80::/10')


def made_by_the_kernel(msg, address):
    """Addresses the kernel made or learned itself, which a purge leaves alone.

    IFA_PROTO says so since Linux 6.1; before it, IPv6 link-local, autoconfigured (not permanent) and
    privacy (temporary) addresses are the kernel's. A user's address with a finite lifetime is the user's.
    """
    proto = msg.get_attr('IFA_PROTO')
    flags = msg.get_attr('IFA_FLAGS') or msg['flags']
    if proto is not None:
        return proto in KERNEL_PROTOS or bool(flags & IFA_F_TEMPORARY)
    interface = ipaddress.ip_interface(address)
    learned = flags & IFA_F_TEMPORARY or not flags & IFA_F_PERMANENT
    return interface.version == 6 and (interface.ip in LINK_LOCAL6 or bool(learned))


def lifetime(value, option):
    if value is None:
        return None
    if str(value) == 'forever':
        return 'forever'
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        seconds = -1
    if not 0 <= seconds < FOREVER:
        raise ValidationError("%s: %r is not a lifetime; use 'forever' or seconds (0-4294967294)" % (option, value))
    return seconds


def lifetime_equal(want, have):
    """A finite lifetime counts down in the kernel: what remains may be at most what was asked."""
    if want == 'forever' or have == 'forever':
        return want == have
    return have <= want


def interface(text, option, default_prefix=True):
    try:
        value = ipaddress.ip_interface(text)
    except ValueError:
        raise ValidationError('%s: %r is not an IPv4/IPv6 address (with an optional /prefix)' % (option, text))
    if not default_prefix and '/' not in str(text):
        return value.ip
    return value


class Address(Resource):
    identity = ('dev', 'address')
    scope = ('dev',)
    purge_requires = ('dev',)
    attributes = (
        Attribute('peer'),
        Attribute('broadcast'),
        Attribute('label', default=''),
        Attribute('scope'),
        Attribute('flags', default=[]),
        Attribute('valid_lft', default='forever', equal=lifetime_equal),
        Attribute('preferred_lft', default='forever', equal=lifetime_equal),
        Attribute('metric', default=0),
    )
    options = dict(
        dev=dict(type='str', required=True),
        address=dict(type='str', required=True),
        peer=dict(type='str'),
        broadcast=dict(type='str'),
        label=dict(type='str'),
        scope=dict(type='str'),
        flags=dict(type='list', elements='str', choices=sorted(FLAGS)),
        valid_lft=dict(type='str'),
        preferred_lft=dict(type='str'),
        metric=dict(type='int'),
    )

    def normalize(self, item):
        want = dict((name, item.get(name)) for name in self.options)
        if want['peer']:
            peer = interface(want['peer'], 'peer')
            local = interface(want['address'], 'address', default_prefix=False)
            local = getattr(local, 'ip', local)
            if local.version != peer.version:
                raise ValidationError('peer %s and address %s are of different IP versions' % (peer, local))
            want['address'] = '%s/%d' % (local, peer.network.prefixlen)
            want['peer'] = str(peer)
        else:
            want['address'] = str(interface(want['address'], 'address'))
        version = ipaddress.ip_interface(want['address']).version
        if want['broadcast'] is not None:
            if version != 4:
                raise ValidationError('broadcast: only IPv4 addresses have a broadcast address')
            want['broadcast'] = str(interface(want['broadcast'], 'broadcast', default_prefix=False))
        if want['label'] and version != 4:
            raise ValidationError('label: only IPv4 addresses carry a label')
        if want['label'] and want['label'] != want['dev'] and not want['label'].startswith(want['dev'] + ':'):
            raise ValidationError("label: %r must be the device name or start with '%s:'" % (want['label'], want['dev']))
        if want['label'] == want['dev']:
            want['label'] = ''
        if want['scope'] is not None:
            want['scope'] = rtnl.scope_name(rtnl.scope_number(want['scope']))
        if want['flags'] is not None:
            want['flags'] = sorted(set(want['flags']))
        want['valid_lft'] = lifetime(want['valid_lft'], 'valid_lft')
        want['preferred_lft'] = lifetime(want['preferred_lft'], 'preferred_lft')
        if want['preferred_lft'] is None and want['valid_lft'] not in (None, 'forever'):
            want['preferred_lft'] = want['valid_lft']
        if want['valid_lft'] is not None and want['preferred_lft'] is not None and \
                not lifetime_equal(want['valid_lft'], want['preferred_lft']) and want['valid_lft'] != 'forever':
            raise ValidationError('preferred_lft (%s) may not exceed valid_lft (%s)'
                                  % (want['preferred_lft'], want['valid_lft']))
        return want

    # -- reading --------------------------------------------------------------------------------
    def gather(self):
        from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
        self.indexes = rtnl.link_indexes(self.conn)
        names = dict((index, name) for name, index in self.indexes.items())
        request = ifaddrmsg()
        dev = self.scope_values.get('dev')
        # the kernel filters by device when the task names one device only
        if dev is not None and all(w['dev'] == dev for w in getattr(self, 'wants', [])):
            if dev not in self.indexes:
                return []
            request['index'] = self.indexes[dev]
        self.unpurgeable = set()
        haves = []
        for msg in self.conn.dump(request, rtnl.RTM_GETADDR, ifaddrmsg):
            have = self.from_message(msg, names)
            haves.append(have)
            if made_by_the_kernel(msg, have['address']):
                self.unpurgeable.add(self.key(have))
        return haves

    @staticmethod
    def from_message(msg, names):
        dev = names.get(msg['index'], str(msg['index']))
        local, peer = msg.get_attr('IFA_LOCAL'), msg.get_attr('IFA_ADDRESS')
        prefix = msg['prefixlen']
        flags = msg.get_attr('IFA_FLAGS') or msg['flags']
        cache = msg.get_attr('IFA_CACHEINFO')
        label = msg.get_attr('IFA_LABEL') or ''
        have = {
            'dev': dev,
            'address': '%s/%d' % (local or peer, prefix),
            'peer': '%s/%d' % (peer, prefix) if local and peer and local != peer else None,
            'broadcast': msg.get_attr('IFA_BROADCAST'),
            'label': '' if label == dev else label,
            'scope': rtnl.scope_name(msg['scope']),
            'flags': sorted(name for name, bit in FLAGS.items() if flags & bit),
            'valid_lft': 'forever',
            'preferred_lft': 'forever',
            'metric': msg.get_attr('IFA_RT_PRIORITY') or 0,
        }
        if cache:
            for name, field in (('valid_lft', 'ifa_valid'), ('preferred_lft', 'ifa_preferred')):
                have[name] = 'forever' if cache[field] == FOREVER else cache[field]
        have['address'] = str(ipaddress.ip_interface(have['address']))
        return have

    def in_scope(self, have):
        return Resource.in_scope(self, have) and self.key(have) not in self.unpurgeable

    # -- writing --------------------------------------------------------------------------------
    def message(self, item):
        from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
        local = ipaddress.ip_interface(item['address'])
        msg = ifaddrmsg()
        msg['family'] = rtnl.AF_INET if local.version == 4 else rtnl.AF_INET6
        msg['prefixlen'] = local.network.prefixlen
        msg['index'] = self.indexes.get(item['dev'], 0)
        peer = str(ipaddress.ip_interface(item['peer']).ip) if item.get('peer') else str(local.ip)
        attrs = [('IFA_LOCAL', str(local.ip)), ('IFA_ADDRESS', peer)]
        if item.get('broadcast'):
            attrs.append(('IFA_BROADCAST', item['broadcast']))
        if item.get('label'):
            attrs.append(('IFA_LABEL', item['label']))
        if item.get('scope') is not None:
            msg['scope'] = rtnl.scope_number(item['scope'])
        flags = sum(FLAGS[name] for name in item.get('flags') or [])
        if flags:
            attrs.append(('IFA_FLAGS', flags))
        if item.get('metric') is not None:  # 0 too: a replace without it keeps the old metric
            attrs.append(('IFA_RT_PRIORITY', item['metric']))
        valid, preferred = item.get('valid_lft'), item.get('preferred_lft')
        if valid not in (None, 'forever') or preferred not in (None, 'forever'):
            valid = FOREVER if valid in (None, 'forever') else valid
            preferred = FOREVER if preferred in (None, 'forever') else preferred
            attrs.append(('IFA_CACHEINFO', {'ifa_valid': valid, 'ifa_preferred': preferred, 'cstamp': 0,
                                            'tstamp': 0}))
        msg['attrs'] = attrs
        return msg

    # What RTM_NEWADDR|NLM_F_REPLACE changes; IPv4 keeps its old flags on replace
    IN_PLACE = {4: frozenset(('valid_lft', 'preferred_lft', 'metric')),
                6: frozenset(('flags', 'valid_lft', 'preferred_lft', 'metric'))}

    def in_place(self, change):
        version = ipaddress.ip_interface(change.after['address']).version
        # IPv6 reads a replace's metric 0 as "keep the metric": back to 0 means re-creating
        return set(change.delta) <= self.IN_PLACE[version] and not (version == 6 and change.delta.get('metric') == 0)

    def requests(self, change):
        if change.op == 'delete':
            return [(self.message(change.before), rtnl.RTM_DELADDR, 0)]
        if change.op == 'create':
            return [(self.message(change.after), rtnl.RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)]
        if self.in_place(change):
            return [(self.message(change.after), rtnl.RTM_NEWADDR, NLM_F_REPLACE)]
        # peer, broadcast, label and scope are fixed once an address exists: re-create it
        return [(self.message(change.before), rtnl.RTM_DELADDR, 0),
                (self.message(change.after), rtnl.RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)]

    def render(self, change):
        item = change.after or change.before
        if change.op == 'delete':
            return [self.ip('address', 'del', item['address'], 'dev', item['dev'])]
        words = [item['address'].split('/')[0] if item.get('peer') else item['address']]
        if item.get('peer'):
            words += ['peer', item['peer']]
        if item.get('broadcast'):
            words += ['broadcast', item['broadcast']]
        if item.get('label'):
            words += ['label', item['label']]
        if item.get('scope') is not None:
            words += ['scope', item['scope']]
        words += item.get('flags') or []
        for name in ('valid_lft', 'preferred_lft'):
            if item.get(name) not in (None, 'forever'):
                words += [name, item[name]]
        if item.get('metric') or (change.op == 'update' and 'metric' in change.delta):
            words += ['metric', item['metric']]
        verb = 'add' if change.op == 'create' else 'replace'
        commands = []
        if change.op == 'update' and not self.in_place(change):
            commands.append(self.ip('address', 'del', change.before['address'], 'dev', item['dev']))
            verb = 'add'
        commands.append(self.ip('address', verb, *(words + ['dev', item['dev']])))
        return commands

    @classmethod
    def parse(cls, text):
        """``ip -j address show`` output as a config list."""
        try:
            links = json.loads(text)
        except ValueError as exc:
            raise ValidationError('running_config is not JSON from `ip -j address show`: %s' % exc)
        config = []
        for link in links:
            for info in link.get('addr_info', []):
                local = info.get('local')
                peer = info.get('address')
                item = {'dev': link['ifname'],
                        'address': '%s/%s' % (local, info['prefixlen']),
                        'peer': '%s/%s' % (peer, info['prefixlen']) if peer and peer != local else None,
                        'broadcast': info.get('broadcast'),
                        'label': '' if info.get('label', link['ifname']) == link['ifname'] else info['label'],
                        'scope': info.get('scope'),
                        'flags': sorted(name for name in FLAGS if info.get(name)),
                        'valid_lft': 'forever' if info.get('valid_life_time', FOREVER) == FOREVER
                        else info['valid_life_time'],
                        'preferred_lft': 'forever' if info.get('preferred_life_time', FOREVER) == FOREVER
                        else info['preferred_life_time'],
                        'metric': info.get('metric', 0)}
                config.append(item)
        return config

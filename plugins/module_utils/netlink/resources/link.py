# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network links (RTM_*LINK): identity name; scope for purge: kind and/or group."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fcntl
import ipaddress
import json
import os
import re
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NLM_F_CREATE, NLM_F_EXCL, Connection, netns_entered, netns_path)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.link_kinds import (
    BRIDGE_PORT, KINDS)

IFF_UP = 0x1
IFNAMSIZ = 16
MAC = re.compile(r'^[0-9a-f]{2}(:[0-9a-f]{2})+$')
# linux/if_tun.h
TUNSETIFF, TUNSETPERSIST, TUNSETOWNER, TUNSETGROUP = 0x400454ca, 0x400454cb, 0x400454cc, 0x400454ce
IFF_TUN, IFF_TAP, IFF_MULTI_QUEUE, IFF_NO_PI, IFF_VNET_HDR = 0x1, 0x2, 0x100, 0x1000, 0x4000
IFLA_PROP_LIST = 'IFLA_PROP_LIST'
# What a link has whatever its kind, set after creation
COMMON = ('mtu', 'address', 'txqlen', 'master', 'alias', 'group', 'admin_state', 'altnames', 'bridge_port',
          'target_netns')


def subset_equal(want, have):
    """A sub-dictionary matches when every option it gives matches."""
    have = have or {}
    return all(value is None or have.get(name) == value for name, value in want.items())


def set_equal(want, have):
    return sorted(want) == sorted(have or [])


def valid_name(name, option='name'):
    if not name or len(name) >= IFNAMSIZ or '/' in name or ':' in name or name in ('.', '..') \
            or any(ch.isspace() for ch in name):
        raise ValidationError("%s: %r is not a link name; 1-15 characters without '/', ':' or spaces"
                              % (option, name))
    return name


def kind_spec(options):
    return dict(type='dict', options=dict((opt.name, opt.spec()) for opt in options))


class Link(Resource):
    identity = ('name',)
    scope = ('kind', 'group')
    attributes = (
        Attribute('admin_state'),
        Attribute('mtu'),
        Attribute('address'),
        Attribute('txqlen'),
        Attribute('master', default=''),
        Attribute('alias', default=''),
        Attribute('altnames', default=[], equal=set_equal),
        Attribute('group', default=0),
        Attribute('link'),
        Attribute('bridge_port', equal=subset_equal),
        Attribute('target_netns'),
    ) + tuple(Attribute(kind, equal=subset_equal) for kind in sorted(KINDS))
    options = dict(
        name=dict(type='str', required=True),
        kind=dict(type='str', choices=sorted(KINDS)),
        admin_state=dict(type='str', choices=['up', 'down']),
        mtu=dict(type='int'),
        address=dict(type='str'),
        txqlen=dict(type='int'),
        master=dict(type='str'),
        alias=dict(type='str'),
        altnames=dict(type='list', elements='str'),
        group=dict(type='int'),
        link=dict(type='str'),
        target_netns=dict(type='str'),
        bridge_port=kind_spec(BRIDGE_PORT),
    )
    options.update((kind, kind_spec(spec.options)) for kind, spec in KINDS.items() if spec.options)

    # -- desired side -----------------------------------------------------------------------------
    def normalize(self, item):
        want = dict((name, item.get(name)) for name in self.options)
        valid_name(want['name'])
        for option in ('master', 'link'):
            if want[option]:
                valid_name(want[option], option)
        if want['address'] is not None:
            want['address'] = want['address'].lower()
            if not MAC.match(want['address']):
                raise ValidationError('address: %r is not a link-layer address like 02:00:00:00:00:01'
                                      % item['address'])
        for kind in KINDS:
            given = want.get(kind)
            if given is None:
                continue
            if want['kind'] not in (None, kind):
                raise ValidationError('%s: options for kind %s given, but kind is %s' % (kind, kind, want['kind']))
            want['kind'] = kind
            want[kind] = dict((k, v) for k, v in given.items() if v is not None)
            if kind == 'veth' and want[kind].get('peer'):
                valid_name(want[kind]['peer'], 'veth.peer')
        if want['bridge_port'] is not None:
            want['bridge_port'] = dict((k, v) for k, v in want['bridge_port'].items() if v is not None)
        if want['altnames'] is not None:
            want['altnames'] = sorted(set(valid_name(n, 'altnames') for n in want['altnames']))
        if want['target_netns']:
            netns_path(want['target_netns'])
        return want

    def implied_keys(self, wants):
        """Peers created along with a declared veth/netkit are declared too."""
        return set((w[k]['peer'],) for w in wants for k in ('veth', 'netkit') if (w.get(k) or {}).get('peer'))

    # -- reading ----------------------------------------------------------------------------------
    def gather(self):
        from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import rtnl_link
        rtnl_link.register()
        request = ifinfmsg()
        request['attrs'] = [('IFLA_EXT_MASK', 0)]
        messages = self.conn.dump(request, rtnl.RTM_GETLINK, ifinfmsg)
        self.indexes = dict((msg.get_attr('IFLA_IFNAME'), msg['index']) for msg in messages)
        names = dict((index, name) for name, index in self.indexes.items())
        haves = [self.from_message(msg, names) for msg in messages]
        return haves + self.moved_away(haves)

    def moved_away(self, haves):
        """Declared links already moved to their target namespace count as present there."""
        here = set(h['name'] for h in haves)
        found = []
        for want in getattr(self, 'wants', []):
            target = want.get('target_netns')
            if not target or want['name'] in here or not os.path.exists(netns_path(target)):
                continue
            with Connection(netns=target) as there:
                if rtnl.link_indexes(there).get(want['name']):
                    found.append({'name': want['name'], 'target_netns': target})
        return found

    @staticmethod
    def from_message(msg, names):
        linkinfo = msg.get_attr('IFLA_LINKINFO')
        kind = linkinfo.get_attr('IFLA_INFO_KIND') if linkinfo else None
        data = linkinfo.get_attr('IFLA_INFO_DATA') if linkinfo else None
        if kind == 'tun' and data is not None and data.get_attr('IFLA_TUN_TYPE') == 2:
            kind = 'tap'
        lower = msg.get_attr('IFLA_LINK')
        have = {
            'name': msg.get_attr('IFLA_IFNAME'),
            'kind': kind,
            'admin_state': 'up' if msg['flags'] & IFF_UP else 'down',
            'mtu': msg.get_attr('IFLA_MTU'),
            'address': msg.get_attr('IFLA_ADDRESS'),
            'txqlen': msg.get_attr('IFLA_TXQLEN'),
            'master': names.get(msg.get_attr('IFLA_MASTER'), ''),
            'alias': msg.get_attr('IFLA_IFALIAS') or '',
            'altnames': sorted(v for k, v in (msg.get_attr(IFLA_PROP_LIST) or {}).get('attrs', [])
                               if k == 'IFLA_ALT_IFNAME'),
            'group': msg.get_attr('IFLA_GROUP') or 0,
            'link': None,
        }
        spec = KINDS.get(kind)
        if spec is not None:
            if spec.options or kind in ('veth', 'netkit'):
                have[kind] = decode_options(spec.options, data, names)
            if kind in ('veth', 'netkit'):
                if msg.get_attr('IFLA_LINK_NETNSID') is None:
                    have[kind]['peer'] = names.get(lower)
            elif spec.lower and data is not None:
                have['link'] = names.get(data.get_attr(spec.lower))
            elif lower and lower != msg['index']:
                have['link'] = names.get(lower)
        if linkinfo and linkinfo.get_attr('IFLA_INFO_SLAVE_KIND') == 'bridge':
            have['bridge_port'] = decode_options(BRIDGE_PORT, linkinfo.get_attr('IFLA_INFO_SLAVE_DATA'), names)
        return have

    def in_scope(self, have):
        """Only links that have a kind (virtual ones) can be purged, and only within kind/group."""
        if have.get('kind') is None or have.get('target_netns'):
            return False
        return Resource.in_scope(self, have)

    # -- writing ----------------------------------------------------------------------------------
    def apply(self, changes):
        errors = {}
        for index, change in enumerate(changes):
            try:
                self.apply_one(change)
            except NetlinkError as exc:
                errors[index] = exc
        return errors

    def order(self, changes):
        """Deletions first; then a link after the links it needs (master, lower device, veth peer)."""
        pending = [c for c in changes if c.op != 'delete']
        makers = dict((c.key[0], c) for c in pending)
        peer_makers = dict((peer[0], c) for c in pending for peer in self.implied_keys([c.after]))
        done, order = set(), [c for c in changes if c.op == 'delete']
        deleted = set()
        for change in order:  # deleting one end of a pair deletes the other: no command of its own
            peer = (change.before.get('veth') or change.before.get('netkit') or {}).get('peer')
            change.implied = peer in deleted
            deleted.add(change.key[0])

        def place(change, trail):
            if id(change) in done or id(change) in trail:
                return
            needs = [makers.get(change.after.get('master')), makers.get(change.after.get('link')),
                     peer_makers.get(change.key[0]) if change.after.get('kind') is None else None]
            for need in needs:
                if need is not None and need is not change:
                    place(need, trail | {id(change)})
            done.add(id(change))
            order.append(change)

        for change in pending:
            place(change, frozenset())
        return order

    def current(self, name):
        index = rtnl.link_indexes(self.conn).get(name)
        self.indexes[name] = index
        return index

    def apply_one(self, change):
        if change.op == 'delete':
            index = self.current(change.key[0])
            if index:  # a veth whose peer was deleted first is already gone
                self.conn.request(self.message({'name': change.key[0]}, index), rtnl.RTM_DELLINK)
            return
        want = change.after
        if change.op == 'create' and self.current(want['name']):
            change = self.as_update(change)  # created along with its veth/netkit peer
        if change.op == 'create':
            self.create(want)
            # the kernel ignores some attributes (alias) in a creating request: set them all afterwards
            delta = dict((k, v) for k, v in change.delta.items() if k in COMMON)
        else:
            delta = change.delta
        self.update(want['name'], delta, change.before or {})

    def as_update(self, change):
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Change, delta_for
        have = dict((h['name'], h) for h in self.gather()).get(change.key[0], {})
        return Change('update', change.key, have, change.after, delta_for(self, change.after, have, False))

    def create(self, want):
        kind = want.get('kind')
        if kind is None:
            raise NetlinkError(errno.ENODEV, context='link %s does not exist; give kind to create it' % want['name'])
        if not KINDS[kind].netlink_create:
            return self.create_tuntap(want)
        msg = self.message(dict((k, v) for k, v in want.items() if k not in COMMON), 0, for_create=True)
        self.conn.request(msg, rtnl.RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)
        self.current(want['name'])

    def update(self, name, delta, have):
        index = self.current(name)
        plain = dict((k, v) for k, v in delta.items() if k not in ('altnames', 'bridge_port', 'target_netns'))
        if plain:
            self.conn.request(self.message(dict(plain, name=name), index), rtnl.RTM_NEWLINK)
        if 'bridge_port' in delta:
            self.conn.request(self.port_message(delta['bridge_port'], index), rtnl.RTM_NEWLINK)
        if 'altnames' in delta:
            self.set_altnames(index, delta['altnames'], have.get('altnames') or [])
        if delta.get('target_netns'):
            from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
            fd = os.open(netns_path(delta['target_netns']), os.O_RDONLY)
            try:
                msg = ifinfmsg()
                msg['index'] = index
                msg['attrs'] = [('IFLA_NET_NS_FD', fd)]
                self.conn.request(msg, rtnl.RTM_NEWLINK)
            finally:
                os.close(fd)

    def message(self, item, index, for_create=False):
        from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
        msg = ifinfmsg()
        msg['index'] = index
        attrs = []
        if for_create or index == 0:
            attrs.append(('IFLA_IFNAME', item['name']))
        if item.get('admin_state'):
            msg['change'] = IFF_UP
            msg['flags'] = IFF_UP if item['admin_state'] == 'up' else 0
        for option, nla in (('mtu', 'IFLA_MTU'), ('txqlen', 'IFLA_TXQLEN'), ('address', 'IFLA_ADDRESS'),
                            ('group', 'IFLA_GROUP')):
            if item.get(option) is not None:
                attrs.append((nla, item[option]))
        if item.get('alias') is not None:
            attrs.append(('IFLA_IFALIAS', item['alias']))
        if item.get('master') is not None:
            attrs.append(('IFLA_MASTER', self.index_of(item['master'], 'master') if item['master'] else 0))
        kind = item.get('kind') if for_create else next((k for k in KINDS if item.get(k)), None)
        spec = KINDS.get(kind)
        data = encode_options(spec.options, item.get(kind) or {}, for_create) if spec else []
        if item.get('link'):
            lower = self.index_of(item['link'], 'link')
            if spec is not None and spec.lower:
                data.append((spec.lower, lower))
            else:
                attrs.append(('IFLA_LINK', lower))
        if kind:
            info = [('IFLA_INFO_KIND', 'tun' if kind == 'tap' else kind)]
            if data:
                info.append(('IFLA_INFO_DATA', {'attrs': data}))
            attrs.append(('IFLA_LINKINFO', {'attrs': info}))
        msg['attrs'] = attrs
        return msg

    def port_message(self, options, index):
        from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
        msg = ifinfmsg()
        msg['index'] = index
        msg['attrs'] = [('IFLA_LINKINFO', {'attrs': [
            ('IFLA_INFO_SLAVE_KIND', 'bridge'),
            ('IFLA_INFO_SLAVE_DATA', {'attrs': encode_options(BRIDGE_PORT, options, False)})]})]
        return msg

    def set_altnames(self, index, wanted, current):
        from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
        for names, msg_type in ((sorted(set(current) - set(wanted)), rtnl.RTM_DELLINKPROP),
                                (sorted(set(wanted) - set(current)), rtnl.RTM_NEWLINKPROP)):
            if names:
                msg = ifinfmsg()
                msg['index'] = index
                msg['attrs'] = [(IFLA_PROP_LIST, {'attrs': [('IFLA_ALT_IFNAME', n) for n in names]})]
                self.conn.request(msg, msg_type)

    def index_of(self, name, option):
        index = self.indexes.get(name) or self.current(name)
        if not index:
            raise NetlinkError(errno.ENODEV, context='%s %s does not exist' % (option, name))
        return index

    def create_tuntap(self, want):
        """tun/tap devices come from the tun character device (rtnetlink refuses to create them)."""
        options = want.get(want['kind']) or {}
        flags = IFF_TUN if want['kind'] == 'tun' else IFF_TAP
        flags |= 0 if options.get('pi') else IFF_NO_PI
        flags |= IFF_VNET_HDR if options.get('vnet_hdr') else 0
        flags |= IFF_MULTI_QUEUE if options.get('multi_queue') else 0
        with netns_entered(self.netns):
            fd = os.open('/dev/net/tun', os.O_RDWR)
        try:
            fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH22x', want['name'].encode(), flags))
            if options.get('owner') is not None:
                fcntl.ioctl(fd, TUNSETOWNER, options['owner'])
            if options.get('group') is not None:
                fcntl.ioctl(fd, TUNSETGROUP, options['group'])
            fcntl.ioctl(fd, TUNSETPERSIST, 1)
        except OSError as exc:
            raise NetlinkError(exc.errno, 'creating %s %s through /dev/net/tun' % (want['kind'], want['name']))
        finally:
            os.close(fd)
        self.current(want['name'])

    # -- rendering ---------------------------------------------------------------------------------
    def render(self, change):
        name = change.key[0]
        if change.op == 'delete':
            return [] if getattr(change, 'implied', False) else [self.ip('link', 'del', name)]
        want = change.after
        commands = []
        if change.op == 'create' and want.get('kind') is None:
            # made along with its veth/netkit peer; otherwise applying says a kind is needed
            delta, before = dict((k, v) for k, v in change.delta.items() if k in COMMON), {}
        elif change.op == 'create':
            kind = want.get('kind')
            if kind in ('tun', 'tap'):
                commands.append(self.ip('tuntap', 'add', 'dev', name, 'mode', kind,
                                        *render_tuntap(want.get(kind) or {})))
            else:
                words = ['link', 'add']
                lower = want.get('link')
                if lower and not KINDS[kind].lower:
                    words += ['link', lower]
                words += ['name', name, 'type', kind] + render_options(kind, want.get(kind) or {}, True)
                if lower and KINDS[kind].lower:  # tunnels and vxlan name their lower device 'dev'
                    words += ['dev', lower]
                commands.append(self.ip(*words))
            delta = dict((k, v) for k, v in change.delta.items() if k in COMMON)
            before = {}
        else:
            delta, before = change.delta, change.before
        words = []
        for option in ('mtu', 'address', 'txqlen', 'group'):
            if option in delta:
                words += [option, delta[option]]
        if 'alias' in delta:
            words += ['alias', delta['alias'] or '""']
        if 'master' in delta:
            words += ['master', delta['master']] if delta['master'] else ['nomaster']
        for kind in KINDS:
            if kind in delta and change.op == 'update':
                words += ['type', kind] + render_options(kind, delta[kind], False)
        if delta.get('admin_state'):
            words.append(delta['admin_state'])
        if words:
            commands.append(self.ip('link', 'set', 'dev', name, *words))
        if delta.get('bridge_port'):
            commands.append(self.ip('link', 'set', 'dev', name, 'type', 'bridge_slave',
                                    *render_port(delta['bridge_port'])))
        if 'altnames' in delta:
            for alt in sorted(set(before.get('altnames') or []) - set(delta['altnames'])):
                commands.append(self.ip('link', 'property', 'del', 'dev', name, 'altname', alt))
            for alt in sorted(set(delta['altnames']) - set(before.get('altnames') or [])):
                commands.append(self.ip('link', 'property', 'add', 'dev', name, 'altname', alt))
        if delta.get('target_netns'):
            commands.append(self.ip('link', 'set', 'dev', name, 'netns', delta['target_netns']))
        return commands

    @classmethod
    def parse(cls, text):
        """``ip -j -d link show`` output as a config list."""
        try:
            links = json.loads(text)
        except ValueError as exc:
            raise ValidationError('running_config is not JSON from `ip -j -d link show`: %s' % exc)
        config = []
        for link in links:
            info = link.get('linkinfo') or {}
            kind = info.get('info_kind')
            item = {'name': link['ifname'], 'kind': kind if kind in KINDS else None,
                    'admin_state': 'up' if 'UP' in link.get('flags', []) else 'down',
                    'mtu': link.get('mtu'), 'address': link.get('address'), 'txqlen': link.get('txqlen'),
                    'master': link.get('master', ''), 'alias': link.get('ifalias', ''),
                    'altnames': sorted(link.get('altnames', [])),
                    'group': 0 if link.get('group', 'default') == 'default' else link['group']}
            if kind == 'veth':
                item['veth'] = {'peer': link.get('link')}
            elif link.get('link'):
                item['link'] = link['link']
            config.append(item)
        return config


# -- kind option codecs ----------------------------------------------------------------------------
def encode_options(options, values, for_create):
    attrs = []
    for opt in options:
        value = values.get(opt.name)
        if value is None or (opt.create_only and not for_create):
            continue
        if opt.name == 'peer':
            attrs.append((opt.nla, {'attrs': [('IFLA_IFNAME', value)]}))
        elif opt.type == 'ip':
            address = ipaddress.ip_address(value)
            attrs.append((opt.nla[0] if address.version == 4 else opt.nla[1], str(address)))
        elif opt.values:
            attrs.append((opt.nla, opt.values[value]))
        elif opt.type == 'bool':
            attrs.append((opt.nla, 1 if value else 0))
        else:
            attrs.append((opt.nla, value))
    return attrs


def decode_options(options, data, names):
    values = {}
    for opt in options:
        if opt.name == 'peer' or data is None:
            continue
        if opt.type == 'ip':
            raw = data.get_attr(opt.nla[0]) or data.get_attr(opt.nla[1])
            value = None if raw in (None, '0.0.0.0', '::') else raw
        elif opt.read:
            raw = data.get_attr(opt.read[0])
            value = None if raw is None else opt.read[1](raw)
        else:
            value = data.get_attr(opt.nla)
        if value is None:
            continue
        if opt.values:
            reverse = dict((number, name) for name, number in opt.values.items())
            reverse.update(opt.aliases)
            value = value if value in opt.values else reverse.get(value, value)
        elif opt.type == 'bool':
            value = bool(value)
        values[opt.name] = value
    return values


def render_options(kind, values, for_create):
    words = []
    for opt in KINDS[kind].options:
        value = values.get(opt.name)
        if value is None or (opt.create_only and not for_create):
            continue
        word = opt.word or opt.name
        if opt.name == 'peer':
            words += ['peer', 'name', value]
        elif opt.type == 'bool' and KINDS[kind].bools == 'flag':
            words += [word] if value else ['no' + word]
        elif opt.type == 'bool':
            words += [word, ('on' if value else 'off') if KINDS[kind].bools == 'onoff' else int(value)]
        else:
            words += [word, value]
    return words


def render_port(values):
    words = []
    for opt in BRIDGE_PORT:
        if values.get(opt.name) is not None:
            value = values[opt.name]
            words += [opt.name, ('on' if value else 'off') if opt.type == 'bool' else value]
    return words


def render_tuntap(values):
    words = []
    for name in ('owner', 'group'):
        if values.get(name) is not None:
            words += ['user' if name == 'owner' else 'group', values[name]]
    for name in ('pi', 'vnet_hdr', 'multi_queue'):
        if values.get(name):
            words.append(name)
    return words

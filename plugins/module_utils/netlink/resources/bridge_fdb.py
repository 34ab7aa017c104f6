# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bridge forwarding database entries (RTM_*NEIGH, AF_BRIDGE): identity dev + mac + vlan + table (+ dst for
the all-zeros and multicast entries of a VXLAN device); scope for purge: a device."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import ipaddress
import json
import re

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError

AF_BRIDGE = 7
RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH = 28, 29, 30
NLM_F_APPEND = 0x800
# linux/neighbour.h
NTF_SELF, NTF_MASTER, NTF_EXT_LEARNED, NTF_STICKY = 0x02, 0x04, 0x10, 0x40
NUD_REACHABLE, NUD_NOARP, NUD_PERMANENT = 0x02, 0x40, 0x80
# What each state is on the wire, as `bridge fdb` sends it (a VXLAN device wants PERMANENT or REACHABLE)
NUDS = {'permanent': NUD_PERMANENT | NUD_NOARP, 'static': NUD_NOARP | NUD_REACHABLE, 'dynamic': NUD_REACHABLE}
MAC = re.compile(r'^[0-9a-f]{2}(:[0-9a-f]{2}){5}$')
ZERO_MAC = '00:00:00:00:00:00'
VXLAN_PORT = 4789


def unicast(mac):
    """The kernel replaces only unicast entries; the others (all-zeros, multicast) are one per remote."""
    return mac != ZERO_MAC and not int(mac[:2], 16) & 1


def nud_name(nud):
    if nud & NUD_PERMANENT:
        return 'permanent'
    return 'static' if nud & NUD_NOARP else 'dynamic'


class Link:
    """What the FDB needs to know of a link: its kind, master, own address and VXLAN defaults."""

    def __init__(self, msg):
        self.index = msg['index']
        self.name = msg.get_attr('IFLA_IFNAME')
        self.address = msg.get_attr('IFLA_ADDRESS')
        self.master = msg.get_attr('IFLA_MASTER')
        info = msg.get_attr('IFLA_LINKINFO')
        self.kind = info.get_attr('IFLA_INFO_KIND') if info else None
        data = info.get_attr('IFLA_INFO_DATA') if info and self.kind == 'vxlan' else None
        self.vni = data.get_attr('IFLA_VXLAN_ID') if data else None
        self.port = (data.get_attr('IFLA_VXLAN_PORT') or VXLAN_PORT) if data else None
        self.remote = (data.get_attr('IFLA_VXLAN_GROUP') or data.get_attr('IFLA_VXLAN_GROUP6')) if data else None


class BridgeFdb(Resource):
    identity = ('dev', 'mac', 'vlan', 'self', 'dst')
    scope = ('dev', 'self', 'purge_learned')
    purge_requires = ('dev',)
    attributes = (
        Attribute('nud'),
        Attribute('dst'),
        Attribute('vni'),
        Attribute('port'),
        Attribute('src_vni'),
        Attribute('via', default=''),
        Attribute('sticky', default=False),
        Attribute('extern_learn', default=False),
    )
    options = dict(
        mac=dict(type='str', required=True),
        dev=dict(type='str', required=True),
        vlan=dict(type='int'),
        self=dict(type='bool'),
        nud=dict(type='str', choices=sorted(NUDS)),
        dst=dict(type='str'),
        vni=dict(type='int'),
        port=dict(type='int'),
        src_vni=dict(type='int'),
        via=dict(type='str'),
        sticky=dict(type='bool'),
        extern_learn=dict(type='bool'),
        purge_learned=dict(type='bool'),
    )

    def __init__(self, conn, scope_values, netns=None):
        Resource.__init__(self, conn, scope_values, netns)
        self._links, self._vlans, self.vlanless = None, {}, set()

    def key(self, item):
        dst = item.get('dst') if not unicast(item['mac']) else None
        return (item['dev'], item['mac'], item.get('vlan'), item.get('self'), dst)

    def label(self, key):
        dev, mac, vlan, own, dst = key
        words = [dev, mac] + (['vlan', vlan] if vlan is not None else []) + ['self' if own else 'master']
        return ' '.join(str(w) for w in words + (['dst', dst] if dst else []))

    # -- desired side -----------------------------------------------------------------------------
    def links(self):
        if self._links is None:
            from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
            request = ifinfmsg()
            request['attrs'] = [('IFLA_EXT_MASK', 0)]
            self._links = dict((link.name, link) for link in
                               (Link(msg) for msg in self.conn.dump(request, rtnl.RTM_GETLINK, ifinfmsg)))
        return self._links

    def normalize(self, item):
        want = dict((name, item.get(name)) for name in self.options if name != 'purge_learned')
        mac = str(want['mac']).lower()
        if not MAC.match(mac):
            raise ValidationError('mac: %r is not a MAC address like 02:00:00:00:00:01' % want['mac'])
        want['mac'] = mac
        if want['vlan'] is not None and not 1 <= want['vlan'] <= 4094:
            raise ValidationError('vlan: %r is not a VLAN id; use 1-4094' % want['vlan'])
        link = self.links().get(want['dev'])
        if link is not None and link.kind == 'bridge':
            want['self'] = False  # the bridge's own entries live in its FDB however they are added
        elif want['self'] is None:
            want['self'] = not (link is not None and link.master and self.is_bridge(link.master))
        if want['dst'] is not None:
            try:
                want['dst'] = str(ipaddress.ip_address(want['dst']))
            except ValueError:
                raise ValidationError('dst: %r is not an IPv4/IPv6 address' % want['dst'])
        for name, top in (('vni', 0xFFFFFF), ('src_vni', 0xFFFFFF), ('port', 0xFFFF)):
            if want[name] is not None and not 0 <= want[name] <= top:
                raise ValidationError('%s: %r is out of range 0-%d' % (name, want[name], top))
        vxlan_only = [n for n in ('dst', 'vni', 'port', 'src_vni', 'via') if want[n] not in (None, '')]
        if vxlan_only and not want['self']:
            raise ValidationError('%s: only entries of a VXLAN device itself (self: true) have %s'
                                  % (vxlan_only[0], ', '.join(vxlan_only)))
        if not unicast(mac) and want['self'] and link is not None and link.kind == 'vxlan' and not want['dst']:
            raise ValidationError('dst: an all-zeros or multicast entry of a VXLAN device names its remote (dst)')
        if not want['self'] and not unicast(mac):
            raise ValidationError('mac: %s is not a unicast address; the bridge FDB holds unicast entries only' % mac)
        if want['extern_learn'] and not want['self'] and want['nud'] not in (None, 'dynamic'):
            raise ValidationError('nud: the bridge keeps extern_learn entries as learned (dynamic); '
                                  'give no nud or dynamic')
        if link is not None and link.kind == 'bridge' and want['nud'] not in (None, 'permanent'):
            raise ValidationError('nud: the entries of the bridge itself (%s) are local addresses: permanent only'
                                  % want['dev'])
        if want['sticky'] and (want['nud'] or self.default_nud(want)) == 'permanent':
            raise ValidationError('sticky: a permanent (local) entry cannot be sticky; give nud static')
        return want

    def is_bridge(self, index):
        return any(link.index == index and link.kind == 'bridge' for link in self.links().values())

    def in_scope(self, have):
        """Entries on the scope's device and table that a user made: never the kernel's own ones."""
        if have['dev'] != self.scope_values.get('dev') or self.scope_values.get('self') not in (None, have['self']):
            return False
        link = self.links().get(have['dev'])
        vxlan = link is not None and link.kind == 'vxlan'
        if have['self'] and not vxlan:
            return False  # the device's own address lists: the kernel and other drivers keep them too
        if vxlan and have['mac'] == ZERO_MAC and have['dst'] == (link.remote or None):
            return False  # the default remote of the VXLAN device's link configuration
        if not have['self'] and have['nud'] == 'permanent' and have['mac'] in self.own_addresses():
            return False  # the bridge's local entries for its ports' and its own addresses
        if have['vlan'] is not None and any(w['dev'] == have['dev'] and w['mac'] == have['mac'] and not w['self']
                                            and w['vlan'] is None for w in getattr(self, 'wants', [])):
            return False  # made by the kernel with a declared entry without VLAN, one per VLAN of the port
        learned = have['nud'] == 'dynamic' or have['extern_learn']
        return not learned or bool(self.scope_values.get('purge_learned'))

    def own_addresses(self):
        return set(link.address for link in self.links().values() if link.address)

    # -- reading ----------------------------------------------------------------------------------
    def gather(self):
        from pyroute2.netlink.rtnl.ndmsg import ndmsg
        self._links = None
        links = self.links()
        names = dict((link.index, link.name) for link in links.values())
        request = ndmsg()
        request['family'] = AF_BRIDGE
        dev = self.scope_values.get('dev')
        # the kernel filters by port when the task names one device only
        if dev is not None and all(w['dev'] == dev for w in getattr(self, 'wants', [])):
            if dev not in links:
                return []
            request['ifindex'] = links[dev].index
        return [self.from_message(msg, names, links) for msg in self.conn.dump(request, RTM_GETNEIGH, ndmsg)]

    @staticmethod
    def from_message(msg, names, links):
        dev = names.get(msg['ifindex'], str(msg['ifindex']))
        own = bool(msg['flags'] & NTF_SELF)
        link = links.get(dev)
        via = msg.get_attr('NDA_IFINDEX')
        have = {'dev': dev, 'mac': msg.get_attr('NDA_LLADDR'), 'vlan': msg.get_attr('NDA_VLAN'), 'self': own,
                'nud': nud_name(msg['state']), 'dst': msg.get_attr('NDA_DST'), 'vni': None, 'port': None,
                'src_vni': msg.get_attr('NDA_SRC_VNI'), 'via': names.get(via, str(via)) if via else '',
                'sticky': bool(msg['flags'] & NTF_STICKY), 'extern_learn': bool(msg['flags'] & NTF_EXT_LEARNED)}
        if own and link is not None and link.kind == 'vxlan':
            # the kernel leaves out what equals the device's own VNI and port
            have['vni'] = msg.get_attr('NDA_VNI') if msg.get_attr('NDA_VNI') is not None else link.vni
            have['port'] = msg.get_attr('NDA_PORT') or link.port
        return have

    # -- writing ----------------------------------------------------------------------------------
    def message(self, item):
        from pyroute2.netlink.rtnl.ndmsg import ndmsg
        link = self.links().get(item['dev'])
        if link is None:
            raise NetlinkError(errno.ENODEV, context='dev %s does not exist' % item['dev'])
        msg = ndmsg()
        msg['family'] = AF_BRIDGE
        msg['ifindex'] = link.index
        # a bridge's own entries are added through it (self); a port's through its master
        msg['flags'] = NTF_SELF if item['self'] or link.kind == 'bridge' else NTF_MASTER
        msg['flags'] |= (NTF_STICKY if item.get('sticky') else 0) | (NTF_EXT_LEARNED if item.get('extern_learn') else 0)
        msg['state'] = NUDS[item.get('nud') or self.default_nud(item)]
        attrs = [('NDA_LLADDR', item['mac'])]
        if item.get('vlan') is not None:
            attrs.append(('NDA_VLAN', item['vlan']))
        if item.get('dst'):
            attrs.append(('NDA_DST', item['dst']))
        for name, nla in (('vni', 'NDA_VNI'), ('port', 'NDA_PORT'), ('src_vni', 'NDA_SRC_VNI')):
            if item.get(name) is not None:
                attrs.append((nla, item[name]))
        if item.get('via'):
            via = self.links().get(item['via'])
            if via is None:
                raise NetlinkError(errno.ENODEV, context='via %s does not exist' % item['via'])
            attrs.append(('NDA_IFINDEX', via.index))
        msg['attrs'] = attrs
        return msg

    def default_nud(self, item):
        """What an entry becomes without nud: static on a bridge port; permanent on the bridge itself and in a
        device's own table (the only choice there, VXLAN aside)."""
        link = self.links().get(item['dev'])
        return 'permanent' if item['self'] or (link is not None and link.kind == 'bridge') else 'static'

    def steps(self, change):
        """The change as (verb, item) steps, verbs as `bridge fdb` names them.

        An entry that is not unicast is added per remote and cannot be replaced; extern_learn does not
        change in place: those are deleted and added again. A bridge port with VLANs gets an entry without
        VLAN for each of its VLANs too, so that entry, and its VLAN siblings made in the same task, are
        added with replace: some may exist already.
        """
        if change.op == 'delete':
            return [('del', change.before)]
        if change.op == 'update' and 'extern_learn' not in change.delta and unicast(change.key[1]):
            return [('replace', change.after)]
        undo = [('del', change.before)] if change.op == 'update' else []
        if not unicast(change.key[1]):
            return undo + [('append', change.after)]
        dev, mac, vlan, own, _dst = change.key
        siblings = not own and (vlan is None or (dev, mac) in self.vlanless) and self.has_vlans(dev)
        return undo + [('replace' if siblings else 'add', change.after)]

    def has_vlans(self, dev):
        """Whether a bridge port (or bridge) has VLANs; a kernel without VLAN filtering has none."""
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.bridge_vlan import (
            RTM_GETVLAN, vlan_classes)
        br_vlan_query, br_vlan_msg = vlan_classes()
        cache = self._vlans
        link = self.links().get(dev)
        if dev not in cache and link is not None:
            request = br_vlan_query()
            request['family'] = AF_BRIDGE
            request['ifindex'] = link.index
            try:
                cache[dev] = any(msg.get_attr('BRIDGE_VLANDB_ENTRY') is not None
                                 for msg in self.conn.dump(request, RTM_GETVLAN, br_vlan_msg))
            except NetlinkError as exc:
                if exc.code not in (errno.EOPNOTSUPP, errno.EINVAL):  # no VLAN filtering; neither bridge nor port
                    raise
                cache[dev] = False
        return cache.get(dev, False)

    def order(self, changes):
        """Deletions first; entries without VLAN are deleted after and made before those with a VLAN: on a
        port with VLANs, the kernel deletes and makes those with them."""
        self.vlanless = set((c.key[0], c.key[1]) for c in changes
                            if c.op == 'create' and c.key[2] is None and not c.key[3])
        return sorted(changes, key=lambda c: (0, c.key[2] is None) if c.op == 'delete' else (1, c.key[2] is not None))

    def requests(self, change):
        flags = {'del': 0, 'add': NLM_F_CREATE | NLM_F_EXCL, 'append': NLM_F_CREATE | NLM_F_APPEND,
                 'replace': NLM_F_CREATE | NLM_F_REPLACE}
        return [(self.message(item), RTM_DELNEIGH if verb == 'del' else RTM_NEWNEIGH, flags[verb])
                for verb, item in self.steps(change)]

    # -- rendering ---------------------------------------------------------------------------------
    def bridge(self, *words):
        prefix = ['bridge'] + (['-n', self.netns] if self.netns else [])
        return ' '.join(prefix + [str(w) for w in words if w is not None and w != ''])

    def render(self, change):
        return [self.render_one(verb, item) for verb, item in self.steps(change)]

    def render_one(self, verb, item):
        link = self.links().get(item['dev'])
        words = ['fdb', verb, item['mac'], 'dev', item['dev']]
        words.append('self' if item['self'] or (link is not None and link.kind == 'bridge') else 'master')
        if verb != 'del':
            words.append(item.get('nud') or self.default_nud(item))
        if item.get('vlan') is not None:
            words += ['vlan', item['vlan']]
        if item.get('dst'):
            words += ['dst', item['dst']]
        # a VXLAN remote is deleted by all it is matched on
        for name in ('vni', 'port', 'src_vni', 'via'):
            if item.get(name) not in (None, ''):
                words += [name, item[name]]
        if verb != 'del':
            words += [name for name in ('sticky', 'extern_learn') if item.get(name)]
        return self.bridge(*words)

    @classmethod
    def parse(cls, text):
        """``bridge -j fdb show`` output as a config list."""
        try:
            return [cls.parse_entry(entry) for entry in json.loads(text)]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError('running_config is not JSON from `bridge -j fdb show`: %s' % exc)

    @staticmethod
    def parse_entry(entry):
        flags = entry.get('flags', [])
        return {'dev': entry['ifname'], 'mac': entry['mac'], 'vlan': entry.get('vlan'), 'self': 'self' in flags,
                'nud': entry.get('state') if entry.get('state') in NUDS else 'dynamic',
                'dst': entry.get('dst'), 'vni': entry.get('vni'), 'port': entry.get('port'),
                'src_vni': entry.get('src_vni'), 'via': entry.get('viaIf', ''),
                'sticky': 'sticky' in flags, 'extern_learn': 'extern_learn' in flags}

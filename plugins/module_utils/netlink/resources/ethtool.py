# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A network device's ethtool settings (generic netlink family ethtool), one object per device.

Identity is the device; each setting group (features, rings, channels, ...) is one attribute holding a
dict, compared key by key: only the keys given are managed. The messages come from the generated
families/gen/ethtool.py; the user keys and renderings from ethtool_settings.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ctypes
import errno
import fcntl
import socket
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import genl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen import ethtool as spec
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import ethtool_settings as es

# ETHTOOL_GDRVINFO through SIOCETHTOOL (linux/sockios.h, linux/ethtool.h): the netlink family has no
# driver-info message in the kernels this collection supports
SIOCETHTOOL = 0x8946
ETHTOOL_GDRVINFO = 0x00000003
DRVINFO = struct.Struct('=I32s32s32s32s32s12sIIIII')
IFREQ = struct.Struct('16sP16x')  # ifr_name, ifr_data (a pointer), the rest of the union

GET_OPS = {'features': 'features-get', 'rings': 'rings-get', 'channels': 'channels-get',
           'coalesce': 'coalesce-get', 'pause': 'pause-get', 'eee': 'eee-get', 'wol': 'wol-get',
           'link': 'linkmodes-get', 'private_flags': 'privflags-get', 'fec': 'fec-get'}
SET_OPS = {'features': 'features-set', 'rings': 'rings-set', 'channels': 'channels-set',
           'coalesce': 'coalesce-set', 'pause': 'pause-set', 'eee': 'eee-set', 'wol': 'wol-set',
           'link': 'linkmodes-set', 'private_flags': 'privflags-set', 'fec': 'fec-set'}


def same(want, have):
    """A group's wanted keys all equal the current ones (lists as sets); keys not given are not managed."""
    if not isinstance(have, dict):
        return False
    for key, value in want.items():
        current = have.get(key)
        if isinstance(value, list) and isinstance(current, list):
            if sorted(value) != sorted(current):
                return False
        elif value != current:
            return False
    return True


def changed_keys(want, have):
    return dict((k, v) for k, v in want.items() if not same({k: v}, have or {}))


def drvinfo(sock, dev):
    """{'driver', 'version', 'firmware', 'bus'} of a device (ETHTOOL_GDRVINFO on ``sock``), or None."""
    buf = ctypes.create_string_buffer(DRVINFO.pack(ETHTOOL_GDRVINFO, *([b''] * 6 + [0] * 5)), DRVINFO.size)
    try:
        fcntl.ioctl(sock.fileno(), SIOCETHTOOL, IFREQ.pack(dev.encode(), ctypes.addressof(buf)))
    except (OSError, IOError):
        return None
    fields = DRVINFO.unpack(buf.raw)

    def text(raw):
        return raw.split(b'\0', 1)[0].decode('utf-8', 'replace')
    return {'driver': text(fields[1]), 'version': text(fields[2]), 'firmware': text(fields[3]),
            'bus': text(fields[4])}


def inet_socket(netns):
    """A socket in ``netns`` for the ethtool ioctl (it acts on the devices of the socket's namespace)."""
    with nl.netns_entered(netns):
        return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)


class Ethtool(Resource):
    protocol = nl.NETLINK_GENERIC
    identity = ('dev',)
    attributes = tuple(Attribute(group, equal=same) for group in es.GROUPS)
    options = dict(
        dev=dict(type='str', required=True),
        features=dict(type='dict'),
        rings=dict(type='dict'),
        channels=dict(type='dict'),
        coalesce=dict(type='dict'),
        pause=dict(type='dict'),
        eee=dict(type='dict'),
        wol=dict(type='dict'),
        link=dict(type='dict'),
        private_flags=dict(type='dict'),
        fec=dict(type='dict'),
    )

    def __init__(self, conn, scope_values, netns=None):
        super(Ethtool, self).__init__(conn, scope_values, netns)
        self.extras = {}  # per device: fixed features, supported modes, link mode bit indexes
        self.drivers = {}
        self._feature_names = None
        self.wants = []

    # -- reading --------------------------------------------------------------------------------
    def driver(self, dev):
        if dev not in self.drivers:
            sock = inet_socket(self.netns)
            try:
                self.drivers[dev] = drvinfo(sock, dev)
            finally:
                sock.close()
        return (self.drivers[dev] or {}).get('driver') or 'of %s' % dev

    def feature_names(self, et):
        """The kernel's feature names (ETH_SS_FEATURES), in bit order."""
        if self._feature_names is None:
            reply = et.do('strset-get', {'header': {}, 'stringsets': {'stringset': [{'id': es.ETH_SS_FEATURES}]}})
            names = {}
            for stringset in reply[0].get('stringsets', {}).get('stringset', []):
                for strings in stringset.get('strings', []):
                    for string in strings.get('string', []):
                        names[string.get('index')] = string.get('value')
            self._feature_names = [names[i] for i in sorted(names)]
        return self._feature_names

    def read(self, et, dev, groups):
        """The device's settings for ``groups`` (those the driver supports); None when there is no such device."""
        have = {'dev': dev}
        self.extras[dev] = {}
        for group in groups:
            try:
                reply = et.do(GET_OPS[group], {'header': self.header(group, {'dev-name': dev})})[0]
            except NetlinkError as exc:
                if exc.code == errno.ENODEV:
                    return None
                if exc.code == errno.EOPNOTSUPP:
                    continue
                raise
            self.take(et, have, group, reply)
        return have

    def read_all(self, et):
        """Every device's every group, one dump per group (the kernel leaves out devices without it)."""
        haves = {}
        for dev in self.devices(et):
            haves[dev] = {'dev': dev}
            self.extras[dev] = {}
        for group in es.GROUPS:
            for reply in et.dump(GET_OPS[group], {'header': self.header(group, {})}):
                have = haves.get(reply.get('header', {}).get('dev-name'))
                if have is not None:
                    self.take(et, have, group, reply)
        return [haves[dev] for dev in sorted(haves)]

    @staticmethod
    def header(group, header):
        if group == 'features':
            header['flags'] = ['compact-bitsets']
        return header

    def take(self, et, have, group, reply):
        """One group's reply into ``have`` (and what normalize needs to know into extras)."""
        extras = self.extras[have['dev']]
        if group == 'features':
            have[group], extras['fixed'] = es.features_shown(reply, self.feature_names(et))
        elif group in es.SCALARS:
            have[group] = es.scalar_group(group, reply)
        elif group == 'private_flags':
            on = set(es.bitset_on(reply.get('flags')))
            have[group] = dict((name, name in on) for name in es.bitset_listed(reply.get('flags')))
        elif group == 'wol':
            have[group] = {'modes': sorted(es.bitset_on(reply.get('modes')))}
            extras['wol'] = es.bitset_listed(reply.get('modes'))
        elif group == 'link':
            have[group] = es.link_group(reply)
            extras['link'] = es.bitset_indexes(reply.get('ours'))
        else:
            have[group] = es.fec_group(reply)

    @staticmethod
    def devices(et):
        """Every device of the namespace: each has features (a dump, without rtnetlink and pyroute2)."""
        return sorted(reply['header']['dev-name'] for reply in et.dump('features-get', {'header': {}}))

    def gather(self):
        """The wanted devices' given groups; without wants (gathered, facts) every device's every group."""
        haves = []
        with genl.Genl(self.conn, spec) as et:
            if not self.wants:
                return self.read_all(et)
            plan = dict((w['dev'], [g for g in es.GROUPS if w.get(g) is not None] or es.GROUPS) for w in self.wants)
            for dev in sorted(plan):
                have = self.read(et, dev, plan[dev])
                if have is not None:
                    haves.append(have)
        return haves

    def check_request(self, state, wants):
        if state == 'deleted':
            raise ValidationError('state=deleted is not meaningful for ethtool settings (a device always has '
                                  'them); set the values wanted with state=merged')
        super(Ethtool, self).check_request(state, wants)

    def in_scope(self, have):
        return False  # settings are never removed: overridden acts on the groups given, like merged

    # -- checking what is wanted against what the driver can do ----------------------------------------
    def normalize(self, item):
        dev = item['dev']
        want = {'dev': dev}
        groups = [g for g in es.GROUPS if item.get(g) is not None]
        with genl.Genl(self.conn, spec) as et:
            have = self.read(et, dev, groups)
        if have is None:
            raise ValidationError('dev: no device %s in %s' % (dev, self.netns or 'this namespace'))
        for group in groups:
            if group not in have:
                raise ValidationError('driver %s does not support %s (ethtool %s on %s: Operation not supported)'
                                      % (self.driver(dev), group, es.ETHTOOL_WORDS[group], dev))
            value = item[group]
            if not isinstance(value, dict):
                raise ValidationError('%s: expected a mapping of settings, got %r' % (group, value))
            want[group] = getattr(self, 'want_' + group, self.want_scalars)(group, value, have[group], dev)
        return want

    def unsupported(self, group, keys, dev):
        if keys:
            raise ValidationError('driver %s does not support %s %s on %s' % (
                self.driver(dev), group, ', '.join(sorted(keys)), dev))

    def want_scalars(self, group, value, have, dev):
        settings = es.check_scalars(group, value)
        self.unsupported(group, set(settings) - set(have), dev)
        return settings

    def want_features(self, group, value, have, dev):
        fixed = self.extras[dev].get('fixed', set())
        wanted = {}
        for name, on in value.items():
            on = es.as_bool('features.%s' % name, on)
            name = es.SHORT_FEATURES.get(name, name)
            name = es.KERNEL_TO_SHOWN.get(name, name)
            if name in es.FEATURE_GROUPS:
                members = [m for m in es.FEATURE_GROUPS[name] if m in have]
                free = [m for m in members if m not in fixed]
                for member in free or members:
                    wanted[member] = on
            elif name in have:
                wanted[name] = on
            else:
                raise ValidationError('features: %s is not a feature of %s (see `ethtool -k %s`)' % (name, dev, dev))
        stuck = sorted(name for name, on in wanted.items() if name in fixed and have[name] != on)
        if stuck:
            raise ValidationError('features: %s %s fixed on %s: driver %s cannot change %s (%s)' % (
                ', '.join(stuck), 'is' if len(stuck) == 1 else 'are', dev, self.driver(dev),
                'it' if len(stuck) == 1 else 'them', ', '.join('%s stays %s' % (n, es.on_off(have[n])) for n in stuck)))
        return wanted

    def want_private_flags(self, group, value, have, dev):
        wanted = dict((name, es.as_bool('private_flags.%s' % name, on)) for name, on in value.items())
        self.unsupported('private flag', set(wanted) - set(have), dev)
        return wanted

    def want_wol(self, group, value, have, dev):
        self.only_keys('wol', value, ('modes',))
        modes = sorted(set(value.get('modes') or []))
        unknown = set(modes) - set(es.WOL_LETTERS)
        if unknown:
            raise ValidationError('wol.modes: %s not a mode; known: %s'
                                  % (', '.join(sorted(unknown)), ', '.join(sorted(es.WOL_LETTERS))))
        self.unsupported('wol mode', set(modes) - set(self.extras[dev].get('wol', [])), dev)
        return {'modes': modes}

    def want_link(self, group, value, have, dev):
        self.only_keys('link', value, es.LINK_KEYS)
        want = {}
        if value.get('autoneg') is not None:
            want['autoneg'] = es.as_bool('link.autoneg', value['autoneg'])
        if value.get('speed') is not None:
            want['speed'] = es.checked_value('link.speed', value['speed'], int)
        if value.get('duplex') is not None:
            want['duplex'] = es.checked_value('link.duplex', value['duplex'], es.DUPLEX)
        if value.get('advertise') is not None:
            want['advertise'] = sorted(set(value['advertise']))
            self.unsupported('link mode', set(want['advertise']) - set(self.extras[dev].get('link', {})), dev)
        return want

    def want_fec(self, group, value, have, dev):
        self.only_keys('fec', value, ('encoding',))
        encoding = sorted(set(value.get('encoding') or []))
        allowed = set(es.FEC_MODES) | {'auto'}
        if not encoding or set(encoding) - allowed:
            raise ValidationError('fec.encoding: %r; give a list of %s'
                                  % (value.get('encoding'), ', '.join(sorted(allowed))))
        return {'encoding': encoding}

    @staticmethod
    def only_keys(group, value, keys):
        unknown = set(value) - set(keys)
        if unknown:
            raise ValidationError('%s: unknown setting %s; known: %s'
                                  % (group, ', '.join(sorted(unknown)), ', '.join(keys)))

    # -- writing --------------------------------------------------------------------------------
    def changes_of(self, change):
        """[(group, {key: value})] of what a change really changes, group by group."""
        out = []
        for group in es.GROUPS:
            if group in change.delta:
                changed = changed_keys(change.delta[group], (change.before or {}).get(group))
                if changed:
                    out.append((group, changed))
        return out

    def request(self, dev, group, changed):
        values = {'header': {'dev-name': dev}}
        if group == 'features':
            names = dict((es.SINGLE_FEATURES.get(k, k), v) for k, v in changed.items())
            values['header']['flags'] = ['omit-reply']
            values['wanted'] = es.bitset_changes(names)
        elif group == 'private_flags':
            values['flags'] = es.bitset_changes(changed)
        elif group in es.SCALARS:
            values.update(es.scalar_values(group, changed))
        elif group == 'wol':
            values['modes'] = es.bitset_exactly(changed['modes'])
        elif group == 'fec':
            modes = [es.FEC_MODES[m] for m in changed['encoding'] if m != 'auto']
            values.update({'auto': int('auto' in changed['encoding']), 'modes': es.bitset_exactly(modes)})
        else:
            for key in ('autoneg', 'speed'):
                if key in changed:
                    values[key] = int(changed[key])
            if 'duplex' in changed:
                values['duplex'] = es.DUPLEX[changed['duplex']]
            if 'advertise' in changed:
                values['ours'] = es.bitset_exactly(changed['advertise'])
        return SET_OPS[group], values

    def apply(self, changes):
        requests, owners = [], []
        for index, change in enumerate(changes):
            for group, changed in self.changes_of(change):
                op, values = self.request(change.key[0], group, changed)
                requests.append((op, values, 0))
                owners.append((index, group))
        errors = {}
        with genl.Genl(self.conn, spec) as et:
            for position, error in sorted(et.bulk(requests).items()):
                index, group = owners[position]
                error = error.with_context('ethtool %s' % requests[position][0])
                if error.code == errno.EOPNOTSUPP:
                    error = error.with_context('driver %s does not support changing %s'
                                               % (self.driver(changes[index].key[0]), group))
                errors.setdefault(index, error)
        return errors

    def render(self, change):
        dev = change.key[0]
        prefix = (['ip', 'netns', 'exec', self.netns] if self.netns else []) + ['ethtool']
        commands = []
        for group, changed in self.changes_of(change):
            words = es.render_words(group, changed, self.extras.get(dev, {}).get('link'))
            words[1] = dev
            commands.append(' '.join(prefix + [str(w) for w in words]))
        return commands

    @classmethod
    def parse(cls, text):
        """`ethtool --json` output (-k, -a, --show-fec; -g/-l/-c where ethtool prints JSON for them)."""
        return es.parse(text)


class EthtoolFacts(Ethtool):
    """nl_facts' ``ethtool`` subset: per device, driver info, link state and the nl_ethtool settings."""

    def gather(self):
        haves = Ethtool.gather(self)
        with genl.Genl(self.conn, spec) as et:
            links = dict((reply.get('header', {}).get('dev-name'), reply)
                         for reply in et.dump('linkstate-get', {'header': {}}))
        sock = inet_socket(self.netns)
        try:
            for have in haves:
                have['driver'] = drvinfo(sock, have['dev'])
        finally:
            sock.close()
        for have in haves:
            state = links.get(have['dev'], {})
            have['link_detected'] = bool(state['link']) if 'link' in state else None
        return haves

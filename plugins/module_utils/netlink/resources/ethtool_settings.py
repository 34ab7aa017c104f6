# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_ethtool's settings: which kernel attribute each user key is, how it reads and how it renders.

User keys are the names ``ethtool`` gives the settings (its ``--json`` output, which for most groups is
also what its set commands take); kernel attributes are the generated ethtool family's
(families/gen/ethtool.py). This file knows no sockets: resources/ethtool.py reads and writes with it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

# enum ethtool_stringset (linux/ethtool.h); the spec leaves its entries to the header
ETH_SS_PRIV_FLAGS = 2
ETH_SS_FEATURES = 4
DUPLEX = {'half': 0, 'full': 1}  # DUPLEX_* (linux/ethtool.h); 0xff is DUPLEX_UNKNOWN
SPEED_UNKNOWN = 0xffffffff

# Scalar groups: user key -> (kernel attribute, kind). kind: int, bool (u8 0/1), or a {user: kernel} enum.
TCP_DATA_SPLIT = {'auto': 'unknown', 'off': 'disabled', 'on': 'enabled'}
SCALARS = {
    'rings': ('rings', '-G', (
        ('rx', 'rx', int), ('rx-mini', 'rx-mini', int), ('rx-jumbo', 'rx-jumbo', int), ('tx', 'tx', int),
        ('rx-buf-len', 'rx-buf-len', int), ('cqe-size', 'cqe-size', int), ('tx-push', 'tx-push', bool),
        ('rx-push', 'rx-push', bool), ('tx-push-buf-len', 'tx-push-buf-len', int),
        ('hds-thresh', 'hds-thresh', int), ('tcp-data-split', 'tcp-data-split', TCP_DATA_SPLIT))),
    'channels': ('channels', '-L', (
        ('rx', 'rx-count', int), ('tx', 'tx-count', int), ('other', 'other-count', int),
        ('combined', 'combined-count', int))),
    'coalesce': ('coalesce', '-C', (
        ('adaptive-rx', 'use-adaptive-rx', bool), ('adaptive-tx', 'use-adaptive-tx', bool),
        ('rx-usecs', 'rx-usecs', int), ('rx-frames', 'rx-max-frames', int),
        ('rx-usecs-irq', 'rx-usecs-irq', int), ('rx-frames-irq', 'rx-max-frames-irq', int),
        ('tx-usecs', 'tx-usecs', int), ('tx-frames', 'tx-max-frames', int),
        ('tx-usecs-irq', 'tx-usecs-irq', int), ('tx-frames-irq', 'tx-max-frames-irq', int),
        ('stats-block-usecs', 'stats-block-usecs', int), ('sample-interval', 'rate-sample-interval', int),
        ('pkt-rate-low', 'pkt-rate-low', int), ('rx-usecs-low', 'rx-usecs-low', int),
        ('rx-frames-low', 'rx-max-frames-low', int), ('tx-usecs-low', 'tx-usecs-low', int),
        ('tx-frames-low', 'tx-max-frames-low', int), ('pkt-rate-high', 'pkt-rate-high', int),
        ('rx-usecs-high', 'rx-usecs-high', int), ('rx-frames-high', 'rx-max-frames-high', int),
        ('tx-usecs-high', 'tx-usecs-high', int), ('tx-frames-high', 'tx-max-frames-high', int),
        ('cqe-mode-rx', 'use-cqe-mode-rx', bool), ('cqe-mode-tx', 'use-cqe-mode-tx', bool),
        ('tx-aggr-max-bytes', 'tx-aggr-max-bytes', int), ('tx-aggr-max-frames', 'tx-aggr-max-frames', int),
        ('tx-aggr-time-usecs', 'tx-aggr-time-usecs', int))),
    'pause': ('pause', '-A', (
        ('autonegotiate', 'autoneg', bool), ('rx', 'rx', bool), ('tx', 'tx', bool))),
    'eee': ('eee', '--set-eee', (
        ('eee', 'enabled', bool), ('tx-lpi', 'tx-lpi-enabled', bool), ('tx-timer', 'tx-lpi-timer', int))),
}
# where a user key's ethtool command word differs from the key
COMMAND_WORDS = {('pause', 'autonegotiate'): 'autoneg'}

# ethtool -k names: a legacy name standing for one kernel feature is printed instead of it; one standing for
# several is printed above them (and sets them all with ethtool -K). Short names are what ethtool -K also takes.
SINGLE_FEATURES = {
    'rx-checksumming': 'rx-checksum', 'generic-segmentation-offload': 'tx-generic-segmentation',
    'generic-receive-offload': 'rx-gro', 'large-receive-offload': 'rx-lro',
    'rx-vlan-offload': 'rx-vlan-hw-parse', 'tx-vlan-offload': 'tx-vlan-hw-insert',
    'ntuple-filters': 'rx-ntuple-filter', 'receive-hashing': 'rx-hashing',
}
FEATURE_GROUPS = {
    'tx-checksumming': ('tx-checksum-ipv4', 'tx-checksum-ip-generic', 'tx-checksum-ipv6', 'tx-checksum-fcoe-crc',
                        'tx-checksum-sctp'),
    'scatter-gather': ('tx-scatter-gather', 'tx-scatter-gather-fraglist'),
    'tcp-segmentation-offload': ('tx-tcp-segmentation', 'tx-tcp-ecn-segmentation', 'tx-tcp-mangleid-segmentation',
                                 'tx-tcp6-segmentation', 'tx-tcp-accecn-segmentation'),
}
SHORT_FEATURES = {
    'rx': 'rx-checksumming', 'tx': 'tx-checksumming', 'sg': 'scatter-gather', 'tso': 'tcp-segmentation-offload',
    'gso': 'generic-segmentation-offload', 'gro': 'generic-receive-offload', 'lro': 'large-receive-offload',
    'rxvlan': 'rx-vlan-offload', 'txvlan': 'tx-vlan-offload', 'ntuple': 'ntuple-filters', 'rxhash': 'receive-hashing',
}
KERNEL_TO_SHOWN = dict((kernel, shown) for shown, kernel in SINGLE_FEATURES.items())

# Wake-on-LAN modes (the kernel's ETH_SS_WOL_MODES names) and the letter `ethtool -s DEV wol` takes for each
WOL_LETTERS = {'phy': 'p', 'ucast': 'u', 'mcast': 'm', 'bcast': 'b', 'arp': 'a', 'magic': 'g',
               'magicsecure': 's', 'filter': 'f'}
# FEC encodings as `ethtool --set-fec encoding` names them -> the kernel's link mode names (auto is a flag)
FEC_MODES = {'off': 'None', 'rs': 'RS', 'baser': 'BASER', 'llrs': 'LLRS'}
FEC_NAMES = dict((kernel, name) for name, kernel in FEC_MODES.items())
LINK_KEYS = ('autoneg', 'speed', 'duplex', 'advertise')
GROUPS = ('features', 'rings', 'channels', 'coalesce', 'pause', 'eee', 'wol', 'link', 'private_flags', 'fec')
ETHTOOL_WORDS = {'features': '-k/-K', 'rings': '-g/-G', 'channels': '-l/-L', 'coalesce': '-c/-C',
                 'pause': '-a/-A', 'eee': '--show-eee/--set-eee', 'wol': 'wol', 'link': '-s',
                 'private_flags': '--show-priv-flags', 'fec': '--show-fec/--set-fec'}


# -- bitsets (the kernel's verbose form: a list of named bits) ----------------------------------------

def compact_on(bitset, names):
    """Names of the bits set in a compact bitset (u32 words in host order), named by a string set."""
    data = (bitset or {}).get('value') or b''
    words = struct.unpack('=%dI' % (len(data) // 4), data[:len(data) // 4 * 4])
    return set(names[i] for i in range(min(len(names), 32 * len(words))) if words[i // 32] >> (i % 32) & 1)


def bitset_on(bitset):
    """Names of the bits set in a verbose bitset (all listed ones when it has no mask)."""
    bits = (bitset or {}).get('bits', {}).get('bit', [])
    nomask = (bitset or {}).get('nomask')
    return [b.get('name') for b in bits if nomask or b.get('value')]


def bitset_listed(bitset):
    """Names of every bit a verbose bitset lists (with a mask: the bits the device supports)."""
    return [b.get('name') for b in (bitset or {}).get('bits', {}).get('bit', [])]


def bitset_indexes(bitset):
    return dict((b.get('name'), b.get('index')) for b in (bitset or {}).get('bits', {}).get('bit', []))


def bitset_changes(values):
    """A masked verbose bitset changing the named bits: {name: True/False}; unlisted bits stay."""
    return {'bits': {'bit': [dict({'name': name}, **({'value': True} if on else {}))
                             for name, on in sorted(values.items())]}}


def bitset_exactly(names):
    """A verbose bitset without mask: exactly these bits set."""
    return {'nomask': True, 'bits': {'bit': [{'name': name, 'value': True} for name in sorted(names)]}}


# -- replies -> user shape ------------------------------------------------------------------------------

def scalar_group(group, reply):
    """A scalar group's reply as {user key: value}; keys the driver does not report are absent."""
    out = {}
    for key, attr, kind in SCALARS[group][2]:
        if attr not in reply:
            continue
        value = reply[attr]
        if kind is bool:
            value = bool(value)
        elif isinstance(kind, dict):
            value = dict((v, k) for k, v in kind.items()).get(value, value)
        out[key] = value
    return out


def features_shown(reply, names):
    """{ethtool -k name: active} for every kernel feature (a reply with compact bitsets: decoding ~60 named
    bits four times a device is the slow part of gathering); and the set of names that cannot change."""
    active = compact_on(reply.get('active'), names)
    changeable = compact_on(reply.get('hw'), names) - compact_on(reply.get('nochange'), names)
    shown, fixed = {}, set()
    for name in names:
        if not name:
            continue  # a bit the kernel has no name for
        label = KERNEL_TO_SHOWN.get(name, name)
        shown[label] = name in active
        if name not in changeable:
            fixed.add(label)
    return shown, fixed


def link_group(reply):
    duplex = dict((v, k) for k, v in DUPLEX.items()).get(reply.get('duplex'))
    out = {'autoneg': bool(reply.get('autoneg')), 'advertise': sorted(bitset_on(reply.get('ours')))}
    if reply.get('speed') not in (None, SPEED_UNKNOWN):
        out['speed'] = reply['speed']
    if duplex:
        out['duplex'] = duplex
    return out


def fec_group(reply):
    modes = [FEC_NAMES.get(name, name) for name in bitset_on(reply.get('modes'))]
    return {'encoding': sorted(modes + (['auto'] if reply.get('auto') else []))}


# -- desired user shape -> kernel values -----------------------------------------------------------------

def scalar_values(group, settings):
    table = dict((key, (attr, kind)) for key, attr, kind in SCALARS[group][2])
    values = {}
    for key, value in settings.items():
        attr, kind = table[key]
        values[attr] = TCP_DATA_SPLIT[value] if isinstance(kind, dict) else int(value)
    return values


def check_scalars(group, settings):
    """A scalar group's settings in canonical types; a clear error for unknown keys and bad values."""
    table = dict((key, kind) for key, _attr, kind in SCALARS[group][2])
    out = {}
    for key, value in (settings or {}).items():
        if key not in table:
            raise ValidationError('%s: unknown setting %r; known: %s' % (group, key, ', '.join(sorted(table))))
        kind = table[key]
        out[key] = checked_value('%s.%s' % (group, key), value, kind)
    return out


def checked_value(where, value, kind):
    if kind is bool:
        return as_bool(where, value)
    if isinstance(kind, dict):
        if value not in kind:
            raise ValidationError('%s: %r is not one of %s' % (where, value, ', '.join(sorted(kind))))
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value), 0)
        except ValueError:
            raise ValidationError('%s: %r is not a number' % (where, value))
    if not 0 <= value <= 0xffffffff:
        raise ValidationError('%s: %r is out of range (0-4294967295)' % (where, value))
    return value


def as_bool(where, value):
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in ('on', 'true', 'yes', '1'):
        return True
    if text in ('off', 'false', 'no', '0'):
        return False
    raise ValidationError('%s: %r is not a boolean (true/false, on/off)' % (where, value))


# -- rendering as ethtool commands ------------------------------------------------------------------------

def on_off(value):
    return 'on' if value else 'off'


def render_words(group, changed, indexes=None):
    """The ethtool arguments after the device name that set ``changed`` (a {key: value} of one group)."""
    if group == 'features':
        return ['-K', None] + [w for name in sorted(changed) for w in (name, on_off(changed[name]))]
    if group == 'private_flags':
        return ['--set-priv-flags', None] + [w for name in sorted(changed) for w in (name, on_off(changed[name]))]
    if group in SCALARS:
        words = [SCALARS[group][1], None]
        for key, _attr, kind in SCALARS[group][2]:
            if key in changed:
                value = changed[key]
                words += [COMMAND_WORDS.get((group, key), key), on_off(value) if kind is bool else value]
        return words
    if group == 'wol':
        letters = ''.join(sorted(WOL_LETTERS[m] for m in changed['modes'])) or 'd'
        return ['-s', None, 'wol', letters]
    if group == 'fec':
        return ['--set-fec', None, 'encoding'] + sorted(changed['encoding'])
    words = ['-s', None]
    if 'autoneg' in changed:
        words += ['autoneg', on_off(changed['autoneg'])]
    for key in ('speed', 'duplex'):
        if key in changed:
            words += [key, changed[key]]
    if 'advertise' in changed:
        mask = sum(1 << (indexes or {}).get(name, 0) for name in changed['advertise'])
        words += ['advertise', '0x%x' % mask]
    return words


# -- ethtool --json output -> user shape (state=parsed) ---------------------------------------------------

def json_documents(text):
    """Every JSON document in ``text`` (the outputs of several `ethtool --json` runs may be concatenated)."""
    decoder, at, found = json.JSONDecoder(), 0, []
    text = text or ''
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return found
        try:
            value, at = decoder.raw_decode(text, at)
        except ValueError as exc:
            raise ValidationError('running_config is not the JSON `ethtool --json` prints: %s' % exc)
        found.extend(value if isinstance(value, list) else [value])


def parse_object(entry):
    """One object of `ethtool --json` output as (dev, group, settings), or None for what is not settings."""
    dev = entry.get('ifname')
    rest = dict((k, v) for k, v in entry.items() if k != 'ifname')
    if not dev or not rest:
        return None
    if all(isinstance(v, dict) and 'active' in v for v in rest.values()):
        # -k: a group name (several features) is derived from its members, which are listed too
        return dev, 'features', dict((k, bool(v['active'])) for k, v in rest.items()
                                     if k not in FEATURE_GROUPS and v.get('active') is not None)
    if 'autonegotiate' in rest:
        return dev, 'pause', dict((k, bool(rest[k])) for k in ('autonegotiate', 'rx', 'tx') if k in rest)
    if 'config' in rest:
        modes = [str(m).lower() for m in rest['config']]
        return dev, 'fec', {'encoding': sorted('off' if m in ('none', 'off') else m for m in modes)}
    if 'combined-max' in rest or 'other-max' in rest:
        group = 'channels'
    elif 'rx-mini-max' in rest or 'rx-jumbo-max' in rest:
        group = 'rings'
    elif 'rx-usecs' in rest or 'adaptive-rx' in rest:
        group = 'coalesce'
    else:
        return None
    keys = dict((key, kind) for key, _attr, kind in SCALARS[group][2])
    return dev, group, dict((k, checked_value(k, v, keys[k])) for k, v in rest.items()
                            if k in keys and v is not None and v != 'n/a')


def parse(text):
    devices = {}
    for entry in json_documents(text):
        found = parse_object(entry) if isinstance(entry, dict) else None
        if found:
            dev, group, settings = found
            devices.setdefault(dev, {'dev': dev}).setdefault(group, {}).update(settings)
    return [devices[name] for name in sorted(devices)]

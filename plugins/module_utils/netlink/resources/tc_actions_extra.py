# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""More tc action kinds of nl_tc_filter: police, pedit, skbmod, ctinfo and gate (linux/pkt_cls.h,
linux/tc_act/tc_*.h), in the same shape as tc_actions.py (options, normalize, encode, decode, words).

police has its own parameter struct (struct tc_police, with its verdicts in it) and wants, beside its
64-bit rate, the 256-slot rate table of the 32-bit era: the kernel refuses a byte rate without one
(qdisc_get_rtab). Sizes and times are tc's words, converted with the host's psched clock as tc does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import (
    TC_GEN, ActionKind, choice, eth_type, eth_type_number, missing, number, verdict, verdict_name, verdict_number)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_bpf import (
    BPF_ACTION, BPF_PARMS_TYPE)

# -- police --------------------------------------------------------------------------------------------
TCA_POLICE_TBF, TCA_POLICE_RATE, TCA_POLICE_PEAKRATE, TCA_POLICE_AVRATE, TCA_POLICE_RESULT = 1, 2, 3, 4, 5
TCA_POLICE_RATE64, TCA_POLICE_PEAKRATE64, TCA_POLICE_PKTRATE64, TCA_POLICE_PKTBURST64 = 8, 9, 10, 11
POLICE = struct.Struct('=IiIII12s12siiI')  # index action limit burst mtu rate peakrate refcnt bindcnt capab
DEFAULT_MTU = 2047  # tc's mtu for the rate table when none is given
LINKLAYERS = {'ethernet': 1, 'atm': 2}  # TC_LINKLAYER_* (linux/pkt_sched.h)
ATM_CELL_PAYLOAD, ATM_CELL_SIZE = 48, 53
# avrate compares with a rate estimator, which comes only from the filter message (TCA_RATE, struct
# tc_estimator): without one the kernel refuses avrate (EINVAL). tc's `estimator 1sec 8sec`: an interval of
# 2^0 s, averaged over 2^3 intervals.
ESTIMATOR, ESTIMATOR_WORDS = struct.pack('=bB', 0, 3), ['estimator', '1sec', '8sec']


def _estimated(actions):
    return any(a.get('kind') == 'police' and (a.get('police') or {}).get('avrate') for a in actions or ())


def estimator_attrs(actions):
    """The filter message's TCA_RATE when a police action has an avrate."""
    return [('TCA_RATE', ESTIMATOR)] if _estimated(actions) else []


def estimator_words(actions):
    return list(ESTIMATOR_WORDS) if _estimated(actions) else []


def _rate_table(clock, rate, mtu, o):
    """tc_calc_rtable: the transmit time of each slot's size (at least mpu; on ATM, whole 53-byte cells of
    48 bytes of payload). The kernel uses the linklayer of the ratespec, the table only to detect one."""
    cell_log = _cell_log(mtu or DEFAULT_MTU)
    sizes = [max((slot + 1) << cell_log, o['mpu']) for slot in range(256)]
    if o['linklayer'] == 'atm':
        sizes = [-(-size // ATM_CELL_PAYLOAD) * ATM_CELL_SIZE for size in sizes]
    return cell_log, struct.pack('=256I', *[clock.xmittime(rate, size) for size in sizes])


def _cell_log(mtu):
    cell_log = 0
    while (mtu >> cell_log) > 255:
        cell_log += 1
    return cell_log


def _police_normalize(o, where):
    out = {'rate': None, 'burst': None, 'mtu': None, 'peakrate': None, 'overhead': 0, 'mpu': None,
           'linklayer': None, 'pkts_rate': None, 'pkts_burst': None, 'avrate': None,
           'conform': verdict(o.get('conform') or 'pass', where + '.conform'),
           'exceed': verdict(o.get('exceed') or 'reclassify', where + '.exceed')}
    if (o.get('mpu') is not None or o.get('linklayer') is not None) and o.get('rate') is None:
        raise ValidationError('%s: mpu and linklayer go with rate' % where)
    if o.get('avrate') is not None:
        avrate = tc.parse_rate(o['avrate'], where + '.avrate')
        if not 0 < avrate < 2 ** 32:  # TCA_POLICE_AVRATE is a u32 of bytes per second
            raise ValidationError('%s.avrate: %r is not from 1 byte/s to 4 GB/s' % (where, o['avrate']))
        out['avrate'] = tc.format_rate(avrate)
        if o.get('rate') is not None or o.get('pkts_rate') is not None:
            # the kernel would take both; tc (6.1) has no words for them together, so it could not replay it
            raise ValidationError('%s.avrate goes alone, without rate or pkts_rate' % where)
        return out
    if (o.get('rate') is None) == (o.get('pkts_rate') is None):
        raise ValidationError('%s: give rate (bytes) or pkts_rate (packets), one of them (or avrate)' % where)
    if o.get('rate') is not None:
        rate = tc.parse_rate(o['rate'], where + '.rate')
        burst = tc.parse_size(o.get('burst') or missing(where + '.burst'), where + '.burst')
        out.update(rate=tc.format_rate(rate), burst=tc.format_size(burst))
        mtu = tc.parse_size(o['mtu'], where + '.mtu') if o.get('mtu') is not None else 0
        # the kernel turns mtu 0 into the largest packet the rate table covers
        out['mtu'] = tc.format_size(mtu or 255 << _cell_log(DEFAULT_MTU))
        if o.get('peakrate') is not None:
            if not mtu:
                raise ValidationError('%s.peakrate needs mtu' % where)
            out['peakrate'] = tc.format_rate(tc.parse_rate(o['peakrate'], where + '.peakrate'))
        out['overhead'] = number(o.get('overhead') or 0, where + '.overhead', 0, 0xFFFF)
        out['mpu'] = tc.parse_size(o['mpu'], where + '.mpu') if o.get('mpu') is not None else 0
        if out['mpu'] > 0xFFFF:
            raise ValidationError('%s.mpu: %r is more than 65535 bytes' % (where, o['mpu']))
        out['linklayer'] = choice(str(o.get('linklayer') or 'ethernet').lower(), LINKLAYERS, where + '.linklayer')
    else:
        out['pkts_rate'] = number(o['pkts_rate'], where + '.pkts_rate', 1, 2 ** 64 - 1)
        out['pkts_burst'] = number(o.get('pkts_burst') or missing(where + '.pkts_burst'), where + '.pkts_burst', 1)
    return out


def _police_encode(o, ctx):
    clock = tc.psched()
    attrs, rate_spec, peak_spec, burst, mtu = [], b'\0' * 12, b'\0' * 12, 0, 0
    if o['rate']:
        rate = tc.parse_rate(o['rate'], 'rate')
        mtu = tc.parse_size(o['mtu'], 'mtu')
        cell_log, table = _rate_table(clock, rate, mtu, o)
        rate_spec = tc.pack_ratespec(rate, LINKLAYERS[o['linklayer']], o['overhead'], o['mpu'], cell_log)
        burst = clock.xmittime(rate, tc.parse_size(o['burst'], 'burst'))
        attrs.append(tc.nla(TCA_POLICE_RATE, table))
        if rate >= 2 ** 32:
            attrs.append(tc.nla_u64(TCA_POLICE_RATE64, rate))
        if o['peakrate']:
            peak = tc.parse_rate(o['peakrate'], 'peakrate')
            cell_log, table = _rate_table(clock, peak, mtu, o)
            peak_spec = tc.pack_ratespec(peak, LINKLAYERS[o['linklayer']], o['overhead'], o['mpu'], cell_log)
            attrs.append(tc.nla(TCA_POLICE_PEAKRATE, table))
            if peak >= 2 ** 32:
                attrs.append(tc.nla_u64(TCA_POLICE_PEAKRATE64, peak))
    elif o['pkts_rate']:
        attrs += [tc.nla_u64(TCA_POLICE_PKTRATE64, o['pkts_rate']),
                  tc.nla_u64(TCA_POLICE_PKTBURST64, clock.xmittime(o['pkts_rate'], o['pkts_burst']))]
    if o.get('avrate'):
        attrs.append(tc.nla_u32(TCA_POLICE_AVRATE, tc.parse_rate(o['avrate'], 'avrate')))
    parms = POLICE.pack(0, verdict_number(o['exceed']), 0, burst, mtu, rate_spec, peak_spec, 0, 0, 0)
    attrs.insert(0, tc.nla(TCA_POLICE_TBF, parms))
    if o['conform'] != 'pass':
        attrs.append(tc.nla_s32(TCA_POLICE_RESULT, verdict_number(o['conform'])))
    return attrs, b''


def _police_decode(attrs, parms, ctx):
    raw = bytes(attrs.get(TCA_POLICE_TBF) or b'').ljust(POLICE.size, b'\0')  # decode is total
    _index, action, _limit, burst, mtu, rate_spec, peak_spec = POLICE.unpack_from(raw)[:7]
    rate = tc.u64(attrs.get(TCA_POLICE_RATE64)) or tc.unpack_ratespec(rate_spec)['rate']
    peak = tc.u64(attrs.get(TCA_POLICE_PEAKRATE64)) or tc.unpack_ratespec(peak_spec)['rate']
    avrate = tc.u32(attrs.get(TCA_POLICE_AVRATE))
    out = {'rate': None, 'burst': None, 'mtu': None, 'peakrate': None, 'overhead': 0, 'mpu': None,
           'linklayer': None, 'pkts_rate': None, 'pkts_burst': None,
           'avrate': tc.format_rate(avrate) if avrate else None,
           'conform': verdict_name(tc.u32(attrs.get(TCA_POLICE_RESULT), 0)),
           'exceed': verdict_name(action)}
    clock = tc.psched()
    if rate:
        out.update(rate=tc.format_rate(rate), burst=tc.format_size(clock.burst(rate, burst)),
                   mtu=tc.format_size(mtu), overhead=tc.unpack_ratespec(rate_spec)['overhead'],
                   peakrate=tc.format_rate(peak) if peak else None, mpu=tc.unpack_ratespec(rate_spec)['mpu'])
        linklayer = tc.unpack_ratespec(rate_spec)['linklayer']
        out['linklayer'] = dict((v, k) for k, v in LINKLAYERS.items()).get(linklayer, str(linklayer))
    pps = tc.u64(attrs.get(TCA_POLICE_PKTRATE64))
    if pps:
        ticks = tc.u64(attrs.get(TCA_POLICE_PKTBURST64), 0)
        out.update(pkts_rate=pps, pkts_burst=tc.roundest_size(ticks, lambda n: clock.xmittime(pps, n),
                                                              clock.xmitsize(pps, ticks), pps))
    return out


def _police_words(o):
    words = []
    for name in ('rate', 'burst', 'mtu', 'peakrate', 'pkts_rate', 'pkts_burst', 'avrate'):
        if o.get(name) is not None:
            words += [name, o[name]]
    if o['overhead']:
        words += ['overhead', o['overhead']]
    if o['mpu']:
        words += ['mpu', o['mpu']]
    if o['linklayer'] not in (None, 'ethernet'):
        words += ['linklayer', o['linklayer']]
    return words + ['conform-exceed', '%s/%s' % (o['exceed'], o['conform'])]


# -- skbmod --------------------------------------------------------------------------------------------
SKBMOD_F_DMAC, SKBMOD_F_SMAC, SKBMOD_F_ETYPE, SKBMOD_F_SWAPMAC, SKBMOD_F_ECN = 1, 2, 4, 8, 16


def _mac(value, option):
    parts = str(value).lower().split(':')
    try:
        raw = bytes(int(p, 16) for p in parts) if len(parts) == 6 and all(len(p) <= 2 for p in parts) else None
    except ValueError:
        raw = None
    if raw is None:
        raise ValidationError('%s: %r is not a MAC address' % (option, value))
    return ':'.join('%02x' % b for b in bytearray(raw))


def _skbmod_normalize(o, where):
    out = {'dmac': None, 'smac': None, 'etype': None, 'swapmac': bool(o.get('swapmac')), 'ecn': bool(o.get('ecn'))}
    for name in ('dmac', 'smac'):
        if o.get(name) is not None:
            out[name] = _mac(o[name], '%s.%s' % (where, name))
    if o.get('etype') is not None:
        out['etype'] = eth_type(o['etype'], where + '.etype')
    if (out['swapmac'] or out['ecn']) and (out['dmac'] or out['smac'] or out['etype']) or (out['swapmac'] and out['ecn']):
        raise ValidationError('%s: swapmac and ecn each stand alone (not with each other, dmac, smac or etype)' % where)
    if not any(out.values()):
        raise ValidationError('%s: give dmac, smac, etype, swapmac or ecn' % where)
    return out


def _skbmod_encode(o, ctx):
    attrs = []
    for name, kind in (('dmac', 3), ('smac', 4)):
        if o[name]:
            attrs.append(tc.nla(kind, bytes(int(b, 16) for b in o[name].split(':'))))
    if o['etype']:
        attrs.append(tc.nla_u16(5, eth_type_number(o['etype'])))
    flags = (SKBMOD_F_SWAPMAC if o['swapmac'] else 0) | (SKBMOD_F_ECN if o['ecn'] else 0)
    return attrs, b'\0' * 4 + struct.pack('=Q', flags)  # struct tc_skbmod: tc_gen, 4 bytes padding, u64 flags


def _skbmod_decode(attrs, parms, ctx):
    flags = struct.unpack_from('=Q', parms, TC_GEN.size + 4)[0] if len(parms) >= TC_GEN.size + 12 else 0
    return {'dmac': ':'.join('%02x' % b for b in bytearray(attrs[3][:6])) if 3 in attrs else None,
            'smac': ':'.join('%02x' % b for b in bytearray(attrs[4][:6])) if 4 in attrs else None,
            'etype': eth_type(tc.u16(attrs[5]), 'etype') if 5 in attrs else None,
            'swapmac': bool(flags & SKBMOD_F_SWAPMAC), 'ecn': bool(flags & SKBMOD_F_ECN)}


def _skbmod_words(o):
    words = ['swap', 'mac'] if o['swapmac'] else ['ecn'] if o['ecn'] else ['set']
    for name, word in (('dmac', 'dmac'), ('smac', 'smac'), ('etype', 'etype')):
        if o[name]:
            words += [word, o[name] if name != 'etype' else '0x%04x' % eth_type_number(o[name])]
    return words


# -- ctinfo --------------------------------------------------------------------------------------------

def _ctinfo_normalize(o, where):
    out = {'zone': number(o.get('zone') or 0, where + '.zone', 0, 0xFFFF), 'dscp_mask': None,
           'dscp_statemask': None, 'cpmark_mask': None}
    if o.get('dscp_mask') is not None:
        out['dscp_mask'] = '0x%x' % number(o['dscp_mask'], where + '.dscp_mask')
        out['dscp_statemask'] = '0x%x' % number(o.get('dscp_statemask') or 0, where + '.dscp_statemask')
    elif o.get('dscp_statemask') is not None:
        raise ValidationError('%s.dscp_statemask needs dscp_mask' % where)
    if o.get('cpmark_mask') is not None:
        out['cpmark_mask'] = '0x%x' % number(o['cpmark_mask'], where + '.cpmark_mask')
    return out


def _ctinfo_encode(o, ctx):
    attrs = [tc.nla_u16(4, o['zone'])]
    for name, kind in (('dscp_mask', 5), ('dscp_statemask', 6), ('cpmark_mask', 7)):
        if o[name] is not None:
            attrs.append(tc.nla_u32(kind, int(o[name], 16)))
    return attrs, b''


def _ctinfo_decode(attrs, parms, ctx):
    out = {'zone': tc.u16(attrs.get(4), 0)}
    for name, kind in (('dscp_mask', 5), ('dscp_statemask', 6), ('cpmark_mask', 7)):
        out[name] = '0x%x' % tc.u32(attrs[kind]) if kind in attrs else None
    if out['dscp_mask'] is None:
        out['dscp_statemask'] = None
    return out


def _ctinfo_words(o):
    words = []
    if o['dscp_mask'] is not None:
        words += ['dscp', o['dscp_mask']] + ([o['dscp_statemask']] if o['dscp_statemask'] != '0x0' else [])
    if o['cpmark_mask'] is not None:
        words += ['cpmark', o['cpmark_mask']]
    return words + ['zone', o['zone']]


# -- gate ----------------------------------------------------------------------------------------------
TCA_GATE_PRIORITY, TCA_GATE_ENTRY_LIST, TCA_GATE_BASE_TIME, TCA_GATE_CYCLE_TIME = 4, 5, 6, 7
TCA_GATE_CYCLE_TIME_EXT, TCA_GATE_CLOCKID, TCA_GATE_ONE_ENTRY = 8, 10, 1
ENTRY_GATE, ENTRY_INTERVAL, ENTRY_IPV, ENTRY_MAX_OCTETS = 2, 3, 4, 5
CLOCKS = {'CLOCK_REALTIME': 0, 'CLOCK_MONOTONIC': 1, 'CLOCK_BOOTTIME': 7, 'CLOCK_TAI': 11}
NS_UNITS = (('s', 10 ** 9), ('ms', 10 ** 6), ('us', 1000), ('ns', 1))


def _ns(value, option):
    """A time in nanoseconds: a bare number is ns, else with s, ms, us or ns."""
    text = str(value).strip().lower()
    for unit, scale in NS_UNITS:
        if text.endswith(unit) and text[:-len(unit)].strip().isdigit():
            return int(text[:-len(unit)]) * scale
    if text.isdigit():
        return int(text)
    raise ValidationError('%s: %r is not a time (a number of nanoseconds, or with s, ms, us, ns)' % (option, value))


def _ns_text(ns):
    for unit, scale in NS_UNITS:
        if ns and ns % scale == 0:
            return '%d%s' % (ns // scale, unit)
    return '0ns'


def _gate_normalize(o, where):
    entries = []
    for index, entry in enumerate(o.get('entries') or missing(where + '.entries')):
        at = '%s.entries[%d]' % (where, index)
        if not isinstance(entry, dict) or set(entry) - {'gate', 'interval', 'ipv', 'max_octets'}:
            raise ValidationError('%s: an entry is {gate: open|close, interval, ipv, max_octets}' % at)
        entries.append({'gate': choice(entry.get('gate') or missing(at + '.gate'), ('open', 'close'), at + '.gate'),
                        'interval': _ns_text(_ns(entry.get('interval') or missing(at + '.interval'), at + '.interval')),
                        'ipv': number(entry.get('ipv', -1), at + '.ipv', -1, 7),
                        'max_octets': number(entry.get('max_octets', -1), at + '.max_octets', -1, 2 ** 31 - 1)})
    total = sum(_ns(e['interval'], 'interval') for e in entries)
    return {'priority': number(o.get('priority', -1), where + '.priority', -1, 7),
            'clockid': choice(str(o.get('clockid') or 'CLOCK_TAI').upper(), CLOCKS, where + '.clockid'),
            'base_time': _ns_text(_ns(o.get('base_time') or 0, where + '.base_time')),
            'cycle_time': _ns_text(_ns(o['cycle_time'], where + '.cycle_time')) if o.get('cycle_time') else
            _ns_text(total),  # the kernel's default: the sum of the intervals
            'cycle_time_ext': _ns_text(_ns(o.get('cycle_time_ext') or 0, where + '.cycle_time_ext')),
            'entries': entries}


def _gate_encode(o, ctx):
    entries = []
    for entry in o['entries']:
        entries.append(tc.nla_nested(TCA_GATE_ONE_ENTRY, ([tc.nla(ENTRY_GATE, b'')] if entry['gate'] == 'open' else []) + [
            tc.nla_u32(ENTRY_INTERVAL, _ns(entry['interval'], 'interval')), tc.nla_s32(ENTRY_IPV, entry['ipv']),
            tc.nla_s32(ENTRY_MAX_OCTETS, entry['max_octets'])]))
    attrs = [tc.nla_s32(TCA_GATE_PRIORITY, o['priority']), tc.nla_s32(TCA_GATE_CLOCKID, CLOCKS[o['clockid']]),
             tc.nla_u64(TCA_GATE_BASE_TIME, _ns(o['base_time'], 'base_time')),
             tc.nla_u64(TCA_GATE_CYCLE_TIME, _ns(o['cycle_time'], 'cycle_time')),
             tc.nla_u64(TCA_GATE_CYCLE_TIME_EXT, _ns(o['cycle_time_ext'], 'cycle_time_ext')),
             tc.nla_nested(TCA_GATE_ENTRY_LIST, entries)]
    return attrs, b''


def _gate_decode(attrs, parms, ctx):
    entries = []
    for kind, data in tc.iter_nla(attrs.get(TCA_GATE_ENTRY_LIST)):
        if kind == TCA_GATE_ONE_ENTRY:
            entry = tc.parse_nla(data)
            entries.append({'gate': 'open' if ENTRY_GATE in entry else 'close',
                            'interval': _ns_text(tc.u32(entry.get(ENTRY_INTERVAL), 0)),
                            'ipv': tc.s32(entry.get(ENTRY_IPV), -1), 'max_octets': tc.s32(entry.get(ENTRY_MAX_OCTETS), -1)})
    clock = tc.s32(attrs.get(TCA_GATE_CLOCKID), 11)
    return {'priority': tc.s32(attrs.get(TCA_GATE_PRIORITY), -1),
            'clockid': dict((v, k) for k, v in CLOCKS.items()).get(clock, str(clock)),
            'base_time': _ns_text(tc.u64(attrs.get(TCA_GATE_BASE_TIME), 0)),
            'cycle_time': _ns_text(tc.u64(attrs.get(TCA_GATE_CYCLE_TIME), 0)),
            'cycle_time_ext': _ns_text(tc.u64(attrs.get(TCA_GATE_CYCLE_TIME_EXT), 0)), 'entries': entries}


def _gate_words(o):
    words = ['priority', o['priority'], 'clockid', o['clockid'], 'base-time', _ns(o['base_time'], ''),
             'cycle-time', '%dns' % _ns(o['cycle_time'], ''), 'cycle-time-ext', '%dns' % _ns(o['cycle_time_ext'], '')]
    for entry in o['entries']:
        words += ['sched-entry', entry['gate'], '%dns' % _ns(entry['interval'], ''), entry['ipv'], entry['max_octets']]
    return words


# -- pedit ---------------------------------------------------------------------------------------------
# Keys are 32-bit words at an offset into a header: the kernel keeps (word & keep-mask) ^ value (set) or
# adds the value (add), on the word as it lies in memory. Here a key is spelled in network order with
# the mask of the bits it changes; named fields (``ip.ttl``) are the keys tc's `ex munge` makes.
TCA_PEDIT_PARMS_EX, TCA_PEDIT_KEYS_EX, TCA_PEDIT_KEY_EX, KEY_EX_HTYPE, KEY_EX_CMD = 4, 5, 6, 1, 2
PEDIT_SEL = struct.Struct('=BBxx')  # nkeys, flags after tc_gen
PEDIT_KEY = struct.Struct('=IIiIiI')  # mask, val, off, at, offmask, shift
HEADERS = {'network': 0, 'eth': 1, 'ip4': 2, 'ip6': 3, 'tcp': 4, 'udp': 5}
CMDS = {'set': 0, 'add': 1}
FIELDS = {  # name: (header, byte offset, width); tc's `munge HEADER FIELD`
    'ip.src': ('ip4', 12, 4), 'ip.dst': ('ip4', 16, 4), 'ip.tos': ('ip4', 1, 1), 'ip.ttl': ('ip4', 8, 1),
    'ip.protocol': ('ip4', 9, 1), 'ip6.hoplimit': ('ip6', 7, 1), 'eth.type': ('eth', 12, 2),
    'tcp.sport': ('tcp', 0, 2), 'tcp.dport': ('tcp', 2, 2), 'tcp.flags': ('tcp', 13, 1),
    'udp.sport': ('udp', 0, 2), 'udp.dport': ('udp', 2, 2)}


def _field_key(field, value, cmd, where):
    header, offset, width = FIELDS[field]
    if field in ('ip.src', 'ip.dst'):
        try:
            raw = int(ipaddress.IPv4Address(str(value)))
        except ValueError:
            raise ValidationError('%s.value: %r is not an IPv4 address' % (where, value))
    else:
        raw = number(value, where + '.value', 0, (1 << (8 * width)) - 1)
    shift = 8 * (4 - width - offset % 4)
    return {'header': header, 'offset': offset - offset % 4, 'cmd': cmd,
            'value': '0x%08x' % (raw << shift), 'mask': '0x%08x' % ((((1 << (8 * width)) - 1) << shift))}


def _named(key):
    for field, (header, offset, width) in FIELDS.items():
        shift = 8 * (4 - width - offset % 4)
        if header == key['header'] and offset - offset % 4 == key['offset'] and \
                int(key['mask'], 16) == ((1 << (8 * width)) - 1) << shift:
            value = int(key['value'], 16) >> shift
            return {'field': field, 'cmd': key['cmd'],
                    'value': str(ipaddress.IPv4Address(value)) if field in ('ip.src', 'ip.dst') else value}
    return dict(key)


def _pedit_normalize(o, where):
    keys = []
    for index, key in enumerate(o.get('keys') or missing(where + '.keys')):
        at = '%s.keys[%d]' % (where, index)
        if not isinstance(key, dict) or set(key) - {'field', 'header', 'offset', 'value', 'mask', 'cmd'}:
            raise ValidationError('%s: a key is {field, value, cmd} or {header, offset, value, mask, cmd}' % at)
        cmd = choice(key.get('cmd') or 'set', CMDS, at + '.cmd')
        value = key['value'] if key.get('value') is not None else missing(at + '.value')
        if key.get('field') is not None:
            raw = _field_key(choice(key['field'], FIELDS, at + '.field'), value, cmd, at)
        else:
            offset = number(key.get('offset', 0), at + '.offset', 0, 0xFFFF)
            if offset % 4:
                raise ValidationError('%s.offset: %d is not a multiple of 4' % (at, offset))
            mask = number(key.get('mask', 0xFFFFFFFF), at + '.mask')
            raw = {'header': choice(key.get('header') or 'network', HEADERS, at + '.header'), 'offset': offset,
                   'cmd': cmd, 'value': '0x%08x' % (number(value, at + '.value')
                                                    & mask), 'mask': '0x%08x' % mask}
        keys.append(_named(raw))
    return {'keys': keys}


def _raw(key):
    return _field_key(key['field'], key['value'], key['cmd'], 'key') if 'field' in key else key


def _memory_word(value):
    """A network-order 32-bit word as the u32 the kernel reads from the packet's memory."""
    return struct.unpack('=I', struct.pack('>I', value))[0]


def _pedit_encode(o, ctx):
    keys, keys_ex = b'', []
    for key in [_raw(k) for k in o['keys']]:
        mask = int(key['mask'], 16)
        keys += PEDIT_KEY.pack(_memory_word(~mask & 0xFFFFFFFF), _memory_word(int(key['value'], 16)),
                               key['offset'], 0, 0, 0)
        keys_ex.append(tc.nla_nested(TCA_PEDIT_KEY_EX, [tc.nla_u16(KEY_EX_HTYPE, HEADERS[key['header']]),
                                                        tc.nla_u16(KEY_EX_CMD, CMDS[key['cmd']])]))
    return [tc.nla_nested(TCA_PEDIT_KEYS_EX, keys_ex)], PEDIT_SEL.pack(len(o['keys']), 0) + keys


def _pedit_decode(attrs, parms, ctx):
    nkeys = PEDIT_SEL.unpack_from(parms, TC_GEN.size)[0] if len(parms) >= TC_GEN.size + PEDIT_SEL.size else 0
    kinds = [tc.parse_nla(data) for _t, data in tc.iter_nla(attrs.get(TCA_PEDIT_KEYS_EX))]
    headers, cmds = dict((v, k) for k, v in HEADERS.items()), dict((v, k) for k, v in CMDS.items())
    keys = []
    for index in range(nkeys):
        start = TC_GEN.size + PEDIT_SEL.size + index * PEDIT_KEY.size
        if len(parms) < start + PEDIT_KEY.size:
            break
        keep, value, offset = PEDIT_KEY.unpack_from(parms, start)[:3]
        ex = kinds[index] if index < len(kinds) else {}
        mask = ~_memory_word(keep) & 0xFFFFFFFF
        keys.append(_named({'header': headers.get(tc.u16(ex.get(KEY_EX_HTYPE), 0), 'network'), 'offset': offset,
                            'cmd': cmds.get(tc.u16(ex.get(KEY_EX_CMD), 0), 'set'),
                            'value': '0x%08x' % _memory_word(value), 'mask': '0x%08x' % mask}))
    return {'keys': keys}


def _pedit_words(o):
    words = ['ex']
    for key in o['keys']:
        if 'field' in key:
            words += ['munge'] + key['field'].split('.') + [key['cmd'], key['value']]
        else:
            words += ['munge', 'offset', key['offset'], 'u32', key['cmd'], key['value']]
    return words


EXTRA_PARMS_TYPES = {'police': TCA_POLICE_TBF, 'pedit': TCA_PEDIT_PARMS_EX, 'skbmod': 2, 'ctinfo': 3, 'gate': 2,
                     'bpf': BPF_PARMS_TYPE}
EXTRA_ACTIONS = {
    'bpf': BPF_ACTION,
    'police': ActionKind(
        dict(rate=dict(type='str'), burst=dict(type='str'), mtu=dict(type='str'), peakrate=dict(type='str'),
             overhead=dict(type='int'), mpu=dict(type='str'), linklayer=dict(type='str'),
             pkts_rate=dict(type='int'), pkts_burst=dict(type='int'), avrate=dict(type='str'), conform=dict(type='str'),
             exceed=dict(type='str')),
        None, _police_normalize, _police_encode, _police_decode, _police_words, verdicts=True),
    'pedit': ActionKind(dict(keys=dict(type='list', elements='dict', no_log=False)), 'pass',
                        _pedit_normalize, _pedit_encode, _pedit_decode, _pedit_words),
    'skbmod': ActionKind(
        dict(dmac=dict(type='str'), smac=dict(type='str'), etype=dict(type='str'), swapmac=dict(type='bool'),
             ecn=dict(type='bool')),
        'pipe', _skbmod_normalize, _skbmod_encode, _skbmod_decode, _skbmod_words),
    'ctinfo': ActionKind(
        dict(zone=dict(type='int'), dscp_mask=dict(type='str'), dscp_statemask=dict(type='str'),
             cpmark_mask=dict(type='str')),
        'pipe', _ctinfo_normalize, _ctinfo_encode, _ctinfo_decode, _ctinfo_words),
    'gate': ActionKind(
        dict(priority=dict(type='int'), clockid=dict(type='str'), base_time=dict(type='str'),
             cycle_time=dict(type='str'), cycle_time_ext=dict(type='str'), entries=dict(type='list', elements='dict')),
        'pipe', _gate_normalize, _gate_encode, _gate_decode, _gate_words),
}

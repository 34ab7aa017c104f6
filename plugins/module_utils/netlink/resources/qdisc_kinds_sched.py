# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The qdisc kinds taprio and mqprio (traffic classes over transmit queues, linux/pkt_sched.h), and the
registration of these and the RED family (qdisc_kinds_red: red, gred, choke) in KINDS.

Both carry struct tc_mqprio_qopt. mqprio's mode, shaper and per-class rates are attributes after the
struct (aligned to 4 bytes), which the kernel takes only with hardware offload (hw 1, a device with
ndo_setup_tc); taprio's flags pick txtime-assist (software, with etf children) or full offload (the
device's own gate schedule) over software mode.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc_kinds import (
    ETF_CLOCKS, KINDS, U32_MAX, Kind, Opt)

TC_QOPT_MAX_QUEUE = 16
TAPRIO_COMMANDS = {'S': 0, 'H': 1, 'R': 2}  # TC_TAPRIO_CMD_SET_GATES, _SET_AND_HOLD, _SET_AND_RELEASE
TAPRIO_FLAGS = {'txtime-assist': 1, 'full-offload': 2}  # TCA_TAPRIO_ATTR_FLAG_TXTIME_ASSIST, _FULL_OFFLOAD
MQPRIO_MODES = {'dcb': 0, 'channel': 1}  # TC_MQPRIO_MODE_*
MQPRIO_SHAPERS = {'dcb': 0, 'bw_rlimit': 1}  # TC_MQPRIO_SHAPER_DCB, _BW_RATE
MQPRIO = struct.Struct('=B16BB16H16H')  # struct tc_mqprio_qopt
MQPRIO_ALIGNED = (MQPRIO.size + 3) & ~3  # where the attributes after it start
_QUEUES = re.compile(r'^\s*([0-9]+)\s*@\s*([0-9]+)\s*$')


# ------------------------------------------------------------------------------------- mqprio, taprio

class Nested(Opt):
    """A list of dictionaries (gred's queues, taprio's schedule): each item's options are ``opts``."""

    def __init__(self, opts, key=None):
        Opt.__init__(self, 'nested')
        self.opts = opts
        self.key = key

    def spec(self):
        return {'type': 'list', 'elements': 'dict',
                'options': dict((name, opt.spec()) for name, opt in self.opts.items())}


def _items(values, what):
    if not isinstance(values, list) or not all(isinstance(item, dict) for item in values):
        raise ValidationError('%s: %r is not a list of dictionaries' % (what, values))
    return values


class Map(Opt):
    """Traffic class of each of the 16 priorities; the kernel fills the ones not given with 0."""

    def __init__(self):
        Opt.__init__(self, 'list')

    def canonical(self, value, what):
        if not isinstance(value, list) or len(value) > 16 or not all(
                isinstance(tclass, int) and not isinstance(tclass, bool) and 0 <= tclass < 16 for tclass in value):
            raise ValidationError('%s: %r is not a list of up to 16 traffic classes (0 to 15)' % (what, value))
        return list(value)

    def to_kernel(self, value):
        return (list(value) + [0] * 16)[:16]


class Queues(Opt):
    """The device queues of each traffic class, as tc writes them: count@offset."""

    def __init__(self):
        Opt.__init__(self, 'list')

    def spec(self):
        return {'type': 'list', 'elements': 'str'}

    def canonical(self, value, what):
        ranges = [_QUEUES.match(str(item)) for item in value] if isinstance(value, list) else [None]
        if not all(ranges) or len(ranges) > TC_QOPT_MAX_QUEUE:
            raise ValidationError("%s: %r is not a list of up to 16 queue ranges 'count@offset' (2@0)"
                                  % (what, value))
        return ['%d@%d' % (int(match.group(1)), int(match.group(2))) for match in ranges]

    def to_kernel(self, value):
        return [tuple(int(number) for number in item.split('@')) for item in value]


def mqprio_prepare(kind, values, what):
    values = Kind.prepare(kind, values, what)
    missing = [name for name in kind.required if values.get(name) is None]
    if missing:
        raise ValidationError('%s: %s required for kind %s' % (what, ', '.join(missing), kind.name))
    if not 1 <= values['num_tc'] <= 16:
        raise ValidationError('%s.num_tc: %r is not 1 to 16' % (what, values['num_tc']))
    if len(values['queues']) != values['num_tc']:
        raise ValidationError('%s.queues: %d ranges for num_tc %d: give one per traffic class'
                              % (what, len(values['queues']), values['num_tc']))
    if max(values.get('map') or [0]) >= values['num_tc']:
        raise ValidationError('%s.map: %r names a traffic class above num_tc %d'
                              % (what, values['map'], values['num_tc'] - 1))
    return values


def mqprio_pack(values, hw=0):
    queues = Queues().to_kernel(values['queues'])
    counts = [count for count, _offset in queues] + [0] * (16 - len(queues))
    offsets = [offset for _count, offset in queues] + [0] * (16 - len(queues))
    return MQPRIO.pack(values['num_tc'], *(Map().to_kernel(values.get('map') or []) + [hw] + counts + offsets))


def mqprio_unpack(data):
    if len(data) < MQPRIO.size:
        return {}
    fields = MQPRIO.unpack_from(data)
    num_tc = fields[0]
    return {'num_tc': num_tc, 'map': list(fields[1:17]), 'hw': bool(fields[17]),
            'queues': ['%d@%d' % (fields[18 + tclass], fields[34 + tclass]) for tclass in range(num_tc)]}


def mqprio_words(values):
    return (['num_tc', str(values['num_tc']), 'map'] + [str(tclass) for tclass in values.get('map') or [0]]
            + ['queues'] + values['queues'])


class PerClass(Opt):
    """A value per traffic class, 0 for the classes not given: mqprio's rates, taprio's max SDU."""

    def __init__(self, unit):
        Opt.__init__(self, 'list')
        self.item = Opt(unit)

    def spec(self):
        return {'type': 'list', 'elements': 'raw' if self.item.unit == 'rate' else 'int'}

    def canonical(self, value, what):
        if not isinstance(value, list) or len(value) > TC_QOPT_MAX_QUEUE:
            raise ValidationError('%s: %r is not a list of up to 16 values, one per traffic class' % (what, value))
        if self.item.unit == 'rate':
            return [self.item.canonical(item, '%s[%d]' % (what, index)) for index, item in enumerate(value)]
        for item in value:
            if not isinstance(item, int) or isinstance(item, bool) or not 0 <= item <= U32_MAX:
                raise ValidationError('%s: %r is not a number of bytes, 0 (no limit) to %d' % (what, item, U32_MAX))
        return list(value)

    def to_kernel(self, value):
        return ([self.item.to_kernel(item) for item in value] + [0] * TC_QOPT_MAX_QUEUE)[:TC_QOPT_MAX_QUEUE]


def _per_class(values, name, what):
    if len(values.get(name) or []) > values['num_tc']:
        raise ValidationError('%s.%s: %d values for num_tc %d: at most one per traffic class'
                              % (what, name, len(values[name]), values['num_tc']))


class Mqprio(Kind):
    """mqprio: struct tc_mqprio_qopt, then (hardware offload only) TCA_MQPRIO_MODE, _SHAPER and the nested
    rates (bytes per second, u64): tc sends all 16, the kernel keeps and dumps num_tc of them. The dcb
    mode and shaper are the kernel's own defaults: like tc, they go unsent. The kernel cannot change an
    mqprio in place."""

    opts = {'num_tc': Opt('int'), 'map': Map(), 'queues': Queues(), 'hw': Opt('bool', default=False),
            'mode': Opt('choice', choices=MQPRIO_MODES, default='dcb'),
            'shaper': Opt('choice', choices=MQPRIO_SHAPERS, default='dcb'),
            'min_rate': PerClass('rate'), 'max_rate': PerClass('rate')}
    required = ('num_tc', 'queues')
    rates = (('min_rate', 3), ('max_rate', 4))  # TCA_MQPRIO_MIN_RATE64, _MAX_RATE64

    def __init__(self):
        Kind.__init__(self, 'mqprio', changeable=False)

    def prepare(self, values, what):
        values = mqprio_prepare(self, values, what)
        offload = ([name for name in ('mode', 'shaper') if values.get(name, 'dcb') != 'dcb']
                   + [name for name, _attr in self.rates if values.get(name)])
        if offload and not values.get('hw'):
            raise ValidationError('%s.%s: needs hw: true - the kernel takes mode, shaper and rates only with '
                                  'hardware offload (a device whose driver offloads mqprio)' % (what, offload[0]))
        if values.get('mode', 'dcb') == 'dcb' and values.get('shaper', 'dcb') != 'dcb':
            raise ValidationError('%s.shaper: %s needs mode: channel (in dcb mode the kernel takes only the dcb '
                                  'shaper)' % (what, values['shaper']))
        for name, _attr in self.rates:
            if values.get(name) and values.get('shaper') != 'bw_rlimit':
                raise ValidationError('%s.%s: needs shaper: bw_rlimit (the kernel takes rates only with it)'
                                      % (what, name))
            _per_class(values, name, what)
        return values

    def encode(self, values):
        # the struct padded to 4 bytes, as tc sends it: the kernel reads attributes after the aligned struct
        data = mqprio_pack(values, int(bool(values.get('hw')))) + b'\0' * (MQPRIO_ALIGNED - MQPRIO.size)
        if values.get('mode', 'dcb') != 'dcb':
            data += tc.nla_u16(1, MQPRIO_MODES[values['mode']])
        if values.get('shaper', 'dcb') != 'dcb':
            data += tc.nla_u16(2, MQPRIO_SHAPERS[values['shaper']])
        for name, attr in self.rates:
            if values.get(name):
                data += tc.nla_nested(attr, [tc.nla_u64(attr, rate) for rate in self.opts[name].to_kernel(values[name])])
        return data

    def decode(self, data):
        values = mqprio_unpack(data)
        if not values:
            return values
        attrs = tc.parse_nla(data[MQPRIO_ALIGNED:])
        for name, attr in (('mode', 1), ('shaper', 2)):
            values[name] = self.opts[name].from_kernel(tc.u16(attrs.get(attr), 0))
        for name, attr in self.rates:
            if attr in attrs:
                values[name] = [tc.format_rate(tc.u64(rate, 0)) for _type, rate in tc.iter_nla(attrs[attr])][:values['num_tc']]
        return values

    def words(self, values):
        words = mqprio_words(values) + ['hw', '1' if values.get('hw') else '0']
        for name in ('mode', 'shaper'):
            if values.get(name, 'dcb') != 'dcb':
                words += [name, values[name]]
        for name, _attr in self.rates:
            if values.get(name):
                words += [name] + values[name]
        return words


class Flags(Opt):
    """Named bits, as a list of names (taprio's flags): none is the kernel's default."""

    def __init__(self, bits):
        Opt.__init__(self, 'list', default=[])
        self.bits = bits

    def spec(self):
        return {'type': 'list', 'elements': 'str', 'choices': sorted(self.bits)}

    def canonical(self, value, what):
        if not isinstance(value, list) or not all(name in self.bits for name in value):
            raise ValidationError('%s: %r is not a list of flags from %s' % (what, value, ', '.join(sorted(self.bits))))
        return self.from_kernel(self.to_kernel(value))

    def to_kernel(self, value):
        return sum(self.bits[name] for name in set(value))

    def from_kernel(self, number):
        return [name for name, bit in sorted(self.bits.items(), key=lambda item: item[1]) if number & bit]


class Schedule(Nested):
    def spec(self):
        spec = Nested.spec(self)
        spec['options']['command']['default'] = 'S'  # a choice: the argument spec checks None against it
        return spec

    def canonical(self, value, what):
        entries = []
        for index, entry in enumerate(_items(value, what)):
            where = '%s[%d]' % (what, index)
            command = str(entry.get('command') or 'S').upper()
            if command not in TAPRIO_COMMANDS:
                raise ValidationError('%s.command: %r is not one of S (set gates), H (set and hold), R (set and '
                                      'release)' % (where, entry.get('command')))
            interval = entry.get('interval')
            if not isinstance(interval, int) or isinstance(interval, bool) or not 0 < interval <= 2 ** 32 - 1:
                raise ValidationError('%s.interval: %r is not a number of nanoseconds (1 to 4294967295)'
                                      % (where, interval))
            gates = Opt('hex').canonical(entry.get('gates'), where + '.gates')
            entries.append({'command': command, 'gates': gates, 'interval': interval})
        if not entries:
            raise ValidationError('%s: at least one entry required' % what)
        return entries

    def to_kernel(self, value):
        return value


class Taprio(Kind):
    """taprio: the traffic classes (struct tc_mqprio_qopt), the clock, the flags (none: software mode), the
    base and cycle times (nanoseconds), the max SDU of each class (TCA_TAPRIO_ATTR_TC_ENTRY, one nest per
    class) and the gate schedule. Changes replace it: the kernel keeps the classes and flags of a running
    schedule and refuses another clock."""

    opts = {'num_tc': Opt('int'), 'map': Map(), 'queues': Queues(), 'base_time': Opt('int', default=0),
            'cycle_time': Opt('int'), 'cycle_time_extension': Opt('int'),
            'clockid': Opt('choice', choices=ETF_CLOCKS), 'flags': Flags(TAPRIO_FLAGS),
            'txtime_delay': Opt('int', default=0), 'max_sdu': PerClass('int'),
            'schedule': Schedule({'command': Opt('choice', choices=TAPRIO_COMMANDS), 'gates': Opt('hex'),
                                  'interval': Opt('int')})}
    required = ('num_tc', 'queues', 'schedule')

    def __init__(self):
        Kind.__init__(self, 'taprio', changeable=False)

    def prepare(self, values, what):
        values = mqprio_prepare(self, values, what)
        flags = values.get('flags') or []
        if len(flags) > 1:
            raise ValidationError('%s.flags: %s: give one of them (the kernel takes either, not both)'
                                  % (what, ', '.join(flags)))
        if 'full-offload' in flags and values.get('clockid'):
            raise ValidationError('%s.clockid: not with flags [full-offload]: the device runs the schedule on its '
                                  'own clock (the kernel refuses a clockid)' % what)
        if 'full-offload' not in flags and not values.get('clockid'):
            raise ValidationError('%s: clockid required for kind taprio (unless flags [full-offload])' % what)
        if values.get('txtime_delay') and 'txtime-assist' not in flags:
            raise ValidationError('%s.txtime_delay: needs flags [txtime-assist] (the kernel takes it only then)'
                                  % what)
        if not 0 <= values.get('txtime_delay', 0) <= U32_MAX:
            raise ValidationError('%s.txtime_delay: %r is not a number of nanoseconds (0 to %d)'
                                  % (what, values['txtime_delay'], U32_MAX))
        _per_class(values, 'max_sdu', what)
        return values

    def encode(self, values):
        # in the order tc sends them
        data = tc.nla_s32(5, ETF_CLOCKS[values['clockid']]) if values.get('clockid') else b''
        flags = self.opts['flags'].to_kernel(values.get('flags') or [])
        if flags:
            data += tc.nla_u32(10, flags)
        data += tc.nla(1, mqprio_pack(values))
        if values.get('txtime_delay'):
            data += tc.nla_u32(11, values['txtime_delay'])
        for name, attr in (('base_time', 3), ('cycle_time', 8), ('cycle_time_extension', 9)):
            if values.get(name):
                data += tc.nla(attr, struct.pack('=q', values[name]))
        for tclass, size in enumerate(values.get('max_sdu') or []):  # TCA_TAPRIO_TC_ENTRY_INDEX, _MAX_SDU
            data += tc.nla_nested(12, [tc.nla_u32(1, tclass), tc.nla_u32(2, size)])
        entries = [tc.nla(1, tc.nla_u8(2, TAPRIO_COMMANDS[entry['command']]) + tc.nla_u32(3, int(entry['gates'], 16))
                          + tc.nla_u32(4, entry['interval'])) for entry in values['schedule']]
        return data + tc.nla_nested(2, entries)

    def decode(self, data):
        attrs = tc.parse_nla(data)
        values = mqprio_unpack(attrs.get(1, b''))
        values.pop('hw', None)
        if 5 in attrs:
            values['clockid'] = self.opts['clockid'].from_kernel(tc.s32(attrs[5]))
        values['flags'] = self.opts['flags'].from_kernel(tc.u32(attrs.get(10), 0))
        if 11 in attrs:
            values['txtime_delay'] = tc.u32(attrs[11], 0)
        sizes = dict((tc.u32(entry.get(1), 0), tc.u32(entry.get(2), 0)) for entry in
                     (tc.parse_nla(nest) for attr, nest in tc.iter_nla(data) if attr == 12))
        if sizes:
            values['max_sdu'] = [sizes.get(tclass, 0) for tclass in range(values.get('num_tc', 0))]
        # the schedule waiting for its base time (admin) is the one last given; else the running one
        sched = tc.parse_nla(attrs[7]) if 7 in attrs else attrs
        for name, attr in (('base_time', 3), ('cycle_time', 8), ('cycle_time_extension', 9)):
            if len(sched.get(attr, b'')) == 8:
                values[name] = struct.unpack('=q', sched[attr])[0]
        values['schedule'] = []
        for _entry_type, entry in tc.iter_nla(sched.get(2)):
            fields = tc.parse_nla(entry)
            command = dict((v, k) for k, v in TAPRIO_COMMANDS.items()).get(tc.u8(fields.get(2), 0), 'S')
            values['schedule'].append({'command': command, 'gates': '%x' % tc.u32(fields.get(3), 0),
                                       'interval': tc.u32(fields.get(4), 0)})
        return values

    def words(self, values):
        words = mqprio_words(values) + ['base-time', str(values.get('base_time') or 0)]
        for name in ('cycle_time', 'cycle_time_extension'):
            if values.get(name):
                words += [name.replace('_', '-'), str(values[name])]
        if values.get('max_sdu'):  # tc from 6.2 on
            words += ['max-sdu'] + [str(size) for size in values['max_sdu']]
        for entry in values['schedule']:
            words += ['sched-entry', entry['command'], entry['gates'], str(entry['interval'])]
        if values.get('clockid'):
            words += ['clockid', values['clockid']]
        if values.get('flags'):
            words += ['flags', '0x%x' % self.opts['flags'].to_kernel(values['flags'])]
        if values.get('txtime_delay'):
            words += ['txtime-delay', str(values['txtime_delay'])]
        return words


SCHED_KINDS = (Taprio(), Mqprio())
KINDS.update((kind.name, kind) for kind in SCHED_KINDS)

# the RED family registers itself; it imports Nested from here, so it comes last (and works imported first)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import qdisc_kinds_red  # noqa: E402,F401 pylint: disable=unused-import,wrong-import-position

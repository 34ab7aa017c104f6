# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The qdisc kinds: each kind's options, how they read and write TCA_OPTIONS (linux/pkt_sched.h).

An option is declared once (``Opt``): its unit (how the user writes it and how facts show it), where it
lives in the kernel's message, and its default. Kinds whose options are plain attributes are a table;
kinds with a struct (tbf, prio, sfq, netem, ...) add a pair of small functions.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import struct
from decimal import ROUND_HALF_EVEN, Decimal

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

U32_MAX = 0xFFFFFFFF
PRIOMAP_DEFAULT = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]


class Opt:
    """One option of a kind.

    unit: int, bool, rate, size, time, hex, percent, choice (``choices`` name -> number) or list (of ints).
    attr/fmt: the attribute type and struct format for attribute-based kinds (fmt None: a flag).
    scale: kernel units per unit (1000 for a time the kernel keeps in nanoseconds).
    clock: how the kernel keeps a time given in microseconds, when it reads back rounded: 'codel' (units
    of 1024 ns), 'psched' (64 ns ticks) or 'jiffies' (its HZ, which userspace cannot read).
    """

    def __init__(self, unit='int', attr=None, fmt='I', default=None, choices=None, scale=1, clock=None):
        self.unit = unit
        self.attr = attr
        self.fmt = fmt
        self.default = default
        self.choices = choices
        self.scale = scale
        self.clock = clock

    def equal(self, want, have):
        if self.clock == 'jiffies':
            usec, kept = tc.parse_time(want, ''), tc.parse_time(have, '')
            return any(-(-usec * hz // 10 ** 6) * 10 ** 6 // hz == kept for hz in (100, 250, 300, 1000))
        if self.clock:
            return CLOCKS[self.clock][0](tc.parse_time(want, '')) == CLOCKS[self.clock][0](tc.parse_time(have, ''))
        return self.to_kernel(want) == self.to_kernel(have)

    def spec(self):
        if self.unit in ('int', 'bool'):
            return {'type': self.unit}
        if self.unit == 'choice':
            return {'type': 'str', 'choices': sorted(self.choices)}
        if self.unit == 'list':
            return {'type': 'list', 'elements': 'int'}
        return {'type': 'raw'}  # quantities: '100mbit', '32kb', '50ms' or a bare number

    def canonical(self, value, what):
        """The user's value in the one spelling facts show (ValidationError when it is not one)."""
        if value is None:
            return None
        unit = self.unit
        if unit == 'rate':
            return tc.format_rate(tc.parse_rate(value, what))
        if unit == 'size':
            return tc.format_size(tc.parse_size(value, what))
        if unit == 'time':
            return tc.format_time(tc.parse_time(value, what))
        if unit == 'hex':
            try:
                return '%x' % int(str(value), 16)
            except ValueError:
                raise ValidationError('%s: %r is not a hexadecimal number (as tc reads it: 10 is 0x10)'
                                      % (what, value))
        if unit == 'percent':
            return self.from_kernel(self.to_kernel('%s' % (tc.parse_percent(value, what) * 100)))
        if unit == 'choice' and value not in self.choices:
            raise ValidationError('%s: %r is not one of %s' % (what, value, ', '.join(sorted(self.choices))))
        return value

    def to_kernel(self, value):
        """The canonical value as the kernel's number."""
        unit = self.unit
        if unit == 'rate':
            return tc.parse_rate(value, '')
        if unit == 'size':
            return tc.parse_size(value, '')
        if unit == 'time':
            return tc.parse_time(value, '') * self.scale
        if unit == 'hex':
            return int(value, 16)
        if unit == 'percent':
            fraction = tc.parse_percent(value, '')
            return int((fraction * U32_MAX).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        if unit == 'choice':
            return self.choices[value]
        if unit == 'bool':
            return int(bool(value))
        return value

    def from_kernel(self, number):
        unit = self.unit
        if unit == 'rate':
            return tc.format_rate(number)
        if unit == 'size':
            return tc.format_size(number)
        if unit == 'time':
            return tc.format_time(_clock_time(number // self.scale, self.clock))
        if unit == 'hex':
            return '%x' % number
        if unit == 'percent':
            # the shortest percentage that maps back to the same probability
            exact = Decimal(number) * 100 / U32_MAX
            for digits in range(0, 12):
                text = '%s%%' % _plain(round(exact, digits))
                if self.to_kernel(text) == number:
                    return text
            return '%s%%' % _plain(exact)
        if unit == 'choice':
            names = dict((v, k) for k, v in self.choices.items())
            return names.get(number, str(number))
        if unit == 'bool':
            return bool(number)
        return number


# clock: (microseconds -> what the kernel keeps, what it keeps -> the microseconds it reports)
CLOCKS = {'codel': (lambda usec: usec * 1000 >> 10, lambda kept: (kept << 10) // 1000),
          'psched': (lambda usec: usec * 1000 >> 6, lambda kept: (kept << 6) // 1000)}


def _clock_time(reported, clock):
    """The roundest time the kernel would keep as it keeps the one it reports (codel's 4ms reads 3999us)."""
    if clock not in CLOCKS:
        return reported
    keep, report = CLOCKS[clock]
    kept = [k for k in range(keep(reported) - 1, keep(reported) + 3) if report(k) == reported]
    if not kept:
        return reported
    same = [usec for usec in range(max(reported - 3, 0), reported + 4) if keep(usec) == kept[0]]
    for scale in (10 ** 6, 1000):
        if any(usec % scale == 0 for usec in same):
            return [usec for usec in same if usec % scale == 0][0]
    return same[0] if same else reported


def _plain(number):
    text = '%f' % number if number == number.to_integral() else format(number.normalize(), 'f')
    return text.rstrip('0').rstrip('.') if '.' in text else text


class Kind:
    """A kind without options (ingress, clsact, mq, ...). ``changeable``: the kernel changes it in place."""

    opts = {}
    changeable = True
    required = ()
    # options the kernel drops when it creates the qdisc and takes only on a change (nl_qdisc sends one)
    change_after_create = ()

    def __init__(self, name, changeable=True, module=None):
        self.name = name
        self.changeable = changeable
        self.module = module or 'sch_' + name

    def prepare(self, values, what):
        """Options in canonical form, with what the kind derives from them (tbf's latency -> limit)."""
        return dict((name, self.opts[name].canonical(value, '%s.%s' % (what, name)))
                    for name, value in values.items() if value is not None)

    def encode(self, values):
        return None

    def decode(self, data):
        return {}

    def same(self, want, have):
        """Whether the given options (``want``) are what the kernel has (``have``; missing = default)."""
        for name, value in want.items():
            current = have.get(name, self.opts[name].default)
            if current is None or not self.opts[name].equal(value, current):
                return False
        return True

    def defaults(self):
        return dict((name, opt.default) for name, opt in self.opts.items() if opt.default is not None)

    def followups(self, values):
        """Changes sent after the create or change, as (options, tc words) pairs (gred: one per virtual queue)."""
        return []


class AttrKind(Kind):
    """A kind whose options are attributes of TCA_OPTIONS, one each."""

    def __init__(self, name, opts, changeable=True, module=None):
        Kind.__init__(self, name, changeable, module)
        self.opts = opts

    def encode(self, values):
        data = b''
        for name, opt in self.opts.items():
            if values.get(name) is None:
                continue
            number = opt.to_kernel(values[name])
            if opt.fmt is None:
                data += tc.nla(opt.attr, b'') if number else b''
            else:
                data += tc.nla(opt.attr, struct.pack('=' + opt.fmt, number))
        return tc.Nested(data)

    def decode(self, data):
        attrs = tc.parse_nla(data)
        values = {}
        for name, opt in self.opts.items():
            if opt.fmt is None:
                values[name] = opt.attr in attrs
            elif opt.attr in attrs and len(attrs[opt.attr]) >= struct.calcsize('=' + opt.fmt):
                values[name] = opt.from_kernel(struct.unpack_from('=' + opt.fmt, attrs[opt.attr])[0])
        return values


class StructKind(Kind):
    """A kind whose TCA_OPTIONS is one struct: ``layout`` lists (option name or None, struct format)."""

    def __init__(self, name, opts, layout, changeable=True, module=None):
        Kind.__init__(self, name, changeable, module)
        self.opts = opts
        self.layout = layout
        self.format = '=' + ''.join(fmt for _name, fmt in layout)

    def encode(self, values):
        """The struct, or no options at all when nothing is given and nothing has a default: the kernel then
        picks its own (a fifo's limit is the device's queue length, where 0 would drop every packet)."""
        numbers, given = [], False
        for name, _fmt in self.layout:
            if name is None:
                continue  # padding
            value = values.get(name)
            value = self.opts[name].default if value is None else value
            given = given or value is not None
            numbers.append(self.opts[name].to_kernel(value) if value is not None else 0)
        return struct.pack(self.format, *numbers) if given else None

    def decode(self, data):
        if len(data) < struct.calcsize(self.format):
            return {}
        names = [name for name, _fmt in self.layout if name]
        return dict((name, self.opts[name].from_kernel(number))
                    for name, number in zip(names, struct.unpack_from(self.format, data)))


# ---------------------------------------------------------------------------------------------- htb

class Htb(Kind):
    opts = {'default': Opt('hex', default='0'), 'r2q': Opt('int', default=10), 'direct_qlen': Opt('int')}

    def __init__(self):
        Kind.__init__(self, 'htb', changeable=False)

    def encode(self, values):
        glob = struct.pack('=5I', 3, values.get('r2q') or 10, int(values.get('default') or '0', 16), 0, 0)
        data = tc.nla(2, glob)  # TCA_HTB_INIT: struct tc_htb_glob, protocol version 3
        if values.get('direct_qlen') is not None:
            data += tc.nla_u32(5, values['direct_qlen'])  # TCA_HTB_DIRECT_QLEN
        return tc.Nested(data)

    def decode(self, data):
        attrs = tc.parse_nla(data)
        values = {}
        if attrs.get(2) is not None and len(attrs[2]) >= 12:
            _version, values['r2q'], default = struct.unpack_from('=3I', attrs[2])
            values['default'] = '%x' % default
        if 5 in attrs:
            values['direct_qlen'] = tc.u32(attrs[5])
        return values


# ---------------------------------------------------------------------------------------------- tbf

class Tbf(Kind):
    """tbf: the kernel keeps burst and mtu as transmit times (ticks) at rate and peakrate."""

    opts = {'rate': Opt('rate'), 'burst': Opt('size'), 'limit': Opt('size'), 'latency': Opt('time'),
            'peakrate': Opt('rate'), 'mtu': Opt('size')}
    required = ('rate', 'burst')

    def __init__(self):
        Kind.__init__(self, 'tbf')

    def prepare(self, values, what):
        values = Kind.prepare(self, values, what)
        latency = values.pop('latency', None)
        if latency is not None and values.get('limit') is not None:
            raise ValidationError('%s: give limit or latency, not both' % what)
        if bool(values.get('peakrate')) != bool(values.get('mtu')):
            raise ValidationError('%s: peakrate and mtu go together' % what)
        if latency is not None and values.get('rate') and values.get('burst'):
            rate, burst = tc.parse_rate(values['rate'], ''), tc.parse_size(values['burst'], '')
            usec = tc.parse_time(latency, '')
            limit = int(min(rate, U32_MAX) * usec / tc.TIME_UNITS_PER_SEC + burst)
            if values.get('peakrate'):
                limit = min(limit, int(min(tc.parse_rate(values['peakrate'], ''), U32_MAX) * usec
                                       / tc.TIME_UNITS_PER_SEC + tc.parse_size(values['mtu'], '')))
            values['limit'] = tc.format_size(limit)
        return values

    def same(self, want, have):
        return all(_bursts_equal(want, have, size, rate) if size in ('burst', 'mtu')
                   else Kind.same(self, {size: want[size]}, have) for size, rate in
                   [(name, 'rate' if name == 'burst' else 'peakrate') for name in want])

    def encode(self, values):
        clock = tc.psched()
        rate = tc.parse_rate(values['rate'], '')
        peak = tc.parse_rate(values['peakrate'], '') if values.get('peakrate') else 0
        burst = tc.parse_size(values['burst'], '')
        mtu = tc.parse_size(values['mtu'], '') if peak else 0
        parms = (tc.pack_ratespec(rate) + (tc.pack_ratespec(peak) if peak else b'\0' * 12)
                 + struct.pack('=3I', tc.parse_size(values.get('limit') or '0', ''), clock.xmittime(rate, burst),
                               clock.xmittime(peak, mtu)))
        data = tc.nla(1, parms) + tc.nla_u32(6, burst)  # TCA_TBF_PARMS, TCA_TBF_BURST
        if rate > U32_MAX:
            data += tc.nla_u64(4, rate)  # TCA_TBF_RATE64
        if peak:
            if peak > U32_MAX:
                data += tc.nla_u64(5, peak)  # TCA_TBF_PRATE64
            data += tc.nla_u32(7, mtu)  # TCA_TBF_PBURST
        return tc.Nested(data)

    def decode(self, data):
        attrs = tc.parse_nla(data)
        parms = attrs.get(1)
        if parms is None or len(parms) < 36:
            return {}
        clock = tc.psched()
        rate = tc.u64(attrs.get(4)) or tc.unpack_ratespec(parms)['rate']
        peak = tc.u64(attrs.get(5)) or tc.unpack_ratespec(parms, 12)['rate']
        limit, buffer, mtu = struct.unpack_from('=3I', parms, 24)
        values = {'rate': tc.format_rate(rate), 'burst': tc.format_size(_tbf_size(rate, buffer)),
                  'limit': tc.format_size(limit)}
        if peak:
            values.update(peakrate=tc.format_rate(peak), mtu=tc.format_size(_tbf_size(peak, mtu)))
        return values


def _tbf_size(rate, ticks):
    guess = int(ticks * 64 * rate // 10 ** 9)
    return tc.roundest_size(ticks, lambda size: tc.kernel_ticks(rate, size), guess, rate)


def _bursts_equal(want, have, size, rate, to_ticks=tc.kernel_ticks):
    """A burst (or mtu) compares as the transmit time the kernel keeps, at the rate it goes with."""
    if have.get(size) is None:
        return False
    rate_of = tc.parse_rate(want.get(rate) or have.get(rate) or '0', '')
    return to_ticks(rate_of, tc.parse_size(want[size], '')) == \
        to_ticks(tc.parse_rate(have.get(rate) or '0', ''), tc.parse_size(have[size], ''))


# ------------------------------------------------------------------------------------- prio, sfq, ets

class Prio(Kind):
    opts = {'bands': Opt('int', default=3), 'priomap': Opt('list', default=PRIOMAP_DEFAULT)}

    def __init__(self):
        Kind.__init__(self, 'prio')

    def encode(self, values):
        priomap = values.get('priomap') or PRIOMAP_DEFAULT
        # the struct, then an empty nest (tc's addattr_nest_compat), as tc sends it
        return struct.pack('=i16B', values.get('bands') or 3, *(list(priomap) + [0] * 16)[:16]) + tc.nla(2, b'')

    def decode(self, data):
        if len(data) < 20:
            return {}
        numbers = struct.unpack_from('=i16B', data)
        return {'bands': numbers[0], 'priomap': list(numbers[1:])}


SFQ_OPTS = {'quantum': Opt('size'), 'perturb': Opt('int', default=0), 'limit': Opt('int', default=127),
            'divisor': Opt('int', default=1024), 'flows': Opt('int', default=128), 'depth': Opt('int', default=127),
            'headdrop': Opt('bool', default=False)}
# struct tc_sfq_qopt_v1 (the RED part and its statistics left zero: no RED)
SFQ_LAYOUT = [('quantum', 'I'), ('perturb', 'i'), ('limit', 'I'), ('divisor', 'I'), ('flows', 'I'),
              ('depth', 'I'), ('headdrop', 'I'), (None, '44x')]


class Ets(Kind):
    opts = {'bands': Opt('int'), 'strict': Opt('int', default=0), 'quanta': Opt('list'),
            'priomap': Opt('list')}
    required = ('bands',)

    def __init__(self):
        Kind.__init__(self, 'ets')

    def encode(self, values):
        data = tc.nla_u8(1, values['bands']) + tc.nla_u8(2, values.get('strict') or 0)
        if values.get('quanta'):
            data += tc.nla_nested(3, [tc.nla_u32(4, quantum) for quantum in values['quanta']])
        if values.get('priomap'):
            data += tc.nla_nested(5, [tc.nla_u8(6, band) for band in values['priomap']])
        return tc.Nested(data)

    def decode(self, data):
        attrs = tc.parse_nla(data)
        values = {'bands': tc.u8(attrs.get(1)), 'strict': tc.u8(attrs.get(2), 0)}
        values['quanta'] = [tc.u32(value) for kind, value in tc.iter_nla(attrs.get(3)) if kind == 4]
        values['priomap'] = [tc.u8(value) for kind, value in tc.iter_nla(attrs.get(5)) if kind == 6]
        return dict((k, v) for k, v in values.items() if v is not None)


class Multiq(Kind):
    """multiq: one band per transmit queue of a multiqueue device. The kernel fills in struct tc_multiq_qopt
    itself but refuses to create the qdisc without one (EINVAL), so the zeroed struct always goes, as tc sends."""

    def __init__(self):
        Kind.__init__(self, 'multiq')

    def encode(self, values):
        return struct.pack('=HH', 0, 0)  # bands, max_bands


# ---------------------------------------------------------------------------------------------- netem

# option: (attribute holding it, index in that attribute's u32 pair/triple); 0 is struct tc_netem_qopt
NETEM_PERCENTS = {'loss': (0, 2), 'duplicate': (0, 4), 'delay_correlation': (1, 0), 'loss_correlation': (1, 1),
                  'duplicate_correlation': (1, 2), 'reorder': (3, 0), 'reorder_correlation': (3, 1),
                  'corrupt': (4, 0), 'corrupt_correlation': (4, 1)}


class Netem(Kind):
    """netem: a struct tc_netem_qopt, then attributes (correlations, reorder, corrupt, rate, 64-bit times)."""

    opts = dict([('delay', Opt('time', default='0us')), ('jitter', Opt('time', default='0us')),
                 ('limit', Opt('int', default=1000)), ('gap', Opt('int', default=0)),
                 ('rate', Opt('rate', default='0bit')), ('ecn', Opt('bool', default=False))]
                + [(name, Opt('percent', default='0%')) for name in NETEM_PERCENTS])

    def __init__(self):
        Kind.__init__(self, 'netem')

    def prepare(self, values, what):
        values = Kind.prepare(self, values, what)
        if values.get('reorder') not in (None, '0%'):
            if values.get('delay') in (None, '0us'):
                raise ValidationError('%s.reorder: reordering needs a delay' % what)
            values.setdefault('gap', 1)  # tc's default: every other packet
        return values

    def encode(self, values):
        def number(name):
            return self.opts[name].to_kernel(values.get(name) if values.get(name) is not None
                                             else self.opts[name].default)
        clock = tc.psched()
        delay, jitter = tc.parse_time(values.get('delay') or 0, ''), tc.parse_time(values.get('jitter') or 0, '')
        qopt = struct.pack('=6I', min(clock.time_to_ticks(delay), U32_MAX), number('limit'), number('loss'),
                           number('gap'), number('duplicate'), min(clock.time_to_ticks(jitter), U32_MAX))
        data = (qopt + tc.nla(1, struct.pack('=3I', number('delay_correlation'), number('loss_correlation'),
                                             number('duplicate_correlation')))
                + tc.nla(3, struct.pack('=2I', number('reorder'), number('reorder_correlation')))
                + tc.nla(4, struct.pack('=2I', number('corrupt'), number('corrupt_correlation')))
                + tc.nla(10, struct.pack('=q', delay * 1000)) + tc.nla(11, struct.pack('=q', jitter * 1000)))
        # every attribute, zeros too: on a change the kernel keeps what an absent attribute held
        rate = number('rate')
        data += tc.nla(6, struct.pack('=IiIi', min(rate, U32_MAX), 0, 0, 0)) + tc.nla_u32(7, number('ecn'))
        if rate > U32_MAX:
            data += tc.nla_u64(8, rate)
        return data

    def decode(self, data):
        if len(data) < 24:
            return {}
        qopt = struct.unpack_from('=6I', data)
        attrs = tc.parse_nla(data[24:])
        groups = {0: qopt, 1: struct.unpack_from('=3I', attrs[1]) if len(attrs.get(1, b'')) >= 12 else (0, 0, 0),
                  3: struct.unpack_from('=2I', attrs[3]) if len(attrs.get(3, b'')) >= 8 else (0, 0),
                  4: struct.unpack_from('=2I', attrs[4]) if len(attrs.get(4, b'')) >= 8 else (0, 0)}
        clock = tc.psched()
        delay = struct.unpack('=q', attrs[10])[0] // 1000 if len(attrs.get(10, b'')) == 8 \
            else clock.ticks_to_time(qopt[0])
        jitter = struct.unpack('=q', attrs[11])[0] // 1000 if len(attrs.get(11, b'')) == 8 \
            else clock.ticks_to_time(qopt[5])
        values = {'delay': tc.format_time(delay), 'jitter': tc.format_time(jitter), 'limit': qopt[1], 'gap': qopt[3],
                  'ecn': bool(tc.u32(attrs.get(7), 0))}
        rate = tc.u64(attrs.get(8)) or (struct.unpack_from('=I', attrs[6])[0] if len(attrs.get(6, b'')) >= 4 else 0)
        values['rate'] = tc.format_rate(rate)
        for name, (group, index) in NETEM_PERCENTS.items():
            values[name] = self.opts[name].from_kernel(groups[group][index])
        # facts list what is set: a zero is the default
        return dict((k, v) for k, v in values.items() if k == 'limit' or v != self.opts[k].default)


# ----------------------------------------------------------------------------------- the kind table

def _attrs(*rows):
    """{name: Opt} from rows of (name, attribute, unit, default[, fmt[, clock]])."""
    table = {}
    for row in rows:
        name, attr, unit, default = row[:4]
        fmt = row[4] if len(row) > 4 else 'I'
        table[name] = Opt(unit, attr=attr, fmt=fmt, default=default, clock=row[5] if len(row) > 5 else None)
    return table


CAKE_DIFFSERV = {'diffserv3': 0, 'diffserv4': 1, 'diffserv8': 2, 'besteffort': 3, 'precedence': 4}
CAKE_FLOWS = {'flowblind': 0, 'srchost': 1, 'dsthost': 2, 'hosts': 3, 'flows': 4, 'dual-srchost': 5,
              'dual-dsthost': 6, 'triple-isolate': 7}
CAKE_ACK = {'no-ack-filter': 0, 'ack-filter': 1, 'ack-filter-aggressive': 2}
ETF_CLOCKS = {'CLOCK_REALTIME': 0, 'CLOCK_MONOTONIC': 1, 'CLOCK_BOOTTIME': 7, 'CLOCK_TAI': 11}


def _cake():
    opts = _attrs(('bandwidth', 2, 'rate', None, 'Q'), ('rtt', 7, 'time', '100ms'), ('overhead', 6, 'int', None, 'i'),
                  ('mpu', 14, 'int', None), ('memlimit', 10, 'size', None), ('nat', 11, 'bool', False),
                  ('wash', 13, 'bool', False), ('ingress', 15, 'bool', False), ('split_gso', 17, 'bool', None),
                  ('autorate_ingress', 9, 'bool', False), ('fwmark', 18, 'int', 0))
    opts['diffserv'] = Opt('choice', attr=3, choices=CAKE_DIFFSERV, default='diffserv3')
    opts['flowmode'] = Opt('choice', attr=5, choices=CAKE_FLOWS, default='triple-isolate')
    opts['ack_filter'] = Opt('choice', attr=16, choices=CAKE_ACK, default='no-ack-filter')
    return Cake('cake', opts)


class Cake(AttrKind):
    def encode(self, values):
        data = AttrKind.encode(self, values)
        if values.get('rtt') is not None:  # tc sets the target to a twentieth of the rtt
            data += tc.nla_u32(8, max(tc.parse_time(values['rtt'], '') // 20, 1))  # TCA_CAKE_TARGET
        return tc.Nested(data)


class Cbs(StructKind):
    def __init__(self):
        StructKind.__init__(self, 'cbs', _attrs(('offload', 0, 'bool', False), ('hicredit', 0, 'int', 0),
                                                ('locredit', 0, 'int', 0), ('idleslope', 0, 'int', 0),
                                                ('sendslope', 0, 'int', 0)),
                            [('offload', 'B'), (None, '3x'), ('hicredit', 'i'), ('locredit', 'i'),
                             ('idleslope', 'i'), ('sendslope', 'i')])

    def encode(self, values):
        return tc.Nested(tc.nla(1, StructKind.encode(self, values)))  # TCA_CBS_PARMS

    def decode(self, data):
        return StructKind.decode(self, tc.parse_nla(data).get(1, b''))


class Sfb(StructKind):
    """sfb: struct tc_sfb_qopt in TCA_SFB_PARMS; the probability steps stay tc's defaults."""

    def __init__(self):
        StructKind.__init__(self, 'sfb', _attrs(('rehash', 0, 'int', 600000), ('db', 0, 'int', 60000),
                                                ('max', 0, 'int', 25), ('target', 0, 'int', 20),
                                                ('limit', 0, 'int', None), ('penalty_rate', 0, 'int', 10),
                                                ('penalty_burst', 0, 'int', 20)),
                            [('rehash', 'I'), ('db', 'I'), ('max', 'I'), ('target', 'I'), (None, '8x'),
                             ('limit', 'I'), ('penalty_rate', 'I'), ('penalty_burst', 'I')])

    def encode(self, values):
        data = bytearray(StructKind.encode(self, values))
        struct.pack_into('=2I', data, 16, (0xFFFF + 1000) // 2000, (0xFFFF + 10000) // 20000)  # increment, decrement
        return tc.Nested(tc.nla(1, bytes(data)))  # TCA_SFB_PARMS

    def decode(self, data):
        return StructKind.decode(self, tc.parse_nla(data).get(1, b''))


class Etf(Kind):
    FLAGS = (('deadline_mode', 1), ('offload', 2), ('skip_sock_check', 4))
    opts = {'delta': Opt('int', default=0), 'clockid': Opt('choice', choices=ETF_CLOCKS),
            'deadline_mode': Opt('bool', default=False), 'offload': Opt('bool', default=False),
            'skip_sock_check': Opt('bool', default=False)}
    required = ('clockid',)

    def __init__(self):
        Kind.__init__(self, 'etf', changeable=False)

    def encode(self, values):
        flags = sum(bit for name, bit in self.FLAGS if values.get(name))
        return tc.Nested(tc.nla(1, struct.pack('=iiI', values.get('delta') or 0, ETF_CLOCKS[values['clockid']], flags)))

    def decode(self, data):
        parms = tc.parse_nla(data).get(1, b'')
        if len(parms) < 12:
            return {}
        delta, clockid, flags = struct.unpack_from('=iiI', parms)
        values = {'delta': delta, 'clockid': self.opts['clockid'].from_kernel(clockid)}
        values.update((name, bool(flags & bit)) for name, bit in self.FLAGS)
        return values


KINDS = dict((kind.name, kind) for kind in [
    Kind('ingress', changeable=False), Kind('clsact', changeable=False), Kind('mq', changeable=False),
    Kind('noqueue', changeable=False), Kind('pfifo_fast', changeable=False), Multiq(),
    Kind('drr', changeable=False), Kind('qfq', changeable=False), Kind('plug'),
    StructKind('pfifo', {'limit': Opt('int')}, [('limit', 'I')], module='sch_fifo'),
    StructKind('bfifo', {'limit': Opt('size')}, [('limit', 'I')], module='sch_fifo'),
    StructKind('pfifo_head_drop', {'limit': Opt('int')}, [('limit', 'I')], module='sch_fifo'),
    StructKind('skbprio', {'limit': Opt('int', default=64)}, [('limit', 'I')]),
    StructKind('hfsc', {'default': Opt('hex', default='0')}, [('default', 'H')]),
    StructKind('sfq', SFQ_OPTS, SFQ_LAYOUT),
    Htb(), Tbf(), Prio(), Ets(), Netem(), Cbs(), Etf(), Sfb(), _cake(),
    AttrKind('codel', _attrs(('target', 1, 'time', '5ms', 'I', 'codel'), ('limit', 2, 'int', 1000),
                             ('interval', 3, 'time', '100ms', 'I', 'codel'), ('ecn', 4, 'bool', False),
                             ('ce_threshold', 5, 'time', None, 'I', 'codel'))),
    AttrKind('fq_codel', _attrs(('target', 1, 'time', '5ms', 'I', 'codel'), ('limit', 2, 'int', 10240),
                                ('interval', 3, 'time', '100ms', 'I', 'codel'), ('ecn', 4, 'bool', True),
                                ('flows', 5, 'int', 1024), ('quantum', 6, 'size', None),
                                ('ce_threshold', 7, 'time', None, 'I', 'codel'),
                                ('drop_batch', 8, 'int', 64), ('memory_limit', 9, 'size', '32mb'))),
    AttrKind('fq', _attrs(('limit', 1, 'int', 10000), ('flow_limit', 2, 'int', 100), ('quantum', 3, 'size', None),
                          ('initial_quantum', 4, 'size', None), ('pacing', 5, 'bool', True),
                          ('maxrate', 7, 'rate', None), ('buckets_log', 8, 'int', 10),
                          ('refill_delay', 9, 'time', '40ms', 'I', 'jiffies'), ('orphan_mask', 10, 'int', 1023),
                          ('low_rate_threshold', 11, 'rate', '550kbit'), ('ce_threshold', 12, 'time', None),
                          ('horizon', 14, 'time', '10s'), ('horizon_drop', 15, 'bool', True, 'B'))),
    AttrKind('pie', _attrs(('target', 1, 'time', '15ms', 'I', 'psched'), ('limit', 2, 'int', 1000),
                           ('tupdate', 3, 'time', '15ms', 'I', 'jiffies'),
                           ('alpha', 4, 'int', 2), ('beta', 5, 'int', 20), ('ecn', 6, 'bool', False),
                           ('bytemode', 7, 'bool', False), ('dq_rate_estimator', 8, 'bool', False))),
    AttrKind('fq_pie', _attrs(('limit', 1, 'int', 10240), ('flows', 2, 'int', 1024), ('target', 3, 'time', '15ms', 'I', 'psched'),
                              ('tupdate', 4, 'time', '15ms', 'I', 'jiffies'), ('alpha', 5, 'int', 2), ('beta', 6, 'int', 20),
                              ('quantum', 7, 'size', None), ('memory_limit', 8, 'size', '32mb'),
                              ('ecn_prob', 9, 'int', 10), ('ecn', 10, 'bool', False), ('bytemode', 11, 'bool', False),
                              ('dq_rate_estimator', 12, 'bool', False))),
    AttrKind('hhf', _attrs(('limit', 1, 'int', 1000), ('quantum', 2, 'size', None), ('hh_limit', 3, 'int', 2048),
                           ('reset_timeout', 4, 'time', '40ms', 'I', 'jiffies'), ('admit_bytes', 5, 'size', '128kb'),
                           ('evict_timeout', 6, 'time', '1s', 'I', 'jiffies'), ('non_hh_weight', 7, 'int', 2))),
])
# hhf_init() reads the options, then sets hh_limit to its default (2048) when it allocates its tables
KINDS['hhf'].change_after_create = ('hh_limit',)

# red, gred, choke, taprio and mqprio: qdisc_kinds_sched adds them to KINDS (it builds on Kind and Opt above)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import qdisc_kinds_sched  # noqa: E402,F401 pylint: disable=unused-import,wrong-import-position

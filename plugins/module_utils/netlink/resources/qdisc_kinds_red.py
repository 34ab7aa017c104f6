# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The RED family of qdisc kinds: red, gred, choke (linux/pkt_sched.h); qdisc_kinds_sched registers them.

RED keeps no burst, average packet size or bandwidth: tc turns them into Wlog (the averaging weight
2^-Wlog), Plog and max_P (the drop probability) and Scell_log with a 256-byte table (idle damping: how far
the average decays per idle cell). The math here follows include/net/red.h and the RED paper (Floyd and
Jacobson, 1993), computed the way tc computes it so that the bytes are the same. Facts show the numbers
back as options: a burst and a bandwidth the kernel's Wlog and Scell_log come from (avpkt 1000b), so
gathered state re-applies as a no-op; comparisons are on the kernel's numbers.

Besides encode/decode each kind has ``words`` (its tc words) and gred ``followups``: a gred qdisc is
created with its setup, then each virtual queue is one more (change) request, as `tc qdisc change ... gred
... DP n` sends it - the kernel refuses both in one message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import struct
from decimal import Decimal, InvalidOperation

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc_kinds import KINDS, Kind, Opt
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc_kinds_sched import Nested, _items

TC_RED_ECN, TC_RED_HARDDROP, TC_RED_ADAPTATIVE, TC_RED_NODROP = 1, 2, 4, 8
RED_FLAGS = (('ecn', TC_RED_ECN), ('harddrop', TC_RED_HARDDROP), ('adaptive', TC_RED_ADAPTATIVE),
             ('nodrop', TC_RED_NODROP))
MAX_DPS = 16
GRED_QOPT = struct.Struct('=10I4B2I')  # struct tc_gred_qopt


# ------------------------------------------------------------------------------------------ RED math

def red_wlog(qmin, burst, avpkt):
    """log2 of 1/W: the smallest such that ``burst`` packets arriving at an empty queue keep the average
    below qmin (the RED paper: burst + 1 - qmin/avpkt <= (1 - (1-W)^burst) / W); None if none does."""
    need = burst + 1 - qmin / avpkt
    if need < 1:
        return None
    weight = 0.5
    for wlog in range(1, 32):
        if need <= (1 - math.pow(1 - weight, burst)) / weight:
            return wlog
        weight /= 2
    return None


def red_plog(qmin, qmax, probability):
    """log2 of (qth_max - qth_min) / max_P: the number of doublings that take max_P/(max - min) above 1."""
    if qmax == qmin:
        return 0
    step = probability / (qmax - qmin)
    for plog in range(32):
        if step > 1:
            return plog
        step *= 2
    return None


def red_stab(wlog, avpkt, rate):
    """Scell_log and the 256 shifts the kernel applies to the average after an idle time.

    Idle for t, the average decays by (1-W)^(t / xmit(avpkt)) = 2^-(t * lW) with lW = -ln(1-W) / xmit;
    the table holds floor(t * lW) (at most 31) for t = slot << Scell_log, the cell the smallest that keeps
    the whole decay (31 / lW) within 512 cells.
    """
    ticks = tc.psched().xmittime(rate, avpkt)
    if not ticks:  # avpkt takes no time at this rate: nothing to damp with
        return None, None
    per_tick = -math.log(1 - 1.0 / (1 << wlog)) / ticks
    longest = 31 / per_tick
    cell_log = 0
    while cell_log < 32 and longest / (1 << cell_log) >= 512:
        cell_log += 1
    if cell_log >= 32:
        return None, None
    table = [0] + [min(int((slot << cell_log) * per_tick), 31) for slot in range(1, 255)] + [31]
    return cell_log, struct.pack('=256B', *table)


def max_p(probability):
    """max_P as the kernel keeps it: the probability in units of 2^-32."""
    return int(float(probability) * 2 ** 32)


def format_probability(number):
    """The shortest decimal probability whose max_P is ``number``."""
    exact = Decimal(number) / 2 ** 32
    for digits in range(1, 14):
        text = format(round(exact, digits).normalize(), 'f')
        if max_p(text) == number:
            return text
    return format(exact, 'f')


def _burst_for(qmin, wlog, unit):
    """A burst (packets) that gives ``wlog``: tc's default when it does, else the smallest found.

    The weight grows with the burst, except that a burst too large for any weight has none: ranked 32.
    """
    def rank(burst):
        if burst + 1 - qmin / unit < 1:
            return 0
        return red_wlog(qmin, burst, unit) or 32

    low, high = 0, 2 ** 34
    while low < high:
        middle = (low + high) // 2
        if rank(middle) >= wlog:
            high = middle
        else:
            low = middle + 1
    return low


class Probability(Opt):
    def __init__(self, default='0.02'):
        Opt.__init__(self, 'probability', default=default)

    def spec(self):
        return {'type': 'raw'}

    def canonical(self, value, what):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or isinstance(value, bool) or not 0 < number < 1:
            raise ValidationError('%s: %r is not a probability; allowed: a number above 0 and below 1 (0.02)'
                                  % (what, value))
        return format_probability(max_p(number))

    def to_kernel(self, value):
        return max_p(value)

    def from_kernel(self, number):
        return format_probability(number)


def red_opts(packets=False, flags=('ecn', 'harddrop', 'adaptive', 'nodrop')):
    """The options of one RED queue; ``packets``: thresholds in packets (choke), else in bytes."""
    opts = {'limit': Opt('int' if packets else 'size'), 'min': Opt('int' if packets else 'size'),
            'max': Opt('int' if packets else 'size'), 'avpkt': Opt('size', default='1000b'),
            'burst': Opt('int'), 'probability': Probability(), 'bandwidth': Opt('rate', default='10mbit')}
    opts.update((name, Opt('bool', default=False)) for name in flags)
    return opts


class RedMath:
    """A RED queue's options as the kernel's numbers, and back (shared by red, gred's queues, choke)."""

    def __init__(self, opts, packets=False):
        self.opts = opts
        self.packets = packets  # choke: thresholds in packets; the drop probability is per byte anyway

    def number(self, values, name):
        return self.opts[name].to_kernel(values[name])

    def complete(self, values, what):
        """Checked options with tc's defaults (burst (2 min + max) / 3 packets), each thresholds kept sane."""
        missing = [name for name in ('limit', 'min', 'max') if values.get(name) is None]
        if missing:
            raise ValidationError('%s: %s required' % (what, ', '.join(missing)))
        for name, opt in self.opts.items():
            if values.get(name) is None and opt.default is not None:
                values[name] = opt.default
        qmin, qmax, avpkt = self.number(values, 'min'), self.number(values, 'max'), self.number(values, 'avpkt')
        if qmin > qmax:
            raise ValidationError('%s: min (%s) is above max (%s)' % (what, values['min'], values['max']))
        if not avpkt:
            raise ValidationError('%s.avpkt: must be above 0' % what)
        if values.get('nodrop') and not values.get('ecn'):  # include/net/red.h red_validate_flags
            raise ValidationError('%s.nodrop: needs ecn: true (without ECN marking nothing else can be done above '
                                  'max; the kernel refuses it)' % what)
        unit = 1 if self.packets else avpkt
        if values.get('burst') is None:
            values['burst'] = (2 * qmin + qmax) // (3 * unit)
        if self.numbers(values) is None:
            raise ValidationError('%s: no RED weight fits burst %s with min %s, avpkt %s and bandwidth %s (burst '
                                  'must be at least min / avpkt packets, min and max small enough for it, and '
                                  'avpkt take at least a microsecond at the bandwidth)'
                                  % (what, values['burst'], values['min'], values['avpkt'], values['bandwidth']))
        return values

    def numbers(self, values):
        """(limit, qth_min, qth_max, Wlog, Plog, Scell_log, max_P, flags) of complete options, or None."""
        qmin, qmax, avpkt = self.number(values, 'min'), self.number(values, 'max'), self.number(values, 'avpkt')
        unit = 1 if self.packets else avpkt
        wlog = red_wlog(qmin, values['burst'], unit)
        scale = avpkt if self.packets else 1
        plog = red_plog(qmin * scale, qmax * scale, float(values['probability']))
        if wlog is None or plog is None or max(qmin, qmax).bit_length() + wlog >= 32:
            return None
        cell_log = red_stab(wlog, avpkt, self.number(values, 'bandwidth'))[0]
        if cell_log is None:
            return None
        flags = sum(bit for name, bit in RED_FLAGS if values.get(name) and name in self.opts)
        return (self.number(values, 'limit'), qmin, qmax, wlog, plog, cell_log,
                self.number(values, 'probability'), flags)

    def stab(self, values):
        wlog = self.numbers(values)[3]
        return red_stab(wlog, self.number(values, 'avpkt'), self.number(values, 'bandwidth'))[1]

    def same(self, want, have):
        try:
            return self.numbers(self.complete(dict(have), '')) == self.numbers(self.complete(dict(want), ''))
        except ValidationError:
            return False

    def options(self, limit, qmin, qmax, wlog, cell_log, max_prob, flags):
        """Options (avpkt 1000b) that give these kernel numbers: the burst and the bandwidth found."""
        opts = self.opts
        values = {'limit': opts['limit'].from_kernel(limit), 'min': opts['min'].from_kernel(qmin),
                  'max': opts['max'].from_kernel(qmax), 'avpkt': '1000b', 'probability': format_probability(max_prob)}
        values.update((name, bool(flags & bit)) for name, bit in RED_FLAGS if name in opts)
        unit = 1 if self.packets else 1000
        values['burst'] = (2 * qmin + qmax) // (3 * unit)
        if red_wlog(qmin, values['burst'], unit) != wlog:
            values['burst'] = _burst_for(qmin, wlog, unit)
        values['bandwidth'] = '10mbit'
        if red_stab(wlog, 1000, 1250000)[0] != cell_log:
            for scale in sorted(((n != 1, n * 10 ** k) for k in range(3, 13) for n in range(1, 10))):
                if red_stab(wlog, 1000, scale[1] // 8)[0] == cell_log:
                    values['bandwidth'] = tc.format_rate(scale[1] // 8)
                    break
        return values

    def words(self, values):
        words = []
        for name in ('limit', 'min', 'max', 'avpkt', 'burst', 'probability', 'bandwidth'):
            opt = self.opts[name]
            value = values[name]
            words += [name, str(opt.to_kernel(value)) if opt.unit == 'size' else str(value)]
        return words + [name for name, _bit in RED_FLAGS if values.get(name) and name in self.opts]


# ------------------------------------------------------------------------------------------- red, choke

class Red(Kind):
    """red: TCA_RED_PARMS (struct tc_red_qopt), TCA_RED_STAB, TCA_RED_MAX_P and TCA_RED_FLAGS."""

    required = ('limit', 'min', 'max')

    def __init__(self, name='red', packets=False, flags=('ecn', 'harddrop', 'adaptive', 'nodrop')):
        Kind.__init__(self, name)
        self.opts = red_opts(packets, flags)
        self.red = RedMath(self.opts, packets)

    def prepare(self, values, what):
        return self.red.complete(Kind.prepare(self, values, what), what)

    def same(self, want, have):
        return self.red.same(want, have)

    def encode(self, values):
        limit, qmin, qmax, wlog, plog, cell_log, prob, flags = self.red.numbers(values)
        # the flags go in TCA_RED_FLAGS (bitfield32: value, the bits it sets), none in the struct, as tc does
        return (tc.nla(1, struct.pack('=3I4B', limit, qmin, qmax, wlog, plog, cell_log, 0))
                + tc.nla(2, self.red.stab(values)) + tc.nla_u32(3, prob)
                + tc.nla(4, struct.pack('=2I', flags, TC_RED_ECN | TC_RED_HARDDROP | TC_RED_ADAPTATIVE | TC_RED_NODROP)))

    def decode(self, data):
        attrs = tc.parse_nla(data)
        parms = attrs.get(1, b'')
        if len(parms) < 16:
            return {}
        limit, qmin, qmax, wlog, _plog, cell_log, flags = struct.unpack_from('=3I4B', parms)
        bits = attrs.get(4, b'')  # red's TCA_RED_FLAGS (choke has no attribute 4: its flags are the struct's)
        if len(bits) >= 4:
            flags |= struct.unpack_from('=I', bits)[0]
        return self.red.options(limit, qmin, qmax, wlog, cell_log, tc.u32(attrs.get(3), 0), flags)

    def words(self, values):
        return self.red.words(values)


class Choke(Red):
    """choke: struct tc_choke_qopt (thresholds in packets, the flags in it), TCA_CHOKE_STAB, TCA_CHOKE_MAX_P."""

    required = ('limit', 'min', 'max')

    def __init__(self):
        Red.__init__(self, 'choke', packets=True, flags=('ecn', 'harddrop'))

    def encode(self, values):
        limit, qmin, qmax, wlog, plog, cell_log, prob, flags = self.red.numbers(values)
        return (tc.nla(1, struct.pack('=3I4B', limit, qmin, qmax, wlog, plog, cell_log, flags))
                + tc.nla(2, self.red.stab(values)) + tc.nla_u32(3, prob))


# ---------------------------------------------------------------------------------------------- gred

GRED_VQ_OPTS = dict(red_opts(flags=('ecn', 'harddrop')), dp=Opt('int'), prio=Opt('int', default=0))
GRED_VQ = RedMath(GRED_VQ_OPTS)


GRED_FLAGS = (('ecn', TC_RED_ECN), ('harddrop', TC_RED_HARDDROP))


class Gred(Kind):
    """gred: the setup (TCA_GRED_DPS, TCA_GRED_LIMIT), then one request per virtual queue (TCA_GRED_PARMS,
    _STAB, _MAX_P and TCA_GRED_VQ_LIST with its flags).

    The RED flags are either the setup's (struct tc_gred_sopt.flags, then every queue has them) or each
    queue's (TCA_GRED_VQ_FLAGS): with flags on the setup the kernel refuses a queue with other flags, and
    tc sends a queue's flags (0 too) every time, so a queue is sent the setup's.
    """

    opts = {'dps': Opt('int'), 'default': Opt('int', default=0), 'grio': Opt('bool', default=False),
            'limit': Opt('size'), 'ecn': Opt('bool', default=False), 'harddrop': Opt('bool', default=False),
            'vqs': Nested(GRED_VQ_OPTS)}

    def __init__(self):
        Kind.__init__(self, 'gred')

    def prepare(self, values, what):
        given = dict(values)
        vqs = given.pop('vqs', None)
        values = Kind.prepare(self, given, what)
        seen = set()
        if vqs is not None:
            values['vqs'] = []
            for index, vq in enumerate(_items(vqs, what + '.vqs')):
                where = '%s.vqs[%d]' % (what, index)
                vq = dict((name, GRED_VQ_OPTS[name].canonical(value, '%s.%s' % (where, name)))
                          for name, value in vq.items() if value is not None)
                missing = [name for name in ('dp', 'limit', 'min', 'max') if vq.get(name) is None]
                if missing:
                    raise ValidationError('%s: %s required' % (where, ', '.join(missing)))
                if vq['dp'] in seen or not 0 <= vq['dp'] < MAX_DPS:
                    raise ValidationError('%s.dp: %r is given twice or not one of 0 to %d'
                                          % (where, vq['dp'], MAX_DPS - 1))
                seen.add(vq['dp'])
                if vq.get('prio') and not values.get('grio'):
                    raise ValidationError('%s.prio: %s, but only a gred with grio: true orders its queues by prio '
                                          '(without it the kernel keeps a prio of its own)' % (where, vq['prio']))
                if any(values.get(name) for name, _bit in GRED_FLAGS):
                    for name, _bit in GRED_FLAGS:
                        if vq.get(name, values.get(name, False)) != values.get(name, False):
                            raise ValidationError(
                                '%s.%s: %s, but the setup has ecn %s, harddrop %s: with RED flags on the setup '
                                'every queue has the setup\'s (the kernel refuses others)'
                                % (where, name, vq[name], values.get('ecn', False), values.get('harddrop', False)))
                        vq[name] = values.get(name, False)
                values['vqs'].append(GRED_VQ.complete(vq, where))
        if values.get('dps') is None:
            if not seen:
                raise ValidationError('%s: dps (the number of virtual queues) or vqs required' % what)
            values['dps'] = max(seen) + 1
        if not 0 < values['dps'] <= MAX_DPS or max(seen | {values.get('default', 0)}) >= values['dps']:
            raise ValidationError('%s: dps %r must be 1 to %d and above every dp and the default'
                                  % (what, values['dps'], MAX_DPS))
        return values

    def same(self, want, have):
        plain = dict((k, v) for k, v in want.items() if k != 'vqs')
        if not Kind.same(self, plain, have):
            return False
        queues = dict((vq['dp'], vq) for vq in have.get('vqs') or [])
        return all(vq['dp'] in queues and GRED_VQ.same(vq, queues[vq['dp']])
                   and (not want.get('grio') or vq.get('prio', 0) == queues[vq['dp']].get('prio', 0))
                   for vq in want.get('vqs') or [])

    def encode(self, values):
        flags = sum(bit for name, bit in GRED_FLAGS if values.get(name))
        data = tc.nla(3, struct.pack('=2I2BH', values['dps'], values.get('default') or 0,
                                     int(bool(values.get('grio'))), flags, 0))
        if values.get('limit') is not None:
            data += tc.nla_u32(5, tc.parse_size(values['limit'], ''))
        return data

    def followups(self, values):
        """(TCA_OPTIONS, tc words) of each virtual queue: `tc qdisc change ... gred ... DP n`."""
        requests = []
        for vq in values.get('vqs') or []:
            limit, qmin, qmax, wlog, plog, cell_log, prob, flags = GRED_VQ.numbers(vq)
            parms = GRED_QOPT.pack(limit, qmin, qmax, vq['dp'], 0, 0, 0, 0, 0, 0, wlog, plog, cell_log,
                                   vq.get('prio') or 0, 0, 0)
            entry = tc.nla(1, tc.nla_u32(2, vq['dp']) + tc.nla_u32(12, flags))  # TCA_GRED_VQ_ENTRY: DP, FLAGS
            options = tc.nla(1, parms) + tc.nla(2, GRED_VQ.stab(vq)) + tc.nla_u32(4, prob) + tc.nla(6, entry)
            words = GRED_VQ.words(vq) + ['DP', str(vq['dp'])]
            if vq.get('prio'):
                words += ['prio', str(vq['prio'])]
            requests.append((options, words))
        return requests

    def decode(self, data):
        attrs = tc.parse_nla(data)
        setup = attrs.get(3, b'')
        if len(setup) < 10:
            return {}
        dps, default, grio, setup_flags = struct.unpack_from('=2I2B', setup)
        values = {'dps': dps, 'default': default, 'grio': bool(grio)}
        values.update((name, bool(setup_flags & bit)) for name, bit in GRED_FLAGS)
        if 5 in attrs:
            values['limit'] = tc.format_size(tc.u32(attrs[5]))
        probs = attrs.get(4, b'')
        flags = {}
        for _entry_type, entry in tc.iter_nla(attrs.get(6)):
            fields = tc.parse_nla(entry)
            flags[tc.u32(fields.get(2))] = tc.u32(fields.get(12), 0)
        parms, values['vqs'] = attrs.get(1, b''), []
        for offset in range(0, len(parms) - GRED_QOPT.size + 1, GRED_QOPT.size):
            fields = GRED_QOPT.unpack_from(parms, offset)
            limit, qmin, qmax, dp = fields[:4]
            wlog, _plog, cell_log, prio = fields[10:14]
            if dp >= MAX_DPS:  # a queue not configured
                continue
            prob = tc.u32(probs[4 * dp:4 * dp + 4], 0)
            vq = GRED_VQ.options(limit, qmin, qmax, wlog, cell_log, prob, flags.get(dp, 0))
            vq['dp'] = dp
            if grio:  # without grio the kernel's prio means nothing (and is not the one sent)
                vq['prio'] = prio
            values['vqs'].append(vq)
        return values

    def words(self, values):
        words = ['setup', 'vqs', str(values['dps']), 'default', str(values.get('default') or 0)]
        if values.get('grio'):
            words.append('grio')
        if values.get('limit') is not None:
            words += ['limit', str(tc.parse_size(values['limit'], ''))]
        return words + [name for name, _bit in GRED_FLAGS if values.get(name)]


RED_KINDS = (Red(), Gred(), Choke())
KINDS.update((kind.name, kind) for kind in RED_KINDS)

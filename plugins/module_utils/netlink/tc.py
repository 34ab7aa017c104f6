# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Traffic control facts shared by the qdisc, class and filter resources (nl_qdisc, nl_tc_class,
nl_tc_filter and the actions).

What lives here is what all three need the same way:

- constants from linux/pkt_sched.h, linux/rtnetlink.h and linux/gen_stats.h;
- handles as tc writes them (``root``, ``ingress``, ``clsact``, ``1:``, ``1:10``, ``:10``);
- tc's units: rates (``100mbit`` is bits, ``12500kbps`` is bytes, a bare number is bits per second),
  sizes (``32kb``, ``1500b``, ``kbit``; a bare number is bytes) and times (``50ms``; a bare number is
  microseconds), each with a normalized spelling so that gathered state re-applies as a no-op;
- the kernel's packet-scheduler clock (/proc/net/psched) and the tick/byte conversions tc does for
  tbf, htb and police (``burst`` <-> ``buffer`` transmit time), and the 256-slot rate table police wants;
- a tcmsg message whose TCA_OPTIONS stays raw bytes, with a small attribute codec, because every kind
  nests its own attributes there and pyroute2's per-kind decoders do not cover (or agree with) all kinds;
- the statistics of a dump (TCA_STATS2), kept apart from the comparable configuration.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import struct
from decimal import Decimal, InvalidOperation

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

RTM_NEWQDISC, RTM_DELQDISC, RTM_GETQDISC = 36, 37, 38
RTM_NEWTCLASS, RTM_DELTCLASS, RTM_GETTCLASS = 40, 41, 42
RTM_NEWTFILTER, RTM_DELTFILTER, RTM_GETTFILTER = 44, 45, 46
RTM_NEWCHAIN, RTM_DELCHAIN, RTM_GETCHAIN = 100, 101, 102

TC_H_UNSPEC = 0
TC_H_ROOT = 0xFFFFFFFF
TC_H_INGRESS = 0xFFFFFFF1
TC_H_CLSACT = TC_H_INGRESS
TC_H_MIN_PRIORITY = 0xFFE0
TC_H_MIN_INGRESS = 0xFFF2
TC_H_MIN_EGRESS = 0xFFF3
TC_H_MAJ_MASK = 0xFFFF0000
TC_H_MIN_MASK = 0x0000FFFF

# enum of linux/rtnetlink.h TCA_*
(TCA_UNSPEC, TCA_KIND, TCA_OPTIONS, TCA_STATS, TCA_XSTATS, TCA_RATE, TCA_FCNT, TCA_STATS2, TCA_STAB,
 TCA_PAD, TCA_DUMP_INVISIBLE, TCA_CHAIN, TCA_HW_OFFLOAD, TCA_INGRESS_BLOCK, TCA_EGRESS_BLOCK,
 TCA_DUMP_FLAGS, TCA_EXT_WARN_MSG) = range(17)

# linux/gen_stats.h
TCA_STATS_BASIC, TCA_STATS_RATE_EST, TCA_STATS_QUEUE = 1, 2, 3
TCA_STATS_RATE_EST64, TCA_STATS_PKT64 = 5, 8

TC_LINKLAYER_UNAWARE, TC_LINKLAYER_ETHERNET, TC_LINKLAYER_ATM = 0, 1, 2
TIME_UNITS_PER_SEC = 1000000
# struct tc_ratespec: cell_log, linklayer, overhead, cell_align, mpu, rate
RATESPEC = struct.Struct('=BBHhHI')
NLA = struct.Struct('=HH')
NLA_F_NESTED = 0x8000


def tc_h_make(major, minor):
    return (major & TC_H_MAJ_MASK) | (minor & TC_H_MIN_MASK)


def tc_h_maj(handle):
    return handle & TC_H_MAJ_MASK


def tc_h_min(handle):
    return handle & TC_H_MIN_MASK


# ---------------------------------------------------------------------------------------------- handles

HANDLE_NAMES = {'root': TC_H_ROOT, 'ingress': TC_H_INGRESS, 'clsact': TC_H_CLSACT, 'none': TC_H_UNSPEC}
_HANDLE = re.compile(r'^([0-9a-f]{0,4}):([0-9a-f]{0,4})$|^([0-9a-f]{1,8})$')
HANDLE_ALLOWED = "root, ingress, clsact, none, 'MAJ:MIN', 'MAJ:' or ':MIN' with hexadecimal MAJ and MIN up to ffff"


def parse_handle(value, what, qdisc=False):
    """A tc handle or parent as its 32-bit number.

    Numbers are hexadecimal, as tc reads them. A bare number is the whole 32-bit handle (tc's classid
    reading) unless ``qdisc`` is true: then it is a major number (``1`` is ``1:``, tc's qdisc handle
    reading) and a minor number is refused.
    """
    text = '' if value is None or isinstance(value, bool) else str(value).strip().lower()
    if text in HANDLE_NAMES:
        return HANDLE_NAMES[text]
    match = _HANDLE.match(text)
    if match and match.group(3) is not None:
        number = int(match.group(3), 16)
        if not qdisc:
            return number
        if number <= 0xFFFF:
            return number << 16
    elif match and (match.group(1) or match.group(2)):
        major, minor = int(match.group(1) or '0', 16), int(match.group(2) or '0', 16)
        if not (qdisc and minor):
            return (major << 16) | minor
    raise ValidationError('%s: %r is not a tc handle%s; allowed: %s'
                          % (what, value, ' of a qdisc (its minor number must be 0)' if qdisc else '',
                             HANDLE_ALLOWED))


def format_handle(number):
    """A handle as tc prints it: root, ingress, 1:, 1:10, :10."""
    if number == TC_H_ROOT:
        return 'root'
    if number == TC_H_INGRESS:
        return 'ingress'
    if number == TC_H_UNSPEC:
        return 'none'
    major, minor = number >> 16, number & TC_H_MIN_MASK
    if not major:
        return ':%x' % minor
    if not minor:
        return '%x:' % major
    return '%x:%x' % (major, minor)


# ------------------------------------------------------------------------------------------------ units

# tc's rate suffixes (tc_util.c), matched case-insensitively; the scale is in bits per second.
RATE_UNITS = {
    'bit': 1, 'kibit': 1024, 'kbit': 1000, 'mibit': 1024 ** 2, 'mbit': 1000 ** 2,
    'gibit': 1024 ** 3, 'gbit': 1000 ** 3, 'tibit': 1024 ** 4, 'tbit': 1000 ** 4,
    'bps': 8, 'kibps': 8 * 1024, 'kbps': 8000, 'mibps': 8 * 1024 ** 2, 'mbps': 8 * 1000 ** 2,
    'gibps': 8 * 1024 ** 3, 'gbps': 8 * 1000 ** 3, 'tibps': 8 * 1024 ** 4, 'tbps': 8 * 1000 ** 4,
}
# Sizes (get_size): a bare number, b: bytes; k/kb, m/mb, g/gb: 1024-based bytes; kbit, mbit, gbit: bits.
SIZE_UNITS = {
    '': 1, 'b': 1, 'k': 1024, 'kb': 1024, 'm': 1024 ** 2, 'mb': 1024 ** 2, 'g': 1024 ** 3, 'gb': 1024 ** 3,
    'kbit': Decimal(1024) / 8, 'mbit': Decimal(1024 ** 2) / 8, 'gbit': Decimal(1024 ** 3) / 8,
}
TIME_UNITS = {
    '': 1, 'us': 1, 'usec': 1, 'usecs': 1, 'ms': 1000, 'msec': 1000, 'msecs': 1000,
    's': TIME_UNITS_PER_SEC, 'sec': TIME_UNITS_PER_SEC, 'secs': TIME_UNITS_PER_SEC,
}
_QUANTITY = re.compile(r'^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([a-z]*)\s*$')


def _quantity(value, what, units, kind, allowed, limit):
    if isinstance(value, bool):
        value = None
    match = _QUANTITY.match(str(value).lower()) if value is not None else None
    if match and match.group(2) in units:
        try:
            number = int(Decimal(match.group(1)) * units[match.group(2)])
        except InvalidOperation:
            number = None
        if number is not None and number <= limit:
            return number
    raise ValidationError('%s: %r is not a %s; allowed: %s' % (what, value, kind, allowed))


def parse_rate(value, what):
    """A tc rate as bytes per second: a bare number, ``bit``, ``kbit``... are bits; ``bps``, ``kbps``... bytes."""
    bits = _quantity(value, what, dict(RATE_UNITS, **{'': 1}), 'rate',
                     'a number of bits per second with an optional unit: %s' % ', '.join(sorted(RATE_UNITS)),
                     8 * (2 ** 64 - 1))
    return bits // 8


def format_rate(bytes_per_sec):
    """A rate in bits with the largest decimal unit that keeps it exact: 12500000 -> '100mbit'."""
    bits = int(bytes_per_sec) * 8
    for unit, scale in (('tbit', 1000 ** 4), ('gbit', 1000 ** 3), ('mbit', 1000 ** 2), ('kbit', 1000)):
        if bits and bits % scale == 0:
            return '%d%s' % (bits // scale, unit)
    return '%dbit' % bits


def parse_size(value, what, limit=2 ** 32 - 1):
    """A tc size as bytes: a bare number or ``b`` bytes, ``kb``/``mb``/``gb`` 1024-based, ``kbit``... bits."""
    return _quantity(value, what, SIZE_UNITS, 'size',
                     'a number of bytes with an optional unit: b, kb (k), mb (m), gb (g), kbit, mbit, gbit',
                     limit)


def format_size(size):
    """A size with the largest 1024-based unit that keeps it exact: 32768 -> '32kb'."""
    size = int(size)
    for unit, scale in (('gb', 1024 ** 3), ('mb', 1024 ** 2), ('kb', 1024)):
        if size and size % scale == 0:
            return '%d%s' % (size // scale, unit)
    return '%db' % size


def parse_time(value, what, limit=2 ** 32 - 1):
    """A tc time as microseconds: a bare number or ``us``, ``ms``, ``s`` (and tc's usec/msec/sec spellings)."""
    return _quantity(value, what, TIME_UNITS, 'time',
                     'a number of microseconds with an optional unit: us, ms, s', limit)


def format_time(usec):
    """A time with the largest unit that keeps it exact: 50000 -> '50ms'."""
    usec = int(usec)
    for unit, scale in (('s', TIME_UNITS_PER_SEC), ('ms', 1000)):
        if usec and usec % scale == 0:
            return '%d%s' % (usec // scale, unit)
    return '%dus' % usec


def parse_percent(value, what):
    """A percentage (``1%``, ``0.5``) as a fraction 0..1."""
    text = str(value).strip().rstrip('%')
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not 0 <= number <= 100 or isinstance(value, bool):
        raise ValidationError('%s: %r is not a percentage; allowed: a number from 0 to 100, optionally '
                              'followed by %%' % (what, value))
    return number / 100


# ---------------------------------------------------------------------------------------------- psched

class Psched:
    """The kernel's packet-scheduler clock, read the way tc's tc_core_init() reads /proc/net/psched.

    ``ticks_per_usec`` is tc's ``tick_in_usec``: tbf, htb and police take transmit times in these ticks.
    """

    def __init__(self, text=None):
        if text is None:
            try:
                with open('/proc/net/psched') as handle:
                    text = handle.read()
            except (IOError, OSError):
                text = '000003e8 00000040 000f4240 3b9aca00'
        t2us, us2t, clock_res = [int(field, 16) for field in text.split()[:3]]
        # The kernel advertises 1000 instead of 1 for a nanosecond clock, for old tc binaries.
        if clock_res == 1000000000:
            t2us = us2t
        self.clock_factor = clock_res / TIME_UNITS_PER_SEC
        self.ticks_per_usec = t2us / us2t * self.clock_factor

    # tc passes whole microseconds and ticks between these steps (unsigned arguments), so do we: the
    # numbers must match what tc would send for the same words.
    def time_to_ticks(self, usec):
        return int(int(usec) * self.ticks_per_usec)

    def ticks_to_time(self, ticks):
        return int(int(ticks) / self.ticks_per_usec)

    def xmittime(self, rate, size):
        """Ticks to send ``size`` bytes at ``rate`` bytes/s (tc_calc_xmittime): a burst as tbf/htb buffer."""
        if not rate:
            return 0
        return min(self.time_to_ticks(min(TIME_UNITS_PER_SEC * size / rate, 2 ** 32 - 1)), 2 ** 32 - 1)

    def xmitsize(self, rate, ticks):
        """Bytes sent in ``ticks`` at ``rate`` bytes/s (tc_calc_xmitsize): a buffer back as a burst."""
        return int(rate * self.ticks_to_time(ticks) / TIME_UNITS_PER_SEC)

    def burst(self, rate, ticks):
        """The roundest size (see roundest_size) whose transmit time at ``rate`` is ``ticks``.

        Sizes -> ticks is many-to-one; tc prints the smallest, which does not map back to the same ticks.
        The roundest one does, and is what the user most likely wrote: '32kb' reads back as '32kb'.
        """
        return roundest_size(ticks, lambda size: self.xmittime(rate, size), self.xmitsize(rate, ticks), rate)

    def rate_table(self, rate, mtu=0, mpu=0):
        """The 256-slot transmit-time table (tc_calc_rtable) and its cell_log, for kinds that still want it."""
        mtu = mtu or 2047
        cell_log = 0
        while (mtu >> cell_log) > 255:
            cell_log += 1
        table = [self.xmittime(rate, max((slot + 1) << cell_log, mpu)) for slot in range(256)]
        return cell_log, struct.pack('=256I', *table)


PSCHED_SHIFT = 6  # a kernel tick is 64 ns


def kernel_ticks(rate, size):
    """Ticks the kernel itself computes for ``size`` bytes at ``rate`` bytes/s (psched_l2t_ns >> PSCHED_SHIFT).

    tbf (given TCA_TBF_BURST, as tc sends it) keeps this, not the ticks of struct tc_tbf_qopt: the kernel
    divides by the rate with a reciprocal multiply and shift (psched_ratecfg_precompute), reproduced here.
    """
    if not rate:
        return 0
    factor, shift = 10 ** 9, 0
    while True:
        mult = factor // rate
        if mult & (1 << 31) or factor & (1 << 63):
            break
        factor <<= 1
        shift += 1
    return ((size * mult) >> shift) >> PSCHED_SHIFT


def roundest_size(ticks, to_ticks, guess, rate):
    """The roundest size (whole mb, kb, then a multiple of 1000, 100, 10, else the smallest) that
    ``to_ticks`` maps to ``ticks``.

    ``to_ticks`` is monotone; ``guess`` is a size near the answer, ``rate`` (bytes/s) bounds the search:
    sizes a microsecond apart differ by rate / 10**6 bytes.
    """
    if not rate:
        return 0
    span = 2 * (rate // TIME_UNITS_PER_SEC + 1) + 2
    low = max(0, guess - span)
    while low > 0 and to_ticks(low) >= ticks:
        low = max(0, low - span)
    high = guess + span
    while to_ticks(high) <= ticks and high < 2 ** 32:
        high += span
    first = _first(low, high, lambda size: to_ticks(size) >= ticks)
    last = _first(first, high, lambda size: to_ticks(size) > ticks) - 1
    if last < first:
        return first
    for scale in (1024 ** 2, 1024, 1000, 100, 10):
        multiple = -(-first // scale) * scale
        if multiple <= last:
            return multiple
    return first


def _first(low, high, test):
    """The smallest number in [low, high] passing a monotone test (high when none does)."""
    while low < high:
        middle = (low + high) // 2
        if test(middle):
            high = middle
        else:
            low = middle + 1
    return low


_PSCHED = []


def psched():
    """The host's scheduler clock, read once per run."""
    if not _PSCHED:
        _PSCHED.append(Psched())
    return _PSCHED[0]


def pack_ratespec(rate, linklayer=TC_LINKLAYER_ETHERNET, overhead=0, mpu=0, cell_log=3, cell_align=-1):
    """struct tc_ratespec; rates above 32 bits go in the kind's *_RATE64 attribute and saturate here.

    cell_log 3 and cell_align -1 are what tc sends with its default mtu; the kernel uses them only with a
    rate table, which it ignores when linklayer is set.
    """
    return RATESPEC.pack(cell_log, linklayer, overhead, cell_align, mpu, min(rate, 2 ** 32 - 1))


def unpack_ratespec(data, offset=0):
    cell_log, linklayer, overhead, cell_align, mpu, rate = RATESPEC.unpack_from(data, offset)
    return {'rate': rate, 'linklayer': linklayer & 0x0F, 'overhead': overhead, 'mpu': mpu}


# --------------------------------------------------------------------------------- attributes in OPTIONS

def nla(attr_type, payload):
    """One attribute: header, payload, padding to 4 bytes."""
    payload = bytes(payload)
    return NLA.pack(NLA.size + len(payload), attr_type) + payload + b'\0' * (-len(payload) % 4)


def nla_nested(attr_type, attrs):
    return nla(attr_type | NLA_F_NESTED, b''.join(attrs))


class Nested(bytes):
    """A TCA_OPTIONS payload made of attributes: make_tcmsg sends it with NLA_F_NESTED.

    Kinds that parse their options strictly (ets, fq_pie; the mpls, ct, ctinfo and gate actions) refuse a
    nest without the flag; the others ignore it. A struct payload (pfifo, sfq, prio, netem, ...) stays
    plain bytes and goes without it.
    """


def nla_u8(attr_type, value):
    return nla(attr_type, struct.pack('=B', value))


def nla_u16(attr_type, value):
    return nla(attr_type, struct.pack('=H', value))


def nla_u32(attr_type, value):
    return nla(attr_type, struct.pack('=I', value))


def nla_s32(attr_type, value):
    return nla(attr_type, struct.pack('=i', value))


def nla_u64(attr_type, value):
    return nla(attr_type, struct.pack('=Q', value))


def nla_string(attr_type, value):
    return nla(attr_type, value.encode() + b'\0')


def parse_nla(data):
    """{type: payload} of a run of attributes (nested flag cleared; a repeated type keeps the last)."""
    return dict(iter_nla(data))


def iter_nla(data):
    """(type, payload) of a run of attributes, in order; truncated input ends the run."""
    data = bytes(data or b'')
    offset = 0
    while offset + NLA.size <= len(data):
        length, attr_type = NLA.unpack_from(data, offset)
        if length < NLA.size or offset + length > len(data):
            return
        yield attr_type & 0x3FFF, data[offset + NLA.size:offset + length]
        offset += (length + 3) & ~3


def u8(data, default=None):
    return struct.unpack_from('=B', data)[0] if data is not None and len(data) >= 1 else default


def u16(data, default=None):
    return struct.unpack_from('=H', data)[0] if data is not None and len(data) >= 2 else default


def u32(data, default=None):
    return struct.unpack_from('=I', data)[0] if data is not None and len(data) >= 4 else default


def s32(data, default=None):
    return struct.unpack_from('=i', data)[0] if data is not None and len(data) >= 4 else default


def u64(data, default=None):
    return struct.unpack_from('=Q', data)[0] if data is not None and len(data) >= 8 else default


def string(data, default=None):
    return bytes(data).split(b'\0', 1)[0].decode('utf-8', 'replace') if data is not None else default


# ------------------------------------------------------------------------------------------------ tcmsg

_TCMSG = []


def tcmsg_class():
    """struct tcmsg with the TCA_* attributes; OPTIONS and STATS2 stay raw for the kinds to read.

    Made on first use: pyroute2 is imported when a module runs, not when Ansible inspects module_utils.
    """
    if not _TCMSG:
        from pyroute2.netlink import nlmsg

        class tcmsg(nlmsg):
            prefix = 'TCA_'
            fields = (
                ('family', 'B'),
                ('pad1', 'B'),
                ('pad2', 'H'),
                ('index', 'i'),
                ('handle', 'I'),
                ('parent', 'I'),
                ('info', 'I'),
            )
            nla_map = (
                ('TCA_UNSPEC', 'none'),
                ('TCA_KIND', 'asciiz'),
                ('TCA_OPTIONS', 'cdata'),
                ('TCA_STATS', 'cdata'),
                ('TCA_XSTATS', 'cdata'),
                ('TCA_RATE', 'cdata'),
                ('TCA_FCNT', 'cdata'),
                ('TCA_STATS2', 'cdata'),
                ('TCA_STAB', 'cdata'),
                ('TCA_PAD', 'none'),
                ('TCA_DUMP_INVISIBLE', 'flag'),
                ('TCA_CHAIN', 'uint32'),
                ('TCA_HW_OFFLOAD', 'uint8'),
                ('TCA_INGRESS_BLOCK', 'uint32'),
                ('TCA_EGRESS_BLOCK', 'uint32'),
                ('TCA_DUMP_FLAGS', 'cdata'),
                ('TCA_EXT_WARN_MSG', 'asciiz'),
            )
        _TCMSG.append(tcmsg)
    return _TCMSG[0]


def make_tcmsg(ifindex=0, handle=0, parent=0, info=0, kind=None, options=None, attrs=()):
    """A tcmsg request; ``options`` is the kind's TCA_OPTIONS payload (bytes from the nla_* helpers; Nested
    when it is attributes)."""
    msg = tcmsg_class()()
    msg['family'] = 0
    msg['index'] = ifindex
    msg['handle'] = handle
    msg['parent'] = parent
    msg['info'] = info
    msg['attrs'] = []
    if kind is not None:
        msg['attrs'].append(('TCA_KIND', kind))
    if options is not None:
        msg['attrs'].append(('TCA_OPTIONS', bytes(options), NLA_F_NESTED if isinstance(options, Nested) else 0))
    msg['attrs'].extend(attrs)
    return msg


def dump(conn, msg_type, ifindex=0, parent=0, handle=0):
    """Qdiscs, classes or filters of one device (all devices for qdiscs when ifindex is 0).

    Class and filter dumps are per device in the kernel; qdisc dumps walk every device and are filtered
    here.
    """
    replies = conn.dump(make_tcmsg(ifindex=ifindex, parent=parent, handle=handle), msg_type, tcmsg_class())
    return [msg for msg in replies if not ifindex or msg['index'] == ifindex]


def options_of(msg):
    """The raw TCA_OPTIONS payload of a dumped message (b'' when the kind has none)."""
    return bytes(msg.get_attr('TCA_OPTIONS') or b'')


def stats_of(msg):
    """Counters of a dumped qdisc/class/filter from TCA_STATS2: never part of the comparable config."""
    attrs = parse_nla(msg.get_attr('TCA_STATS2'))
    stats = {}
    basic = attrs.get(TCA_STATS_BASIC)
    if basic is not None and len(basic) >= 12:
        stats['bytes'], stats['packets'] = struct.unpack_from('=QI', basic)
    if TCA_STATS_PKT64 in attrs:
        stats['packets'] = u64(attrs[TCA_STATS_PKT64])
    queue = attrs.get(TCA_STATS_QUEUE)
    if queue is not None and len(queue) >= 20:
        for name, value in zip(('qlen', 'backlog', 'drops', 'requeues', 'overlimits'),
                               struct.unpack_from('=5I', queue)):
            stats[name] = value
    rate64 = attrs.get(TCA_STATS_RATE_EST64)
    if rate64 is not None and len(rate64) >= 16:
        stats['rate_bps'], stats['rate_pps'] = struct.unpack_from('=QQ', rate64)
    elif attrs.get(TCA_STATS_RATE_EST) is not None and len(attrs[TCA_STATS_RATE_EST]) >= 8:
        stats['rate_bps'], stats['rate_pps'] = struct.unpack_from('=II', attrs[TCA_STATS_RATE_EST])
    return stats

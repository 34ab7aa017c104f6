# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared tc module: handles, tc's units, the scheduler clock, the attribute codec, tcmsg.

Expected numbers are what tc (iproute2 6.1) sends or prints for the same words: rates from
`tc qdisc add ... tbf rate X`, bursts from `tc -d class show` of an htb class made with `burst X`.
"""

import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

# /proc/net/psched of a kernel with a 1 GHz high-resolution clock (every kernel since 2.6.x)
PSCHED = tc.Psched('000003e8 00000040 000f4240 3b9aca00')


@pytest.mark.parametrize('text, number, shown', [
    ('root', tc.TC_H_ROOT, 'root'),
    ('ingress', tc.TC_H_INGRESS, 'ingress'),
    ('clsact', tc.TC_H_CLSACT, 'ingress'),
    ('none', 0, 'none'),
    ('1:', 0x10000, '1:'),
    ('1:10', 0x10010, '1:10'),
    (':10', 0x10, ':10'),
    ('ffff:', 0xFFFF0000, 'ffff:'),
    ('ffff:fff1', tc.TC_H_INGRESS, 'ingress'),
    ('FFFF:FFF3', 0xFFFFFFF3, 'ffff:fff3'),
    ('10010', 0x10010, '1:10'),
])
def test_handles_read_and_print_as_tc_does(text, number, shown):
    assert tc.parse_handle(text, 'parent') == number
    assert tc.format_handle(number) == shown


def test_a_bare_qdisc_handle_is_a_major_number():
    assert tc.parse_handle('1', 'handle', qdisc=True) == 0x10000
    assert tc.parse_handle(10, 'handle', qdisc=True) == 0x100000


@pytest.mark.parametrize('bad', ['1:2', '10000:', 'x', '', ':', '1::', None])
def test_bad_qdisc_handles_name_the_option_and_what_is_allowed(bad):
    with pytest.raises(ValidationError, match=r"^handle: .* allowed: root, ingress"):
        tc.parse_handle(bad, 'handle', qdisc=True)


@pytest.mark.parametrize('text, bytes_per_sec, shown', [
    ('100mbit', 12500000, '100mbit'),
    ('100Mbit', 12500000, '100mbit'),
    ('12500kbps', 12500000, '100mbit'),
    ('1000', 125, '1kbit'),
    ('8bit', 1, '8bit'),
    ('1.5gbit', 187500000, '1500mbit'),
    ('10kibit', 1280, '10240bit'),
    ('1mibps', 1048576, '8388608bit'),
    ('40gbit', 5000000000, '40gbit'),
])
def test_rates_are_bits_unless_written_in_bytes(text, bytes_per_sec, shown):
    assert tc.parse_rate(text, 'rate') == bytes_per_sec
    assert tc.format_rate(bytes_per_sec) == shown
    assert tc.parse_rate(shown, 'rate') == bytes_per_sec


@pytest.mark.parametrize('bad', ['fast', '10mbits', '-1mbit', '10%', True, ''])
def test_bad_rates_say_what_is_allowed(bad):
    with pytest.raises(ValidationError, match=r'^htb\.rate: .* is not a rate; allowed: a number of bits'):
        tc.parse_rate(bad, 'htb.rate')


@pytest.mark.parametrize('text, size, shown', [
    ('32kb', 32768, '32kb'), ('32K', 32768, '32kb'), ('1500b', 1500, '1500b'), ('1500', 1500, '1500b'),
    ('32kbit', 4096, '4kb'), ('1m', 1048576, '1mb'), ('1gb', 1024 ** 3, '1gb'), ('0', 0, '0b'),
])
def test_sizes_are_1024_based_bytes(text, size, shown):
    assert tc.parse_size(text, 'burst') == size
    assert tc.format_size(size) == shown


def test_sizes_beyond_32_bits_are_refused():
    with pytest.raises(ValidationError, match="burst: '5gb' is not a size"):
        tc.parse_size('5gb', 'burst')


@pytest.mark.parametrize('text, usec, shown', [
    ('50ms', 50000, '50ms'), ('100us', 100, '100us'), ('100', 100, '100us'), ('1s', 1000000, '1s'),
    ('2sec', 2000000, '2s'), ('5msec', 5000, '5ms'), ('7usecs', 7, '7us'), ('0.3ms', 300, '300us'),
    ('1.5s', 1500000, '1500ms'),
])
def test_times_are_microseconds(text, usec, shown):
    assert tc.parse_time(text, 'latency') == usec
    assert tc.format_time(usec) == shown


def test_bad_times_name_the_units():
    with pytest.raises(ValidationError, match=r"latency: '5 minutes' is not a time; allowed: .*us, ms, s"):
        tc.parse_time('5 minutes', 'latency')


def test_percentages():
    assert tc.parse_percent('1%', 'loss') == tc.Decimal('0.01')
    assert tc.parse_percent(50, 'loss') == tc.Decimal('0.5')
    with pytest.raises(ValidationError, match='loss: .*from 0 to 100'):
        tc.parse_percent('150%', 'loss')


def test_psched_reads_the_kernel_clock_like_tc():
    assert PSCHED.ticks_per_usec == 15.625
    assert PSCHED.time_to_ticks(1000) == 15625
    assert PSCHED.ticks_to_time(15625) == 1000
    # an old microsecond clock: one tick per microsecond
    assert tc.Psched('00000001 00000001 000f4240 00000064').ticks_per_usec == 1.0


def test_bursts_become_the_buffer_tc_sends_and_read_back_as_written():
    rate = 12500000  # 100mbit
    ticks = PSCHED.xmittime(rate, 32768)
    assert ticks == 40953  # what `tc class add ... htb rate 100mbit burst 32kb` sends
    assert PSCHED.xmitsize(rate, ticks) == 32750  # what `tc -d class show` prints for it
    assert PSCHED.burst(rate, ticks) == 32768  # what we show: it maps back to the same buffer
    assert PSCHED.xmittime(rate, 1600) == 2000 and PSCHED.burst(rate, 2000) == 1600


@pytest.mark.parametrize('rate, size', [(125, 1500), (1250000000, 65536), (12500000, 32750), (1000000, 1515),
                                        (37, 3), (12500000, 1)])
def test_every_burst_read_back_maps_to_the_same_buffer(rate, size):
    ticks = PSCHED.xmittime(rate, size)
    assert PSCHED.xmittime(rate, PSCHED.burst(rate, ticks)) == ticks


def test_rate_table_matches_tc_calc_rtable():
    cell_log, table = PSCHED.rate_table(125000, mtu=1500)
    slots = struct.unpack('=256I', table)
    assert cell_log == 3
    assert slots[0] == PSCHED.xmittime(125000, 8) and slots[255] == PSCHED.xmittime(125000, 2048)


def test_ratespec_saturates_and_keeps_linklayer():
    data = tc.pack_ratespec(12500000)
    assert len(data) == 12
    assert tc.unpack_ratespec(data) == {'rate': 12500000, 'linklayer': 1, 'overhead': 0, 'mpu': 0}
    assert tc.unpack_ratespec(tc.pack_ratespec(2 ** 40))['rate'] == 2 ** 32 - 1


def test_attributes_round_trip_with_padding_and_nesting():
    data = tc.nla_u8(1, 7) + tc.nla_string(2, 'htb') + tc.nla_nested(3, [tc.nla_u32(1, 5), tc.nla_u64(2, 9)])
    assert len(data) % 4 == 0
    attrs = tc.parse_nla(data)
    assert tc.u8(attrs[1]) == 7 and tc.string(attrs[2]) == 'htb'
    inner = tc.parse_nla(attrs[3])
    assert tc.u32(inner[1]) == 5 and tc.u64(inner[2]) == 9
    assert tc.u32(None, 0) == 0 and tc.u16(b'\x01', 3) == 3


def test_truncated_attributes_end_the_run_quietly():
    data = tc.nla_u32(1, 5) + tc.nla_u32(2, 6)
    assert list(tc.iter_nla(data[:-2])) == [(1, struct.pack('=I', 5))]
    assert list(tc.iter_nla(b'\xff\xff\x01\x00')) == []


def test_tcmsg_encodes_the_header_and_raw_options():
    msg = tc.make_tcmsg(ifindex=3, handle=0x10000, parent=tc.TC_H_ROOT, kind='htb',
                        options=tc.nla_u32(5, 1000))
    msg['header']['type'] = tc.RTM_NEWQDISC
    msg.encode()
    raw = bytes(msg.data)
    assert struct.unpack_from('=BBHiIII', raw, 16) == (0, 0, 0, 3, 0x10000, tc.TC_H_ROOT, 0)
    back = tc.tcmsg_class()(raw)
    back.decode()
    assert back.get_attr('TCA_KIND') == 'htb'
    assert tc.parse_nla(tc.options_of(back)) == {5: struct.pack('=I', 1000)}


def test_stats_come_from_stats2():
    stats2 = (tc.nla(tc.TCA_STATS_BASIC, struct.pack('=QI', 1000, 10) + b'\0' * 4)
              + tc.nla(tc.TCA_STATS_QUEUE, struct.pack('=5I', 1, 2, 3, 4, 5)))
    msg = tc.make_tcmsg(kind='pfifo', attrs=[('TCA_STATS2', stats2)])
    msg.encode()
    back = tc.tcmsg_class()(bytes(msg.data))
    back.decode()
    assert tc.stats_of(back) == {'bytes': 1000, 'packets': 10, 'qlen': 1, 'backlog': 2, 'drops': 3,
                                 'requeues': 4, 'overlimits': 5}

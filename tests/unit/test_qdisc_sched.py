# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""red, gred, choke, taprio and mqprio: options against what tc sends, the RED math, read-back, bad input.

fixtures/tc_options_sched.json holds, per case, the options a task gives, the tc commands the kind renders
for them (gred: the setup, then `tc qdisc change` per virtual queue) and the TCA_OPTIONS tc (iproute2 6.1)
sent for each, captured with strace in a throwaway namespace (the kernel need not know the kind).
Recapture as root with NLINK_CAPTURE_TC=1 (needs strace).
"""

import json
import os
import re
import struct
import subprocess
import uuid

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import qdisc_kinds_red as red_kinds
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc import Qdisc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc_kinds import KINDS

from netlink_fixtures import FIXTURES

FIXTURE = os.path.join(FIXTURES, 'tc_options_sched.json')
PSCHED = '000003e8 00000040 000f4240 3b9aca00'  # the clock the fixture was captured with


@pytest.fixture(autouse=True)
def same_clock(monkeypatch):
    monkeypatch.setattr(tc, '_PSCHED', [tc.Psched(PSCHED)])


def cases():
    with open(FIXTURE) as handle:
        return json.load(handle)


def case(case_id):
    return [c for c in cases() if c['id'] == case_id][0]


def commands(kind_name, values):
    """The tc commands for the values: `qdisc add`, then gred's `qdisc change` per virtual queue."""
    kind = KINDS[kind_name]
    followups = kind.followups(values) if hasattr(kind, 'followups') else []
    return ([['qdisc', 'add', 'dev', 'v0', 'root', 'handle', '1:', kind_name] + kind.words(values)]
            + [['qdisc', 'change', 'dev', 'v0', 'root', 'handle', '1:', kind_name] + words for _opts, words in followups])


def encoded(kind_name, values):
    kind = KINDS[kind_name]
    return [kind.encode(values)] + [opts for opts, _words in (kind.followups(values) if hasattr(kind, 'followups') else [])]


@pytest.mark.parametrize('case', cases(), ids=lambda c: c['id'])
def test_options_are_the_bytes_tc_sends(case):
    values = KINDS[case['kind']].prepare(case['options'], case['kind'])
    assert [' '.join(command) for command in commands(case['kind'], values)] == case['tc']
    assert [data.hex() for data in encoded(case['kind'], values)] == case['sent']


@pytest.mark.parametrize('case', [c for c in cases() if c['kind'] != 'gred'], ids=lambda c: c['id'])
def test_decoded_options_are_the_given_ones_and_reapply(case):
    kind = KINDS[case['kind']]
    values = kind.prepare(case['options'], case['kind'])
    have = kind.decode(bytes.fromhex(case['sent'][0]))
    assert kind.same(values, have)
    # facts re-applied: the same kernel numbers, the same bytes
    again = kind.prepare(have, case['kind'])
    assert kind.same(again, have)
    assert kind.encode(again)[:20] == kind.encode(values)[:20]


def test_red_numbers_follow_the_red_paper():
    # burst 55 of 1000 bytes over min 30000: W 1/32 keeps the average under min, 1/16 does not
    assert red_kinds.red_wlog(30000, 55, 1000) == 5
    # max_P / (max - min) = 0.02 / 60000 needs 22 doublings to pass 1
    assert red_kinds.red_plog(30000, 90000, 0.02) == 22
    cell_log, stab = red_kinds.red_stab(5, 1000, 1250000)
    assert cell_log == 15 and stab[0] == 0 and stab[255] == 31 and list(stab) == sorted(stab)
    assert red_kinds.max_p('0.02') == 0x051EB851 and red_kinds.format_probability(0x051EB851) == '0.02'


def test_red_facts_name_a_burst_and_bandwidth_that_give_the_kernel_numbers():
    red = KINDS['red']
    values = red.prepare({'limit': '400kb', 'min': '30kb', 'max': '90kb', 'avpkt': 1500, 'burst': 30,
                          'bandwidth': '1gbit'}, 'red')
    have = red.decode(red.encode(values))
    assert have['avpkt'] == '1000b' and have['bandwidth'] == '500mbit'
    assert red.same(values, have) and red.same(red.prepare(have, 'red'), have)
    assert not red.same(dict(values, limit='500kb'), have)
    assert not red.same(red.prepare(dict(values, burst=60), 'red'), have)


def gred_dump(values):
    """What the kernel dumps for a gred qdisc configured with ``values`` (its setup and queues)."""
    setup = tc.parse_nla(KINDS['gred'].encode(values))
    parms, probs, entries = [], [0] * red_kinds.MAX_DPS, []
    queues = {}
    for options, _words in KINDS['gred'].followups(values):
        attrs = tc.parse_nla(options)
        fields = red_kinds.GRED_QOPT.unpack(attrs[1])
        queues[fields[3]] = fields
        probs[fields[3]] = tc.u32(attrs[4])
        entries.append(tc.nla(1, tc.parse_nla(attrs[6])[1]))
    for dp in range(red_kinds.MAX_DPS):
        parms.append(red_kinds.GRED_QOPT.pack(*queues[dp]) if dp in queues else
                     red_kinds.GRED_QOPT.pack(*([0, 0, 0, red_kinds.MAX_DPS + dp] + [0] * 12)))
    return (tc.nla(3, setup[3]) + tc.nla_u32(5, tc.u32(setup.get(5), 40000)) + tc.nla(1, b''.join(parms))
            + tc.nla(4, struct.pack('=16I', *probs)) + tc.nla(6, b''.join(entries)))


def test_gred_reads_back_its_queues():
    gred = KINDS['gred']
    values = gred.prepare(case('gred')['options'], 'gred')
    have = gred.decode(gred_dump(values))
    assert (have['dps'], have['default'], have['grio'], have['limit']) == (3, 1, True, '40000b')
    assert [(vq['dp'], vq['prio'], vq['ecn'], vq['min']) for vq in have['vqs']] == [
        (1, 2, False, '15000b'), (2, 0, True, '15000b')]
    assert gred.same(values, have) and gred.same(gred.prepare(have, 'gred'), have)
    changed = gred.prepare(dict(case('gred')['options'], vqs=[dict(case('gred')['options']['vqs'][0], max=50000)]), 'gred')
    assert not gred.same(changed, have)


def test_taprio_max_sdu_is_one_tc_entry_per_class():
    """tc 6.1 has no max-sdu word: the bytes are the header's TCA_TAPRIO_ATTR_TC_ENTRY nests (INDEX, MAX_SDU),
    one per class given, before the schedule (where later tc puts them)."""
    taprio = KINDS['taprio']
    base = case('taprio')['options']
    values = taprio.prepare(dict(base, max_sdu=[0, 1500]), 'taprio')
    plain = bytes.fromhex(case('taprio')['sent'][0])
    entries = b''.join(tc.nla(12 | 0x8000, tc.nla_u32(1, tclass) + tc.nla_u32(2, size))
                       for tclass, size in enumerate([0, 1500]))
    schedule = len(plain) - len(tc.nla(2, tc.parse_nla(plain)[2]))  # the schedule comes last
    assert taprio.encode(values) == plain[:schedule] + entries + plain[schedule:]
    assert 'max-sdu 0 1500' in ' '.join(taprio.words(values))


def test_taprio_reads_back_flags_txtime_delay_and_max_sdu():
    taprio = KINDS['taprio']
    values = taprio.prepare(dict(case('taprio-txtime-assist')['options'], max_sdu=[1500]), 'taprio')
    # the kernel dumps a TC entry for each of the 16 classes; facts keep num_tc of them
    dump = bytes(taprio.encode(values)) + b''.join(
        tc.nla(12 | 0x8000, tc.nla_u32(1, tclass) + tc.nla_u32(2, 0)) for tclass in range(1, 16))
    have = taprio.decode(dump)
    assert (have['flags'], have['txtime_delay'], have['max_sdu']) == (['txtime-assist'], 200000, [1500, 0])
    assert taprio.same(values, have) and taprio.same(taprio.prepare(have, 'taprio'), have)
    assert not taprio.same(dict(values, max_sdu=[1400]), have)
    assert not taprio.same(dict(values, flags=[]), have)
    software = taprio.decode(bytes.fromhex(case('taprio')['sent'][0]))
    assert software['flags'] == [] and 'max_sdu' not in software and 'txtime_delay' not in software


def test_mqprio_reads_back_mode_shaper_and_num_tc_rates():
    mqprio = KINDS['mqprio']
    values = mqprio.prepare(case('mqprio-offload')['options'], 'mqprio')
    struct_part = bytes(mqprio.encode(values))[:84]
    # the kernel dumps num_tc rates (tc sent 16)
    dump = (struct_part + tc.nla_u16(1, 1) + tc.nla_u16(2, 1)
            + tc.nla_nested(3, [tc.nla_u64(3, 125000), tc.nla_u64(3, 250000)])
            + tc.nla_nested(4, [tc.nla_u64(4, 1250000), tc.nla_u64(4, 2500000)]))
    have = mqprio.decode(dump)
    assert (have['mode'], have['shaper'], have['min_rate'], have['max_rate'], have['hw']) == (
        'channel', 'bw_rlimit', ['1mbit', '2mbit'], ['10mbit', '20mbit'], True)
    assert mqprio.same(values, have) and mqprio.same(mqprio.prepare(have, 'mqprio'), have)
    assert not mqprio.same(dict(values, max_rate=['10mbit', '30mbit']), have)
    software = mqprio.decode(bytes.fromhex(case('mqprio')['sent'][0]))
    assert (software['mode'], software['shaper'], software['hw']) == ('dcb', 'dcb', False)
    assert mqprio.same(mqprio.prepare(software, 'mqprio'), software)


def test_gred_setup_flags_read_back_on_the_setup_and_every_queue():
    gred = KINDS['gred']
    values = gred.prepare(case('gred-setup-flags')['options'], 'gred')
    have = gred.decode(gred_dump(values))
    assert (have['ecn'], have['harddrop']) == (True, True)
    assert [(vq['ecn'], vq['harddrop']) for vq in have['vqs']] == [(True, True), (True, True)]
    assert gred.same(values, have) and gred.same(gred.prepare(have, 'gred'), have)
    assert not gred.same(gred.prepare(case('gred')['options'], 'gred'), have)


MQ = {'num_tc': 2, 'queues': ['1@0', '1@1']}
TAPRIO = dict(MQ, clockid='CLOCK_TAI', schedule=[{'gates': '3', 'interval': 1000}])


@pytest.mark.parametrize('kind, options, message', [
    ('red', {'limit': '400kb', 'min': '90kb', 'max': '30kb'}, 'red: min (90kb) is above max (30kb)'),
    ('red', {'limit': '400kb', 'min': '30kb'}, 'red: max required'),
    ('red', {'limit': '400kb', 'min': '30kb', 'max': '90kb', 'probability': 2}, "red.probability: 2 is not a probability"),
    ('red', {'limit': '400kb', 'min': '30kb', 'max': '90kb', 'burst': 2}, 'red: no RED weight fits burst 2'),
    ('choke', {'limit': 1000, 'min': 300, 'max': 100}, 'choke: min (300) is above max (100)'),
    ('gred', {'vqs': [{'dp': 1, 'limit': 60000, 'min': 15000, 'max': 45000}, {'dp': 1, 'limit': 60000, 'min': 15000, 'max': 45000}]},
     'gred.vqs[1].dp: 1 is given twice'),
    ('gred', {'default': 4, 'vqs': [{'dp': 1, 'limit': 60000, 'min': 15000, 'max': 45000}]}, 'gred: dps 2 must be 1 to 16'),
    ('gred', {'vqs': [{'dp': 0, 'min': 100}]}, 'gred.vqs[0]: limit, max required'),
    ('taprio', {'num_tc': 2, 'queues': ['1@0', '1@1'], 'clockid': 'CLOCK_TAI',
                'schedule': [{'command': 'X', 'gates': 1, 'interval': 1000}]}, "taprio.schedule[0].command: 'X' is not one of"),
    ('taprio', {'num_tc': 2, 'queues': ['1@0', '1@1'], 'clockid': 'CLOCK_TAI',
                'schedule': [{'gates': 1, 'interval': 0}]}, 'taprio.schedule[0].interval: 0 is not a number of nanoseconds'),
    ('mqprio', {'num_tc': 2, 'queues': ['1@0']}, 'mqprio.queues: 1 ranges for num_tc 2'),
    ('mqprio', {'num_tc': 2, 'queues': ['1@0', 'one']}, "mqprio.queues: ['1@0', 'one'] is not a list of up to 16"),
    ('mqprio', {'num_tc': 2, 'map': [0, 2], 'queues': ['1@0', '1@1']}, 'mqprio.map: [0, 2] names a traffic class'),
    ('red', {'limit': '400kb', 'min': '30kb', 'max': '90kb', 'nodrop': True}, 'red.nodrop: needs ecn: true'),
    ('gred', {'ecn': True, 'vqs': [{'dp': 0, 'limit': 60000, 'min': 15000, 'max': 45000, 'ecn': False}]},
     'gred.vqs[0].ecn: False, but the setup has ecn True'),
    ('gred', {'harddrop': True, 'vqs': [{'dp': 0, 'limit': 60000, 'min': 15000, 'max': 45000, 'ecn': True}]},
     'gred.vqs[0].ecn: True, but the setup has ecn False, harddrop True'),
    ('mqprio', dict(MQ, mode='channel'), 'mqprio.mode: needs hw: true'),
    ('mqprio', dict(MQ, hw=True, min_rate=['1mbit']), 'mqprio.min_rate: needs shaper: bw_rlimit'),
    ('mqprio', dict(MQ, hw=True, shaper='bw_rlimit'), 'mqprio.shaper: bw_rlimit needs mode: channel'),
    ('mqprio', dict(MQ, hw=True, mode='channel', shaper='bw_rlimit', max_rate=['1mbit'] * 3),
     'mqprio.max_rate: 3 values for num_tc 2'),
    ('mqprio', dict(MQ, hw=True, mode='channel', shaper='bw_rlimit', max_rate=['fast']), "mqprio.max_rate[0]: 'fast'"),
    ('mqprio', dict(MQ, mode='fast'), "mqprio.mode: 'fast' is not one of channel, dcb"),
    ('taprio', dict(TAPRIO, flags=['txtime-assist', 'full-offload']), 'taprio.flags: txtime-assist, full-offload: give one'),
    ('taprio', dict(TAPRIO, flags=['offload']), "taprio.flags: ['offload'] is not a list of flags"),
    ('taprio', dict(TAPRIO, flags=['full-offload']), 'taprio.clockid: not with flags [full-offload]'),
    ('taprio', dict(TAPRIO, clockid=None), 'taprio: clockid required for kind taprio'),
    ('taprio', dict(TAPRIO, txtime_delay=1000), 'taprio.txtime_delay: needs flags [txtime-assist]'),
    ('taprio', dict(TAPRIO, max_sdu=[1500, 1500, 1500]), 'taprio.max_sdu: 3 values for num_tc 2'),
    ('taprio', dict(TAPRIO, max_sdu=[-1]), 'taprio.max_sdu: -1 is not a number of bytes'),
])
def test_bad_input_is_named(kind, options, message):
    with pytest.raises(ValidationError) as error:
        KINDS[kind].prepare(options, kind)
    assert message in str(error.value)


def test_the_kinds_join_the_module():
    spec = Qdisc.options
    for name in ('red', 'gred', 'choke', 'taprio', 'mqprio'):
        assert name in spec['kind']['choices'] and spec[name]['type'] == 'dict'
    assert spec['gred']['options']['vqs']['options']['dp'] == {'type': 'int'}
    assert spec['taprio']['options']['schedule']['options']['command']['choices'] == ['H', 'R', 'S']
    assert spec['taprio']['options']['flags'] == {'type': 'list', 'elements': 'str', 'choices': ['full-offload', 'txtime-assist']}
    assert spec['mqprio']['options']['min_rate'] == {'type': 'list', 'elements': 'raw'}
    assert spec['gred']['options']['ecn'] == {'type': 'bool'}


@pytest.mark.skipif(not os.environ.get('NLINK_CAPTURE_TC'), reason='recapture only with NLINK_CAPTURE_TC=1')
def test_capture():
    """Rewrite the fixture: run each case's tc commands under strace in a throwaway namespace."""
    name = 'nlt-capture-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', name], check=True)
    try:
        subprocess.run(['ip', '-n', name, 'link', 'add', 'v0', 'numtxqueues', '8', 'type', 'veth', 'peer', 'name',
                        'v1'], check=True)
        out = []
        for case in cases():
            values = KINDS[case['kind']].prepare(case['options'], case['kind'])
            words = commands(case['kind'], values)
            out.append(dict(case, tc=[' '.join(w) for w in words], sent=[strace_options(name, w).hex() for w in words]))
        with open(FIXTURE, 'w') as handle:
            json.dump(out, handle, indent=1)
    finally:
        subprocess.run(['ip', 'netns', 'del', name], check=False)


def strace_options(netns, words):
    trace = subprocess.run(['ip', 'netns', 'exec', netns, 'strace', '-f', '-e', 'trace=sendmsg', '-e', 'write=3',
                            'tc'] + words, capture_output=True, text=True, check=False).stderr
    data = bytes.fromhex(''.join(match.group(1).replace(' ', '') for match in
                                 re.finditer(r'\| [0-9a-f]{5}  ((?:[0-9a-f]{2} ?){1,8} ?(?:[0-9a-f]{2} ?){0,8})', trace)))
    offset = 0
    while offset < len(data):
        length, msg_type = struct.unpack_from('=IH', data, offset)
        if msg_type == tc.RTM_NEWQDISC:
            return dict(tc.iter_nla(data[offset + 36:offset + length]))[tc.TCA_OPTIONS]
        offset += (length + 3) & ~3
    raise AssertionError('tc sent no RTM_NEWQDISC for %s' % words)

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The qdisc resource and its kinds: options against what tc sends, normalization, plans, commands, parsing.

fixtures/tc_options.json holds, per case, the options a task gives, the tc command the resource renders
for them, and the TCA_OPTIONS that tc (iproute2 6.1) sent for that command, captured with strace (the
kernel need not know the kind: tc sends before the kernel answers). tc also sends 1 KiB rate tables
(TCA_TBF_RTAB, TCA_HTB_RTAB/CTAB) that the kernel ignores when the rate names a link layer; they are left
out of the capture. Recapture as root with NLINK_CAPTURE_TC=1 (needs strace).
"""

import json
import os
import re
import struct
import subprocess
import uuid

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Change, plan
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc import Qdisc, qdisc_words
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc_kinds import KINDS, Opt
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_class import CLASS_KINDS, class_words

from netlink_fixtures import FIXTURES

FIXTURE = os.path.join(FIXTURES, 'tc_options.json')
# Where our bytes differ from tc's on purpose: attribute order (codel, fq_codel, fq, pie, cake), and netem,
# which sends every attribute (zeros too) because on a change the kernel keeps what an absent one held.
SAME_ATTRIBUTES = ('codel', 'fq_codel', 'fq', 'pie', 'cake')


def cases():
    with open(FIXTURE) as handle:
        return json.load(handle)


def kind_of(case):
    return (KINDS if case['what'] == 'qdisc' else CLASS_KINDS)[case['kind']]


def command_of(case):
    kind = kind_of(case)
    values = kind.prepare(case['options'], case['kind'])
    if case['what'] == 'qdisc':
        return 'tc qdisc add dev v0 root handle 1: %s' % ' '.join([case['kind']] + qdisc_words(case['kind'], values))
    return 'tc class add dev v0 parent 1: classid 1:10 %s' % ' '.join([case['kind']] + class_words(case['kind'], values))


@pytest.mark.parametrize('case', cases(), ids=lambda c: '%s-%s' % (c['what'], c['kind']))
def test_options_are_what_tc_sends_for_the_rendered_command(case):
    kind = kind_of(case)
    values = kind.prepare(case['options'], case['kind'])
    assert command_of(case) == case['tc']
    sent, mine = bytes.fromhex(case['sent']), kind.encode(values)
    assert kind.decode(mine) == kind.decode(sent)
    if case['kind'] in SAME_ATTRIBUTES:
        assert sorted(tc.iter_nla(mine)) == sorted(tc.iter_nla(sent))
    elif case['kind'] != 'netem':
        assert mine == sent


def plain(case):
    """Kinds whose dump reports what the request said (tbf recomputes its buffer from TCA_TBF_BURST, and
    times kept in codel units, ticks or jiffies read back rounded: see the tests below and the conformance
    cases)."""
    return case['kind'] != 'tbf' and not any(opt.clock for opt in kind_of(case).opts.values())


@pytest.mark.parametrize('case', [c for c in cases() if plain(c)], ids=lambda c: '%s-%s' % (c['what'], c['kind']))
def test_decoded_options_compare_equal_to_the_given_ones(case):
    kind = kind_of(case)
    values = kind.prepare(case['options'], case['kind'])
    assert kind.same(values, kind.decode(bytes.fromhex(case['sent'])))


def test_netem_reads_back_what_tc_set():
    netem = [c for c in cases() if c['kind'] == 'netem'][0]
    assert KINDS['netem'].decode(bytes.fromhex(netem['sent'])) == {
        'delay': '10ms', 'jitter': '2ms', 'delay_correlation': '25%', 'loss': '1%', 'loss_correlation': '5%',
        'duplicate': '0.5%', 'reorder': '10%', 'gap': 5, 'corrupt': '0.1%', 'rate': '1mbit', 'limit': 500,
        'ecn': True}


@pytest.mark.skipif(not os.environ.get('NLINK_CAPTURE_TC'), reason='recapture only with NLINK_CAPTURE_TC=1')
def test_capture():
    """Rewrite the fixture: run each case's tc command under strace in a throwaway namespace."""
    name = 'nlt-capture-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', name], check=True)
    try:
        subprocess.run(['ip', '-n', name, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], check=True)
        out = []
        for case in cases():
            sent = strace_options(name, command_of(case).split()[1:])
            out.append(dict(case, tc=command_of(case), sent=strip_rate_tables(case, sent).hex()))
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
        if msg_type in (tc.RTM_NEWQDISC, tc.RTM_NEWTCLASS):
            return dict(tc.iter_nla(data[offset + 36:offset + length]))[tc.TCA_OPTIONS]
        offset += (length + 3) & ~3
    raise AssertionError('tc sent no RTM_NEWQDISC/RTM_NEWTCLASS for %s' % words)


def strip_rate_tables(case, sent):
    tables = {('qdisc', 'tbf'): (2, 3), ('class', 'htb'): (3, 4)}.get((case['what'], case['kind']), ())
    if not tables:
        return sent
    kept, offset = b'', 0
    while offset + 4 <= len(sent):
        length, attr = struct.unpack_from('=HH', sent, offset)
        if attr & 0x3FFF not in tables:
            kept += sent[offset:offset + ((length + 3) & ~3)]
        offset += (length + 3) & ~3
    return kept


# -- normalization ---------------------------------------------------------------------------------

def resource(scope=None, haves=()):
    res = Qdisc(None, scope or {}, netns='ns1')
    res.indexes = {'v0': 2, 'v1': 3}
    res.haves = list(haves)
    return res


def item(**options):
    return dict(dict((name, None) for name in Qdisc.options), **options)


def test_units_are_normalized_and_latency_becomes_limit():
    want = resource().normalize(item(dev='v0', handle='1', kind='tbf',
                                     tbf={'rate': '10Mbit', 'burst': '32kbit', 'latency': '50ms'}))
    assert want['handle'] == '1:' and want['parent'] == 'root'
    assert want['tbf'] == {'rate': '10mbit', 'burst': '4kb', 'limit': '66596b'}


def test_ingress_and_clsact_sit_at_ingress_with_handle_ffff():
    for kind in ('ingress', 'clsact'):
        want = resource().normalize(item(dev='v0', kind=kind))
        assert (want['parent'], want['handle']) == ('ingress', 'ffff:')
    with pytest.raises(ValidationError, match='parent: a clsact qdisc sits at parent clsact'):
        resource().normalize(item(dev='v0', kind='clsact', parent='root'))


@pytest.mark.parametrize('options, message', [
    (dict(kind='htb'), 'handle: required'),
    (dict(kind='htb', handle='1:2'), 'handle: .* minor number must be 0'),
    (dict(kind='htb', handle='0:'), "handle: '0:' is the kernel's default"),
    (dict(kind='tbf', handle='1:', htb={'default': 1}), 'htb: options of kind htb given, but kind is tbf'),
    (dict(kind='tbf', handle='1:', tbf={'rate': '1mbit'}), 'tbf: burst required'),
    (dict(kind='tbf', handle='1:', tbf={'rate': 'fast', 'burst': '1kb'}), "tbf.rate: 'fast' is not a rate"),
    (dict(kind='tbf', handle='1:', tbf={'rate': '1mbit', 'burst': '1kb', 'limit': 1, 'latency': '1ms'}),
     'give limit or latency, not both'),
    (dict(kind='netem', handle='1:', netem={'reorder': '5%'}), 'reordering needs a delay'),
    (dict(kind='netem', handle='1:', netem={'loss': '120%'}), 'netem.loss: .* from 0 to 100'),
    (dict(kind='htb', handle='1:', htb={'default': 'xyz'}), 'htb.default: .* not a hexadecimal number'),
    (dict(kind='htb', handle='1:', ingress_block=1), 'only ingress and clsact qdiscs share blocks'),
    (dict(kind='ingress', egress_block=1), 'only a clsact qdisc has an egress block'),
])
def test_bad_input_names_the_option(options, message):
    with pytest.raises(ValidationError, match=message):
        resource().normalize(item(dev='v0', **options))


def test_kind_is_required_except_to_delete():
    res = resource()
    want = res.normalize(item(dev='v0', handle='1:'))
    res.check_request('deleted', [want])
    with pytest.raises(ValidationError, match=r'kind: required to merged a qdisc \(v0 root handle 1:\)'):
        res.check_request('merged', [want])


def test_replaced_returns_omitted_options_to_the_kernel_defaults():
    res = resource()
    want = res.normalize(item(dev='v0', handle='1:', kind='htb', htb={'default': 20}))
    res.check_request('replaced', [want])
    assert want['htb'] == {'default': '20', 'r2q': 10}


@pytest.mark.parametrize('clock, reported, shown', [
    ('codel', 3999, '4ms'), ('codel', 99999, '100ms'), ('codel', 4999, '5ms'), ('codel', 2999, '3ms'),
    ('psched', 10000, '10ms'), ('psched', 9999, '9999us'), ('psched', 15000, '15ms'), (None, 3999, '3999us')])
def test_times_the_kernel_rounds_read_back_as_written(clock, reported, shown):
    opt = Opt('time', clock=clock)
    assert opt.from_kernel(reported) == shown
    if clock:
        assert opt.equal(shown, opt.from_kernel(reported))


def test_jiffies_compare_at_any_kernel_hz():
    tupdate = KINDS['pie'].opts['tupdate']
    assert tupdate.equal('15ms', '16ms') and tupdate.equal('15ms', '20ms') and tupdate.equal('15ms', '15ms')
    assert not tupdate.equal('15ms', '30ms')


def test_percentages_read_back_in_their_shortest_exact_form():
    loss = Opt('percent')
    for text in ('1%', '0.5%', '25%', '0.1%', '100%', '0%'):
        assert loss.from_kernel(loss.to_kernel(text)) == text
    assert loss.canonical('0.25', 'loss') == '0.25%'


# -- plans and commands ----------------------------------------------------------------------------

HTB = {'dev': 'v0', 'parent': 'root', 'handle': '1:', 'kind': 'htb', 'ingress_block': None, 'egress_block': None,
       'htb': {'default': '10', 'r2q': 10, 'direct_qlen': 1000}}
LEAF = {'dev': 'v0', 'parent': '1:10', 'handle': '10:', 'kind': 'pfifo', 'ingress_block': None,
        'egress_block': None, 'pfifo': {'limit': 100}}
DEEPER = dict(LEAF, parent='10:1', handle='20:')
INGRESS = {'dev': 'v0', 'parent': 'ingress', 'handle': 'ffff:', 'kind': 'ingress', 'ingress_block': None,
           'egress_block': None}


def changes_for(state, wants, haves, scope=None):
    res = resource(scope, haves)
    normalized = [res.normalize(item(**w)) for w in wants]
    res.check_request(state, normalized)
    changes = res.order(plan(res, state, normalized, haves))
    return res, changes


def test_an_htb_change_deletes_and_creates_because_htb_cannot_change():
    res, changes = changes_for('merged', [dict(dev='v0', handle='1:', kind='htb', htb={'default': '20'})], [HTB])
    assert [c.op for c in changes] == ['update']
    assert res.render(changes[0]) == ['tc -n ns1 qdisc del dev v0 root handle 1:',
                                      'tc -n ns1 qdisc replace dev v0 root handle 1: htb default 20 r2q 10 '
                                      'direct_qlen 1000']
    assert [r[1:] for r in res.requests(changes[0])] == [(tc.RTM_DELQDISC, 0),
                                                         (tc.RTM_NEWQDISC, 0x400 | 0x100)]


def test_hhf_hh_limit_goes_again_in_a_change_after_the_create():
    """hhf_init() sets hh_limit to 2048 after reading the options: only a change makes it stick."""
    res, changes = changes_for('merged', [dict(dev='v0', handle='1:', kind='hhf', hhf={'hh_limit': 1024})], [])
    assert [r[1:] for r in res.requests(changes[0])] == [(tc.RTM_NEWQDISC, 0x400 | 0x100), (tc.RTM_NEWQDISC, 0)]
    assert res.render(changes[0])[-1] == 'tc -n ns1 qdisc change dev v0 root handle 1: hhf hh_limit 1024'
    res, changes = changes_for('merged', [dict(dev='v0', handle='1:', kind='hhf', hhf={'limit': 500})], [])
    assert [r[1:] for r in res.requests(changes[0])] == [(tc.RTM_NEWQDISC, 0x400 | 0x100)]


def raw_options(msg):
    """(type with its flags, payload) of a request's TCA_OPTIONS."""
    msg['header']['type'] = tc.RTM_NEWQDISC
    msg.encode()
    data, offset = bytes(msg.data), 36
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from('=HH', data, offset)
        if kind & 0x3FFF == tc.TCA_OPTIONS:
            return kind, data[offset + 4:offset + length]
        offset += (length + 3) & ~3
    raise AssertionError('no TCA_OPTIONS')


# TCA_OPTIONS that are a struct (first), not attributes
STRUCT_KINDS = ('pfifo', 'bfifo', 'pfifo_head_drop', 'skbprio', 'hfsc', 'sfq', 'prio', 'netem', 'multiq')


@pytest.mark.parametrize('case', [c for c in cases() if c['what'] == 'qdisc'], ids=lambda c: c['kind'])
def test_options_of_attributes_go_flagged_nested(case):
    """tc flags only ets and fq_pie, whose kernel code refuses a nest without NLA_F_NESTED; the other kinds
    read theirs either way, so every nest carries it, and a struct never does."""
    kind = kind_of(case)
    flags, payload = raw_options(tc.make_tcmsg(kind=case['kind'], options=kind.encode(kind.prepare(case['options'], ''))))
    assert bool(flags & tc.NLA_F_NESTED) == (case['kind'] not in STRUCT_KINDS)


def test_a_fifo_changes_in_place():
    res, changes = changes_for('merged', [dict(dev='v0', parent='1:10', handle='10:', kind='pfifo',
                                               pfifo={'limit': 50})], [HTB, LEAF])
    assert res.render(changes[0]) == ['tc -n ns1 qdisc change dev v0 parent 1:10 handle 10: pfifo limit 50']
    assert [r[1:] for r in res.requests(changes[0])] == [(tc.RTM_NEWQDISC, 0)]


def test_another_kind_drops_the_old_options_from_the_prediction():
    res, changes = changes_for('merged', [dict(dev='v0', handle='1:', kind='tbf',
                                               tbf={'rate': '1mbit', 'burst': '10kb', 'limit': '20kb'})], [HTB])
    assert 'htb' not in changes[0].after and changes[0].after['kind'] == 'tbf'
    assert res.render(changes[0])[0] == 'tc -n ns1 qdisc del dev v0 root handle 1:'


def test_ingress_renders_by_name():
    res, changes = changes_for('merged', [dict(dev='v0', kind='clsact', ingress_block=5)], [])
    assert res.render(changes[0]) == ['tc -n ns1 qdisc replace dev v0 ingress_block 5 clsact']
    res, changes = changes_for('deleted', [dict(dev='v0', kind='ingress')], [INGRESS])
    assert res.render(changes[0]) == ['tc -n ns1 qdisc del dev v0 ingress']


def test_overridden_removes_deepest_first_and_keeps_what_is_declared():
    res, changes = changes_for('overridden', [dict(dev='v0', handle='1:', kind='htb', htb={'default': '10'})],
                               [HTB, LEAF, DEEPER, INGRESS], scope={'dev': 'v0'})
    assert [(c.op, c.key[2]) for c in changes] == [('delete', '20:'), ('delete', '10:'), ('delete', 'ffff:')]


def test_a_parent_scope_covers_what_hangs_below_it():
    res = resource({'dev': 'v0', 'parent': '1:'}, [HTB, LEAF, DEEPER, INGRESS])
    assert [res.in_scope(h) for h in (HTB, LEAF, DEEPER, INGRESS)] == [False, True, True, False]
    res = resource({'dev': 'v0', 'parent': '1:10'}, [HTB, LEAF, DEEPER, INGRESS])
    assert [res.in_scope(h) for h in (HTB, LEAF, DEEPER, INGRESS)] == [False, True, True, False]
    res = resource({'dev': 'v0', 'parent': 'root'}, [HTB, LEAF, DEEPER, INGRESS])
    assert [res.in_scope(h) for h in (HTB, LEAF, DEEPER, INGRESS)] == [True, True, True, False]
    res = resource({'dev': 'v1'}, [HTB])
    assert not res.in_scope(HTB)


def test_a_delete_names_the_qdisc_only():
    res = resource()
    msg = res.message(HTB, with_options=False)
    assert (msg['index'], msg['handle'], msg['parent']) == (2, 0x10000, tc.TC_H_ROOT)
    assert msg.get_attr('TCA_KIND') is None


def test_gathered_messages_read_as_config():
    res = resource()
    msg = tc.make_tcmsg(ifindex=2, handle=0x10000, parent=tc.TC_H_ROOT, kind='htb',
                        options=KINDS['htb'].encode({'default': '10', 'r2q': 10}) + tc.nla_u32(5, 1000))
    msg.encode()
    back = tc.tcmsg_class()(bytes(msg.data))
    back.decode()
    assert res.from_message(back, {2: 'v0'}) == HTB
    assert Change('create', ('v0', 'root', '1:'), None, HTB).after == HTB


TC_JSON = ('[{"kind":"noqueue","handle":"0:","dev":"lo","root":true,"refcnt":2,"options":{}},'
           '{"kind":"htb","handle":"1:","dev":"v0","root":true,"refcnt":3,"options":{"r2q":10,"default":"0x10",'
           '"direct_packets_stat":0,"direct_qlen":1000}},'
           '{"kind":"tbf","handle":"10:","dev":"v0","parent":"1:10","options":{"rate":1250000,"burst":"4Kb/1",'
           '"mpu":0,"lat":50000,"linklayer":"ethernet"}},'
           '{"kind":"pfifo","handle":"20:","dev":"v0","parent":"1:20","options":{"limit":100}},'
           '{"kind":"clsact","handle":"ffff:","dev":"v1","parent":"ffff:fff1","options":{}}]')


def test_parsed_reads_tc_json():
    assert Qdisc.parse(TC_JSON) == [
        {'dev': 'v0', 'parent': 'root', 'handle': '1:', 'kind': 'htb',
         'htb': {'r2q': 10, 'default': '10', 'direct_qlen': 1000}},
        {'dev': 'v0', 'parent': '1:10', 'handle': '10:', 'kind': 'tbf', 'tbf': {'rate': '10mbit', 'burst': '4kb'}},
        {'dev': 'v0', 'parent': '1:20', 'handle': '20:', 'kind': 'pfifo', 'pfifo': {'limit': 100}},
        {'dev': 'v1', 'parent': 'ingress', 'handle': 'ffff:', 'kind': 'clsact'}]
    with pytest.raises(ValidationError, match='not JSON from `tc -j qdisc show`'):
        Qdisc.parse('qdisc htb 1: root')

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tc class resource: normalization, what a re-read shows (tc's defaults, the derived htb quantum),
plans in dependency order, purge scope, commands. The options' bytes against tc's are in test_qdisc.py."""

import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import plan
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_class import (
    CLASS_KINDS, TcClass, hfsc_slope)


def resource(scope=None, haves=(), r2q=None):
    res = TcClass(None, scope or {}, netns='ns1')
    res.indexes = {'v0': 2}
    res.haves = list(haves)
    res.r2q = r2q or {}
    return res


def item(**options):
    return dict(dict((name, None) for name in TcClass.options), **options)


def htb(classid, parent, **options):
    return {'dev': 'v0', 'classid': classid, 'parent': parent, 'kind': 'htb', 'htb': options}


ROOT = htb('1:1', 'root', rate='100mbit', ceil='100mbit', burst='1600b', cburst='1600b')
LEAF = htb('1:10', '1:1', rate='10mbit', ceil='10mbit', burst='1600b', cburst='1600b', prio=0, quantum=12500)
CHILD = htb('1:11', '1:10', rate='1mbit', ceil='1mbit', burst='1600b', cburst='1600b', prio=0, quantum=1000)
OTHER = htb('2:1', 'root', rate='1mbit', ceil='1mbit', burst='1600b', cburst='1600b', prio=0, quantum=1000)
ETS = {'dev': 'v0', 'classid': '1:3', 'parent': 'root', 'kind': 'ets', 'ets': {'quantum': '1500b'}}


def test_a_class_attached_to_its_qdisc_is_a_root_class():
    want = resource().normalize(item(dev='v0', classid='1:A', parent='1:', htb={'rate': '12500kbps'}))
    assert want == {'dev': 'v0', 'classid': '1:a', 'parent': 'root', 'kind': 'htb', 'htb': {'rate': '100mbit'}}
    assert resource().normalize(item(dev='v0', classid='1:10', parent='1:1'))['parent'] == '1:1'


@pytest.mark.parametrize('options, message', [
    (dict(classid='1:'), "classid: '1:' is not a class"),
    (dict(classid=':10'), "classid: ':10' is not a class"),
    (dict(classid='root'), "classid: 'root' is not a class"),
    (dict(classid='1:10', parent='2:'), 'parent: 2: is not in qdisc 1: of class 1:10'),
    (dict(classid='1:10', kind='htb', drr={'quantum': 1}), 'drr: options of kind drr given, but kind is htb'),
    (dict(classid='1:10', htb={'ceil': '1mbit'}), 'htb: rate required'),
    (dict(classid='1:10', htb={'rate': '1 mbit/s'}), "htb.rate: '1 mbit/s' is not a rate"),
    (dict(classid='1:10', hfsc={'rt': {'m1': '1mbit'}}), 'hfsc.rt.m2: required'),
    (dict(classid='1:10', hfsc={'rt': {'m2': '1mbit', 'd': 'soon'}}), "hfsc.rt.d: 'soon' is not a time"),
])
def test_bad_input_names_the_option(options, message):
    with pytest.raises(ValidationError, match=message):
        resource().normalize(item(dev='v0', **options))


def test_parent_and_kind_are_required_except_to_delete():
    res = resource()
    want = res.normalize(item(dev='v0', classid='1:10'))
    res.check_request('deleted', [want])
    with pytest.raises(ValidationError, match='v0 classid 1:10: kind .* and parent are required to merged'):
        res.check_request('merged', [want])


def changes_for(state, wants, haves, scope=None, r2q=None):
    res = resource(scope, haves, r2q)
    normalized = [res.normalize(item(**w)) for w in wants]
    res.check_request(state, normalized)
    return res, res.order(plan(res, state, normalized, haves))


def test_new_classes_come_parents_first_with_what_tc_fills_in():
    res, changes = changes_for('merged', [dict(dev='v0', classid='1:10', parent='1:1', htb={'rate': '10mbit'}),
                                          dict(dev='v0', classid='1:1', parent='1:', htb={'rate': '100mbit'})], [],
                               r2q={('v0', '1:'): 10})
    assert [c.key[1] for c in changes] == ['1:1', '1:10']
    assert changes[0].after['htb'] == {'rate': '100mbit', 'ceil': '100mbit', 'burst': '1600b', 'cburst': '1600b'}
    assert changes[1].after['htb'] == {'rate': '10mbit', 'ceil': '10mbit', 'burst': '1600b', 'cburst': '1600b',
                                       'prio': 0, 'quantum': 125000}
    assert res.render(changes[1]) == ['tc -n ns1 class add dev v0 parent 1:1 classid 1:10 htb rate 10mbit '
                                      'ceil 10mbit burst 1600 cburst 1600 prio 0']


def test_a_new_rate_lets_the_kernel_derive_the_quantum_again():
    res, changes = changes_for('merged', [dict(dev='v0', classid='1:10', parent='1:1', htb={'rate': '1mbit'})],
                               [ROOT, dict(LEAF, htb=dict(LEAF['htb'], quantum=125000))], r2q={('v0', '1:'): 10})
    assert changes[0].after['htb']['quantum'] == 12500
    assert 'quantum' not in res.render(changes[0])[0]
    options = tc.parse_nla(tc.options_of(res.requests(changes[0])[0][0]))
    assert struct.unpack_from('=5I', options[1], 24)[2] == 0  # quantum 0: derive it


def test_a_quantum_set_before_is_kept():
    res, changes = changes_for('merged', [dict(dev='v0', classid='1:10', parent='1:1', htb={'rate': '1mbit'})],
                               [ROOT, dict(LEAF, htb=dict(LEAF['htb'], quantum=3000))], r2q={('v0', '1:'): 10})
    assert changes[0].after['htb']['quantum'] == 3000
    assert res.render(changes[0])[0].endswith(' quantum 3000')


def test_an_inner_class_keeps_no_prio_or_quantum():
    encoded = CLASS_KINDS['htb'].encode({'rate': '1mbit', 'prio': 3})
    inner = bytearray(encoded)
    struct.pack_into('=I', inner, 4 + 36, 2)  # level 2
    assert 'prio' not in CLASS_KINDS['htb'].decode(bytes(inner))
    assert CLASS_KINDS['htb'].same({'rate': '1mbit', 'prio': 3}, CLASS_KINDS['htb'].decode(bytes(inner)))


def test_bursts_compare_as_the_time_the_kernel_keeps():
    have = CLASS_KINDS['htb'].decode(CLASS_KINDS['htb'].encode({'rate': '30mbit', 'burst': '1600b'}))
    assert have['burst'] == '1600b'
    assert CLASS_KINDS['htb'].same({'burst': '1599b'}, have)
    assert not CLASS_KINDS['htb'].same({'burst': '2kb'}, have)


def test_overridden_removes_children_first_and_never_ets_bands():
    res, changes = changes_for('overridden', [dict(dev='v0', classid='1:1', parent='1:', htb={'rate': '100mbit'})],
                               [ROOT, LEAF, CHILD, ETS, OTHER], scope={'dev': 'v0'})
    assert [(c.op, c.key[1]) for c in changes] == [('delete', '1:11'), ('delete', '1:10'), ('delete', '2:1')]
    assert res.render(changes[0]) == ['tc -n ns1 class del dev v0 classid 1:11']


def test_a_parent_scope_is_a_qdisc_or_a_class_subtree():
    haves = [ROOT, LEAF, CHILD, OTHER]
    assert [resource({'dev': 'v0', 'parent': '1:'}, haves).in_scope(h) for h in haves] == [True, True, True, False]
    assert [resource({'dev': 'v0', 'parent': '1:1'}, haves).in_scope(h) for h in haves] == [False, True, True, False]
    assert [resource({'dev': 'v0', 'parent': '1:10'}, haves).in_scope(h) for h in haves] == [False, False, True, False]


def test_another_parent_deletes_and_adds():
    res, changes = changes_for('merged', [dict(dev='v0', classid='1:11', parent='1:1', htb={'rate': '1mbit'})],
                               [ROOT, LEAF, CHILD])
    assert res.render(changes[0])[0] == 'tc -n ns1 class del dev v0 classid 1:11'
    assert res.render(changes[0])[1].startswith('tc -n ns1 class add dev v0 parent 1:1 classid 1:11 htb rate 1mbit')


def test_hfsc_rates_compare_as_the_kernel_reads_them_back():
    assert hfsc_slope(12500000) == 12500000
    hfsc = CLASS_KINDS['hfsc']
    want = hfsc.prepare({'rt': {'m1': '10mbit', 'd': '10ms', 'm2': '5mbit'}, 'ls': {'m2': '20mbit'}}, 'hfsc')
    assert want['ls'] == {'m1': '0bit', 'd': '0us', 'm2': '20mbit'}
    assert hfsc.same(want, hfsc.decode(hfsc.encode(want)))
    assert not hfsc.same({'ul': want['ls']}, hfsc.decode(hfsc.encode(want)))


def test_class_options_go_flagged_nested():
    """ets refuses its class options without NLA_F_NESTED (tc sets it); every class kind's are attributes."""
    msg = resource().message(ETS)
    msg['header']['type'] = tc.RTM_NEWTCLASS
    msg.encode()
    data = bytes(msg.data)
    attrs = {}
    offset = 36
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from('=HH', data, offset)
        attrs[kind & 0x3FFF] = kind
        offset += (length + 3) & ~3
    assert attrs[tc.TCA_OPTIONS] & tc.NLA_F_NESTED

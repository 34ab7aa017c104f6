# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ematches of nl_tc_filter's basic and cgroup kinds without a kernel: the bytes `tc` sends for the rendered
expression (fixtures/tc_ematch.json), the normal form both ways, and decoding of arbitrary bytes.

The fixtures are what iproute2 6.1 put in TCA_OPTIONS for `tc filter add ... basic match EXPR classid 1:1`
(cgroup: `... cgroup match EXPR action gact pass`), EXPR being the module's own rendering of each case's
match. tc sends the request even where the kernel lacks cls_basic. Recapture, as root, with strace:

    NLINK_CAPTURE_EMATCH=1 /work/venv/bin/python -m pytest tests/unit/test_tc_ematch.py -k capture
"""

import binascii
import json
import os
import re
import subprocess
import uuid

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_ematch as em
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_filter_kinds as kinds
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter import Context

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'tc_ematch.json')
CTX = Context({'lo': 1})
TCP = {'cmp': {'layer': 'network', 'align': 'u8', 'offset': 9, 'value': 6}}
UDP = {'cmp': {'layer': 'network', 'align': 'u8', 'offset': 9, 'value': 17}}
MARK5 = {'meta': {'id': 'mark', 'value': 5}}
PRIO3 = {'meta': {'id': 'priority', 'value': 3}}

CASES = [
    ('cmp-u8', 'basic', [TCP]),
    ('cmp-u16-trans', 'basic', [{'cmp': {'layer': 'transport', 'align': 'u16', 'offset': 2, 'mask': '0xff00',
                                         'op': 'gt', 'value': 5, 'trans': True}}]),
    ('cmp-u32-link', 'basic', [{'cmp': {'offset': 0, 'op': 'lt', 'value': 5}}]),
    ('u32-word', 'basic', [{'u32': {'value': '0x0a000000', 'mask': '0xff000000', 'at': 16}}]),
    ('u32-u16-nexthdr', 'basic', [{'u32': {'align': 'u16', 'value': 80, 'at': 2, 'nexthdr': True}}]),
    ('u32-u8', 'basic', [{'u32': {'align': 'u8', 'value': 6, 'at': 9}}]),
    ('meta-mark', 'basic', [MARK5]),
    ('meta-mask-gt', 'basic', [{'meta': {'id': 'nf_mark', 'mask': 255, 'op': 'gt', 'value': 5}}]),
    ('meta-shift', 'basic', [{'meta': {'id': 'nfmark', 'shift': 2, 'value': 5}}]),
    ('meta-vlan', 'basic', [{'meta': {'id': 'vlan_tag', 'value': 10}}]),
    ('meta-sk', 'basic', [{'meta': {'id': 'sk_rcv_qlen', 'op': 'lt', 'value': 100}}]),
    ('nbyte-text', 'basic', [{'nbyte': {'pattern': 'abc', 'offset': 4, 'layer': 'transport'}}]),
    ('nbyte-hex', 'basic', [{'nbyte': {'hex': '01:02'}}]),
    ('and-not', 'basic', [TCP, dict(MARK5, relation='and', invert=True)]),
    ('container', 'basic', [TCP, {'relation': 'and', 'container': [MARK5, dict(PRIO3, relation='or')]}]),
    ('not-container-first', 'basic', [{'invert': True, 'container': [TCP, dict(UDP, relation='or')]},
                                      dict(MARK5, relation='and')]),
    ('nested', 'basic', [{'container': [TCP, {'relation': 'and', 'container': [MARK5, dict(PRIO3, relation='or')]}]},
                         dict(UDP, relation='or')]),
    ('cgroup', 'cgroup', [TCP, dict(MARK5, relation='or')]),
    ('mixed-quote', 'basic', [TCP, dict(MARK5, relation='and'), {'relation': 'or', 'container': [
        {'nbyte': {'pattern': "it's", 'offset': 1}},
        {'relation': 'and', 'invert': True, 'u32': {'value': '0x0a000000', 'mask': '0xff000000', 'at': 16}}]}]),
]
ATTR = {'basic': 2, 'cgroup': 3}


def load():
    with open(FIXTURES) as handle:
        return dict((f['id'], f) for f in json.load(handle))


def options(kind, match):
    return dict({'match': match}, **({'classid': '1:1'} if kind == 'basic' else {}))


@pytest.mark.parametrize('case_id,kind,match', CASES, ids=[c[0] for c in CASES])
def test_bytes_are_what_tc_sends(case_id, kind, match):
    fixture = load()[case_id]
    normal = em.normalize(match, 'match')
    assert em.expression(normal) == fixture['expression']
    sent = binascii.unhexlify(fixture['sent'])
    ours = em.encode(normal, ATTR[kind])
    assert ours == tc.nla(ATTR[kind], tc.parse_nla(sent)[ATTR[kind]])
    if kind == 'basic':  # the whole TCA_OPTIONS: ematches, then the classid, as tc orders them
        opts = kinds.KINDS['basic'].normalize(options(kind, match), {}, 'basic')
        assert b''.join(kinds.KINDS['basic'].encode(opts, {}, b'', CTX)) == sent


@pytest.mark.parametrize('case_id,kind,match', CASES, ids=[c[0] for c in CASES])
def test_decode_reads_back_the_normal_form(case_id, kind, match):
    normal = em.normalize(match, 'match')
    assert em.decode(tc.parse_nla(em.encode(normal, 2))[2]) == normal
    assert em.normalize(normal, 'match') == normal  # the normal form is its own normal form
    opts = kinds.KINDS[kind].normalize(options(kind, match), {}, kind)
    sent = b''.join(kinds.KINDS[kind].encode(opts, {}, b'', CTX))
    decoded, _actions = kinds.KINDS[kind].decode(tc.parse_nla(sent), {}, CTX)
    assert decoded == opts


def test_normal_form_and_words():
    normal = em.normalize([TCP, dict(MARK5, relation='and', invert=True)], 'basic.match')
    assert normal == [
        {'cmp': {'layer': 'network', 'align': 'u8', 'offset': 9, 'mask': None, 'op': 'eq', 'value': 6, 'trans': False}},
        {'relation': 'and', 'invert': True,
         'meta': {'id': 'nfmark', 'op': 'eq', 'value': 5, 'mask': None, 'shift': 0}}]
    assert em.normalize([{'u32': {'align': 'u8', 'value': 6, 'at': 9}}], 'm') == [
        {'u32': {'value': '0x00060000', 'mask': '0x00ff0000', 'at': 8, 'nexthdr': False}}]
    assert em.words(normal) == ['match', 'cmp(u8 at 9 layer network eq 6) and not meta(nf_mark eq 5)']
    assert em.words([]) == [] and em.normalize(None, 'm') == []
    opts = kinds.KINDS['basic'].normalize({'classid': '1:10', 'match': normal}, {}, 'basic')
    assert kinds.KINDS['basic'].words(opts)[:3] == ['match', em.expression(normal), 'classid']


def test_meta_name_comparison_is_var_on_both_sides():
    """tc 6.1 sends `meta(dev eq "lo")` with an INT left and a VAR right, which the kernel refuses (EINVAL:
    em_meta_change wants one type): the module sends VAR on both sides and no mask."""
    normal = em.normalize([{'meta': {'id': 'dev', 'value': 'lo'}}], 'm')
    assert normal[0]['meta'] == {'id': 'dev', 'op': 'eq', 'value': 'lo', 'mask': None, 'shift': 0}
    data = em.encode(normal, 2)
    assert data.hex().endswith('0c00010005000000000000000600030' + '06c6f0000')
    assert em.decode(tc.parse_nla(data)[2]) == normal


@pytest.mark.parametrize('match,message', [
    ([dict(TCP, relation='and')], 'basic.match[0].relation: the first item has nothing before it'),
    ([TCP, MARK5], 'basic.match[1].relation is required'),
    ([TCP, dict(MARK5, relation='xor')], "basic.match[1].relation: 'xor' is not one of and, or"),
    ([{'cmp': {'layer': 'session', 'value': 1}}], "basic.match[0].cmp.layer: 'session' is not one of link, network"),
    ([{'cmp': {'align': 'u64', 'value': 1}}], "basic.match[0].cmp.align: 'u64' is not one of u8, u16, u32"),
    ([{'cmp': {'align': 'u8', 'value': 256}}], 'basic.match[0].cmp.value: 256 is not a number from 0 to 255'),
    ([{'cmp': {'value': 1, 'offest': 2}}], 'basic.match[0].cmp: offest not an option'),
    ([{'cmp': {'offset': 2}}], 'basic.match[0].cmp.value is required'),
    ([{'u32': {'align': 'u16', 'at': 3}}], 'basic.match[0].u32.at: 3 is not a multiple of 2'),
    ([{'meta': {'id': 'rxhash', 'value': 1}}], "basic.match[0].meta.id: 'rxhash' is not a meta id"),
    ([{'meta': {'id': 'priority', 'value': 'high'}}], "basic.match[0].meta.value: 'high' is not a number"),
    ([{'nbyte': {'offset': 1}}], 'basic.match[0].nbyte: give pattern (text) or hex (bytes)'),
    ([{'nbyte': {'hex': 'zz'}}], "basic.match[0].nbyte.hex: 'zz' is not hexadecimal"),
    ([{'cmp': {'value': 1}, 'meta': {'id': 'mark', 'value': 1}}], 'basic.match[0]: give exactly one of'),
    ([{'kind': 9, 'raw': '00'}], 'basic.match[0]: give exactly one of'),
    ([{'container': []}], 'basic.match[0].container: an empty container'),
    ('cmp(u8 at 9 eq 6)', 'basic.match: expected a list'),
])
def test_bad_input_is_named(match, message):
    with pytest.raises(ValidationError) as exc:
        em.normalize(match, 'basic.match')
    assert message in str(exc.value)


def tree(*items, nmatches=None):
    """A TCA_EMATCH_TREE payload of (kind, flags, data) items."""
    body = b''.join(tc.nla(i + 1, em.EM_HDR.pack(0, kind, flags, 0) + data) for i, (kind, flags, data) in enumerate(items))
    return tc.nla(1, em.TREE_HDR.pack(len(items) if nmatches is None else nmatches, 0)) + tc.nla(2, body)


def test_decode_is_total():
    assert em.decode(b'') == [] and em.decode(b'\xff' * 3) == []
    text = tree((5, 0, b'\x00' * 20))  # em_text: not read, kept as bytes
    assert em.decode(text) == [{'kind': 5, 'raw': '00' * 20}]
    short = tree((1, 1, b'\x01\x02'), (3, 0, b''))  # too short for a cmp / a u32 key
    assert em.decode(short) == [{'kind': 1, 'raw': '0102'}, {'relation': 'and', 'kind': 3, 'raw': ''}]
    loop = tree((0, 0, b'\x00\x00\x00\x00'))  # a container pointing at itself
    assert em.decode(loop) == [{'kind': 0, 'raw': '00000000'}]
    bad_cmp = tree((1, 0, em.CMP.pack(1, 0, 0, 3, 0x39)))  # align 3, layer 9
    assert em.decode(bad_cmp)[0]['kind'] == 1
    runaway = tree((1, 1, em.CMP.pack(6, 0, 9, 1, 1)))  # "and" with nothing after it
    assert em.decode(runaway) == [{'cmp': {'layer': 'network', 'align': 'u8', 'offset': 9, 'mask': None,
                                           'op': 'eq', 'value': 6, 'trans': False}}]
    meta_vs_meta = tree((4, 0, tc.nla(1, em.META_HDR.pack(0x100c, 0, 0, 0x1006, 0, 0))))
    assert em.decode(meta_vs_meta)[0]['kind'] == 4
    for size in range(0, 60):  # any prefix of a real tree decodes to something
        em.decode(em.encode(em.normalize([TCP, {'relation': 'or', 'container': [MARK5]}], 'm'), 2)[4:4 + size])
    assert em.expression(em.decode(text)) == 'kind5(%s)' % ('00' * 20)


@pytest.mark.skipif(not os.environ.get('NLINK_CAPTURE_EMATCH'), reason='recapture only on request (root, strace)')
def test_capture():
    ns = 'nlt-emcap-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', ns], check=True)
    try:
        subprocess.run(['ip', '-n', ns, 'link', 'set', 'lo', 'up'], check=True)
        subprocess.run(['tc', '-n', ns, 'qdisc', 'add', 'dev', 'lo', 'ingress'], check=True)
        fixtures = []
        for case_id, kind, match in CASES:
            expression = em.expression(em.normalize(match, 'match'))
            tail = ['classid', '1:1'] if kind == 'basic' else ['action', 'gact', 'pass']
            run = subprocess.run(['ip', 'netns', 'exec', ns, 'strace', '-f', '-e', 'trace=sendmsg', '-xx', '-s', '65536',
                                  'tc', 'filter', 'add', 'dev', 'lo', 'parent', 'ffff:', 'protocol', 'ip', 'prio', '1',
                                  kind, 'match', expression] + tail, capture_output=True, text=True, check=False)
            found = re.search(r'nla_type=TCA_OPTIONS}, "([^"]*)"', run.stderr)
            assert found, run.stderr
            fixtures.append({'id': case_id, 'kind': kind, 'expression': expression,
                             'tc': 'tc filter add dev lo parent ffff: protocol ip prio 1 %s match %r %s'
                                   % (kind, expression, ' '.join(tail)),
                             'sent': found.group(1).replace('\\x', '')})
        with open(FIXTURES, 'w') as handle:
            json.dump(fixtures, handle, indent=1)
            handle.write('\n')
    finally:
        subprocess.run(['ip', 'netns', 'del', ns], check=False)

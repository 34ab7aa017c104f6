# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_tc_filter's later flower keys (ct_label, enc_opts, the MPLS label stack, num_of_vlans, PPPoE, l2tpv3,
hash), police's mpu and linklayer, and the bpf action: the bytes tc 6.1 sent for the same thing (strace of
`tc filter add`, fixtures/tc_filter_more.json), the round trip, decode over any bytes, and the refusals."""

import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import bpf, tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_actions, tc_actions_extra, tc_flower
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_flower_opts as opts
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter import Context, TcFilter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'conformance'))
import bpf_objects as objects  # noqa: E402  pylint: disable=wrong-import-position

CTX = Context({'lo': 1})
with open(os.path.join(HERE, 'fixtures', 'tc_filter_more.json')) as handle:
    CAPTURES = json.load(handle)
NESTS = {84, 85, 99}  # flower's ENC_OPTS, ENC_OPTS_MASK, MPLS_OPTS: nests of nests
TCA_FLOWER_FLAGS, TCA_U32_ACT = 22, 7


def tree(data, nests=(), depth=0):
    """A run of attributes as a sorted list, nests opened (flags cleared: tc flags some nests, not geneve's;
    the kernel takes both) - the order of attributes is free for the kernel, their bytes are not."""
    out = []
    for kind, payload in tc.iter_nla(data):
        opened = depth > 0 or kind in nests
        out.append((kind, tree(payload, nests, depth + 1) if opened and depth < 2 else payload))
    return sorted(out, key=repr)


def captured(what):
    return [c for c in CAPTURES if c['what'] == what]


@pytest.mark.parametrize('case', captured('flower'), ids=lambda c: c['name'])
def test_flower_keys_send_what_tc_sends(case):
    item = {'protocol': case['protocol']}
    normalized = tc_flower.normalize(case['options'], item, 'flower')
    ours = b''.join(tc_flower.encode(normalized, item, b'', CTX))
    theirs = [(k, v) for k, v in tc.iter_nla(bytes.fromhex(case['sent'])) if (k, v) != (TCA_FLOWER_FLAGS, b'\0' * 4)]
    assert tree(ours, NESTS) == tree(b''.join(tc.nla(k, v) for k, v in theirs), NESTS), case['tc']
    # and what the kernel dumps back from tc's bytes is the declared key
    assert tc_flower.decode(tc.parse_nla(bytes.fromhex(case['sent'])), item, CTX) == (normalized, None)


def test_police_atm_and_mpu_send_what_tc_sends():
    case, = [c for c in CAPTURES if c['name'] == 'police_atm']
    normalized = tc_actions.normalize_actions([case['options']])
    ours = tc_actions.encode_actions(normalized, CTX)
    theirs = tc.parse_nla(bytes.fromhex(case['sent']))[TCA_U32_ACT]
    assert tree(ours, (1,)) == tree(theirs, (1,))
    parms = tc.parse_nla(tc.parse_nla(tc.parse_nla(ours)[1])[2])[1]
    assert tc.unpack_ratespec(parms, 20) == {'rate': 125000, 'linklayer': 2, 'overhead': 10, 'mpu': 64}
    assert tc_actions.decode_actions(theirs, CTX) == normalized
    assert normalized[0]['police']['linklayer'] == 'atm' and normalized[0]['police']['mpu'] == 64


def test_police_avrate_sends_what_tc_sends_with_the_filter_estimator():
    case, = [c for c in CAPTURES if c['name'] == 'police_avrate']
    normalized = tc_actions.normalize_actions([case['options']])
    assert normalized[0]['police']['avrate'] == '500kbit' and normalized[0]['police']['rate'] is None
    theirs = tc.parse_nla(bytes.fromhex(case['sent']))[TCA_U32_ACT]
    assert tree(tc_actions.encode_actions(normalized, CTX), (1,)) == tree(theirs, (1,))
    assert tc_actions.decode_actions(theirs, CTX) == normalized
    # the kernel takes avrate only with the filter's rate estimator (TCA_RATE), tc's `estimator 1sec 8sec`
    assert tc_actions_extra.estimator_attrs(normalized) == [('TCA_RATE', bytes.fromhex(case['tca_rate']))]
    assert tc_actions_extra.estimator_words(normalized) == ['estimator', '1sec', '8sec']
    assert tc_actions_extra.estimator_attrs(tc_actions.normalize_actions([EXTRA_RATE])) == []
    with pytest.raises(ValidationError, match='avrate goes alone, without rate or pkts_rate'):
        tc_actions.normalize_actions([{'kind': 'police', 'police': dict(EXTRA_RATE['police'], avrate='1mbit')}])


EXTRA_RATE = {'kind': 'police', 'police': {'rate': '1mbit', 'burst': '10kb'}}


class Filters(TcFilter):
    def __init__(self):
        TcFilter.__init__(self, None, {}, 'ns1')
        self._indexes = {'lo': 1}
        self._qdiscs = {}


def test_the_filter_message_carries_the_estimator_avrate_needs():
    res = Filters()
    item = dict((name, None) for name in Filters.options)
    item.update(dev='lo', parent='ingress', priority=1, protocol='all', kind='u32',
                u32={'match': [{'u32': {'value': 0, 'mask': 0, 'at': 0}}]},
                actions=[{'kind': 'police', 'police': {'avrate': '500kbit', 'exceed': 'drop'}}])
    want = res.normalize(item)
    assert ('TCA_RATE', b'\x00\x03') in res.add_message(want)['attrs']
    assert ('TCA_RATE', b'\x00\x03') not in res.add_message(dict(want, actions=[]))['attrs']


def test_bpf_action_bytecode_sends_what_tc_sends():
    case, = [c for c in CAPTURES if c['name'] == 'bpf_bytecode']
    normalized = tc_actions.normalize_actions([case['options']])
    assert normalized == [{'kind': 'bpf', 'bpf': {'bytecode': '1,6 0 0 4294967295', 'name': None, 'tag': None},
                           'control': 'pipe'}]
    theirs = tc.parse_nla(bytes.fromhex(case['sent']))[TCA_U32_ACT]
    assert tree(tc_actions.encode_actions(normalized, CTX), (1,)) == tree(theirs, (1,))
    assert tc_actions.decode_actions(theirs, CTX) == normalized


def test_bpf_action_object_is_loaded_as_sched_act_and_named_like_tc(tmp_path, monkeypatch):
    case, = [c for c in CAPTURES if c['name'] == 'bpf_object']
    path = tmp_path / 'fl6act.o'
    path.write_bytes(objects.elf_object([('action', 'act', objects.returns(0))]))
    normalized = tc_actions.normalize_actions([{'kind': 'bpf', 'bpf': {'object': str(path)}}])
    assert normalized[0]['bpf']['name'] == 'fl6act.o:[action]'
    loaded = []
    monkeypatch.setattr(bpf, 'load', lambda program, prog_type: loaded.append(prog_type) or 6)  # tc's fd was 6
    monkeypatch.setattr(bpf.os, 'close', lambda fd: loaded.append(('closed', fd)))
    ours = tc_actions.encode_actions(normalized, CTX)
    bpf.SOURCES.close()
    assert loaded == [bpf.BPF_PROG_TYPE_SCHED_ACT, ('closed', 6)]
    theirs = tc.parse_nla(bytes.fromhex(case['sent']))[TCA_U32_ACT]
    assert tree(ours, (1,)) == tree(theirs, (1,))
    # the kernel reports name and tag (TCA_ACT_BPF_TAG), not the fd: that is what compares
    options = tc.nla_string(6, 'fl6act.o:[action]') + tc.nla(8, bytes.fromhex(normalized[0]['bpf']['tag'])) + \
        tc.nla(2, struct.pack('=IIiii', 1, 0, 3, 1, 1))
    dumped = tc.nla(1, tc.nla_string(1, 'bpf') + tc.nla_nested(2, [options]))
    assert tc_actions.decode_actions(dumped, CTX) == normalized


def sent_by_tc(words):
    """The TCA_OPTIONS tc sends for `tc filter add dev lo ingress pref 1 WORDS` (strace of its sendmsg, in a
    network namespace of its own: whether the kernel then has cls_flower does not matter)."""
    done = subprocess.run(['unshare', '-n', 'strace', '-f', '-e', 'trace=sendmsg', '-e', 'write=all', 'tc', 'filter',
                           'add', 'dev', 'lo', 'ingress', 'pref', '1'] + words, capture_output=True, text=True,
                          timeout=60, check=False)
    messages = []
    for line in done.stderr.splitlines():
        if line.startswith('sendmsg('):
            messages.append(b'')
        match = re.match(r'\s*\| [0-9a-f]{5}  (.{48})', line)
        if match and messages:
            messages[-1] += bytes.fromhex(match.group(1).replace(' ', ''))
    assert messages, done.stderr
    for kind, payload in tc.iter_nla(messages[-1][36:]):  # after nlmsghdr and tcmsg
        if kind == 2:  # TCA_OPTIONS
            return [(k, v) for k, v in tc.iter_nla(payload) if k != TCA_FLOWER_FLAGS]
    raise AssertionError('no TCA_OPTIONS in %s' % messages[-1].hex())


PINNED_ACT = """
import ctypes, subprocess, sys
sys.path.insert(0, %(conformance)r)
import bpf_objects as objects
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import bpf
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_actions
subprocess.run(['mount', '-t', 'bpf', 'bpf', '/sys/fs/bpf'], check=True)
program = bpf.read_object(objects.written(objects.elf_object([('action', 'act', objects.returns(0))]), 'act.o'),
                          'action', 'bpf')
fd = bpf.load(program, bpf.BPF_PROG_TYPE_SCHED_ACT)
where = ctypes.create_string_buffer(b'/sys/fs/bpf/act')
assert bpf._syscall(6, bpf.OBJ_GET_ATTR.pack(ctypes.addressof(where), fd, 0))[0] == 0  # BPF_OBJ_PIN
action, = tc_actions.normalize_actions([{'kind': 'bpf', 'bpf': {'pinned': '/sys/fs/bpf/act'}}])
assert action['bpf'] == {'bytecode': None, 'name': 'act:[*fsobj]', 'tag': program.tag}, action
try:
    tc_actions.normalize_actions([{'kind': 'bpf', 'bpf': {'object': program.path, 'section': 'action'}}])
    bpf.pinned('/sys/fs/bpf/act', 'bpf')
except ValidationError as exc:
    assert 'is a program of type 4, not a tc classifier (sched_cls)' in str(exc), exc
else:
    raise AssertionError('a sched_act program taken for a classifier')
print('ok')
"""


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which('unshare'), reason='needs root and unshare')
def test_pinned_action_program_is_a_sched_act_one(tmp_path):
    """In a private mount and network namespace with a bpffs of its own (the host's is never touched)."""
    script = tmp_path / 'pinned_act.py'
    script.write_text(PINNED_ACT % {'conformance': os.path.join(os.path.dirname(HERE), 'conformance')})
    done = subprocess.run(['unshare', '-m', '-n', '--propagation', 'private', sys.executable, str(script)],
                          capture_output=True, text=True, timeout=120, check=False, env=dict(
                              os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert done.returncode == 0 and done.stdout.strip() == 'ok', done.stderr


FLOWER = [
    ('ip', {'ct_label': '0x' + 'ab' * 16}),
    ('ip', {'ct_label': '00' * 15 + '01/' + '00' * 15 + 'ff', 'hash': '0x10/0xf0'}),
    ('all', {'enc_opts': {'geneve': [{'class': '0x102/0xff00', 'type': 1, 'data': '0011aabb/ffff0000'}]}}),
    ('all', {'enc_opts': {'vxlan': {'gbp': '0x800/0xf00'}}}),
    ('all', {'enc_opts': {'erspan': {'version': 1, 'index': '0x10/0xff'}}}),
    ('all', {'enc_opts': {'gtp': {'pdu_type': 1, 'qfi': '8/0x3f'}}}),
    ('mpls_mc', {'mpls': [{'depth': 3, 'ttl': 2}, {'depth': 1}]}),
    ('0x8864', {'pppoe_sid': 7, 'ppp_proto': 'ipv6', 'ip_proto': 'tcp', 'dst_ip': '2001:db8::1', 'dst_port': 22}),
    ('0x8864', {'ppp_proto': '0xc021'}),
    ('ip', {'ip_proto': 'l2tp', 'l2tpv3_sid': 99}),
    ('all', {'num_of_vlans': 0}),
    ('ip', {'ip_proto': 47}),  # tc reads a protocol number in hex: rendered 0x2f
]


@pytest.mark.parametrize('protocol,keys', FLOWER, ids=lambda v: v if isinstance(v, str) else None)
def test_flower_round_trip_and_normal_form_is_stable(protocol, keys):
    item = {'protocol': protocol}
    normalized = tc_flower.normalize(keys, item, 'flower')
    assert tc_flower.normalize(normalized, item, 'flower') == normalized
    attrs = tc.parse_nla(b''.join(tc_flower.encode(normalized, item, b'', CTX)))
    assert tc_flower.decode(attrs, item, CTX) == (normalized, None)
    assert tc_flower.words(normalized)


@pytest.mark.skipif(os.geteuid() != 0 or not all(shutil.which(t) for t in ('unshare', 'strace', 'tc')),
                    reason='needs root, unshare, strace and tc')
@pytest.mark.parametrize('protocol,keys', [c for c in FLOWER if 'hash' not in c[1] and 'l2tpv3_sid' not in c[1]],
                         ids=lambda v: v if isinstance(v, str) else None)
def test_rendered_words_make_tc_send_the_same_bytes(protocol, keys):
    """tc 6.1 has no words for hash and l2tpv3_sid; everything else renders to a command tc sends as we do."""
    item = {'protocol': protocol}
    normalized = tc_flower.normalize(keys, item, 'flower')
    theirs = sent_by_tc(['protocol', protocol, 'flower'] + [str(w) for w in tc_flower.words(normalized)])
    # a port's full mask: sent here, left out by tc (the kernel's default), the same match
    full_port_masks = [(attr, b'\xff\xff') for attr in (35, 36, 37, 38, 39, 40)]
    ours = b''.join(tc.nla(k, v) for k, v in tc.iter_nla(b''.join(tc_flower.encode(normalized, item, b'', CTX)))
                    if (k, v) not in full_port_masks)
    assert tree(ours, NESTS) == tree(b''.join(tc.nla(k, v) for k, v in theirs), NESTS)


def test_tunnel_option_masks_read_back_as_the_bits_the_kernel_keeps():
    """vxlan keeps VXLAN_GBP_MASK (0x48ffff) of gbp and its mask, erspan a 1-bit dir and a 6-bit hwid: what a
    full mask reads back as is still a full mask."""
    def dumped(kind, fields, masks):
        return {84: tc.nla_nested(kind, [tc.nla(a, v) for a, v in fields]),
                85: tc.nla_nested(kind, [tc.nla(a, v) for a, v in masks])}
    vxlan = dumped(2, [(1, struct.pack('=I', 1234))], [(1, struct.pack('=I', 0x48FFFF))])
    assert opts.decode_enc_opts(vxlan) == {'vxlan': {'gbp': 1234}}
    erspan = dumped(3, [(1, b'\x02'), (3, b'\x01'), (4, b'\x05')], [(1, b'\x02'), (3, b'\x01'), (4, b'\x3f')])
    assert opts.decode_enc_opts(erspan) == {'erspan': {'version': 2, 'dir': 1, 'hwid': 5}}
    assert opts.normalize_enc_opts({'vxlan': {'gbp': '0x400001/0xffffffff'}}, 'f') == {'vxlan': {'gbp': 0x400001}}
    with pytest.raises(ValidationError, match='has bits the kernel does not keep'):
        opts.normalize_enc_opts({'vxlan': {'gbp': '0x10000'}}, 'f')


def test_geneve_options_the_kernel_dumps_in_one_nest_read_back_each():
    """A request gives each geneve option a nest; the kernel dumps all of them in one (CLASS, TYPE, DATA, CLASS,
    ...), as the test VM showed: both forms read back as the same options."""
    want = opts.normalize_enc_opts({'geneve': [{'class': 258, 'type': 128, 'data': '00112233'},
                                               {'class': 259, 'type': 1, 'data': '0011223344556677'}]}, 'f')
    requested = dict(zip((84, 85), (attr[4:] for attr in opts.encode_enc_opts(want))))  # payloads, no header

    def one_nest(payload):
        return tc.nla_nested(1, [value for _t, nest in tc.iter_nla(payload) for value in
                                 (tc.nla(a, v) for a, v in tc.iter_nla(nest))])
    dumped = {84: one_nest(requested[84]), 85: one_nest(requested[85])}
    assert opts.decode_enc_opts(requested) == opts.decode_enc_opts(dumped) == want


def test_mpls_single_top_entry_reads_back_as_the_flat_keys():
    """The kernel dumps one depth-1 entry with fields as TCA_FLOWER_KEY_MPLS_* (fl_dump_key_mpls)."""
    item = {'protocol': 'mpls_uc'}
    flat = tc_flower.normalize({'mpls': [{'depth': 1, 'label': 5, 'bos': 1}]}, item, 'f')
    assert flat == {'mpls_label': 5, 'mpls_bos': 1}
    assert tc_flower.normalize({'mpls': [{'depth': 1}]}, item, 'f') == {'mpls': [{'depth': 1}]}


def test_new_attribute_numbers_match_the_uapi_header():
    try:
        with open('/usr/include/linux/pkt_cls.h') as handle:
            header = handle.read()
    except IOError:
        pytest.skip('no kernel headers')
    block = header[header.index('TCA_FLOWER_UNSPEC'):header.index('__TCA_FLOWER_MAX')]
    ids = dict((name, value) for value, name in enumerate(re.findall(r'\b(TCA_FLOWER_[A-Z0-9_]+)\s*,', block)))
    assert (ids['TCA_FLOWER_KEY_ENC_OPTS'], ids['TCA_FLOWER_KEY_ENC_OPTS_MASK']) == (84, 85)
    assert (ids['TCA_FLOWER_KEY_CT_LABELS'], ids['TCA_FLOWER_KEY_CT_LABELS_MASK'], ids['TCA_FLOWER_KEY_MPLS_OPTS']) \
        == (opts.TCA_FLOWER_KEY_CT_LABELS, opts.TCA_FLOWER_KEY_CT_LABELS_MASK, opts.TCA_FLOWER_KEY_MPLS_OPTS)
    for name, upper in (('hash', 'HASH'), ('num_of_vlans', 'NUM_OF_VLANS'), ('pppoe_sid', 'PPPOE_SID'),
                        ('l2tpv3_sid', 'L2TPV3_SID')):
        assert tc_flower.NUMBERS[name][0] == ids['TCA_FLOWER_KEY_' + upper]
    assert ids['TCA_FLOWER_KEY_PPP_PROTO'] == tc_flower.TCA_FLOWER_KEY_PPP_PROTO


def test_decode_is_total_over_arbitrary_bytes():
    rng = random.Random(6)
    item = {'protocol': 'all'}
    types = list(range(1, 106))
    for _round in range(300):
        attrs = b''
        for _n in range(rng.randint(1, 6)):
            inner = b''.join(tc.nla(rng.choice([1, 2, 3, 4, 5]), bytes(rng.getrandbits(8) for _b in range(rng.randint(0, 9))))
                             for _i in range(rng.randint(0, 3)))
            payload = tc.nla(rng.randint(1, 5), inner) if rng.random() < 0.5 else bytes(
                rng.getrandbits(8) for _b in range(rng.randint(0, 20)))
            attrs += tc.nla(rng.choice(types), payload)
        tc_flower.decode(tc.parse_nla(attrs), item, CTX)


def test_police_and_bpf_action_decode_is_total_over_arbitrary_bytes():
    rng = random.Random(13)
    for _round in range(300):
        for kind in ('police', 'bpf'):
            options = b''.join(tc.nla(rng.randint(1, 11), bytes(rng.getrandbits(8) for _b in range(rng.randint(0, 70))))
                               for _i in range(rng.randint(0, 5)))
            tc_actions.decode_actions(tc.nla(1, tc.nla_string(1, kind) + tc.nla(2, options)), CTX)


@pytest.mark.parametrize('protocol,keys,message', [
    ('ip', {'ct_label': '1234'}, 'is not a conntrack label of 32 hex digits'),
    ('ip', {'ct_label': 'zz' * 16}, 'in hexadecimal'),
    ('all', {'enc_opts': {'geneve': [{'class': 1, 'data': '001122'}]}}, 'is not 4 to 124 bytes'),
    ('all', {'enc_opts': {'geneve': [{'data': '00112233/ff'}]}}, 'mask of another length'),
    ('all', {'enc_opts': {'geneve': [{'data': '00' * 124}, {'data': '00' * 124}]}}, 'at most 255'),
    ('all', {'enc_opts': {'vxlan': {'gbp': 1}, 'gtp': {'qfi': 1, 'pdu_type': 1}}}, 'give one of geneve'),
    ('all', {'enc_opts': {'erspan': {'version': 1, 'dir': 1}}}, 'dir does not go with version 1'),
    ('all', {'enc_opts': {'erspan': {'version': 2, 'dir': 1}}}, 'erspan.hwid is required'),
    ('all', {'enc_opts': {'erspan': {'version': 3}}}, 'version: 3 is not a number from 1 to 2'),
    ('all', {'enc_opts': {'gtp': {'pdu_type': 1, 'qfi': 64}}}, "qfi: '64' is not a number from 0 to 63"),
    ('ip', {'mpls': [{'depth': 1, 'label': 5}]}, 'needs protocol mpls_uc or mpls_mc'),
    ('mpls_uc', {'mpls': [{'depth': 2}], 'mpls_label': 3}, 'give the label stack or mpls_label, not both'),
    ('mpls_uc', {'mpls': [{'depth': 8}]}, 'depth: 8 is not a number from 1 to 7'),
    ('mpls_uc', {'mpls': [{'depth': 2, 'label': 0x100000}]}, 'label: 1048576 is not a number'),
    ('mpls_uc', {'mpls': [{'depth': 2}, {'depth': 2}]}, 'is given twice'),
    ('ip', {'pppoe_sid': 3}, 'needs protocol 0x8864'),
    ('0x8864', {'dst_ip': '10.0.0.1'}, 'needs protocol'),
    ('ip', {'ip_proto': 'udp', 'l2tpv3_sid': 3}, 'needs ip_proto l2tp'),
    ('all', {'num_of_vlans': 256}, 'num_of_vlans: 256 is not a number from 0 to 255'),
])
def test_flower_refusals(protocol, keys, message):
    with pytest.raises(ValidationError, match=message):
        tc_flower.normalize(keys, {'protocol': protocol}, 'flower')


@pytest.mark.parametrize('police,message', [
    ({'pkts_rate': 10, 'pkts_burst': 2, 'mpu': 64}, 'mpu and linklayer go with rate'),
    ({'rate': '1mbit', 'burst': '1kb', 'linklayer': 'adsl'}, "linklayer: 'adsl' is not one of atm, ethernet"),
    ({'rate': '1mbit', 'burst': '1kb', 'mpu': '100kb'}, 'more than 65535 bytes'),
    ({'avrate': '100gbit'}, 'avrate: .100gbit. is not from 1 byte/s to 4 GB/s'),
    ({'burst': '1kb'}, r'give rate \(bytes\) or pkts_rate \(packets\), one of them \(or avrate\)'),
])
def test_police_refusals(police, message):
    with pytest.raises(ValidationError, match=message):
        tc_actions.normalize_actions([{'kind': 'police', 'police': police}])


@pytest.mark.parametrize('bpf_opts,message', [
    ({}, 'give one of bytecode'),
    ({'bytecode': '1,6 0 0 0', 'pinned': '/sys/fs/bpf/x'}, 'not bytecode and pinned'),
    ({'bytecode': '1,6 0 0 0', 'section': 'action'}, 'section goes with object'),
    ({'bytecode': '2,6 0 0 0'}, 'is not classic BPF bytecode'),
    ({'object': '/nonexistent/x.o'}, r'bpf\.object: cannot read /nonexistent/x\.o'),
])
def test_bpf_action_refusals(bpf_opts, message):
    with pytest.raises(ValidationError, match=message):
        tc_actions.normalize_actions([{'kind': 'bpf', 'bpf': bpf_opts}])

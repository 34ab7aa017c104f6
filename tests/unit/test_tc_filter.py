# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_tc_filter without a kernel: u32 matches packed as tc packs them and read back in one canonical form,
the selector's bytes, classic BPF bytecode, handles, and every action through encode -> decode."""

import re
import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_actions, tc_flower
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_filter_kinds as kinds
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter import (
    Context, handle_number, handle_text, parent_number, parent_text)

CTX = Context({'lo': 1, 'v0': 2, 'v1': 3})


def canonical(match, protocol='ip'):
    return kinds.u32_match(kinds.u32_keys(match, 'match'), protocol)


def test_u32_keys_pack_like_tc():
    keys = kinds.u32_keys([{'ip': {'dst': '10.0.0.0/8'}}, {'ip': {'dport': 80}}, {'ip': {'sport': 22}}], 'm')
    assert keys == [(0xff000000, 0x0a000000, 16), (0xffffffff, 0x00160050, 20)]


def test_u32_matches_read_back_as_named_fields():
    assert canonical([{'ip': {'dst': '10.1.0.0/16', 'protocol': 6}}, {'ip': {'dsfield': '0x28/0xfc'}}]) == [
        {'ip': {'dst': '10.1.0.0/16'}}, {'ip': {'protocol': 'tcp'}}, {'ip': {'dsfield': '0x28/0xfc'}}]
    assert canonical([{'ip': {'icmp_type': 8}}]) == [{'ip': {'icmp_type': 8}}]
    assert canonical([{'ip6': {'dst': '2001:db8::/32', 'dport': 443}}], 'ipv6') == [
        {'ip6': {'dst': '2001:db8::/32'}}, {'ip6': {'dport': 443}}]


def test_u32_raw_words_stay_raw_and_canonical_form_is_stable():
    once = canonical([{'u16': {'value': 5, 'at': 2}}, {'u8': {'value': 64, 'at': 8}}])
    assert once == [{'u32': {'value': '0x00000005', 'mask': '0x0000ffff', 'at': 0}}, {'u32': {
        'value': '0x40000000', 'mask': '0xff000000', 'at': 8}}]
    assert canonical(once) == once


def test_u32_contradiction_is_refused():
    with pytest.raises(ValidationError, match='contradicts'):
        kinds.u32_keys([{'ip': {'dport': 80}}, {'u16': {'value': 81, 'at': 22}}], 'm')


def test_u32_selector_bytes_and_decode():
    opts = kinds.KINDS['u32'].normalize({'match': [{'ip': {'dst': '10.0.0.0/8'}}], 'classid': '1:10'},
                                        {'protocol': 'ip'}, 'u32')
    attrs = tc.parse_nla(b''.join(kinds.KINDS['u32'].encode(opts, {}, b'', CTX)))
    sel = attrs[kinds.TCA_U32_SEL]
    assert sel[:3] == b'\x01\x00\x01'  # terminal (a classid), one key
    assert sel[16:32] == struct.pack('>II', 0xff000000, 0x0a000000) + struct.pack('=ii', 16, 0)
    decoded, actions = kinds.KINDS['u32'].decode(attrs, {'protocol': 'ip'}, CTX)
    assert decoded == opts and actions is None


def test_bpf_bytecode():
    assert kinds.bytecode_text(kinds.bytecode_ops('2,40 0 0 12,6 0 0 0,', 'b')) == '2,40 0 0 12,6 0 0 0'
    with pytest.raises(ValidationError, match='not classic BPF bytecode'):
        kinds.bytecode_ops('3,6 0 0 0', 'b')


@pytest.mark.parametrize('kind,text', [('u32', '800::1'), ('u32', '1:2:3'), ('fw', '0x10'), ('matchall', '0x1')])
def test_handles_round_trip(kind, text):
    assert handle_text(handle_number(text, kind), kind) == text


def test_parents():
    assert parent_text(parent_number('ingress')) == 'ingress'
    assert parent_number('egress') == 0xFFFFFFF3
    assert parent_text(parent_number('1:10')) == '1:10'


ACTIONS = [
    {'kind': 'mirred', 'mirred': {'action': 'redirect', 'dev': 'v1'}},
    {'kind': 'mirred', 'mirred': {'action': 'mirror', 'direction': 'ingress', 'dev': 'v1'}, 'control': 'pass'},
    {'kind': 'gact', 'gact': {'action': 'goto chain 3'}},
    {'kind': 'skbedit', 'skbedit': {'mark': '0x10', 'mask': '0xff', 'priority': '1:10', 'ptype': 'host'}},
    {'kind': 'vlan', 'vlan': {'action': 'push', 'id': 10, 'priority': 3}},
    {'kind': 'vlan', 'vlan': {'action': 'pop'}},
    {'kind': 'csum', 'csum': {'update': ['tcp', 'ip']}},
    {'kind': 'connmark', 'connmark': {'zone': 4}},
    {'kind': 'simple', 'simple': {'sdata': 'hello'}},
    {'kind': 'nat', 'nat': {'direction': 'egress', 'old': '10.0.0.0/8', 'new': '192.0.2.1'}},
    {'kind': 'sample', 'sample': {'rate': 10, 'group': 2, 'trunc': 64}},
    {'kind': 'mpls', 'mpls': {'action': 'push', 'label': 100, 'ttl': 64}},
    {'kind': 'tunnel_key', 'tunnel_key': {'src_ip': '2001:db8::1', 'dst_ip': '2001:db8::2', 'id': 5, 'csum': False}},
    {'kind': 'ct', 'ct': {'commit': True, 'zone': 2, 'mark': 1}},
]


@pytest.mark.parametrize('action', ACTIONS, ids=lambda a: a['kind'])
def test_actions_round_trip_through_the_kernel_layout(action):
    normalized = tc_actions.normalize_actions([action])
    assert tc_actions.decode_actions(tc_actions.encode_actions(normalized, CTX), CTX) == normalized
    assert tc_actions.action_words(normalized)[:2] == ['action', action['kind']]


def test_action_defaults_and_refusals():
    assert tc_actions.normalize_actions([ACTIONS[0]])[0]['control'] == 'stolen'
    assert tc_actions.action_words(tc_actions.normalize_actions([ACTIONS[0]])) == [
        'action', 'mirred', 'egress', 'redirect', 'dev', 'v1']
    with pytest.raises(ValidationError, match="'stolen' is not a verdict"):
        tc_actions.normalize_actions([dict(ACTIONS[1], control='stolen')])
    with pytest.raises(ValidationError, match='options vlan given for an action of kind gact'):
        tc_actions.normalize_actions([{'kind': 'gact', 'gact': {'action': 'drop'}, 'vlan': {'action': 'pop'}}])


# -- flower --------------------------------------------------------------------------------------------

FLOWER = [
    ('ip', {'dst_mac': '02:00:00:00:00:01', 'src_mac': '02:00:00:00:00:00/24', 'ip_proto': 'tcp',
            'dst_ip': '10.0.0.0/8', 'src_ip': '192.0.2.1', 'dst_port': 80, 'src_port': '1000-2000',
            'tcp_flags': '0x2/0x12', 'ip_tos': '0x10/0xfc', 'ip_ttl': 64, 'ip_flags': 'frag/nofirstfrag',
            'ct_state': '+trk+est', 'ct_zone': 3, 'ct_mark': '0x10/0xff', 'classid': '1:10', 'skip_hw': True,
            'indev': 'v0'}),
    ('ipv6', {'ip_proto': 'icmpv6', 'icmp_type': 128, 'icmp_code': 0, 'dst_ip': '2001:db8::/32'}),
    ('802.1q', {'vlan_id': 10, 'vlan_prio': 3, 'vlan_ethtype': '802.1ad', 'cvlan_id': 20, 'cvlan_ethtype': 'ip',
                'ip_proto': 'udp', 'dst_port': '53/0xff00'}),
    ('arp', {'arp_op': 'request', 'arp_sip': '10.0.0.0/24', 'arp_tip': '10.0.0.1', 'arp_tha': '02:00:00:00:00:00/24'}),
    ('mpls_uc', {'mpls_label': 100, 'mpls_tc': 3, 'mpls_bos': 1, 'mpls_ttl': 64}),
    ('all', {'enc_key_id': 42, 'enc_dst_ip': '192.0.2.2', 'enc_src_ip': '2001:db8::/64', 'enc_dst_port': 4789,
             'enc_src_port': '0x1000/0xf000', 'enc_tos': 16, 'enc_ttl': 64}),
    ('ip', {'ip_proto': 'sctp', 'src_port': 9}),
]


@pytest.mark.parametrize('protocol,keys', FLOWER, ids=lambda v: v if isinstance(v, str) else None)
def test_flower_round_trip(protocol, keys):
    item = {'protocol': protocol}
    normalized = kinds.KINDS['flower'].normalize(keys, item, 'flower')
    assert kinds.KINDS['flower'].normalize(normalized, item, 'flower') == normalized
    attrs = tc.parse_nla(b''.join(kinds.KINDS['flower'].encode(normalized, item, b'', CTX)))
    assert kinds.KINDS['flower'].decode(attrs, item, CTX) == (normalized, None)


def test_flower_bytes():
    item = {'protocol': 'ip'}
    opts = tc_flower.normalize({'ip_proto': 'udp', 'dst_ip': '10.0.0.0/8', 'dst_port': 53}, item, 'f')
    raw = b''.join(tc_flower.encode(opts, item, b'', CTX))
    attrs = list(tc.iter_nla(raw))
    # TCA_FLOWER_KEY_ETH_TYPE (8) be16, IP_PROTO (9) u8, IPV4_DST (12) + mask (13), UDP_DST (21) + mask (38)
    assert attrs == [(8, b'\x08\x00'), (9, b'\x11'), (12, b'\x0a\x00\x00\x00'), (13, b'\xff\x00\x00\x00'),
                     (21, b'\x00\x35'), (38, b'\xff\xff')]
    assert tc_flower.words(opts) == ['ip_proto', 'udp', 'dst_ip', '10.0.0.0/8', 'dst_port', 53]


def test_flower_attribute_numbers_match_the_uapi_header():
    try:
        with open('/usr/include/linux/pkt_cls.h') as handle:
            header = handle.read()
    except IOError:
        pytest.skip('no kernel headers')
    block = header[header.index('TCA_FLOWER_UNSPEC'):header.index('__TCA_FLOWER_MAX')]
    ids = dict((name, value) for value, name in enumerate(re.findall(r'\b(TCA_FLOWER_[A-Z0-9_]+)\s*,', block)))
    assert ids['TCA_FLOWER_KEY_ETH_TYPE'] == 8 and ids['TCA_FLOWER_KEY_CT_MARK_MASK'] == 96
    assert [ids['TCA_FLOWER_KEY_%s' % n] for n in ('SCTP_SRC', 'SCTP_SRC_MASK', 'SCTP_DST', 'SCTP_DST_MASK')] == \
        list(tc_flower.PORT_ATTRS['sctp'])
    assert tc_flower.PORT_RANGE['dst_port'] == (ids['TCA_FLOWER_KEY_PORT_DST_MIN'], ids['TCA_FLOWER_KEY_PORT_DST_MAX'])
    for name, (attr, mask, _fmt, _needs) in tc_flower.NUMBERS.items():
        upper = {'vlan_prio': 'VLAN_PRIO', 'enc_src_port': 'ENC_UDP_SRC_PORT', 'enc_dst_port': 'ENC_UDP_DST_PORT',
                 'enc_tos': 'ENC_IP_TOS', 'enc_ttl': 'ENC_IP_TTL'}.get(name, name.upper())
        assert ids['TCA_FLOWER_KEY_' + upper] == attr, name
        if mask:
            assert ids['TCA_FLOWER_KEY_' + upper + '_MASK'] == mask, name
    assert ids['TCA_FLOWER_KEY_ICMPV6_TYPE'] == tc_flower.ICMP_ATTRS['icmpv6']['icmp_type'][0]
    assert ids['TCA_FLOWER_KEY_ENC_IPV6_DST_MASK'] == tc_flower.ADDRESS_ATTRS['enc_dst_ip'][1][1]
    assert ids['TCA_FLOWER_KEY_ARP_THA_MASK'] == tc_flower.MAC_ATTRS['arp_tha'][1]


@pytest.mark.parametrize('protocol,keys,message', [
    ('ip', {'dst_port': 80}, 'needs ip_proto tcp, udp or sctp'),
    ('all', {'ip_proto': 'tcp'}, 'needs protocol'),
    ('ip', {'vlan_id': 3}, 'needs protocol 802.1q'),
    ('ipv6', {'dst_ip': '10.0.0.1'}, 'is not an IPv6'),
    ('ip', {'ct_state': 'trk'}, 'is not a combination'),
    ('ip', {'skip_hw': True, 'skip_sw': True}, 'nowhere'),
])
def test_flower_refusals(protocol, keys, message):
    with pytest.raises(ValidationError, match=message):
        tc_flower.normalize(keys, {'protocol': protocol}, 'flower')


# -- police, pedit, skbmod, ctinfo, gate -----------------------------------------------------------------

EXTRA = [
    {'kind': 'police', 'police': {'rate': '1mbit', 'burst': '10kb'}},
    {'kind': 'police', 'police': {'rate': '100gbit', 'burst': '1mb', 'mtu': '9000', 'peakrate': '200gbit',
                                  'overhead': 14, 'conform': 'pipe', 'exceed': 'drop'}},
    {'kind': 'police', 'police': {'pkts_rate': 1000, 'pkts_burst': 10}},
    {'kind': 'pedit', 'pedit': {'keys': [{'field': 'ip.ttl', 'value': 10}, {'field': 'ip.dst', 'value': '192.0.2.1'},
                                         {'field': 'tcp.dport', 'value': 8080}, {'field': 'ip.ttl', 'cmd': 'add',
                                                                                 'value': 255},
                                         {'header': 'eth', 'offset': 4, 'value': '0xabcd', 'mask': '0xffff'}]}},
    {'kind': 'skbmod', 'skbmod': {'dmac': '02:00:00:00:00:09', 'etype': '0x88b5'}},
    {'kind': 'skbmod', 'skbmod': {'swapmac': True}},
    {'kind': 'ctinfo', 'ctinfo': {'zone': 2, 'dscp_mask': '0xfc000000', 'dscp_statemask': '0x01000000',
                                  'cpmark_mask': '0xffffffff'}},
    {'kind': 'gate', 'gate': {'entries': [{'gate': 'open', 'interval': '200ms'},
                                          {'gate': 'close', 'interval': 100000000, 'ipv': 3, 'max_octets': 8000}]}},
]


@pytest.mark.parametrize('action', EXTRA, ids=lambda a: a['kind'])
def test_extra_actions_round_trip(action):
    normalized = tc_actions.normalize_actions([action])
    assert tc_actions.normalize_actions(normalized) == normalized
    assert tc_actions.decode_actions(tc_actions.encode_actions(normalized, CTX), CTX) == normalized


def test_police_layout():
    normalized = tc_actions.normalize_actions([EXTRA[0]])
    assert normalized[0]['police']['mtu'] == '2040b' and 'control' not in normalized[0]
    nest = tc.parse_nla(tc.parse_nla(tc.parse_nla(tc_actions.encode_actions(normalized, CTX))[1])[2])
    parms = nest[1]
    assert len(parms) == 56  # struct tc_police
    index, action, limit, burst, mtu = struct.unpack_from('=IiIII', parms)
    assert (action, mtu) == (1, 2040)  # exceed reclassify
    assert burst == tc.psched().xmittime(125000, 10240)
    rate = tc.unpack_ratespec(parms, 20)
    assert rate['rate'] == 125000 and parms[20] == 3  # cell_log for mtu 2040
    assert len(nest[2]) == 1024 and 5 not in nest  # the rate table; conform pass is the kernel's default
    with pytest.raises(ValidationError, match='give rate'):
        tc_actions.normalize_actions([{'kind': 'police', 'police': {'burst': '10kb'}}])
    with pytest.raises(ValidationError, match='has its own verdicts'):
        tc_actions.normalize_actions([dict(EXTRA[0], control='drop')])


def test_pedit_key_layout():
    normalized = tc_actions.normalize_actions([{'kind': 'pedit', 'pedit': {'keys': [{'field': 'ip.ttl', 'value': 10}]}}])
    options = tc.parse_nla(tc.parse_nla(tc.parse_nla(tc_actions.encode_actions(normalized, CTX))[1])[2])
    parms = options[4]
    assert parms[20] == 1  # nkeys
    keep, value, off = struct.unpack_from('=IIi', parms, 24)
    # byte 8 of the IPv4 header (ttl) as the kernel sees the word in memory: (word & keep) ^ value
    assert struct.pack('=I', keep) == b'\x00\xff\xff\xff' and struct.pack('=I', value) == b'\x0a\x00\x00\x00'
    assert off == 8
    key_ex = tc.parse_nla(dict(tc.iter_nla(options[5]))[6])
    assert (tc.u16(key_ex[1]), tc.u16(key_ex[2])) == (2, 0)  # TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, CMD_SET


# struct sizes of the actions' TCA_*_PARMS (linux/tc_act/*.h): the kernel's policies want at least these
PARMS_SIZES = {'mirred': 28, 'gact': 20, 'skbedit': 20, 'vlan': 24, 'csum': 24, 'connmark': 24, 'simple': 20,
               'nat': 36, 'sample': 20, 'mpls': 24, 'tunnel_key': 24, 'ct': 20}


def raw_attrs(data):
    """(type with its flags, payload) of a run of attributes."""
    offset, out = 0, []
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from('=HH', data, offset)
        out.append((kind, data[offset + 4:offset + length]))
        offset += (length + 3) & ~3
    return out


@pytest.mark.parametrize('action', ACTIONS + EXTRA, ids=lambda a: a['kind'])
def test_action_options_go_flagged_nested_with_whole_parms(action):
    """mpls, tunnel_key, ct, ctinfo and gate parse their options strictly: without NLA_F_NESTED the kernel
    says 'NLA_F_NESTED is missing'; a parms struct shorter than its C size is ERANGE (connmark's tail padding)."""
    normalized = tc_actions.normalize_actions([action])
    (order, nest), = raw_attrs(tc_actions.encode_actions(normalized, CTX))
    options = dict((kind & 0x3FFF, (kind, payload)) for kind, payload in raw_attrs(nest))[tc_actions.TCA_ACT_OPTIONS]
    assert options[0] & tc.NLA_F_NESTED
    if action['kind'] in PARMS_SIZES:
        parms = tc.parse_nla(options[1])[tc_actions.PARMS_TYPES[action['kind']]]
        assert len(parms) == PARMS_SIZES[action['kind']]


def test_route_filter_handle_is_built_like_tc_builds_it():
    """The handles tc 6.1 sent (strace) for `route to 10`, `route from 3 to 10`; the kernel wants exactly these."""
    assert kinds.route_handle({'to': 10, 'from': None, 'fromif': None}, {}) == 4294901770
    assert kinds.route_handle({'to': 10, 'from': 3, 'fromif': None}, {}) == 196618
    assert kinds.route_handle({'to': None, 'from': None, 'fromif': 'v1'}, {'v1': 3}) == 0x80038000

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route codec: what it writes it reads back, and on arbitrary bytes it raises nothing but NetlinkError.

Byte-for-byte tests against the kernel are in test_route_fixtures.py.
"""

import os
import socket
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import route_codec as codec

from netlink_fixtures import Exhausted, replay_connection

SETTINGS = settings(max_examples=int(os.environ.get('NLINK_HYPOTHESIS_EXAMPLES', '300')), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
SEQ = 7


def message(body, msg_type=codec.RTM_NEWROUTE, flags=nlconn.NLM_F_MULTI, seq=SEQ):
    data = nlconn.NLMSGHDR.pack(nlconn.NLMSGHDR.size + len(body), msg_type, flags, seq, 0) + body
    return data + b'\0' * (-len(data) % 4)


# -- what it writes, it reads ----------------------------------------------------------------------

def v4():
    return st.binary(min_size=4, max_size=4)


def v6():
    return st.binary(min_size=16, max_size=16)


@st.composite
def routes(draw):
    family = draw(st.sampled_from([socket.AF_INET, socket.AF_INET6]))
    addr = v4() if family == socket.AF_INET else v6()
    hop = st.tuples(st.sampled_from([0, codec.RTNH_F_ONLINK]), st.integers(0, 255), st.integers(0, 2 ** 31 - 1),
                    st.one_of(st.none(), addr))
    return dict(
        family=family, dst=draw(addr), dst_len=draw(st.integers(0, 32 if family == socket.AF_INET else 128)),
        table=draw(st.sampled_from([100, 254, 255, 256, 2 ** 32 - 1])), tos=draw(st.integers(0, 255)),
        protocol=draw(st.integers(0, 255)), scope=draw(st.integers(0, 255)), rtype=draw(st.integers(0, 11)),
        flags=draw(st.sampled_from([0, codec.RTNH_F_ONLINK])), priority=draw(st.integers(0, 2 ** 32 - 1)),
        gateway=draw(st.one_of(st.none(), addr)), oif=draw(st.one_of(st.none(), st.integers(1, 2 ** 32 - 1))),
        prefsrc=draw(st.one_of(st.none(), addr)),
        metrics=draw(st.dictionaries(st.integers(1, 15), st.integers(0, 2 ** 32 - 1), max_size=5)),
        multipath=draw(st.lists(hop, max_size=4)), pref=draw(st.one_of(st.none(), st.sampled_from([0, 1, 3]))),
        nhid=draw(st.one_of(st.none(), st.integers(1, 2 ** 32 - 1))))


def text(raw):
    return None if raw is None else socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw)


@SETTINGS
@given(routes())
def test_decode_reads_back_what_encode_writes(route):
    decoded = codec.decode_route(message(codec.encode_route(**route)))
    expected = {
        'family': route['family'], 'dst_len': route['dst_len'], 'tos': route['tos'], 'table': route['table'],
        'protocol': route['protocol'], 'scope': route['scope'], 'type': route['rtype'], 'flags': route['flags'],
        'dst': text(route['dst']), 'oif': route['oif'], 'gateway': text(route['gateway']),
        'priority': route['priority'], 'prefsrc': text(route['prefsrc']), 'metrics': route['metrics'] or None,
        'multipath': [{'flags': f, 'hops': h, 'oif': o, 'gateway': text(g)} for f, h, o, g in route['multipath']]
        or None, 'pref': route['pref'], 'nhid': route['nhid']}
    assert dict((k, decoded[k]) for k in expected) == expected


@SETTINGS
@given(routes())
def test_a_template_patched_with_a_destination_is_the_route_encoded_whole(route):
    fields = dict(route)
    family, dst, dst_len = fields.pop('family'), fields.pop('dst'), fields.pop('dst_len')
    assert codec.RouteTemplate(family, **fields).body(dst, dst_len) == codec.encode_route(family, dst, dst_len, **fields)


ENCAPS = [
    ({'type': 'seg6', 'mode': 'encap', 'segs': ['2001:db8::1', '2001:db8::2']}, None),
    ({'type': 'seg6', 'mode': 'inline', 'segs': ['2001:db8::1']}, ['2001:db8::1', '::']),
    ({'type': 'seg6', 'mode': 'l2encap.red', 'segs': ['2001:db8::9']}, None),
    ({'type': 'seg6local', 'action': 'End.DT6', 'table': 100}, None),
    ({'type': 'seg6local', 'action': 'End.X', 'nh6': '2001:db8::2', 'oif': 'v0'}, None),
    ({'type': 'seg6local', 'action': 'End.DX4', 'nh4': '192.0.2.2', 'vrftable': 7}, None),
    ({'type': 'seg6local', 'action': 'End.B6.Encaps', 'segs': ['2001:db8::3', '2001:db8::4']}, None),
    ({'type': 'mpls', 'labels': [100, 200, 1048575], 'ttl': 9}, None),
]


@pytest.mark.parametrize('encap, segs', ENCAPS, ids=[str(e[0]) for e in ENCAPS])
def test_encap_reads_back(encap, segs):
    body = codec.encode_route(socket.AF_INET6, b'\x20\x01' + b'\0' * 14, 64, 254,
                              encap=codec.encode_encap(encap, {'v0': 2}.__getitem__))
    decoded = codec.decode_route(message(body))['encap']
    expected = dict(encap, oif=2) if 'oif' in encap else dict(encap)
    if segs:
        expected['segs'] = segs
    assert decoded == expected


def test_an_srh_is_laid_out_as_iproute2_writes_it():
    """Segments reversed after an 8-byte header; inline mode reserves segment 0 (the destination)."""
    srh = codec.encode_srh(['2001:db8::1', '2001:db8::2'], reserve_first=True)
    assert srh[:8] == bytes([0, 6, 4, 2, 2, 0, 0, 0])
    assert [srh[8 + 16 * i:24 + 16 * i] for i in range(3)] == [
        socket.inet_pton(socket.AF_INET6, a) for a in ('::', '2001:db8::2', '2001:db8::1')]


def test_a_large_table_goes_in_rta_table_and_rtm_table_says_compat():
    body = codec.encode_route(socket.AF_INET, b'\n\0\0\0', 8, 70000)
    assert body[4] == codec.RT_TABLE_COMPAT
    assert codec.decode_route(message(body))['table'] == 70000


def test_dump_request_carries_only_the_filters_given():
    assert codec.encode_dump(socket.AF_INET) == codec.RTMSG.pack(socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0)
    body = codec.encode_dump(socket.AF_INET6, table=300, protocol=4, oif=3)
    assert body == codec.RTMSG.pack(socket.AF_INET6, 0, 0, 0, codec.RT_TABLE_COMPAT, 4, 0, 0, 0) + \
        struct.pack('=HHI', 8, codec.RTA_TABLE, 300) + struct.pack('=HHI', 8, codec.RTA_OIF, 3)


def test_a_route_message_is_stamped_like_a_pyroute2_one():
    msg = codec.RouteMessage(b'\x02' + b'\0' * 11)
    conn = replay_connection([], next_seq=41)
    data = conn.encode(msg, codec.RTM_NEWROUTE, nlconn.NLM_F_REQUEST)
    assert data == nlconn.NLMSGHDR.pack(28, codec.RTM_NEWROUTE, nlconn.NLM_F_REQUEST, 41, 0) + msg.body
    with pytest.raises(KeyError):
        msg['attrs']


def test_an_error_names_the_attribute_in_a_route_request():
    body = codec.encode_route(socket.AF_INET, b'\n\0\0\0', 8, 254, gateway=b'\n\0\0\x01', metrics={2: 1400})
    data = message(body, flags=0)
    gateway_at = data.index(struct.pack('=HH', 8, codec.RTA_GATEWAY))
    metrics_at = data.index(struct.pack('=HH', 12, codec.RTA_METRICS | codec.NLA_F_NESTED))
    assert nlconn.attribute_path(data, gateway_at, codec.RouteMessage) == 'RTA_GATEWAY'
    assert nlconn.attribute_path(data, metrics_at + 4, codec.RouteMessage) == 'RTA_METRICS/RTAX_MTU'


# -- totality --------------------------------------------------------------------------------------

def only_netlink_errors(call):
    try:
        call()
    except (NetlinkError, Exhausted):
        pass


def tlv(kind, payload):
    return struct.pack('=HH', 4 + len(payload), kind) + payload + b'\0' * (-len(payload) % 4)


@st.composite
def route_attributes(draw):
    """Attributes of the kinds the decoder reads, with payloads of any size (often the wrong one)."""
    kinds = [codec.RTA_DST, codec.RTA_GATEWAY, codec.RTA_OIF, codec.RTA_TABLE, codec.RTA_PRIORITY,
             codec.RTA_PREFSRC, codec.RTA_METRICS, codec.RTA_MULTIPATH, codec.RTA_PREF, codec.RTA_ENCAP_TYPE,
             codec.RTA_ENCAP, codec.RTA_NH_ID, 12, 99]
    parts = []
    for _round in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(kinds))
        if kind == codec.RTA_ENCAP_TYPE and draw(st.booleans()):
            payload = struct.pack('=H', draw(st.sampled_from([1, 5, 7, 3, 0xFFFF]))) + b'\0\0'
        elif kind in (codec.RTA_ENCAP, codec.RTA_METRICS) and draw(st.booleans()):
            payload = b''.join(tlv(draw(st.integers(0, 17)), draw(st.binary(max_size=40)))
                               for _i in range(draw(st.integers(0, 3))))
        elif kind == codec.RTA_MULTIPATH and draw(st.booleans()):
            payload = b''.join(codec.RTNH.pack(draw(st.integers(0, 40)), 0, 0, 1) + draw(st.binary(max_size=24))
                               for _i in range(draw(st.integers(0, 3))))
        else:
            payload = draw(st.binary(max_size=40))
        parts.append(tlv(kind | draw(st.sampled_from([0, codec.NLA_F_NESTED])), payload))
    raw = b''.join(parts)
    if draw(st.booleans()):  # a damaged length somewhere
        at = draw(st.integers(0, max(0, len(raw) - 2)))
        raw = raw[:at] + struct.pack('=H', draw(st.integers(0, 0xFFFF))) + raw[at + 2:]
    return raw


@SETTINGS
@given(st.binary(max_size=200))
def test_decode_raises_only_netlink_error_on_noise(data):
    only_netlink_errors(lambda: codec.decode_route(data))


@SETTINGS
@given(st.integers(0, 11), route_attributes(), st.sampled_from([0, 1, -4, 7, 1000]))
def test_decode_raises_only_netlink_error_on_damaged_routes(family, attrs, slack):
    body = codec.RTMSG.pack(family, 24, 0, 0, 254, 4, 0, 1, 0) + attrs
    data = nlconn.NLMSGHDR.pack(max(0, nlconn.NLMSGHDR.size + len(body) + slack), codec.RTM_NEWROUTE, 2, SEQ, 0) + body
    only_netlink_errors(lambda: codec.decode_route(data))


@SETTINGS
@given(st.lists(route_attributes(), min_size=1, max_size=3))
def test_a_dump_of_damaged_routes_fails_with_netlink_error_only(bodies):
    datagram = b''.join(message(codec.RTMSG.pack(2, 24, 0, 0, 254, 4, 0, 1, 0) + b) for b in bodies)
    datagram += message(struct.pack('=i', 0), msg_type=nlconn.NLMSG_DONE)
    conn = replay_connection([datagram], next_seq=SEQ)
    only_netlink_errors(lambda: conn.dump(codec.RouteMessage(codec.encode_dump(2)), codec.RTM_GETROUTE,
                                          codec.RouteReply))


def test_decode_says_what_is_wrong():
    with pytest.raises(NetlinkError, match='shorter than a route header'):
        codec.decode_route(b'\0' * 20)
    bad_dst = codec.RTMSG.pack(2, 24, 0, 0, 254, 4, 0, 1, 0) + tlv(codec.RTA_DST, b'\n\0\0')
    with pytest.raises(NetlinkError, match='an address of 3 bytes'):
        codec.decode_route(message(bad_dst))

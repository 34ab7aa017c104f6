# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests: on arbitrary bytes, the codecs and the reply walkers raise nothing but NetlinkError.

Bytes come in two flavours: raw noise, and well-framed messages (plausible headers, our sequence numbers,
NLMSG_ERROR/DONE types, ext-ack TLVs) with noise inside, which reaches much deeper into the code.
"""

import os
import struct

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyroute2.netlink import genlmsg
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError

from netlink_fixtures import Exhausted, fixture_names, load, replay_connection

# NLINK_HYPOTHESIS_EXAMPLES=20000 for a long hunt; the default keeps tests/unit quick.
SETTINGS = settings(max_examples=int(os.environ.get('NLINK_HYPOTHESIS_EXAMPLES', '300')), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
CLASSES = st.sampled_from([ifinfmsg, ifaddrmsg, genlmsg])
CAPTURED_REQUESTS = [bytes.fromhex(load(n)['request_hex']) for n in fixture_names('error_newlink')]
SEQ = 7  # the sequence number the connection under test gives its next request


def tlv(kind, payload):
    return struct.pack('=HH', 4 + len(payload), kind) + payload + b'\0' * (-len(payload) % 4)


@st.composite
def ext_ack_tlvs(draw):
    items = []
    for _round in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from([nlconn.NLMSGERR_ATTR_MSG, nlconn.NLMSGERR_ATTR_OFFS,
                                     nlconn.NLMSGERR_ATTR_MISS_TYPE, nlconn.NLMSGERR_ATTR_MISS_NEST, 4, 0x8004]))
        if kind in (nlconn.NLMSGERR_ATTR_OFFS, nlconn.NLMSGERR_ATTR_MISS_TYPE) and draw(st.booleans()):
            payload = struct.pack('=I', draw(st.integers(0, 0xFFFFFFFF)))
        else:
            payload = draw(st.binary(max_size=24))
        items.append(tlv(kind, payload))
    return b''.join(items)


@st.composite
def framed_message(draw, seqs=(SEQ,)):
    """One netlink message: a plausible header (its length right or wrong) and a payload of noise/TLVs."""
    msg_type = draw(st.sampled_from([nlconn.NLMSG_ERROR, nlconn.NLMSG_DONE, nlconn.NLMSG_NOOP,
                                     nlconn.NLMSG_OVERRUN, 16, 20, 0x10 + draw(st.integers(0, 100))]))
    flags = draw(st.sampled_from([0, nlconn.NLM_F_MULTI, nlconn.NLM_F_CAPPED, nlconn.NLM_F_ACK_TLVS,
                                  nlconn.NLM_F_CAPPED | nlconn.NLM_F_ACK_TLVS, nlconn.NLM_F_DUMP_INTR,
                                  draw(st.integers(0, 0xFFFF))]))
    seq = draw(st.sampled_from(list(seqs) + [draw(st.integers(0, 0xFFFFFFFF))]))
    if msg_type in (nlconn.NLMSG_ERROR, nlconn.NLMSG_DONE) and draw(st.booleans()):
        code = struct.pack('=i', draw(st.sampled_from([0, -1, -22, -19, -2 ** 31, 2 ** 31 - 1,
                                                       draw(st.integers(-2 ** 31, 2 ** 31 - 1))])))
        echoed = draw(st.sampled_from([b'', nlconn.NLMSGHDR.pack(16, 16, 5, seq, 0),
                                       draw(st.binary(min_size=16, max_size=40))]))
        payload = code + echoed + draw(ext_ack_tlvs())
    else:
        payload = draw(st.binary(max_size=64))
    real = nlconn.NLMSGHDR.size + len(payload)
    length = draw(st.sampled_from([real, real, 0, 15, 16, 19, real + 4, draw(st.integers(0, 0xFFFFFFFF))]))
    data = nlconn.NLMSGHDR.pack(length, msg_type, flags, seq, 0) + payload
    return data + b'\0' * (-len(data) % 4)


def datagram(seqs=(SEQ,)):
    return st.one_of(st.binary(max_size=96),
                     st.lists(framed_message(seqs), min_size=1, max_size=4).map(b''.join))


def only_netlink_errors(call):
    """Run ``call``; NetlinkError is fine, so is running out of replay (a real socket would wait)."""
    try:
        call()
    except (NetlinkError, Exhausted):
        pass


@SETTINGS
@given(data=st.binary(max_size=128), offset=st.integers(0, 160), cls=CLASSES,
       request=st.sampled_from([None] + CAPTURED_REQUESTS))
@example(data=b'', offset=0, cls=ifinfmsg, request=None)
@example(data=b'\x14\0\0\0\x02\0\0\0' + b'\0' * 8 + b'\0\0\0\x80', offset=0, cls=ifinfmsg, request=None)
def test_parse_error_on_noise(data, offset, cls, request):
    only_netlink_errors(lambda: nlconn.parse_error(data, offset, request, cls))


@SETTINGS
@given(message=framed_message(), cls=CLASSES, request=st.sampled_from([None] + CAPTURED_REQUESTS))
def test_parse_error_on_framed_messages(message, cls, request):
    only_netlink_errors(lambda: nlconn.parse_error(message, 0, request, cls))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=160), st.sampled_from(CAPTURED_REQUESTS)), offset=st.integers(-8, 200),
       cls=CLASSES)
def test_attribute_path_on_noise(data, offset, cls):
    result = []
    only_netlink_errors(lambda: result.append(nlconn.attribute_path(data, offset, cls)))
    assert not result or result[0] is None or isinstance(result[0], str)


@st.composite
def mutated_request(draw):
    """A captured request with some bytes overwritten: attribute lengths and types go wrong in nests."""
    data = bytearray(draw(st.sampled_from(CAPTURED_REQUESTS)))
    for _round in range(draw(st.integers(1, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@SETTINGS
@given(data=mutated_request(), offset=st.integers(0, 120))
def test_attribute_path_on_mutated_requests(data, offset):
    only_netlink_errors(lambda: nlconn.attribute_path(data, offset, ifinfmsg))


def request_message():
    msg = ifaddrmsg()
    msg['family'] = 2
    msg['attrs'] = [('IFA_LOCAL', '192.0.2.1')]
    return msg


@SETTINGS
@given(datagrams=st.lists(datagram(), min_size=1, max_size=3))
def test_request_reply_walk(datagrams):
    conn = replay_connection(datagrams, next_seq=SEQ)
    only_netlink_errors(lambda: conn.request(request_message(), 20))


@SETTINGS
@given(datagrams=st.lists(datagram(), min_size=1, max_size=3))
def test_request_with_replies_walk(datagrams):
    conn = replay_connection(datagrams, next_seq=SEQ)
    only_netlink_errors(lambda: conn.request(request_message(), 22, reply_class=ifaddrmsg))


@SETTINGS
@given(datagrams=st.lists(datagram(), min_size=1, max_size=3))
def test_dump_walk(datagrams):
    conn = replay_connection(datagrams, next_seq=SEQ)
    only_netlink_errors(lambda: conn.dump(ifaddrmsg(), 22, ifaddrmsg))


@SETTINGS
@given(first=st.lists(datagram(seqs=(SEQ, SEQ + 1)), max_size=3),
       after_barrier=st.lists(datagram(seqs=(SEQ, SEQ + 1, SEQ + 2)), max_size=3))
def test_bulk_walk(first, after_barrier):
    conn = replay_connection([], next_seq=SEQ, on_send={1: first, 2: after_barrier})
    only_netlink_errors(lambda: conn.bulk([(request_message(), 20, nlconn.NLM_F_CREATE),
                                           (request_message(), 20, nlconn.NLM_F_CREATE)]))

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""connection.py's codecs against requests and replies captured from a real kernel (tools/capture_fixtures.py).

What the kernel said is written here by hand (read from the replies and from `ip`), so a fixture pins
both the encoder (the request re-encodes byte for byte) and the decoder (errno, ext-ack, attribute).
"""

import errno

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError

from netlink_fixtures import (Exhausted, final_answer, fixture_names, load, rebuild_request, replay_connection,
                              request_class)

# name: (errno, ext-ack text, attribute path, missing attribute)
KERNEL_SAID = {
    'error_newlink_ifname_too_long': (errno.ERANGE, 'Attribute failed policy validation', 'IFLA_IFNAME', None),
    'error_newlink_ifname_too_long_uncapped': (errno.ERANGE, 'Attribute failed policy validation', 'IFLA_IFNAME',
                                               None),
    'error_newlink_unknown_kind': (errno.EOPNOTSUPP, 'Unknown device type', None, None),
    'error_newlink_vxlan_id_range': (errno.ERANGE, 'VXLAN ID must be lower than 16777216',
                                     'IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID', None),
    'error_newlink_veth_peer_name_too_long': (errno.ERANGE, 'Attribute failed policy validation',
                                              'IFLA_LINKINFO/IFLA_INFO_DATA/VETH_INFO_PEER/IFLA_IFNAME', None),
    'error_newaddr_missing_device_v4': (errno.ENODEV, 'ipv4: Device not found', None, None),
    'error_newaddr_missing_device_v6': (errno.ENODEV, 'ipv6: Unable to find the interface', None, None),
    'error_getaddr_dump_bad_header': (errno.EINVAL, 'ipv4: Invalid values in header for address dump request',
                                      None, None),
    'error_getlink_dump_bad_attr': (errno.EINVAL, 'Unsupported attribute in link dump request', None, None),
    'error_genl_netdev_missing_attr': (errno.EINVAL, None, None, 'type 1'),
}
DUMPS = {'error_getaddr_dump_bad_header', 'error_getlink_dump_bad_attr'}

ERRORS = fixture_names('error_')
ALL_REQUESTS = fixture_names('error_') + fixture_names('ack_')


def test_every_error_fixture_has_its_expectation_written_down():
    assert sorted(KERNEL_SAID) == ERRORS


@pytest.mark.parametrize('name', ALL_REQUESTS)
def test_request_encodes_byte_for_byte_as_captured(name):
    fixture = load(name)
    conn = replay_connection([], next_seq=fixture['request_seq'])
    data = conn.encode(rebuild_request(fixture), fixture['request_type'], fixture['request_flags'])
    assert data.hex() == fixture['request_hex']


@pytest.mark.parametrize('name', ERRORS)
def test_parse_error_reads_errno_and_ext_ack(name):
    fixture = load(name)
    datagram, offset, _type = final_answer(fixture)
    code, ext_ack, _attribute, missing = nlconn.parse_error(datagram, offset, bytes.fromhex(fixture['request_hex']),
                                                            request_class(fixture))
    want_code, want_text, _want_attribute, want_missing = KERNEL_SAID[name]
    assert (code, ext_ack, missing) == (want_code, want_text, want_missing)


@pytest.mark.parametrize('name', ERRORS)
def test_parse_error_names_the_attribute_the_kernel_points_at(name):
    fixture = load(name)
    datagram, offset, _type = final_answer(fixture)
    attribute = nlconn.parse_error(datagram, offset, bytes.fromhex(fixture['request_hex']),
                                   request_class(fixture))[2]
    assert attribute == KERNEL_SAID[name][2]


def test_uncapped_error_skips_the_echoed_request():
    capped, uncapped = load('error_newlink_ifname_too_long'), load('error_newlink_ifname_too_long_uncapped')
    results = []
    for fixture in (capped, uncapped):
        datagram, offset, _type = final_answer(fixture)
        results.append(nlconn.parse_error(datagram, offset, bytes.fromhex(fixture['request_hex']), request_class(fixture)))
    assert len(bytes.fromhex(uncapped['replies_hex'][0])) > len(bytes.fromhex(capped['replies_hex'][0]))
    assert results[0] == results[1]


def test_dump_errors_arrive_in_nlmsg_done():
    for name in DUMPS:
        assert final_answer(load(name))[2] == nlconn.NLMSG_DONE


def test_ack_parses_as_success():
    fixture = load('ack_newaddr_ok')
    datagram, offset, msg_type = final_answer(fixture)
    assert msg_type == nlconn.NLMSG_ERROR
    assert nlconn.parse_error(datagram, offset, bytes.fromhex(fixture['request_hex']),
                              request_class(fixture)) == (0, None, None, None)


def test_request_returns_on_the_captured_ack():
    fixture = load('ack_newaddr_ok')
    conn = replay_connection([bytes.fromhex(h) for h in fixture['replies_hex']], next_seq=fixture['request_seq'])
    assert conn.request(rebuild_request(fixture), fixture['request_type'], nlconn.NLM_F_CREATE | nlconn.NLM_F_EXCL) == []
    assert conn.sock.sent == [bytes.fromhex(fixture['request_hex'])]


def _replay_error(name):
    """Send the fixture's request through Connection.request/dump on a socket replaying the kernel's reply."""
    fixture = load(name)
    conn = replay_connection([bytes.fromhex(h) for h in fixture['replies_hex']], next_seq=fixture['request_seq'])
    msg = rebuild_request(fixture)
    with pytest.raises(NetlinkError) as caught:
        if name in DUMPS:
            conn.dump(msg, fixture['request_type'], request_class(fixture))
        else:
            extra = fixture['request_flags'] & ~(nlconn.NLM_F_REQUEST | nlconn.NLM_F_ACK)
            conn.request(msg, fixture['request_type'], extra)
    assert conn.sock.sent == [bytes.fromhex(fixture['request_hex'])]
    return caught.value


@pytest.mark.parametrize('name', ERRORS)
def test_connection_raises_what_the_kernel_said(name):
    error = _replay_error(name)
    assert (error.code, error.ext_ack, error.attribute, error.missing) == KERNEL_SAID[name]
    assert error.context == ('dump' if name in DUMPS else None)


@pytest.mark.parametrize('name', ERRORS)
def test_error_text_carries_errno_name_and_kernel_words(name):
    error = _replay_error(name)
    code, ext_ack, _attribute, missing = KERNEL_SAID[name]
    text = str(error)
    assert errno.errorcode[code] in text
    if ext_ack:
        assert 'kernel says: ' + ext_ack in text
    if missing:
        assert '[missing attribute %s]' % missing in text


def test_request_skips_replies_to_other_sequence_numbers():
    fixture = load('error_newaddr_missing_device_v4')
    replies = [bytes.fromhex(h) for h in fixture['replies_hex']]
    other = bytearray(replies[0])
    other[8:12] = (fixture['request_seq'] + 100).to_bytes(4, 'little')  # an unrelated, stale answer
    conn = replay_connection([bytes(other)] + replies, next_seq=fixture['request_seq'])
    with pytest.raises(NetlinkError) as caught:
        conn.request(rebuild_request(fixture), fixture['request_type'], nlconn.NLM_F_CREATE | nlconn.NLM_F_EXCL)
    assert caught.value.code == errno.ENODEV


def test_bulk_attributes_each_failure_to_its_request():
    """Two pipelined requests, the second refused: the kernel's answer lands on index 1 only."""
    fixture = load('error_newaddr_missing_device_v4')
    seq = fixture['request_seq']
    reply = bytearray(bytes.fromhex(fixture['replies_hex'][0]))
    reply[8:12] = (seq + 1).to_bytes(4, 'little')  # answer the second request of the batch
    barrier_ack = nlconn.NLMSGHDR.pack(36, nlconn.NLMSG_ERROR, nlconn.NLM_F_CAPPED, seq + 2, 0) + b'\0' * 4 + \
        nlconn.NLMSGHDR.pack(16, nlconn.NLMSG_NOOP, 5, seq + 2, 0)
    conn = replay_connection([], next_seq=seq, on_send={1: [bytes(reply)], 2: [barrier_ack]})
    requests = [(rebuild_request(fixture), fixture['request_type'], nlconn.NLM_F_CREATE),
                (rebuild_request(fixture), fixture['request_type'], nlconn.NLM_F_CREATE)]
    try:
        errors = conn.bulk(requests)
    except Exhausted:
        pytest.fail('bulk read past the barrier ACK')
    assert list(errors) == [1]
    assert errors[1].code == errno.ENODEV and errors[1].ext_ack == 'ipv4: Device not found'

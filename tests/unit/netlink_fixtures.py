# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the unit tests: captured fixtures, and a Connection on a socket that replays bytes."""

import copy
import importlib
import json
import os

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')


def load(name):
    with open(os.path.join(FIXTURES, name + '.json')) as handle:
        return json.load(handle)


def fixture_names(prefix):
    return sorted(f[:-5] for f in os.listdir(FIXTURES) if f.startswith(prefix) and f.endswith('.json'))


def request_class(fixture):
    module, name = fixture['request_class'].rsplit('.', 1)
    return getattr(importlib.import_module(module), name)


def tuples(value):
    """JSON lists back into the tuples pyroute2 wants for attributes."""
    if isinstance(value, list):
        return [tuple(tuples(v) for v in item) if isinstance(item, list) else tuples(item) for item in value]
    if isinstance(value, dict):
        return dict((k, tuples(v)) for k, v in value.items())
    return value


def rebuild_request(fixture):
    """The fixture's request as a fresh pyroute2 message (fields and attributes from the JSON)."""
    msg = request_class(fixture)()
    for key, value in fixture['request_fields'].items():
        msg[key] = value
    msg['attrs'] = copy.deepcopy(tuples(fixture['request_attrs']))
    return msg


def messages(datagram):
    """(offset, type, flags, seq) of each netlink message in a datagram."""
    offset, found = 0, []
    while offset + nlconn.NLMSGHDR.size <= len(datagram):
        length, msg_type, flags, seq, _pid = nlconn.NLMSGHDR.unpack_from(datagram, offset)
        found.append((offset, msg_type, flags, seq))
        if length < nlconn.NLMSGHDR.size:
            break
        offset += nlconn.align4(length)
    return found


def final_answer(fixture):
    """(datagram, offset, type) of the NLMSG_ERROR / NLMSG_DONE that answers the fixture's request."""
    for text in fixture['replies_hex']:
        datagram = bytes.fromhex(text)
        for offset, msg_type, _flags, seq in messages(datagram):
            if seq == fixture['request_seq'] and msg_type in (nlconn.NLMSG_ERROR, nlconn.NLMSG_DONE):
                return datagram, offset, msg_type
    raise AssertionError('fixture %s holds no answer to its request' % fixture['name'])


class Exhausted(Exception):
    """The replay ran out of datagrams where a real socket would wait for more."""


class ReplaySocket:
    """Stands in for the netlink socket: records what is sent, answers with the given datagrams.

    ``on_send`` {n: [datagrams]} queues more answers once the n-th send (1-based) has happened.
    """

    def __init__(self, datagrams, on_send=None):
        self.datagrams = [bytes(d) for d in datagrams]
        self.on_send = dict(on_send or {})
        self.sent = []
        self.blocking = True

    def send(self, data):
        self.sent.append(bytes(data))
        self.datagrams.extend(bytes(d) for d in self.on_send.pop(len(self.sent), []))
        return len(data)

    def recv_into(self, buffer, nbytes=0, flags=0):
        if not self.datagrams:
            if not self.blocking:
                raise BlockingIOError()
            raise Exhausted()
        data = self.datagrams.pop(0)
        size = min(len(data), len(buffer))
        buffer[:size] = data[:size]
        return len(data)  # MSG_TRUNC: the real length

    def setblocking(self, flag):
        self.blocking = flag

    def close(self):
        pass


def replay_connection(datagrams, next_seq=1, protocol=nlconn.NETLINK_ROUTE, on_send=None):
    """A Connection whose next request gets sequence number ``next_seq`` and reads ``datagrams``."""
    conn = nlconn.Connection.__new__(nlconn.Connection)
    conn.protocol = protocol
    conn.netns = None
    conn._seq = next_seq - 1
    conn.sock = ReplaySocket(datagrams, on_send)
    conn._buffer = bytearray(nlconn.RECV_BUFFER)
    return conn

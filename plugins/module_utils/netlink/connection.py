# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One way to talk to any netlink protocol, in any network namespace.

pyroute2 supplies the message classes (encode/decode); the socket, sequence numbers, acknowledgements,
extended acks, dump consistency and pipelining are ours, because pyroute2 gets them wrong or slow for
what the modules need (see docs/design.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ctypes
import ctypes.util
import errno
import os
import socket
import struct
from contextlib import contextmanager

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import (
    NamespaceError, NetlinkError)

NETLINK_ROUTE = 0
NETLINK_XFRM = 6
NETLINK_AUDIT = 9
NETLINK_NETFILTER = 12
NETLINK_GENERIC = 16

SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NETLINK_GET_STRICT_CHK = 12

NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSG_OVERRUN = 4
NLMSG_MIN_TYPE = 0x10

NLM_F_REQUEST = 0x01
NLM_F_MULTI = 0x02
NLM_F_ACK = 0x04
NLM_F_DUMP_INTR = 0x10
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLM_F_REPLACE = 0x100
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6

CLONE_NEWNET = 0x40000000
NETNS_RUN_DIR = '/run/netns'

NLMSGHDR = struct.Struct('=IHHII')
NLATTR = struct.Struct('=HH')
# The kernel fills a dump batch up to 32 KiB; one message never exceeds it unless a family says so.
RECV_BUFFER = 65536
# A bulk sendmsg carries this much; the kernel answers errors for it before sendmsg returns.
SEND_CHUNK = 32768
DUMP_RETRIES = 5


def align4(length):
    return (length + 3) & ~3


def netns_path(name):
    if not name or '/' in name or name in ('.', '..'):
        raise NamespaceError("invalid network namespace name %r: a name under %s is expected"
                             % (name, NETNS_RUN_DIR))
    return os.path.join(NETNS_RUN_DIR, name)


def _setns(fd):
    libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6', use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        code = ctypes.get_errno()
        raise NamespaceError('cannot enter network namespace: %s' % os.strerror(code))


@contextmanager
def netns_entered(name):
    """Run the block with this thread in network namespace ``name``; None means stay where we are.

    Sockets opened inside stay bound to that namespace after the block returns.
    """
    if not name:
        yield
        return
    path = netns_path(name)
    if not os.path.exists(path):
        raise NamespaceError("network namespace %r does not exist (no %s)" % (name, path))
    with open('/proc/self/ns/net') as home, open(path) as target:
        _setns(target.fileno())
        try:
            yield
        finally:
            _setns(home.fileno())


def attribute_path(data, offset, msg_class):
    """Name the attribute that starts at or contains ``offset`` in an encoded request.

    Walks the request's attributes with the names of pyroute2's message classes, including nests whose
    class depends on a sibling (IFLA_INFO_DATA on IFLA_INFO_KIND); unknown nests are reported by number.
    """
    path = []
    level_start, level_end, level_class = 0, len(data), msg_class
    start = NLMSGHDR.size + _header_size(msg_class)
    while start + NLATTR.size <= level_end:
        length, kind = NLATTR.unpack_from(data, start)
        if length < NLATTR.size:
            break
        if start <= offset < start + max(length, NLATTR.size):
            info = _nla_table(level_class).get(kind & 0x3fff)
            path.append(info['name'] if info else str(kind & 0x3fff))
            nested = info['class'] if info else None
            if nested is not None and not isinstance(nested, type):
                nested = _chosen(nested, level_class, data, level_start, level_end)
            if offset == start or not (nested and getattr(nested, 'nla_map', None)):
                break
            level_start, level_end, level_class = start, min(start + length, level_end), nested
            start += NLATTR.size + _header_size(nested)
            continue
        start += align4(length)
    return '/'.join(path) or None


def _header_size(cls):
    """Bytes of fixed header before a class's attributes (ifinfomsg inside VETH_INFO_PEER, say)."""
    fields = [f for f in getattr(cls, 'fields', ()) if f[0] != 'value']
    return align4(struct.calcsize('=' + ''.join(f[1] for f in fields))) if fields else 0


def _chosen(chooser, level_class, data, level_start, level_end):
    """The class pyroute2 picks for a nest from its decoded parent, or None when that fails."""
    try:
        parent = level_class(bytes(data[level_start:level_end]))
        parent.decode()
        chosen = chooser(parent)
    except Exception:  # a malformed request only costs the attribute's name
        return None
    return chosen if isinstance(chosen, type) else None


def _nla_table(cls):
    table = getattr(cls, '_nlmsg_base__t_nla_map', None)
    if table is None and getattr(cls, 'nla_map', None):
        cls().compile_nla_table()
        table = getattr(cls, '_nlmsg_base__t_nla_map', None)
    return table if isinstance(table, dict) else {}


def parse_error(data, offset, request=None, request_class=None):
    """Decode an NLMSG_ERROR (or an erroring NLMSG_DONE): errno and the extended ack."""
    if offset + NLMSGHDR.size + 4 > len(data):
        raise NetlinkError(errno.EBADMSG, 'malformed netlink reply: an error message cut short')
    length, _type, flags, _seq, _pid = NLMSGHDR.unpack_from(data, offset)
    if length < NLMSGHDR.size + 4 or offset + length > len(data):
        raise NetlinkError(errno.EBADMSG, 'malformed netlink reply: an error message of length %d' % length)
    payload = offset + NLMSGHDR.size
    code = -struct.unpack_from('=i', data, payload)[0]
    if not 0 <= code < 4096:  # MAX_ERRNO
        raise NetlinkError(errno.EBADMSG, 'malformed netlink reply: error code %d' % -code)
    tlv = payload + 4
    if _type == NLMSG_ERROR:
        original_length = NLMSGHDR.unpack_from(data, tlv)[0] if tlv + NLMSGHDR.size <= offset + length else 0
        tlv += NLMSGHDR.size if flags & NLM_F_CAPPED else align4(original_length)
    ext_ack = attribute = missing = None
    if flags & NLM_F_ACK_TLVS:
        end = offset + length
        while tlv + NLATTR.size <= end:
            alen, akind = NLATTR.unpack_from(data, tlv)
            if alen < NLATTR.size:
                break
            value = bytes(data[tlv + NLATTR.size:tlv + alen])
            if akind == NLMSGERR_ATTR_MSG:
                ext_ack = value.rstrip(b'\0').decode('utf-8', 'replace')
            elif akind == NLMSGERR_ATTR_OFFS and len(value) == 4 and request is not None:
                attribute = attribute_path(request, struct.unpack('=I', value)[0], request_class)
            elif akind == NLMSGERR_ATTR_MISS_TYPE and len(value) == 4:
                missing = 'type %d' % struct.unpack('=I', value)[0]
            tlv += align4(alen)
    return code, ext_ack, attribute, missing


class Connection:
    """A netlink socket of one protocol in one namespace, for the length of a module run."""

    def __init__(self, protocol=NETLINK_ROUTE, netns=None, groups=0):
        self.protocol = protocol
        self.netns = netns
        self._seq = 0
        with netns_entered(netns):
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, protocol)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        for option in (NETLINK_EXT_ACK, NETLINK_CAP_ACK, NETLINK_GET_STRICT_CHK):
            try:
                self.sock.setsockopt(SOL_NETLINK, option, 1)
            except OSError:
                pass  # older kernels: plain acks, unfiltered dumps
        self.sock.bind((0, groups))
        self._buffer = bytearray(RECV_BUFFER)

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def next_seq(self):
        self._seq += 1
        return self._seq

    def encode(self, msg, msg_type, flags):
        """Stamp a pyroute2 message with type, flags and a fresh sequence number; return its bytes."""
        msg['header']['type'] = msg_type
        msg['header']['flags'] = flags
        msg['header']['sequence_number'] = self.next_seq()
        msg['header']['pid'] = 0
        msg.encode()
        return bytes(msg.data)

    def _receive(self):
        """One datagram, as (buffer view, length)."""
        while True:
            try:
                size = self.sock.recv_into(self._buffer, 0, socket.MSG_TRUNC)
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                if exc.errno == errno.ENOBUFS:
                    raise NetlinkError(errno.ENOBUFS, 'receive buffer overrun: replies were lost')
                raise
            if size > len(self._buffer):
                raise NetlinkError(errno.EMSGSIZE, 'a netlink reply of %d bytes exceeds the %d-byte buffer'
                                   % (size, len(self._buffer)))
            return self._buffer, size

    def _messages(self):
        """Yield (offset, type, flags, seq, data) for every message as it arrives."""
        while True:
            data, size = self._receive()
            offset = 0
            data = memoryview(data)[:size]
            while offset + NLMSGHDR.size <= size:
                length, msg_type, flags, seq, _pid = NLMSGHDR.unpack_from(data, offset)
                if length < NLMSGHDR.size:
                    break
                if offset + length > size:
                    raise NetlinkError(errno.EBADMSG, 'malformed netlink reply: a message of %d bytes overruns '
                                       'the %d-byte datagram' % (length, size))
                yield offset, msg_type, flags, seq, data
                offset += align4(length)

    def request(self, msg, msg_type, flags=0, reply_class=None):
        """Send one request and wait for its acknowledgement; return decoded replies (NLM_F_ECHO etc.)."""
        data = self.encode(msg, msg_type, NLM_F_REQUEST | NLM_F_ACK | flags)
        seq = msg['header']['sequence_number']
        self.sock.send(data)
        replies = []
        for offset, rtype, _flags, rseq, buf in self._messages():
            if rseq != seq:
                continue
            if rtype == NLMSG_ERROR:
                code, ext_ack, attribute, missing = parse_error(buf, offset, data, type(msg))
                if code:
                    raise NetlinkError(code, ext_ack, attribute, missing)
                return replies
            if reply_class is not None:
                length = NLMSGHDR.unpack_from(buf, offset)[0]
                replies.append(self._decode(reply_class, bytes(buf[offset:offset + length])))

    @staticmethod
    def _decode(reply_class, data):
        reply = reply_class(data)
        try:
            reply.decode()
        except Exception as exc:  # pyroute2's decoders raise anything on malformed input
            raise NetlinkError(errno.EBADMSG, 'malformed netlink reply: cannot decode %s: %s'
                               % (reply_class.__name__, exc))
        return reply

    def dump(self, msg, msg_type, reply_class, flags=0):
        """All objects of a dump request, decoded; the request's fields/attributes are kernel-side filters.

        A dump the kernel marks inconsistent (NLM_F_DUMP_INTR: the table changed while it was read) is
        read again; an error the kernel puts in NLMSG_DONE is raised.
        """
        for _attempt in range(DUMP_RETRIES):
            replies, interrupted = self._dump_once(msg, msg_type, reply_class, flags)
            if not interrupted:
                return replies
        raise NetlinkError(errno.EAGAIN, 'the dump stayed inconsistent after %d attempts' % DUMP_RETRIES)

    def _dump_once(self, msg, msg_type, reply_class, flags):
        """One dump. The loop is _messages and _decode inline: it runs once per object (100,000s of routes)."""
        data = self.encode(msg, msg_type, NLM_F_REQUEST | NLM_F_DUMP | flags)
        seq = msg['header']['sequence_number']
        self.sock.send(data)
        replies, interrupted = [], False
        unpack, header_size = NLMSGHDR.unpack_from, NLMSGHDR.size
        while True:
            received, size = self._receive()
            buf = memoryview(received)[:size]
            offset = 0
            while offset + header_size <= size:
                length, rtype, rflags, rseq, _pid = unpack(buf, offset)
                if length < header_size:
                    break
                if offset + length > size:
                    raise NetlinkError(errno.EBADMSG, 'malformed netlink reply: a message of %d bytes overruns '
                                       'the %d-byte datagram' % (length, size))
                if rseq == seq:
                    if rflags & NLM_F_DUMP_INTR:
                        interrupted = True
                    if rtype == NLMSG_DONE or rtype == NLMSG_ERROR:
                        code, ext_ack, attribute, missing = parse_error(buf, offset, data, type(msg)) \
                            if length >= header_size + 4 else (0, None, None, None)
                        if code:
                            raise NetlinkError(code, ext_ack, attribute, missing, context='dump')
                        return replies, interrupted
                    if rtype >= NLMSG_MIN_TYPE:
                        replies.append(self._decode(reply_class, bytes(buf[offset:offset + length])))
                offset += (length + 3) & ~3

    def bulk(self, requests):
        """Send many requests pipelined; return the errors as {index: NetlinkError}.

        ``requests`` is a list of (message, type, flags). No request asks for an ACK; the kernel answers
        only failures, each carrying its request's sequence number. An ACKed no-op closes the batch, so
        once it is answered every failure has arrived.
        """
        by_seq, errors = {}, {}
        chunk = bytearray()
        pack = NLMSGHDR.pack
        for index, (msg, msg_type, flags) in enumerate(requests):
            body = getattr(msg, 'body', None)
            if body.__class__ is bytes:  # encoded already (rtnl.EncodedMessage): only the header to write
                self._seq += 1
                data = pack(NLMSGHDR.size + len(body), msg_type, NLM_F_REQUEST | flags, self._seq, 0) + body
                by_seq[self._seq] = (index, data, msg.__class__)
            else:
                data = self.encode(msg, msg_type, NLM_F_REQUEST | flags)
                by_seq[msg['header']['sequence_number']] = (index, data, type(msg))
            if len(chunk) + len(data) > SEND_CHUNK and chunk:
                self._send_chunk(chunk, by_seq, errors)
                chunk = bytearray()
            chunk += data
        if chunk:
            self._send_chunk(chunk, by_seq, errors)
        barrier = NLMSGHDR.pack(NLMSGHDR.size, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, self.next_seq(), 0)
        self.sock.send(barrier)
        self._collect_errors(by_seq, errors, until=self._seq)
        return errors

    def _send_chunk(self, chunk, by_seq, errors):
        self.sock.send(chunk)
        self._collect_errors(by_seq, errors, until=None)

    def _collect_errors(self, by_seq, errors, until):
        """Read failures already queued (until=None) or up to the barrier's ACK (until=its seq)."""
        if until is None:
            self.sock.setblocking(False)
        try:
            for offset, rtype, _flags, rseq, buf in self._messages():
                if rseq == until:
                    return
                if rtype == NLMSG_ERROR and rseq in by_seq:
                    index, data, msg_class = by_seq[rseq]
                    code, ext_ack, attribute, missing = parse_error(buf, offset, data, msg_class)
                    if code:
                        errors[index] = NetlinkError(code, ext_ack, attribute, missing)
        except (BlockingIOError, InterruptedError):
            return
        finally:
            self.sock.setblocking(True)

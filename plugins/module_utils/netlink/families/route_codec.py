# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Route messages (RTM_NEWROUTE/DELROUTE/GETROUTE) with struct, for route sets of 100,000 and more.

pyroute2 decodes a 100k-route dump in ~10 s and encodes a request in ~44 us; this codec reads only the
attributes nl_route manages (the rest is skipped), and writes a request from a template encoded once for
routes alike but for their destination (tests/perf/route_scale.py measures both).
Names and numbers come from linux/rtnetlink.h, lwtunnel.h, seg6*.h, mpls_iptunnel.h and rt-route.yaml.

``decode_route`` is total: on any bytes it returns a route or raises NetlinkError (EBADMSG).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import socket
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError

RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE = 24, 25, 26
AF_INET, AF_INET6 = socket.AF_INET, socket.AF_INET6
NLM_F_DUMP_FILTERED = 0x20

NLMSGHDR = struct.Struct('=IHHII')
RTMSG = struct.Struct('=BBBBBBBBI')
NLA = struct.Struct('=HH')
RTNH = struct.Struct('=HBBi')
U8, U16, U32, I32 = struct.Struct('=B'), struct.Struct('=H'), struct.Struct('=I'), struct.Struct('=i')
BE32 = struct.Struct('>I')
SRH = struct.Struct('=BBBBBBH')
NLA_TYPE_MASK = 0x3fff
NLA_F_NESTED = 0x8000
BODY = NLMSGHDR.size + RTMSG.size

RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC, RTA_METRICS, RTA_MULTIPATH = 1, 4, 5, 6, 7, 8, 9
RTA_TABLE, RTA_PREF, RTA_ENCAP_TYPE, RTA_ENCAP, RTA_NH_ID = 15, 20, 21, 22, 30
RT_TABLE_COMPAT = 252
RTNH_F_ONLINK = 4

TABLES = {'default': 253, 'main': 254, 'local': 255}  # RT_TABLE_*
PROTOCOLS = rtnl.PROTOCOLS
PREFS = {'low': 3, 'medium': 0, 'high': 1}  # ICMPV6_ROUTER_PREF_* (RTA_PREF)
TYPES = ('unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable',
         'prohibit', 'throw', 'nat', 'xresolve')
# RTAX_*: metric name -> attribute number (lock is the bitmask of locked ones)
METRICS = {'lock': 1, 'mtu': 2, 'window': 3, 'rtt': 4, 'rttvar': 5, 'ssthresh': 6, 'cwnd': 7, 'advmss': 8,
           'reordering': 9, 'hoplimit': 10, 'initcwnd': 11, 'features': 12, 'rto_min': 13, 'initrwnd': 14,
           'quickack': 15, 'congctl': 16, 'fastopen_no_cookie': 17}
RTAX_CC_ALGO = 16

ENCAP_MPLS, ENCAP_SEG6, ENCAP_SEG6_LOCAL = 1, 5, 7
ENCAP_NAMES = {1: 'mpls', 2: 'ip', 3: 'ila', 4: 'ip6', 5: 'seg6', 6: 'bpf', 7: 'seg6local', 8: 'rpl', 9: 'ioam6',
               10: 'xfrm'}
SEG6_IPTUNNEL_SRH = 1
SEG6_MODES = ('inline', 'encap', 'l2encap', 'encap.red', 'l2encap.red')
SRH_TYPE = 4
# SEG6_LOCAL_*: parameter -> attribute number; nh4/nh6 are addresses, iif/oif ifindexes, segs an SRH
SEG6_LOCAL = {'action': 1, 'srh': 2, 'table': 3, 'nh4': 4, 'nh6': 5, 'iif': 6, 'oif': 7, 'vrftable': 9}
SEG6_LOCAL_NAMES = dict((v, k) for k, v in SEG6_LOCAL.items())
SEG6_ACTIONS = ('unspec', 'End', 'End.X', 'End.T', 'End.DX2', 'End.DX6', 'End.DX4', 'End.DT6', 'End.DT4',
                'End.B6', 'End.B6.Encaps', 'End.BM', 'End.S', 'End.AS', 'End.AM', 'End.BPF', 'End.DT46')
MPLS_IPTUNNEL_DST, MPLS_IPTUNNEL_TTL = 1, 2
MPLS_LABEL_BOS = 0x100


def bad(what):
    return NetlinkError(errno.EBADMSG, 'malformed route message: %s' % what)


def address(payload):
    """An address of either family by its length, as inet_ntop writes it."""
    if len(payload) == 4:
        return socket.inet_ntop(AF_INET, payload)
    if len(payload) == 16:
        return socket.inet_ntop(AF_INET6, payload)
    raise bad('an address of %d bytes' % len(payload))


def attributes(data, start, end):
    """(type, payload start, payload end) of each attribute between start and end."""
    found = []
    while start + 4 <= end:
        length, kind = NLA.unpack_from(data, start)
        if length < 4 or start + length > end:
            raise bad('an attribute of length %d at offset %d' % (length, start))
        found.append((kind & NLA_TYPE_MASK, start + 4, start + length))
        start += (length + 3) & ~3
    return found


def u32(data, start, end):
    if end - start < 4:
        raise bad('a 4-byte attribute of %d bytes' % (end - start))
    return U32.unpack_from(data, start)[0]


# -- reading --------------------------------------------------------------------------------------

def decode_route(data):
    """One RTM_NEWROUTE message (header included) as a dict of what nl_route reads.

    Keys: nl_flags, family, dst_len, tos, table, protocol, scope, type, flags, dst, oif, gateway,
    priority, prefsrc, metrics {RTAX number: value}, multipath [{flags, hops, oif, gateway}], pref,
    encap (a dict) and nhid; absent attributes are None.
    """
    try:
        return _decode_route(data)
    except (struct.error, ValueError, IndexError, UnicodeDecodeError) as exc:
        raise bad(str(exc))


def _decode_route(data):
    size = len(data)
    if size < BODY:
        raise bad('%d bytes, shorter than a route header' % size)
    length, _type, nl_flags, _seq, _pid = NLMSGHDR.unpack_from(data, 0)
    if length < BODY or length > size:
        raise bad('a message length of %d in %d bytes' % (length, size))
    family, dst_len, _src_len, tos, table, protocol, scope, rtype, flags = RTMSG.unpack_from(data, NLMSGHDR.size)
    route = {'nl_flags': nl_flags, 'family': family, 'dst_len': dst_len, 'tos': tos, 'table': table,
             'protocol': protocol, 'scope': scope, 'type': rtype, 'flags': flags, 'dst': None, 'oif': None,
             'gateway': None, 'priority': None, 'prefsrc': None, 'metrics': None, 'multipath': None,
             'pref': None, 'encap': None, 'nhid': None}
    encap_type = encap = None
    start = BODY
    while start + 4 <= length:
        alen, kind = NLA.unpack_from(data, start)
        if alen < 4 or start + alen > length:
            raise bad('an attribute of length %d at offset %d' % (alen, start))
        kind &= NLA_TYPE_MASK
        first, end = start + 4, start + alen
        if kind == RTA_DST:
            route['dst'] = address(data[first:end])
        elif kind == RTA_GATEWAY:
            route['gateway'] = address(data[first:end])
        elif kind == RTA_OIF:
            route['oif'] = u32(data, first, end)
        elif kind == RTA_TABLE:
            route['table'] = u32(data, first, end)
        elif kind == RTA_PRIORITY:
            route['priority'] = u32(data, first, end)
        elif kind == RTA_PREFSRC:
            route['prefsrc'] = address(data[first:end])
        elif kind == RTA_METRICS:
            route['metrics'] = decode_metrics(data, first, end)
        elif kind == RTA_MULTIPATH:
            route['multipath'] = decode_multipath(data, first, end)
        elif kind == RTA_PREF:
            if end - first < 1:
                raise bad('an empty RTA_PREF')
            route['pref'] = data[first]
        elif kind == RTA_ENCAP_TYPE:
            if end - first < 2:
                raise bad('a short RTA_ENCAP_TYPE')
            encap_type = U16.unpack_from(data, first)[0]
        elif kind == RTA_ENCAP:
            encap = (first, end)
        elif kind == RTA_NH_ID:
            route['nhid'] = u32(data, first, end)
        start += (alen + 3) & ~3
    if encap_type is not None:
        route['encap'] = decode_encap(encap_type, data, *(encap or (0, 0)))
    return route


def decode_metrics(data, start, end):
    metrics = {}
    for kind, first, last in attributes(data, start, end):
        if kind == RTAX_CC_ALGO:
            metrics[kind] = bytes(data[first:last]).split(b'\0', 1)[0].decode('ascii', 'replace')
        else:
            metrics[kind] = u32(data, first, last)
    return metrics


def decode_multipath(data, start, end):
    hops = []
    while start + RTNH.size <= end:
        length, flags, hop_count, oif = RTNH.unpack_from(data, start)
        if length < RTNH.size or start + length > end:
            raise bad('a nexthop of length %d' % length)
        hop = {'flags': flags, 'hops': hop_count, 'oif': oif, 'gateway': None}
        for kind, first, last in attributes(data, start + RTNH.size, start + length):
            if kind == RTA_GATEWAY:
                hop['gateway'] = address(data[first:last])
        hops.append(hop)
        start += (length + 3) & ~3
    return hops


def decode_srh(data, start, end):
    """The segments of an IPv6 segment routing header, in travel order (as iproute2 prints them)."""
    if end - start < SRH.size:
        raise bad('a segment routing header of %d bytes' % (end - start))
    _nexthdr, _hdrlen, _type, _left, first_segment, _flags, _tag = SRH.unpack_from(data, start)
    base = start + SRH.size
    if base + 16 * (first_segment + 1) > end:
        raise bad('a segment routing header shorter than its %d segments' % (first_segment + 1))
    return [socket.inet_ntop(AF_INET6, data[base + 16 * i:base + 16 * i + 16]) for i in range(first_segment, -1, -1)]


def decode_encap(encap_type, data, start, end):
    """RTA_ENCAP of the given type as a dict; types nl_route does not manage keep only their name."""
    encap = {'type': ENCAP_NAMES.get(encap_type, str(encap_type))}
    if encap_type == ENCAP_SEG6:
        for kind, first, last in attributes(data, start, end):
            if kind == SEG6_IPTUNNEL_SRH:
                if last - first < 4:
                    raise bad('a short SEG6_IPTUNNEL_SRH')
                mode = I32.unpack_from(data, first)[0]
                encap['mode'] = SEG6_MODES[mode] if 0 <= mode < len(SEG6_MODES) else str(mode)
                encap['segs'] = decode_srh(data, first + 4, last)
    elif encap_type == ENCAP_SEG6_LOCAL:
        for kind, first, last in attributes(data, start, end):
            name = SEG6_LOCAL_NAMES.get(kind)
            if name == 'action':
                action = u32(data, first, last)
                encap['action'] = SEG6_ACTIONS[action] if action < len(SEG6_ACTIONS) else str(action)
            elif name == 'srh':
                encap['segs'] = decode_srh(data, first, last)
            elif name in ('nh4', 'nh6'):
                encap[name] = address(data[first:last])
            elif name is not None:
                encap[name] = u32(data, first, last)
    elif encap_type == ENCAP_MPLS:
        for kind, first, last in attributes(data, start, end):
            if kind == MPLS_IPTUNNEL_DST:
                encap['labels'] = [BE32.unpack_from(data, i)[0] >> 12 for i in range(first, last - 3, 4)]
            elif kind == MPLS_IPTUNNEL_TTL and last > first:
                encap['ttl'] = data[first]
    return encap


# Where the kernel's dumps put RTA_TABLE and RTA_DST (first and second, right after the rtmsg)
TABLE_AT, DST_AT = BODY, BODY + 8
TABLE_HEADER = NLA.pack(8, RTA_TABLE)
DST_HEADERS = {NLA.pack(8, RTA_DST): (AF_INET, 4), NLA.pack(20, RTA_DST): (AF_INET6, 16)}


def shape_of(data):
    """(shape, dst address text) of a dumped route: the shape is the message without its header's sequence
    number and port and without the destination address, so routes alike but for dst have one shape.
    (None, None) when RTA_TABLE and RTA_DST do not come first (a default route has no RTA_DST)."""
    if len(data) < DST_AT + 8 or data[TABLE_AT:TABLE_AT + 4] != TABLE_HEADER:
        return None, None
    known = DST_HEADERS.get(data[DST_AT:DST_AT + 4])
    if known is None or len(data) < DST_AT + 4 + known[1]:
        return None, None
    end = DST_AT + 4 + known[1]
    return data[4:8] + data[NLMSGHDR.size:DST_AT + 4] + data[end:], socket.inet_ntop(known[0], data[DST_AT + 4:end])


class RawReply:
    """A reply class for Connection.dump that keeps the bytes (the reader decodes by shape_of)."""

    __slots__ = ('data',)

    def __init__(self, data):
        self.data = data

    def decode(self):
        """Nothing: the bytes are read later."""


class RouteReply:
    """A reply class for Connection.dump: decoded with decode_route, not pyroute2."""

    __slots__ = ('data', 'route')

    def __init__(self, data):
        self.data = data
        self.route = None

    def decode(self):
        self.route = decode_route(self.data)


# -- writing --------------------------------------------------------------------------------------

def nla(kind, payload):
    return NLA.pack(4 + len(payload), kind) + payload + b'\0' * (-len(payload) % 4)


def nla_u32(kind, value):
    return NLA.pack(8, kind) + U32.pack(value)


def packed(text):
    """An address as bytes, of the family its text says."""
    return socket.inet_pton(AF_INET6 if ':' in text else AF_INET, text)


def encode_srh(segs, reserve_first):
    """An SRH as iproute2 writes it: segments reversed; inline mode reserves segment 0 for the destination."""
    addresses = [packed(s) for s in segs] + ([b'\0' * 16] if reserve_first else [])
    last = len(addresses) - 1
    return SRH.pack(0, 2 * len(addresses), SRH_TYPE, last, last, 0, 0) + b''.join(reversed(addresses))


def encode_encap(encap, ifindex):
    """(encap type, RTA_ENCAP payload) of an encap dict; ``ifindex`` maps a device name to its index."""
    kind = encap['type']
    if kind == 'seg6':
        mode = encap.get('mode') or 'encap'
        srh = I32.pack(SEG6_MODES.index(mode)) + encode_srh(encap['segs'], mode == 'inline')
        return ENCAP_SEG6, nla(SEG6_IPTUNNEL_SRH, srh)
    if kind == 'seg6local':
        parts = [nla_u32(SEG6_LOCAL['action'], SEG6_ACTIONS.index(encap['action']))]
        if encap.get('segs'):
            parts.append(nla(SEG6_LOCAL['srh'], encode_srh(encap['segs'], False)))
        for name in ('table', 'vrftable'):
            if encap.get(name) is not None:
                parts.append(nla_u32(SEG6_LOCAL[name], encap[name]))
        for name in ('nh4', 'nh6'):
            if encap.get(name):
                parts.append(nla(SEG6_LOCAL[name], packed(encap[name])))
        for name in ('iif', 'oif'):
            if encap.get(name):
                parts.append(nla_u32(SEG6_LOCAL[name], ifindex(encap[name])))
        return ENCAP_SEG6_LOCAL, b''.join(parts)
    labels = encap['labels']
    stack = b''.join(BE32.pack(label << 12 | (MPLS_LABEL_BOS if i == len(labels) - 1 else 0))
                     for i, label in enumerate(labels))
    parts = [nla(MPLS_IPTUNNEL_DST, stack)]
    if encap.get('ttl') is not None:
        parts.append(nla(MPLS_IPTUNNEL_TTL, U8.pack(encap['ttl'])))
    return ENCAP_MPLS, b''.join(parts)


def encode_route(family, dst, dst_len, table, tos=0, protocol=0, scope=0, rtype=0, flags=0, priority=None,
                 gateway=None, oif=None, prefsrc=None, metrics=None, multipath=None, pref=None, encap=None,
                 nhid=None):
    """The body (rtmsg and attributes) of a route request, in the order iproute2 writes them.

    Addresses are bytes; ``metrics`` {RTAX number: value}; ``multipath`` [(flags, hops, oif, gateway bytes)];
    ``encap`` (type, payload).
    """
    parts = [RTMSG.pack(family, dst_len, 0, tos, table if table < 256 else RT_TABLE_COMPAT, protocol, scope,
                        rtype, flags)]
    if dst is not None:
        parts.append(nla(RTA_DST, dst))
    if priority is not None:
        parts.append(nla_u32(RTA_PRIORITY, priority))
    if table >= 256:
        parts.append(nla_u32(RTA_TABLE, table))
    if prefsrc is not None:
        parts.append(nla(RTA_PREFSRC, prefsrc))
    if gateway is not None:
        parts.append(nla(RTA_GATEWAY, gateway))
    if nhid is not None:
        parts.append(nla_u32(RTA_NH_ID, nhid))
    if encap is not None:
        parts.append(NLA.pack(6, RTA_ENCAP_TYPE) + U16.pack(encap[0]) + b'\0\0')
        parts.append(nla(RTA_ENCAP | NLA_F_NESTED, encap[1]))
    if metrics:
        parts.append(nla(RTA_METRICS | NLA_F_NESTED, b''.join(
            nla(kind, value.encode() + b'\0') if kind == RTAX_CC_ALGO else nla_u32(kind, value)
            for kind, value in sorted(metrics.items()))))
    if multipath:
        hops = []
        for hop_flags, hop_count, hop_oif, hop_gateway in multipath:
            attrs = nla(RTA_GATEWAY, hop_gateway) if hop_gateway is not None else b''
            hops.append(RTNH.pack(RTNH.size + len(attrs), hop_flags, hop_count, hop_oif) + attrs)
        parts.append(nla(RTA_MULTIPATH, b''.join(hops)))
    if oif is not None:
        parts.append(nla_u32(RTA_OIF, oif))
    if pref is not None:
        parts.append(NLA.pack(5, RTA_PREF) + U8.pack(pref) + b'\0\0\0')
    return b''.join(parts)


class RouteTemplate:
    """A route request encoded once and patched per destination: a bulk set is mostly alike but for dst.

    ``fields`` are encode_route's arguments but dst and dst_len (RTA_DST comes right after the rtmsg).
    """

    __slots__ = ('head', 'middle', 'rest')

    def __init__(self, family, **fields):
        size = 4 if family == AF_INET else 16
        body = encode_route(family, b'\0' * size, 0, **fields)
        self.head, self.middle = body[:1], body[2:RTMSG.size + NLA.size]
        self.rest = body[RTMSG.size + NLA.size + size:]

    def body(self, dst, dst_len):
        return b''.join((self.head, BYTES[dst_len], self.middle, dst, self.rest))


BYTES = [bytes((number,)) for number in range(256)]  # dst_len as a byte, without a pack per route


def encode_dump(family, table=0, protocol=0, oif=None):
    """The body of a route dump request whose fields and attributes the kernel filters by (strict check)."""
    parts = [RTMSG.pack(family, 0, 0, 0, table if table < 256 else RT_TABLE_COMPAT, protocol, 0, 0, 0)]
    if table:
        parts.append(nla_u32(RTA_TABLE, table))
    if oif:
        parts.append(nla_u32(RTA_OIF, oif))
    return b''.join(parts)


def _names(names, nested=None):
    """A class naming attributes the way Connection.attribute_path reads pyroute2's (to name the one an
    error points at)."""
    table = dict((number, {'name': name, 'class': (nested or {}).get(number)}) for number, name in names.items())
    return type('Attributes', (), {'nla_map': True, '_nlmsg_base__t_nla_map': table})


_METRICS_ATTRS = _names(dict((n, 'RTAX_' + name.upper()) for name, n in METRICS.items()))
_ROUTE_ATTRS = _names({1: 'RTA_DST', 2: 'RTA_SRC', 3: 'RTA_IIF', 4: 'RTA_OIF', 5: 'RTA_GATEWAY', 6: 'RTA_PRIORITY',
                       7: 'RTA_PREFSRC', 8: 'RTA_METRICS', 9: 'RTA_MULTIPATH', 15: 'RTA_TABLE', 20: 'RTA_PREF',
                       21: 'RTA_ENCAP_TYPE', 22: 'RTA_ENCAP', 30: 'RTA_NH_ID'}, {8: _METRICS_ATTRS})


class RouteMessage(rtnl.EncodedMessage):
    """An encoded route request (rtnl.EncodedMessage) naming the rtmsg fields and route attributes a kernel
    error points at."""

    __slots__ = ()
    fields = (('family', 'B'), ('dst_len', 'B'), ('src_len', 'B'), ('tos', 'B'), ('table', 'B'),
              ('proto', 'B'), ('scope', 'B'), ('type', 'B'), ('flags', 'I'))
    nla_map = True
    _nlmsg_base__t_nla_map = _ROUTE_ATTRS._nlmsg_base__t_nla_map

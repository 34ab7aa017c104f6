# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""rtnetlink facts shared by the NETLINK_ROUTE resources (values from linux/rtnetlink.h, if_addr.h)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK = 16, 17, 18, 19
RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR = 20, 21, 22
RTM_NEWLINKPROP, RTM_DELLINKPROP = 108, 109

AF_UNSPEC, AF_INET, AF_INET6 = 0, 2, 10
FAMILY_NAMES = {AF_INET: 'inet', AF_INET6: 'inet6'}

# RTPROT_*, named as iproute2 names them (its rt_protos; it has no name for 17, mrouted): others stay numbers
PROTOCOLS = {'unspec': 0, 'redirect': 1, 'kernel': 2, 'boot': 3, 'static': 4, 'gated': 8, 'ra': 9, 'mrt': 10,
             'zebra': 11, 'bird': 12, 'dnrouted': 13, 'xorp': 14, 'ntk': 15, 'dhcp': 16, 'keepalived': 18,
             'babel': 42, 'openr': 99, 'bgp': 186, 'isis': 187, 'ospf': 188, 'rip': 189, 'eigrp': 192}
PROTOCOL_NAMES = dict((v, k) for k, v in PROTOCOLS.items())

# rt_scope_t
SCOPES = {'global': 0, 'site': 200, 'link': 253, 'host': 254, 'nowhere': 255}
SCOPE_NAMES = dict((v, k) for k, v in SCOPES.items())


def scope_number(value, option='scope'):
    """A scope by name or number, as the kernel wants it."""
    if isinstance(value, int) or str(value).isdigit():
        number = int(value)
        if 0 <= number <= 255:
            return number
    elif value in SCOPES:
        return SCOPES[value]
    raise ValidationError('%s: %r is not a scope; use one of %s or a number 0-255'
                          % (option, value, ', '.join(sorted(SCOPES))))


def scope_name(number):
    return SCOPE_NAMES.get(number, str(number))


NLMSGHDR = struct.Struct('=IHHII')
IFINFOMSG = struct.Struct('=BxHiII')
NLA = struct.Struct('=HH')
IFLA_IFNAME, IFLA_EXT_MASK = 3, 29
LINK_DUMP = IFINFOMSG.pack(AF_UNSPEC, 0, 0, 0, 0) + NLA.pack(8, IFLA_EXT_MASK) + struct.pack('=I', 0)


class LinkReply:
    """A link of a dump as (ifindex, name), read with struct: decoding with pyroute2's ifinfmsg would import
    pyroute2 (~0.1-0.3 s) into every module that only needs device names."""

    __slots__ = ('data', 'index', 'name')

    def __init__(self, data):
        self.data = data
        self.index = self.name = None

    def decode(self):
        data, offset = self.data, 16 + IFINFOMSG.size  # nlmsghdr, ifinfomsg
        self.index = IFINFOMSG.unpack_from(data, 16)[2]
        while offset + NLA.size <= len(data):
            length, kind = NLA.unpack_from(data, offset)
            if length < NLA.size:
                break
            if kind & 0x3fff == IFLA_IFNAME:
                self.name = bytes(data[offset + NLA.size:offset + length]).split(b'\0', 1)[0].decode()
                return
            offset += (length + 3) & ~3


class EncodedMessage:
    """A request whose body (family header and attributes) is encoded already, taken by Connection.request,
    dump and bulk like a pyroute2 message: Connection stamps the header (type, flags, sequence number) and
    calls encode(); a subclass's ``fields`` (and attribute table) let it name what a kernel error points at."""

    __slots__ = ('body', 'header', 'data')
    fields = ()

    def __init__(self, body):
        self.body = body
        self.header = {'pid': 0}
        self.data = b''

    def __getitem__(self, key):
        if key != 'header':
            raise KeyError(key)
        return self.header

    def encode(self):
        header = self.header
        self.data = NLMSGHDR.pack(NLMSGHDR.size + len(self.body), header['type'], header['flags'],
                                  header['sequence_number'], header['pid']) + self.body


class LinkDump(EncodedMessage):
    """The RTM_GETLINK dump request."""

    __slots__ = ()
    fields = (('family', 'B'), ('__pad', 'x'), ('ifi_type', 'H'), ('index', 'i'), ('flags', 'I'), ('change', 'I'))

    def __init__(self):
        EncodedMessage.__init__(self, LINK_DUMP)


def link_indexes(conn):
    """{name: ifindex} of the links in the connection's namespace."""
    return dict((reply.name, reply.index) for reply in conn.dump(LinkDump(), RTM_GETLINK, LinkReply))

# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""rtnetlink facts shared by the NETLINK_ROUTE resources (values from linux/rtnetlink.h, if_addr.h)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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


def link_indexes(conn):
    """{name: ifindex} of the links in the connection's namespace."""
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
    request = ifinfmsg()
    request['attrs'] = [('IFLA_EXT_MASK', 0)]
    return dict((msg.get_attr('IFLA_IFNAME'), msg['index']) for msg in conn.dump(request, RTM_GETLINK, ifinfmsg))

#!/usr/bin/env python
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Capture netlink requests and the running kernel's replies as unit-test fixtures.

    sudo /work/venv/bin/python tools/capture_fixtures.py [--out tests/unit/fixtures]

Everything happens in a fresh network namespace (nlt-capture-<random>) that is removed at the end; the
host's network is never touched. Each request is encoded by the collection's own Connection (so the
request bytes are exactly what the modules send) and the kernel's reply datagrams are saved as hex,
with the request's fields and attributes in JSON so the unit tests can rebuild and re-encode it.

Fixtures written:
  error_*.json      one refused request each: request_hex + replies_hex (tests/unit/test_codecs.py)
  address_dump.json what Address.gather() sent and received, and `ip -j address show` of the same
                    state (tests/unit/test_address.py)
"""

from __future__ import absolute_import, division, print_function

import argparse
import copy
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _collection_on_path():
    """Make ``ansible_collections.nlink.netlink`` importable from this checkout (a symlink farm)."""
    farm = os.path.join(tempfile.gettempdir(), 'nlink-netlink-tools-%d' % os.getuid())
    parent = os.path.join(farm, 'ansible_collections', 'nlink')
    link = os.path.join(parent, 'netlink')
    os.makedirs(parent, exist_ok=True)
    if os.path.realpath(link) != os.path.realpath(ROOT):
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(ROOT, link)
    sys.path.insert(0, farm)


_collection_on_path()

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn  # noqa: E402
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl  # noqa: E402
from pyroute2.netlink import ctrlmsg, genlmsg  # noqa: E402
from pyroute2.netlink.generic import GENL_ID_CTRL  # noqa: E402
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg  # noqa: E402
from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg  # noqa: E402

RTM_NEWLINK, RTM_GETLINK, RTM_NEWADDR, RTM_GETADDR = 16, 18, 20, 22
CREATE = nlconn.NLM_F_REQUEST | nlconn.NLM_F_ACK | nlconn.NLM_F_CREATE | nlconn.NLM_F_EXCL
DUMP = nlconn.NLM_F_REQUEST | nlconn.NLM_F_DUMP


def request(name, description, equivalent, cls, msg_type, flags, fields=None, attrs=None, setup=(),
            cap_ack=True, protocol=nlconn.NETLINK_ROUTE, genl_family=None):
    return dict(name=name, description=description, equivalent=equivalent, cls=cls, msg_type=msg_type,
                flags=flags, fields=fields or {}, attrs=attrs or [], setup=list(setup), cap_ack=cap_ack,
                protocol=protocol, genl_family=genl_family)


BRIDGE_TOO_LONG = [('IFLA_IFNAME', 'x' * 20), ('IFLA_LINKINFO', {'attrs': [('IFLA_INFO_KIND', 'bridge')]})]

ERROR_REQUESTS = [
    request('error_newlink_ifname_too_long',
            'RTM_NEWLINK whose IFLA_IFNAME exceeds IFNAMSIZ: policy validation points at IFLA_IFNAME',
            'ip link add xxxxxxxxxxxxxxxxxxxx type bridge',
            ifinfmsg, RTM_NEWLINK, CREATE, attrs=BRIDGE_TOO_LONG),
    request('error_newlink_ifname_too_long_uncapped',
            'the same without NETLINK_CAP_ACK: the reply echoes the whole request before the ext-ack TLVs',
            'ip link add xxxxxxxxxxxxxxxxxxxx type bridge',
            ifinfmsg, RTM_NEWLINK, CREATE, attrs=BRIDGE_TOO_LONG, cap_ack=False),
    request('error_newlink_unknown_kind',
            'RTM_NEWLINK of a link kind no driver provides',
            'ip link add nlt0 type nltnosuchkind',
            ifinfmsg, RTM_NEWLINK, CREATE,
            attrs=[('IFLA_IFNAME', 'nlt0'), ('IFLA_LINKINFO', {'attrs': [('IFLA_INFO_KIND', 'nltnosuchkind')]})]),
    request('error_newlink_vxlan_id_range',
            'RTM_NEWLINK vxlan with IFLA_VXLAN_ID >= 2^24: the kernel points at the nested IFLA_VXLAN_ID',
            'ip link add vx0 type vxlan id 16777216 dstport 4789',
            ifinfmsg, RTM_NEWLINK, CREATE,
            attrs=[('IFLA_IFNAME', 'vx0'),
                   ('IFLA_LINKINFO', {'attrs': [('IFLA_INFO_KIND', 'vxlan'),
                                                ('IFLA_INFO_DATA', {'attrs': [('IFLA_VXLAN_ID', 1 << 24),
                                                                              ('IFLA_VXLAN_PORT', 4789)]})]})]),
    request('error_newlink_veth_peer_name_too_long',
            'RTM_NEWLINK veth whose peer name is too long: the kernel points inside VETH_INFO_PEER, whose '
            'payload starts with an ifinfomsg header',
            'ip link add v0 type veth peer name xxxxxxxxxxxxxxxxxxxx',
            ifinfmsg, RTM_NEWLINK, CREATE,
            attrs=[('IFLA_IFNAME', 'v0'),
                   ('IFLA_LINKINFO', {'attrs': [('IFLA_INFO_KIND', 'veth'),
                                                ('IFLA_INFO_DATA', {'attrs': [
                                                    ('VETH_INFO_PEER', {'attrs': [('IFLA_IFNAME', 'y' * 20)]})]})]})]),
    request('error_newaddr_missing_device_v4',
            'RTM_NEWADDR (IPv4) on an ifindex that does not exist',
            'ip address add 192.0.2.1/24 dev <missing>',
            ifaddrmsg, RTM_NEWADDR, CREATE, {'family': 2, 'prefixlen': 24, 'index': 99999},
            [('IFA_LOCAL', '192.0.2.1'), ('IFA_ADDRESS', '192.0.2.1')]),
    request('error_newaddr_missing_device_v6',
            'RTM_NEWADDR (IPv6) on an ifindex that does not exist',
            'ip address add 2001:db8::1/64 dev <missing>',
            ifaddrmsg, RTM_NEWADDR, CREATE, {'family': 10, 'prefixlen': 64, 'index': 99999},
            [('IFA_LOCAL', '2001:db8::1'), ('IFA_ADDRESS', '2001:db8::1')]),
    request('error_getaddr_dump_bad_header',
            'RTM_GETADDR dump under NETLINK_GET_STRICT_CHK with a prefixlen filter the kernel does not support; '
            'the error comes in NLMSG_DONE',
            None, ifaddrmsg, RTM_GETADDR, DUMP, {'family': 2, 'prefixlen': 8}),
    request('error_getlink_dump_bad_attr',
            'RTM_GETLINK dump under NETLINK_GET_STRICT_CHK with an attribute that is not a link dump filter',
            None, ifinfmsg, RTM_GETLINK, DUMP, attrs=[('IFLA_MTU', 1500)]),
    request('error_genl_netdev_missing_attr',
            'generic netlink "netdev" NETDEV_CMD_DEV_GET without NETDEV_A_DEV_IFINDEX: the kernel names the '
            'missing attribute (NLMSGERR_ATTR_MISS_TYPE)',
            None, genlmsg, 'netdev', nlconn.NLM_F_REQUEST | nlconn.NLM_F_ACK, {'cmd': 1, 'version': 1},
            protocol=nlconn.NETLINK_GENERIC, genl_family='netdev'),
    request('ack_newaddr_ok',
            'a successful RTM_NEWADDR: an ACK (error code 0), capped',
            'ip address add 192.0.2.1/24 dev v0',
            ifaddrmsg, RTM_NEWADDR, CREATE, {'family': 2, 'prefixlen': 24, 'index': 'v0'},
            [('IFA_LOCAL', '192.0.2.1'), ('IFA_ADDRESS', '192.0.2.1')], setup=['link add v0 type veth peer name v1']),
]

ADDRESS_SETUP = [
    'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
    'link set v0 up',
    'address add 192.0.2.1/24 dev v0',
    'address add 192.0.2.2/24 broadcast 192.0.2.255 label v0:sec dev v0',
    'address add 198.51.100.1 peer 198.51.100.2/32 dev v0',
    'address add 203.0.113.1/24 dev v0 valid_lft 3000 preferred_lft 2000 metric 7',
    'address add 2001:db8::1/64 dev v0 nodad',
    'address add 2001:db8:1::1/64 dev v0 nodad noprefixroute',
    'address add 10.9.0.1/16 dev v1 scope link',
]


def ip(netns, *commands):
    subprocess.run(['ip', '-n', netns, '-batch', '-'], input='\n'.join(commands) + '\n', text=True,
                   check=True)


def jsonable(value):
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return dict((k, jsonable(v)) for k, v in value.items())
    return value


def receive_all(sock, seq):
    """Datagrams up to the request's final answer (its ACK/error, or the dump's DONE/error)."""
    datagrams = []
    while True:
        data = sock.recv(nlconn.RECV_BUFFER)
        datagrams.append(data)
        offset = 0
        while offset + nlconn.NLMSGHDR.size <= len(data):
            length, msg_type, _flags, rseq, _pid = nlconn.NLMSGHDR.unpack_from(data, offset)
            if rseq == seq and msg_type in (nlconn.NLMSG_ERROR, nlconn.NLMSG_DONE):
                return datagrams
            if length < nlconn.NLMSGHDR.size:
                break
            offset += nlconn.align4(length)


def genl_family_id(conn, name):
    msg = ctrlmsg()
    msg['cmd'] = 3  # CTRL_CMD_GETFAMILY
    msg['version'] = 1
    msg['attrs'] = [('CTRL_ATTR_FAMILY_NAME', name)]
    return conn.request(msg, GENL_ID_CTRL, 0, reply_class=ctrlmsg)[0].get_attr('CTRL_ATTR_FAMILY_ID')


def capture_error(netns, spec):
    if spec['setup']:
        ip(netns, *spec['setup'])
    conn = nlconn.Connection(spec['protocol'], netns)
    try:
        if not spec['cap_ack']:
            conn.sock.setsockopt(nlconn.SOL_NETLINK, nlconn.NETLINK_CAP_ACK, 0)
        msg_type = spec['msg_type']
        if spec['genl_family']:
            msg_type = genl_family_id(conn, spec['genl_family'])
        fields = dict(spec['fields'])
        if fields.get('index') == 'v0':
            fields['index'] = rtnl.link_indexes(conn)['v0']
        msg = spec['cls']()
        for key, value in fields.items():
            msg[key] = value
        msg['attrs'] = copy.deepcopy(spec['attrs'])  # pyroute2 turns the list into nla slots in place
        data = conn.encode(msg, msg_type, spec['flags'])
        conn.sock.send(data)
        replies = receive_all(conn.sock, msg['header']['sequence_number'])
    finally:
        conn.close()
    return {
        'name': spec['name'],
        'description': spec['description'],
        'iproute2_equivalent': spec['equivalent'],
        'kernel': platform.release(),
        'protocol': spec['protocol'],
        'cap_ack': spec['cap_ack'],
        'request_class': '%s.%s' % (spec['cls'].__module__, spec['cls'].__name__),
        'request_type': msg_type,
        'request_flags': spec['flags'],
        'request_seq': msg['header']['sequence_number'],
        'request_fields': fields,
        'request_attrs': jsonable(spec['attrs']),
        'request_hex': data.hex(),
        'replies_hex': [bytes(d).hex() for d in replies],
    }


class Recorder:
    """Wraps a Connection's socket: keeps every datagram sent and received."""

    def __init__(self, sock):
        self.sock, self.sent, self.received = sock, [], []

    def send(self, data):
        self.sent.append(bytes(data))
        return self.sock.send(data)

    def recv_into(self, buffer, nbytes=0, flags=0):
        size = self.sock.recv_into(buffer, nbytes, flags)
        self.received.append(bytes(buffer[:size]))
        return size

    def __getattr__(self, name):
        return getattr(self.sock, name)


def capture_address_dump(netns):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import Address
    ip(netns, *ADDRESS_SETUP)
    gathers = []
    for scope in ({'dev': None}, {'dev': 'v0'}):
        conn = nlconn.Connection(nlconn.NETLINK_ROUTE, netns)
        try:
            conn.sock = Recorder(conn.sock)
            Address(conn, scope, netns).gather()
            gathers.append({'scope': scope, 'sent_hex': [d.hex() for d in conn.sock.sent],
                            'received_hex': [d.hex() for d in conn.sock.received]})
        finally:
            conn.close()
    shown = subprocess.run(['ip', '-n', netns, '-j', 'address', 'show'], capture_output=True, text=True,
                           check=True).stdout
    return {
        'name': 'address_dump',
        'description': 'Address.gather() in a namespace holding the setup addresses, all devices and one, '
                       'with every datagram sent and received; and `ip -j address show` of the same state '
                       '(finite lifetimes may have counted down by a second between them)',
        'kernel': platform.release(),
        'setup': ADDRESS_SETUP,
        'gathers': gathers,
        'ip_json': json.loads(shown),
    }


def write(out, fixture):
    path = os.path.join(out, fixture['name'] + '.json')
    with open(path, 'w') as handle:
        json.dump(fixture, handle, indent=1, sort_keys=True)
        handle.write('\n')
    print('wrote', os.path.relpath(path, ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--out', default=os.path.join(ROOT, 'tests', 'unit', 'fixtures'))
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit('capture_fixtures: needs root (it creates a network namespace)')
    os.makedirs(args.out, exist_ok=True)
    for spec in ERROR_REQUESTS:
        netns = 'nlt-capture-' + uuid.uuid4().hex[:8]
        subprocess.run(['ip', 'netns', 'add', netns], check=True)
        try:
            write(args.out, capture_error(netns, spec))
        finally:
            subprocess.run(['ip', 'netns', 'del', netns], check=True)
    netns = 'nlt-capture-' + uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', netns], check=True)
    try:
        write(args.out, capture_address_dump(netns))
    finally:
        subprocess.run(['ip', 'netns', 'del', netns], check=True)


if __name__ == '__main__':
    socket.setdefaulttimeout(10)
    main()

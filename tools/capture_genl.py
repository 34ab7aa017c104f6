#!/usr/bin/env python
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Capture generic netlink requests and the running kernel's replies for tests/unit/test_genl_gen.py.

    sudo /work/venv/bin/python tools/capture_genl.py [--out tests/unit/fixtures/genl/captured.json]

Works in a fresh network namespace (nlt-genl-<random>, a veth pair inside) that is removed at the end;
the host's network is never touched. Each request is encoded by plugins/module_utils/netlink/genl.py
from the values stored beside it; every reply message the kernel sent for it is saved as hex.
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import platform
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# importing capture_fixtures puts this checkout on sys.path as ansible_collections.nlink.netlink
import capture_fixtures  # noqa: E402,F401  pylint: disable=unused-import

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn  # noqa: E402
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import genl  # noqa: E402
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen import (  # noqa: E402
    ethtool, mptcp_pm, nlctrl)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, 'tests', 'unit', 'fixtures', 'genl', 'captured.json')
FAMILIES = {'nlctrl': nlctrl, 'ethtool': ethtool, 'mptcp_pm': mptcp_pm}

# (name, family, op, do|dump, values, equivalent command)
REQUESTS = [
    ('nlctrl_getfamily_ethtool', 'nlctrl', 'getfamily', 'do', {'family-name': 'ethtool'}, 'genl ctrl get name ethtool'),
    ('nlctrl_getfamily_mptcp', 'nlctrl', 'getfamily', 'do', {'family-name': 'mptcp_pm'}, 'genl ctrl get name mptcp_pm'),
    ('ethtool_channels_get', 'ethtool', 'channels-get', 'do', {'header': {'dev-name': 'v0'}}, 'ethtool -l v0'),
    ('ethtool_linkstate_get', 'ethtool', 'linkstate-get', 'do', {'header': {'dev-name': 'v0'}}, 'ethtool v0'),
    ('ethtool_features_get', 'ethtool', 'features-get', 'do',
     {'header': {'dev-name': 'v0', 'flags': ['compact-bitsets']}}, 'ethtool -k v0'),
    ('mptcp_add_addr', 'mptcp_pm', 'add-addr', 'do',
     {'addr': {'family': 2, 'id': 3, 'addr4': 0xC0000201, 'flags': 3, 'if-idx': 0}},
     'ip mptcp endpoint add 192.0.2.1 id 3 signal subflow'),
    ('mptcp_add_addr6', 'mptcp_pm', 'add-addr', 'do',
     {'addr': {'family': 10, 'id': 4, 'addr6': '20010db8000000000000000000000001', 'port': 8080, 'flags': 1}},
     'ip mptcp endpoint add 2001:db8::1 port 8080 id 4 signal'),
    ('mptcp_add_addr_dev', 'mptcp_pm', 'add-addr', 'do',
     {'addr': {'family': 2, 'id': 5, 'addr4': 0xC6336401, 'flags': 14, 'if-idx': 2}},
     'ip mptcp endpoint add 198.51.100.1 dev v0 id 5 subflow backup fullmesh'),
    ('mptcp_set_limits', 'mptcp_pm', 'set-limits', 'do', {'rcv-add-addrs': 4, 'subflows': 3},
     'ip mptcp limits set add_addr_accepted 4 subflows 3'),
    ('mptcp_get_limits', 'mptcp_pm', 'get-limits', 'do', {}, 'ip mptcp limits show'),
    ('mptcp_get_addr_dump', 'mptcp_pm', 'get-addr', 'dump', {}, 'ip mptcp endpoint show'),
]


def python_values(values):
    """The JSON form with addr6 as hex made into bytes (JSON has no bytes)."""
    out = {}
    for key, value in values.items():
        if isinstance(value, dict):
            value = python_values(value)
        elif key == 'addr6':
            value = bytes.fromhex(value)
        out[key] = value
    return out


class Recording(nlconn.Connection):
    """A Connection that keeps every datagram it receives."""

    def __init__(self, *args, **kwargs):
        nlconn.Connection.__init__(self, *args, **kwargs)
        self.datagrams = []

    def _receive(self):
        data, size = nlconn.Connection._receive(self)
        self.datagrams.append(bytes(data[:size]))
        return data, size


def messages_for(datagrams, seq):
    """[(type, hex)] of the messages with sequence number ``seq``."""
    out = []
    for datagram in datagrams:
        offset = 0
        while offset + nlconn.NLMSGHDR.size <= len(datagram):
            length, msg_type, _flags, mseq, _pid = nlconn.NLMSGHDR.unpack_from(datagram, offset)
            if length < nlconn.NLMSGHDR.size:
                break
            if mseq == seq:
                out.append((msg_type, datagram[offset:offset + length].hex()))
            offset += nlconn.align4(length)
    return out


def capture(netns):
    fixtures = []
    with Recording(nlconn.NETLINK_GENERIC, netns) as conn:
        for name, family, op, mode, values, equivalent in REQUESTS:
            client = genl.Genl(conn, FAMILIES[family])
            client.resolve()
            msg, msg_type, _flags = client.request(op, python_values(values))
            flags = nlconn.NLM_F_REQUEST | (nlconn.NLM_F_DUMP if mode == 'dump' else nlconn.NLM_F_ACK)
            data = conn.encode(msg, msg_type, flags)
            conn.datagrams = []
            conn.sock.send(data)
            seq = msg['header']['sequence_number']
            replies = []
            while not any(kind in (nlconn.NLMSG_ERROR, nlconn.NLMSG_DONE) for kind, _hex in replies):
                conn._receive()
                replies = messages_for(conn.datagrams, seq)
            fixtures.append({'name': name, 'family': family, 'op': op, 'mode': mode, 'values': values,
                             'equivalent': equivalent, 'family_id': msg_type,
                             'request_hex': data.hex(), 'replies_hex': [text for _kind, text in replies]})
    return fixtures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    args = parser.parse_args()
    netns = 'nlt-genl-%s' % uuid.uuid4().hex[:8]
    subprocess.check_call(['ip', 'netns', 'add', netns])
    try:
        subprocess.check_call(['ip', '-n', netns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'])
        # a signal endpoint with a port listens on its address: the address must exist
        subprocess.check_call(['ip', '-n', netns, 'address', 'add', '192.0.2.1/24', 'dev', 'v0'])
        subprocess.check_call(['ip', '-n', netns, 'address', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'])
        fixtures = capture(netns)
    finally:
        subprocess.call(['ip', 'netns', 'del', netns])
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w') as handle:
        json.dump({'kernel': platform.release(), 'captures': fixtures}, handle, indent=1)  # values keep their order
        handle.write('\n')
    print('wrote %d captures to %s' % (len(fixtures), args.out))


if __name__ == '__main__':
    main()

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_mptcp (cases.py joins them to the table).

Endpoints and limits are per network namespace, so each case's fresh namespace starts with none and the
kernel's default limits. `ip -j mptcp limits show` prints text, not JSON (iproute2 6.1): the limits are
read back through a one-line Python filter of `ip mptcp limits show`, run inside the namespace.
"""

from harness import Case, ErrorCase, Purge

NEEDS = {'genl_family': 'mptcp_pm'}
VETH = ['ip link add v0 type veth peer name v1', 'ip link set v0 up']
ENDPOINTS = 'ip -j mptcp endpoint show'
LIMITS = ('python3 -c "import json, subprocess; w = subprocess.check_output([\'ip\', \'mptcp\', \'limits\', '
          '\'show\'], text=True).split(); print(json.dumps(dict(zip(w[::2], map(int, w[1::2])))))"')

CASES = [
    Case('endpoints-and-limits', 'nl_mptcp', needs=NEEDS, setup=VETH,
         apply={'endpoints': [{'address': '192.0.2.1', 'flags': ['signal']},
                              {'address': '198.51.100.1', 'dev': 'v0', 'id': 7, 'flags': ['subflow', 'backup']},
                              {'address': '2001:db8::1', 'flags': ['subflow', 'fullmesh']}],
                'limits': {'subflows': 3, 'add_addr_accepted': 2}},
         change={'endpoints': [{'address': '198.51.100.1', 'dev': 'v0', 'id': 7, 'flags': ['subflow']}],
                 'limits': {'subflows': 4}},
         readback=[ENDPOINTS, LIMITS],
         expect={ENDPOINTS: [{'address': '192.0.2.1', 'signal': True},
                             {'address': '198.51.100.1', 'id': 7, 'subflow': True, 'backup': True, 'dev': 'v0'},
                             {'address': '2001:db8::1', 'subflow': True, 'fullmesh': True}],
                 LIMITS: {'subflows': 3, 'add_addr_accepted': 2}},
         purge=Purge(setup=['ip mptcp endpoint add 203.0.113.1 id 20 signal',
                            'ip mptcp endpoint add 203.0.113.2 id 21 subflow'],
                     args={'state': 'overridden', 'endpoints': [{'address': '203.0.113.2', 'flags': ['subflow']}]},
                     survives={ENDPOINTS: [{'address': '203.0.113.2', 'id': 21, 'subflow': True}]},
                     removed={ENDPOINTS: [{'address': '192.0.2.1'}, {'address': '198.51.100.1'},
                                          {'address': '2001:db8::1'}, {'address': '203.0.113.1'}]}),
         notes='backup and fullmesh change in place (`ip mptcp endpoint change`)'),
    Case('signal-port-recreated', 'nl_mptcp', needs=NEEDS,
         # a signal endpoint with a port listens on its address: the address must be configured
         setup=VETH + ['ip address add 192.0.2.1/24 dev v0', 'ip address add 2001:db8::1/64 dev v0 nodad'],
         apply={'endpoints': [{'address': '192.0.2.1', 'port': 8080, 'id': 3, 'flags': ['signal']},
                              {'address': '2001:db8::1', 'port': 8443, 'flags': ['signal']}]},
         change={'state': 'replaced',
                 'endpoints': [{'address': '192.0.2.1', 'port': 8080, 'id': 9, 'flags': ['signal', 'backup']},
                               {'address': '2001:db8::1', 'port': 8443, 'flags': ['signal', 'backup']}]},
         readback=[ENDPOINTS],
         expect={ENDPOINTS: [{'address': '192.0.2.1', 'port': 8080, 'id': 3, 'signal': True},
                             {'address': '2001:db8::1', 'port': 8443, 'signal': True}]},
         notes='a new id means delete + add; backup changes in place'),
    Case('limits-only', 'nl_mptcp', needs=NEEDS,
         apply={'limits': {'add_addr_accepted': 8}},
         change={'limits': {'add_addr_accepted': 0, 'subflows': 0}},
         readback=[LIMITS],
         expect={LIMITS: {'add_addr_accepted': 8, 'subflows': 2}}),
]

ERROR_CASES = [
    ErrorCase('fullmesh-with-signal', 'nl_mptcp', phase='validation', needs=NEEDS,
              args={'endpoints': [{'address': '192.0.2.1', 'flags': ['signal', 'fullmesh']}]},
              msg_contains=['endpoints[0]', 'fullmesh and signal exclude each other']),
    ErrorCase('port-without-signal', 'nl_mptcp', phase='validation', needs=NEEDS,
              args={'endpoints': [{'address': '192.0.2.1', 'port': 80, 'flags': ['subflow']}]},
              msg_contains=['port', 'signal flag']),
    ErrorCase('unknown-device', 'nl_mptcp', phase='validation', needs=NEEDS,
              args={'endpoints': [{'address': '192.0.2.1', 'dev': 'nope0', 'flags': ['subflow']}]},
              msg_contains=['dev: no device nope0']),
    ErrorCase('not-an-address', 'nl_mptcp', phase='validation', needs=NEEDS,
              args={'endpoints': [{'address': '192.0.2.0/24'}]},
              msg_contains=["'192.0.2.0/24' is not an IPv4 or IPv6 address"]),
    ErrorCase('limit-too-high', 'nl_mptcp', phase='validation', needs=NEEDS,
              args={'limits': {'subflows': 9}},
              msg_contains=['limits.subflows: 9 is out of range (0-8)']),
    ErrorCase('duplicate-id', 'nl_mptcp', needs=NEEDS, setup=['ip mptcp endpoint add 192.0.2.1 id 3 signal'],
              args={'endpoints': [{'address': '192.0.2.2', 'id': 3, 'flags': ['signal']}]},
              msg_contains=['192.0.2.2', 'EBUSY', 'too many addresses or duplicate one']),
]

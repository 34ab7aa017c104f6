# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_route's conformance cases (imported into cases.py).

Setups follow cases.py: v0 is up, its peer v1 down (no carrier: IPv4 routes via v0 show `linkdown`, IPv6
stays still). v0 carries 192.0.2.1/24 and 2001:db8::1/64, so gateways in them are valid. Nexthop objects
need a carrier: that case turns IPv6 off in its namespace and brings v1 up.
"""

import json
import os
import subprocess
import sys

from harness import BulkCase, Case, ErrorCase, Purge

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
ADDRESSED = VETH + ['ip address add 192.0.2.1/24 dev v0', 'ip address add 2001:db8::1/64 dev v0 nodad']
MAIN4 = 'ip -j -d route show table main'
MAIN6 = 'ip -j -d -6 route show table main'
T100 = 'ip -j -d route show table 100'
T100_6 = 'ip -j -d -6 route show table 100'
LOCAL4 = 'ip -j -d route show table local'
LOCAL6 = 'ip -j -d -6 route show table local'
NEXTHOPS = 'ip -j nexthop show'
# iproute2 6.1 prints an MPLS encap's labels under "dst" too, after the route's own dst, and plain JSON keeps
# the last: this readback (ip_json below) keeps both, the encap's as "encap_dst"
MAIN4_ENCAP = '%s %s ip -d route show table main' % (sys.executable, os.path.abspath(__file__))


def routes(command, *subsets):
    return {command: list(subsets)}


def gone(command, *dsts):
    """A check that none of ``dsts`` is in ``command``'s readback."""
    def check(readback, raw):
        present = set(route['dst'] for route in raw[command])
        assert not present & set(dsts), 'still present: %s' % sorted(present & set(dsts))
    return check


CASES = [
    Case('ipv4-gateway', 'nl_route', setup=ADDRESSED,
         apply={'dst': '198.51.100.0/24', 'gateway': '192.0.2.2'},
         change={'dst': '198.51.100.0/24', 'gateway': '192.0.2.3'},
         readback=[MAIN4],
         expect=routes(MAIN4, {'dst': '198.51.100.0/24', 'gateway': '192.0.2.2', 'dev': 'v0', 'protocol': 'static',
                               'scope': 'global'},
                       {'dst': '192.0.2.0/24', 'protocol': 'kernel'})),
    Case('ipv6-gateway-pref', 'nl_route', setup=ADDRESSED,
         apply={'dst': '2001:db8:100::/64', 'gateway': '2001:db8::2'},
         change={'dst': '2001:db8:100::/64', 'gateway': '2001:db8::2', 'pref': 'high'},
         readback=[MAIN6],
         expect=routes(MAIN6, {'dst': '2001:db8:100::/64', 'gateway': '2001:db8::2', 'metric': 1024,
                               'pref': 'medium', 'protocol': 'static'})),
    Case('default-routes', 'nl_route', setup=ADDRESSED,
         apply={'config': [{'dst': 'default', 'gateway': '192.0.2.254'},
                           {'dst': 'default', 'gateway': '2001:db8::fe'}]},
         change={'config': [{'dst': '0.0.0.0/0', 'gateway': '192.0.2.253'}]},
         readback=[MAIN4, MAIN6],
         expect=dict(routes(MAIN4, {'dst': 'default', 'gateway': '192.0.2.254'}),
                     **routes(MAIN6, {'dst': 'default', 'gateway': '2001:db8::fe'})),
         notes="'default' is 0.0.0.0/0 or ::/0 by the gateway's family"),
    Case('table-100-metric', 'nl_route', setup=ADDRESSED,
         apply={'table': '100', 'config': [{'dst': '10.10.0.0/16', 'gateway': '192.0.2.2', 'metric': 10},
                                           {'dst': '10.10.0.0/16', 'gateway': '192.0.2.3', 'metric': 20},
                                           {'dst': '2001:db8:10::/48', 'gateway': '2001:db8::2', 'metric': 5}]},
         change={'table': '100', 'config': [{'dst': '10.10.0.0/16', 'gateway': '192.0.2.4', 'metric': 20}]},
         readback=[T100, T100_6, MAIN4],
         expect=dict(routes(T100, {'dst': '10.10.0.0/16', 'gateway': '192.0.2.2', 'metric': 10},
                            {'dst': '10.10.0.0/16', 'gateway': '192.0.2.3', 'metric': 20}),
                     **routes(T100_6, {'dst': '2001:db8:10::/48', 'metric': 5})),
         check=gone(MAIN4, '10.10.0.0/16'),
         notes='the metric is part of the identity: the same prefix twice, in table 100 only'),
    Case('reject-types', 'nl_route', setup=ADDRESSED,
         apply={'config': [{'dst': '10.20.0.0/24', 'type': 'blackhole'},
                           {'dst': '10.21.0.0/24', 'type': 'unreachable'},
                           {'dst': '10.22.0.0/24', 'type': 'prohibit'},
                           {'dst': '2001:db8:20::/48', 'type': 'blackhole'},
                           {'dst': '2001:db8:21::/48', 'type': 'unreachable'}]},
         change={'config': [{'dst': '10.20.0.0/24', 'type': 'unreachable'},
                            {'dst': '2001:db8:21::/48', 'type': 'prohibit'}]},
         readback=[MAIN4, MAIN6],
         expect=dict(routes(MAIN4, {'dst': '10.20.0.0/24', 'type': 'blackhole'},
                            {'dst': '10.21.0.0/24', 'type': 'unreachable'},
                            {'dst': '10.22.0.0/24', 'type': 'prohibit'}),
                     **routes(MAIN6, {'dst': '2001:db8:20::/48', 'type': 'blackhole'},
                              {'dst': '2001:db8:21::/48', 'type': 'unreachable'})),
         notes='a type change replaces the route in place (the type is not part of the identity)'),
    Case('multipath-weights', 'nl_route', setup=ADDRESSED,
         apply={'config': [{'dst': '10.30.0.0/24', 'nexthops': [{'gateway': '192.0.2.3', 'weight': 3},
                                                                {'gateway': '192.0.2.2', 'weight': 2}]},
                           {'dst': '2001:db8:30::/48', 'nexthops': [{'gateway': '2001:db8::2'},
                                                                    {'gateway': '2001:db8::3', 'weight': 5}]}]},
         change={'config': [{'dst': '10.30.0.0/24', 'nexthops': [{'gateway': '192.0.2.2', 'weight': 1},
                                                                 {'gateway': '192.0.2.3', 'weight': 1}]}]},
         readback=[MAIN4, MAIN6],
         expect=dict(routes(MAIN4, {'dst': '10.30.0.0/24', 'nexthops': [{'gateway': '192.0.2.2', 'weight': 2},
                                                                        {'gateway': '192.0.2.3', 'weight': 3}]}),
                     **routes(MAIN6, {'dst': '2001:db8:30::/48', 'nexthops': [
                         {'gateway': '2001:db8::2', 'weight': 1}, {'gateway': '2001:db8::3', 'weight': 5}]})),
         notes='next hops compare in any order (given 3-then-2, read back 2-then-3)'),
    Case('another-way', 'nl_route', setup=ADDRESSED,
         apply={'config': [{'dst': '10.160.0.0/24', 'gateway': '192.0.2.2'},
                           {'dst': '10.161.0.0/24', 'gateway': '192.0.2.2'},
                           {'dst': '2001:db8:160::/48', 'type': 'blackhole'}]},
         change={'config': [{'dst': '10.160.0.0/24', 'nexthops': [{'gateway': '192.0.2.2'}, {'gateway': '192.0.2.3'}]},
                            {'dst': '10.161.0.0/24', 'type': 'blackhole'},
                            {'dst': '2001:db8:160::/48', 'gateway': '2001:db8::2'}]},
         readback=[MAIN4, MAIN6],
         expect=dict(routes(MAIN4, {'dst': '10.160.0.0/24', 'gateway': '192.0.2.2'},
                            {'dst': '10.161.0.0/24', 'gateway': '192.0.2.2'}),
                     **routes(MAIN6, {'dst': '2001:db8:160::/48', 'type': 'blackhole'})),
         notes='gateway to multipath, unicast to blackhole, blackhole to gateway: each one replace'),
    Case('metrics', 'nl_route', setup=ADDRESSED,
         apply={'dst': '10.40.0.0/24', 'gateway': '192.0.2.2',
                'metrics': {'mtu': 1400, 'advmss': 1360, 'rtt': 100, 'lock': ['mtu']}},
         change={'dst': '10.40.0.0/24', 'gateway': '192.0.2.2', 'metrics': {'mtu': 1300, 'advmss': 1260}},
         readback=[MAIN4],
         expect=routes(MAIN4, {'dst': '10.40.0.0/24', 'metrics': [{'mtu': 1400, 'advmss': 1360, 'rtt': 100}]})),
    Case('seg6-encap', 'nl_route', setup=ADDRESSED,
         apply={'dev': 'v0', 'config': [
             {'dst': '2001:db8:50::/48', 'encap': {'type': 'seg6', 'mode': 'encap',
                                                   'segs': ['2001:db8::a', '2001:db8::b']}},
             {'dst': '2001:db8:51::/48', 'encap': {'type': 'seg6', 'mode': 'inline', 'segs': ['2001:db8::c']}},
             {'dst': '10.50.0.0/24', 'encap': {'type': 'seg6', 'segs': ['2001:db8::d']}}]},
         change={'dev': 'v0', 'config': [
             {'dst': '2001:db8:50::/48', 'encap': {'type': 'seg6', 'mode': 'encap', 'segs': ['2001:db8::e']}}]},
         readback=[MAIN6, MAIN4],
         expect=dict(routes(MAIN6, {'dst': '2001:db8:50::/48', 'encap': 'seg6', 'mode': 'encap',
                                    'segs': ['2001:db8::a', '2001:db8::b']},
                            {'dst': '2001:db8:51::/48', 'encap': 'seg6', 'mode': 'inline'}),
                     **routes(MAIN4, {'dst': '10.50.0.0/24', 'encap': 'seg6', 'segs': ['2001:db8::d']}))),
    Case('seg6local', 'nl_route', setup=ADDRESSED,
         apply={'dst': '2001:db8:60::1/128', 'dev': 'v0', 'encap': {'type': 'seg6local', 'action': 'End'}},
         change={'dst': '2001:db8:60::1/128', 'dev': 'v0',
                 'encap': {'type': 'seg6local', 'action': 'End.X', 'nh6': '2001:db8::2'}},
         readback=[MAIN6],
         expect=routes(MAIN6, {'dst': '2001:db8:60::1', 'encap': 'seg6local', 'action': 'End'})),
    Case('nhid', 'nl_route',
         setup=['sysctl -qw net.ipv6.conf.all.disable_ipv6=1', 'sysctl -qw net.ipv6.conf.default.disable_ipv6=1']
         + VETH + ['ip link set v1 up', 'ip address add 192.0.2.1/24 dev v0',
                   'ip nexthop add id 10 via 192.0.2.2 dev v0', 'ip nexthop add id 11 via 192.0.2.3 dev v0'],
         apply={'dst': '10.70.0.0/24', 'nhid': 10},
         change={'dst': '10.70.0.0/24', 'nhid': 11},
         readback=[MAIN4],
         expect=routes(MAIN4, {'dst': '10.70.0.0/24', 'nhid': 10, 'gateway': '192.0.2.2'}),
         notes='the kernel also reports the nexthop object\'s gateway (nexthop_compat_mode); it is not compared'),
    Case('onlink-prefsrc', 'nl_route', setup=ADDRESSED + ['ip address add 192.0.2.9/24 dev v0'],
         apply={'config': [{'dst': '10.80.0.0/24', 'gateway': '10.99.0.1', 'dev': 'v0', 'onlink': True},
                           {'dst': '10.81.0.0/24', 'dev': 'v0', 'prefsrc': '192.0.2.1'}]},
         change={'config': [{'dst': '10.81.0.0/24', 'dev': 'v0', 'prefsrc': '192.0.2.9'}]},
         readback=[MAIN4],
         expect=routes(MAIN4, {'dst': '10.80.0.0/24', 'gateway': '10.99.0.1', 'flags': ['onlink', 'linkdown']},
                       {'dst': '10.81.0.0/24', 'prefsrc': '192.0.2.1', 'scope': 'link'})),
    Case('replaced-resets', 'nl_route',
         setup=ADDRESSED + ['ip route add 10.90.0.0/24 via 192.0.2.2 mtu 1400 proto boot'],
         apply={'dst': '10.90.0.0/24', 'gateway': '192.0.2.2', 'state': 'replaced'},
         change={'dst': '10.90.0.0/24', 'gateway': '192.0.2.2', 'state': 'replaced', 'metrics': {'advmss': 1000}},
         readback=[MAIN4],
         expect=routes(MAIN4, {'dst': '10.90.0.0/24', 'gateway': '192.0.2.2', 'protocol': 'static'}),
         check=lambda readback, raw: _no_metrics(raw[MAIN4], '10.90.0.0/24')),
    Case('deleted', 'nl_route',
         setup=ADDRESSED + ['ip route add 10.100.0.0/24 via 192.0.2.2', 'ip route add 10.101.0.0/24 via 192.0.2.2'],
         apply={'dst': '10.100.0.0/24', 'state': 'deleted'},
         change={'dst': '10.101.0.0/24', 'state': 'absent'},
         readback=[MAIN4],
         expect=routes(MAIN4, {'dst': '10.101.0.0/24'}),
         check=gone(MAIN4, '10.100.0.0/24')),
    Case('overridden-table-100', 'nl_route',
         setup=ADDRESSED + ['ip route add 10.110.0.0/24 via 192.0.2.2 table 100',
                            'ip route add blackhole 10.111.0.0/24 table 100',
                            'ip route add 10.112.0.0/24 via 192.0.2.2'],
         apply={'table': '100', 'state': 'overridden',
                'config': [{'dst': '10.110.0.0/24', 'gateway': '192.0.2.2', 'protocol': 'boot'},
                           {'dst': '10.113.0.0/24', 'type': 'unreachable'}]},
         change={'table': '100', 'state': 'overridden', 'config': [{'dst': '10.113.0.0/24', 'type': 'unreachable'}]},
         readback=[T100, MAIN4],
         expect=dict(routes(T100, {'dst': '10.110.0.0/24'}, {'dst': '10.113.0.0/24', 'type': 'unreachable'}),
                     **routes(MAIN4, {'dst': '10.112.0.0/24'})),
         check=gone(T100, '10.111.0.0/24'),
         purge=Purge(
             setup=['ip route add 10.114.0.0/24 via 192.0.2.3 table 100',
                    'ip route add 2001:db8:114::/64 via 2001:db8::2 table 100',
                    'ip route add 10.115.0.0/24 via 192.0.2.3 table 200',
                    'ip route add 10.116.0.0/24 via 192.0.2.3 proto static'],
             args={'table': '100', 'state': 'overridden', 'config': [{'dst': '10.117.0.0/24', 'gateway': '192.0.2.2'}]},
             survives={T100: [{'dst': '10.117.0.0/24'}],
                       'ip -j route show table 200': [{'dst': '10.115.0.0/24'}],
                       MAIN4: [{'dst': '10.112.0.0/24'}, {'dst': '10.116.0.0/24'},
                               {'dst': '192.0.2.0/24', 'protocol': 'kernel'}],
                       LOCAL4: [{'dst': '192.0.2.1', 'type': 'local'}]},
             removed={T100: [{'dst': '10.110.0.0/24'}, {'dst': '10.111.0.0/24'}, {'dst': '10.114.0.0/24'}],
                      T100_6: [{'dst': '2001:db8:114::/64'}]})),
    Case('overridden-main-keeps-kernel-routes', 'nl_route',
         setup=ADDRESSED + ['ip route add 10.120.0.0/24 via 192.0.2.2', 'ip route add 2001:db8:120::/64 dev v0'],
         apply={'table': 'main', 'state': 'overridden', 'config': [{'dst': '10.121.0.0/24', 'gateway': '192.0.2.2'}]},
         change={'table': 'main', 'state': 'overridden', 'config': [{'dst': '10.122.0.0/24', 'gateway': '192.0.2.2'}]},
         readback=[MAIN4, MAIN6, LOCAL4, LOCAL6],
         expect=dict(routes(MAIN4, {'dst': '10.121.0.0/24'}, {'dst': '192.0.2.0/24', 'protocol': 'kernel'}),
                     **dict(routes(MAIN6, {'dst': '2001:db8::/64', 'protocol': 'kernel'}),
                            **dict(routes(LOCAL4, {'dst': '192.0.2.1', 'type': 'local'}),
                                   **routes(LOCAL6, {'dst': 'ff00::/8', 'type': 'multicast'},
                                            {'dst': '2001:db8::1', 'type': 'local'})))),
         check=gone(MAIN4, '10.120.0.0/24'),
         purge=Purge(
             setup=['ip address add 198.51.100.1/24 dev v0', 'ip route add 10.123.0.0/24 via 192.0.2.2 table 100'],
             args={'table': 'main', 'state': 'overridden', 'config': []},
             survives={MAIN4: [{'dst': '192.0.2.0/24', 'protocol': 'kernel'},
                               {'dst': '198.51.100.0/24', 'protocol': 'kernel'}],
                       MAIN6: [{'dst': '2001:db8::/64', 'protocol': 'kernel'}],
                       T100: [{'dst': '10.123.0.0/24'}]},
             removed={MAIN4: [{'dst': '10.120.0.0/24'}], MAIN6: [{'dst': '2001:db8:120::/64'}]})),
    Case('overridden-by-protocol', 'nl_route',
         setup=ADDRESSED + ['ip route add 10.130.0.0/24 via 192.0.2.2 proto bgp',
                            'ip route add 10.131.0.0/24 via 192.0.2.2 proto bgp',
                            'ip route add 10.132.0.0/24 via 192.0.2.2 proto static',
                            'ip route add 10.133.0.0/24 via 192.0.2.2'],
         apply={'table': 'main', 'protocol': 'bgp', 'state': 'overridden',
                'config': [{'dst': '10.130.0.0/24', 'gateway': '192.0.2.2'}]},
         change={'table': 'main', 'protocol': 'bgp', 'state': 'overridden',
                 'config': [{'dst': '10.134.0.0/24', 'gateway': '192.0.2.2'}]},
         readback=[MAIN4],
         expect=routes(MAIN4, {'dst': '10.130.0.0/24', 'protocol': 'bgp'}, {'dst': '10.132.0.0/24'},
                       {'dst': '10.133.0.0/24'}),
         check=gone(MAIN4, '10.131.0.0/24'),
         purge=Purge(
             setup=['ip route add 10.135.0.0/24 via 192.0.2.2 proto bgp table 100',
                    'ip route add 10.136.0.0/24 via 192.0.2.2 proto bgp'],
             args={'table': 'main', 'protocol': 'bgp', 'state': 'overridden', 'config': []},
             survives={MAIN4: [{'dst': '10.132.0.0/24'}, {'dst': '10.133.0.0/24'}, {'dst': '192.0.2.0/24'}],
                       T100: [{'dst': '10.135.0.0/24'}]},
             removed={MAIN4: [{'dst': '10.130.0.0/24'}, {'dst': '10.131.0.0/24'}, {'dst': '10.136.0.0/24'}]})),
    Case('deleted-scope-dev', 'nl_route',
         setup=ADDRESSED + ['ip link add v2 address 02:00:00:00:00:03 type veth peer name v3 address 02:00:00:00:00:04',
                            'ip link set v2 up', 'ip address add 198.51.100.1/24 dev v2',
                            'ip route add 10.140.0.0/24 via 192.0.2.2 table 100',
                            'ip route add 10.141.0.0/24 via 198.51.100.2 table 100'],
         apply={'table': '100', 'dev': 'v0', 'state': 'deleted'},
         change={'table': '100', 'dev': 'v2', 'state': 'deleted'},
         readback=[T100],
         expect=routes(T100, {'dst': '10.141.0.0/24', 'dev': 'v2'}),
         check=gone(T100, '10.140.0.0/24'),
         purge=Purge(setup=['ip route add 10.142.0.0/24 via 192.0.2.2 table 100'],
                     args={'table': '100', 'dev': 'v2', 'state': 'deleted'},
                     survives={T100: [{'dst': '10.140.0.0/24'}, {'dst': '10.142.0.0/24'}]},
                     removed={T100: [{'dst': '10.141.0.0/24'}]})),
    Case('mpls-encap', 'nl_route', setup=ADDRESSED, needs={'kernel_module': 'mpls_iptunnel'},
         apply={'dst': '10.150.0.0/24', 'gateway': '192.0.2.2', 'encap': {'type': 'mpls', 'labels': [100, 200]}},
         change={'dst': '10.150.0.0/24', 'gateway': '192.0.2.2', 'encap': {'type': 'mpls', 'labels': [300],
                                                                           'ttl': 9}},
         readback=[MAIN4_ENCAP],
         expect=routes(MAIN4_ENCAP, {'dst': '10.150.0.0/24', 'encap': 'mpls', 'encap_dst': '100/200',
                                     'gateway': '192.0.2.2'}),
         notes='ip -j prints the label stack as a second "dst": read back with both kept'),
]

ERROR_CASES = [
    ErrorCase('gateway-unreachable', 'nl_route', setup=ADDRESSED, args={'dst': '10.200.0.0/24', 'gateway': '10.99.0.1'},
              msg_contains=['ENETUNREACH', 'Nexthop has invalid gateway']),
    ErrorCase('host-bits-in-prefix', 'nl_route', setup=ADDRESSED,
              args={'dst': '10.200.0.1/24', 'gateway': '192.0.2.2'},
              msg_contains=['dst: 10.200.0.1/24 has host bits set; the prefix is 10.200.0.0/24'], phase='validation'),
    ErrorCase('bad-prefix', 'nl_route', setup=ADDRESSED, args={'dst': '10.300.0.0/16'},
              msg_contains=["dst: '10.300.0.0/16' is not a prefix"], phase='validation'),
    ErrorCase('gateway-of-another-family', 'nl_route', setup=ADDRESSED,
              args={'dst': '10.200.0.0/24', 'gateway': '2001:db8::2'},
              msg_contains=['gateway: 2001:db8::2 is not an inet address'], phase='validation'),
    ErrorCase('bad-table', 'nl_route', setup=ADDRESSED, args={'dst': '10.200.0.0/24', 'table': 'mian'},
              msg_contains=["table: 'mian' is not valid; use one of default, local, main or a number"],
              phase='validation'),
    ErrorCase('missing-device', 'nl_route', setup=ADDRESSED, args={'dst': '10.200.0.0/24', 'dev': 'nosuch0'},
              msg_contains=["dev: no device 'nosuch0'"], phase='validation'),
    ErrorCase('two-ways-out', 'nl_route', setup=ADDRESSED,
              args={'dst': '10.200.0.0/24', 'gateway': '192.0.2.2', 'nhid': 5},
              msg_contains=['gateway, nhid: a route goes one way only'], phase='validation'),
    ErrorCase('missing-nexthop-object', 'nl_route', setup=ADDRESSED, args={'dst': '10.200.0.0/24', 'nhid': 77},
              msg_contains=['Nexthop id does not exist']),
    ErrorCase('purge-without-table', 'nl_route', setup=ADDRESSED,
              args={'state': 'overridden', 'config': [{'dst': '10.200.0.0/24', 'gateway': '192.0.2.2'}]},
              msg_contains=['overridden', 'set table'], phase='validation'),
    ErrorCase('bad-item-in-bulk', 'nl_route', setup=ADDRESSED,
              args={'config': [{'dst': '10.200.0.0/24'}, {'dst': '10.201.0.0/24', 'metric': 'high'}]},
              msg_contains=['config[1]: ', 'metric'], phase='validation'),
]


def thousand_routes():
    return [{'dst': '198.18.%d.%d/32' % (i // 250, i % 250 + 1), 'gateway': '192.0.2.2'} for i in range(1000)]


BULK_CASES = [
    BulkCase('1000-routes', 'nl_route', setup=ADDRESSED, args={'table': '100'}, items=thousand_routes,
             readback='ip -j route show table 100', count=len),
]


def _no_metrics(raw, dst):
    route = next(r for r in raw if r['dst'] == dst)
    assert 'metrics' not in route, route


def ip_json(args):
    """`ip -j ARGS` as JSON, a key repeated in one object (an MPLS encap's "dst") kept as "encap_KEY"."""
    def pairs(items):
        out = {}
        for key, value in items:
            out['encap_' + key if key in out else key] = value
        return out
    text = subprocess.run(['ip', '-j'] + args, capture_output=True, text=True, check=True).stdout
    return json.loads(text, object_pairs_hook=pairs) if text.strip() else []


if __name__ == '__main__' and sys.argv[1:2] == ['ip']:
    print(json.dumps(ip_json(sys.argv[2:])))

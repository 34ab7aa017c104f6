# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_nexthop, nl_bridge_fdb and nl_bridge_vlan conformance cases (imported into cases.py).

Nexthops need a device with carrier: both ends of the veth are up, with IPv6 address generation off so that
no link-local address or DAD moves while the state is compared; lo is up (blackholes live on it).
Bridge setups keep every link down: the FDB does not learn and nothing moves.

nl_bridge_fdb and nl_bridge_vlan render `bridge` commands, replayed with `bridge -batch`.
Bridge VLAN filtering is absent from the host kernel: those cases need a bridge that takes a VLAN, so they
are skipped loudly on the host and run in the test VM.
"""

from harness import BulkCase, Case, ErrorCase, Purge

NH_SETUP = ['ip link set lo up',
            'ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
            'ip link set v0 addrgenmode none', 'ip link set v1 addrgenmode none',
            'ip link set v0 up', 'ip link set v1 up',
            'ip address add 192.0.2.1/24 dev v0', 'ip address add 2001:db8::1/64 dev v0 nodad']
NEXTHOPS = 'ip -j -d nexthop show'
NEXTHOPS6 = 'ip -j -6 nexthop show'  # a blackhole's family shows only as which of -4/-6 lists it
BRIDGE = ['ip link add br0 address 02:00:00:00:00:10 type bridge',
          'ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
          'ip link add v2 address 02:00:00:00:00:03 type veth peer name v3 address 02:00:00:00:00:04',
          'ip link set v0 master br0', 'ip link set v2 master br0']
VXLAN = ['ip link add vx0 address 02:00:00:00:00:20 type vxlan id 42 dstport 4789 nolearning remote 192.0.2.100']
FDB = 'bridge -j fdb show'
VLAN_BRIDGE = ['ip link add br0 address 02:00:00:00:00:10 type bridge vlan_filtering 1',
               'ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
               'ip link add v2 address 02:00:00:00:00:03 type veth peer name v3 address 02:00:00:00:00:04',
               'ip link set v0 master br0', 'ip link set v2 master br0']
VLANS = 'bridge -j vlan show'  # iproute2 6.1 prints VLAN by VLAN, ranges too
TUNNELS = 'bridge -j vlan tunnelshow'
VLAN_FILTERING = {'works': 'ip link add br0 type bridge vlan_filtering 1 && bridge vlan add dev br0 vid 10 self'}


def nexthops(*subsets):
    return {NEXTHOPS: list(subsets)}


def fdb(*subsets):
    return {FDB: list(subsets)}


def no_nexthop(*ids):
    def check(readback, raw):
        present = set(nh['id'] for nh in raw[NEXTHOPS])
        assert not present & set(ids), 'still present: %s' % sorted(present & set(ids))
    return check


def no_fdb(*macs):
    def check(readback, raw):
        present = set(entry['mac'] for entry in raw[FDB])
        assert not present & set(macs), 'still present: %s' % sorted(present & set(macs))
    return check


def vlans_of(dev, *subsets):
    return {VLANS: [{'ifname': dev, 'vlans': list(subsets)}]}


CASES = [
    # -- nl_nexthop ---------------------------------------------------------------------------------
    Case('gateways-and-group', 'nl_nexthop', setup=NH_SETUP,
         apply={'config': [{'id': 1, 'gateway': '192.0.2.2', 'dev': 'v0'},
                           {'id': 2, 'gateway': '192.0.2.3', 'dev': 'v0', 'protocol': 'static'},
                           {'id': 10, 'group': [{'id': 1}, {'id': 2, 'weight': 3}]}]},
         change={'config': [{'id': 2, 'gateway': '192.0.2.4'},
                            {'id': 10, 'group': [{'id': 1, 'weight': 2}, {'id': 2}]}]},
         readback=[NEXTHOPS],
         expect=nexthops({'id': 1, 'gateway': '192.0.2.2', 'dev': 'v0', 'protocol': 'unspec'},
                         {'id': 2, 'gateway': '192.0.2.3', 'protocol': 'static'},
                         {'id': 10, 'group': [{'id': 1}, {'id': 2, 'weight': 3}]}),
         notes='members are made before the group; changes are replaced in place'),
    Case('resilient-group', 'nl_nexthop', setup=NH_SETUP + ['ip nexthop add id 1 via 192.0.2.2 dev v0',
                                                            'ip nexthop add id 2 via 192.0.2.3 dev v0'],
         apply={'id': 20, 'group': [{'id': 1}, {'id': 2}], 'resilient': {'buckets': 8, 'idle_timer': 30}},
         change={'id': 20, 'group': [{'id': 1}], 'resilient': {'idle_timer': 60, 'unbalanced_timer': 5}},
         readback=[NEXTHOPS],
         expect=nexthops({'id': 20, 'type': 'resilient', 'resilient_args': {'buckets': 8}}),
         check=lambda readback, raw: _resilient_timers(raw, 20, 30, 0)),
    Case('blackhole-to-gateway', 'nl_nexthop', setup=NH_SETUP,
         apply={'config': [{'id': 30, 'blackhole': True}, {'id': 32, 'blackhole': True, 'family': 'inet6'},
                           {'id': 31, 'gateway': '198.51.100.1', 'dev': 'v0', 'onlink': True}]},
         change={'config': [{'id': 30, 'gateway': '192.0.2.30', 'dev': 'v0'},
                            {'id': 31, 'gateway': '192.0.2.31', 'onlink': False}]},
         readback=[NEXTHOPS, NEXTHOPS6],
         expect=dict(nexthops({'id': 30, 'blackhole': None}, {'id': 31, 'gateway': '198.51.100.1', 'flags': ['onlink']},
                              {'id': 32, 'blackhole': None}), **{NEXTHOPS6: [{'id': 32}]}),
         check=lambda readback, raw: _assert_ids(raw[NEXTHOPS6], [32]),
         notes='an IPv6 blackhole renders as `ip -6 nexthop add`'),
    Case('ipv6-and-device-only', 'nl_nexthop', setup=NH_SETUP,
         apply={'config': [{'id': 40, 'gateway': '2001:db8::2', 'dev': 'v0', 'protocol': 'bgp'},
                           {'id': 41, 'dev': 'v0'}]},
         change={'config': [{'id': 40, 'gateway': 'fe80::2'}, {'id': 41, 'protocol': '99'}]},
         readback=[NEXTHOPS],
         expect=nexthops({'id': 40, 'gateway': '2001:db8::2', 'dev': 'v0', 'protocol': 'bgp'},
                         {'id': 41, 'dev': 'v0', 'scope': 'host'})),
    Case('fdb-group', 'nl_nexthop', setup=NH_SETUP,
         apply={'config': [{'id': 50, 'gateway': '192.0.2.50', 'fdb': True},
                           {'id': 51, 'gateway': '192.0.2.51', 'fdb': True},
                           {'id': 52, 'group': [{'id': 50}, {'id': 51}], 'fdb': True}]},
         change={'config': [{'id': 52, 'group': [{'id': 50}], 'fdb': True}]},
         readback=[NEXTHOPS],
         expect=nexthops({'id': 50, 'fdb': None}, {'id': 52, 'group': [{'id': 50}, {'id': 51}], 'fdb': None})),
    Case('deleted', 'nl_nexthop',
         setup=NH_SETUP + ['ip nexthop add id 1 via 192.0.2.2 dev v0', 'ip nexthop add id 2 via 192.0.2.3 dev v0',
                           'ip nexthop add id 10 group 1/2'],
         apply={'state': 'deleted', 'config': [{'id': 10}, {'id': 2}]},
         change={'id': 1, 'state': 'absent'},
         readback=[NEXTHOPS],
         expect=nexthops({'id': 1}),
         check=no_nexthop(2, 10),
         notes='the group goes before its member'),
    Case('overridden-protocol', 'nl_nexthop',
         setup=NH_SETUP + ['ip nexthop add id 1 via 192.0.2.2 dev v0 proto static',
                           'ip nexthop add id 2 via 192.0.2.3 dev v0 proto bgp'],
         apply={'protocol': 'static', 'state': 'overridden',
                'config': [{'id': 3, 'gateway': '192.0.2.4', 'dev': 'v0'}]},
         change={'protocol': 'static', 'state': 'overridden',
                 'config': [{'id': 3, 'gateway': '192.0.2.5', 'dev': 'v0'}]},
         readback=[NEXTHOPS],
         expect=nexthops({'id': 2, 'protocol': 'bgp'}, {'id': 3, 'gateway': '192.0.2.4', 'protocol': 'static'}),
         check=no_nexthop(1),
         purge=Purge(setup=['ip nexthop add id 4 via 192.0.2.6 dev v0 proto static',
                            'ip nexthop add id 5 via 192.0.2.7 dev v0 proto zebra', 'ip nexthop add id 6 blackhole'],
                     args={'protocol': 'static', 'state': 'overridden',
                           'config': [{'id': 3, 'gateway': '192.0.2.4', 'dev': 'v0'}]},
                     survives=nexthops({'id': 2, 'protocol': 'bgp'}, {'id': 3}, {'id': 5, 'protocol': 'zebra'},
                                       {'id': 6}),
                     removed=nexthops({'id': 1}, {'id': 4})),
         notes='the top-level protocol is the purge scope and the items\' default'),
    Case('overridden-ids-and-dev', 'nl_nexthop',
         setup=NH_SETUP + ['ip link add v2 type veth peer name v3', 'ip link set v2 addrgenmode none',
                           'ip link set v3 addrgenmode none', 'ip link set v2 up', 'ip link set v3 up',
                           'ip address add 198.51.100.1/24 dev v2',
                           'ip nexthop add id 101 via 192.0.2.2 dev v0', 'ip nexthop add id 102 via 198.51.100.2 dev v2',
                           'ip nexthop add id 201 via 192.0.2.3 dev v0'],
         apply={'ids': '100-199', 'dev': 'v0', 'state': 'overridden',
                'config': [{'id': 110, 'gateway': '192.0.2.10'}]},
         change={'ids': '100-199', 'dev': 'v0', 'state': 'overridden',
                 'config': [{'id': 110, 'gateway': '192.0.2.11'}]},
         readback=[NEXTHOPS],
         expect=nexthops({'id': 102, 'dev': 'v2'}, {'id': 110, 'dev': 'v0'}, {'id': 201, 'dev': 'v0'}),
         check=no_nexthop(101),
         purge=Purge(setup=['ip nexthop add id 120 via 192.0.2.20 dev v0', 'ip nexthop add id 121 blackhole',
                            'ip nexthop add id 202 via 192.0.2.22 dev v0'],
                     args={'ids': '100-199', 'dev': 'v0', 'state': 'overridden',
                           'config': [{'id': 110, 'gateway': '192.0.2.10'}]},
                     survives=nexthops({'id': 102}, {'id': 110}, {'id': 121}, {'id': 201}, {'id': 202}),
                     removed=nexthops({'id': 101}, {'id': 120})),
         notes='ids and dev bound the purge together; dev also filters the dump in the kernel (NHA_OIF)'),

    # -- nl_bridge_fdb ------------------------------------------------------------------------------
    Case('port-entries', 'nl_bridge_fdb', setup=BRIDGE,
         apply={'dev': 'v0', 'config': [{'mac': '02:00:00:00:aa:01'}, {'mac': '02:00:00:00:aa:02', 'sticky': True}]},
         change={'dev': 'v0', 'config': [{'mac': '02:00:00:00:aa:01', 'nud': 'permanent'},
                                         {'mac': '02:00:00:00:aa:02', 'sticky': False}]},
         readback=[FDB],
         expect=fdb({'mac': '02:00:00:00:aa:01', 'ifname': 'v0', 'master': 'br0', 'state': 'static'},
                    {'mac': '02:00:00:00:aa:02', 'ifname': 'v0', 'flags': ['sticky'], 'state': 'static'})),
    Case('bridge-itself', 'nl_bridge_fdb', setup=BRIDGE,
         apply={'dev': 'br0', 'mac': '02:00:00:00:aa:10'},
         change={'dev': 'br0', 'mac': '02:00:00:00:aa:11', 'self': True},
         readback=[FDB],
         expect=fdb({'mac': '02:00:00:00:aa:10', 'ifname': 'br0', 'master': 'br0', 'state': 'permanent'}),
         notes='the bridge\'s own entries are added with `self`'),
    Case('vxlan-remotes', 'nl_bridge_fdb', setup=VXLAN,
         apply={'dev': 'vx0', 'config': [{'mac': '00:00:00:00:00:00', 'dst': '192.0.2.10'},
                                         {'mac': '00:00:00:00:00:00', 'dst': '192.0.2.11', 'port': 4790},
                                         {'mac': '02:00:00:00:bb:01', 'dst': '192.0.2.12', 'vni': 100}]},
         change={'dev': 'vx0', 'config': [{'mac': '00:00:00:00:00:00', 'dst': '192.0.2.11', 'port': 4791},
                                          {'mac': '02:00:00:00:bb:01', 'dst': '192.0.2.13'}]},
         readback=[FDB],
         expect=fdb({'mac': '00:00:00:00:00:00', 'dst': '192.0.2.100'},
                    {'mac': '00:00:00:00:00:00', 'dst': '192.0.2.10', 'flags': ['self'], 'state': 'permanent'},
                    {'mac': '00:00:00:00:00:00', 'dst': '192.0.2.11', 'port': 4790},
                    {'mac': '02:00:00:00:bb:01', 'dst': '192.0.2.12', 'vni': 100}),
         notes='all-zeros entries are one per remote (append)'),
    Case('overridden-port', 'nl_bridge_fdb',
         setup=BRIDGE + VXLAN + ['bridge fdb add 02:00:00:00:aa:20 dev v0 master static',
                                 'bridge fdb add 02:00:00:00:aa:21 dev v2 master static',
                                 'bridge fdb add 02:00:00:00:aa:22 dev v0 self permanent'],
         apply={'dev': 'v0', 'state': 'overridden', 'config': [{'mac': '02:00:00:00:aa:23'}]},
         change={'dev': 'v0', 'state': 'overridden', 'config': [{'mac': '02:00:00:00:aa:24'}]},
         readback=[FDB],
         expect=fdb({'mac': '02:00:00:00:aa:23', 'ifname': 'v0'}, {'mac': '02:00:00:00:aa:21', 'ifname': 'v2'},
                    {'mac': '02:00:00:00:aa:22', 'ifname': 'v0', 'flags': ['self']},
                    {'mac': '02:00:00:00:00:01', 'ifname': 'v0', 'state': 'permanent'}),
         check=no_fdb('02:00:00:00:aa:20'),
         purge=Purge(setup=['bridge fdb add 02:00:00:00:aa:25 dev v0 master static',
                            'bridge fdb add 02:00:00:00:aa:26 dev v0 master permanent',
                            'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.50'],
                     args={'dev': 'v0', 'state': 'overridden', 'config': [{'mac': '02:00:00:00:aa:23'}]},
                     survives=fdb({'mac': '02:00:00:00:aa:21'}, {'mac': '02:00:00:00:aa:22'},
                                  {'mac': '02:00:00:00:aa:23'}, {'mac': '02:00:00:00:00:01'},
                                  {'mac': '02:00:00:00:00:10', 'ifname': 'br0'}, {'mac': '33:33:00:00:00:01'},
                                  {'mac': '00:00:00:00:00:00', 'dst': '192.0.2.50'}),
                     removed=fdb({'mac': '02:00:00:00:aa:20'}, {'mac': '02:00:00:00:aa:25'},
                                 {'mac': '02:00:00:00:aa:26'})),
         notes='the port\'s own address, its self entries and other ports are out of scope'),
    Case('vxlan-overridden', 'nl_bridge_fdb',
         setup=VXLAN + ['bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.60',
                        'bridge fdb add 02:00:00:00:bb:09 dev vx0 dst 192.0.2.61'],
         apply={'dev': 'vx0', 'state': 'overridden', 'config': [{'mac': '00:00:00:00:00:00', 'dst': '192.0.2.62'}]},
         change={'dev': 'vx0', 'state': 'overridden', 'config': [{'mac': '00:00:00:00:00:00', 'dst': '192.0.2.63'}]},
         readback=[FDB],
         expect=fdb({'mac': '00:00:00:00:00:00', 'dst': '192.0.2.62'}, {'mac': '00:00:00:00:00:00', 'dst': '192.0.2.100'}),
         check=no_fdb('02:00:00:00:bb:09'),
         notes='the default remote of the link (remote 192.0.2.100) stays'),
    Case('vlan-entries', 'nl_bridge_fdb', setup=VLAN_BRIDGE + ['bridge vlan add dev v0 vid 10'],
         needs=VLAN_FILTERING,
         apply={'dev': 'v0', 'config': [{'mac': '02:00:00:00:aa:30', 'vlan': 10}, {'mac': '02:00:00:00:aa:30'}]},
         change={'dev': 'v0', 'config': [{'mac': '02:00:00:00:aa:30', 'vlan': 10, 'sticky': True}]},
         readback=[FDB],
         expect=fdb({'mac': '02:00:00:00:aa:30', 'ifname': 'v0', 'vlan': 10, 'state': 'static'}),
         notes='the same MAC without a VLAN is another entry'),

    # -- nl_bridge_vlan -----------------------------------------------------------------------------
    Case('port-vlans', 'nl_bridge_vlan', setup=VLAN_BRIDGE, needs=VLAN_FILTERING,
         apply={'dev': 'v0', 'config': [{'vid': 10}, {'vid': '20-29'}, {'vid': 100, 'pvid': True, 'untagged': True}]},
         change={'dev': 'v0', 'config': [{'vid': '20-29', 'untagged': True}]},
         readback=[VLANS],
         expect=vlans_of('v0', {'vlan': 10}, {'vlan': 20}, {'vlan': 29},
                         {'vlan': 100, 'flags': ['PVID', 'Egress Untagged']})),
    Case('bridge-itself', 'nl_bridge_vlan', setup=VLAN_BRIDGE, needs=VLAN_FILTERING,
         apply={'dev': 'br0', 'vid': 100},
         change={'dev': 'br0', 'vid': 100, 'untagged': True},
         readback=[VLANS],
         expect=vlans_of('br0', {'vlan': 100}),
         notes='the bridge\'s own VLANs are added with `self`'),
    Case('range-partly-there', 'nl_bridge_vlan', setup=VLAN_BRIDGE + ['bridge vlan add dev v0 vid 12 untagged'],
         needs=VLAN_FILTERING,
         apply={'dev': 'v0', 'vid': '10-14'},
         change={'dev': 'v0', 'vid': '10-14', 'untagged': False},
         readback=[VLANS],
         expect=vlans_of('v0', {'vlan': 10}, {'vlan': 11}, {'vlan': 12, 'flags': ['Egress Untagged']},
                         {'vlan': 13}, {'vlan': 14}),
         notes='adding a range keeps what its VLANs have and the task does not set'),
    Case('overridden-port', 'nl_bridge_vlan',
         setup=VLAN_BRIDGE + ['bridge vlan add dev v0 vid 30-39', 'bridge vlan add dev v2 vid 30-39'],
         needs=VLAN_FILTERING,
         apply={'dev': 'v0', 'state': 'overridden',
                'config': [{'vid': 1, 'pvid': True, 'untagged': True}, {'vid': '35-36'}]},
         change={'dev': 'v0', 'state': 'overridden', 'config': [{'vid': 40, 'pvid': True}]},
         readback=[VLANS],
         expect={VLANS: [{'ifname': 'v0', 'vlans': [{'vlan': 1, 'flags': ['PVID', 'Egress Untagged']},
                                                    {'vlan': 35}, {'vlan': 36}]},
                         {'ifname': 'v2', 'vlans': [{'vlan': 30}, {'vlan': 39}]}]},
         purge=Purge(setup=['bridge vlan add dev v0 vid 50', 'bridge vlan add dev br0 vid 50 self'],
                     args={'dev': 'v0', 'state': 'overridden', 'config': [{'vid': 35}]},
                     survives={VLANS: [{'ifname': 'v0', 'vlans': [{'vlan': 35}]},
                                       {'ifname': 'v2', 'vlans': [{'vlan': 30}, {'vlan': 39}]},
                                       {'ifname': 'br0', 'vlans': [{'vlan': 50}]}]},
                     removed={VLANS: [{'ifname': 'v0', 'vlans': [{'vlan': 50}]},
                                      {'ifname': 'v0', 'vlans': [{'vlan': 1}]}]}),
         notes='the default VLAN 1 goes unless listed'),
    Case('tunnel-mapping', 'nl_bridge_vlan',
         setup=['ip link add br0 type bridge vlan_filtering 1',
                'ip link add vx0 type vxlan dstport 4789 external nolearning',
                'ip link set vx0 master br0', 'ip link set vx0 type bridge_slave vlan_tunnel on',
                'bridge vlan add dev vx0 vid 10-12'],
         needs=VLAN_FILTERING,
         apply={'dev': 'vx0', 'vid': '10-12', 'tunnel_id': 1010},
         change={'dev': 'vx0', 'vid': '10-12', 'tunnel_id': 2010},
         readback=[TUNNELS],
         expect={TUNNELS: [{'ifname': 'vx0', 'tunnels': [{'vlan': 10, 'vlanEnd': 12, 'tunid': 1010,
                                                          'tunidEnd': 1012}]}]},
         notes='a changed mapping is deleted, then added'),
]

ERROR_CASES = [
    ErrorCase('group-type-change', 'nl_nexthop',
              setup=NH_SETUP + ['ip nexthop add id 1 via 192.0.2.2 dev v0', 'ip nexthop add id 10 group 1'],
              args={'id': 10, 'group': [{'id': 1}], 'resilient': {'buckets': 8}},
              msg_contains=['nexthop 10', 'group_type (mpath to resilient) in place'], phase='validation'),
    ErrorCase('member-still-used', 'nl_nexthop',
              setup=NH_SETUP + ['ip nexthop add id 1 via 192.0.2.2 dev v0', 'ip nexthop add id 10 group 1'],
              args={'id': 1, 'state': 'absent'},
              msg_contains=['nexthop 1: group 10 still uses it'], phase='validation'),
    ErrorCase('missing-member', 'nl_nexthop', setup=NH_SETUP, args={'id': 10, 'group': [{'id': 99}]},
              msg_contains=['EINVAL', 'Invalid nexthop id']),
    ErrorCase('no-carrier', 'nl_nexthop', setup=NH_SETUP + ['ip link set v1 down'],
              args={'id': 1, 'dev': 'v0'}, msg_contains=['Carrier for nexthop device is down']),
    ErrorCase('bad-protocol', 'nl_nexthop', setup=NH_SETUP, args={'id': 1, 'blackhole': True, 'protocol': 'ospf3'},
              msg_contains=["protocol: 'ospf3' is not a routing protocol"], phase='validation'),
    ErrorCase('group-with-gateway', 'nl_nexthop', setup=NH_SETUP,
              args={'config': [{'id': 10, 'group': [{'id': 1}], 'gateway': '192.0.2.2'}]},
              msg_contains=['config[0]: gateway: a nexthop group has no gateway'], phase='validation'),
    ErrorCase('purge-without-scope', 'nl_nexthop', setup=NH_SETUP, args={'state': 'overridden', 'config': []},
              msg_contains=['set protocol, ids and/or dev'], phase='validation'),
    ErrorCase('bad-mac', 'nl_bridge_fdb', setup=BRIDGE, args={'dev': 'v0', 'mac': '02:00:00:00:aa'},
              msg_contains=["mac: '02:00:00:00:aa' is not a MAC address"], phase='validation'),
    ErrorCase('multicast-in-bridge', 'nl_bridge_fdb', setup=BRIDGE, args={'dev': 'v0', 'mac': '01:00:5e:00:00:01'},
              msg_contains=['not a unicast address'], phase='validation'),
    ErrorCase('sticky-permanent', 'nl_bridge_fdb', setup=BRIDGE,
              args={'dev': 'v0', 'mac': '02:00:00:00:aa:01', 'nud': 'permanent', 'sticky': True},
              msg_contains=['sticky: a permanent (local) entry cannot be sticky'], phase='validation'),
    ErrorCase('remote-on-port', 'nl_bridge_fdb', setup=BRIDGE,
              args={'dev': 'v0', 'mac': '02:00:00:00:aa:01', 'dst': '192.0.2.1'},
              msg_contains=['dst: only entries of a VXLAN device itself (self: true)'], phase='validation'),
    ErrorCase('dynamic-on-a-disabled-port', 'nl_bridge_fdb', setup=BRIDGE,
              args={'dev': 'v0', 'mac': '02:00:00:00:aa:01', 'nud': 'dynamic'}, msg_contains=['EPERM']),
    ErrorCase('missing-device', 'nl_bridge_fdb', setup=BRIDGE, args={'dev': 'nosuch0', 'mac': '02:00:00:00:aa:01'},
              msg_contains=['dev nosuch0 does not exist']),
    ErrorCase('pvid-on-a-range', 'nl_bridge_vlan', setup=BRIDGE, args={'dev': 'v0', 'vid': '10-20', 'pvid': True},
              msg_contains=['pvid: a port has one PVID; 10-20 is a range'], phase='validation'),
    ErrorCase('overlapping-ranges', 'nl_bridge_vlan', setup=BRIDGE,
              args={'dev': 'v0', 'config': [{'vid': '10-20'}, {'vid': 15}]},
              msg_contains=['vid: 10-20 and 15 of v0 overlap'], phase='validation'),
    ErrorCase('bad-vid', 'nl_bridge_vlan', setup=BRIDGE, args={'dev': 'v0', 'vid': '4095'},
              msg_contains=["vid: '4095' is not a VLAN id or range"], phase='validation'),
]


def thousand_nexthops():
    return [{'id': 1000 + i, 'gateway': '192.0.2.%d' % (i % 250 + 2)} for i in range(1000)]


def thousand_fdb_entries():
    return [{'mac': '02:00:00:01:%02x:%02x' % (i // 256, i % 256)} for i in range(1000)]


BULK_CASES = [
    BulkCase('1000-nexthops', 'nl_nexthop', setup=NH_SETUP, args={'dev': 'v0'}, items=thousand_nexthops,
             readback=NEXTHOPS, count=len),
    BulkCase('1000-fdb-entries', 'nl_bridge_fdb', setup=BRIDGE, args={'dev': 'v0'}, items=thousand_fdb_entries,
             readback='bridge -j fdb show dev v0 master br0',
             count=lambda entries: sum(1 for e in entries if e['mac'].startswith('02:00:00:01:'))),
]


def _assert_ids(entries, ids):
    assert sorted(entry['id'] for entry in entries) == sorted(ids), entries


def _resilient_timers(raw, nh_id, idle, unbalanced):
    entry = next(nh for nh in raw[NEXTHOPS] if nh['id'] == nh_id)
    assert entry['resilient_args']['idle_timer'] == idle, entry
    assert entry['resilient_args']['unbalanced_timer'] == unbalanced, entry

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route resource: normalization, identity, purge scope, dump filters, plans, iproute2 commands, parsing."""

import json
import socket
import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Change
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import route_codec as codec
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route

from netlink_fixtures import replay_connection

LINKS = {'lo': 1, 'v0': 2, 'v1': 3}


def resource(scope=None, state=None, wants=()):
    route = Route(None, dict(scope or {}), 'lab')
    route.indexes = dict(LINKS)
    route.state = state
    route.wants = list(wants)
    return route


def normalize(**item):
    return dict((k, v) for k, v in resource().normalize(item).items() if v is not None)


def have(**item):
    """A route as gather reads it (absent things '', [], {}, False)."""
    base = {'dst': '10.0.0.0/24', 'family': 'inet', 'table': 'main', 'metric': 0, 'tos': 0, 'type': 'unicast',
            'scope': 'global', 'protocol': 'static', 'gateway': '192.0.2.2', 'dev': 'v0', 'prefsrc': '',
            'onlink': False, 'nexthops': [], 'nhid': 0, 'metrics': {}, 'encap': {}, 'pref': None}
    base.update(item)
    return base


NORMAL = [
    ('default is the gateway family', dict(dst='default', gateway='2001:db8::1'),
     {'dst': '::/0', 'family': 'inet6', 'metric': 1024, 'scope': 'global'}),
    ('default without a hint is IPv4', dict(dst='default', type='blackhole'), {'dst': '0.0.0.0/0', 'metric': 0}),
    ('family says which default', dict(dst='default', family='inet6', type='unreachable'), {'dst': '::/0'}),
    ('host route gets its length', dict(dst='192.0.2.7'), {'dst': '192.0.2.7/32'}),
    ('IPv6 canonical', dict(dst='2001:DB8:0::/48', gateway='2001:db8:0:0::1'),
     {'dst': '2001:db8::/48', 'gateway': '2001:db8::1'}),
    ('table by number is its name', dict(dst='10.0.0.0/8', table='254'), {'table': 'main'}),
    ('table number', dict(dst='10.0.0.0/8', table=100), {'table': '100'}),
    ('IPv6 metric 0 is 1024', dict(dst='2001:db8::/32', metric=0, dev='v0'), {'metric': 1024}),
    ('the kernel\'s own IPv6 local routes keep 0', dict(dst='2001:db8::1/128', metric=0, type='local',
                                                        protocol='kernel', table='local'), {'metric': 0}),
    ('protocol by number is its name', dict(dst='10.0.0.0/8', protocol='186'), {'protocol': 'bgp'}),
    ('unnamed protocol number', dict(dst='10.0.0.0/8', protocol='77'), {'protocol': '77'}),
    ('scope of a gateway route', dict(dst='10.0.0.0/8', gateway='192.0.2.1'), {'scope': 'global'}),
    ('scope of a local route', dict(dst='10.0.0.1/32', type='local', dev='v0'), {'scope': 'host'}),
    ('scope of a broadcast route', dict(dst='10.0.0.255/32', type='broadcast', dev='v0'), {'scope': 'link'}),
    ('scope by number', dict(dst='10.0.0.0/8', dev='v0', scope='253'), {'scope': 'link'}),
    ('a gateway says no nexthops', dict(dst='10.0.0.0/8', gateway='192.0.2.1'), {'nexthops': [], 'nhid': 0}),
    ('nexthops say no gateway, sorted', dict(dst='10.0.0.0/8', nexthops=[{'gateway': '192.0.2.9', 'weight': 2},
                                                                         {'gateway': '192.0.2.3'}]),
     {'gateway': '', 'nhid': 0, 'nexthops': [{'gateway': '192.0.2.3', 'dev': None, 'weight': 1, 'onlink': False},
                                             {'gateway': '192.0.2.9', 'dev': None, 'weight': 2, 'onlink': False}]}),
    ('one next hop is a plain route', dict(dst='10.0.0.0/8', nexthops=[{'gateway': '192.0.2.9', 'onlink': True}]),
     {'gateway': '192.0.2.9', 'onlink': True, 'nexthops': []}),
    ('dev is the next hops\' device',
     dict(dst='10.0.0.0/8', dev='v1', nexthops=[{'gateway': '192.0.2.9'}, {'gateway': '192.0.2.8', 'dev': 'v0'}]),
     {'nexthops': [{'gateway': '192.0.2.8', 'dev': 'v0', 'weight': 1, 'onlink': False},
                   {'gateway': '192.0.2.9', 'dev': 'v1', 'weight': 1, 'onlink': False}]}),
    ('metrics without the ones not given, lock sorted', dict(dst='10.0.0.0/8', metrics={
        'mtu': 1400, 'advmss': None, 'rtt': 10, 'lock': ['rtt', 'mtu', 'rtt']}),
     {'metrics': {'mtu': 1400, 'rtt': 10, 'lock': ['mtu', 'rtt']}}),
    ('seg6 mode defaults to encap', dict(dst='2001:db8::/32', encap={'type': 'seg6', 'segs': ['2001:DB8::1']}),
     {'encap': {'type': 'seg6', 'mode': 'encap', 'segs': ['2001:db8::1']}}),
    ('empty encap, nexthops and metrics are none (as gathered)',
     dict(dst='10.0.0.0/8', dev='v0', onlink=False, encap={'type': None, 'mode': None}, nexthops=[], metrics={}),
     {'encap': {}, 'nexthops': [], 'metrics': {}, 'dev': 'v0', 'onlink': False}),
    ('seg6local table by name', dict(dst='2001:db8::1/128', encap={'type': 'seg6local', 'action': 'End.DT6',
                                                                   'table': 'main'}),
     {'encap': {'type': 'seg6local', 'action': 'End.DT6', 'table': 254}}),
]


@pytest.mark.parametrize('item, expected', [n[1:] for n in NORMAL], ids=[n[0] for n in NORMAL])
def test_normalize(item, expected):
    result = normalize(**item)
    for key, value in expected.items():
        assert result[key] == value, key


def test_a_dev_route_leaves_its_scope_to_the_state(monkeypatch):
    """merged keeps the scope the route has; creates and replaced get iproute2's (link, without a gateway)."""
    assert 'scope' not in normalize(dst='10.0.0.0/8', dev='v0')
    route = resource()
    wants = [route.normalize({'dst': '10.0.0.0/8', 'dev': 'v0'}), route.normalize({'dst': '2001:db8::/32'})]
    monkeypatch.setattr(rtnl, 'link_indexes', lambda conn: dict(LINKS))
    route.check_request('replaced', wants)
    assert (wants[0]['scope'], wants[0]['pref'], wants[1]['pref']) == ('link', None, 'medium')


REFUSED = [
    (dict(dst='10.0.0.1/24'), 'dst: 10.0.0.1/24 has host bits set; the prefix is 10.0.0.0/24'),
    (dict(dst='2001:db8::1/64'), 'dst: 2001:db8::1/64 has host bits set; the prefix is 2001:db8::/64'),
    (dict(dst='10.0.0.0/33'), "dst: '10.0.0.0/33' is not a prefix"),
    (dict(dst='10.0.0.0/+8'), "dst: '10.0.0.0/+8' is not a prefix"),
    (dict(dst='nowhere'), "dst: 'nowhere' is not a prefix; use 'default' or an address"),
    (dict(dst='10.0.0.0/8', family='inet6'), 'dst: 10.0.0.0/8 is not an inet6 prefix'),
    (dict(dst='10.0.0.0/8', gateway='2001:db8::1'), 'gateway: 2001:db8::1 is not an inet address like the route'),
    (dict(dst='10.0.0.0/8', gateway='192.0.2.300'), "gateway: '192.0.2.300' is not an IPv4/IPv6 address"),
    (dict(dst='10.0.0.0/8', table='0'), 'table: 0 is not a table'),
    (dict(dst='10.0.0.0/8', table='4294967296'), "table: '4294967296' is not valid"),
    (dict(dst='10.0.0.0/8', protocol='ospf3'), "protocol: 'ospf3' is not valid; use one of"),
    (dict(dst='10.0.0.0/8', metric=-1), 'metric: -1 is not 0-4294967295'),
    (dict(dst='2001:db8::/32', tos=16), 'tos: 16 is not valid; IPv4 routes take 0-255, IPv6 routes none'),
    (dict(dst='2001:db8::/32', scope='link'), 'scope: IPv6 routes have no scope but global'),
    (dict(dst='10.0.0.0/8', scope='galactic'), "scope: 'galactic' is not a scope"),
    (dict(dst='10.0.0.0/8', pref='high'), 'pref: only IPv6 routes have a router preference'),
    (dict(dst='10.0.0.0/8', gateway='192.0.2.1', nhid=4), 'gateway, nhid: a route goes one way only'),
    (dict(dst='10.0.0.0/8', nhid=4, dev='v0'), "dev: a route with nhid goes through the nexthop object's device"),
    (dict(dst='10.0.0.0/8', type='blackhole', gateway='192.0.2.1'), 'type: a blackhole route has no gateway'),
    (dict(dst='10.0.0.0/8', nexthops=[{'weight': 2}]), 'nexthops[0].gateway or nexthops[0].dev: a next hop needs'),
    (dict(dst='10.0.0.0/8', nexthops=[{'gateway': '192.0.2.1', 'weight': 0}]), 'nexthops[0].weight: 0 is not 1-256'),
    (dict(dst='10.0.0.0/8', onlink=True, nexthops=[{'gateway': '192.0.2.1'}]), 'onlink: with nexthops, say onlink'),
    (dict(dst='10.0.0.0/8', metrics={'mtu': 70000}), 'metrics.mtu: 70000 is out of range'),
    (dict(dst='10.0.0.0/8', metrics={'mtu': 1400, 'lock': ['advmss']}), 'metrics.lock: advmss locked but not given'),
    (dict(dst='10.0.0.0/8', encap={'type': 'seg6', 'action': 'End'}), 'encap: action not valid with type seg6'),
    (dict(dst='10.0.0.0/8', encap={'type': 'mpls'}), 'encap: type mpls needs labels'),
    (dict(dst='10.0.0.0/8', encap={'labels': [5]}), 'encap: type is needed (one of mpls, seg6, seg6local)'),
    (dict(dst='10.0.0.0/8', encap={'type': 'mpls', 'labels': [1 << 20]}), 'encap.labels: MPLS labels are 0-1048575'),
    (dict(dst='10.0.0.0/8', encap={'type': 'seg6local', 'action': 'End'}), 'encap: seg6local is for IPv6 routes'),
    (dict(dst='2001:db8::/32', encap={'type': 'seg6', 'segs': ['10.0.0.1']}),
     'encap.segs: 10.0.0.1 is not an inet6 address'),
]


@pytest.mark.parametrize('item, message', REFUSED, ids=[m for _i, m in REFUSED])
def test_normalize_refuses(item, message):
    with pytest.raises(ValidationError) as caught:
        resource().normalize(item)
    assert message in str(caught.value)


# -- identity and scope ----------------------------------------------------------------------------

def test_routes_the_kernel_holds_twice_are_told_apart_by_device_and_type():
    route = resource()
    route.colliding.add(('main', 'inet6', 'fe80::/64', 0, 256))
    one = have(dst='fe80::/64', family='inet6', metric=256, dev='v0', protocol='kernel')
    assert route.key(one) == ('main', 'inet6', 'fe80::/64', 0, 256, 'v0', 'unicast')
    assert route.label(route.key(one)) == 'fe80::/64 table main metric 256 dev v0 type unicast'
    assert route.key(have()) == ('main', 'inet', '10.0.0.0/24', 0, 0)
    assert route.label(route.key(have(tos=16))) == '10.0.0.0/24 table main metric 0 tos 16'


SCOPE = [
    ({'table': '100'}, have(table='100'), True),
    ({'table': '100'}, have(table='main'), False),
    ({'table': 'main'}, have(protocol='kernel'), False),
    ({'table': 'main'}, have(protocol='ra'), False),
    ({'table': 'main', 'protocol': 'kernel'}, have(protocol='kernel'), True),
    ({'table': 'main', 'protocol': '186'}, have(protocol='bgp'), True),
    ({'table': 'main', 'protocol': 'bgp'}, have(protocol='static'), False),
    ({'table': 'main', 'family': 'inet6'}, have(), False),
    ({'table': 'main', 'dev': 'v0'}, have(), True),
    ({'table': 'main', 'dev': 'v1'}, have(), False),
]


@pytest.mark.parametrize('scope, route, inside', SCOPE)
def test_purge_scope(scope, route, inside):
    resource_ = resource(scope)
    resource_.route_devs[resource_.key(route)] = {'v0'}
    assert resource_.in_scope(route) is inside


FILTERS = [
    ('facts: everything', {}, None, [], (['inet', 'inet6'], 0, 0, 0)),
    ('gathered table 100 of v1, protocol bgp', {'table': '100', 'dev': 'v1', 'protocol': 'bgp'}, 'gathered', [],
     (['inet', 'inet6'], 100, 186, 3)),
    ('merged in one table and family', {}, 'merged', [{'family': 'inet6', 'table': 'local'}], (['inet6'], 255, 0, 0)),
    ('merged across tables', {}, 'merged', [{'family': 'inet', 'table': 'main'}, {'family': 'inet', 'table': '7'}],
     (['inet'], 0, 0, 0)),
    ('overridden purges its table in every family', {'table': '100', 'protocol': 'bgp'}, 'overridden',
     [{'family': 'inet', 'table': '100'}], (['inet', 'inet6'], 100, 0, 0)),
    ('overridden of one family', {'table': '100', 'family': 'inet'}, 'overridden',
     [{'family': 'inet', 'table': '100'}], (['inet'], 100, 0, 0)),
    ('deleted scope without items', {'table': '100', 'dev': 'v0'}, 'deleted', [], (['inet', 'inet6'], 100, 0, 2)),
    ('a missing device', {'table': '100', 'dev': 'nosuch'}, 'deleted', [], (['inet', 'inet6'], 100, 0, -1)),
]


@pytest.mark.parametrize('scope, state, wants, expected', [f[1:] for f in FILTERS], ids=[f[0] for f in FILTERS])
def test_dump_filters(scope, state, wants, expected):
    assert resource(scope, state, wants).dump_filters() == expected


# -- plans -----------------------------------------------------------------------------------------

def test_a_change_replaces_metrics_and_encap_whole_and_keeps_chosen_devices():
    route = resource()
    before = have(metrics={'mtu': 1400, 'rtt': 100, 'lock': ['mtu']}, gateway='',
                  nexthops=[{'gateway': '192.0.2.2', 'dev': 'v0', 'weight': 1, 'onlink': False},
                            {'gateway': '192.0.2.3', 'dev': 'v1', 'weight': 1, 'onlink': False}])
    want = route.normalize({'dst': '10.0.0.0/24', 'metrics': {'advmss': 1000},
                            'nexthops': [{'gateway': '192.0.2.2', 'weight': 2}, {'gateway': '192.0.2.3'}]})
    changes = route.order(engine.plan(route, 'merged', [want], [before]))
    assert [c.op for c in changes] == ['update']
    assert changes[0].after['metrics'] == {'advmss': 1000}
    assert [h['dev'] for h in changes[0].after['nexthops']] == ['v0', 'v1']


def test_a_next_hop_without_a_device_gets_the_one_a_route_lookup_finds():
    """For check mode to predict it: RTM_GETROUTE for the gateway, once per gateway."""
    route = resource()
    reply = message_of(codec.encode_route(socket.AF_INET, b'\xc0\0\x02\x09', 32, 254, oif=3))
    ack = nlconn.NLMSGHDR.pack(36, nlconn.NLMSG_ERROR, 0x100, 1, 0) + struct.pack('=i', 0) + b'\0' * 16
    route.conn = replay_connection([reply + ack], next_seq=1)
    hops = [{'gateway': '192.0.2.9'}, {'gateway': '192.0.2.2', 'dev': 'v0'}]
    want = route.normalize({'dst': '10.0.0.0/24', 'nexthops': hops})
    changes = route.order(engine.plan(route, 'merged', [want], []))
    chosen = [(h['gateway'], h['dev']) for h in changes[0].after['nexthops']]
    assert chosen == [('192.0.2.2', 'v0'), ('192.0.2.9', 'v1')]
    sent = route.conn.sock.sent[0]
    assert codec.decode_route(sent)['dst'] == '192.0.2.9' and nlconn.NLMSGHDR.unpack_from(sent)[1] == 26
    assert route.chosen_device('inet', '192.0.2.9') == 'v1' and len(route.conn.sock.sent) == 1


def message_of(body, seq=1):
    return nlconn.NLMSGHDR.pack(16 + len(body), codec.RTM_NEWROUTE, 0, seq, 0) + body


@pytest.mark.parametrize('before, item, dev', [
    (have(), {'gateway': '192.0.2.3'}, None),
    (have(), {'gateway': '192.0.2.3', 'dev': 'v0'}, 'v0'),
    (have(), {'type': 'blackhole'}, None),
    (have(type='blackhole', dev='lo', gateway='', family='inet6', dst='2001:db8::/32', metric=1024, pref='medium'),
     {'gateway': '2001:db8::2'}, None),
    (have(), {'nexthops': [{'gateway': '192.0.2.2'}, {'gateway': '192.0.2.3'}]}, ''),
    (have(), {'mtu_only': True}, 'v0'),
], ids=['new gateway', 'new gateway, same dev', 'to blackhole', 'from an IPv6 blackhole', 'to multipath',
        'same way'])
def test_a_route_going_another_way_leaves_its_device_to_the_kernel(before, item, dev, monkeypatch):
    route = resource()
    monkeypatch.setattr(route, 'chosen_device', lambda family, gateway: 'v1')
    given = dict(item, dst=before['dst'])
    if given.pop('mtu_only', False):
        given.update(gateway='192.0.2.2', metrics={'mtu': 1300})
    want = route.normalize(given)
    route.wants = [want]
    changes = route.order(engine.plan(route, 'merged', [want], [before]))
    assert [c.op for c in changes] == ['update']
    assert changes[0].after['dev'] == dev
    assert not route.fields(changes[0].after)['oif'] if dev in (None, '') else route.fields(changes[0].after)['oif']


def test_a_gateway_route_matches_whatever_device_the_kernel_chose():
    route = resource()
    want = route.normalize({'dst': '10.0.0.0/24', 'gateway': '192.0.2.2'})
    assert engine.plan(route, 'merged', [want], [have(protocol='boot')]) == []
    changes = engine.plan(route, 'replaced', [want], [have(protocol='boot')])
    assert [(c.op, c.delta) for c in changes] == [('update', {'protocol': 'static'})]


RENDERED = [
    ('create', {'dst': '10.0.0.0/24', 'gateway': '192.0.2.2'},
     'ip -n lab route add 10.0.0.0/24 proto static via 192.0.2.2'),
    ('create', {'dst': '10.0.0.0/24', 'dev': 'v0', 'scope': 'global', 'table': '100', 'metric': 5,
                'protocol': '17', 'prefsrc': '192.0.2.1'},
     'ip -n lab route add 10.0.0.0/24 table 100 proto 17 scope global metric 5 dev v0 src 192.0.2.1'),
    ('create', {'dst': '2001:db8::/32', 'gateway': '2001:db8::1', 'pref': 'high', 'metric': 1024},
     'ip -n lab route add 2001:db8::/32 proto static via 2001:db8::1 pref high'),
    ('update', {'dst': '10.1.0.0/16', 'type': 'prohibit', 'tos': 8},
     'ip -n lab route replace prohibit 10.1.0.0/16 tos 8 proto static'),
    ('create', {'dst': '10.0.0.0/24', 'gateway': '192.0.2.2', 'onlink': True,
                'metrics': {'mtu': 1400, 'rtt': 100, 'lock': ['mtu']}},
     'ip -n lab route add 10.0.0.0/24 proto static via 192.0.2.2 onlink mtu lock 1400 rtt 100ms'),
    ('create', {'dst': '10.0.0.0/24', 'nexthops': [{'gateway': '192.0.2.2', 'weight': 2},
                                                   {'gateway': '192.0.2.3', 'dev': 'v1', 'onlink': True}]},
     'ip -n lab route add 10.0.0.0/24 proto static nexthop via 192.0.2.2 weight 2 '
     'nexthop via 192.0.2.3 dev v1 weight 1 onlink'),
    ('create', {'dst': '10.0.0.0/24', 'nhid': 7}, 'ip -n lab route add 10.0.0.0/24 proto static nhid 7'),
    ('create', {'dst': '2001:db8::1/128', 'dev': 'v0', 'encap': {'type': 'seg6local', 'action': 'End.DT6',
                                                                 'table': '100'}},
     'ip -n lab route add 2001:db8::1/128 proto static encap seg6local action End.DT6 table 100 dev v0'),
    ('create', {'dst': '10.0.0.0/24', 'gateway': '192.0.2.2', 'encap': {'type': 'mpls', 'labels': [10, 20], 'ttl': 4}},
     'ip -n lab route add 10.0.0.0/24 proto static encap mpls 10/20 ttl 4 via 192.0.2.2'),
]


@pytest.mark.parametrize('op, item, command', RENDERED, ids=[r[2][21:] for r in RENDERED])
def test_render(op, item, command):
    route = resource()
    want = route.normalize(item)
    assert route.render(Change(op, route.key(want), None, want)) == [command]


def test_render_delete_by_identity():
    route = resource()
    assert route.render(Change('delete', None, have(type='blackhole', table='100', metric=3), None)) == [
        'ip -n lab route del blackhole 10.0.0.0/24 table 100 metric 3']
    route.colliding.add(('main', 'inet6', 'fe80::/64', 0, 256))
    twin = have(dst='fe80::/64', family='inet6', metric=256, dev='v1')
    assert route.render(Change('delete', None, twin, None)) == [
        'ip -n lab route del unicast fe80::/64 table main metric 256 dev v1']


# -- ip -j -------------------------------------------------------------------------------------------

def test_parse_ip_json():
    text = json.dumps([
        {'dst': 'default', 'gateway': '192.0.2.1', 'dev': 'v0', 'flags': []},
        {'type': 'blackhole', 'dst': '10.9.0.0/24', 'table': '100', 'protocol': 'bgp', 'flags': []},
        {'dst': '10.8.0.1', 'dev': 'v0', 'scope': 'link', 'flags': ['onlink'], 'metrics': [{'mtu': 1400}]},
        {'dst': 'default', 'metric': 1024, 'pref': 'medium', 'flags': [], 'nexthops': [
            {'gateway': 'fe80::2', 'dev': 'v1', 'weight': 1, 'flags': []},
            {'gateway': 'fe80::1', 'dev': 'v0', 'weight': 3, 'flags': ['onlink']}]}])
    parsed = Route.parse(text)
    assert parsed[0]['dst'] == '0.0.0.0/0' and parsed[0]['protocol'] == 'boot' and parsed[0]['table'] == 'main'
    assert (parsed[1]['type'], parsed[1]['table'], parsed[1]['protocol']) == ('blackhole', '100', 'bgp')
    assert (parsed[2]['dst'], parsed[2]['onlink'], parsed[2]['metrics']) == ('10.8.0.1/32', True, {'mtu': 1400})
    assert parsed[3]['family'] == 'inet6' and parsed[3]['dst'] == '::/0'
    assert [h['gateway'] for h in parsed[3]['nexthops']] == ['fe80::1', 'fe80::2']


def test_devices_must_exist_except_to_delete(monkeypatch):
    monkeypatch.setattr(rtnl, 'link_indexes', lambda conn: dict(LINKS))
    route = resource()
    hops = [{'gateway': '192.0.2.1', 'dev': 'v9'}, {'gateway': '192.0.2.2'}]
    wants = [route.normalize({'dst': '10.0.0.0/8', 'nexthops': hops})]
    with pytest.raises(ValidationError, match="nexthops.dev: no device 'v9' in this network namespace"):
        route.check_request('merged', wants)
    route.check_request('deleted', wants)


@pytest.mark.parametrize('text', ['not json', '{"dst": "x"}', '[{"gateway": "192.0.2.1"}]'])
def test_parse_refuses_what_is_not_ip_route_json(text):
    with pytest.raises(ValidationError, match='running_config is not JSON from `ip -j route show`'):
        Route.parse(text)

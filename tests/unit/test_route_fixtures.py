# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""families/route_codec.py and resources/route.py against route messages captured from a real kernel.

route_dump.json: routes made by `ip` in a scratch namespace, dumped by Route.gather's requests, with `ip -j`
of the same state; route_requests.json: requests encoded by nl_route and the kernel's answers (ACKs, and the
ext-ack of a refusal); route_filtered_dump.json: a dump the kernel filters by table, device and protocol.

Recapture (as root; everything happens in a namespace created and deleted for it), then review the diff:

    NLINK_CAPTURE_ROUTE=1 /work/venv/bin/python -m pytest tests/unit/test_route_fixtures.py::test_capture
"""

import json
import os
import socket
import subprocess
import uuid

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Change
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import route_codec as codec
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route

from netlink_fixtures import FIXTURES, load, messages, replay_connection

SETUP = [
    'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
    'link set v0 up', 'link set v1 up',
    'address add 192.0.2.1/24 dev v0', 'address add 2001:db8::1/64 dev v0 nodad',
    'address add 198.51.100.1/24 dev v1',
    'route add 10.1.0.0/24 via 192.0.2.2',
    'route add 10.2.0.0/24 via 192.0.2.2 table 100 metric 5 proto static',
    'route add 10.3.0.0/24 nexthop via 192.0.2.2 weight 2 nexthop via 198.51.100.2 weight 3',
    'route add 10.4.0.0/24 via 10.99.0.1 dev v0 onlink',
    'route add 10.5.0.0/24 dev v0 src 192.0.2.1',
    'route add 10.6.0.0/24 via 192.0.2.2 mtu lock 1400 advmss 1360 rtt 100ms rttvar 50ms initcwnd 10 hoplimit 64',
    'route add blackhole 10.7.0.0/24',
    'route add unreachable 10.8.0.0/24 table 1000',
    'route add prohibit 10.9.0.0/24 tos 0x10',
    'route add throw 10.10.0.0/24 table 100 proto bgp',
    'nexthop add id 10 via 192.0.2.2 dev v0',
    'route add 10.11.0.0/24 nhid 10',
    'route add 10.12.0.0/24 encap seg6 mode encap segs 2001:db8::7 dev v0',
    'route add 2001:db8:1::/64 via 2001:db8::2 pref high',
    'route add 2001:db8:2::/64 encap seg6 mode encap segs 2001:db8::5,2001:db8::6 dev v0',
    'route add 2001:db8:3::/64 encap seg6 mode inline segs 2001:db8::5 dev v0 metric 10',
    'route add 2001:db8:4::1/128 encap seg6local action End.X nh6 2001:db8::2 dev v0',
    'route add 2001:db8:5::/64 nexthop via 2001:db8::2 weight 2 nexthop via 2001:db8::3',
    'route add blackhole 2001:db8:6::/64',
]
# Sysctls first: no DAD, so IPv6 state is final at once (v0 and v1 are both up: each gets fe80::/64).
SYSCTLS = ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']

# (name, op, item): what nl_route sends, after SETUP
REQUESTS = [
    ('create_v4_gateway_table_metric', 'create',
     {'dst': '10.20.0.0/24', 'gateway': '192.0.2.2', 'table': '100', 'metric': 7}),
    ('create_v4_dev_prefsrc', 'create', {'dst': '10.21.0.0/24', 'dev': 'v0', 'prefsrc': '192.0.2.1'}),
    ('create_v4_multipath_onlink', 'create',
     {'dst': '10.22.0.0/24', 'nexthops': [{'gateway': '192.0.2.2', 'weight': 3},
                                          {'gateway': '10.99.0.2', 'dev': 'v0', 'onlink': True}]}),
    ('create_v4_blackhole_table_1000', 'create', {'dst': '10.23.0.0/24', 'type': 'blackhole', 'table': '1000'}),
    ('create_v4_metrics_lock', 'create',
     {'dst': '10.24.0.0/24', 'gateway': '192.0.2.2', 'tos': 16,
      'metrics': {'mtu': 1400, 'advmss': 1360, 'rtt': 100, 'rttvar': 50, 'lock': ['mtu']}}),
    ('create_v4_nhid', 'create', {'dst': '10.25.0.0/24', 'nhid': 10, 'protocol': 'bgp'}),
    ('create_v6_gateway_pref', 'create', {'dst': '2001:db8:20::/64', 'gateway': '2001:db8::2', 'pref': 'low'}),
    ('create_v6_seg6_encap', 'create',
     {'dst': '2001:db8:21::/64', 'dev': 'v0', 'encap': {'type': 'seg6', 'segs': ['2001:db8::5', '2001:db8::6']}}),
    ('create_v6_seg6_inline', 'create',
     {'dst': '2001:db8:22::/64', 'dev': 'v0', 'encap': {'type': 'seg6', 'mode': 'inline', 'segs': ['2001:db8::5']}}),
    ('create_v6_seg6local_dt6', 'create',
     {'dst': '2001:db8:23::1/128', 'dev': 'v0', 'encap': {'type': 'seg6local', 'action': 'End.DT6', 'table': '100'}}),
    ('create_v6_multipath', 'create',
     {'dst': '2001:db8:24::/64', 'metric': 300,
      'nexthops': [{'gateway': '2001:db8::2'}, {'gateway': '2001:db8::3', 'weight': 4}]}),
    ('update_v4_replace', 'update', {'dst': '10.1.0.0/24', 'gateway': '198.51.100.2', 'protocol': 'boot'}),
    ('delete_v4', 'delete', {'dst': '10.7.0.0/24', 'type': 'blackhole'}),
    ('delete_v6', 'delete', {'dst': '2001:db8:1::/64'}),
]
REFUSED = [('error_v4_gateway_unreachable', {'dst': '10.30.0.0/24', 'gateway': '10.98.0.1'})]
AF_INET, AF_INET6 = socket.AF_INET, socket.AF_INET6


def offline_route(links):
    """A Route whose link indexes are the captured ones (no kernel needed)."""
    route = Route(None, {}, None)
    route.indexes = dict(links)
    return route


def encoded(route, op, item, seq):
    """The request bytes nl_route sends for ``op`` on ``item``, with NLM_F_ACK as the capture asked."""
    want = route.normalize(item)
    if op == 'delete':
        want['protocol'] = want['protocol'] or 'static'
    change = Change(op, route.key(want), want if op == 'delete' else None, None if op == 'delete' else want)
    msg, msg_type, flags = route.requests(change)
    return replay_connection([], next_seq=seq).encode(msg, msg_type, nlconn.NLM_F_REQUEST | nlconn.NLM_F_ACK | flags)


def decoded_dump(fixture):
    """Every route of the captured dumps, decoded and in the config shape."""
    names = dict((index, name) for name, index in fixture['links'].items())
    items = []
    for dump in fixture['dumps']:
        for text in dump['replies_hex']:
            datagram = bytes.fromhex(text)
            for offset, msg_type, _flags, _seq in messages(datagram):
                if msg_type == codec.RTM_NEWROUTE:
                    length = nlconn.NLMSGHDR.unpack_from(datagram, offset)[0]
                    items.append(Route.item_of(codec.decode_route(datagram[offset:offset + length]), names))
    return items


def without_lock(item):
    """`ip -j` does not print which metrics are locked."""
    return dict(item, metrics=dict((k, v) for k, v in item['metrics'].items() if k != 'lock'))


def by_key(items):
    return sorted(items, key=lambda i: (i['table'], i['family'], i['dst'], i['metric'], i['dev'], i['type']))


# -- the dump ----------------------------------------------------------------------------------------

def test_dump_decodes_to_what_ip_shows():
    fixture = load('route_dump')
    ours = by_key(without_lock(item) for item in decoded_dump(fixture))
    theirs = by_key(Route.parse(json.dumps(fixture['ip_json']['inet'] + fixture['ip_json']['inet6'])))
    assert [i['dst'] for i in ours] == [i['dst'] for i in theirs]
    for mine, ip in zip(ours, theirs):
        assert mine == ip, mine['dst']


# What `ip -j` cannot say (locks, raw metric units, encap layout), pinned by hand.
PINNED = {
    ('main', '10.6.0.0/24'): {'metrics': {'mtu': 1400, 'advmss': 1360, 'rtt': 100, 'rttvar': 50, 'initcwnd': 10,
                                          'hoplimit': 64, 'lock': ['mtu']}, 'protocol': 'boot'},
    ('main', '10.3.0.0/24'): {'nexthops': [{'gateway': '192.0.2.2', 'dev': 'v0', 'weight': 2, 'onlink': False},
                                           {'gateway': '198.51.100.2', 'dev': 'v1', 'weight': 3, 'onlink': False}],
                              'gateway': '', 'dev': ''},
    ('main', '10.4.0.0/24'): {'gateway': '10.99.0.1', 'onlink': True},
    ('main', '10.9.0.0/24'): {'type': 'prohibit', 'tos': 16, 'scope': 'global'},
    ('main', '10.11.0.0/24'): {'nhid': 10, 'gateway': '', 'dev': '', 'nexthops': []},
    ('1000', '10.8.0.0/24'): {'type': 'unreachable'},
    ('100', '10.10.0.0/24'): {'type': 'throw', 'protocol': 'bgp'},
    ('main', '2001:db8:3::/64'): {'encap': {'type': 'seg6', 'mode': 'inline', 'segs': ['2001:db8::5']}, 'metric': 10},
    ('main', '2001:db8:4::1/128'): {'encap': {'type': 'seg6local', 'action': 'End.X', 'nh6': '2001:db8::2'}},
    ('main', '2001:db8:5::/64'): {'nexthops': [{'gateway': '2001:db8::2', 'dev': 'v0', 'weight': 2, 'onlink': False},
                                               {'gateway': '2001:db8::3', 'dev': 'v0', 'weight': 1, 'onlink': False}]},
    ('main', '2001:db8:1::/64'): {'pref': 'high', 'metric': 1024},
    ('main', '2001:db8:6::/64'): {'type': 'blackhole', 'dev': 'lo'},
}


@pytest.mark.parametrize('where', sorted(PINNED), ids=lambda w: '%s:%s' % w)
def test_dump_decodes_what_ip_cannot_show(where):
    items = dict(((i['table'], i['dst']), i) for i in decoded_dump(load('route_dump')))
    for name, value in PINNED[where].items():
        assert items[where][name] == value, name


def test_the_kernels_own_per_device_routes_collide_and_get_told_apart():
    fixture = load('route_dump')
    route = offline_route(fixture['links'])
    haves = decoded_dump(fixture)
    seen = set()
    for have in haves:
        base = route.key(have)
        (route.colliding if base in seen else seen).add(base)
    assert ('main', 'inet6', 'fe80::/64', 0, 256) in route.colliding
    assert ('local', 'inet6', 'ff00::/8', 0, 256) in route.colliding
    assert len(set(route.key(h) for h in haves)) == len(haves)


def test_gathered_routes_fed_back_change_nothing():
    """Every route of the dump, given back as desired state (merged and replaced), plans no change."""
    fixture = load('route_dump')
    route = offline_route(fixture['links'])
    haves = decoded_dump(fixture)
    seen = set()
    for have in haves:
        base = route.key(have)
        (route.colliding if base in seen else seen).add(base)
    wants = [route.normalize(dict((k, v) for k, v in have.items() if v is not None)) for have in haves]
    for state in ('merged', 'replaced'):
        assert engine.plan(route, state, wants, haves) == [], state


# -- requests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('name, op, item', REQUESTS, ids=[r[0] for r in REQUESTS])
def test_request_encodes_byte_for_byte_as_captured(name, op, item):
    fixture = load('route_requests')['requests'][name]
    data = encoded(offline_route(load('route_requests')['links']), op, item, fixture['request_seq'])
    assert data.hex() == fixture['request_hex']


@pytest.mark.parametrize('name', [r[0] for r in REQUESTS])
def test_the_kernel_took_each_captured_request(name):
    fixture = load('route_requests')['requests'][name]
    datagram = bytes.fromhex(fixture['replies_hex'][-1])
    assert nlconn.parse_error(datagram, 0)[0] == 0


def test_a_refusal_reads_errno_and_the_kernels_words():
    fixture = load('route_requests')['requests']['error_v4_gateway_unreachable']
    datagram = bytes.fromhex(fixture['replies_hex'][-1])
    code, ext_ack, _attribute, _missing = nlconn.parse_error(datagram, 0, bytes.fromhex(fixture['request_hex']),
                                                             codec.RouteMessage)
    assert (code, ext_ack) == (101, 'Nexthop has invalid gateway')  # ENETUNREACH


# -- the filtered dump -------------------------------------------------------------------------------

def test_the_kernel_filters_a_dump_by_table_device_and_protocol():
    fixture = load('route_filtered_dump')
    links = fixture['links']
    for dump in fixture['dumps']:
        want = dump['filter']
        body = codec.encode_dump(AF_INET, want['table'], want['protocol'], links.get(want['dev'], 0))
        msg = codec.RouteMessage(body)
        conn = replay_connection([], next_seq=dump['request_seq'])
        data = conn.encode(msg, codec.RTM_GETROUTE, nlconn.NLM_F_REQUEST | nlconn.NLM_F_DUMP)
        assert data.hex() == dump['request_hex']
        routes = [codec.decode_route(bytes.fromhex(text)[offset:])
                  for text in dump['replies_hex'] for offset, msg_type, _f, _s in messages(bytes.fromhex(text))
                  if msg_type == codec.RTM_NEWROUTE]
        assert sorted('%s/%d' % (r['dst'], r['dst_len']) for r in routes) == sorted(dump['expect'])
        assert all(r['nl_flags'] & codec.NLM_F_DUMP_FILTERED for r in routes)


def test_gather_reads_the_captured_dump_through_connection(monkeypatch):
    fixture = load('route_dump')
    route = offline_route(fixture['links'])
    datagrams = [bytes.fromhex(t) for dump in fixture['dumps'] for t in dump['replies_hex']]
    route.conn = replay_connection(datagrams, next_seq=fixture['dumps'][0]['request_seq'])
    monkeypatch.setattr(rtnl, 'link_indexes', lambda conn: dict(fixture['links']))
    haves = route.gather()
    assert by_key(haves) == by_key(decoded_dump(fixture))
    assert [m[:2] for m in route.conn.sock.sent] == [bytes.fromhex(d['request_hex'])[:2] for d in fixture['dumps']]


# -- capture -------------------------------------------------------------------------------------------

class Recorder:
    """Wraps a Connection's socket: keeps what is sent and every datagram received."""

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

    def take(self):
        record = {'request_hex': self.sent[-1].hex(), 'request_seq': nlconn.NLMSGHDR.unpack_from(self.sent[-1])[3],
                  'replies_hex': [d.hex() for d in self.received]}
        self.sent, self.received = [], []
        return record


@pytest.mark.skipif(not os.environ.get('NLINK_CAPTURE_ROUTE'), reason='recaptures fixtures: NLINK_CAPTURE_ROUTE=1')
def test_capture():
    netns = 'nlt-capture-route-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', netns], check=True)
    try:
        subprocess.run(['ip', 'netns', 'exec', netns, 'sysctl', '-qw'] + SYSCTLS, check=True)
        subprocess.run(['ip', '-n', netns, '-batch', '-'], input='\n'.join(SETUP) + '\n', text=True, check=True)
        conn = nlconn.Connection(nlconn.NETLINK_ROUTE, netns)
        links = rtnl.link_indexes(conn)
        conn.sock = recorder = Recorder(conn.sock)
        kernel = os.uname().release
        dumps = []
        for family in (AF_INET, AF_INET6):
            conn.dump(codec.RouteMessage(codec.encode_dump(family)), codec.RTM_GETROUTE, codec.RouteReply)
            dumps.append(dict(recorder.take(), family=family))
        ip_json = dict((name, json.loads(subprocess.run(['ip', '-n', netns, '-j', '-d', flag, 'route', 'show', 'table',
                                                         'all'], capture_output=True, text=True,
                                                        check=True).stdout))
                       for name, flag in (('inet', '-4'), ('inet6', '-6')))
        write('route_dump', {'description': 'both families dumped as Route.gather asks, after SETUP; ip_json is '
                                            '`ip -j -d route show table all` of the same state',
                             'kernel': kernel, 'setup': SETUP, 'links': links, 'dumps': dumps, 'ip_json': ip_json})
        filtered = []
        for want, expect in (({'table': 100, 'protocol': 0, 'dev': None}, ['10.2.0.0/24', '10.10.0.0/24']),
                             ({'table': 0, 'protocol': 0, 'dev': 'v1'},
                              ['10.3.0.0/24', '198.51.100.0/24', '198.51.100.1/32', '198.51.100.255/32']),
                             ({'table': 254, 'protocol': 2, 'dev': 'v0'}, ['192.0.2.0/24'])):
            body = codec.encode_dump(AF_INET, want['table'], want['protocol'], links.get(want['dev'], 0))
            conn.dump(codec.RouteMessage(body), codec.RTM_GETROUTE, codec.RouteReply)
            filtered.append(dict(recorder.take(), filter=want, expect=expect))
        write('route_filtered_dump', {'description': 'IPv4 dumps the kernel filters (strict check: table, RTA_OIF, '
                                                     'rtm_protocol); every reply says NLM_F_DUMP_FILTERED',
                                      'kernel': kernel, 'setup': SETUP, 'links': links, 'dumps': filtered})
        route = offline_route(links)
        requests = {}
        for name, op, item in REQUESTS + [(n, 'create', i) for n, i in REFUSED]:
            want = route.normalize(item)
            if op == 'delete':
                want['protocol'] = want['protocol'] or 'static'
            change = Change(op, route.key(want), want if op == 'delete' else None, None if op == 'delete' else want)
            msg, msg_type, flags = route.requests(change)
            try:
                conn.request(msg, msg_type, flags)
            except NetlinkError as exc:
                print('%s: %s' % (name, exc))
            requests[name] = dict(recorder.take(), item=item, op=op)
        write('route_requests', {'description': 'requests nl_route encodes (REQUESTS, after SETUP), sent with '
                                                'NLM_F_ACK, and the answers; error_*: refused',
                                 'kernel': kernel, 'setup': SETUP, 'links': links, 'requests': requests})
        conn.close()
    finally:
        subprocess.run(['ip', 'netns', 'del', netns], check=False)


def write(name, data):
    with open(os.path.join(FIXTURES, name + '.json'), 'w') as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.write('\n')
    print('wrote %s.json' % name)

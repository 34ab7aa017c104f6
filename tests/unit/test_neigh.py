# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The neighbour resource: its own ndmsg codec, normalization, reading a captured kernel dump, scope, `ip -j`.

DUMPS holds what Neigh.gather() sent and received in a namespace made by SETUP (Linux 6.18) - its neighbour
dumps; the link dump is stood in for by the device indexes seen there - and SHOWN what the SHOW commands
printed; all captured together, by running the resource against the kernel. The kernel added ff02::16 (a
noarp entry of its own, for MLD) by itself.
"""

import pytest
from pyroute2.netlink.rtnl.ndmsg import ndmsg

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Change, plan
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.neigh import (
    RTM_GETNEIGH, RTM_NEWNEIGH, Neigh, NeighMessage, flags_equal, nud_equal)

from netlink_fixtures import messages, replay_connection

MAC = '02:00:00:00:00:05'
NLM_F_DUMP_FILTERED = 0x20  # linux/netlink.h
SETUP = ['ip link set lo up',
         'ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
         'ip link set v0 up',
         'ip link add w0 address 02:00:00:00:01:01 type veth peer name w1',
         'ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev v0',
         'ip neigh add 192.0.2.6 lladdr 02:00:00:00:00:06 nud noarp dev v0',
         'ip neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 nud stale dev v0',
         'ip neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev v0 extern_learn',
         'ip neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev v0 router',
         'ip neigh add proxy 2001:db8::7 dev v0 router',
         'ip neigh add proxy 192.0.2.50 dev v0',
         'ip neigh add 192.0.2.64 lladdr 02:00:00:00:00:64 dev w0']
SCOPES = [{'dev': 'v0'}, {}]
SHOW = ['ip -j neigh show nud all', 'ip -j neigh show proxy']
EXPECTED_V0 = {
    ('192.0.2.5', False): dict(lladdr=MAC, nud='permanent', flags=[]),
    ('192.0.2.6', False): dict(lladdr='02:00:00:00:00:06', nud='noarp', flags=[]),
    ('192.0.2.7', False): dict(lladdr='02:00:00:00:00:07', nud='stale', flags=[]),
    ('192.0.2.8', False): dict(lladdr='02:00:00:00:00:08', nud='permanent', flags=['extern_learn']),
    ('2001:db8::5', False): dict(lladdr=MAC, nud='permanent', flags=['router']),
    ('2001:db8::7', True): dict(lladdr=None, nud=None, flags=['router']),
    ('192.0.2.50', True): dict(lladdr=None, nud=None, flags=[]),
    ('ff02::16', False): dict(lladdr='33:33:00:00:00:16', nud='noarp', flags=[]),
}
EXPECTED_W0 = {('192.0.2.64', False): dict(lladdr='02:00:00:00:00:64', nud='permanent', flags=[])}


def resource(scope=None, state='gathered', wants=(), conn=None):
    neigh = Neigh(conn, dict(scope or {}))
    neigh.check_request(state, list(wants))
    return neigh


@pytest.fixture
def captured(monkeypatch):
    """gather(DUMPS[index]) -> (connection it used, items): the captured dumps replayed."""
    def gather(index):
        monkeypatch.setattr(rtnl, 'link_indexes', lambda conn: dict(DUMPS[index]['links']))
        first_seq = nlconn.NLMSGHDR.unpack_from(bytes.fromhex(DUMPS[index]['sent'][0]))[3]
        conn = replay_connection([bytes.fromhex(d) for d in DUMPS[index]['received']], next_seq=first_seq)
        return conn, resource(DUMPS[index]['scope'], conn=conn).gather()
    return gather


def normalize(**item):
    return resource().normalize(item)


# -- the codec -------------------------------------------------------------------------------------

def stamped(msg, msg_type=RTM_NEWNEIGH, flags=0x405, seq=7):
    msg['header']['type'], msg['header']['flags'], msg['header']['sequence_number'] = msg_type, flags, seq
    msg['header']['pid'] = 0
    msg.encode()
    return bytes(msg.data)


@pytest.mark.parametrize('family, ifindex, state, flags, attrs', [
    (2, 3, 0x80, 0, [('NDA_DST', '192.0.2.5'), ('NDA_LLADDR', MAC)]),
    (10, 3, 0x40, 0x80, [('NDA_DST', '2001:db8::5'), ('NDA_LLADDR', MAC)]),
    (10, 4, 0, 0x08, [('NDA_DST', '2001:db8::7')]),
    (2, 3, 0, 0, [('NDA_DST', '192.0.2.9'), ('NDA_FLAGS_EXT', 1)]),
    (0, 0, 0, 0, [('NDA_IFINDEX', 3)]),
], ids=['v4-lladdr', 'v6-router', 'proxy', 'managed', 'dump-filter'])
def test_encode_is_byte_for_byte_what_pyroute2_encodes(family, ifindex, state, flags, attrs):
    ours, theirs = NeighMessage(), ndmsg()
    for msg in (ours, theirs):
        msg['family'], msg['ifindex'], msg['state'], msg['flags'] = family, ifindex, state, flags
    ours['attrs'] = [(name, bytes.fromhex(value.replace(':', '')) if name == 'NDA_LLADDR' else value)
                     for name, value in attrs]
    theirs['attrs'] = attrs
    assert stamped(ours) == stamped(theirs)


def replies(index):
    return [bytes.fromhex(d) for d in DUMPS[index]['received']]


def test_decode_reads_what_pyroute2_reads_from_the_kernel():
    count = 0
    for datagram in replies(1):
        for offset, msg_type, _flags, _seq in messages(datagram):
            if msg_type != 28:
                continue
            length = nlconn.NLMSGHDR.unpack_from(datagram, offset)[0]
            data = datagram[offset:offset + length]
            ours, theirs = NeighMessage(data), ndmsg(data)
            ours.decode()
            theirs.decode()
            for field in ('family', 'ifindex', 'state', 'flags'):
                assert ours[field] == theirs[field]
            assert ours.get_attr('NDA_DST') == theirs.get_attr('NDA_DST')
            assert ours.get_attr('NDA_FLAGS_EXT') == theirs.get_attr('NDA_FLAGS_EXT')
            lladdr = theirs.get_attr('NDA_LLADDR')
            assert ours.get_attr('NDA_LLADDR') == (bytes.fromhex(lladdr.replace(':', '')) if lladdr else None)
            count += 1
    assert count == len(EXPECTED_V0) + len(EXPECTED_W0)


def test_an_ext_ack_offset_is_named_with_the_codec_attribute_table():
    msg = NeighMessage()
    msg['family'], msg['attrs'] = 2, [('NDA_DST', '192.0.2.5'), ('NDA_LLADDR', b'\x02\x00')]
    data = stamped(msg)
    lladdr_offset = nlconn.NLMSGHDR.size + 12 + 8
    assert nlconn.attribute_path(data, lladdr_offset, NeighMessage) == 'NDA_LLADDR'


# -- reading the kernel ----------------------------------------------------------------------------

def by_key(items):
    return dict(((item['dev'], item['dst'], item['proxy']), item) for item in items)


def expected(devices):
    table = {}
    for dev, entries in (('v0', EXPECTED_V0), ('w0', EXPECTED_W0)):
        if dev in devices:
            table.update(((dev, dst, proxy), attrs) for (dst, proxy), attrs in entries.items())
    return table


@pytest.mark.parametrize('index, devices', [(0, ('v0',)), (1, ('v0', 'w0'))], ids=['scope v0', 'all devices'])
def test_gather_reads_the_captured_dumps(captured, index, devices):
    conn, haves = captured(index)
    haves = by_key(haves)
    assert conn.sock.sent == [bytes.fromhex(d) for d in DUMPS[index]['sent']]
    want = expected(devices)
    assert sorted(haves) == sorted(want)
    for key, attrs in want.items():
        assert dict((k, haves[key][k]) for k in attrs) == attrs, key


def test_the_kernel_filters_the_dump_by_device():
    """The request carries NDA_IFINDEX (strict checking); the kernel says it filtered (NLM_F_DUMP_FILTERED)."""
    sent = [NeighMessage(bytes.fromhex(d)) for d in DUMPS[0]['sent']]
    for msg in sent:
        msg.decode()
    assert [(m['header']['type'], m['flags'], m.get_attr('NDA_IFINDEX')) for m in sent] == \
        [(RTM_GETNEIGH, 0, 3), (RTM_GETNEIGH, 0x08, 3)]
    flags = [flags for datagram in replies(0) for _o, msg_type, flags, _s in messages(datagram) if msg_type == 28]
    assert flags and all(f & NLM_F_DUMP_FILTERED for f in flags)


def test_gathered_items_are_valid_desired_items(captured):
    haves = captured(1)[1]
    for have in haves:
        assert resource().normalize(dict(have)) == have


def test_parse_reads_ip_json_as_gather_does(captured):
    parsed = by_key(Neigh.parse(SHOWN['ip -j neigh show nud all'] + SHOWN['ip -j neigh show proxy']))
    assert parsed == by_key(captured(1)[1])


@pytest.mark.parametrize('text, message', [
    ('192.0.2.5 dev v0 lladdr 02:00:00:00:00:05 PERMANENT', 'running_config is not JSON from `ip -j neigh show`'),
    ('{"dst": "192.0.2.5"}', 'running_config is not JSON from `ip -j neigh show`: .* is no list of entries'),
    ('[{"dst": "192.0.2.5", "state": ["PERMANENT"]}]', 'running_config: an entry without dev'),
])
def test_parse_refuses(text, message):
    with pytest.raises(ValidationError, match=message):
        Neigh.parse(text)


# -- the desired side ------------------------------------------------------------------------------

NORMAL = [
    ('permanent by default', dict(dev='v0', dst='192.0.2.5', lladdr='2:0:0:0:0:5'),
     dict(family='inet', lladdr=MAC, nud='permanent', proxy=False, flags=[])),
    ('ipv6 written canonically', dict(dev='v0', dst='2001:DB8:0::5', lladdr=MAC.upper()),
     dict(dst='2001:db8::5', family='inet6', lladdr=MAC)),
    ('a dynamic state is kept', dict(dev='v0', dst='192.0.2.5', lladdr=MAC, nud='reachable'), dict(nud='reachable')),
    ('proxy has no state', dict(dev='v0', dst='2001:db8::7', proxy=True), dict(proxy=True, nud=None, lladdr=None)),
    ('proxy as a flag', dict(dev='v0', dst='2001:db8::7', flags=['proxy', 'router']),
     dict(proxy=True, flags=['router'])),
    ('managed: the kernel resolves', dict(dev='v0', dst='192.0.2.9', flags=['managed']),
     dict(nud=None, lladdr=None, flags=['managed'])),
    ('managed with what gather read', dict(dev='v0', dst='192.0.2.9', flags=['managed'], nud='reachable',
                                           lladdr=MAC), dict(nud=None, lladdr=None)),
    ('flags sorted and once', dict(dev='v0', dst='192.0.2.5', lladdr=MAC, flags=['router', 'extern_learn', 'router']),
     dict(flags=['extern_learn', 'router'])),
]


@pytest.mark.parametrize('item, expected_items', [n[1:] for n in NORMAL], ids=[n[0] for n in NORMAL])
def test_normalize(item, expected_items):
    result = normalize(**item)
    for key, value in expected_items.items():
        assert result[key] == value, key


REFUSED = [
    (dict(dev='v0', dst='192.0.2.0/24'), "dst: '192.0.2.0/24' is not an IPv4/IPv6 address"),
    (dict(dev='v0', dst='192.0.2.300'), "dst: '192.0.2.300' is not an IPv4/IPv6 address"),
    (dict(dev='v0', dst='192.0.2.5', family='inet6'), 'family: inet6, but dst 192.0.2.5 is inet'),
    (dict(dev='v0', dst='192.0.2.5', lladdr='02-00-00-00-00-05'), "lladdr: '02-00-00-00-00-05' is not a link-layer"),
    (dict(dev='v0', dst='192.0.2.5', lladdr='02:000:00'), "lladdr: '02:000:00' is not a link-layer"),
    (dict(dev='v0', dst='192.0.2.5', proxy=True, lladdr=MAC), 'lladdr: a proxy entry has no lladdr'),
    (dict(dev='v0', dst='192.0.2.5', proxy=True, nud='permanent'), 'nud: a proxy entry has no nud'),
    (dict(dev='v0', dst='192.0.2.5', flags=['managed'], nud='noarp'), 'nud: with managed the kernel resolves'),
    (dict(dev='v0/1', dst='192.0.2.5'), "dev: 'v0/1' is not a link name"),
]


@pytest.mark.parametrize('item, message', REFUSED, ids=[r[1].split(':')[0] + '-%d' % i for i, r in enumerate(REFUSED)])
def test_normalize_refuses_naming_the_option(item, message):
    with pytest.raises(ValidationError) as caught:
        normalize(**item)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('want, have, equal', [
    ('permanent', 'permanent', True), ('permanent', 'stale', False), ('noarp', 'permanent', False),
    ('reachable', 'stale', True), ('stale', 'delay', True), ('reachable', 'noarp', False), ('failed', 'reachable', True)])
def test_nud_is_compared_only_where_the_kernel_keeps_it(want, have, equal):
    assert nud_equal(want, have) is equal


def test_use_is_never_compared():
    assert flags_equal(['router', 'use'], ['router'])
    assert not flags_equal(['use'], ['router'])


# -- scope -----------------------------------------------------------------------------------------

def entry(dst, nud='permanent', proxy=False, dev='v0', family='inet'):
    return dict(dev=dev, dst=dst, proxy=proxy, family=family, lladdr=None if proxy else MAC,
                nud=None if proxy else nud, flags=[])


HAVES = [entry('192.0.2.1'), entry('192.0.2.2', 'stale'), entry('192.0.2.3', 'noarp'), entry('ff02::16', 'noarp',
         family='inet6'), entry('192.0.2.4', proxy=True), entry('2001:db8::4', family='inet6'),
         entry('192.0.2.5', dev='w0')]


@pytest.mark.parametrize('scope, purged', [
    ({'dev': 'v0'}, ['192.0.2.1', '192.0.2.4', '2001:db8::4']),
    ({'dev': 'v0', 'family': 'inet'}, ['192.0.2.1', '192.0.2.4']),
    ({'dev': 'v0', 'proxy': False}, ['192.0.2.1', '2001:db8::4']),
    ({'dev': 'v0', 'nud': 'stale'}, ['192.0.2.2']),
    ({'dev': 'v0', 'nud': 'noarp'}, ['192.0.2.3', 'ff02::16']),
], ids=['device', 'family', 'not-proxy', 'nud-stale', 'nud-noarp'])
def test_overridden_purges_permanent_and_proxy_entries_of_the_scope_only(scope, purged):
    neigh = resource(scope, 'overridden')
    changes = plan(neigh, 'overridden', [], HAVES)
    assert sorted(c.key[1] for c in changes) == sorted(purged)
    assert all(c.op == 'delete' for c in changes)


def test_replaced_resets_flags_in_place():
    neigh = resource({'dev': 'v0'}, 'replaced')
    have = dict(entry('192.0.2.1'), flags=['router'])
    changes = plan(neigh, 'replaced', [neigh.normalize(dict(dev='v0', dst='192.0.2.1', lladdr=MAC))], [have])
    assert [(c.op, c.delta) for c in changes] == [('update', {'flags': []})]


# -- as commands -----------------------------------------------------------------------------------

@pytest.mark.parametrize('op, item, command', [
    ('create', dict(dev='v0', dst='192.0.2.5', lladdr=MAC), 'ip -n lab neigh add 192.0.2.5 lladdr %s nud permanent '
                                                            'dev v0' % MAC),
    ('update', dict(dev='v0', dst='2001:db8::5', lladdr=MAC, flags=['router']),
     'ip -n lab neigh replace 2001:db8::5 lladdr %s nud permanent dev v0 router' % MAC),
    ('create', dict(dev='v0', dst='2001:db8::7', proxy=True), 'ip -n lab neigh add proxy 2001:db8::7 dev v0'),
    ('delete', dict(dev='v0', dst='2001:db8::7', proxy=True), 'ip -n lab neigh del proxy 2001:db8::7 dev v0'),
    ('delete', dict(dev='v0', dst='192.0.2.5', lladdr=MAC), 'ip -n lab neigh del 192.0.2.5 dev v0'),
    ('create', dict(dev='v0', dst='192.0.2.9', flags=['managed']), 'ip -n lab neigh add 192.0.2.9 dev v0 managed'),
])
def test_render(op, item, command):
    neigh = Neigh(None, {}, 'lab')
    item = neigh.normalize(item)
    change = Change(op, neigh.key(item), item if op != 'create' else None, item if op != 'delete' else None)
    assert neigh.render(change) == [command]


def test_label_says_proxy():
    assert Neigh(None, {}).label(('v0', '2001:db8::7', True)) == 'v0 proxy 2001:db8::7'
    assert Neigh(None, {}).label(('v0', '192.0.2.5', False)) == 'v0 192.0.2.5'


# -- captured (see the module docstring) -------------------------------------------------------------

DUMPS = [
    {
        'scope': {'dev': 'v0'},
        'links': {'lo': 1, 'v1': 2, 'v0': 3, 'w1': 4, 'w0': 5},
        'sent': [
            (
                '240000001e00010302000000000000000000000000000000000000000800080003000000'),
            (
                '240000001e00010303000000000000000000000000000000000008000800080003000000'),
        ],
        'received': [
            (
                '4c0000001c002200020000005a1f000002000000030000008000000108000100c00002050a00020002'
                '00000000050000080004000000000014000300080000000800000008000000000000004c0000001c00'
                '2200020000005a1f000002000000030000004000000108000100c00002060a00020002000000000600'
                '00080004000000000014000300060000000600000006000000000000004c0000001c00220002000000'
                '5a1f000002000000030000000400000108000100c00002070a00020002000000000700000800040000'
                '00000014000300751700000500000005000000000000004c0000001c002200020000005a1f00000200'
                '0000030000008000100108000100c00002080a00020002000000000800000800040000000000140003'
                '0004000000040000000400000000000000580000001c002200020000005a1f00000a00000003000000'
                '4000000514000100ff0200000000000000000000000000160a00020033330000001600000800040000'
                '0000001400030071170000010000000100000000000000580000001c002200020000005a1f00000a00'
                '000003000000800080011400010020010db80000000000000000000000050a00020002000000000500'
                '0008000400000000001400030004000000040000000400000000000000140000000300020002000000'
                '5a1f000000000000'),
            (
                '240000001c002200030000005a1f000002000000030000000000080108000100c0000232300000001c'
                '002200030000005a1f00000a00000003000000000088011400010020010db800000000000000000000'
                '00071400000003000200030000005a1f000000000000'),
        ],
    },
    {
        'scope': {},
        'links': {'lo': 1, 'v1': 2, 'v0': 3, 'w1': 4, 'w0': 5},
        'sent': [
            (
                '1c0000001e0001030200000000000000000000000000000000000000'),
            (
                '1c0000001e0001030300000000000000000000000000000000000800'),
        ],
        'received': [
            (
                '4c0000001c000200020000005a1f000002000000030000008000000108000100c00002050a00020002'
                '000000000500000800040000000000140003000a0000000a0000000a000000000000004c0000001c00'
                '0200020000005a1f000002000000030000004000000108000100c00002060a00020002000000000600'
                '00080004000000000014000300080000000800000008000000000000004c0000001c00020002000000'
                '5a1f000002000000030000000400000108000100c00002070a00020002000000000700000800040000'
                '00000014000300771700000700000007000000000000004c0000001c000200020000005a1f00000200'
                '0000030000008000100108000100c00002080a00020002000000000800000800040000000000140003'
                '00060000000600000006000000000000004c0000001c000200020000005a1f00000200000005000000'
                '8000000108000100c00002400a00020002000000006400000800040000000000140003000200000002'
                '0000000200000000000000580000001c000200020000005a1f00000a00000003000000400000051400'
                '0100ff0200000000000000000000000000160a00020033330000001600000800040000000000140003'
                '0072170000020000000200000000000000580000001c000200020000005a1f00000a00000003000000'
                '800080011400010020010db80000000000000000000000050a00020002000000000500000800040000'
                '00000014000300060000000600000006000000000000001400000003000200020000005a1f00000000'
                '0000'),
            (
                '240000001c000200030000005a1f000002000000030000000000080108000100c0000232300000001c'
                '000200030000005a1f00000a00000003000000000088011400010020010db800000000000000000000'
                '00071400000003000200030000005a1f000000000000'),
        ],
    },
]
SHOWN = {
    'ip -j neigh show nud all': (
        '[{"dst":"192.0.2.5","dev":"v0","lladdr":"02:00:00:00:00:05","state":["PERMANENT"]},{"dst":'
        '"192.0.2.6","dev":"v0","lladdr":"02:00:00:00:00:06","state":["NOARP"]},{"dst":"192.0.2.7",'
        '"dev":"v0","lladdr":"02:00:00:00:00:07","state":["STALE"]},{"dst":"192.0.2.8","dev":"v0","'
        'lladdr":"02:00:00:00:00:08","extern_learn":null,"state":["PERMANENT"]},{"dst":"192.0.2.64"'
        ',"dev":"w0","lladdr":"02:00:00:00:00:64","state":["PERMANENT"]},{"dst":"ff02::16","dev":"v'
        '0","lladdr":"33:33:00:00:00:16","state":["NOARP"]},{"dst":"2001:db8::5","dev":"v0","lladdr'
        '":"02:00:00:00:00:05","router":null,"state":["PERMANENT"]}] '
    ),
    'ip -j neigh show proxy': (
        '[{"dst":"192.0.2.50","dev":"v0","proxy":null},{"dst":"2001:db8::7","dev":"v0","router":nul'
        'l,"proxy":null}] '
    ),
}

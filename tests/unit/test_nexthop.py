# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nexthop resource: its nhmsg codec against bytes of a real kernel and of iproute2, normalization,
planning (order, refusals), rendering and parsing.

CAPTURED was taken in a fresh namespace (kernel 6.18, iproute2 6.1): `requests` are the bodies `ip nexthop`
sent (strace), `dump` the RTM_GETNEXTHOP dump of the same nexthops (v0 is ifindex 3), `ip_json` what
`ip -j -d nexthop show` printed.
"""

import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import nexthop as nh
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.nexthop import Nexthop

NLM_F_CREATE_EXCL = 0x600
REQUESTS = [
    ('nexthop add id 1 dev v0 via 192.0.2.2 onlink proto static',
     {'id': 1, 'gateway': '192.0.2.2', 'dev': 'v0', 'onlink': True, 'protocol': 'static'},
     '02000400040000000800010001000000080005000300000008000600c0000202'),
    ('nexthop add id 2 via 2001:db8::2 dev v0', {'id': 2, 'gateway': '2001:db8::2', 'dev': 'v0'},
     '0a0000000000000008000100020000001400060020010db80000000000000000000000020800050003000000'),
    ('nexthop add id 3 blackhole', {'id': 3, 'blackhole': True}, '0200000000000000080001000300000004000400'),
    ('nexthop add id 4 via 192.0.2.4 fdb', {'id': 4, 'gateway': '192.0.2.4', 'fdb': True},
     '0200000000000000080001000400000008000600c000020404000b00'),
    ('nexthop add id 10 group 1/2,3 proto bgp', {'id': 10, 'group': [{'id': 1}, {'id': 2, 'weight': 3}],
                                                 'protocol': 'bgp'},
     '0000ba0000000000080001000a0000001400020001000000000000000200000002000000'),
    ('nexthop add id 11 group 1 type resilient buckets 8 idle_timer 60 unbalanced_timer 5',
     {'id': 11, 'group': [{'id': 1}], 'resilient': {'buckets': 8, 'idle_timer': 60, 'unbalanced_timer': 5}},
     '0000000000000000080001000b0000000c00020001000000000000001c000c800600010008000000080002007017000008000300'
     'f40100000600030001000000'),
]
DUMP = [
    '3000000068000200010000007327000002fd0400040000000800010001000000080005000300000008000600c0000202',
    '3c0000006800020001000000732700000afd000000000000080001000200000008000500030000001400060020010db800000000000000'
    '0000000002',
    '240000006800020001000000732700000200000000000000080001000300000004000400',
    '2c00000068000200010000007327000002fd000000000000080001000400000004000b0008000600c0000204',
    '440000006800020001000000732700000000ba0000000000080001000a00000006000300000000001400020001000000000000000200'
    '00000200000008000e0000000080',
    '640000006800020001000000732700000000000000000000080001000b00000006000300010000000c00020001000000000000002800'
    '0c800600010008000000080002007017000008000300f40100000c000400000000000000000008000e0000000080',
]
IP_JSON = (
    '[{"id":1,"gateway":"192.0.2.2","dev":"v0","scope":"link","protocol":"static","flags":["onlink"]},'
    '{"id":2,"gateway":"2001:db8::2","dev":"v0","scope":"link","protocol":"unspec","flags":[]},'
    '{"id":3,"scope":"global","blackhole":null,"protocol":"unspec","flags":[]},'
    '{"id":4,"gateway":"192.0.2.4","scope":"link","protocol":"unspec","flags":[],"fdb":null},'
    '{"id":10,"group":[{"id":1},{"id":2,"weight":3}],"scope":"global","protocol":"bgp","flags":[]},'
    '{"id":11,"group":[{"id":1}],"type":"resilient","resilient_args":{"buckets":8,"idle_timer":60,'
    '"unbalanced_timer":5,"unbalanced_time":0},"scope":"global","protocol":"unspec","flags":[]}]')
SINGLE = {'group': None, 'group_type': None, 'resilient': None, 'blackhole': False, 'fdb': False, 'onlink': False,
          'protocol': 'unspec'}
GROUP = {'family': None, 'gateway': None, 'dev': None, 'blackhole': False, 'fdb': False, 'onlink': False,
         'protocol': 'unspec', 'resilient': None, 'group_type': 'mpath'}
GATHERED = [
    dict(SINGLE, id=1, family='inet', gateway='192.0.2.2', dev='v0', onlink=True, protocol='static'),
    dict(SINGLE, id=2, family='inet6', gateway='2001:db8::2', dev='v0'),
    dict(SINGLE, id=3, family='inet', gateway='', dev='', blackhole=True),
    dict(SINGLE, id=4, family='inet', gateway='192.0.2.4', dev='', fdb=True),
    dict(GROUP, id=10, group=[{'id': 1, 'weight': 1}, {'id': 2, 'weight': 3}], protocol='bgp'),
    dict(GROUP, id=11, group=[{'id': 1, 'weight': 1}], group_type='resilient',
         resilient={'buckets': 8, 'idle_timer': 60, 'unbalanced_timer': 5}),
]


def tlvs(data):
    """The attributes of a body after its 8-byte nhmsg, as a sorted list of (type, payload)."""
    found, offset = [], 8
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from('=HH', data, offset)
        found.append((kind, data[offset + 4:offset + length]))
        offset += (length + 3) & ~3
    return sorted(found)


def resource(scope=None, indexes=None):
    res = Nexthop(None, dict(scope or {}), None)
    res.indexes = dict(indexes or {'v0': 3})
    return res


def normalized(scope=None, **item):
    return resource(scope).normalize(item)


def decoded(text):
    msg = nh.nhmsg_class()(bytes.fromhex(text))
    msg.decode()
    return msg


# -- the codec ---------------------------------------------------------------------------------------

@pytest.mark.parametrize('command, item, body', REQUESTS, ids=[r[0] for r in REQUESTS])
def test_requests_carry_what_iproute2_sends(command, item, body):
    msg = resource().message(normalized(**item))
    msg['header']['type'] = nh.RTM_NEWNEXTHOP
    msg.encode()
    ours, theirs = bytes(msg.data)[16:], bytes.fromhex(body)
    assert ours[:8] == theirs[:8], 'nhmsg differs'
    assert tlvs(ours) == tlvs(theirs)


def test_delete_request_names_the_id_only():
    msg, msg_type, flags = resource().requests(engine.Change('delete', (3,), {'id': 3}, None))
    msg.encode()
    assert (msg_type, flags) == (nh.RTM_DELNEXTHOP, 0)
    assert bytes(msg.data)[16:] == bytes.fromhex('00000000000000000800010003000000')


def test_a_create_is_exclusive_and_an_update_replaces():
    res = resource()
    item = normalized(id=1, gateway='192.0.2.2', dev='v0')
    assert res.requests(engine.Change('create', (1,), None, item))[1:] == (nh.RTM_NEWNEXTHOP, NLM_F_CREATE_EXCL)
    assert res.requests(engine.Change('update', (1,), item, item, {'onlink': True}))[2] == 0x500


def test_kernel_dump_decodes_to_the_config_shape():
    names = {3: 'v0'}
    assert [Nexthop.from_message(decoded(text), names) for text in DUMP] == GATHERED


def test_ip_json_parses_to_the_same_shape():
    # `ip -j nexthop show` does not say the family of a nexthop without gateway
    assert Nexthop.parse(IP_JSON) == [dict(h, family=None) if h['id'] == 3 else h for h in GATHERED]


def test_gathered_objects_feed_back_unchanged():
    res = resource()
    for have in GATHERED:
        want = res.normalize(dict((k, v) for k, v in have.items() if v is not None))
        assert engine.delta_for(res, want, have, reset_omitted=True) == {}, have['id']


def test_group_members_pack_with_weight_minus_one():
    members = [{'id': 7, 'weight': 1}, {'id': 8, 'weight': 256}]
    assert nh.encode_group(members) == struct.pack('=IBBHIBBH', 7, 0, 0, 0, 8, 255, 0, 0)
    assert nh.decode_group(nh.encode_group(members)) == members


@pytest.mark.parametrize('text', [
    'id 1 via 192.0.2.1',
    '{"id": 1}',
    '[{"gateway": "192.0.2.1"}]',
    '[{"id": 1, "gateway": "x"}]',
    '[3]',
])
def test_parse_refuses_what_is_not_its_json(text):
    with pytest.raises(ValidationError) as info:
        Nexthop.parse(text)
    assert 'not JSON from `ip -j nexthop show`' in str(info.value)


# -- normalization ---------------------------------------------------------------------------------

NORMAL = [
    ('gateway gives the family', dict(id=1, gateway='2001:DB8::1', dev='v0'),
     {'gateway': '2001:db8::1', 'family': 'inet6', 'blackhole': False, 'fdb': False}),
    ('a blackhole has no gateway nor device', dict(id=1, blackhole=True), {'gateway': '', 'dev': ''}),
    ('an fdb nexthop has no device', dict(id=1, gateway='192.0.2.1', fdb=True), {'dev': '', 'blackhole': False}),
    ('protocol by number', dict(id=1, protocol='186'), {'protocol': 'bgp'}),
    ('unnamed protocol number', dict(id=1, protocol='250'), {'protocol': '250'}),
    ('members weigh 1 by default', dict(id=9, group=[{'id': 1}, {'id': 2, 'weight': 5}]),
     {'group': [{'id': 1, 'weight': 1}, {'id': 2, 'weight': 5}], 'group_type': None, 'gateway': None}),
    ('resilient options imply the type', dict(id=9, group=[{'id': 1}], resilient={'buckets': 16}),
     {'group_type': 'resilient', 'resilient': {'buckets': 16}}),
]


@pytest.mark.parametrize('item, expected', [n[1:] for n in NORMAL], ids=[n[0] for n in NORMAL])
def test_normalize(item, expected):
    result = normalized(**item)
    for key, value in expected.items():
        assert result[key] == value


def test_the_scope_device_is_no_default_for_a_group_or_blackhole():
    assert normalized({'dev': 'v0'}, id=9, dev='v0', group=[{'id': 1}])['dev'] is None
    assert normalized({'dev': 'v0'}, id=9, dev='v0', blackhole=True)['dev'] == ''


REFUSED = [
    (dict(id=0, blackhole=True), 'id: 0 is not a nexthop id; use 1-4294967295'),
    (dict(id=1, gateway='192.0.2.300'), "gateway: '192.0.2.300' is not an IPv4/IPv6 address"),
    (dict(id=1, gateway='192.0.2.1', family='inet6'), 'family: inet6 does not match gateway 192.0.2.1'),
    (dict(id=1, blackhole=True, gateway='192.0.2.1'), 'blackhole: a blackhole nexthop has no gateway'),
    (dict(id=1, fdb=True, gateway='192.0.2.1', dev='v0'), 'fdb: a nexthop for the bridge FDB has a gateway only'),
    (dict(id=1, fdb=True), 'fdb: a nexthop for the bridge FDB needs a gateway'),
    (dict(id=1, protocol='ospf3'), "protocol: 'ospf3' is not a routing protocol"),
    (dict(id=1, protocol='256'), "protocol: '256' is not a routing protocol"),
    (dict(id=1, group_type='resilient'), 'group_type: only a nexthop group (group) has a group_type'),
    (dict(id=9, group=[]), 'group: a nexthop group needs at least one member'),
    (dict(id=9, group=[{'id': 1}], gateway='192.0.2.1'), 'gateway: a nexthop group has no gateway'),
    (dict(id=9, group=[{'id': 1}], onlink=True), 'onlink: a nexthop group cannot be onlink'),
    (dict(id=9, group=[{'id': 1, 'weight': 257}]), "group: {'id': 1, 'weight': 257} is not a member"),
    (dict(id=9, group=[{'id': 1}, {'id': 1}]), 'group: nexthop 1 is listed twice or is the group itself'),
    (dict(id=9, group=[{'id': 9}]), 'group: nexthop 9 is listed twice or is the group itself'),
    (dict(id=9, group=[{'id': 1}], group_type='mpath', resilient={'buckets': 8}),
     'resilient: only a group of group_type resilient'),
    (dict(id=1, ids='5-2'), "ids: '5-2' is not a nexthop id or range"),
]


@pytest.mark.parametrize('item, message', REFUSED, ids=[r[1][:40] for r in REFUSED])
def test_normalize_refuses(item, message):
    with pytest.raises(ValidationError) as info:
        normalized(**item)
    assert message in str(info.value)


def test_purging_needs_a_scope():
    res = resource()
    with pytest.raises(ValidationError, match='set protocol, ids and/or dev'):
        res.check_request('overridden', [])
    res.check_request('merged', [])


def test_scope_is_protocol_ids_and_device_together():
    res = resource({'protocol': '4', 'ids': '100-199', 'dev': 'v0'})
    res.check_request('overridden', [])
    inside = dict(SINGLE, id=150, gateway='192.0.2.2', dev='v0', protocol='static')
    assert res.in_scope(inside)
    assert not res.in_scope(dict(inside, id=200))
    assert not res.in_scope(dict(inside, protocol='bgp'))
    assert not res.in_scope(dict(inside, dev='v1'))


# -- gathering: kernel-side filters ---------------------------------------------------------------------

class FakeConnection:
    """Answers dumps from GATHERED (as the kernel filters them) and GETs by id; records the filters."""

    def __init__(self, table):
        self.table = table
        self.filters = []
        self.gets = []

    def dump(self, request, msg_type, reply_class):
        attrs = dict(request['attrs'])
        self.filters.append(sorted(attrs))
        return [have for have in self.table if ('NHA_OIF' not in attrs or have.get('dev') == 'v0')
                and ('NHA_GROUPS' not in attrs or have['group']) and ('NHA_FDB' not in attrs or have['fdb'])]

    def request(self, request, msg_type, flags=0, reply_class=None):
        nh_id = dict(request['attrs'])['NHA_ID']
        self.gets.append(nh_id)
        return [have for have in self.table if have['id'] == nh_id]


@pytest.fixture
def gathering(monkeypatch):
    monkeypatch.setattr(nh.rtnl, 'link_indexes', lambda conn: {'v0': 3, 'v1': 2})
    monkeypatch.setattr(Nexthop, 'from_message', staticmethod(lambda have, names: have))

    def make(state, wants, scope=None):
        conn = FakeConnection(GATHERED)
        res = Nexthop(conn, dict(scope or {}), None)
        wants = [res.normalize(w) for w in wants]
        res.check_request(state, wants)
        return res, conn, res.gather()
    return make


def test_wants_on_one_device_filter_by_it_and_get_the_ids_found_elsewhere(gathering):
    res, conn, haves = gathering('merged', [{'id': 1, 'gateway': '192.0.2.9', 'dev': 'v0'},
                                            {'id': 4, 'gateway': '192.0.2.8', 'dev': 'v0'}])
    assert conn.filters == [['NHA_OIF']]
    assert conn.gets == [4]  # an fdb nexthop: not on v0
    assert sorted(h['id'] for h in haves) == [1, 2, 4]


def test_wanted_groups_filter_groups(gathering):
    res, conn, haves = gathering('replaced', [{'id': 10, 'group': [{'id': 1}]}, {'id': 12, 'group': [{'id': 1}]}])
    assert conn.filters == [['NHA_GROUPS']]
    assert conn.gets == [12]


def test_overridden_by_protocol_reads_everything_and_keeps_the_scope(gathering):
    res, conn, haves = gathering('overridden', [{'id': 3, 'blackhole': True}], scope={'protocol': 'bgp'})
    assert conn.filters == [[]]
    assert sorted(h['id'] for h in haves) == [3, 10]


def test_gathered_on_a_device_is_filtered_by_the_kernel(gathering):
    res, conn, haves = gathering('gathered', [], scope={'dev': 'v0'})
    assert conn.filters == [['NHA_OIF']]
    assert sorted(h['id'] for h in haves) == [1, 2]


def test_many_ids_missing_from_a_filtered_dump_read_everything(gathering):
    wants = [{'id': 100 + i, 'gateway': '192.0.2.9', 'dev': 'v0'} for i in range(nh.GET_LIMIT + 1)]
    res, conn, haves = gathering('merged', wants)
    assert conn.filters == [['NHA_OIF'], []]
    assert conn.gets == []


# -- planning --------------------------------------------------------------------------------------

class GroupsConnection:
    """Answers the NHA_GROUPS dump of check_members with the groups of GATHERED."""

    def dump(self, request, msg_type, reply_class):
        assert dict(request['attrs']) == {'NHA_GROUPS': True}
        return [decoded(text) for text in DUMP[4:]]


def planned(state, wants, haves=None, scope=None):
    haves = GATHERED if haves is None else haves
    res = Nexthop(GroupsConnection(), dict(scope or {}), None)
    res.indexes = {'v0': 3}
    wants = [res.normalize(w) for w in wants]
    res.check_request(state, wants)
    return res, res.order(engine.plan(res, state, wants, haves))


def test_members_first_groups_last_and_deletions_around_them():
    res, changes = planned('overridden', [{'id': 20, 'group': [{'id': 21}]}, {'id': 21, 'blackhole': True}],
                           haves=[h for h in GATHERED if h['id'] in (3, 4, 10)], scope={'protocol': 'unspec'})
    steps = [(c.op, c.key[0]) for c in changes]
    assert steps[:2] == [('create', 21), ('create', 20)] and sorted(steps[2:]) == [('delete', 3), ('delete', 4)]
    res, changes = planned('overridden', [{'id': 2, 'gateway': '2001:db8::2', 'dev': 'v0'}],
                           scope={'ids': '1-20'})
    assert sorted(c.key[0] for c in changes[:2]) == [10, 11]  # groups before their members
    assert sorted(c.key[0] for c in changes[2:]) == [1, 3, 4]


def test_deleting_a_member_of_a_remaining_group_is_refused():
    with pytest.raises(ValidationError, match='nexthop 1: group 10 still uses it after this task'):
        planned('deleted', [{'id': 1}])
    res, changes = planned('deleted', [{'id': 1}, {'id': 10}, {'id': 11}])
    assert [c.key[0] for c in changes] == [10, 11, 1]
    res, changes = planned('merged', [{'id': 10, 'group': [{'id': 2}]}, {'id': 11, 'group': [{'id': 2}]}])
    assert [c.op for c in changes] == ['update', 'update']


@pytest.mark.parametrize('want, message', [
    ({'id': 1, 'group': [{'id': 2}]}, 'cannot turn a nexthop into a group'),
    ({'id': 10, 'blackhole': True}, 'cannot turn a nexthop into a group or a group into a nexthop'),
    ({'id': 10, 'group': [{'id': 1}], 'group_type': 'resilient'}, 'cannot change group_type (mpath to resilient)'),
    ({'id': 11, 'group': [{'id': 1}], 'resilient': {'buckets': 16}}, 'cannot change the number of buckets'),
])
def test_changes_the_kernel_cannot_make_in_place_are_refused_before_anything(want, message):
    with pytest.raises(ValidationError) as info:
        planned('merged', [want])
    assert message in str(info.value)
    assert 'routes using it are deleted with it' in str(info.value)


def test_a_partial_resilient_change_keeps_the_other_options():
    res, changes = planned('merged', [{'id': 11, 'group': [{'id': 1}], 'resilient': {'idle_timer': 30}}])
    assert changes[0].after['resilient'] == {'buckets': 8, 'idle_timer': 30, 'unbalanced_timer': 5}


# -- rendering -------------------------------------------------------------------------------------

RENDERED = [
    (dict(id=1, gateway='192.0.2.2', dev='v0', onlink=True, protocol='static'),
     'ip -n lab nexthop add id 1 via 192.0.2.2 dev v0 onlink proto static'),
    (dict(id=3, blackhole=True), 'ip -n lab nexthop add id 3 blackhole'),
    (dict(id=3, blackhole=True, family='inet6'), 'ip -n lab -6 nexthop add id 3 blackhole'),
    (dict(id=4, gateway='192.0.2.4', fdb=True), 'ip -n lab nexthop add id 4 via 192.0.2.4 fdb'),
    (dict(id=10, group=[{'id': 1}, {'id': 2, 'weight': 3}], protocol='bgp'),
     'ip -n lab nexthop add id 10 group 1/2,3 proto bgp'),
    (dict(id=11, group=[{'id': 1}], resilient={'buckets': 8, 'idle_timer': 60}),
     'ip -n lab nexthop add id 11 group 1 type resilient buckets 8 idle_timer 60'),
]


@pytest.mark.parametrize('item, command', RENDERED, ids=[r[1][18:] for r in RENDERED])
def test_render(item, command):
    res = Nexthop(None, {}, 'lab')
    want = res.normalize(item)
    assert res.render(engine.Change('create', (want['id'],), None, want)) == [command]


def test_render_update_and_delete():
    res = Nexthop(None, {}, None)
    have = GATHERED[0]
    assert res.render(engine.Change('update', (1,), have, dict(have, onlink=False, protocol='unspec'),
                                    {'onlink': False})) == ['ip nexthop replace id 1 via 192.0.2.2 dev v0']
    assert res.render(engine.Change('delete', (1,), have, None)) == ['ip nexthop del id 1']

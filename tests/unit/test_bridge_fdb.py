# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bridge FDB resource: requests against those of `bridge fdb`, the kernel's dump decoded, identity,
normalization, the purge scope and rendering.

Captured in a fresh namespace (kernel 6.18, iproute2 6.1): v1 (2) and v0 (3) a veth pair, v0 a port of br0 (4),
vx0 (5) a VXLAN device (VNI 42, port 4789). REQUESTS are the bodies `bridge fdb` sent (strace), DUMP the
AF_BRIDGE RTM_GETNEIGH dump afterwards, BRIDGE_JSON what `bridge -j fdb show` printed.
"""

import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import bridge_fdb as fdb
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.bridge_fdb import BridgeFdb

REQUESTS = [
    ('fdb add 02:00:00:00:aa:01 dev v0 master static sticky', 0x600,
     {'dev': 'v0', 'mac': '02:00:00:00:aa:01', 'nud': 'static', 'sticky': True},
     '0700000003000000420044000a00020002000000aa010000'),
    ('fdb add 02:00:00:00:aa:02 dev br0 self permanent', 0x600, {'dev': 'br0', 'mac': '02:00:00:00:aa:02'},
     '0700000004000000c00002000a00020002000000aa020000'),
    ('fdb append 00:00:00:00:00:00 dev vx0 self permanent dst 192.0.2.10 port 4790', 0xc00,
     {'dev': 'vx0', 'mac': '00:00:00:00:00:00', 'dst': '192.0.2.10', 'port': 4790},
     '0700000005000000c00002000a000200000000000000000008000100c000020a0600060012b60000'),
    ('fdb add 02:00:00:00:bb:01 dev vx0 self static dst 192.0.2.12 vni 100 via v1', 0x600,
     {'dev': 'vx0', 'mac': '02:00:00:00:bb:01', 'nud': 'static', 'dst': '192.0.2.12', 'vni': 100, 'via': 'v1'},
     '0700000005000000420002000a00020002000000bb01000008000100c000020c08000700640000000800080002000000'),
]
REPLACE = ('fdb replace 02:00:00:00:aa:01 dev v0 master permanent', 0x500,
           '0700000003000000c00004000a00020002000000aa010000')
DELETE = ('fdb del 02:00:00:00:aa:01 dev v0 master', 0, '0700000003000000c00004000a00020002000000aa010000')
DUMP = [
    '280000001c000200010000007f2600000700000002000000800002000a0002003333000000010000',
    '280000001c000200010000007f2600000700000002000000800002000a00020001005e0000010000',
    '4c0000001c000200010000007f2600000700000003000000400040000a00020002000000aa010000080009000400000008000f0000000000'
    '1400030000000000000000000000000000000000',
    '4c0000001c000200010000007f2600000700000003000000800000000a0002000200000000010000080009000400000008000f0000000000'
    '1400030000000000040000000400000000000000',
    '280000001c000200010000007f2600000700000003000000800002000a0002003333000000010000',
    '280000001c000200010000007f2600000700000003000000800002000a00020001005e0000010000',
    '280000001c000200010000007f2600000700000003000000800002000a0002003333ff0000010000',
    '280000001c000200010000007f2600000700000004000000800002000a0002003333000000010000',
    '4c0000001c000200010000007f2600000700000004000000800000000a00020002000000aa020000080009000400000008000f0000000000'
    '1400030000000000020000000200000000000000',
    '4c0000001c000200010000007f2600000700000004000000800000000a0002000200000000100000080009000400000008000f0000000000'
    '1400030000000000040000000400000000000000',
    '540000001c000200010000007f2600000700000005000000420002010a00020002000000bb01000008000100c000020c0800070064000000'
    '08000800020000001400030000000000010000000100000000000000',
    '4c0000001c000200010000007f2600000700000005000000c00002010a000200000000000000000008000100c000020a0600060012b60000'
    '1400030000000000020000000200000000000000',
]
BRIDGE_JSON = (
    '[{"mac":"33:33:00:00:00:01","ifname":"v1","flags":["self"],"state":"permanent"},'
    '{"mac":"01:00:5e:00:00:01","ifname":"v1","flags":["self"],"state":"permanent"},'
    '{"mac":"02:00:00:00:aa:01","ifname":"v0","flags":["sticky"],"master":"br0","state":"static"},'
    '{"mac":"02:00:00:00:00:01","ifname":"v0","flags":[],"master":"br0","state":"permanent"},'
    '{"mac":"33:33:00:00:00:01","ifname":"v0","flags":["self"],"state":"permanent"},'
    '{"mac":"01:00:5e:00:00:01","ifname":"v0","flags":["self"],"state":"permanent"},'
    '{"mac":"33:33:ff:00:00:01","ifname":"v0","flags":["self"],"state":"permanent"},'
    '{"mac":"33:33:00:00:00:01","ifname":"br0","flags":["self"],"state":"permanent"},'
    '{"mac":"02:00:00:00:aa:02","ifname":"br0","flags":[],"master":"br0","state":"permanent"},'
    '{"mac":"02:00:00:00:00:10","ifname":"br0","flags":[],"master":"br0","state":"permanent"},'
    '{"mac":"02:00:00:00:bb:01","ifname":"vx0","dst":"192.0.2.12","vni":100,"viaIf":"v1","flags":["self"],'
    '"state":"static"},'
    '{"mac":"00:00:00:00:00:00","ifname":"vx0","dst":"192.0.2.10","port":4790,"flags":["self"],"state":"permanent"}]')
ENTRY = {'vlan': None, 'dst': None, 'vni': None, 'port': None, 'src_vni': None, 'via': '', 'sticky': False,
         'extern_learn': False}
GATHERED = [
    dict(ENTRY, dev='v1', mac='33:33:00:00:00:01', self=True, nud='permanent'),
    dict(ENTRY, dev='v1', mac='01:00:5e:00:00:01', self=True, nud='permanent'),
    dict(ENTRY, dev='v0', mac='02:00:00:00:aa:01', self=False, nud='static', sticky=True),
    dict(ENTRY, dev='v0', mac='02:00:00:00:00:01', self=False, nud='permanent'),
    dict(ENTRY, dev='v0', mac='33:33:00:00:00:01', self=True, nud='permanent'),
    dict(ENTRY, dev='v0', mac='01:00:5e:00:00:01', self=True, nud='permanent'),
    dict(ENTRY, dev='v0', mac='33:33:ff:00:00:01', self=True, nud='permanent'),
    dict(ENTRY, dev='br0', mac='33:33:00:00:00:01', self=True, nud='permanent'),
    dict(ENTRY, dev='br0', mac='02:00:00:00:aa:02', self=False, nud='permanent'),
    dict(ENTRY, dev='br0', mac='02:00:00:00:00:10', self=False, nud='permanent'),
    dict(ENTRY, dev='vx0', mac='02:00:00:00:bb:01', self=True, nud='static', dst='192.0.2.12', vni=100, port=4789,
         via='v1'),
    dict(ENTRY, dev='vx0', mac='00:00:00:00:00:00', self=True, nud='permanent', dst='192.0.2.10', vni=42, port=4790),
]


def link(index, name, kind=None, master=None, address=None, vni=None, port=None, remote=None):
    made = fdb.Link.__new__(fdb.Link)
    made.index, made.name, made.kind, made.master, made.address = index, name, kind, master, address
    made.vni, made.port, made.remote = vni, port, remote
    return made


LINKS = dict((item.name, item) for item in [
    link(2, 'v1', 'veth', address='02:00:00:00:00:02'),
    link(3, 'v0', 'veth', master=4, address='02:00:00:00:00:01'),
    link(4, 'br0', 'bridge', address='02:00:00:00:00:10'),
    link(5, 'vx0', 'vxlan', address='02:00:00:00:00:20', vni=42, port=4789, remote='192.0.2.100'),
])
NAMES = dict((item.index, name) for name, item in LINKS.items())


def resource(scope=None, netns=None, vlans=False):
    res = BridgeFdb(None, dict(scope or {}), netns)
    res._links = LINKS
    res._vlans = dict((name, vlans) for name in LINKS)
    return res


def normalized(scope=None, **item):
    return resource(scope).normalize(item)


def tlvs(data):
    """The attributes after a 12-byte ndmsg, sorted, as (type, payload)."""
    found, offset = [], 12
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from('=HH', data, offset)
        found.append((kind, data[offset + 4:offset + length]))
        offset += (length + 3) & ~3
    return sorted(found)


def encoded(msg):
    msg.encode()
    return bytes(msg.data)[16:]


def decoded(text):
    from pyroute2.netlink.rtnl.ndmsg import ndmsg
    msg = ndmsg(bytes.fromhex(text))
    msg.decode()
    return msg


# -- the codec ---------------------------------------------------------------------------------------

@pytest.mark.parametrize('command, flags, item, body', REQUESTS, ids=[r[0][:40] for r in REQUESTS])
def test_requests_carry_what_bridge_fdb_sends(command, flags, item, body):
    res = resource()
    want = res.normalize(item)
    requests = res.requests(engine.Change('create', res.key(want), None, want))
    assert len(requests) == 1 and requests[0][1:] == (fdb.RTM_NEWNEIGH, flags)
    ours, theirs = encoded(requests[0][0]), bytes.fromhex(body)
    assert ours[:12] == theirs[:12], 'ndmsg differs'
    assert tlvs(ours) == tlvs(theirs)


def test_replace_and_delete_requests():
    res = resource()
    before = dict(GATHERED[2])
    after = dict(before, nud='permanent', sticky=False)
    (msg, msg_type, flags), = res.requests(engine.Change('update', res.key(after), before, after,
                                                         {'nud': 'permanent', 'sticky': False}))
    assert (msg_type, flags) == (fdb.RTM_NEWNEIGH, REPLACE[1])
    assert encoded(msg) == bytes.fromhex(REPLACE[2])
    (msg, msg_type, flags), = res.requests(engine.Change('delete', res.key(after), after, None))
    assert (msg_type, flags) == (fdb.RTM_DELNEIGH, DELETE[1])
    assert encoded(msg) == bytes.fromhex(DELETE[2])


def test_extern_learn_and_remotes_of_non_unicast_entries_are_recreated():
    res = resource()
    before = GATHERED[11]
    after = dict(before, port=4791)
    change = engine.Change('update', res.key(after), before, after, {'port': 4791})
    assert [(t, f) for _m, t, f in res.requests(change)] == [(fdb.RTM_DELNEIGH, 0),
                                                             (fdb.RTM_NEWNEIGH, 0x400 | fdb.NLM_F_APPEND)]
    before = GATHERED[2]
    after = dict(before, extern_learn=True, nud=None)
    change = engine.Change('update', res.key(after), before, after, {'extern_learn': True})
    assert [(t, f) for _m, t, f in res.requests(change)] == [(fdb.RTM_DELNEIGH, 0), (fdb.RTM_NEWNEIGH, 0x600)]


def test_kernel_dump_decodes_to_the_config_shape():
    assert [BridgeFdb.from_message(decoded(text), NAMES, LINKS) for text in DUMP] == GATHERED


def test_bridge_json_parses_to_the_same_shape():
    # `bridge -j fdb show` leaves out a VXLAN entry's VNI and port when they are the device's own
    expected = [dict(h, vni=100, port=None) if h['mac'] == '02:00:00:00:bb:01' else
                dict(h, vni=None) if h['dev'] == 'vx0' else h for h in GATHERED]
    assert BridgeFdb.parse(BRIDGE_JSON) == expected


def test_gathered_entries_feed_back_unchanged():
    res = resource()
    for have in GATHERED:
        if have['self'] and have['dev'] == 'br0':
            continue  # the bridge's own address list: not something one adds
        want = res.normalize(dict((k, v) for k, v in have.items() if v is not None))
        assert res.key(want) == res.key(have)
        assert engine.delta_for(res, want, have, reset_omitted=True) == {}, have


# -- identity and normalization --------------------------------------------------------------------

def test_remote_is_identity_only_for_entries_that_are_not_unicast():
    res = resource()
    assert res.key(GATHERED[11]) == ('vx0', '00:00:00:00:00:00', None, True, '192.0.2.10')
    assert res.key(GATHERED[10]) == ('vx0', '02:00:00:00:bb:01', None, True, None)
    assert res.label(res.key(GATHERED[11])) == 'vx0 00:00:00:00:00:00 self dst 192.0.2.10'


NORMAL = [
    ('a port defaults to its bridge', dict(dev='v0', mac='02:00:00:00:AA:01'), {'self': False, 'mac': '02:00:00:00:aa:01'}),
    ('other devices to their own table', dict(dev='vx0', mac='02:00:00:00:aa:01'), {'self': True}),
    ('the bridge itself is always its FDB', dict(dev='br0', mac='02:00:00:00:aa:01', self=True), {'self': False}),
    ('a device unknown yet to its own table', dict(dev='nosuch', mac='02:00:00:00:aa:01'), {'self': True}),
    ('a remote written canonically', dict(dev='vx0', mac='00:00:00:00:00:00', dst='2001:DB8::1'),
     {'dst': '2001:db8::1'}),
]


@pytest.mark.parametrize('item, expected', [n[1:] for n in NORMAL], ids=[n[0] for n in NORMAL])
def test_normalize(item, expected):
    result = normalized(**item)
    for key, value in expected.items():
        assert result[key] == value


REFUSED = [
    (dict(dev='v0', mac='02:00:00:00:aa'), "mac: '02:00:00:00:aa' is not a MAC address"),
    (dict(dev='v0', mac='02:00:00:00:aa:01', vlan=4095), 'vlan: 4095 is not a VLAN id; use 1-4094'),
    (dict(dev='v0', mac='01:00:5e:00:00:01'), 'mac: 01:00:5e:00:00:01 is not a unicast address'),
    (dict(dev='v0', mac='02:00:00:00:aa:01', dst='192.0.2.1'), 'dst: only entries of a VXLAN device itself'),
    (dict(dev='vx0', mac='02:00:00:00:aa:01', dst='nowhere'), "dst: 'nowhere' is not an IPv4/IPv6 address"),
    (dict(dev='vx0', mac='02:00:00:00:aa:01', vni=1 << 24), 'vni: 16777216 is out of range 0-16777215'),
    (dict(dev='vx0', mac='00:00:00:00:00:00'), 'dst: an all-zeros or multicast entry of a VXLAN device names'),
    (dict(dev='v0', mac='02:00:00:00:aa:01', extern_learn=True, nud='static'),
     'nud: the bridge keeps extern_learn entries as learned'),
    (dict(dev='br0', mac='02:00:00:00:aa:01', nud='static'), 'nud: the entries of the bridge itself (br0) are local'),
    (dict(dev='v0', mac='02:00:00:00:aa:01', nud='permanent', sticky=True),
     'sticky: a permanent (local) entry cannot be sticky'),
    (dict(dev='v0', self=True, mac='02:00:00:00:aa:01', sticky=True), 'sticky: a permanent (local) entry'),
]


@pytest.mark.parametrize('item, message', REFUSED, ids=[r[1][:40] for r in REFUSED])
def test_normalize_refuses(item, message):
    with pytest.raises(ValidationError) as info:
        normalized(**item)
    assert message in str(info.value)


# -- the purge scope -------------------------------------------------------------------------------

def test_purge_spares_what_the_kernel_keeps_and_what_is_learned():
    res = resource({'dev': 'v0'})
    mine = dict(ENTRY, dev='v0', mac='02:00:00:00:aa:05', self=False, nud='static')
    assert res.in_scope(mine)
    assert res.in_scope(dict(mine, nud='permanent'))
    assert not res.in_scope(dict(mine, dev='v2'))
    assert not res.in_scope(GATHERED[3]), "the port's own address"
    assert not res.in_scope(GATHERED[4]), "the port's own (multicast) address list"
    assert not res.in_scope(dict(mine, self=True)), 'the unicast address list of a device other than VXLAN'
    assert not res.in_scope(dict(mine, nud='dynamic'))
    assert not res.in_scope(dict(mine, extern_learn=True))
    assert resource({'dev': 'v0', 'purge_learned': True}).in_scope(dict(mine, nud='dynamic'))
    assert not resource({'dev': 'v0', 'self': True}).in_scope(mine)


def test_purge_of_a_vxlan_device_spares_the_remote_of_its_link():
    res = resource({'dev': 'vx0'})
    assert res.in_scope(GATHERED[11])
    assert not res.in_scope(dict(GATHERED[11], dst='192.0.2.100'))


def test_purging_needs_a_device():
    with pytest.raises(ValidationError, match='set dev'):
        resource().check_request('overridden', [])


# -- rendering -------------------------------------------------------------------------------------

@pytest.mark.parametrize('command, flags, item, body', REQUESTS, ids=[r[0][:40] for r in REQUESTS])
def test_render_creation_as_bridge_fdb(command, flags, item, body):
    res = resource(netns='lab')
    want = res.normalize(item)
    rendered = res.render(engine.Change('create', res.key(want), None, want))
    assert rendered == ['bridge -n lab ' + command]


def test_render_update_and_delete():
    res = resource()
    before = GATHERED[11]
    after = dict(before, port=4791)
    assert res.render(engine.Change('update', res.key(after), before, after, {'port': 4791})) == [
        'bridge fdb del 00:00:00:00:00:00 dev vx0 self dst 192.0.2.10 vni 42 port 4790',
        'bridge fdb append 00:00:00:00:00:00 dev vx0 self permanent dst 192.0.2.10 vni 42 port 4791']
    before = GATHERED[2]
    after = dict(before, sticky=False)
    assert res.render(engine.Change('update', res.key(after), before, after, {'sticky': False})) == [
        'bridge fdb replace 02:00:00:00:aa:01 dev v0 master static']
    assert res.render(engine.Change('delete', res.key(before), before, None)) == [
        'bridge fdb del 02:00:00:00:aa:01 dev v0 master']


@pytest.mark.parametrize('text', [
    '02:00:00:00:00:01 dev v0',
    '{"mac": 1}',
    '[{"mac": "02:00:00:00:00:01"}]',
    '[null]',
])
def test_parse_refuses_what_is_not_its_json(text):
    with pytest.raises(ValidationError) as info:
        BridgeFdb.parse(text)
    assert 'not JSON from `bridge -j fdb show`' in str(info.value)


# -- a port with VLANs: an entry without VLAN brings one per VLAN -------------------------------------

def test_an_entry_without_vlan_on_a_port_with_vlans_is_added_with_replace_and_first():
    res = resource(vlans=True)
    wants = [res.normalize({'dev': 'v0', 'mac': '02:00:00:00:aa:30', 'vlan': 10}),
             res.normalize({'dev': 'v0', 'mac': '02:00:00:00:aa:30'}),
             res.normalize({'dev': 'v0', 'mac': '02:00:00:00:aa:31', 'vlan': 10})]
    res.check_request('merged', wants)
    changes = res.order(engine.plan(res, 'merged', wants, []))
    assert [c.key[1:3] for c in changes] == [('02:00:00:00:aa:30', None), ('02:00:00:00:aa:30', 10),
                                             ('02:00:00:00:aa:31', 10)]
    assert [res.render(c)[0].split()[2] for c in changes] == ['replace', 'replace', 'add']


def test_entries_with_vlan_are_deleted_before_the_one_without():
    haves = [dict(GATHERED[2], vlan=None), dict(GATHERED[2], vlan=1), dict(GATHERED[2], vlan=10)]
    res = resource({'dev': 'v0'}, vlans=True)
    res.check_request('deleted', [])
    changes = res.order(engine.plan(res, 'deleted', [], haves))
    assert [c.key[2] for c in changes][-1] is None and len(changes) == 3


def test_the_vlan_siblings_of_a_declared_entry_are_not_purged():
    res = resource({'dev': 'v0'}, vlans=True)
    wants = [res.normalize({'mac': '02:00:00:00:aa:01', 'dev': 'v0', 'sticky': True})]
    res.check_request('overridden', wants)
    assert not res.in_scope(dict(GATHERED[2], vlan=10))
    assert res.in_scope(dict(GATHERED[2], mac='02:00:00:00:aa:09', vlan=10))

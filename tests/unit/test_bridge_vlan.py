# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bridge VLAN resource: the RTM_GETVLAN dump of a real kernel decoded, VLANs cut along the wanted ranges,
the steps a change takes (and their requests), normalization, rendering and parsing.

The host kernel has no bridge VLAN filtering: CAPTURED comes from the test VM (Debian 6.12, iproute2 6.1), a
namespace where br0 (vlan_filtering 1) has ports v0 and vx0 (VXLAN, external, vlan_tunnel on):
  bridge vlan add dev v0 vid 10 / vid 20-29 / vid 100 pvid untagged / vid 12 untagged
  bridge vlan add dev br0 vid 100 self
  bridge vlan add dev vx0 vid 10-12 + tunnel_info id 1010-1012; vid 20 + tunnel_info id 5000
"""

import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import bridge_vlan as bv
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.bridge_vlan import BridgeVlan

LINKS = {'br0': 2, 'v1': 3, 'v0': 4, 'vx0': 5}
DUMP = [''.join(parts) for parts in (
    ('600000007000020001000000b300000007000000020000002400018008000100060001000500030003000000050009000000',
     '00000500060001000000240001800800010000006400050003000300000005000900000000000500060001000000'),
    ('d40000007000020001000000b300000007000000040000002400018008000100040001000500030003000000050009000000',
     '00000500060001000000240001800800010000000a0005000300030000000500090000000000050006000100000024000180',
     '0800010004000c000500030003000000050009000000000005000600010000002c0001800800010000001400060002001d00',
     '0000050003000300000005000900000000000500060001000000240001800800010006006400050003000300000005000900',
     '000000000500060001000000'),
    ('a40000007000020001000000b300000007000000050000002400018008000100060001000500030003000000050009000000',
     '00000500060001000000380001800800010000000a00060002000c00000005000300030000000c00048008000100f2030000',
     '0500090000000000050006000100000030000180080001000000140005000300030000000c00048008000100881300000500',
     '0900000000000500060001000000'),
)]
VLAN_SHOW = ''.join((
    '[{"ifname":"br0","vlans":[{"vlan":1,"flags":["PVID","Egress Untagged"]},{"vlan":100}]},{"ifname":"v0',
    '","vlans":[{"vlan":1,"flags":["Egress Untagged"]},{"vlan":10},{"vlan":12,"flags":["Egress Untagged"]',
    '},{"vlan":20},{"vlan":21},{"vlan":22},{"vlan":23},{"vlan":24},{"vlan":25},{"vlan":26},{"vlan":27},{"',
    'vlan":28},{"vlan":29},{"vlan":100,"flags":["PVID","Egress Untagged"]}]},{"ifname":"vx0","vlans":[{"v',
    'lan":1,"flags":["PVID","Egress Untagged"]},{"vlan":10},{"vlan":11},{"vlan":12},{"vlan":20}]}]',
))
TUNNEL_SHOW = ''.join((
    '[{"ifname":"vx0","tunnels":[{"vlan":10,"vlanEnd":12,"tunid":1010,"tunidEnd":1012},{"vlan":20,"tunid"',
    ':5000}]}]',
))

P, U, PU, NONE = (True, False, 0), (False, True, 0), (True, True, 0), (False, False, 0)
CURRENT = {
    'br0': {1: PU, 100: NONE},
    'v0': dict([(1, U), (10, NONE), (12, U), (100, PU)] + [(vid, NONE) for vid in range(20, 30)]),
    'vx0': {1: PU, 10: (False, False, 1010), 11: (False, False, 1011), 12: (False, False, 1012),
            20: (False, False, 5000)},
}


def decoded(text):
    msg = bv.vlan_classes()[1](bytes.fromhex(text))
    msg.decode()
    return msg


def roundtrip(msg):
    msg.encode()
    return decoded(bytes(msg.data).hex())


def resource(current=None, scope=None, netns=None, state='merged', wants=()):
    res = BridgeVlan(None, dict(scope or {}), netns)
    res.indexes = dict(LINKS)
    res.bridges = {'br0'}
    res.current = dict(current if current is not None else CURRENT)
    wants = [res.normalize(w) for w in wants]
    res.check_request(state, wants)
    return res, wants


def obj(dev, vid, pvid=False, untagged=False, tunnel_id=0):
    return {'dev': dev, 'vid': vid, 'pvid': pvid, 'untagged': untagged, 'tunnel_id': tunnel_id}


# -- reading what the kernel says ------------------------------------------------------------------------

def test_kernel_dump_decodes_per_vlan():
    names = dict((index, name) for name, index in LINKS.items())
    current = {}
    for text in DUMP:
        msg = decoded(text)
        vlans = current.setdefault(names[msg['ifindex']], {})
        for kind, entry in msg['attrs']:
            if kind == 'BRIDGE_VLANDB_ENTRY':
                vlans.update(BridgeVlan.decode_entry(entry))
    assert current == CURRENT


def per_vlan(items):
    """Objects (VLANs and ranges) as {(dev, vid): (pvid, untagged)}."""
    found = {}
    for item in items:
        first, last = bv.vid_range(item['vid'])
        found.update(((item['dev'], vid), (item['pvid'], item['untagged'])) for vid in range(first, last + 1))
    return found


def test_gathered_vlans_are_what_bridge_vlan_show_prints():
    res, _wants = resource()
    gathered = res.cut([])
    assert per_vlan(gathered) == per_vlan(BridgeVlan.parse(VLAN_SHOW))  # iproute2 6.1 prints VLAN by VLAN
    assert [(o['dev'], o['vid']) for o in gathered] == [
        ('br0', '1'), ('br0', '100'), ('v0', '1'), ('v0', '10'), ('v0', '12'), ('v0', '20-29'), ('v0', '100'),
        ('vx0', '1'), ('vx0', '10-12'), ('vx0', '20')]


def test_tunnel_show_parses_to_tunnel_ids():
    parsed = BridgeVlan.parse(TUNNEL_SHOW)
    assert {'dev': 'vx0', 'vid': '10-12', 'pvid': False, 'untagged': False, 'tunnel_id': 1010} in parsed
    assert {'dev': 'vx0', 'vid': '20', 'pvid': False, 'untagged': False, 'tunnel_id': 5000} in parsed


# -- cutting the current VLANs along the wanted ranges ----------------------------------------------------

def test_runs_join_consecutive_equal_vlans_and_never_the_pvid():
    current = {1: P, 2: NONE, 3: NONE, 5: NONE, 6: U, 7: U, 8: (False, False, 80), 9: (False, False, 81),
               10: (False, False, 90)}
    assert bv.runs(current, current) == [(1, 1), (2, 3), (5, 5), (6, 7), (8, 9), (10, 10)]


def test_a_wanted_range_is_present_when_all_its_vlans_are():
    res, wants = resource(wants=[{'dev': 'v0', 'vid': '20-25'}, {'dev': 'v0', 'vid': '28-31'}])
    haves = res.cut(wants)
    on_v0 = [h for h in haves if h['dev'] == 'v0']
    assert obj('v0', '20-25') in on_v0
    assert not [h for h in on_v0 if h['vid'] == '28-31'], 'partly there: absent, so it is added'
    assert [h['vid'] for h in on_v0] == ['20-25', '1', '10', '12', '26-27', '100']


def test_for_deletion_a_range_is_present_when_any_of_its_vlans_is():
    res, wants = resource(state='deleted', wants=[{'dev': 'v0', 'vid': '28-31'}])
    assert obj('v0', '28-31') in res.cut(wants)


def test_attributes_that_differ_within_a_range_read_none():
    current = {'v0': {10: NONE, 11: U, 12: P}}
    res, wants = resource(current, wants=[{'dev': 'v0', 'vid': '10-12'}])
    assert res.cut(wants) == [obj('v0', '10-12', pvid=None, untagged=None, tunnel_id=0)]
    res, wants = resource(current, wants=[{'dev': 'v0', 'vid': '10-11'}])
    assert res.cut(wants) == [obj('v0', '10-11', pvid=False, untagged=None), obj('v0', '12', pvid=True)]


def test_tunnel_ids_of_a_range_follow_its_vlans():
    assert bv.summary('vx0', 10, 12, CURRENT['vx0'])['tunnel_id'] == 1010
    assert bv.summary('vx0', 11, 12, CURRENT['vx0'])['tunnel_id'] == 1011
    mixed = {10: (False, False, 1010), 11: (False, False, 0)}
    assert bv.summary('vx0', 10, 11, mixed)['tunnel_id'] is None


# -- the steps of a change ------------------------------------------------------------------------

def planned(state, wants, scope=None, current=None):
    res, wants = resource(current, scope=scope, state=state, wants=wants)
    haves = res.cut(wants)
    return res, res.order(engine.plan(res, state, wants, haves))


def test_a_range_partly_there_is_added_keeping_what_its_vlans_have():
    res, changes = planned('merged', [{'dev': 'v0', 'vid': '10-14'}])
    assert [c.op for c in changes] == ['create']
    assert res.steps(changes[0]) == [('add', 10, 11, False, False, 0), ('add', 12, 12, False, True, 0),
                                     ('add', 13, 14, False, False, 0)]
    assert res.render(changes[0]) == ['bridge vlan add dev v0 vid 10-11', 'bridge vlan add dev v0 vid 12 untagged',
                                      'bridge vlan add dev v0 vid 13-14']


def test_an_attribute_given_applies_to_every_vlan_of_the_range():
    res, changes = planned('merged', [{'dev': 'v0', 'vid': '10-14', 'untagged': False}])
    assert res.render(changes[0]) == ['bridge vlan add dev v0 vid 10-11', 'bridge vlan add dev v0 vid 12',
                                      'bridge vlan add dev v0 vid 13-14']


def test_replaced_returns_omitted_flags_to_their_defaults():
    res, changes = planned('replaced', [{'dev': 'v0', 'vid': 100}])
    assert [(c.op, c.delta) for c in changes] == [('update', {'pvid': False, 'untagged': False})]
    assert res.render(changes[0]) == ['bridge vlan add dev v0 vid 100']


def test_overridden_deletes_first_what_no_item_covers():
    res, changes = planned('overridden', [{'dev': 'v0', 'vid': '20-24'}, {'dev': 'v0', 'vid': 200}],
                           scope={'dev': 'v0'})
    commands = [command for change in changes for command in res.render(change)]
    assert sorted(commands[:5]) == sorted(['bridge vlan del dev v0 vid 1', 'bridge vlan del dev v0 vid 10',
                                           'bridge vlan del dev v0 vid 12', 'bridge vlan del dev v0 vid 25-29',
                                           'bridge vlan del dev v0 vid 100'])
    assert commands[5:] == ['bridge vlan add dev v0 vid 200']


def test_the_bridge_itself_is_rendered_with_self():
    res, changes = planned('merged', [{'dev': 'br0', 'vid': 100, 'untagged': True}])
    assert res.render(changes[0]) == ['bridge vlan add dev br0 vid 100 untagged self']


def test_a_changed_tunnel_mapping_is_deleted_then_added():
    res, changes = planned('merged', [{'dev': 'vx0', 'vid': '10-12', 'tunnel_id': 2010}])
    assert res.render(changes[0]) == ['bridge vlan del dev vx0 vid 10-12 tunnel_info id 1010-1012',
                                      'bridge vlan add dev vx0 vid 10-12 tunnel_info id 2010-2012']
    res, changes = planned('merged', [{'dev': 'vx0', 'vid': 20, 'tunnel_id': 0}])
    assert res.render(changes[0]) == ['bridge vlan del dev vx0 vid 20 tunnel_info id 5000']


def test_requests_are_rtm_newvlan_and_delvlan_entries():
    res, changes = planned('merged', [{'dev': 'vx0', 'vid': '10-12', 'tunnel_id': 2010}])
    (delete, msg_type, _f), (add, add_type, _f2) = [res.message('vx0', step) for step in res.steps(changes[0])]
    assert (msg_type, add_type) == (bv.RTM_NEWVLAN, bv.RTM_NEWVLAN)
    delete, add = roundtrip(delete), roundtrip(add)
    entry = add.get_attr('BRIDGE_VLANDB_ENTRY')
    assert entry.get_attr('BRIDGE_VLANDB_ENTRY_INFO')['flags'] == bv.BRIDGE_VLAN_INFO_ONLY_OPTS
    assert entry.get_attr('BRIDGE_VLANDB_ENTRY_RANGE') == 12
    tinfo = entry.get_attr('BRIDGE_VLANDB_ENTRY_TUNNEL_INFO')
    assert tinfo.get_attr('BRIDGE_VLANDB_TINFO_ID') == 2010
    assert tinfo.get_attr('BRIDGE_VLANDB_TINFO_CMD') == bv.RTM_SETLINK
    tinfo = delete.get_attr('BRIDGE_VLANDB_ENTRY').get_attr('BRIDGE_VLANDB_ENTRY_TUNNEL_INFO')
    assert tinfo.get_attr('BRIDGE_VLANDB_TINFO_CMD') == bv.RTM_DELLINK
    msg, msg_type, _flags = res.message('v0', ('del', 20, 29, False, False, 0))
    msg.encode()
    body = bytes(msg.data)[16:]
    assert msg_type == bv.RTM_DELVLAN
    # br_vlan_msg (family AF_BRIDGE, ifindex) + ENTRY (nested) { INFO {flags 0, vid 20}, RANGE 29 }
    entry = '14000180' + '08000100' + '00001400' + '06000200' + '1d000000'
    assert body == struct.pack('=BxxxI', 7, LINKS['v0']) + bytes.fromhex(entry)


# -- normalization and the request as a whole -------------------------------------------------------------

@pytest.mark.parametrize('vid, expected', [(10, '10'), ('10', '10'), ('10-10', '10'), (' 20-29', '20-29')])
def test_vids_are_written_canonically(vid, expected):
    res, wants = resource(wants=[{'dev': 'v0', 'vid': vid}])
    assert wants[0]['vid'] == expected


REFUSED = [
    ([{'dev': 'v0', 'vid': '0'}], "vid: '0' is not a VLAN id or range"),
    ([{'dev': 'v0', 'vid': '4095'}], "vid: '4095' is not a VLAN id or range"),
    ([{'dev': 'v0', 'vid': '20-10'}], "vid: '20-10' is not a VLAN id or range"),
    ([{'dev': 'v0', 'vid': 'ten'}], "vid: 'ten' is not a VLAN id or range"),
    ([{'dev': 'v0', 'vid': '10-20', 'pvid': True}], 'pvid: a port has one PVID; 10-20 is a range'),
    ([{'dev': 'v0', 'vid': 10, 'tunnel_id': -1}], 'tunnel_id: -1 is out of range'),
    ([{'dev': 'v0', 'vid': '10-20'}, {'dev': 'v0', 'vid': 15}], 'vid: 10-20 and 15 of v0 overlap (in VLAN 15)'),
    ([{'dev': 'v0', 'vid': 10, 'pvid': True}, {'dev': 'v0', 'vid': 11, 'pvid': True}],
     'pvid: v0 has one PVID, both 10 and 11 are given'),
]


@pytest.mark.parametrize('wants, message', REFUSED, ids=[r[1][:40] for r in REFUSED])
def test_refused(wants, message):
    with pytest.raises(ValidationError) as info:
        resource(wants=wants)
    assert message in str(info.value)


def test_the_same_vlan_on_two_devices_is_fine():
    resource(wants=[{'dev': 'v0', 'vid': 10}, {'dev': 'v1', 'vid': 10}])


def test_purging_needs_a_device():
    with pytest.raises(ValidationError, match='set dev'):
        resource(state='overridden')


@pytest.mark.parametrize('text', [
    'port vlan-id',
    '[{"vlans": [{"vlan": 1}]}]',
    '[{"ifname": "v0", "vlans": [{}]}]',
    '["v0"]',
])
def test_parse_refuses_what_is_not_its_json(text):
    with pytest.raises(ValidationError) as info:
        BridgeVlan.parse(text)
    assert 'not JSON from `bridge -j vlan show`' in str(info.value)

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The address resource: normalization of what is wanted, and reading what is (netlink and `ip -j`)."""

import json

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import (
    Address, lifetime_equal)

from netlink_fixtures import load, replay_connection


def normalize(**item):
    return Address(None, {}, None).normalize(item)


def wanted(**item):
    return dict((k, v) for k, v in normalize(**item).items() if v is not None)


NORMAL = [
    ('host address without prefix', dict(dev='v0', address='192.0.2.1'), {'address': '192.0.2.1/32'}),
    ('ipv6 written canonically', dict(dev='v0', address='2001:DB8:0::1/64'), {'address': '2001:db8::1/64'}),
    ('ipv6 host address', dict(dev='v0', address='2001:db8::1'), {'address': '2001:db8::1/128'}),
    ('host bits are kept', dict(dev='v0', address='192.0.2.77/24'), {'address': '192.0.2.77/24'}),
    ('peer takes the prefix length', dict(dev='v0', address='10.0.0.1', peer='10.0.0.2/30'),
     {'address': '10.0.0.1/30', 'peer': '10.0.0.2/30'}),
    ('peer without prefix is a host', dict(dev='v0', address='10.0.0.1/24', peer='10.0.0.2'),
     {'address': '10.0.0.1/32', 'peer': '10.0.0.2/32'}),
    ('broadcast', dict(dev='v0', address='192.0.2.1/24', broadcast='192.0.2.255'), {'broadcast': '192.0.2.255'}),
    ('label of its own', dict(dev='v0', address='192.0.2.1/24', label='v0:web'), {'label': 'v0:web'}),
    ('label equal to the device is no label', dict(dev='v0', address='192.0.2.1/24', label='v0'), {'label': ''}),
    ('scope by name', dict(dev='v0', address='192.0.2.1/24', scope='link'), {'scope': 'link'}),
    ('scope by number', dict(dev='v0', address='192.0.2.1/24', scope='253'), {'scope': 'link'}),
    ('unnamed scope number', dict(dev='v0', address='192.0.2.1/24', scope='17'), {'scope': '17'}),
    ('flags sorted and once', dict(dev='v0', address='2001:db8::1/64', flags=['nodad', 'noprefixroute', 'nodad']),
     {'flags': ['nodad', 'noprefixroute']}),
    ('lifetimes in seconds', dict(dev='v0', address='192.0.2.1/24', valid_lft='300', preferred_lft='100'),
     {'valid_lft': 300, 'preferred_lft': 100}),
    ('preferred follows a finite valid', dict(dev='v0', address='192.0.2.1/24', valid_lft='300'),
     {'valid_lft': 300, 'preferred_lft': 300}),
    ('forever', dict(dev='v0', address='192.0.2.1/24', valid_lft='forever', preferred_lft='60'),
     {'valid_lft': 'forever', 'preferred_lft': 60}),
]


@pytest.mark.parametrize('item, expected', [n[1:] for n in NORMAL], ids=[n[0] for n in NORMAL])
def test_normalize(item, expected):
    result = wanted(**item)
    for key, value in expected.items():
        assert result[key] == value


REFUSED = [
    (dict(dev='v0', address='192.0.2.300/24'), "address: '192.0.2.300/24' is not an IPv4/IPv6 address"),
    (dict(dev='v0', address='192.0.2.1/33'), "address: '192.0.2.1/33' is not an IPv4/IPv6 address"),
    (dict(dev='v0', address='10.0.0.1', peer='2001:db8::2'),
     'peer 2001:db8::2/128 and address 10.0.0.1 are of different IP versions'),
    (dict(dev='v0', address='10.0.0.1', peer='nope'), "peer: 'nope' is not an IPv4/IPv6 address"),
    (dict(dev='v0', address='2001:db8::1/64', broadcast='2001:db8::ff'), 'broadcast: only IPv4 addresses have a '
                                                                         'broadcast address'),
    (dict(dev='v0', address='192.0.2.1/24', broadcast='x'), "broadcast: 'x' is not an IPv4/IPv6 address"),
    (dict(dev='v0', address='2001:db8::1/64', label='v0:x'), 'label: only IPv4 addresses carry a label'),
    (dict(dev='v0', address='192.0.2.1/24', label='v1:x'), "label: 'v1:x' must be the device name or start with "
                                                           "'v0:'"),
    (dict(dev='v0', address='192.0.2.1/24', scope='galactic'), "scope: 'galactic' is not a scope; use one of "
                                                               "global, host, link, nowhere, site or a number 0-255"),
    (dict(dev='v0', address='192.0.2.1/24', scope='256'), "scope: '256' is not a scope"),
    (dict(dev='v0', address='192.0.2.1/24', valid_lft='soon'), "valid_lft: 'soon' is not a lifetime; use 'forever' "
                                                               "or seconds (0-4294967294)"),
    (dict(dev='v0', address='192.0.2.1/24', valid_lft='-1'), "valid_lft: '-1' is not a lifetime"),
    (dict(dev='v0', address='192.0.2.1/24', preferred_lft='4294967295'),
     "preferred_lft: '4294967295' is not a lifetime"),
    (dict(dev='v0', address='192.0.2.1/24', valid_lft='100', preferred_lft='200'), 'preferred_lft (200) may not '
                                                                                   'exceed valid_lft (100)'),
]


@pytest.mark.parametrize('item, message', REFUSED, ids=[r[1].split(':')[0].split(' ')[0] + '-%d' % i
                                                        for i, r in enumerate(REFUSED)])
def test_normalize_refuses_naming_the_option(item, message):
    with pytest.raises(ValidationError) as caught:
        normalize(**item)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('want, have, equal', [
    ('forever', 'forever', True), (300, 300, True), (300, 299, True), (300, 301, False),
    ('forever', 300, False), (300, 'forever', False), (0, 0, True)])
def test_lifetime_equal_lets_a_lifetime_count_down(want, have, equal):
    assert lifetime_equal(want, have) is equal


# What the kernel holds after tools/capture_fixtures.py ADDRESS_SETUP, written out by hand.
EXPECTED_V0 = {
    '192.0.2.1/24': dict(peer=None, broadcast=None, label='', scope='global', flags=[], metric=0),
    '192.0.2.2/24': dict(peer=None, broadcast='192.0.2.255', label='v0:sec', scope='global', flags=[], metric=0),
    '198.51.100.1/32': dict(peer='198.51.100.2/32', broadcast=None, label='', scope='global', flags=[], metric=0),
    '203.0.113.1/24': dict(peer=None, broadcast=None, label='', scope='global', flags=[], metric=7,
                           valid_lft=3000, preferred_lft=2000),
    '2001:db8::1/64': dict(peer=None, broadcast=None, label='', scope='global', flags=['nodad'], metric=0),
    '2001:db8:1::1/64': dict(peer=None, broadcast=None, label='', scope='global', flags=['nodad', 'noprefixroute'],
                             metric=0),
}
EXPECTED_V1 = {'10.9.0.1/16': dict(peer=None, broadcast=None, label='', scope='link', flags=[], metric=0)}


def by_key(items):
    return dict(((item['dev'], item['address']), item) for item in items)


def assert_matches(items, expected):
    got = by_key(items)
    assert sorted(got) == sorted(expected)
    for key, attrs in expected.items():
        for name in ('valid_lft', 'preferred_lft'):
            want = attrs.get(name, 'forever')
            assert lifetime_equal(want, got[key][name]) and (want == 'forever') == (got[key][name] == 'forever'), \
                (key, name, got[key][name])
        assert dict((k, got[key][k]) for k in attrs if not k.endswith('_lft')) == \
            dict((k, v) for k, v in attrs.items() if not k.endswith('_lft')), key


def expected(devices):
    table = {}
    for dev, addresses in (('v0', EXPECTED_V0), ('v1', EXPECTED_V1)):
        if dev in devices:
            table.update(((dev, address), attrs) for address, attrs in addresses.items())
    return table


def gather_replayed(index):
    fixture = load('address_dump')['gathers'][index]
    conn = replay_connection([bytes.fromhex(d) for d in fixture['received_hex']])
    haves = Address(conn, dict(fixture['scope']), None).gather()
    return fixture, conn, haves


@pytest.mark.parametrize('index, devices', [(0, ('v0', 'v1')), (1, ('v0',))], ids=['all devices', 'scope v0'])
def test_gather_reads_captured_dumps(index, devices):
    fixture, conn, haves = gather_replayed(index)
    assert conn.sock.sent == [bytes.fromhex(d) for d in fixture['sent_hex']]
    assert_matches(haves, expected(devices))


def test_gather_lets_a_purge_remove_user_addresses_with_finite_lifetimes():
    """A user's address is purgeable whatever its lifetime; the kernel's own (IFA_PROTO kernel_*) are not."""
    fixture = load('address_dump')['gathers'][1]
    resource = Address(replay_connection([bytes.fromhex(d) for d in fixture['received_hex']]), {'dev': 'v0'}, None)
    haves = resource.gather()
    purgeable = sorted(h['address'] for h in haves if resource.in_scope(h))
    assert purgeable == sorted(EXPECTED_V0)


def _parse(ip_json):
    return Address.parse(json.dumps(ip_json))


def test_parse_reads_ip_json_alike():
    assert_matches(_parse(load('address_dump')['ip_json']), expected(('v0', 'v1')))


def test_parse_and_gather_agree():
    _fixture, _conn, haves = gather_replayed(0)
    parsed = by_key(_parse(load('address_dump')['ip_json']))
    gathered = by_key(haves)
    assert sorted(parsed) == sorted(gathered)
    for key in gathered:
        for name in gathered[key]:
            if name.endswith('_lft'):
                continue
            assert parsed[key][name] == gathered[key][name], (key, name)


def test_gathered_items_are_valid_desired_items():
    """What gather/parse return can be fed back as desired state: it normalizes to itself."""
    _fixture, _conn, haves = gather_replayed(0)
    for have in haves:
        assert Address(None, {}, None).normalize(dict(have)) == have


def test_parse_refuses_what_is_not_json():
    with pytest.raises(ValidationError, match='running_config is not JSON from `ip -j address show`'):
        Address.parse('1: lo: <LOOPBACK> mtu 65536')

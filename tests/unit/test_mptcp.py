# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MPTCP endpoints and limits: normalization, the kernel's attributes both ways, plans and their commands."""

import json
import os

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, genl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen import mptcp_pm
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.genl_family import GenlFamily
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.mptcp import (
    Endpoints, Limits, combine)

CAPTURED = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'genl', 'captured.json')


def endpoints(netns='lab'):
    resource = Endpoints(None, {}, netns)
    resource._links = {'v0': 2}
    resource.implicit = set()
    return resource


def endpoint(**item):
    item.setdefault('address', '192.0.2.1')
    return endpoints().normalize(item)


def test_an_endpoint_is_normalized():
    assert endpoint(address='2001:DB8::0:1', flags=['subflow', 'backup', 'subflow']) == {
        'address': '2001:db8::1', 'port': 0, 'id': None, 'flags': ['backup', 'subflow'], 'dev': None}


@pytest.mark.parametrize('item,message', [
    (dict(address='192.0.2.0/24'), "'192.0.2.0/24' is not an IPv4 or IPv6 address"),
    (dict(flags=['signal', 'fullmesh']), 'fullmesh and signal exclude each other'),
    (dict(port=80, flags=['subflow']), 'must have the signal flag'),
    (dict(port=70000, flags=['signal']), 'not a port number'),
    (dict(id=0), 'not an endpoint id'),
])
def test_a_bad_endpoint_is_refused_by_name(item, message):
    with pytest.raises(ValidationError, match=message):
        endpoint(**item)


def test_limits_out_of_range_are_refused():
    with pytest.raises(ValidationError, match=r'limits.subflows: 9 is out of range \(0-8\)'):
        Limits(None, {}, None).normalize({'subflows': 9})


def test_kernel_replies_become_endpoints():
    """The dump captured from the kernel (tools/capture_genl.py), decoded by genl.py, then by the resource."""
    with open(CAPTURED) as handle:
        capture = next(c for c in json.load(handle)['captures'] if c['name'] == 'mptcp_get_addr_dump')
    codec = genl.Codec(mptcp_pm)
    replies = []
    for text in capture['replies_hex']:
        msg = genl.message_class(codec, 'get-addr')(data=bytes.fromhex(text))
        if len(msg.data) > 20:
            msg.decode()
            replies.append(Endpoints.from_attributes(msg.values['addr'], {2: 'v0'}))
    assert sorted(replies, key=lambda e: e['id']) == [
        {'address': '192.0.2.1', 'port': 0, 'id': 3, 'flags': ['signal', 'subflow'], 'dev': None},
        {'address': '2001:db8::1', 'port': 8080, 'id': 4, 'flags': ['signal'], 'dev': None},
        {'address': '198.51.100.1', 'port': 0, 'id': 5, 'flags': ['backup', 'fullmesh', 'subflow'], 'dev': 'v0'}]


def test_an_endpoint_becomes_the_kernel_attributes():
    resource = endpoints()
    assert resource.attributes_of(endpoint(address='198.51.100.1', id=5, dev='v0', flags=['subflow', 'backup'])) == {
        'addr': {'family': 2, 'addr4': 0xC6336401, 'id': 5, 'flags': 6, 'if-idx': 2}}
    assert resource.attributes_of(endpoint(address='2001:db8::1', port=8080, flags=['signal']), with_flags=False) == {
        'addr': {'family': 10, 'addr6': bytes.fromhex('20010db8000000000000000000000001'), 'port': 8080}}


def plan(state, wants, haves):
    resource = endpoints()
    changes = resource.order(engine.plan(resource, state, [endpoint(**w) for w in wants], haves))
    return resource, changes


HAVE = {'address': '192.0.2.1', 'port': 0, 'id': 3, 'flags': ['signal'], 'dev': None}


@pytest.mark.parametrize('state,wants,requests,commands', [
    ('merged', [dict(flags=['signal'])], [], []),
    ('merged', [dict(flags=['signal', 'backup'])], ['set-flags'], ['ip -n lab mptcp endpoint change id 3 backup']),
    ('merged', [dict(flags=['subflow'])], ['del-addr', 'add-addr'],
     ['ip -n lab mptcp endpoint delete id 3', 'ip -n lab mptcp endpoint add 192.0.2.1 id 3 subflow']),
    ('merged', [dict(id=4, flags=['signal'])], ['del-addr', 'add-addr'],
     ['ip -n lab mptcp endpoint delete id 3', 'ip -n lab mptcp endpoint add 192.0.2.1 id 4 signal']),
    ('merged', [dict(address='192.0.2.2', dev='v0', flags=['subflow', 'fullmesh'])], ['add-addr'],
     ['ip -n lab mptcp endpoint add 192.0.2.2 dev v0 fullmesh subflow']),
    ('overridden', [dict(address='192.0.2.2')], ['del-addr', 'add-addr'],
     ['ip -n lab mptcp endpoint delete id 3', 'ip -n lab mptcp endpoint add 192.0.2.2']),
    ('replaced', [dict()], ['del-addr', 'add-addr'],  # re-added under its id
     ['ip -n lab mptcp endpoint delete id 3', 'ip -n lab mptcp endpoint add 192.0.2.1 id 3']),
    ('deleted', [dict()], ['del-addr'], ['ip -n lab mptcp endpoint delete id 3']),
])
def test_plans_and_their_commands(state, wants, requests, commands):
    resource, changes = plan(state, wants, [dict(HAVE)])
    assert [op for change in changes for op, _values in resource.requests(change)] == requests
    assert [command for change in changes for command in resource.render(change)] == commands


def test_implicit_endpoints_are_never_purged():
    resource = endpoints()
    resource.implicit = {('192.0.2.1', 0)}
    assert engine.plan(resource, 'overridden', [], [dict(HAVE)]) == []


def test_limits_render_what_changes():
    resource = Limits(None, {}, 'lab')
    [change] = engine.plan(resource, 'merged', [resource.normalize({'subflows': 4, 'add_addr_accepted': None})],
                           [{'subflows': 2, 'add_addr_accepted': 0}])
    assert resource.render(change) == ['ip -n lab mptcp limits set subflows 4']


def test_ip_json_is_parsed_to_endpoints():
    text = ('[{"address":"192.0.2.1","id":3,"signal":true,"subflow":true},'
            '{"address":"192.0.2.2","id":4,"port":8080,"signal":true,"backup":true,"dev":"v0"}]')
    assert Endpoints.parse(text) == [
        {'address': '192.0.2.1', 'port': 0, 'id': 3, 'flags': ['signal', 'subflow'], 'dev': None},
        {'address': '192.0.2.2', 'port': 8080, 'id': 4, 'flags': ['backup', 'signal'], 'dev': 'v0'}]
    with pytest.raises(ValidationError, match='not JSON'):
        Endpoints.parse('192.0.2.1 id 3 signal')


def test_one_result_for_both_resources():
    limits = {'changed': True, 'commands': ['ip mptcp limits set subflows 3'], 'before': [{'subflows': 2}],
              'after': [{'subflows': 3}]}
    ends = {'changed': False, 'commands': [], 'before': [], 'after': []}
    assert combine('merged', [('limits', limits), ('endpoints', ends)]) == {
        'changed': True, 'commands': ['ip mptcp limits set subflows 3'],
        'before': {'limits': {'subflows': 2}, 'endpoints': []}, 'after': {'limits': {'subflows': 3}, 'endpoints': []}}


def test_genl_families_name_operations_from_the_specs():
    info = {'name': 'mptcp_pm', 'id': 28, 'version': 1, 'ops': [1, 2, 99], 'mcast-groups': {'mptcp_pm_events': 9}}
    assert GenlFamily.from_info(info) == {'name': 'mptcp_pm', 'id': 28, 'version': 1,
                                          'ops': ['add-addr', 'del-addr', 99],
                                          'multicast_groups': [{'name': 'mptcp_pm_events', 'id': 9}]}

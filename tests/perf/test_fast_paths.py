# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fast paths give what the slow ones give: module.ItemValidator against the argument spec, the route
normalization by shape against normalizing each item, and results at scale (engine.RESULT_OBJECTS_LIMIT).

    /work/venv/bin/python -m pytest tests/perf/test_fast_paths.py
"""

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import Address
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.neigh import Neigh
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route

ITEMS = [
    (Route, {'dst': '10.0.0.1/32', 'gateway': '192.0.2.2'}),
    (Route, {'dst': '2001:db8::/64', 'dev': 'v0', 'metric': 5, 'onlink': True, 'type': 'unicast'}),
    (Route, {'dst': '10.0.0.0/8', 'type': 'blackhole', 'table': '100', 'protocol': 'bgp'}),
    (Route, {'dst': '10.0.0.0/8', 'metric': '12'}),  # converted by the argument spec
    (Route, {'dst': '10.0.0.0/8', 'metric': True}),
    (Route, {'dst': '10.0.0.0/8', 'type': 'nosuch'}),
    (Route, {'dst': '10.0.0.0/8', 'nosuch': 1}),
    (Route, {'gateway': '192.0.2.2'}),
    (Route, {'dst': '10.0.0.0/8', 'onlink': 'yes'}),
    (Route, {'dst': '10.0.0.0/8', 'metrics': {'mtu': 1400}}),
    (Address, {'dev': 'v0', 'address': '192.0.2.1/24'}),
    (Address, {'dev': 'v0', 'address': '192.0.2.1/24', 'flags': ['nodad']}),
    (Address, {'dev': 'v0', 'address': '192.0.2.1/24', 'metric': 'x'}),
    (Neigh, {'dev': 'v0', 'dst': '192.0.2.9', 'lladdr': '02:00:00:00:00:01', 'nud': 'permanent'}),
    (Neigh, {'dev': 'v0', 'dst': '192.0.2.9', 'proxy': True}),
]


@pytest.mark.parametrize('resource_cls, item', ITEMS, ids=lambda x: getattr(x, '__name__', None) or str(x))
def test_item_validator_gives_what_the_argument_spec_gives(resource_cls, item):
    full = module.item_validator(resource_cls).validate(dict(item))
    fast = module.ItemValidator(resource_cls).validate(dict(item))
    assert fast == (full.validated_parameters, module._readable(full) if full.error_messages else [])


NULLS = [  # null means not given (gathered facts carry nulls): what the argument spec gives without them
    (Route, {'dst': '10.0.0.1/32', 'gateway': '192.0.2.2', 'pref': None, 'metrics': None}),
    (Route, {'dst': None, 'gateway': '192.0.2.2'}),
    (Route, {'dst': '10.0.0.0/8', 'metric': None, 'onlink': 'yes'}),
    (Route, {'dst': '10.0.0.0/8', 'nexthops': [{'gateway': '192.0.2.2', 'dev': None}]}),
]


@pytest.mark.parametrize('resource_cls, item', NULLS, ids=lambda x: getattr(x, '__name__', None) or str(x))
def test_item_validator_leaves_nulls_out_as_the_module_does(resource_cls, item):
    full = module.item_validator(resource_cls).validate(module.given(item))
    fast = module.ItemValidator(resource_cls).validate(dict(item))
    assert fast == (full.validated_parameters, module._readable(full) if full.error_messages else [])


ROUTES = [
    {'dst': '10.0.0.%d/32' % i, 'gateway': '192.0.2.2'} for i in range(1, 4)
] + [
    {'dst': '10.1.0.0/16', 'gateway': '192.0.2.2', 'metric': 7},
    {'dst': '2001:db8::1', 'gateway': '192.0.2.2'},  # another family than the shape's first: not from it
    {'dst': '2001:db8::2/128', 'gateway': '192.0.2.2', 'family': 'inet'},
    {'dst': '10.2.0.1/16', 'gateway': '192.0.2.2'},  # host bits
    {'dst': 'default', 'gateway': '192.0.2.2'},
    {'dst': '2001:db8::/64', 'nexthops': [{'gateway': 'fe80::1', 'dev': 'v0'}, {'gateway': 'fe80::2', 'dev': 'v0'}]},
]


def normalized(resource, item):
    try:
        return resource.normalize(module.ItemValidator(Route).validate(dict(item))[0])
    except ValidationError as exc:
        return str(exc)


def test_route_normalization_by_shape_is_normalization_item_by_item():
    shared = Route(None, {'table': None, 'dev': None, 'protocol': None, 'family': None})
    for item in ROUTES + ROUTES:
        fresh = Route(None, {'table': None, 'dev': None, 'protocol': None, 'family': None})
        assert normalized(shared, item) == normalized(fresh, item), item
    wants = [normalized(shared, item) for item in ROUTES[:3]]
    assert wants[0]['nexthops'] is not wants[1]['nexthops']  # nothing mutable shared between wants


class Many(engine.Resource):
    identity = ('name',)
    attributes = (engine.Attribute('size'),)

    def __init__(self, haves):
        engine.Resource.__init__(self, None, {})
        self.haves, self.applied = haves, []

    def gather(self):
        return list(self.haves)

    def apply(self, changes):
        self.haves = [c.after for c in changes if c.after] + self.haves
        return {}

    def render(self, change):
        return ['%s %s' % (change.op, change.key[0])]


def test_results_at_scale_show_the_first_changes_and_count_them_all():
    count = engine.RESULT_OBJECTS_LIMIT + 5
    wants = [{'name': 'n%d' % i, 'size': 1} for i in range(count)]
    result = engine.run(Many([]), 'merged', wants, False, True)
    assert result['counts'] == {'create': count, 'update': 0, 'delete': 0}
    assert len(result['commands']) == len(result['after']) == engine.RESULT_OBJECTS_LIMIT
    assert result['commands'][0] == 'create n0' and result['before'] == []
    assert result['diff']['after'].count('"size"') == engine.RESULT_OBJECTS_LIMIT


def test_results_below_the_limit_are_whole_and_have_no_counts():
    wants = [{'name': 'n%d' % i, 'size': 1} for i in range(engine.RESULT_OBJECTS_LIMIT)]
    result = engine.run(Many([]), 'merged', wants, False, False)
    assert 'counts' not in result and len(result['commands']) == engine.RESULT_OBJECTS_LIMIT
    again = engine.run(Many(wants), 'merged', wants, False, False)
    assert (again['changed'], again['commands'], len(again['after'])) == (False, [], engine.RESULT_OBJECTS_LIMIT)


GATHERED = [  # routes in the full shape Route.item_of gives (nl_route's `gathered`)
    dict(dst='10.0.0.1/32', family='inet', table='100', metric=0, tos=0, type='unicast', scope='global',
         protocol='static', gateway='192.0.2.2', dev='v0', prefsrc='', onlink=False, nexthops=[], nhid=0, metrics={},
         encap={}, pref=None),
    dict(dst='192.0.2.0/24', family='inet', table='main', metric=0, tos=0, type='unicast', scope='link',
         protocol='kernel', gateway='', dev='v0', prefsrc='192.0.2.1', onlink=False, nexthops=[], nhid=0,
         metrics={}, encap={}, pref=None),
    dict(dst='203.0.113.0/24', family='inet', table='7', metric=5, tos=4, type='blackhole', scope='global',
         protocol='boot', gateway='', dev='', prefsrc='', onlink=False, nexthops=[], nhid=0, metrics={'mtu': 1400},
         encap={}, pref=None),
    dict(dst='2001:db8::1/128', family='inet6', table='local', metric=0, tos=0, type='local', scope='global',
         protocol='kernel', gateway='', dev='v0', prefsrc='', onlink=False, nexthops=[], nhid=0, metrics={},
         encap={}, pref='medium'),
    dict(dst='2001:db8:5::/64', family='inet6', table='main', metric=1024, tos=0, type='unicast', scope='global',
         protocol='static', gateway='', dev='', prefsrc='', onlink=False, nhid=0, metrics={}, encap={}, pref='high',
         nexthops=[{'gateway': 'fe80::1', 'dev': 'v0', 'weight': 1, 'onlink': False},
                   {'gateway': 'fe80::2', 'dev': 'v1', 'weight': 2, 'onlink': False}]),
]


@pytest.mark.parametrize('state', ['merged', 'replaced'])
@pytest.mark.parametrize('have', GATHERED, ids=lambda have: have['dst'])
def test_compact_route_facts_given_back_are_the_same_route(monkeypatch, state, have):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import facts, rtnl
    monkeypatch.setattr(rtnl, 'link_indexes', lambda conn: {'v0': 3, 'v1': 2})
    compact = facts.compact_route(dict(have))
    assert 'family' not in compact and len(compact) < len(have)
    resource = Route(None, {'table': None, 'dev': None, 'protocol': None, 'family': None})
    want = resource.normalize(module.ItemValidator(Route).validate(dict(compact))[0])
    resource.check_request(state, [want])
    assert resource.key(want) == resource.key(have)
    assert engine.delta_for(resource, want, have, state == 'replaced') == {}

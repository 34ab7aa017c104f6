# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine's planning, prediction, verification and result shaping, on a tiny in-memory resource."""

import copy

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import lifetime_equal


class Thing(Resource):
    """Things in zones: identity zone+name, purge scope a zone, a few kinds of attributes."""

    identity = ('zone', 'name')
    scope = ('zone',)
    purge_requires = ('zone',)
    attributes = (
        Attribute('color', default='white'),   # reset by replaced/overridden
        Attribute('size'),                       # no default: left alone when omitted
        Attribute('ttl', default='forever', equal=lifetime_equal),
        Attribute('tags', default=[]),
    )

    KERNEL_DEFAULTS = {'color': 'white', 'size': 1, 'ttl': 'forever', 'tags': []}

    def __init__(self, state=(), scope_values=None, refuse=(), ignored=()):
        Resource.__init__(self, conn=None, scope_values=dict(scope_values or {}), netns=None)
        self.state = [dict(t) for t in state]
        self.refuse = set(refuse)      # keys whose changes the "kernel" refuses
        self.ignored = set(ignored)    # attributes the "kernel" silently does not take
        self.applied = []

    def gather(self):
        return [copy.deepcopy(t) for t in self.state if self.scope_values.get('zone') in (None, t['zone'])]

    def apply(self, changes):
        self.applied.extend(changes)
        errors = {}
        for index, change in enumerate(changes):
            if change.key in self.refuse:
                errors[index] = NetlinkError(1, 'refused %s' % self.label(change.key))
                continue
            self.state = [t for t in self.state if self.key(t) != change.key]
            if change.op != 'delete':
                after = dict((k, v) for k, v in change.after.items() if k not in self.ignored or change.before is None)
                if change.before:
                    for name in self.ignored:
                        after[name] = change.before.get(name)
                for name, value in self.KERNEL_DEFAULTS.items():  # the "kernel" fills in what is not given
                    if after.get(name) is None:
                        after[name] = value
                self.state.append(after)
        return errors

    def render(self, change):
        words = ['thing', change.op, self.label(change.key)]
        if change.op == 'update':
            words += ['%s=%s' % kv for kv in sorted(change.delta.items())]
        return [' '.join(words)]


def thing(zone, name, color='white', size=1, ttl='forever', tags=()):
    return {'zone': zone, 'name': name, 'color': color, 'size': size, 'ttl': ttl, 'tags': list(tags)}


def want(zone, name, **attrs):
    item = {'zone': zone, 'name': name, 'color': None, 'size': None, 'ttl': None, 'tags': None}
    item.update(attrs)
    return item


def ops(changes):
    return [(c.op, c.key, c.delta) for c in changes]


A1, A2, B1 = thing('a', 'one', color='red', size=3), thing('a', 'two'), thing('b', 'one', color='blue')

PLANS = [
    # id, state, wants, haves, scope, expected [(op, key, delta)]
    ('merged creates what is missing', 'merged', [want('a', 'new', color='red')], [A1], {},
     [('create', ('a', 'new'), {'color': 'red'})]),
    ('merged leaves an equal object alone', 'merged', [want('a', 'one', color='red')], [A1], {}, []),
    ('merged changes only the given attribute', 'merged', [want('a', 'one', size=5)], [A1], {},
     [('update', ('a', 'one'), {'size': 5})]),
    ('merged does not reset omitted attributes', 'merged', [want('a', 'one')], [A1], {}, []),
    ('replaced resets omitted attributes to their defaults', 'replaced', [want('a', 'one', size=3)], [A1], {},
     [('update', ('a', 'one'), {'color': 'white'})]),
    ('replaced leaves attributes without a default alone', 'replaced', [want('a', 'one', color='red')], [A1], {},
     []),
    ('replaced creates writing only what is given (a new object has the defaults)', 'replaced', [want('a', 'new')],
     [], {}, [('create', ('a', 'new'), {})]),
    ('replaced resets a set attribute to empty', 'replaced', [want('a', 'one', color='red')],
     [thing('a', 'one', color='red', tags=['x'])], {}, [('update', ('a', 'one'), {'tags': []})]),
    ('overridden removes undeclared objects in scope only', 'overridden', [want('a', 'one', color='red')],
     [A1, A2, B1], {'zone': 'a'}, [('delete', ('a', 'two'), {})]),
    ('overridden deletes first, then creates', 'overridden', [want('a', 'new')], [A2], {'zone': 'a'},
     [('delete', ('a', 'two'), {}), ('create', ('a', 'new'), {})]),
    ('overridden resets omitted attributes like replaced', 'overridden', [want('a', 'one')], [A1], {'zone': 'a'},
     [('update', ('a', 'one'), {'color': 'white'})]),
    ('deleted removes the listed objects that exist', 'deleted', [want('a', 'one'), want('a', 'absent')],
     [A1, A2], {}, [('delete', ('a', 'one'), {})]),
    ('deleted of something absent changes nothing', 'deleted', [want('a', 'absent')], [A1], {}, []),
    ('deleted without a list purges the scope', 'deleted', [], [A1, A2, B1], {'zone': 'b'},
     [('delete', ('b', 'one'), {})]),
    ('a shorter remaining lifetime is what was asked', 'merged', [want('a', 'one', ttl=300)],
     [thing('a', 'one', ttl=297)], {}, []),
    ('a longer remaining lifetime is a change', 'merged', [want('a', 'one', ttl=300)],
     [thing('a', 'one', ttl=600)], {}, [('update', ('a', 'one'), {'ttl': 300})]),
    ('forever against a finite lifetime is a change', 'merged', [want('a', 'one', ttl='forever')],
     [thing('a', 'one', ttl=600)], {}, [('update', ('a', 'one'), {'ttl': 'forever'})]),
    ('a finite lifetime against forever is a change', 'merged', [want('a', 'one', ttl=600)],
     [thing('a', 'one')], {}, [('update', ('a', 'one'), {'ttl': 600})]),
    ('replaced resets a finite lifetime to forever', 'replaced', [want('a', 'one', color='red', size=3)],
     [thing('a', 'one', color='red', size=3, ttl=60)], {}, [('update', ('a', 'one'), {'ttl': 'forever'})]),
]


@pytest.mark.parametrize('state, wants, haves, scope, expected', [p[1:] for p in PLANS], ids=[p[0] for p in PLANS])
def test_plan(state, wants, haves, scope, expected):
    resource = Thing(haves, scope)
    assert ops(engine.plan(resource, state, wants, resource.gather())) == expected


def test_update_after_is_before_with_the_delta():
    resource = Thing([A1])
    [change] = engine.plan(resource, 'merged', [want('a', 'one', size=9)], resource.gather())
    assert change.before == A1 and change.after == dict(A1, size=9)


@pytest.mark.parametrize('state, wants', [('overridden', [want('a', 'one')]), ('deleted', [])])
def test_purging_without_a_scope_is_refused_naming_the_scope_option(state, wants):
    with pytest.raises(ValidationError, match='set zone'):
        Thing([A1]).check_request(state, wants)


@pytest.mark.parametrize('state, wants', [('merged', [want('a', 'one')]), ('replaced', [want('a', 'one')]),
                                          ('deleted', [want('a', 'one')])])
def test_non_purging_states_need_no_scope(state, wants):
    Thing([A1]).check_request(state, wants)


def test_predicted_after_applies_deletes_creates_and_updates():
    resource = Thing([A1, A2], {'zone': 'a'})
    changes = engine.plan(resource, 'overridden', [want('a', 'one', size=7), want('a', 'new')], resource.gather())
    after = engine.predicted_after(resource, resource.gather(), changes)
    assert sorted(after) == [('a', 'new'), ('a', 'one')]
    assert after[('a', 'one')]['size'] == 7 and after[('a', 'one')]['color'] == 'white'


def test_verify_reports_what_the_kernel_did_not_take():
    resource = Thing([A1, A2])
    changes = [engine.Change('delete', ('a', 'two'), A2, None),
               engine.Change('create', ('a', 'new'), None, thing('a', 'new'), {'color': 'white'}),
               engine.Change('update', ('a', 'one'), A1, dict(A1, size=5), {'size': 5})]
    problems = engine.verify(resource, changes, [A1, A2])
    assert problems == ['a two still exists after deletion', 'a new is absent after create',
                        'a one: size is 3, wanted 5']


def test_verify_compares_lifetimes_with_their_own_equality():
    resource = Thing()
    change = engine.Change('update', ('a', 'one'), thing('a', 'one'), thing('a', 'one', ttl=300), {'ttl': 300})
    assert engine.verify(resource, [change], [thing('a', 'one', ttl=299)]) == []


def run(resource, state, wants, check=False, diff=False):
    resource.check_request(state, wants)
    return engine.run(resource, state, wants, check, diff)


def test_run_applies_and_reports_commands_before_and_after():
    resource = Thing([A1, A2])
    result = run(resource, 'merged', [want('a', 'one', size=5)])
    assert result['changed'] is True
    assert result['commands'] == ['thing update a one size=5']
    assert result['before'] == [A1] and result['after'] == [dict(A1, size=5)]
    assert 'msg' not in result and 'diff' not in result


def test_run_again_is_unchanged_with_no_commands():
    resource = Thing([A1])
    run(resource, 'merged', [want('a', 'one', size=5)])
    resource.applied = []
    result = run(resource, 'merged', [want('a', 'one', size=5)])
    assert (result['changed'], result['commands'], resource.applied) == (False, [], [])


def test_check_mode_predicts_and_touches_nothing():
    resource = Thing([A1, A2], {'zone': 'a'})
    result = run(resource, 'overridden', [want('a', 'one', color='red', size=3)], check=True)
    assert resource.applied == [] and resource.state == [A1, A2]
    assert result['changed'] is True and result['commands'] == ['thing delete a two']
    assert result['after'] == [A1]
    real = run(Thing([A1, A2], {'zone': 'a'}), 'overridden', [want('a', 'one', color='red', size=3)])
    assert (real['changed'], real['commands'], real['after']) == (result['changed'], result['commands'],
                                                                  result['after'])


def test_check_mode_prediction_of_a_merged_create_equals_the_real_after():
    check = run(Thing([]), 'merged', [want('a', 'new', size=2)], check=True)
    real = run(Thing([]), 'merged', [want('a', 'new', size=2)])
    assert check['after'] == real['after']


def test_diff_mode_shows_before_and_after_of_changed_objects():
    result = run(Thing([A1, A2]), 'merged', [want('a', 'one', size=5), want('a', 'two')], diff=True)
    assert set(result['diff']) == {'before', 'after'}
    assert '"a one"' in result['diff']['before'] and '"size": 5' in result['diff']['after']
    assert '"a two"' not in result['diff']['after']


def test_no_diff_without_changes():
    assert 'diff' not in run(Thing([A1]), 'merged', [want('a', 'one')], diff=True)


def test_gathered_returns_the_scope_and_changes_nothing():
    resource = Thing([A1, B1], {'zone': 'b'})
    assert run(resource, 'gathered', []) == {'changed': False, 'gathered': [B1]}
    assert resource.applied == []


def test_rendered_returns_commands_and_changes_nothing():
    resource = Thing([A1])
    result = run(resource, 'rendered', [want('a', 'one', size=4), want('a', 'new')])
    assert result == {'changed': False, 'rendered': ['thing update a one size=4', 'thing create a new']}
    assert resource.applied == []


def test_present_and_absent_are_merged_and_deleted():
    assert run(Thing([]), 'present', [want('a', 'new')])['commands'] == ['thing create a new']
    assert run(Thing([A1]), 'absent', [want('a', 'one')])['commands'] == ['thing delete a one']


def test_partial_failure_names_the_item_and_counts():
    resource = Thing([A1, A2], refuse=[('a', 'two')])
    result = run(resource, 'merged', [want('a', 'one', size=5), want('a', 'two', size=5)])
    assert result['changed'] is True
    assert result['failures'] == [
        {'item': 'a two', 'op': 'update', 'msg': 'EPERM (Operation not permitted) - kernel says: refused a two'}]
    assert result['msg'].startswith('1 of 2 changes failed: update a two: EPERM')


def test_total_failure_is_not_a_change():
    resource = Thing([A1], refuse=[('a', 'one')])
    result = run(resource, 'merged', [want('a', 'one', size=5)])
    assert result['changed'] is False and 'failures' in result


def test_a_change_the_kernel_did_not_take_fails_the_run():
    resource = Thing([A1], ignored=['size'])
    result = run(resource, 'merged', [want('a', 'one', size=5)])
    assert result['msg'] == 'the kernel did not take the change: a one: size is 3, wanted 5'

# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The idempotence engine: desired vs current -> plan -> apply (unless check mode) -> verify -> result.

A resource (resources/*.py) declares identity, scope and a table of attributes, and knows how to gather,
write and render its objects; everything else happens here, the same way for every family.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import operator

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError

ACTION_STATES = ('merged', 'replaced', 'overridden', 'deleted')
# Results stay small at scale: above this many addressed objects, before/after list only the changed ones;
# above this many changes, commands/before/after/diff/failures show the first this many, and ``counts``
# says how many there were of each (100,000 routes in full are ~34 MB of JSON that Ansible scans and copies).
RESULT_OBJECTS_LIMIT = 1000
STATE_ALIASES = {'present': 'merged', 'absent': 'deleted'}


class Attribute:
    """One comparable attribute of a resource.

    ``default`` is what ``replaced``/``overridden`` return an omitted attribute to (None: left as it is);
    ``equal(want, have)`` decides idempotence when plain equality is wrong (lifetimes, sets).
    """

    def __init__(self, name, default=None, equal=None):
        self.name = name
        self.default = default
        self.custom_equal = equal  # None: plain equality, compared inline (the plan's inner loop)
        self.equal = equal or (lambda want, have: want == have)


class Change:
    """One step of a plan: create, update or delete one object."""

    def __init__(self, op, key, before, after, delta=None):
        self.op = op
        self.key = key
        self.before = before
        self.after = after
        self.delta = delta or {}

    def __repr__(self):
        return 'Change(%s %s %r)' % (self.op, self.key, self.delta)


class Resource:
    """Base of every resource. Subclasses fill in the class attributes and the methods that raise."""

    protocol = 0
    identity = ()
    attributes = ()
    scope = ()
    purge_requires = ()  # scope options without which nothing may be purged

    def __init__(self, conn, scope_values, netns=None):
        self.conn = conn
        self.scope_values = scope_values
        self.netns = netns

    # -- what subclasses declare -------------------------------------------------------------------
    def gather(self):
        """Current objects in scope, each a dict in the module's config shape."""
        raise NotImplementedError

    def normalize(self, item):
        """The desired item in canonical form (raises ValidationError)."""
        return item

    def in_scope(self, have):
        """Whether a current object may be purged by ``overridden`` / a scoped ``deleted``."""
        return all(self.scope_values.get(name) in (None, have.get(name)) for name in self.scope)

    def apply(self, changes):
        """Write the changes; return {index in changes: NetlinkError} for those that failed. By default the
        requests of all changes are pipelined in one bulk, and a change fails with its first refused request."""
        requests, owners, errors = [], [], {}
        for index, change in enumerate(changes):
            try:
                for request in self.requests(change):
                    requests.append(request)
                    owners.append(index)
            except NetlinkError as exc:
                errors[index] = exc
        for position, error in self.conn.bulk(requests).items():
            errors.setdefault(owners[position], error)
        return errors

    def requests(self, change):
        """The change as (message, type, flags) requests, for the default apply()."""
        raise NotImplementedError

    def render(self, change):
        """The change as iproute2 commands (a list of strings)."""
        raise NotImplementedError

    @classmethod
    def parse(cls, text):
        """Tool output (``ip -j ...``) as a config list."""
        raise ValidationError('state=parsed is not available for this module')

    # -- shared by all -----------------------------------------------------------------------------
    def order(self, changes):
        """The order to apply (and render) changes in, when objects depend on each other."""
        return changes

    def implied_keys(self, wants):
        """Keys of objects the desired ones bring along (a veth's peer): declared, never purged."""
        return set()

    def check_request(self, state, wants):
        self.wants = wants
        purging = state == 'overridden' or (state == 'deleted' and not wants)
        missing = [name for name in self.purge_requires if self.scope_values.get(name) is None]
        if purging and missing:
            raise ValidationError('state=%s removes what is in scope and not listed: set %s to say which scope'
                                  % (state, ' and '.join(missing)))

    def key(self, item):
        return tuple(item.get(name) for name in self.identity)

    def label(self, key):
        return ' '.join(str(part) for part in key if part is not None)

    def cli(self, tool, *words):
        """A command line of an iproute2 tool (ip, bridge, tc) in the resource's namespace; empty words dropped."""
        prefix = [tool] + (['-n', self.netns] if self.netns else [])
        return ' '.join(prefix + [str(w) for w in words if w is not None and w != ''])

    def ip(self, *words):
        return self.cli('ip', *words)

    def tc(self, *words):
        return self.cli('tc', *words)


def delta_for(resource, want, have, reset_omitted):
    """Attributes of ``want`` that differ from ``have``; with reset_omitted, omitted ones go to default."""
    table, values_of = compiled(resource)
    if have is None and not reset_omitted:  # a create: what want gives (the plan's loop at a first apply)
        try:
            return dict((entry[0], value) for entry, value in zip(table, values_of(want)) if value is not None)
        except KeyError:
            return dict((name, want[name]) for name, _default, _equal in table if want.get(name) is not None)
    delta = {}
    try:  # every attribute a key of both (a normalized want, a gathered have): read in C, not by .get
        values, currents = values_of(want), values_of(have) if have else (None,) * len(table)
    except KeyError:
        have = have or {}
        values = [want.get(name) for name, _default, _equal in table]
        currents = [have.get(name) for name, _default, _equal in table]
    for (name, default, custom_equal), value, current in zip(table, values, currents):
        if value is None:
            if not reset_omitted or default is None:
                continue
            value = default
        # equal values are equal to a custom equal too (it exists for values plain equality calls different)
        if current is None or (value != current and (custom_equal is None or not custom_equal(value, current))):
            delta[name] = value
    return delta


_COMPILED = {}


def compiled(resource):
    """((name, default, custom_equal) of each attribute, a function giving a dict's values of them as a tuple):
    for the per-object loops, kept per attribute table."""
    attributes = resource.attributes
    try:
        return _COMPILED[attributes]
    except KeyError:
        pass
    except TypeError:  # a list: not kept
        attributes = tuple(attributes)
    table = [(a.name, a.default, a.custom_equal) for a in attributes]
    names = [a.name for a in attributes]
    if len(names) > 1:
        values_of = operator.itemgetter(*names)
    else:  # itemgetter of one name gives the value, not a tuple
        def values_of(item):
            return tuple(item[name] for name in names)
    found = _COMPILED[attributes] = (table, values_of)
    return found


def merge(have, delta):
    """``have`` with ``delta`` applied; sub-dictionaries (kind options) are updated, not replaced."""
    after = dict(have)
    for name, value in delta.items():
        if isinstance(value, dict) and isinstance(after.get(name), dict):
            value = dict(after[name], **value)
        after[name] = value
    return after


def plan(resource, state, wants, haves):
    """The changes that take ``haves`` to what ``state`` asks of ``wants``."""
    current = dict((resource.key(h), h) for h in haves)
    defaults = [(a.name, a.default) for a in resource.attributes if a.default is not None]
    changes, seen = [], resource.implied_keys(wants)
    reset = state in ('replaced', 'overridden')
    for want in wants:
        key = resource.key(want)
        seen.add(key)
        have = current.get(key)
        if state == 'deleted':
            if have is not None:
                changes.append(Change('delete', key, have, None))
            continue
        if have is None:
            # written: the given attributes (a new object has the defaults already);
            # predicted: the object with every default filled in, as a re-read shows it
            delta = delta_for(resource, want, None, False)
            after = dict(want)  # holds delta already: a create's delta is what want gives
            for name, default in defaults:
                if after.get(name) is None:
                    after[name] = default
            changes.append(Change('create', key, None, after, delta))
            continue
        delta = delta_for(resource, want, have, reset)
        if delta:
            changes.append(Change('update', key, have, merge(have, delta), delta))
    if state == 'overridden' or (state == 'deleted' and not wants):
        purges = [Change('delete', key, have, None) for key, have in current.items()
                  if key not in seen and resource.in_scope(have)]
        purges.reverse()  # the order they always had (each was put first); one list, not 100k inserts at 0
        changes = purges + changes
    return changes


def predicted_after(resource, haves, changes):
    after = dict((resource.key(h), h) for h in haves)
    for change in changes:
        if change.op == 'delete':
            after.pop(change.key, None)
        else:
            after[change.key] = change.after
    return after


def verify(resource, changes, haves_after):
    """Problems where the kernel did not take a change (re-read after applying)."""
    current = dict((resource.key(h), h) for h in haves_after)
    attributes = dict((a.name, a) for a in resource.attributes)
    problems = []
    for change in changes:
        have = current.get(change.key)
        if change.op == 'delete':
            if have is not None:
                problems.append('%s still exists after deletion' % resource.label(change.key))
            continue
        if have is None:
            problems.append('%s is absent after %s' % (resource.label(change.key), change.op))
            continue
        for name, value in change.delta.items():
            got = have.get(name)
            if got == value:
                continue
            equal = attributes[name].custom_equal
            if got is None or equal is None or not equal(value, got):
                problems.append('%s: %s is %r, wanted %r' % (resource.label(change.key), name,
                                                             have.get(name), value))
    return problems


def relevant(resource, items, keys):
    if not keys:
        return []
    return [item for item in items if resource.key(item) in keys]


def shown_keys(resource, wants, shown):
    """The objects before/after list: the wanted and changed ones, or at scale the changed ones shown."""
    keys = set(c.key for c in shown)
    if len(wants) <= RESULT_OBJECTS_LIMIT:
        wanted = keys | set(resource.key(w) for w in wants)
        if len(wanted) <= RESULT_OBJECTS_LIMIT:
            return wanted
    return keys


def rendered(resource, changes):
    return [command for change in changes for command in resource.render(change)]


def counts(changes):
    found = {'create': 0, 'update': 0, 'delete': 0}
    for change in changes:
        found[change.op] += 1
    return found


def diff_of(resource, changes):
    before, after = {}, {}
    for change in changes:
        label = resource.label(change.key)
        if change.before is not None:
            before[label] = change.before
        if change.after is not None:
            after[label] = change.after
    return {'before': json.dumps(before, indent=2, sort_keys=True) + '\n',
            'after': json.dumps(after, indent=2, sort_keys=True) + '\n'}


def run(resource, state, wants, check_mode, diff_mode):
    """Do what ``state`` asks and return the module result (without ``failed``)."""
    state = STATE_ALIASES.get(state, state)
    haves = resource.gather()
    if state == 'gathered':
        return {'changed': False, 'gathered': haves}
    changes = resource.order(plan(resource, state, wants, haves))
    if state == 'rendered':
        return {'changed': False, 'rendered': rendered(resource, changes)}
    shown = changes[:RESULT_OBJECTS_LIMIT]
    keys = shown_keys(resource, wants, shown)
    result = {'changed': bool(changes), 'commands': rendered(resource, shown), 'before': relevant(resource, haves, keys)}
    if len(changes) > RESULT_OBJECTS_LIMIT:
        result['counts'] = counts(changes)
    if diff_mode and changes:
        result['diff'] = diff_of(resource, shown)
    if check_mode or not changes:
        predicted = predicted_after(resource, haves, changes) if keys else {}
        result['after'] = [predicted[k] for k in sorted((k for k in predicted if k in keys), key=str)]
        return result
    errors = resource.apply(changes)
    haves_after = resource.gather()
    result['after'] = relevant(resource, haves_after, keys)
    if errors:
        result['changed'] = len(errors) < len(changes)
        result['failures'] = [{'item': resource.label(changes[i].key), 'op': changes[i].op,
                               'msg': str(err)} for i, err in sorted(errors.items())[:RESULT_OBJECTS_LIMIT]]
        first = result['failures'][0]
        result['msg'] = '%d of %d changes failed: %s' % (len(errors), len(changes), '%s %s: %s' % (
            first['op'], first['item'], first['msg']) if len(errors) == 1 else 'see failures')
        return result
    problems = verify(resource, changes, haves_after)
    if problems:
        result['msg'] = 'the kernel did not take the change: ' + '; '.join(problems[:10])
    return result


def combine(parts, singles=(), view=None):
    """One result from several runs of one task (MPTCP limits and endpoints, a WireGuard interface and its
    peers), given as (name, result) pairs: before/after per name - the object for the names in ``singles``,
    the list for the others, each item through ``view`` when given - and commands, failures, messages and
    diffs joined."""
    result = {'changed': any(part['changed'] for _name, part in parts), 'commands': [], 'before': {}, 'after': {}}
    failures, messages = [], []
    for name, part in parts:
        result['commands'] += part['commands']
        for side in ('before', 'after'):
            items = [view(item) for item in part[side]] if view else part[side]
            result[side][name] = (items or [None])[0] if name in singles else items
        failures += part.get('failures', [])
        if 'msg' in part:
            messages.append(part['msg'])
        if 'diff' in part:
            diff = result.setdefault('diff', {'before': '', 'after': ''})
            diff['before'] += '%s: %s' % (name, part['diff']['before'])
            diff['after'] += '%s: %s' % (name, part['diff']['after'])
    if failures:
        result['failures'] = failures
    if messages:
        result['msg'] = '; '.join(messages)
    return result

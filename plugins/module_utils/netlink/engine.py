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

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

ACTION_STATES = ('merged', 'replaced', 'overridden', 'deleted')
# Above this many addressed objects, before/after list only the changed ones (results stay small).
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
        """Write the changes; return {index in changes: NetlinkError} for those that failed."""
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

    def ip(self, *words):
        prefix = ['ip'] + (['-n', self.netns] if self.netns else [])
        return ' '.join(prefix + [str(w) for w in words if w is not None and w != ''])


def delta_for(resource, want, have, reset_omitted):
    """Attributes of ``want`` that differ from ``have``; with reset_omitted, omitted ones go to default."""
    delta = {}
    for attr in resource.attributes:
        value = want.get(attr.name)
        if value is None and reset_omitted:
            value = attr.default
        if value is None:
            continue
        current = have.get(attr.name) if have else None
        if current is None or not attr.equal(value, current):
            delta[attr.name] = value
    return delta


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
    changes, seen = [], resource.implied_keys(wants)
    for want in wants:
        key = resource.key(want)
        seen.add(key)
        have = current.get(key)
        if state == 'deleted':
            if have is not None:
                changes.append(Change('delete', key, have, None))
            continue
        reset = state in ('replaced', 'overridden')
        if have is None:
            # written: the given attributes (a new object has the defaults already);
            # predicted: the object with every default filled in, as a re-read shows it
            delta = delta_for(resource, want, None, False)
            after = dict(want)
            after.update((a.name, a.default) for a in resource.attributes
                         if after.get(a.name) is None and a.default is not None)
            after.update(delta)
            changes.append(Change('create', key, None, after, delta))
            continue
        delta = delta_for(resource, want, have, reset)
        if delta:
            changes.append(Change('update', key, have, merge(have, delta), delta))
    if state == 'overridden' or (state == 'deleted' and not wants):
        for key, have in current.items():
            if key not in seen and resource.in_scope(have):
                changes.insert(0, Change('delete', key, have, None))
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
            attr = attributes[name]
            if have.get(name) is None or not attr.equal(value, have.get(name)):
                problems.append('%s: %s is %r, wanted %r' % (resource.label(change.key), name,
                                                             have.get(name), value))
    return problems


def relevant(resource, items, keys):
    return [item for item in items if resource.key(item) in keys]


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
    commands = [command for change in changes for command in resource.render(change)]
    if state == 'rendered':
        return {'changed': False, 'rendered': commands}
    keys = set(resource.key(w) for w in wants) | set(c.key for c in changes)
    if len(keys) > RESULT_OBJECTS_LIMIT:
        keys = set(c.key for c in changes)  # at scale, before/after name only what changes
    result = {'changed': bool(changes), 'commands': commands, 'before': relevant(resource, haves, keys)}
    if diff_mode and changes:
        result['diff'] = diff_of(resource, changes)
    if check_mode or not changes:
        predicted = predicted_after(resource, haves, changes)
        result['after'] = [predicted[k] for k in sorted(predicted, key=str) if k in keys]
        return result
    errors = resource.apply(changes)
    haves_after = resource.gather()
    result['after'] = relevant(resource, haves_after, keys)
    if errors:
        result['changed'] = len(errors) < len(changes)
        result['failures'] = [{'item': resource.label(changes[i].key), 'op': changes[i].op,
                               'msg': str(err)} for i, err in sorted(errors.items())]
        first = result['failures'][0]
        result['msg'] = '%d of %d changes failed: %s' % (len(errors), len(changes), '%s %s: %s' % (
            first['op'], first['item'], first['msg']) if len(errors) == 1 else 'see failures')
        return result
    problems = verify(resource, changes, haves_after)
    if problems:
        result['msg'] = 'the kernel did not take the change: ' + '; '.join(problems[:10])
    return result

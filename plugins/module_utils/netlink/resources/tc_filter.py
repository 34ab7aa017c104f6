# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tc filters (RTM_*TFILTER) with their actions.

Identity: dev + parent + chain + priority + handle. The kernel keeps one classifier (one kind, one
protocol) per dev/parent/chain/priority and numbers the filters inside it itself (u32: 800::800, ...):
a filter declared without ``handle`` is the only filter at its priority, so re-applying it finds it
whatever number the kernel gave it. A change re-creates the filter (delete, then add): the kernel cannot
change a u32 selector, a kind or a protocol in place.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import bpf, rtnl, tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import NLM_F_CREATE, NLM_F_EXCL
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import (
    ETH_TYPE_NAMES, ETH_TYPES, eth_type, number)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_actions import (
    ACTION_OPTIONS, action_words, decode_actions, encode_actions, normalize_actions)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_actions_extra import (
    estimator_attrs, estimator_words)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter_kinds import KINDS, route_handle

# clsact/ingress blocks (TC_H_CLSACT with TC_H_MIN_INGRESS / TC_H_MIN_EGRESS), as `tc filter ... ingress|egress`
PARENT_INGRESS = tc.tc_h_make(tc.TC_H_CLSACT, tc.TC_H_MIN_INGRESS)
PARENT_EGRESS = tc.tc_h_make(tc.TC_H_CLSACT, tc.TC_H_MIN_EGRESS)
PARENT_NAMES = {'ingress': PARENT_INGRESS, 'egress': PARENT_EGRESS}
INGRESS_QDISC_MAJOR = 0xFFFF0000
# a shared block's filters: tcm_ifindex TCM_IFINDEX_MAGIC_BLOCK (0xFFFFFFFF, -1 in tcmsg's signed field),
# tcm_parent the block index (linux/rtnetlink.h)
TCM_IFINDEX_MAGIC_BLOCK = -1


def parent_text(number_):
    for name, value in PARENT_NAMES.items():
        if number_ == value:
            return name
    return tc.format_handle(number_)


def parent_number(text):
    return PARENT_NAMES[text] if text in PARENT_NAMES else tc.parse_handle(text, 'parent')


def u32_handle_text(handle):
    """A u32 handle as tc prints it: 800::800 (hash table, bucket, node; zeros left out)."""
    htid, bucket, node = handle >> 20, (handle >> 12) & 0xFF, handle & 0xFFF
    return '%x:%s:%s' % (htid, '%x' % bucket if bucket else '', '%x' % node if node else '')


def handle_number(text, kind):
    if kind == 'u32' and ':' in str(text):
        parts = str(text).split(':')
        if len(parts) == 3:
            try:
                htid, bucket, node = [int(p or '0', 16) for p in parts]
            except ValueError:
                htid = -1
            if 0 <= htid <= 0xFFF and 0 <= bucket <= 0xFF and 0 <= node <= 0xFFF:
                return (htid << 20) | (bucket << 12) | node
        raise ValidationError("handle: %r is not a u32 handle 'HT:BUCKET:NODE' (hexadecimal, e.g. 800::1)" % text)
    return number(text, 'handle', 1)


def handle_text(handle, kind):
    return u32_handle_text(handle) if kind == 'u32' else '0x%x' % handle


def quoted(word):
    text = str(word)
    return "'%s'" % text if (' ' in text or ',' in text) and not text.startswith("'") else text


class Context:
    """What encoding and decoding need from the namespace: device names and indexes."""

    def __init__(self, indexes):
        self.indexes = indexes
        self.names = dict((index, name) for name, index in indexes.items())


class TcFilter(Resource):
    identity = ('dev', 'block', 'parent', 'chain', 'priority', 'handle')
    scope = ('dev', 'block', 'parent')
    attributes = tuple([Attribute('protocol'), Attribute('kind')] + [Attribute(name) for name in sorted(KINDS)]
                       + [Attribute('actions', default=[])])
    options = dict(
        dev=dict(type='str'),
        block=dict(type='int'),
        parent=dict(type='str'),
        chain=dict(type='int'),
        priority=dict(type='int', required=True),
        handle=dict(type='str'),
        protocol=dict(type='str'),
        kind=dict(type='str', required=True, choices=sorted(KINDS)),
        actions=dict(type='list', elements='dict', options=ACTION_OPTIONS),
        **dict((name, dict(type='dict', options=kind.options)) for name, kind in KINDS.items())
    )
    # priority-wide identity (no handle) for these dev/parent/chain/priority groups; see key()
    loose = frozenset()

    def check_request(self, state, wants):
        Resource.check_request(self, state, wants)
        purging = state == 'overridden' or (state == 'deleted' and not wants)
        if purging and self.scope_values.get('dev') is None and self.scope_values.get('block') is None:
            raise ValidationError('state=%s removes what is in scope and not listed: set dev or block to say '
                                  'which scope' % state)
        self.loose = frozenset(self.group(w) for w in wants if w['handle'] is None)

    @staticmethod
    def group(item):
        return (item['dev'], item.get('block'), item['parent'], item['chain'], item['priority'])

    def key(self, item):
        group = self.group(item)
        return group + (None if group in self.loose else item.get('handle'),)

    def in_scope(self, have):
        dev, parent, block = (self.scope_values.get(name) for name in ('dev', 'parent', 'block'))
        if block is not None:
            return have['block'] == block
        return (dev is None or have['dev'] == dev) and (parent is None or (
            have['dev'] is not None and have['parent'] == self.parent(have['dev'], parent)))

    # -- desired ------------------------------------------------------------------------------------
    def normalize(self, item):
        kind = item['kind']
        where = 'kind %s' % kind
        for other in KINDS:
            if other != kind and item.get(other):
                raise ValidationError('%s: options given for kind %s' % (where, other))
        if not 1 <= item['priority'] <= 0xFFFF:
            raise ValidationError('priority: %r is not from 1 to 65535' % item['priority'])
        if (item.get('block') is None) == (item.get('dev') is None):
            raise ValidationError('give dev (with parent) or block (a shared block index), one of them')
        if item.get('block') is not None:
            if item.get('parent'):
                raise ValidationError('parent: a filter of block %s has no parent (the block is where it '
                                      'attaches)' % item['block'])
            where = {'dev': None, 'block': number(item['block'], 'block', 1, 0xFFFFFFFF), 'parent': None}
        elif not item.get('parent'):
            raise ValidationError('parent is required with dev')
        else:
            where = {'dev': item['dev'], 'block': None, 'parent': self.parent(item['dev'], item['parent'])}
        want = {'dev': where['dev'], 'block': where['block'], 'parent': where['parent'],
                'chain': number(item.get('chain') or 0, 'chain', 0, 0xFFFFFFFF), 'priority': item['priority'],
                'protocol': eth_type(item.get('protocol') or 'all', 'protocol'), 'kind': kind}
        want['handle'] = handle_text(handle_number(item['handle'], kind), kind) if item.get('handle') else None
        if kind == 'fw' and want['handle'] is None:
            raise ValidationError('handle: kind fw needs the firewall mark to match as its handle')
        if kind == 'flow' and want['handle'] is None:  # tc sends 0 too, and the kernel refuses it (EINVAL)
            raise ValidationError('handle: kind flow needs a handle (a number from 1 to 0xffffffff)')
        want[kind] = KINDS[kind].normalize(dict((k, v) for k, v in (item.get(kind) or {}).items() if v is not None),
                                           want, kind)
        want['actions'] = normalize_actions(item.get('actions'))
        devices = [a['mirred']['dev'] for a in want['actions'] if a['kind'] == 'mirred']
        devices += [want['route']['fromif']] if kind == 'route' and want['route']['fromif'] else []
        for dev in devices:
            if dev not in self.indexes():
                raise ValidationError('device %r does not exist' % dev)
        return want

    def parent(self, dev, text):
        value = str(text).strip().lower()
        if value == 'clsact':
            raise ValidationError("parent: filters of a clsact qdisc are on 'ingress' or 'egress', not 'clsact'")
        if value == 'root':
            root = [q for q in self.qdiscs().get(self.indexes().get(dev), []) if q['parent'] == tc.TC_H_ROOT]
            if not root or not root[0]['handle']:
                raise ValidationError('parent: %s has no root qdisc of its own to attach filters to' % dev)
            return tc.format_handle(root[0]['handle'])
        number_ = parent_number(value)
        if number_ == INGRESS_QDISC_MAJOR:  # `parent ffff:` of an ingress qdisc is its one block
            number_ = PARENT_INGRESS
        return parent_text(number_)

    def indexes(self):
        if getattr(self, '_indexes', None) is None:
            self._indexes = rtnl.link_indexes(self.conn)
        return self._indexes

    def qdiscs(self):
        """{ifindex: [{'handle', 'parent', 'kind'}]} in one dump of every device's qdiscs."""
        if getattr(self, '_qdiscs', None) is None:
            self._qdiscs = {}
            for msg in tc.dump(self.conn, tc.RTM_GETQDISC):
                self._qdiscs.setdefault(msg['index'], []).append(
                    {'handle': msg['handle'], 'parent': msg['parent'], 'kind': msg.get_attr('TCA_KIND'),
                     'blocks': (msg.get_attr('TCA_INGRESS_BLOCK'), msg.get_attr('TCA_EGRESS_BLOCK'))})
        return self._qdiscs

    # -- reading ------------------------------------------------------------------------------------
    def parents_of(self, index):
        """Every filter attachment point of a device: its qdiscs' blocks, their classes, ingress/egress."""
        parents = []
        for qdisc in self.qdiscs().get(index, []):
            if qdisc['kind'] == 'clsact':
                parents += [PARENT_INGRESS, PARENT_EGRESS]
            elif qdisc['kind'] == 'ingress':
                parents.append(PARENT_INGRESS)
            elif qdisc['handle']:
                parents.append(qdisc['handle'])
                parents += [msg['handle'] for msg in tc.dump(self.conn, tc.RTM_GETTCLASS, index, qdisc['handle'])
                            if msg['handle'] & tc.TC_H_MIN_MASK and msg['handle'] != qdisc['handle']]
        return sorted(set(parents))

    def gather(self):
        self._indexes = self._qdiscs = None
        indexes = self.indexes()
        ctx = Context(indexes)
        scope_dev, scope_parent = self.scope_values.get('dev'), self.scope_values.get('parent')
        wants = getattr(self, 'wants', [])
        devices = set(w['dev'] for w in wants if w['dev']) | ({scope_dev} if scope_dev else set())
        blocks = set(w['block'] for w in wants if w['block']) | set(
            [self.scope_values['block']] if self.scope_values.get('block') else [])
        if not wants and not scope_dev and not blocks:
            devices = set(indexes)
            blocks = set(b for qdiscs in self.qdiscs().values() for q in qdiscs for b in q['blocks'] if b)
        haves = []
        for block in sorted(blocks):
            haves += self.filters(None, TCM_IFINDEX_MAGIC_BLOCK, block, ctx)
        for dev in sorted(devices):
            if dev not in indexes:
                continue
            if scope_parent is not None and all(w['dev'] != dev or w['parent'] == self.parent(dev, scope_parent)
                                                for w in wants):
                parents = [parent_number(self.parent(dev, scope_parent))]
            else:
                parents = self.parents_of(indexes[dev])
                parents += [parent_number(w['parent']) for w in wants if w['dev'] == dev]
            for parent in sorted(set(parents)):
                haves += self.filters(dev, indexes[dev], parent, ctx)
        return haves

    def filters(self, dev, index, parent, ctx):
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError
        try:
            replies = tc.dump(self.conn, tc.RTM_GETTFILTER, index, parent)
        except NetlinkError:
            return []  # no such qdisc or class (yet): nothing attached there
        haves = []
        for msg in replies:
            kind = msg.get_attr('TCA_KIND')
            options = tc.options_of(msg)
            if kind not in KINDS or not msg['handle'] or not options:
                continue  # the classifier's own entry, not a filter
            if kind == 'u32' and not msg['handle'] & 0xFFF:
                continue  # a u32 hash table, not a filter
            protocol = socket.ntohs(msg['info'] & 0xFFFF)
            have = {'dev': dev, 'block': None if dev else parent, 'parent': parent_text(parent) if dev else None,
                    'chain': msg.get_attr('TCA_CHAIN') or 0,
                    'priority': msg['info'] >> 16, 'handle': handle_text(msg['handle'], kind),
                    'protocol': ETH_TYPE_NAMES.get(protocol, '0x%04x' % protocol), 'kind': kind}
            have[kind], actions = KINDS[kind].decode(tc.parse_nla(options), have, ctx)
            have['actions'] = decode_actions(actions, ctx) if actions else []
            haves.append(have)
        return haves

    # -- writing ------------------------------------------------------------------------------------
    def order(self, changes):
        """An update re-creates the filter: what is written and predicted is the declared filter whole."""
        wants = dict((self.key(w), w) for w in getattr(self, 'wants', []))
        for change in changes:
            if change.op == 'update' and change.key in wants:
                change.after = dict(wants[change.key], handle=change.before['handle'] if
                                    change.key[-1] is None and change.before['kind'] == wants[change.key]['kind']
                                    else wants[change.key]['handle'])
                change.delta = dict((a.name, change.after[a.name]) for a in self.attributes
                                    if change.after.get(a.name) is not None)
        return changes

    def message(self, item, whole_priority=False):
        index = TCM_IFINDEX_MAGIC_BLOCK if item.get('block') else self.indexes().get(item['dev'])
        if index is None:
            raise ValidationError('dev: %s does not exist' % item['dev'])
        protocol = 0 if whole_priority else ETH_TYPES.get(item['protocol']) or int(item['protocol'], 16)
        attrs = [('TCA_CHAIN', item['chain'])] if item['chain'] else []
        handle = 0
        if not whole_priority and item.get('handle'):
            handle = handle_number(item['handle'], item['kind'])
        elif not whole_priority and item['kind'] == 'route':
            handle = route_handle(item['route'], self.indexes())
        return tc.make_tcmsg(ifindex=index, handle=handle,
                             parent=item['block'] if item.get('block') else parent_number(item['parent']),
                             info=(item['priority'] << 16) | socket.htons(protocol),
                             kind=None if whole_priority else item['kind'], attrs=attrs)

    def add_message(self, item):
        msg = self.message(dict(item, handle=item['handle'] if item['kind'] != 'u32' or self.key(item)[-1] else None))
        ctx = Context(self.indexes())
        actions = encode_actions(item['actions'], ctx) if item['actions'] else b''
        options = b''.join(KINDS[item['kind']].encode(item[item['kind']], item, actions, ctx))
        msg['attrs'].append(('TCA_OPTIONS', options, tc.NLA_F_NESTED))  # a classifier's options are attributes
        msg['attrs'] += estimator_attrs(item['actions'])  # police avrate's rate estimator
        return msg

    def requests(self, change):
        requests = []
        if change.op in ('delete', 'update'):
            whole = change.key[-1] is None
            requests.append((self.message(change.before, whole_priority=whole), tc.RTM_DELTFILTER, 0))
        if change.op in ('create', 'update'):
            requests.append((self.add_message(change.after), tc.RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL))
        return requests

    def apply(self, changes):
        errors = {}
        for index, change in enumerate(changes):
            try:
                requests = self.requests(change)
            except ValidationError as exc:
                bpf.SOURCES.close()
                raise ValidationError('%s: %s' % (self.label(change.key), exc))
            # one change at a time, in order: a re-created filter must be gone before it is added again
            try:
                failed = self.conn.bulk(requests)
            finally:
                bpf.SOURCES.close()  # the filter holds the eBPF program now (or was refused): our fd goes
            if failed:
                errors[index] = list(failed.values())[0]
        return errors

    def tc(self, *words):
        prefix = ['tc'] + (['-n', self.netns] if self.netns else [])
        return ' '.join(prefix + [quoted(w) for w in words if w is not None and w != ''])

    def where(self, item):
        if item.get('block'):
            return ['block', item['block']]
        parent = item['parent']
        words = ['dev', item['dev']] + ([parent] if parent in PARENT_NAMES else ['parent', parent])
        return words

    def render(self, change):
        commands = []
        if change.op in ('delete', 'update'):
            item = change.before
            words = self.where(item)
            if change.key[-1] is None:
                words += ['pref', item['priority']]
            else:
                words += ['protocol', item['protocol'], 'pref', item['priority'], 'handle', item['handle']]
            words += ['chain', item['chain']] if item['chain'] else []
            if change.key[-1] is not None:
                words.append(item['kind'])
            commands.append(self.tc('filter', 'del', *words))
        if change.op in ('create', 'update'):
            item = change.after
            words = self.where(item)
            if item['handle'] and (item['kind'] != 'u32' or self.key(item)[-1]):
                words += ['handle', item['handle']]
            words += ['protocol', item['protocol'], 'pref', item['priority']]
            words += ['chain', item['chain']] if item['chain'] else []
            words += estimator_words(item['actions'])
            words += [item['kind']] + KINDS[item['kind']].words(item[item['kind']]) + action_words(item['actions'])
            commands.append(self.tc('filter', 'add', *words))
        return commands

    @classmethod
    def parse(cls, text):
        """``tc -j filter show dev D PARENT`` output as a config list (dev and parent are not in it: set them)."""
        try:
            entries = json.loads(text)
        except ValueError as exc:
            raise ValidationError('running_config is not JSON from `tc -j filter show`: %s' % exc)
        config = []
        for entry in entries if isinstance(entries, list) else []:
            options = entry.get('options') or {}
            if entry.get('kind') not in KINDS or 'fh' not in options or options.get('fh', '').endswith(':'):
                continue
            config.append({'priority': entry.get('pref'), 'protocol': entry.get('protocol'),
                           'chain': entry.get('chain', 0), 'kind': entry['kind'], 'handle': options['fh']})
        return config

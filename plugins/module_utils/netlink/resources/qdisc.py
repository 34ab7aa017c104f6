# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Queueing disciplines (RTM_*QDISC): identity dev + parent + handle; purge scope a device (and a parent).

The kernel's own default qdiscs (noqueue, pfifo_fast, mq and its children: handle 0:) are not
configuration: they are not gathered and never removed; deleting a root qdisc gives the device its
default back.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl, tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NLM_F_CREATE, NLM_F_REPLACE)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc_kinds import KINDS

INGRESS_KINDS = ('ingress', 'clsact')
INGRESS_HANDLE = 0xFFFF0000
# tc's words for a bool option that differ from "the option's name when true, nothing when false"
BOOL_WORDS = {'ecn': ('ecn', 'noecn'), 'pacing': ('pacing', 'nopacing'), 'bytemode': ('bytemode', 'nobytemode'),
              'dq_rate_estimator': ('dq_rate_estimator', 'no_dq_rate_estimator'),
              'horizon_drop': ('horizon_drop', 'horizon_cap'), 'nat': ('nat', 'nonat'), 'wash': ('wash', 'nowash'),
              'ingress': ('ingress', 'egress'), 'split_gso': ('split-gso', 'no-split-gso'),
              'autorate_ingress': ('autorate-ingress', None), 'headdrop': ('headdrop', None)}


def kind_spec():
    return dict((name, dict(type='dict', options=dict((opt_name, opt.spec()) for opt_name, opt in kind.opts.items())))
                for name, kind in KINDS.items() if kind.opts)


def qdisc_words(kind_name, values):
    """A kind's options as tc words (the inverse of what tc qdisc add reads)."""
    kind = KINDS[kind_name]
    if kind_name == 'netem':
        return netem_words(values)
    if hasattr(kind, 'words'):  # red, gred, choke, taprio, mqprio say their own
        return kind.words(values)
    words = []
    for name, opt in kind.opts.items():
        value = values.get(name)
        if value is None:
            continue
        if opt.unit == 'bool':
            yes, no = BOOL_WORDS.get(name, (name, None))
            words += [yes if value else no] if (yes if value else no) else []
        elif opt.unit == 'list':
            words += [name] + [str(v) for v in value]
        elif kind_name == 'fq' and name == 'buckets_log':
            words += ['buckets', str(1 << value)]
        elif kind_name == 'cake' and name in ('diffserv', 'flowmode', 'ack_filter'):
            words.append(value)
        elif kind_name == 'cbs' and name == 'offload':
            words += ['offload', '1' if value else '0']
        elif opt.unit == 'size':  # as plain bytes: some tc options read only plain numbers
            words += [name, str(opt.to_kernel(value))]
        else:
            words += [name, str(value)]
    return words


def netem_words(values):
    words = []
    if values.get('delay') is not None or values.get('jitter') is not None:
        words += ['delay', values.get('delay') or '0us']
        if values.get('jitter') not in (None, '0us') or values.get('delay_correlation') not in (None, '0%'):
            words.append(values.get('jitter') or '0us')
            if values.get('delay_correlation') not in (None, '0%'):
                words.append(values['delay_correlation'])
    for name, prefix in (('loss', ['loss', 'random']), ('duplicate', ['duplicate']), ('reorder', ['reorder']),
                         ('corrupt', ['corrupt'])):
        if values.get(name) is not None:
            words += prefix + [values[name]]
            if values.get(name + '_correlation') not in (None, '0%'):
                words.append(values[name + '_correlation'])
    for name in ('gap', 'rate', 'limit'):
        if values.get(name) is not None and not (name == 'rate' and values[name] == '0bit'):
            words += [name, str(values[name])]
    if values.get('ecn'):
        words.append('ecn')
    return words


class Qdisc(Resource):
    # kind is listed so that {dev: eth0, kind: ingress} is recognized as one object; key() leaves it out:
    # another kind at the same place is the same qdisc, replaced
    identity = ('dev', 'parent', 'handle', 'kind')
    scope = ('dev', 'parent')
    purge_requires = ('dev',)
    attributes = tuple([Attribute('kind'), Attribute('ingress_block'), Attribute('egress_block')]
                       + [Attribute(name, equal=kind.same) for name, kind in KINDS.items() if kind.opts])
    options = dict(
        dev=dict(type='str', required=True),
        parent=dict(type='str'),
        handle=dict(type='str'),
        kind=dict(type='str', choices=sorted(KINDS)),
        ingress_block=dict(type='int'),
        egress_block=dict(type='int'),
        **kind_spec()
    )
    # gathered qdiscs carry their counters under `stats` when set (facts); never compared
    with_stats = False

    def key(self, item):
        return (item.get('dev'), item.get('parent'), item.get('handle'))

    def label(self, key):
        return '%s %s handle %s' % key

    def normalize(self, item):
        kind_name = item.get('kind')
        want = dict((name, item.get(name)) for name in ('dev', 'kind', 'ingress_block', 'egress_block'))
        default_parent = 'ingress' if kind_name in INGRESS_KINDS else 'root'
        parent = tc.parse_handle(item.get('parent') or default_parent, 'parent')
        if kind_name in INGRESS_KINDS and parent != tc.TC_H_INGRESS:
            raise ValidationError('parent: a %s qdisc sits at parent %s, not %s'
                                  % (kind_name, kind_name, item.get('parent')))
        want['parent'] = tc.format_handle(parent)
        if item.get('handle') is None and (kind_name in INGRESS_KINDS or parent == tc.TC_H_INGRESS):
            handle = INGRESS_HANDLE
        elif item.get('handle') is None:
            raise ValidationError('handle: required (e.g. "1:"); without one the kernel picks a number a later '
                                  'run could not recognize')
        else:
            handle = tc.parse_handle(item['handle'], 'handle', qdisc=True)
        if not handle:
            raise ValidationError("handle: '0:' is the kernel's default qdisc; give a handle such as '1:'")
        want['handle'] = tc.format_handle(handle)
        if (want['ingress_block'] or want['egress_block']) and kind_name not in INGRESS_KINDS:
            raise ValidationError('ingress_block/egress_block: only ingress and clsact qdiscs share blocks')
        if want['egress_block'] and kind_name != 'clsact':
            raise ValidationError('egress_block: only a clsact qdisc has an egress block')
        for name, kind in KINDS.items():
            if not kind.opts or item.get(name) is None:
                continue
            if name != kind_name:
                raise ValidationError('%s: options of kind %s given, but kind is %s' % (name, name, kind_name))
            want[name] = kind.prepare(item[name], name)
        if kind_name is not None:
            kind = KINDS[kind_name]
            missing = [name for name in kind.required if (want.get(kind_name) or {}).get(name) is None]
            if missing:
                raise ValidationError('%s: %s required for kind %s' % (kind_name, ', '.join(missing), kind_name))
        return want

    def check_request(self, state, wants):
        Resource.check_request(self, state, wants)
        if state in ('merged', 'replaced', 'overridden'):
            missing = [self.label(self.key(want)) for want in wants if want.get('kind') is None]
            if missing:
                raise ValidationError('kind: required to %s a qdisc (%s)' % (state, ', '.join(missing)))
        if state in ('replaced', 'overridden'):
            for want in wants:
                kind = KINDS[want['kind']]
                if kind.opts:  # options not given return to the kernel's defaults
                    want[want['kind']] = dict(kind.defaults(), **(want.get(want['kind']) or {}))

    # -- reading --------------------------------------------------------------------------------
    def gather(self):
        self.indexes = rtnl.link_indexes(self.conn)
        names = dict((index, name) for name, index in self.indexes.items())
        dev = self.scope_values.get('dev')
        if dev is not None and all(w['dev'] == dev for w in getattr(self, 'wants', [])):
            if dev not in self.indexes:
                return []
            messages = tc.dump(self.conn, tc.RTM_GETQDISC, self.indexes[dev])
        else:
            messages = tc.dump(self.conn, tc.RTM_GETQDISC)
        haves = [self.from_message(msg, names) for msg in messages if tc.tc_h_maj(msg['handle'])]
        self.haves = haves
        return haves

    def from_message(self, msg, names):
        kind_name = msg.get_attr('TCA_KIND')
        have = {'dev': names.get(msg['index'], str(msg['index'])), 'parent': tc.format_handle(msg['parent']),
                'handle': tc.format_handle(msg['handle']), 'kind': kind_name,
                'ingress_block': msg.get_attr('TCA_INGRESS_BLOCK') or None,
                'egress_block': msg.get_attr('TCA_EGRESS_BLOCK') or None}
        kind = KINDS.get(kind_name)
        if kind is not None and kind.opts:
            have[kind_name] = kind.decode(tc.options_of(msg))
        if self.with_stats:
            have['stats'] = tc.stats_of(msg)
        return have

    def depth(self, item, items):
        """How deep a qdisc sits: 0 at root/ingress, its parent qdisc's depth + 1 under a class."""
        owners = dict(((i['dev'], i['handle']), i) for i in items)
        depth, seen = 0, set()
        while item is not None and item['parent'] not in ('root', 'ingress') and id(item) not in seen:
            seen.add(id(item))
            major = tc.parse_handle(item['parent'], 'parent') & tc.TC_H_MAJ_MASK
            item = owners.get((item['dev'], tc.format_handle(major)))
            depth += 1
        return depth

    def in_scope(self, have):
        if self.scope_values.get('dev') not in (None, have['dev']):
            return False
        parent = self.scope_values.get('parent')
        if parent is None:
            return True
        # below the scope: attached there, to a class of a scope qdisc, or below a qdisc that is
        scope = tc.parse_handle(parent, 'parent')
        special = (tc.TC_H_ROOT, tc.TC_H_INGRESS)
        owners = dict(((i['dev'], i['handle']), i) for i in getattr(self, 'haves', []))
        item, seen = have, set()
        while item is not None and id(item) not in seen:
            seen.add(id(item))
            attached = tc.parse_handle(item['parent'], 'parent')
            if attached == scope or (scope not in special and not tc.tc_h_min(scope)
                                     and attached not in special and tc.tc_h_maj(attached) == scope):
                return True
            if attached in special:
                return False
            item = owners.get((item['dev'], tc.format_handle(tc.tc_h_maj(attached))))
        return False

    def order(self, changes):
        """Deepest deletions first (a qdisc goes with its children); creations parents first."""
        items = [c.after or c.before for c in changes] + getattr(self, 'haves', [])
        for change in changes:
            if change.op == 'update' and 'kind' in change.delta:
                # another kind: the old kind's options do not carry over
                change.after = dict((k, v) for k, v in change.after.items()
                                    if k not in KINDS or k == change.after['kind'])
        deletes = sorted((c for c in changes if c.op == 'delete'), key=lambda c: -self.depth(c.before, items))
        others = sorted((c for c in changes if c.op != 'delete'), key=lambda c: self.depth(c.after, items))
        return deletes + others

    # -- writing --------------------------------------------------------------------------------
    def message(self, item, with_options=True):
        kind_name = item.get('kind')
        attrs = []
        if with_options and item.get('ingress_block'):
            attrs.append(('TCA_INGRESS_BLOCK', item['ingress_block']))
        if with_options and item.get('egress_block'):
            attrs.append(('TCA_EGRESS_BLOCK', item['egress_block']))
        options = KINDS[kind_name].encode(item.get(kind_name) or {}) if with_options and kind_name else None
        return tc.make_tcmsg(ifindex=self.indexes.get(item['dev'], 0),
                             handle=tc.parse_handle(item['handle'], 'handle', qdisc=True),
                             parent=tc.parse_handle(item['parent'], 'parent'),
                             kind=kind_name if with_options else None, options=options, attrs=attrs)

    def in_place(self, change):
        return 'kind' not in change.delta and KINDS[change.after['kind']].changeable and \
            not set(change.delta) & {'ingress_block', 'egress_block'}

    def requests(self, change):
        if change.op == 'delete':
            return [(self.message(change.before, with_options=False), tc.RTM_DELQDISC, 0)]
        if change.op == 'update' and self.in_place(change):
            return [(self.message(change.after), tc.RTM_NEWQDISC, 0)] + self.followups(change.after)
        requests = []
        if change.op == 'update':
            requests.append((self.message(change.before, with_options=False), tc.RTM_DELQDISC, 0))
        # replace: a qdisc under another handle at the same parent is grafted over, as tc qdisc replace does
        requests.append((self.message(change.after), tc.RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE))
        if self.change_after_create(change.after):
            requests.append((self.message(change.after), tc.RTM_NEWQDISC, 0))
        return requests + self.followups(change.after)

    def followups(self, item):
        """The kind's changes after its create or change (gred: one per virtual queue)."""
        changes = KINDS[item['kind']].followups(item.get(item['kind']) or {})
        return [(tc.make_tcmsg(ifindex=self.indexes.get(item['dev'], 0),
                               handle=tc.parse_handle(item['handle'], 'handle', qdisc=True),
                               parent=tc.parse_handle(item['parent'], 'parent'), kind=item['kind'], options=options),
                 tc.RTM_NEWQDISC, 0) for options, _words in changes]

    @staticmethod
    def change_after_create(item):
        """Whether the item gives an option its kind takes only on a change (hhf's hh_limit)."""
        values = item.get(item['kind']) or {}
        return any(values.get(name) is not None for name in KINDS[item['kind']].change_after_create)

    @staticmethod
    def where(item):
        """Where a qdisc sits, in tc's words (ingress and clsact name themselves, last on the line)."""
        if item['parent'] == 'ingress':
            return []
        if item['parent'] == 'root':
            return ['root', 'handle', item['handle']]
        return ['parent', item['parent'], 'handle', item['handle']]

    def render(self, change):
        item = change.after or change.before
        before = change.before
        delete = None
        if before is not None:
            delete = self.tc('qdisc', 'del', 'dev', before['dev'], *(self.where(before) or [before['kind']]))
        if change.op == 'delete':
            return [delete]
        words = ['dev', item['dev']] + self.where(item)
        for name in ('ingress_block', 'egress_block'):
            if item.get(name):
                words += [name, item[name]]
        words += [item['kind']] + qdisc_words(item['kind'], item.get(item['kind']) or {})
        followups = [self.tc('qdisc', 'change', *(['dev', item['dev']] + self.where(item) + [item['kind']] + extra))
                     for _options, extra in KINDS[item['kind']].followups(item.get(item['kind']) or {})]
        if change.op == 'update' and self.in_place(change):
            return [self.tc('qdisc', 'change', *words)] + followups
        return ([delete] if change.op == 'update' else []) + [self.tc('qdisc', 'replace', *words)] \
            + ([self.tc('qdisc', 'change', *words)] if self.change_after_create(item) else []) + followups

    @classmethod
    def parse(cls, text):
        """``tc -j qdisc show`` output as a config list (the kind's options where tc prints them plainly)."""
        try:
            shown = json.loads(text)
        except ValueError as exc:
            raise ValidationError('running_config is not JSON from `tc -j qdisc show`: %s' % exc)
        config = []
        for entry in shown if isinstance(shown, list) else []:
            handle = tc.parse_handle(entry.get('handle', '0:'), 'handle', qdisc=True)
            if not handle:
                continue  # the kernel's default
            kind_name = entry.get('kind')
            parent = 'root' if entry.get('root') else tc.format_handle(tc.parse_handle(entry.get('parent'), 'parent'))
            item = {'dev': entry.get('dev'), 'parent': parent, 'handle': tc.format_handle(handle), 'kind': kind_name}
            options = parsed_options(kind_name, entry.get('options') or {})
            if options:
                item[kind_name] = options
            config.append(item)
        return config


def parsed_options(kind_name, shown):
    """The options of tc's JSON that map one to one on ours (tc prints rates as bytes/s, times in us)."""
    kind = KINDS.get(kind_name)
    if kind is None or not kind.opts:
        return {}
    options = {}
    if kind_name == 'htb':
        options = {'r2q': shown.get('r2q'), 'default': '%x' % int(str(shown.get('default', '0')), 16),
                   'direct_qlen': shown.get('direct_qlen')}
    elif kind_name == 'tbf':
        options = {'rate': tc.format_rate(shown['rate']) if 'rate' in shown else None,
                   'burst': tc.format_size(tc.parse_size(str(shown['burst']).split('/', 1)[0], 'burst'))
                   if 'burst' in shown else None}
    else:
        for name, opt in kind.opts.items():
            value = shown.get(name)
            if isinstance(value, int) and opt.unit == 'int':
                options[name] = value
            elif isinstance(value, bool) and opt.unit == 'bool':
                options[name] = value
    return dict((k, v) for k, v in options.items() if v is not None)

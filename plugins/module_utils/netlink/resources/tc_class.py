# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Traffic control classes (RTM_*TCLASS) of htb, hfsc, drr, qfq and ets: identity dev + classid.

A class's kind is its qdisc's. Classes of the other classful qdiscs (prio bands, mq queues, ...) exist
with their qdisc and have nothing to configure: they are not gathered. The bands of an ets qdisc are
classes that cannot be created or removed, only changed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl, tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import NLM_F_CREATE, NLM_F_EXCL
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc_kinds import (
    U32_MAX, AttrKind, Kind, Opt, _bursts_equal)

HTB_MTU = 1600  # tc's default mtu for htb's default burst


def _htb_ticks(rate, size):
    return tc.psched().xmittime(rate, size)


class HtbClass(Kind):
    """htb class: struct tc_htb_opt; bursts are transmit times at the rate (burst) and ceil (cburst)."""

    opts = {'rate': Opt('rate'), 'ceil': Opt('rate'), 'burst': Opt('size'), 'cburst': Opt('size'),
            'prio': Opt('int', default=0), 'quantum': Opt('int')}
    required = ('rate',)

    def __init__(self):
        Kind.__init__(self, 'htb')

    def complete(self, values):
        """What tc fills in for a new class: ceil = rate, bursts = rate / HZ + mtu (HZ from /proc/net/psched)."""
        values = dict(values)
        values.setdefault('ceil', values['rate'])
        hz = 10 ** 9 if tc.psched().clock_factor == 1 else 1000
        for size, rate in (('burst', 'rate'), ('cburst', 'ceil')):
            if values.get(size) is None:
                values[size] = tc.format_size(tc.parse_rate(values[rate], '') // hz + HTB_MTU)
        values.setdefault('prio', 0)
        return values

    @staticmethod
    def r2q_of(qdisc_options):
        glob = tc.parse_nla(qdisc_options).get(2)  # TCA_HTB_INIT
        return struct.unpack_from('=2I', glob)[1] or 10 if glob is not None and len(glob) >= 8 else 10

    def same(self, want, have):
        for name, value in want.items():
            if name in ('burst', 'cburst'):
                if not _bursts_equal(want, have, name, 'rate' if name == 'burst' else 'ceil', _htb_ticks):
                    return False
            elif name in ('prio', 'quantum') and name not in have:
                continue  # an inner class: the kernel keeps neither
            elif not Kind.same(self, {name: value}, have):
                return False
        return True

    def encode(self, values):
        values = self.complete(values)
        clock = tc.psched()
        rate, ceil = tc.parse_rate(values['rate'], ''), tc.parse_rate(values['ceil'], '')
        parms = (tc.pack_ratespec(rate) + tc.pack_ratespec(ceil)
                 + struct.pack('=5I', clock.xmittime(rate, tc.parse_size(values['burst'], '')),
                               clock.xmittime(ceil, tc.parse_size(values['cburst'], '')),
                               values.get('quantum') or 0, 0, values.get('prio') or 0))
        data = b''
        if rate > U32_MAX:
            data += tc.nla_u64(6, rate)  # TCA_HTB_RATE64
        if ceil > U32_MAX:
            data += tc.nla_u64(7, ceil)  # TCA_HTB_CEIL64
        return data + tc.nla(1, parms)  # TCA_HTB_PARMS

    def decode(self, data):
        attrs = tc.parse_nla(data)
        parms = attrs.get(1)
        if parms is None or len(parms) < 44:
            return {}
        clock = tc.psched()
        rate = tc.u64(attrs.get(6)) or tc.unpack_ratespec(parms)['rate']
        ceil = tc.u64(attrs.get(7)) or tc.unpack_ratespec(parms, 12)['rate']
        buffer, cbuffer, quantum, level, prio = struct.unpack_from('=5I', parms, 24)
        values = {'rate': tc.format_rate(rate), 'ceil': tc.format_rate(ceil),
                  'burst': tc.format_size(clock.burst(rate, buffer)), 'cburst': tc.format_size(clock.burst(ceil, cbuffer))}
        if not level:
            values.update(prio=prio, quantum=quantum)
        return values


# hfsc: a service curve is {m1, d, m2}; the kernel keeps slopes in its own fixed point
# (m2sm/sm2m in sch_hfsc.c), so a rate compares as what it reads back as.
HFSC_CURVES = (('rt', 1), ('ls', 2), ('ul', 3))  # TCA_HFSC_RSC, FSC, USC
SM_SHIFT, TICKS_PER_SEC = 24, 10 ** 9 >> 6


def hfsc_slope(rate):
    """A rate (bytes/s) as the kernel reads it back."""
    scaled = ((rate << SM_SHIFT) + TICKS_PER_SEC - 1) // TICKS_PER_SEC
    return (scaled * TICKS_PER_SEC) >> SM_SHIFT


def hfsc_delay(usec):
    return (usec * TICKS_PER_SEC + 10 ** 6 - 1) // 10 ** 6 * 10 ** 6 // TICKS_PER_SEC


class HfscClass(Kind):
    opts = dict((name, Opt('curve')) for name, _attr in HFSC_CURVES)

    def __init__(self):
        Kind.__init__(self, 'hfsc')

    @staticmethod
    def spec():
        curve = dict(type='dict', options=dict(m1=dict(type='raw'), d=dict(type='raw'), m2=dict(type='raw')))
        return dict((name, dict(curve)) for name, _attr in HFSC_CURVES)

    def prepare(self, values, what):
        out = {}
        for name, curve in values.items():
            if curve is None:
                continue
            where = '%s.%s' % (what, name)
            if curve.get('m2') is None:
                raise ValidationError('%s.m2: required (the long-term rate of the curve)' % where)
            out[name] = {'m1': tc.format_rate(tc.parse_rate(curve.get('m1') or 0, where + '.m1')),
                         'd': tc.format_time(tc.parse_time(curve.get('d') or 0, where + '.d')),
                         'm2': tc.format_rate(tc.parse_rate(curve['m2'], where + '.m2'))}
        if not out:
            raise ValidationError('%s: give at least one service curve (rt, ls or ul)' % what)
        return out

    @staticmethod
    def kernel_curve(curve):
        return (hfsc_slope(tc.parse_rate(curve['m1'], '')), hfsc_delay(tc.parse_time(curve['d'], '')),
                hfsc_slope(tc.parse_rate(curve['m2'], '')))

    def same(self, want, have):
        return all(have.get(name) is not None and self.kernel_curve(curve) == self.kernel_curve(have[name])
                   for name, curve in want.items())

    def encode(self, values):
        return b''.join(tc.nla(attr, struct.pack('=3I', tc.parse_rate(values[name]['m1'], ''),
                                                 tc.parse_time(values[name]['d'], ''),
                                                 tc.parse_rate(values[name]['m2'], '')))
                        for name, attr in HFSC_CURVES if values.get(name))

    def decode(self, data):
        attrs = tc.parse_nla(data)
        values = {}
        for name, attr in HFSC_CURVES:
            if len(attrs.get(attr, b'')) >= 12:
                m1, d, m2 = struct.unpack_from('=3I', attrs[attr])
                values[name] = {'m1': tc.format_rate(m1), 'd': tc.format_time(d), 'm2': tc.format_rate(m2)}
        return values


CLASS_KINDS = dict((kind.name, kind) for kind in [
    HtbClass(), HfscClass(),
    AttrKind('drr', {'quantum': Opt('size', attr=1)}),  # TCA_DRR_QUANTUM
    AttrKind('qfq', {'weight': Opt('int', attr=1), 'maxpkt': Opt('size', attr=2)}),  # TCA_QFQ_WEIGHT, LMAX
    AttrKind('ets', {'quantum': Opt('size', attr=4)}),  # TCA_ETS_QUANTA_BAND
])


def class_kind_spec():
    spec = {}
    for name, kind in CLASS_KINDS.items():
        options = kind.spec() if name == 'hfsc' else dict((o, opt.spec()) for o, opt in kind.opts.items())
        spec[name] = dict(type='dict', options=options)
    return spec


class TcClass(Resource):
    identity = ('dev', 'classid')
    scope = ('dev', 'parent')
    purge_requires = ('dev',)
    attributes = tuple([Attribute('parent'), Attribute('kind')]
                       + [Attribute(name, equal=kind.same) for name, kind in CLASS_KINDS.items()])
    options = dict(
        dev=dict(type='str', required=True),
        classid=dict(type='str', required=True),
        parent=dict(type='str'),
        kind=dict(type='str', choices=sorted(CLASS_KINDS)),
        **class_kind_spec()
    )
    with_stats = False

    def label(self, key):
        return '%s classid %s' % key

    def normalize(self, item):
        want = {'dev': item['dev'], 'kind': item.get('kind')}
        classid = tc.parse_handle(item['classid'], 'classid')
        if not tc.tc_h_maj(classid) or not tc.tc_h_min(classid) or classid in (tc.TC_H_ROOT, tc.TC_H_INGRESS):
            raise ValidationError("classid: %r is not a class; allowed: 'MAJ:MIN' with both numbers non-zero, "
                                  "MAJ the handle of the class's qdisc (1:10 is class 10 of qdisc 1:)"
                                  % item['classid'])
        want['classid'] = tc.format_handle(classid)
        if item.get('parent') is not None:
            parent = tc.parse_handle(item['parent'], 'parent')
            if tc.tc_h_maj(parent) != tc.tc_h_maj(classid) and parent != tc.TC_H_ROOT:
                raise ValidationError('parent: %s is not in qdisc %s of class %s'
                                      % (item['parent'], tc.format_handle(tc.tc_h_maj(classid)), want['classid']))
            # a class attached to its qdisc itself is a root class: the kernel reports parent root
            want['parent'] = 'root' if parent == tc.TC_H_ROOT or not tc.tc_h_min(parent) \
                else tc.format_handle(parent)
        given = [name for name in CLASS_KINDS if item.get(name) is not None]
        if want['kind'] is None and len(given) == 1:
            want['kind'] = given[0]
        for name in given:
            if name != want['kind']:
                raise ValidationError('%s: options of kind %s given, but kind is %s' % (name, name, want['kind']))
            want[name] = CLASS_KINDS[name].prepare(item[name], name)
            missing = [o for o in CLASS_KINDS[name].required if want[name].get(o) is None]
            if missing:
                raise ValidationError('%s: %s required' % (name, ', '.join(missing)))
        return want

    def check_request(self, state, wants):
        Resource.check_request(self, state, wants)
        if state in ('merged', 'replaced', 'overridden'):
            for want in wants:
                if want.get('kind') is None or want.get('parent') is None:
                    raise ValidationError('%s: kind (or its options) and parent are required to %s a class'
                                          % (self.label(self.key(want)), state))
        if state in ('replaced', 'overridden'):
            for want in wants:
                kind = CLASS_KINDS[want['kind']]
                want[want['kind']] = dict(kind.defaults(), **(want.get(want['kind']) or {}))

    # -- reading --------------------------------------------------------------------------------
    def gather(self):
        self.indexes = rtnl.link_indexes(self.conn)
        dev = self.scope_values.get('dev')
        devices = sorted(set([dev] if dev is not None else self.indexes) & set(self.indexes))
        haves, self.r2q = [], {}
        for name in devices:
            for msg in tc.dump(self.conn, tc.RTM_GETQDISC, self.indexes[name]):
                if msg.get_attr('TCA_KIND') == 'htb':
                    self.r2q[(name, tc.format_handle(msg['handle']))] = \
                        CLASS_KINDS['htb'].r2q_of(tc.options_of(msg))
            for msg in tc.dump(self.conn, tc.RTM_GETTCLASS, self.indexes[name]):
                kind = CLASS_KINDS.get(msg.get_attr('TCA_KIND'))
                if kind is None or not tc.tc_h_min(msg['handle']):
                    continue
                have = {'dev': name, 'classid': tc.format_handle(msg['handle']), 'kind': kind.name,
                        'parent': tc.format_handle(msg['parent']) if tc.tc_h_min(msg['parent']) else 'root',
                        kind.name: kind.decode(tc.options_of(msg))}
                if self.with_stats:
                    have['stats'] = tc.stats_of(msg)
                haves.append(have)
        self.haves = haves
        return haves

    def ancestry(self, item, items):
        """The classids above a class, nearest first."""
        by_id = dict(((i['dev'], i['classid']), i) for i in items)
        chain = []
        while item is not None and item.get('parent') not in (None, 'root') and item['parent'] not in chain:
            chain.append(item['parent'])
            item = by_id.get((item['dev'], item['parent']))
        return chain

    def in_scope(self, have):
        if have['kind'] == 'ets' or self.scope_values.get('dev') not in (None, have['dev']):
            return False  # ets bands come and go with their qdisc
        parent = self.scope_values.get('parent')
        if parent is None:
            return True
        scope = tc.parse_handle(parent, 'parent')
        if not tc.tc_h_min(scope):  # a qdisc: its classes
            return tc.tc_h_maj(tc.parse_handle(have['classid'], 'classid')) == scope
        return tc.format_handle(scope) in self.ancestry(have, getattr(self, 'haves', []))

    def order(self, changes):
        items = [c.after or c.before for c in changes] + getattr(self, 'haves', [])
        deletes = sorted((c for c in changes if c.op == 'delete'),
                         key=lambda c: -len(self.ancestry(c.before, items)))
        others = sorted((c for c in changes if c.op != 'delete'), key=lambda c: len(self.ancestry(c.after, items)))
        parents = set((i['dev'], i.get('parent')) for i in items)
        for change in others:
            if change.after['kind'] == 'htb':
                self.predict_htb(change, (change.after['dev'], change.after['classid']) in parents)
        return deletes + others

    def predict_htb(self, change, inner):
        """The htb options as a re-read shows them: tc's defaults on creation, the quantum the kernel
        derives from the rate unless one is given, and nothing of prio and quantum for an inner class."""
        htb = change.after['htb'] = CLASS_KINDS['htb'].complete(change.after['htb'])
        if inner:
            htb.pop('prio', None)
            htb.pop('quantum', None)
        elif not self.quantum_given(change):
            htb['quantum'] = self.derived_quantum(change.after)

    def derived_quantum(self, item):
        """The quantum the kernel gives an htb class without one: rate / r2q of its qdisc, within 1000-200000."""
        r2q = getattr(self, 'r2q', {}).get(
            (item['dev'], tc.format_handle(tc.tc_h_maj(tc.parse_handle(item['classid'], 'classid')))), 10)
        return min(max(tc.parse_rate(item['htb']['rate'], '') // r2q, 1000), 200000)

    def quantum_given(self, change):
        """Whether the quantum is the user's: asked for now, or set before (not what the kernel derives)."""
        if (change.delta.get('htb') or {}).get('quantum') is not None:
            return True
        before = (change.before or {}).get('htb') or {}
        return before.get('quantum') is not None and before['quantum'] != self.derived_quantum(change.before)

    # -- writing --------------------------------------------------------------------------------
    def parent_number(self, item):
        classid = tc.parse_handle(item['classid'], 'classid')
        return tc.tc_h_maj(classid) if item.get('parent') in (None, 'root') else tc.parse_handle(item['parent'], '')

    def message(self, item, with_options=True, derived=()):
        """The request for a class; ``derived`` options go as 0, for the kernel to derive."""
        kind = item.get('kind')
        values = dict((k, v) for k, v in (item.get(kind) or {}).items() if k not in derived)
        return tc.make_tcmsg(ifindex=self.indexes.get(item['dev'], 0),
                             handle=tc.parse_handle(item['classid'], 'classid'),
                             parent=self.parent_number(item) if with_options else 0,
                             kind=kind if with_options else None,
                             # every class kind's options are attributes
                             options=tc.Nested(CLASS_KINDS[kind].encode(values)) if with_options else None)

    @staticmethod
    def in_place(change):
        return not set(change.delta) & {'parent', 'kind'}

    def requests(self, change):
        if change.op == 'delete':
            return [(self.message(change.before, with_options=False), tc.RTM_DELTCLASS, 0)]
        # an htb quantum not asked for is the kernel's to derive from the (new) rate
        derived = ('quantum',) if change.after['kind'] == 'htb' and not self.quantum_given(change) else ()
        if change.op == 'update' and self.in_place(change):
            return [(self.message(change.after, derived=derived), tc.RTM_NEWTCLASS, 0)]
        requests = []
        if change.op == 'update':
            requests.append((self.message(change.before, with_options=False), tc.RTM_DELTCLASS, 0))
        return requests + [(self.message(change.after, derived=derived), tc.RTM_NEWTCLASS,
                            NLM_F_CREATE | NLM_F_EXCL)]

    def render(self, change):
        item = change.after or change.before
        delete = None
        if change.before is not None:
            delete = self.tc('class', 'del', 'dev', change.before['dev'], 'classid', change.before['classid'])
        if change.op == 'delete':
            return [delete]
        values = dict(item.get(item['kind']) or {})
        if item['kind'] == 'htb' and not self.quantum_given(change):
            values.pop('quantum', None)  # the kernel derives it from the rate
        words = ['dev', item['dev'], 'parent', tc.format_handle(self.parent_number(item)),
                 'classid', item['classid'], item['kind']] + class_words(item['kind'], values)
        if change.op == 'update' and self.in_place(change):
            return [self.tc('class', 'change', *words)]
        return ([delete] if change.op == 'update' else []) + [self.tc('class', 'add', *words)]


def class_words(kind_name, values):
    words = []
    if kind_name == 'hfsc':
        for name, _attr in HFSC_CURVES:
            if values.get(name):
                words += [name, 'm1', values[name]['m1'], 'd', values[name]['d'], 'm2', values[name]['m2']]
        return words
    for name, opt in CLASS_KINDS[kind_name].opts.items():
        if values.get(name) is not None:
            # sizes as plain bytes: some tc options read only plain numbers
            words += [name, str(opt.to_kernel(values[name]) if opt.unit == 'size' else values[name])]
    return words

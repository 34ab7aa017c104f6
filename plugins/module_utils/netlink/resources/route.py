# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IPv4/IPv6 routes (RTM_*ROUTE): identity table + family + dst + tos + metric; purge scope: a table,
narrowed by dev, protocol and family.

Reading and writing go through families/route_codec.py (struct, not pyroute2: a 100,000-route dump is
decoded about 7 times faster, a request encoded about 25 times faster) and are pipelined, one request per
change (NLM_F_REPLACE rewrites a route whole). tests/perf/route_scale.py measures it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import functools
import json
import socket

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import route_codec as codec

AF = {'inet': socket.AF_INET, 'inet6': socket.AF_INET6}
FAMILY = {socket.AF_INET: 'inet', socket.AF_INET6: 'inet6'}
BITS = {socket.AF_INET: 32, socket.AF_INET6: 128}
ANY = {socket.AF_INET: '0.0.0.0/0', socket.AF_INET6: '::/0'}
DEFAULT_METRIC = {'inet': 0, 'inet6': 1024}  # the kernel gives IPv6 routes without a metric 1024
TABLES, TABLE_NAMES = codec.TABLES, dict((v, k) for k, v in codec.TABLES.items())
PROTOCOLS, PROTOCOL_NAMES = rtnl.PROTOCOLS, rtnl.PROTOCOL_NAMES
# Routes the kernel makes itself (connected, local, link-local, multicast, router advertisements):
# purged only when the scope names their protocol.
KERNEL_PROTOCOLS = ('redirect', 'kernel', 'ra')
# Created routes get this protocol unless told otherwise (iproute2 uses boot): it marks them as configured.
CREATE_PROTOCOL = 'static'
TYPES = ('unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit',
         'throw', 'nat')
NO_NEXTHOP = ('blackhole', 'unreachable', 'prohibit', 'throw')
PREFS, PREF_NAMES = codec.PREFS, dict((v, k) for k, v in codec.PREFS.items())
# Metrics in iproute2's units: rtt and rttvar in milliseconds (the kernel keeps rtt*8 and rttvar*4).
METRICS = ('mtu', 'advmss', 'window', 'initcwnd', 'initrwnd', 'hoplimit', 'rtt', 'rttvar', 'ssthresh', 'cwnd',
           'reordering')
METRIC_SCALE = {'rtt': 8, 'rttvar': 4}
METRIC_MAX = {'mtu': 65520, 'advmss': 65495, 'hoplimit': 255}  # beyond, the kernel clamps silently
U32_MAX = 0xFFFFFFFF
# What a simple route's request depends on besides dst (the key of its encoded template)
SHAPE = ('family', 'table', 'tos', 'protocol', 'scope', 'type', 'onlink', 'metric', 'gateway', 'dev', 'prefsrc',
         'nhid', 'pref')
# Routes alike but for dst are normalized and read once per shape (a bulk set has few shapes); a set with
# more shapes than this is handled route by route beyond them
SHAPES_MAX = 4096
ENCAP_OPTIONS = {'seg6': ('mode', 'segs'),
                 'seg6local': ('action', 'table', 'vrftable', 'nh4', 'nh6', 'iif', 'oif', 'segs'),
                 'mpls': ('labels', 'ttl')}


@functools.lru_cache(maxsize=1024)  # a bulk set repeats its gateways
def address(text, option, family=None):
    """An address as inet_ntop writes it (the form the kernel's dumps are read in)."""
    text = str(text)
    number = socket.AF_INET6 if ':' in text else socket.AF_INET
    try:
        raw = socket.inet_pton(number, text)
    except (OSError, ValueError):
        raise ValidationError('%s: %r is not an IPv4/IPv6 address' % (option, text))
    if family is not None and number != family:
        raise ValidationError('%s: %s is not an %s address like the route' % (option, text, FAMILY[family]))
    return socket.inet_ntop(number, raw)


def prefix(text, family):
    """(family, 'address/length') of a destination; ``default`` is the whole family."""
    text = str(text)
    if text == 'default':
        return family, ANY[family]
    addr, slash, digits = text.partition('/')
    number = socket.AF_INET6 if ':' in addr else socket.AF_INET
    bits = BITS[number]
    try:
        raw = socket.inet_pton(number, addr)
        length = int(digits) if slash else bits
        if not 0 <= length <= bits or (slash and not digits.isdigit()):
            raise ValueError(text)
    except (OSError, ValueError):
        raise ValidationError("dst: %r is not a prefix; use 'default' or an address with an optional /length" % text)
    if length < bits and int.from_bytes(raw, 'big') & ((1 << (bits - length)) - 1):
        network = int.from_bytes(raw, 'big') >> (bits - length) << (bits - length)
        raise ValidationError('dst: %s has host bits set; the prefix is %s/%d' % (
            text, socket.inet_ntop(number, network.to_bytes(bits // 8, 'big')), length))
    return number, '%s/%d' % (socket.inet_ntop(number, raw), length)


def number_or_name(value, names, option, maximum):
    """A value given by name or number, in its canonical form: the name when it has one."""
    text = str(value)
    if text in names:
        return text
    if text.isdigit() and int(text) <= maximum:
        reverse = dict((v, k) for k, v in names.items())
        return reverse.get(int(text), text)
    raise ValidationError('%s: %r is not valid; use one of %s or a number 0-%d'
                          % (option, value, ', '.join(sorted(names)), maximum))


def protocol_number(name):
    return PROTOCOLS[name] if name in PROTOCOLS else int(name)


def table_number(name):
    return TABLES.get(name) or int(name)


@functools.lru_cache(maxsize=256)
def table_name(value, option='table'):
    name = number_or_name(value, TABLES, option, U32_MAX)
    if name == '0':
        raise ValidationError('%s: 0 is not a table; use main, local, default or 1-%d' % (option, U32_MAX))
    return name


def default_scope(family, rtype, has_path):
    """The scope iproute2 gives a route whose command names none (RT_SCOPE_* name)."""
    if family == 'inet6':
        return 'global'
    if rtype in ('local', 'nat'):
        return 'host'
    if rtype in ('broadcast', 'multicast', 'anycast'):
        return 'link'
    if rtype == 'unicast' and not has_path:
        return 'link'
    return 'global'


def has_path(item):
    return bool(item.get('gateway') or item.get('nexthops') or item.get('nhid'))


def nexthops_equal(want, have):
    """Multipath compares as a set; a next hop that names no device matches whichever the kernel chose."""
    if len(want) != len(have):
        return False
    return all(w['gateway'] == h['gateway'] and w['weight'] == h['weight'] and w['onlink'] == h['onlink']
               and w['dev'] in (None, h['dev']) for w, h in zip(want, have))


def hop_order(hop):
    return (hop['gateway'], hop['dev'] or '')


class Route(Resource):
    identity = ('table', 'family', 'dst', 'tos', 'metric')
    scope = ('table', 'dev', 'protocol', 'family')
    purge_requires = ('table',)
    attributes = (
        Attribute('type', default='unicast'),
        Attribute('scope'),
        Attribute('protocol', default=CREATE_PROTOCOL),
        Attribute('gateway', default=''),
        Attribute('dev'),
        Attribute('prefsrc', default=''),
        Attribute('onlink', default=False),
        Attribute('nexthops', default=[], equal=nexthops_equal),
        Attribute('nhid', default=0),
        Attribute('metrics', default={}),
        Attribute('encap', default={}),
        Attribute('pref'),
    )
    options = dict(
        dst=dict(type='str', required=True),
        family=dict(type='str', choices=sorted(AF)),
        table=dict(type='str'),
        metric=dict(type='int'),
        tos=dict(type='int'),
        type=dict(type='str', choices=list(TYPES)),
        scope=dict(type='str'),
        protocol=dict(type='str'),
        gateway=dict(type='str'),
        dev=dict(type='str'),
        prefsrc=dict(type='str'),
        onlink=dict(type='bool'),
        nexthops=dict(type='list', elements='dict', options=dict(
            gateway=dict(type='str'), dev=dict(type='str'), weight=dict(type='int', default=1),
            onlink=dict(type='bool', default=False))),
        nhid=dict(type='int'),
        metrics=dict(type='dict', options=dict(
            [(name, dict(type='int')) for name in METRICS]
            + [('lock', dict(type='list', elements='str', choices=list(METRICS)))])),
        encap=dict(type='dict', options=dict(
            type=dict(type='str', choices=sorted(ENCAP_OPTIONS)),
            mode=dict(type='str', choices=list(codec.SEG6_MODES)),
            segs=dict(type='list', elements='str'),
            action=dict(type='str', choices=list(codec.SEG6_ACTIONS[1:])),
            table=dict(type='str'), vrftable=dict(type='str'),
            nh4=dict(type='str'), nh6=dict(type='str'), iif=dict(type='str'), oif=dict(type='str'),
            labels=dict(type='list', elements='int'), ttl=dict(type='int'))),
        pref=dict(type='str', choices=sorted(PREFS)),
    )

    def __init__(self, conn, scope_values, netns=None):
        Resource.__init__(self, conn, scope_values, netns)
        given = dict((k, v) for k, v in scope_values.items() if v is not None)
        self.scope_norm = {
            'table': table_name(given['table']) if 'table' in given else None,
            'protocol': number_or_name(given['protocol'], PROTOCOLS, 'protocol', 255) if 'protocol' in given else None,
            'dev': given.get('dev'), 'family': given.get('family')}
        self.state = None
        self.colliding = set()
        self.route_devs = {}
        self.indexes = {}
        self.templates = {}
        self.lookups = {}
        self.shapes = {}

    # -- desired side -----------------------------------------------------------------------------
    def normalize(self, item):
        """The want of an item; an item with only plain values is the normalized want of the first one of its
        shape (everything but dst, and whether dst is IPv6) with its own dst, when dst is of that family."""
        dst = item.get('dst')
        shape = known = None
        if isinstance(dst, str):
            others = dict(item)
            others['dst'] = ':' in dst
            shape = (tuple(others), tuple(others.values()))
            try:
                known = self.shapes.get(shape)
            except TypeError:  # a list or dict among the values: no shape
                shape = None
        if known is not None:
            family, template = known
            number, canonical = prefix(dst, family)
            if FAMILY[number] == template['family']:
                want = dict(template)
                want['dst'] = canonical
                if want['nexthops'] == []:
                    want['nexthops'] = []  # no list shared between wants
                return want
        family, want = self.normalized(item)
        if shape is not None and len(self.shapes) < SHAPES_MAX:
            self.shapes[shape] = (family, dict(want))
        return want

    def normalized(self, item):
        """(family dst was read in, want) of an item."""
        want = dict.fromkeys(self.options)
        want.update(item)
        family = AF.get(want['family'])
        if family is None:
            hops = [h.get('gateway') for h in want['nexthops'] or [] if h.get('gateway')]
            hint = want['gateway'] or want['prefsrc'] or (hops[0] if hops else None)
            family = socket.AF_INET6 if (':' in str(hint or '') or ':' in str(want['dst'])) else socket.AF_INET
        read_in = family
        number, want['dst'] = prefix(want['dst'], family)
        if want['family'] is not None and number != family:
            raise ValidationError('dst: %s is not an %s prefix' % (want['dst'], want['family']))
        want['family'] = name = FAMILY[number]
        v6 = name == 'inet6'
        want['table'] = table_name(str(want['table'] if want['table'] is not None else 'main'))
        metric = DEFAULT_METRIC[name] if want['metric'] is None else want['metric']
        if not 0 <= metric <= U32_MAX:
            raise ValidationError('metric: %s is not 0-%d' % (metric, U32_MAX))
        # IPv6 metric 0 becomes 1024, as the kernel does; only its own local/anycast routes keep 0
        want['metric'] = metric or (0 if want['protocol'] == 'kernel' else DEFAULT_METRIC[name])
        want['tos'] = want['tos'] or 0
        if not 0 <= want['tos'] <= 255 or (v6 and want['tos']):
            raise ValidationError('tos: %s is not valid; IPv4 routes take 0-255, IPv6 routes none' % want['tos'])
        want['type'] = rtype = want['type'] or 'unicast'
        if want['protocol'] is not None:
            want['protocol'] = number_or_name(want['protocol'], PROTOCOLS, 'protocol', 255)
        for option in ('gateway', 'prefsrc'):
            if want[option]:
                want[option] = address(str(want[option]), option, number)
        paths = [option for option in ('gateway', 'nexthops', 'nhid') if want[option]]
        if len(paths) > 1:
            raise ValidationError('%s: a route goes one way only; give one of gateway, nexthops, nhid'
                                  % ', '.join(paths))
        if want['nexthops']:
            self.normalize_nexthops(want, number)
        if want['nhid'] is not None and not 0 <= want['nhid'] <= U32_MAX:
            raise ValidationError('nhid: %s is not a nexthop id (1-%d)' % (want['nhid'], U32_MAX))
        path = has_path(want)
        if rtype in NO_NEXTHOP and path:
            raise ValidationError('type: a %s route has no gateway, nexthops or nhid' % rtype)
        if path or rtype in NO_NEXTHOP:  # one way out (or none): giving one says the others are absent
            want['gateway'] = want['gateway'] or ''
            want['nexthops'] = want['nexthops'] or []
            want['nhid'] = want['nhid'] or 0
        if want['nhid']:
            if want['dev']:
                raise ValidationError('dev: a route with nhid goes through the nexthop object\'s device')
            want['dev'] = ''
        if want['scope'] is not None:
            want['scope'] = rtnl.scope_name(rtnl.scope_number(want['scope']))
            if v6 and want['scope'] != 'global':
                raise ValidationError('scope: IPv6 routes have no scope but global')
        elif v6 or rtype != 'unicast' or path:
            want['scope'] = default_scope(name, rtype, path)
        if want['pref'] is not None and not v6:
            raise ValidationError('pref: only IPv6 routes have a router preference')
        if want['metrics'] is not None:
            want['metrics'] = self.normalize_metrics(want['metrics'])
        if want['encap'] is not None:
            want['encap'] = self.normalize_encap(want['encap'], number)
        return read_in, want

    @staticmethod
    def normalize_nexthops(want, family):
        hops = []
        for index, hop in enumerate(want['nexthops']):
            where = 'nexthops[%d].' % index
            if not hop.get('gateway') and not hop.get('dev'):
                raise ValidationError('%sgateway or %sdev: a next hop needs one of them' % (where, where))
            weight = 1 if hop.get('weight') is None else hop['weight']
            if not 1 <= weight <= 256:
                raise ValidationError('%sweight: %s is not 1-256' % (where, weight))
            gateway = address(str(hop['gateway']), where + 'gateway', family) if hop.get('gateway') else ''
            hops.append({'gateway': gateway, 'dev': hop.get('dev') or want['dev'], 'weight': weight,
                         'onlink': bool(hop.get('onlink'))})
        if want['onlink']:
            raise ValidationError('onlink: with nexthops, say onlink of each next hop')
        want['dev'] = ''  # a top-level dev names the device of next hops that name none
        if len(hops) == 1:  # the kernel keeps a single next hop as a plain route
            want['gateway'], want['dev'], want['onlink'] = hops[0]['gateway'], hops[0]['dev'], hops[0]['onlink']
            hops = []
        want['nexthops'] = sorted(hops, key=hop_order)

    @staticmethod
    def normalize_metrics(metrics):
        out = dict((k, v) for k, v in metrics.items() if v is not None and k != 'lock')
        for name, value in out.items():
            if not 0 <= value <= min(METRIC_MAX.get(name, U32_MAX), U32_MAX // METRIC_SCALE.get(name, 1)):
                raise ValidationError('metrics.%s: %s is out of range' % (name, value))
        lock = sorted(set(metrics.get('lock') or []))
        unset = [name for name in lock if name not in out]
        if unset:
            raise ValidationError('metrics.lock: %s locked but not given a value' % ', '.join(unset))
        if lock:
            out['lock'] = lock
        return out

    @staticmethod
    def normalize_encap(encap, family):
        given = dict((k, v) for k, v in encap.items() if v is not None and k != 'type')
        kind = encap.get('type')
        if kind is None:
            if given:
                raise ValidationError('encap: type is needed (one of %s)' % ', '.join(sorted(ENCAP_OPTIONS)))
            return {}  # {} is no encapsulation (as gathered)
        allowed = ENCAP_OPTIONS[kind]
        extra = sorted(set(given) - set(allowed))
        if extra:
            raise ValidationError('encap: %s not valid with type %s (it takes %s)'
                                  % (', '.join(extra), kind, ', '.join(allowed)))
        out = dict(given, type=kind)
        if kind == 'seg6':
            out.setdefault('mode', 'encap')
        if kind in ('seg6', 'mpls') and not given.get(allowed[-1 if kind == 'seg6' else 0]):
            raise ValidationError('encap: type %s needs %s' % (kind, 'segs' if kind == 'seg6' else 'labels'))
        if kind == 'seg6local':
            if not given.get('action'):
                raise ValidationError('encap: type seg6local needs an action')
            if family != socket.AF_INET6:
                raise ValidationError('encap: seg6local is for IPv6 routes')
            for name in ('table', 'vrftable'):
                if name in out:
                    out[name] = table_number(table_name(out[name], 'encap.' + name))
        if 'segs' in out:
            out['segs'] = [address(s, 'encap.segs', socket.AF_INET6) for s in out['segs']]
        for name, fam in (('nh4', socket.AF_INET), ('nh6', socket.AF_INET6)):
            if name in out:
                out[name] = address(out[name], 'encap.' + name, fam)
        if any(not 0 <= label < 1 << 20 for label in out.get('labels', [])):
            raise ValidationError('encap.labels: MPLS labels are 0-1048575')
        return out

    def order(self, changes):
        """Complete the plan: a route is rewritten whole, so metrics and encap given replace the old ones (the
        engine merges sub-dictionaries); a route going another way leaves its device to the kernel unless told;
        a next hop that names no device gets the one the kernel will choose (so check mode predicts it)."""
        wants = dict((self.key(want), want) for want in getattr(self, 'wants', None) or [])
        for change in changes:
            if change.op == 'update':
                for name in ('metrics', 'encap'):
                    if name in change.delta:
                        change.after[name] = change.delta[name]
                if set(change.delta) & set(('gateway', 'nexthops', 'nhid', 'type')):
                    change.after['dev'] = wants.get(change.key, {}).get('dev')
            if change.op != 'delete' and change.after.get('nexthops'):
                before = change.before or {}
                known = dict((h['gateway'], h['dev']) for h in before.get('nexthops') or [])
                known.setdefault(before.get('gateway'), before.get('dev'))
                change.after['nexthops'] = [
                    dict(hop, dev=hop['dev'] or known.get(hop['gateway']) or
                         self.chosen_device(change.after['family'], hop['gateway']))
                    for hop in change.after['nexthops']]
        return changes

    def chosen_device(self, family, gateway):
        """The device the kernel reaches ``gateway`` through (a route lookup, RTM_GETROUTE), or None."""
        if not gateway:
            return None
        if (family, gateway) not in self.lookups:
            number = AF[family]
            request = codec.RouteMessage(codec.encode_route(number, socket.inet_pton(number, gateway), BITS[number], 0))
            try:
                replies = self.conn.request(request, codec.RTM_GETROUTE, 0, reply_class=codec.RouteReply)
            except NetlinkError:
                replies = []  # unreachable: the kernel will refuse the route and say why
            names = dict((index, name) for name, index in self.indexes.items())
            self.lookups[(family, gateway)] = names.get(replies[0].route['oif']) if replies else None
        return self.lookups[(family, gateway)]

    def check_request(self, state, wants):
        Resource.check_request(self, state, wants)
        self.state = state
        self.indexes = rtnl.link_indexes(self.conn)
        for want in wants:
            if state != 'deleted':
                for option, dev in self.devices(want):
                    if dev not in self.indexes:
                        raise ValidationError('%s: no device %r in this network namespace' % (option, dev))
            if state in ('replaced', 'overridden'):  # omitted attributes go to what iproute2 would give
                if want['scope'] is None:
                    want['scope'] = default_scope(want['family'], want['type'], has_path(want))
                if want['family'] == 'inet6' and want['pref'] is None:
                    want['pref'] = 'medium'

    @staticmethod
    def devices(item):
        found = [('dev', item['dev'])] if item['dev'] else []
        if item['nexthops']:
            found += [('nexthops.dev', h['dev']) for h in item['nexthops'] if h['dev']]
        if item['encap']:
            found += [('encap.' + k, item['encap'][k]) for k in ('iif', 'oif') if item['encap'].get(k)]
        return found

    # -- identity ---------------------------------------------------------------------------------
    def key(self, item):
        """table, family, dst, tos, metric; where the kernel holds several such routes (its own per-device
        IPv6 routes, `ip route append`), device and type tell them apart."""
        base = (item['table'], item['family'], item['dst'], item['tos'], item['metric'])
        if self.colliding and base in self.colliding:
            return base + (item.get('dev') or '', item.get('type'))
        return base

    def label(self, key):
        words = [key[2], 'table', key[0], 'metric', key[4]] + (['tos', key[3]] if key[3] else [])
        if len(key) > 5:
            words += ['dev', key[5], 'type', key[6]]
        return ' '.join(str(w) for w in words)

    def in_scope(self, have):
        scope = self.scope_norm
        if scope['table'] is not None and have['table'] != scope['table']:
            return False
        if scope['family'] and have['family'] != scope['family']:
            return False
        if scope['protocol'] is not None:
            if have['protocol'] != scope['protocol']:
                return False
        elif have['protocol'] in KERNEL_PROTOCOLS:
            return False
        return not scope['dev'] or scope['dev'] in self.route_devs.get(self.key(have), ())

    # -- reading ----------------------------------------------------------------------------------
    def dump_filters(self):
        """(families, table, protocol, oif) the kernel is asked to filter the dump by.

        A table or family is filtered by only when every wanted route and the purge scope lie in it; a
        device or protocol only when nothing is wanted (a want elsewhere would otherwise look absent).
        """
        wants = getattr(self, 'wants', None) or []
        scope = self.scope_norm
        purging = self.state == 'overridden' or (self.state == 'deleted' and not wants)
        families = set(w['family'] for w in wants)
        tables = set(w['table'] for w in wants)
        if purging or not wants:
            families.add(scope['family'])
            tables.add(scope['table'])
        families = sorted(AF) if None in families or not families else sorted(families)
        table = table_number(tables.pop()) if len(tables) == 1 and None not in tables else 0
        protocol = oif = 0
        if not wants:
            protocol = protocol_number(scope['protocol'] or 'unspec')
            oif = self.indexes.get(scope['dev'], -1) if scope['dev'] else 0
        return families, table, protocol, oif

    def gather(self):
        self.indexes = rtnl.link_indexes(self.conn)
        names = dict((index, name) for name, index in self.indexes.items())
        families, table, protocol, oif = self.dump_filters()
        if oif == -1:
            return []  # the scope's device does not exist: nothing goes through it
        routes, haves, shapes = [], [], {}
        for family in families:
            request = codec.RouteMessage(codec.encode_dump(AF[family], table, protocol, oif))
            try:
                replies = self.conn.dump(request, codec.RTM_GETROUTE, codec.RawReply)
            except NetlinkError as exc:
                if exc.code == errno.ENOENT and table:
                    continue  # the table does not exist in this family
                raise
            for reply in replies:
                route, have = self.read(reply.data, names, shapes)
                # the kernel says NLM_F_DUMP_FILTERED when it filtered; an older one is filtered here
                if route['nl_flags'] & codec.NLM_F_DUMP_FILTERED or self.matches(route, table, protocol, oif):
                    routes.append(route)
                    haves.append(have)
        self.colliding = set()
        bases = [self.key(have) for have in haves]
        if len(set(bases)) < len(bases):
            seen = set()
            for base in bases:
                (self.colliding if base in seen else seen).add(base)
        self.route_devs = {}
        if self.scope_norm['dev']:  # the devices a route goes through, for a purge scoped by device
            for have, route in zip(haves, routes):
                devs = set(names.get(hop['oif']) for hop in route['multipath'] or [])
                devs.add(names.get(route['oif']))
                self.route_devs[self.key(have)] = devs
        return haves

    def read(self, data, names, shapes):
        """(decoded route, have) of a dumped message. Routes of one shape (codec.shape_of) are decoded once:
        the route is shared (read for all but dst), the have copied with its own dst."""
        shape, dst = codec.shape_of(data)
        known = shapes.get(shape) if shape is not None else None
        if known is None:
            route = codec.decode_route(data)
            have = self.item_of(route, names)
            if shape is not None and len(shapes) < SHAPES_MAX and not (have['nexthops'] or have['metrics']
                                                                       or have['encap']):
                shapes[shape] = (route, have)
            return route, have
        route, have = known
        have = dict(have)
        have['dst'], have['nexthops'], have['metrics'], have['encap'] = '%s/%d' % (dst, route['dst_len']), [], {}, {}
        return route, have

    @staticmethod
    def matches(route, table, protocol, oif):
        return (not table or route['table'] == table) and (not protocol or route['protocol'] == protocol) and \
            (not oif or route['oif'] == oif or any(h['oif'] == oif for h in route['multipath'] or []))

    @staticmethod
    def item_of(route, names):
        """A decoded route in the config shape; absent things are '', [], {}, False (what replaced resets to)."""
        family = route['family']
        name = FAMILY.get(family, str(family))
        nhid = route['nhid'] or 0
        hops = sorted(({'gateway': hop['gateway'] or '', 'dev': names.get(hop['oif'], ''), 'weight': hop['hops'] + 1,
                        'onlink': bool(hop['flags'] & codec.RTNH_F_ONLINK)} for hop in route['multipath']),
                      key=hop_order) if route['multipath'] and not nhid else []
        table = route['table']
        return {
            'dst': '%s/%d' % (route['dst'], route['dst_len']) if route['dst'] else ANY.get(family, '/0'),
            'family': name,
            'table': TABLE_NAMES.get(table, str(table)),
            'metric': route['priority'] or 0,
            'tos': route['tos'],
            'type': codec.TYPES[route['type']] if route['type'] < len(codec.TYPES) else str(route['type']),
            'scope': rtnl.scope_name(route['scope']),
            'protocol': PROTOCOL_NAMES.get(route['protocol'], str(route['protocol'])),
            'gateway': '' if nhid else route['gateway'] or '',
            'dev': names.get(route['oif'], str(route['oif'])) if route['oif'] and not nhid else '',
            'prefsrc': route['prefsrc'] or '',
            'onlink': bool(route['flags'] & codec.RTNH_F_ONLINK) and not nhid,
            'nexthops': hops,
            'nhid': nhid,
            'metrics': Route.metrics_of(route['metrics']),
            'encap': Route.encap_of(route['encap'], names),
            'pref': PREF_NAMES.get(route['pref'], str(route['pref'])) if family == socket.AF_INET6 else None,
        }

    @staticmethod
    def metrics_of(raw):
        if not raw:
            return {}
        metrics = {}
        for name in METRICS:
            value = raw.get(codec.METRICS[name])
            if value is not None:
                scale = METRIC_SCALE.get(name, 1)
                metrics[name] = value // scale if value % scale == 0 else value / float(scale)
        lock = raw.get(codec.METRICS['lock'], 0)
        if lock:
            metrics['lock'] = sorted(name for name in METRICS if lock & (1 << codec.METRICS[name]))
        return metrics

    @staticmethod
    def encap_of(encap, names):
        if not encap:
            return {}
        out = dict(encap)
        for name in ('iif', 'oif'):
            if name in out:
                out[name] = names.get(out[name], str(out[name]))
        reserved = out.get('mode') == 'inline' or out.get('action') not in (None, 'End.B6.Encaps')
        if reserved and out.get('segs') and out['segs'][-1] == '::':
            out['segs'] = out['segs'][:-1]  # segment 0, kept for the final destination (iproute2's layout)
        return out

    # -- writing ----------------------------------------------------------------------------------
    def body(self, item, delete=False):
        """The request body for a route; routes alike but for dst share one encoded template."""
        family = AF[item['family']]
        dst, _slash, length = item['dst'].partition('/')
        simple = not (item.get('nexthops') or item.get('metrics') or item.get('encap'))
        exact = bool(self.colliding) and len(self.key(item)) > 5
        shape = (delete, exact) + tuple(map(item.get, SHAPE)) if simple else None
        template = self.templates.get(shape) if simple else None
        if template is None:
            template = codec.RouteTemplate(family, **(self.delete_fields(item) if delete else self.fields(item)))
            if simple:
                self.templates[shape] = template
        return template.body(socket.inet_pton(family, dst), int(length))

    def delete_fields(self, item):
        """By identity, as `ip route del` asks: any scope, any protocol; a colliding route by dev and type."""
        exact = len(self.key(item)) > 5
        return dict(table=table_number(item['table']), tos=item['tos'], scope=rtnl.SCOPES['nowhere'],
                    rtype=TYPES.index(item['type']) + 1 if item['type'] != 'unicast' or exact else 0,
                    priority=item['metric'], oif=self.indexes.get(item['dev']) if exact and item.get('dev') else None)

    def fields(self, item):
        family = AF[item['family']]
        metrics = dict((codec.METRICS[name], value * METRIC_SCALE.get(name, 1))
                       for name, value in (item.get('metrics') or {}).items() if name != 'lock')
        lock = sum(1 << codec.METRICS[name] for name in (item.get('metrics') or {}).get('lock', []))
        if lock:
            metrics[codec.METRICS['lock']] = lock
        gateway = item.get('gateway')
        encap = item.get('encap')
        scope = item.get('scope') or default_scope(item['family'], item['type'], has_path(item))
        return dict(
            table=table_number(item['table']), tos=item['tos'],
            protocol=protocol_number(item.get('protocol') or CREATE_PROTOCOL),
            scope=rtnl.scope_number(scope), rtype=TYPES.index(item['type']) + 1,
            flags=codec.RTNH_F_ONLINK if item.get('onlink') else 0, priority=item['metric'],
            gateway=socket.inet_pton(family, gateway) if gateway else None,
            oif=self.indexes[item['dev']] if item.get('dev') else None,
            prefsrc=socket.inet_pton(family, item['prefsrc']) if item.get('prefsrc') else None, metrics=metrics,
            multipath=[(codec.RTNH_F_ONLINK if hop['onlink'] else 0, hop['weight'] - 1,
                        self.indexes[hop['dev']] if hop['dev'] else 0,
                        socket.inet_pton(family, hop['gateway']) if hop['gateway'] else None)
                       for hop in item.get('nexthops') or []],
            pref=PREFS[item['pref']] if item.get('pref') else None,
            encap=codec.encode_encap(encap, self.indexes.__getitem__) if encap else None,
            nhid=item.get('nhid') or None)

    def requests(self, change):
        if change.op == 'delete':
            return codec.RouteMessage(self.body(change.before, delete=True)), codec.RTM_DELROUTE, 0
        flags = NLM_F_CREATE | (NLM_F_EXCL if change.op == 'create' else NLM_F_REPLACE)
        return codec.RouteMessage(self.body(change.after)), codec.RTM_NEWROUTE, flags

    def apply(self, changes):
        return self.conn.bulk([self.requests(change) for change in changes])

    # -- iproute2 ---------------------------------------------------------------------------------
    def render(self, change):
        if change.op == 'delete':
            item = change.before
            exact = len(self.key(item)) > 5
            words = ([item['type']] if item['type'] != 'unicast' or exact else []) + [item['dst']]
            words += ['tos', item['tos']] if item['tos'] else []
            words += ['table', item['table'], 'metric', item['metric']]
            words += ['dev', item['dev']] if exact and item.get('dev') else []
            return [self.ip('route', 'del', *words)]
        verb = 'add' if change.op == 'create' else 'replace'
        return [self.ip('route', verb, *self.words(change.after))]

    @staticmethod
    def words(item):
        family, rtype = item['family'], item['type']
        words = ([rtype] if rtype != 'unicast' else []) + [item['dst']]
        words += ['tos', item['tos']] if item['tos'] else []
        words += ['table', item['table']] if item['table'] != 'main' else []
        protocol = item.get('protocol') or CREATE_PROTOCOL
        words += ['proto', protocol]
        scope = item.get('scope') or default_scope(family, rtype, has_path(item))
        if family == 'inet' and scope != default_scope(family, rtype, has_path(item)):
            words += ['scope', scope]
        words += ['metric', item['metric']] if item['metric'] != DEFAULT_METRIC[family] else []
        words += ['nhid', item['nhid']] if item.get('nhid') else []
        encap = item.get('encap')
        if encap:
            words += ['encap'] + Route.encap_words(encap)
        words += ['via', item['gateway']] if item.get('gateway') else []
        words += ['dev', item['dev']] if item.get('dev') else []
        words += ['onlink'] if item.get('onlink') else []
        words += ['src', item['prefsrc']] if item.get('prefsrc') else []
        words += ['pref', item['pref']] if item.get('pref') else []
        metrics = item.get('metrics') or {}
        for name in METRICS:
            if name in metrics:
                value = '%sms' % metrics[name] if name in METRIC_SCALE else metrics[name]
                words += [name] + (['lock'] if name in metrics.get('lock', []) else []) + [value]
        for hop in item.get('nexthops') or []:
            words += ['nexthop'] + (['via', hop['gateway']] if hop['gateway'] else []) + \
                (['dev', hop['dev']] if hop['dev'] else []) + ['weight', hop['weight']] + \
                (['onlink'] if hop['onlink'] else [])
        return words

    @staticmethod
    def encap_words(encap):
        kind = encap['type']
        if kind == 'seg6':
            return ['seg6', 'mode', encap['mode'], 'segs', ','.join(encap['segs'])]
        if kind == 'mpls':
            return ['mpls', '/'.join(str(label) for label in encap['labels'])] + \
                (['ttl', encap['ttl']] if encap.get('ttl') is not None else [])
        words = ['seg6local', 'action', encap['action']]
        for name in ('table', 'vrftable', 'nh4', 'nh6', 'iif', 'oif'):
            if encap.get(name) is not None:
                words += [name, encap[name]]
        return words + (['srh', 'segs', ','.join(encap['segs'])] if encap.get('segs') else [])

    @classmethod
    def parse(cls, text):
        """``ip -j route show`` (IPv4 or IPv6, any table) as a config list."""
        try:
            routes = json.loads(text)
            if not isinstance(routes, list) or not all(isinstance(r, dict) for r in routes):
                raise ValueError('a list of routes was expected')
            return [cls.parsed_item(route) for route in routes]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError('running_config is not JSON from `ip -j route show`: %s' % exc)

    @staticmethod
    def parsed_item(route):
        hops = route.get('nexthops') or []
        hints = [route.get('gateway'), route.get('prefsrc')] + [h.get('gateway') for h in hops]
        v6 = 'pref' in route or ':' in route['dst'] or any(':' in str(h) for h in hints if h)
        family = 'inet6' if v6 else 'inet'
        dst = route['dst']
        dst = ANY[AF[family]] if dst == 'default' else dst if '/' in dst else '%s/%d' % (dst, 128 if v6 else 32)
        metrics = (route.get('metrics') or [{}])[0]
        item = {'dst': dst, 'family': family, 'table': str(route.get('table', 'main')),
                'metric': route.get('metric', 0), 'tos': int(str(route.get('tos', 0)), 0),
                'type': route.get('type', 'unicast'), 'scope': route.get('scope', 'global'),
                'protocol': str(route.get('protocol', 'boot')), 'gateway': route.get('gateway', ''),
                'dev': route.get('dev', ''), 'prefsrc': route.get('prefsrc', ''),
                'onlink': 'onlink' in route.get('flags', []),
                'nexthops': sorted(({'gateway': h.get('gateway', ''), 'dev': h.get('dev', ''),
                                     'weight': h.get('weight', 1), 'onlink': 'onlink' in h.get('flags', [])}
                                    for h in hops), key=hop_order),
                'nhid': route.get('nhid', 0),
                'metrics': dict((k, v) for k, v in metrics.items() if k in METRICS),
                'encap': {}, 'pref': route.get('pref')}
        if item['nhid']:  # what the nexthop object says (nexthop_compat_mode) is not the route's own
            item.update(gateway='', dev='', nexthops=[], onlink=False)
        if route.get('encap') in ('seg6', 'seg6local', 'mpls'):
            encap = {'type': route['encap']}
            for name in ENCAP_OPTIONS[route['encap']]:
                # ip -j prints a seg6local table under the route's own key "table": it cannot be told apart
                if name in route and name != 'table':
                    encap[name] = route[name]
            item['encap'] = Route.encap_of(encap, {})
        return item

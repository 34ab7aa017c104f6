# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Classifier kinds of nl_tc_filter: each kind's options, their normalized form (what a dump decodes to),
the TCA_OPTIONS layout (linux/pkt_cls.h) and the `tc filter add` words.

u32 matches are packed into 32-bit keys the way tc packs them (same offset: merged), and a key reads back
as the named field it is (``{ip: {dst: 10.0.0.0/8}}``) when it is exactly one, else as raw
``{u32: {value, mask, at}}``. Declared matches go through the same packing and reading, so both sides of a
comparison have one canonical spelling.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import bpf, tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_ematch, tc_flower
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import number

TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW = 1, 2
IP_PROTOS = {'icmp': 1, 'igmp': 2, 'tcp': 6, 'udp': 17, 'gre': 47, 'esp': 50, 'ah': 51, 'icmpv6': 58, 'sctp': 132}
IP_PROTO_NAMES = dict((v, k) for k, v in IP_PROTOS.items())


def classid_text(value, option):
    return tc.format_handle(tc.parse_handle(value, option))


def classid_number(text):
    return tc.parse_handle(text, 'classid')


def ip_proto(value, option):
    text = str(value).lower()
    if text in IP_PROTOS:
        return text
    return IP_PROTO_NAMES.get(number(value, option, 0, 255), str(number(value, option, 0, 255)))


def hw_flags(opts, where):
    skip_hw, skip_sw = bool(opts.get('skip_hw')), bool(opts.get('skip_sw'))
    if skip_hw and skip_sw:
        raise ValidationError('%s: skip_hw and skip_sw together leave the filter nowhere' % where)
    return skip_hw, skip_sw


def flag_words(opts):
    return [name for name in ('skip_hw', 'skip_sw') if opts.get(name)]


# -- u32 -------------------------------------------------------------------------------------------------

TCA_U32_CLASSID, TCA_U32_SEL, TCA_U32_ACT, TCA_U32_INDEV, TCA_U32_FLAGS = 1, 5, 7, 8, 11
TC_U32_TERMINAL = 1
U32_SEL = struct.Struct('=BBBxHHhhI')  # flags offshift nkeys offmask off offoff hoff hmask
U32_KEY = struct.Struct('>II')  # mask, val (network order); off and offmask follow in host order
U32_KEY_OFF = struct.Struct('=ii')
# named 8/16-bit fields: (byte offset, width in bytes); addresses are handled apart
IP_FIELDS = {'dsfield': (1, 1), 'protocol': (9, 1), 'sport': (20, 2), 'dport': (22, 2), 'icmp_type': (20, 1),
             'icmp_code': (21, 1)}
IP6_FIELDS = {'protocol': (6, 1), 'sport': (40, 2), 'dport': (42, 2)}
ADDRESSES = {'ip': {'src': (12, 4), 'dst': (16, 4)}, 'ip6': {'src': (8, 16), 'dst': (24, 16)}}
RAW_WIDTHS = {'u32': 4, 'u16': 2, 'u8': 1}


def _field_value(name, value, where):
    """A named field's value and mask: protocol by name, dsfield as 'VALUE[/MASK]', ports as numbers."""
    if name == 'protocol':
        return IP_PROTOS.get(str(value).lower()) or number(value, where, 0, 255), 0xFF
    if name == 'dsfield':
        dsfield, sep, mask = str(value).partition('/')
        return number(dsfield, where, 0, 255), number(mask, where, 0, 255) if sep else 0xFF
    width = 0xFFFF if name in ('sport', 'dport') else 0xFF
    return number(value, where, 0, width), width


def _keys_of(item, where):
    """(byte offset, width, value, mask) pieces of one match item."""
    if not isinstance(item, dict) or len(item) != 1:
        raise ValidationError('%s: a match is one of {ip: {...}}, {ip6: {...}}, {u32|u16|u8: {value, mask, at}}'
                              % where)
    (family, fields), = item.items()
    fields = dict((k, v) for k, v in (fields or {}).items() if v is not None)
    pieces = []
    if family in RAW_WIDTHS:
        width = RAW_WIDTHS[family]
        at = number(fields.get('at', 0), where + '.at', 0, 0xFFFF)
        if at % width:
            raise ValidationError('%s.at: %d is not a multiple of %d' % (where, at, width))
        top = (1 << (8 * width)) - 1
        value = number(fields.get('value', 0), where + '.value', 0, top)
        pieces.append((at, width, value, number(fields.get('mask', top), where + '.mask', 0, top)))
        return pieces
    if family not in ADDRESSES:
        raise ValidationError('%s: %r is not a match family; use ip, ip6, u32, u16 or u8' % (where, family))
    named = IP_FIELDS if family == 'ip' else IP6_FIELDS
    for name, value in fields.items():
        if name in ADDRESSES[family]:
            offset, size = ADDRESSES[family][name]
            try:
                network = ipaddress.ip_network(str(value), strict=False)
            except ValueError:
                network = None
            if network is None or network.version != (4 if family == 'ip' else 6):
                raise ValidationError('%s.%s: %r is not an IPv%d prefix' % (where, name, value, 4 if family == 'ip' else 6))
            raw, mask = network.network_address.packed, network.netmask.packed
            for word in range(0, size, 4):
                word_mask = struct.unpack('>I', mask[word:word + 4])[0]
                if word_mask:
                    pieces.append((offset + word, 4, struct.unpack('>I', raw[word:word + 4])[0], word_mask))
        elif name in named:
            offset, size = named[name]
            value, mask = _field_value(name, value, '%s.%s' % (where, name))
            pieces.append((offset, size, value & mask, mask))
        else:
            raise ValidationError('%s: %r is not a field of %s; use %s' % (
                where, name, family, ', '.join(sorted(list(ADDRESSES[family]) + list(named)))))
    return pieces


def u32_keys(match, where):
    """The selector's keys [(mask, value, off)] as tc packs them: same word, one key."""
    keys = []
    for index, item in enumerate(match or []):
        for offset, width, value, mask in _keys_of(item, '%s[%d]' % (where, index)):
            shift = 8 * (4 - width - offset % 4)
            word, value, mask = offset - offset % 4, (value & mask) << shift, mask << shift
            for key in keys:
                if key[2] == word:
                    if (key[1] ^ value) & key[0] & mask:
                        raise ValidationError('%s[%d]: contradicts an earlier match on the same bits' % (where, index))
                    key[0] |= mask
                    key[1] |= value
                    break
            else:
                keys.append([mask, value, word])
    return [tuple(key) for key in keys]


def _prefix_len(mask, bits):
    inverted = ~mask & ((1 << bits) - 1)
    return bits - inverted.bit_length() if inverted & (inverted + 1) == 0 else None


def u32_match(keys, protocol):
    """Keys as readable match items: named fields where a key is exactly one, raw words otherwise."""
    family = {'ip': 'ip', 'ipv6': 'ip6'}.get(protocol)
    out, pending = [], list(keys)
    if family == 'ip6':
        for name, (offset, size) in ADDRESSES['ip6'].items():
            words = dict((k[2], k) for k in pending if offset <= k[2] < offset + size)
            value = mask = 0
            for word in range(offset, offset + size, 4):
                key = words.get(word, (0, 0, word))
                value, mask = (value << 32) | key[1], (mask << 32) | key[0]
            length = _prefix_len(mask, 128) if words else None
            covered = range(offset, offset + 4 * ((length + 31) // 32), 4) if length is not None else None
            if covered is not None and all(words.get(w) for w in covered):
                out.append((min(words), {'ip6': {name: str(ipaddress.IPv6Network((value, length)))}}))
                pending = [k for k in pending if k[2] not in words]
    fields = IP_FIELDS if family == 'ip' else IP6_FIELDS if family == 'ip6' else {}
    for mask, value, off in pending:
        named = []
        if family == 'ip':
            for name, (offset, size) in ADDRESSES['ip'].items():
                if off == offset and _prefix_len(mask, 32) is not None:
                    named = [{'ip': {name: str(ipaddress.IPv4Network((value, _prefix_len(mask, 32))))}}]
        if not named and family:
            named = _named_fields(mask, value, off, family, fields)
        out.append((off, named[0]) if len(named) == 1 else
                   (off, {'u32': {'value': '0x%08x' % value, 'mask': '0x%08x' % mask, 'at': off}}))
        if len(named) > 1:  # two whole fields in one word (sport and dport): both, in order
            out[-1:] = [(off, item) for item in named]
    return [item for _off, item in out]


def _named_fields(mask, value, off, family, fields):
    """The named fields that exactly cover a key's mask, or [] when it is not such a key (ports and ICMP
    type/code share bytes: ports are tried first)."""
    for skip in ('icmp_', 'port'):
        found = _cover(mask, value, off, family, dict(f for f in fields.items() if skip not in f[0]))
        if found:
            return found
    return []


def _cover(mask, value, off, family, fields):
    found, covered = [], 0
    for name, (offset, size) in sorted(fields.items(), key=lambda f: f[1][0]):
        if offset - offset % 4 != off:
            continue
        shift = 8 * (4 - size - offset % 4)
        full = ((1 << (8 * size)) - 1) << shift
        part = mask & full
        if not part:
            continue
        field_value, field_mask = (value & full) >> shift, part >> shift
        if name == 'dsfield':
            text = '0x%02x' % field_value + ('' if field_mask == 0xFF else '/0x%02x' % field_mask)
            found.append({family: {name: text}})
        elif part == full:
            found.append({family: {name: IP_PROTO_NAMES.get(field_value, str(field_value))
                                   if name == 'protocol' else field_value}})
        else:
            return []
        covered |= full
    return found if found and covered & mask == mask else []


def _u32_normalize(o, item, where):
    keys = u32_keys(o.get('match'), where + '.match')
    skip_hw, skip_sw = hw_flags(o, where)
    return {'match': u32_match(keys, item.get('protocol')),
            'classid': classid_text(o['classid'], where + '.classid') if o.get('classid') else None,
            'indev': o.get('indev'), 'skip_hw': skip_hw, 'skip_sw': skip_sw}


def _u32_encode(o, item, actions, ctx):
    keys = u32_keys(o['match'], 'u32.match')
    terminal = TC_U32_TERMINAL if o['classid'] or actions else 0
    sel = U32_SEL.pack(terminal, 0, len(keys), 0, 0, 0, 0, 0) + b''.join(
        U32_KEY.pack(mask, value) + U32_KEY_OFF.pack(off, 0) for mask, value, off in keys)
    attrs = [tc.nla(TCA_U32_SEL, sel)]
    if o['classid']:
        attrs.append(tc.nla_u32(TCA_U32_CLASSID, classid_number(o['classid'])))
    if o['indev']:
        attrs.append(tc.nla_string(TCA_U32_INDEV, o['indev']))
    flags = (TCA_CLS_FLAGS_SKIP_HW if o['skip_hw'] else 0) | (TCA_CLS_FLAGS_SKIP_SW if o['skip_sw'] else 0)
    if flags:
        attrs.append(tc.nla_u32(TCA_U32_FLAGS, flags))
    if actions:
        attrs.append(tc.nla(TCA_U32_ACT, actions))
    return attrs


def _u32_decode(attrs, item, ctx):
    sel = attrs.get(TCA_U32_SEL, b'')
    keys = []
    if len(sel) >= U32_SEL.size:
        nkeys = U32_SEL.unpack_from(sel)[2]
        for index in range(nkeys):
            start = U32_SEL.size + index * (U32_KEY.size + U32_KEY_OFF.size)
            if len(sel) >= start + U32_KEY.size + U32_KEY_OFF.size:
                mask, value = U32_KEY.unpack_from(sel, start)
                off = U32_KEY_OFF.unpack_from(sel, start + U32_KEY.size)[0]
                keys.append((mask, value, off))
    flags = tc.u32(attrs.get(TCA_U32_FLAGS), 0)
    classid = tc.u32(attrs.get(TCA_U32_CLASSID))
    return {'match': u32_match(keys, item.get('protocol')),
            'classid': tc.format_handle(classid) if classid else None,
            'indev': tc.string(attrs.get(TCA_U32_INDEV)),
            'skip_hw': bool(flags & TCA_CLS_FLAGS_SKIP_HW), 'skip_sw': bool(flags & TCA_CLS_FLAGS_SKIP_SW)}, \
        attrs.get(TCA_U32_ACT)


def _u32_words(o):
    words = []
    for item in o['match']:
        (family, fields), = item.items()
        if family == 'u32':
            words += ['match', 'u32', fields['value'], fields['mask'], 'at', fields['at']]
            continue
        for name, value in fields.items():
            if name == 'dsfield':
                dsfield, sep, mask = str(value).partition('/')
                words += ['match', family, name, dsfield, mask if sep else '0xff']
            elif name in ('sport', 'dport'):
                words += ['match', family, name, value, '0xffff']
            elif name in ('icmp_type', 'icmp_code'):
                words += ['match', family, name, value, '0xff']
            elif name == 'protocol':
                words += ['match', family, name, IP_PROTOS.get(value, value), '0xff']
            else:
                words += ['match', family, name, value]
    return words + (['classid', o['classid']] if o['classid'] else []) + (
        ['indev', o['indev']] if o['indev'] else []) + flag_words(o)


# -- bpf (classic bytecode, eBPF object or pinned program), matchall, fw, route, basic, cgroup ------------

TCA_BPF_ACT, TCA_BPF_CLASSID, TCA_BPF_OPS_LEN, TCA_BPF_OPS, TCA_BPF_FD, TCA_BPF_NAME, TCA_BPF_FLAGS, \
    TCA_BPF_FLAGS_GEN, TCA_BPF_TAG = 1, 3, 4, 5, 6, 7, 8, 9, 10
TCA_BPF_FLAG_ACT_DIRECT = 1
SOCK_FILTER = struct.Struct('=HBBI')
BPF_SOURCES = ('bytecode', 'object', 'pinned')


def bytecode_ops(text, where):
    """tc's bytecode spelling 'N,code jt jf k,...' (as `bpf_asm -c`/tcpdump -ddd print it) as instructions."""
    parts = [p.strip() for p in str(text).replace('\n', ',').split(',') if p.strip()]
    try:
        count = int(parts[0])
        ops = [tuple(int(f, 0) for f in part.split()) for part in parts[1:]]
    except (IndexError, ValueError):
        ops, count = None, -1
    if ops is None or count != len(ops) or not 0 < count <= 4096 or any(len(op) != 4 for op in ops):
        raise ValidationError("%s: %r is not classic BPF bytecode; expected 'N,code jt jf k,...' with N "
                              "instructions of 4 numbers" % (where, text))
    return ops


def bytecode_text(ops):
    return ','.join([str(len(ops))] + ['%d %d %d %d' % op for op in ops])


def bpf_program(o, where, section, prog_type=bpf.BPF_PROG_TYPE_SCHED_CLS):
    """{bytecode, name, tag} of a bpf classifier's or action's program: classic bytecode as it reads back; an
    eBPF program as the kernel reports it - tc's name for it (``prog.o:[section]``, ``pin:[*fsobj]``) and its
    tag, computed from the object without loading it (bpf.SOURCES keeps where to load it from)."""
    given = [name for name in BPF_SOURCES if o.get(name)]
    if len(given) != 1:
        raise ValidationError('%s: give one of bytecode (classic BPF), object (eBPF object file, with section) '
                              'or pinned (a pinned eBPF program)%s' % (where, ', not ' + ' and '.join(given) if given else ''))
    if o.get('section') and not o.get('object'):
        raise ValidationError('%s.section goes with object' % where)
    out = {'bytecode': None, 'name': None, 'tag': None}
    if o.get('bytecode'):
        out['bytecode'] = bytecode_text(bytecode_ops(o['bytecode'], where + '.bytecode'))
    elif o.get('object'):
        program = bpf.read_object(o['object'], o.get('section') or section, where)
        out['name'], out['tag'] = program.name, program.tag
        bpf.SOURCES.add(program.name, program.tag, program, prog_type)
    else:
        out['name'], out['tag'], fd = bpf.pinned(o['pinned'], where, prog_type)
        os.close(fd)
        bpf.SOURCES.add(out['name'], out['tag'], o['pinned'], prog_type)
    return out


def _bpf_normalize(o, item, where):
    skip_hw, skip_sw = hw_flags(o, where)
    out = bpf_program(o, where, 'classifier')
    out.update(direct_action=bool(o.get('direct_action')),
               classid=classid_text(o['classid'], where + '.classid') if o.get('classid') else None,
               skip_hw=skip_hw, skip_sw=skip_sw)
    return out


def _bpf_encode(o, item, actions, ctx):
    if o['bytecode']:
        ops = bytecode_ops(o['bytecode'], 'bpf.bytecode')
        attrs = [tc.nla_u16(TCA_BPF_OPS_LEN, len(ops)),
                 tc.nla(TCA_BPF_OPS, b''.join(SOCK_FILTER.pack(*op) for op in ops))]
    else:  # the fd stays open until the request is sent (TcFilter.apply closes it)
        attrs = [tc.nla_u32(TCA_BPF_FD, bpf.SOURCES.open(o['name'], o['tag'])), tc.nla_string(TCA_BPF_NAME, o['name'])]
    if o['classid']:
        attrs.append(tc.nla_u32(TCA_BPF_CLASSID, classid_number(o['classid'])))
    if o['direct_action']:
        attrs.append(tc.nla_u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT))
    flags = (TCA_CLS_FLAGS_SKIP_HW if o['skip_hw'] else 0) | (TCA_CLS_FLAGS_SKIP_SW if o['skip_sw'] else 0)
    if flags:
        attrs.append(tc.nla_u32(TCA_BPF_FLAGS_GEN, flags))
    if actions:
        attrs.append(tc.nla(TCA_BPF_ACT, actions))
    return attrs


def _bpf_decode(attrs, item, ctx):
    raw = attrs.get(TCA_BPF_OPS, b'')
    ops = [SOCK_FILTER.unpack_from(raw, i) for i in range(0, len(raw) - len(raw) % 8, 8)]
    gen = tc.u32(attrs.get(TCA_BPF_FLAGS_GEN), 0)
    classid = tc.u32(attrs.get(TCA_BPF_CLASSID))
    tag = attrs.get(TCA_BPF_TAG)
    return {'bytecode': bytecode_text(ops) if ops else None, 'name': tc.string(attrs.get(TCA_BPF_NAME)),
            'tag': bytes(tag).hex() if tag else None,
            'direct_action': bool(tc.u32(attrs.get(TCA_BPF_FLAGS), 0) & TCA_BPF_FLAG_ACT_DIRECT),
            'classid': tc.format_handle(classid) if classid else None,
            'skip_hw': bool(gen & TCA_CLS_FLAGS_SKIP_HW), 'skip_sw': bool(gen & TCA_CLS_FLAGS_SKIP_SW)}, \
        attrs.get(TCA_BPF_ACT)


def _bpf_words(o):
    source = bpf.SOURCES.source(o['name'], o['tag'])
    if o['bytecode']:
        words = ['bytecode', "'%s'" % o['bytecode']]
    elif isinstance(source, bpf.Program):
        words = ['obj', source.path, 'sec', source.section]
    else:
        words = ['pinned', source]
    return words + (['da'] if o['direct_action'] else []) + (
        ['classid', o['classid']] if o['classid'] else []) + flag_words(o)


def _simple_kind(classid_attr, act_attr, flags_attr=None, mask_attr=None):
    """Kinds whose options are a classid, hardware flags, (fw) a mask, and actions."""
    def normalize(o, item, where):
        out = {'classid': classid_text(o['classid'], where + '.classid') if o.get('classid') else None}
        if flags_attr:
            out['skip_hw'], out['skip_sw'] = hw_flags(o, where)
        if mask_attr:
            out['mask'] = '0x%x' % number(o['mask'], where + '.mask') if o.get('mask') is not None else '0xffffffff'
        return out

    def encode(o, item, actions, ctx):
        attrs = []
        if o['classid'] and classid_attr:
            attrs.append(tc.nla_u32(classid_attr, classid_number(o['classid'])))
        flags = (TCA_CLS_FLAGS_SKIP_HW if o.get('skip_hw') else 0) | (TCA_CLS_FLAGS_SKIP_SW if o.get('skip_sw') else 0)
        if flags:
            attrs.append(tc.nla_u32(flags_attr, flags))
        if mask_attr and o['mask'] != '0xffffffff':
            attrs.append(tc.nla_u32(mask_attr, int(o['mask'], 16)))
        if actions:
            attrs.append(tc.nla(act_attr, actions))
        return attrs

    def decode(attrs, item, ctx):
        classid = tc.u32(attrs.get(classid_attr)) if classid_attr else None
        out = {'classid': tc.format_handle(classid) if classid else None}
        if flags_attr:
            flags = tc.u32(attrs.get(flags_attr), 0)
            out['skip_hw'], out['skip_sw'] = bool(flags & TCA_CLS_FLAGS_SKIP_HW), bool(flags & TCA_CLS_FLAGS_SKIP_SW)
        if mask_attr:
            out['mask'] = '0x%x' % tc.u32(attrs.get(mask_attr), 0xFFFFFFFF)
        return out, attrs.get(act_attr)

    def words(o):
        return (['classid', o['classid']] if o['classid'] else []) + flag_words(o)
    return normalize, encode, decode, words


TCA_ROUTE4_CLASSID, TCA_ROUTE4_TO, TCA_ROUTE4_FROM, TCA_ROUTE4_IIF, TCA_ROUTE4_ACT = 1, 2, 3, 4, 6


def _route_normalize(o, item, where):
    if o.get('from') is not None and o.get('fromif'):
        raise ValidationError('%s: from and fromif are mutually exclusive' % where)
    return {'classid': classid_text(o['classid'], where + '.classid') if o.get('classid') else None,
            'to': number(o['to'], where + '.to', 0, 0xFF) if o.get('to') is not None else None,
            'from': number(o['from'], where + '.from', 0, 0xFF) if o.get('from') is not None else None,
            'fromif': o.get('fromif')}


def _route_encode(o, item, actions, ctx):
    attrs = []
    if o['classid']:
        attrs.append(tc.nla_u32(TCA_ROUTE4_CLASSID, classid_number(o['classid'])))
    if o['to'] is not None:
        attrs.append(tc.nla_u32(TCA_ROUTE4_TO, o['to']))
    if o['from'] is not None:
        attrs.append(tc.nla_u32(TCA_ROUTE4_FROM, o['from']))
    if o['fromif']:
        if o['fromif'] not in ctx.indexes:
            raise ValidationError('route.fromif: device %r does not exist' % o['fromif'])
        attrs.append(tc.nla_u32(TCA_ROUTE4_IIF, ctx.indexes[o['fromif']]))
    if actions:
        attrs.append(tc.nla(TCA_ROUTE4_ACT, actions))
    return attrs


def _route_decode(attrs, item, ctx):
    classid = tc.u32(attrs.get(TCA_ROUTE4_CLASSID))
    iif = tc.u32(attrs.get(TCA_ROUTE4_IIF))
    return {'classid': tc.format_handle(classid) if classid else None, 'to': tc.u32(attrs.get(TCA_ROUTE4_TO)),
            'from': tc.u32(attrs.get(TCA_ROUTE4_FROM)),
            'fromif': ctx.names.get(iif, str(iif)) if iif is not None else None}, \
        attrs.get(TCA_ROUTE4_ACT)


def _route_words(o):
    words = []
    for name in ('to', 'from', 'fromif', 'classid'):
        if o[name] is not None:
            words += [name, o[name]]
    return words


def route_handle(o, indexes):
    """The handle of a route filter, built from to/from/fromif as the kernel builds it (route4_set_parms)
    and tc computes it: the kernel refuses to create one with handle 0 and checks a given one against this."""
    handle = o['to'] if o['to'] is not None else 0x8000
    if o['from'] is not None:
        return handle | o['from'] << 16
    if o['fromif']:
        return handle | (indexes.get(o['fromif'], 0) | 0x8000) << 16
    return handle | 0xFFFF << 16


# -- flow --------------------------------------------------------------------------------------------------

FLOW_KEYS = ('src', 'dst', 'proto', 'proto-src', 'proto-dst', 'iif', 'priority', 'mark', 'nfct', 'nfct-src',
             'nfct-dst', 'nfct-proto-src', 'nfct-proto-dst', 'rt-classid', 'sk-uid', 'sk-gid', 'vlan-tag', 'rxhash')
TCA_FLOW_KEYS, TCA_FLOW_MODE, TCA_FLOW_BASECLASS, TCA_FLOW_DIVISOR, TCA_FLOW_ACT, TCA_FLOW_PERTURB = 1, 2, 3, 8, 9, 12
FLOW_MODE_HASH = 1


def _flow_normalize(o, item, where):
    keys = o.get('keys') or []
    for key in keys:
        if key not in FLOW_KEYS:
            raise ValidationError('%s.keys: %r is not a flow key; use %s' % (where, key, ', '.join(FLOW_KEYS)))
    if not keys or not o.get('divisor') or not o.get('baseclass'):
        raise ValidationError('%s: keys, divisor and baseclass are required (hash mode)' % where)
    return {'keys': [k for k in FLOW_KEYS if k in keys], 'divisor': number(o['divisor'], where + '.divisor', 1),
            'baseclass': classid_text(o['baseclass'], where + '.baseclass'),
            'perturb': number(o.get('perturb') or 0, where + '.perturb', 0, 0xFFFFFFFF)}


def _flow_encode(o, item, actions, ctx):
    attrs = [tc.nla_u32(TCA_FLOW_KEYS, sum(1 << FLOW_KEYS.index(k) for k in o['keys'])),
             tc.nla_u32(TCA_FLOW_MODE, FLOW_MODE_HASH), tc.nla_u32(TCA_FLOW_BASECLASS, classid_number(o['baseclass'])),
             tc.nla_u32(TCA_FLOW_DIVISOR, o['divisor'])]
    if o['perturb']:
        attrs.append(tc.nla_u32(TCA_FLOW_PERTURB, o['perturb']))
    if actions:
        attrs.append(tc.nla(TCA_FLOW_ACT, actions))
    return attrs


def _flow_decode(attrs, item, ctx):
    keys = tc.u32(attrs.get(TCA_FLOW_KEYS), 0)
    return {'keys': [k for i, k in enumerate(FLOW_KEYS) if keys & (1 << i)],
            'divisor': tc.u32(attrs.get(TCA_FLOW_DIVISOR)),
            'baseclass': tc.format_handle(tc.u32(attrs.get(TCA_FLOW_BASECLASS), 0)),
            'perturb': tc.u32(attrs.get(TCA_FLOW_PERTURB), 0) // 1000000}, attrs.get(TCA_FLOW_ACT)


def _flow_words(o):
    return ['hash', 'keys', ','.join(o['keys']), 'divisor', o['divisor'], 'baseclass', o['baseclass']] + (
        ['perturb', o['perturb']] if o['perturb'] else [])


class Kind:
    def __init__(self, options, normalize, encode, decode, words):
        self.options = options
        self.normalize = normalize
        self.encode = encode
        self.decode = decode
        self.words = words


FLAG_OPTIONS = dict(skip_hw=dict(type='bool'), skip_sw=dict(type='bool'))
CLASSID = dict(classid=dict(type='str'))
KINDS = {
    'u32': Kind(dict(match=dict(type='list', elements='dict'), indev=dict(type='str'), **dict(CLASSID, **FLAG_OPTIONS)),
                _u32_normalize, _u32_encode, _u32_decode, _u32_words),
    'bpf': Kind(dict(bytecode=dict(type='str'), object=dict(type='path'), section=dict(type='str'),
                     pinned=dict(type='path'), direct_action=dict(type='bool'), **dict(CLASSID, **FLAG_OPTIONS)),
                _bpf_normalize, _bpf_encode, _bpf_decode, _bpf_words),
    'matchall': Kind(dict(CLASSID, **FLAG_OPTIONS), *_simple_kind(1, 2, flags_attr=3)),
    'fw': Kind(dict(mask=dict(type='str'), **CLASSID), *_simple_kind(1, 4, mask_attr=5)),
    'basic': Kind(dict(CLASSID, match=tc_ematch.MATCH_OPTION), *tc_ematch.with_match(_simple_kind(1, 3), 2)),
    'cgroup': Kind(dict(match=tc_ematch.MATCH_OPTION), *tc_ematch.with_match(_simple_kind(None, 1), 3)),
    'route': Kind(dict(CLASSID, to=dict(type='int'), fromif=dict(type='str'), **{'from': dict(type='int')}),
                  _route_normalize, _route_encode, _route_decode, _route_words),
    'flow': Kind(dict(keys=dict(type='list', elements='str', no_log=False), divisor=dict(type='int'), baseclass=dict(type='str'),
                      perturb=dict(type='int')),
                 _flow_normalize, _flow_encode, _flow_decode, _flow_words),
    'flower': Kind(tc_flower.OPTIONS, tc_flower.normalize, tc_flower.encode, tc_flower.decode, tc_flower.words),
}

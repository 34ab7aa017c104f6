# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Extended matches (ematches) of the basic and cgroup classifiers: TCA_BASIC_EMATCHES / TCA_CGROUP_EMATCHES
(linux/pkt_cls.h, linux/tc_ematch/*.h).

A match is a flat list of items, each one ematch (``cmp``, ``u32``, ``meta``, ``nbyte``) or a ``container``
(a list of its own: parentheses). Every item after the first says its ``relation`` to the one before
(``and`` / ``or``); ``invert: true`` negates an item. The kernel evaluates a list left to right and stops
at the first item that decides the result (no precedence: group with ``container``).

On the wire the tree is an array: the top list first, then each container's list appended when its
container is reached (depth first), a container carrying the index its list starts at - the order
``tc`` lays it out in, so the bytes are tc's. Each item's flags carry its relation to the *next* item.

Declared and dumped matches both go through one normal form, so a gathered filter compares equal to its
declaration; what this module cannot read (an unknown kind, a broken container) reads back as
``{kind: N, raw: HEX}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import number

TCA_EMATCH_TREE_HDR, TCA_EMATCH_TREE_LIST = 1, 2
TREE_HDR = struct.Struct('=HH')  # nmatches, progid (TCF_EM_PROG_TC = 0)
EM_HDR = struct.Struct('=HHHH')  # matchid, kind, flags, pad
TCF_EM_REL_END, TCF_EM_REL_AND, TCF_EM_REL_OR, TCF_EM_INVERT, TCF_EM_REL_MASK = 0, 1, 2, 4, 3
TCF_EM_CONTAINER, TCF_EM_CMP, TCF_EM_NBYTE, TCF_EM_U32, TCF_EM_META = 0, 1, 2, 3, 4
RELATIONS = {'and': TCF_EM_REL_AND, 'or': TCF_EM_REL_OR}
LAYERS = ('link', 'network', 'transport')  # TCF_LAYER_*
OPS = ('eq', 'gt', 'lt')  # TCF_EM_OPND_*
ALIGNS = {'u8': 1, 'u16': 2, 'u32': 4}  # TCF_EM_ALIGN_*
ALIGN_NAMES = dict((v, k) for k, v in ALIGNS.items())
TCF_EM_CMP_TRANS = 1
CMP = struct.Struct('=IIHBB')  # val, mask, off, align:4|flags:4, layer:4|opnd:4
U32_KEY = struct.Struct('>II')  # struct tc_u32_key: mask, val in network order ...
U32_KEY_OFF = struct.Struct('=ii')  # ... off, offmask in host order
NBYTE = struct.Struct('=HH')  # off, len:12|layer:4
NBYTE_MAX = 0xFFF

# -- meta (tc_em_meta.h) ------------------------------------------------------------------------------
TCA_EM_META_HDR, TCA_EM_META_LVALUE, TCA_EM_META_RVALUE = 1, 2, 3
META_HDR = struct.Struct('=HBBHBB')  # left kind, shift, op; right kind, shift, op
TCF_META_TYPE_VAR, TCF_META_TYPE_INT = 0, 1
TCF_META_ID_VALUE = 0
# TCF_META_ID_* in header order (the index is the id), lower case: the names this module speaks
META_IDS = ('value', 'random', 'loadavg_0', 'loadavg_1', 'loadavg_2', 'dev', 'priority', 'protocol', 'pkttype',
            'pktlen', 'datalen', 'maclen', 'nfmark', 'tcindex', 'rtclassid', 'rtiif', 'sk_family', 'sk_state',
            'sk_reuse', 'sk_bound_if', 'sk_refcnt', 'sk_shutdown', 'sk_proto', 'sk_type', 'sk_rcvbuf',
            'sk_rmem_alloc', 'sk_wmem_alloc', 'sk_omem_alloc', 'sk_wmem_queued', 'sk_rcv_qlen', 'sk_snd_qlen',
            'sk_err_qlen', 'sk_forward_allocs', 'sk_sndbuf', 'sk_allocs', 'sk_route_caps', 'sk_hash',
            'sk_lingertime', 'sk_ack_backlog', 'sk_max_ack_backlog', 'sk_prio', 'sk_rcvlowat', 'sk_rcvtimeo',
            'sk_sndtimeo', 'sk_sendmsg_off', 'sk_write_pending', 'vlan_tag', 'rxhash')
# The ids `tc` (iproute2 6.1) has a name for, with that name: only these are offered, so that every
# rendered command replays. tc's names (and `mark`) are accepted as aliases.
TC_META_NAMES = {
    'random': 'random', 'loadavg_0': 'loadavg_1', 'loadavg_1': 'loadavg_5', 'loadavg_2': 'loadavg_15',
    'dev': 'dev', 'priority': 'priority', 'protocol': 'protocol', 'pkttype': 'pkt_type', 'pktlen': 'pkt_len',
    'datalen': 'data_len', 'maclen': 'mac_len', 'nfmark': 'nf_mark', 'tcindex': 'tc_index',
    'rtclassid': 'rt_classid', 'rtiif': 'rt_iif', 'sk_family': 'sk_family', 'sk_state': 'sk_state',
    'sk_reuse': 'sk_reuse', 'sk_bound_if': 'sk_bind_if', 'sk_refcnt': 'sk_refcnt', 'sk_shutdown': 'sk_shutdown',
    'sk_proto': 'sk_proto', 'sk_type': 'sk_type', 'sk_rcvbuf': 'sk_rcvbuf', 'sk_rmem_alloc': 'sk_rmem',
    'sk_wmem_alloc': 'sk_wmem', 'sk_omem_alloc': 'sk_omem', 'sk_wmem_queued': 'sk_wmem_queue',
    'sk_rcv_qlen': 'sk_rcv_queue', 'sk_snd_qlen': 'sk_snd_queue', 'sk_err_qlen': 'sk_err_queue',
    'sk_forward_allocs': 'sk_fwd_alloc', 'sk_sndbuf': 'sk_sndbuf', 'vlan_tag': 'vlan'}
META_ALIASES = dict([(v, k) for k, v in TC_META_NAMES.items()] + [('mark', 'nfmark'), ('fwmark', 'nfmark')])
VAR_META_IDS = ('dev', 'sk_bound_if')  # the ids with a name (string) form as well as a number

KINDS_ALLOWED = 'cmp, u32, meta, nbyte or container'


# -- normal form ---------------------------------------------------------------------------------------

def _choice(value, allowed, where):
    text = str(value).lower()
    if text not in allowed:
        raise ValidationError('%s: %r is not one of %s' % (where, value, ', '.join(allowed)))
    return text


def _fields(value, allowed, where):
    if not isinstance(value, dict):
        raise ValidationError('%s: expected a dictionary with %s' % (where, ', '.join(allowed)))
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValidationError('%s: %s not an option; use %s' % (where, ', '.join(unknown), ', '.join(allowed)))
    return dict((k, v) for k, v in value.items() if v is not None)


def _cmp(value, where):
    o = _fields(value, ('layer', 'align', 'offset', 'mask', 'op', 'value', 'trans'), where)
    align = _choice(o.get('align', 'u32'), tuple(ALIGNS), where + '.align')
    top = (1 << (8 * ALIGNS[align])) - 1
    if 'value' not in o:
        raise ValidationError('%s.value is required' % where)
    mask = number(o.get('mask', 0), where + '.mask', 0, top)
    return {'layer': _choice(o.get('layer', 'link'), LAYERS, where + '.layer'), 'align': align,
            'offset': number(o.get('offset', 0), where + '.offset', 0, 0xFFFF),
            'mask': mask or None, 'op': _choice(o.get('op', 'eq'), OPS, where + '.op'),
            'value': number(o['value'], where + '.value', 0, top), 'trans': bool(o.get('trans'))}


def _u32(value, where):
    """Any width at any offset as the 32-bit word tc makes of it (u8 at 9 is mask 0x00ff0000 at 8)."""
    o = _fields(value, ('align', 'value', 'mask', 'at', 'nexthdr'), where)
    align = _choice(o.get('align', 'u32'), tuple(ALIGNS), where + '.align')
    width = ALIGNS[align]
    top = (1 << (8 * width)) - 1
    at = number(o.get('at', 0), where + '.at', 0, 0x7FFFFFFF)
    if at % width:
        raise ValidationError('%s.at: %d is not a multiple of %d (align %s)' % (where, at, width, align))
    shift = 8 * (4 - width - at % 4)
    mask = number(o.get('mask', top), where + '.mask', 0, top) << shift
    word_value = (number(o.get('value', 0), where + '.value', 0, top) << shift) & mask
    return {'value': '0x%08x' % word_value, 'mask': '0x%08x' % mask, 'at': at - at % 4,
            'nexthdr': bool(o.get('nexthdr'))}


def _meta(value, where):
    o = _fields(value, ('id', 'op', 'value', 'mask', 'shift'), where)
    name = str(o.get('id', '')).lower()
    name = META_ALIASES.get(name, name)
    if name not in TC_META_NAMES:
        raise ValidationError('%s.id: %r is not a meta id; use %s' % (where, o.get('id'), ', '.join(sorted(TC_META_NAMES))))
    if 'value' not in o:
        raise ValidationError('%s.value is required' % where)
    text = o['value']
    is_name = isinstance(text, str) and not text.strip().lstrip('-').isdigit() and not text.lower().startswith('0x')
    if is_name and name not in VAR_META_IDS:
        raise ValidationError('%s.value: %r is not a number (only %s compare with a name)'
                              % (where, text, ' and '.join(VAR_META_IDS)))
    if is_name and o.get('mask'):
        raise ValidationError('%s.mask: a name (%r) has no mask' % (where, text))
    return {'id': name, 'op': _choice(o.get('op', 'eq'), OPS, where + '.op'),
            'value': text if is_name else number(text, where + '.value'),
            'mask': number(o.get('mask', 0), where + '.mask') or None,
            'shift': number(o.get('shift', 0), where + '.shift', 0, 0xFF)}


def _pattern_form(raw):
    """Bytes as `pattern` text when printable ASCII, else as `hex`."""
    if raw and all(0x20 <= b < 0x7F for b in bytearray(raw)):
        return {'pattern': raw.decode('ascii')}
    return {'hex': binascii.hexlify(raw).decode()}


def _nbyte(value, where):
    o = _fields(value, ('layer', 'offset', 'pattern', 'hex'), where)
    if ('pattern' in o) == ('hex' in o):
        raise ValidationError('%s: give pattern (text) or hex (bytes), one of them' % where)
    if 'pattern' in o:
        raw = str(o['pattern']).encode('utf-8')
    else:
        try:
            raw = binascii.unhexlify(str(o['hex']).replace(':', '').replace(' ', ''))
        except (binascii.Error, TypeError, ValueError):
            raise ValidationError('%s.hex: %r is not hexadecimal bytes' % (where, o['hex']))
    if not 0 < len(raw) <= NBYTE_MAX:
        raise ValidationError('%s: the pattern is %d bytes; 1 to %d are allowed' % (where, len(raw), NBYTE_MAX))
    return dict({'layer': _choice(o.get('layer', 'link'), LAYERS, where + '.layer'),
                 'offset': number(o.get('offset', 0), where + '.offset', 0, 0xFFFF)}, **_pattern_form(raw))


MATCHERS = {'cmp': _cmp, 'u32': _u32, 'meta': _meta, 'nbyte': _nbyte}


def normalize(match, where):
    """A declared list of items in the normal form (the form decode() reads the kernel's back in)."""
    if match is None:
        return []
    if not isinstance(match, list):
        raise ValidationError('%s: expected a list of ematches (%s)' % (where, KINDS_ALLOWED))
    out = []
    for index, item in enumerate(match):
        at = '%s[%d]' % (where, index)
        if not isinstance(item, dict):
            raise ValidationError('%s: expected a dictionary with one of %s' % (at, KINDS_ALLOWED))
        kinds = [k for k in item if k not in ('relation', 'invert') and item[k] is not None]
        if len(kinds) != 1 or kinds[0] not in list(MATCHERS) + ['container']:
            raise ValidationError('%s: give exactly one of %s (and optionally relation, invert); got %s'
                                  % (at, KINDS_ALLOWED, ', '.join(sorted(kinds)) or 'none'))
        normal = {}
        if index == 0 and item.get('relation') is not None:
            raise ValidationError('%s.relation: the first item has nothing before it to relate to' % at)
        if index:
            if item.get('relation') is None:
                raise ValidationError('%s.relation is required after the first item (and or or)' % at)
            normal['relation'] = _choice(item['relation'], tuple(RELATIONS), at + '.relation')
        if item.get('invert'):
            normal['invert'] = True
        kind = kinds[0]
        if kind == 'container':
            normal['container'] = normalize(item['container'], at + '.container')
            if not normal['container']:
                raise ValidationError('%s.container: an empty container matches nothing; leave it out' % at)
        else:
            normal[kind] = MATCHERS[kind](item[kind], '%s.%s' % (at, kind))
        out.append(normal)
    return out


# -- encoding ----------------------------------------------------------------------------------------

def _cmp_data(o):
    return CMP.pack(o['value'], o['mask'] or 0, o['offset'],
                    ALIGNS[o['align']] | (TCF_EM_CMP_TRANS << 4 if o['trans'] else 0),
                    LAYERS.index(o['layer']) | OPS.index(o['op']) << 4)


def _u32_data(o):
    return U32_KEY.pack(int(o['mask'], 16), int(o['value'], 16)) + U32_KEY_OFF.pack(o['at'], -1 if o['nexthdr'] else 0)


def _meta_data(o):
    var = isinstance(o['value'], str)
    kind = (TCF_META_TYPE_VAR if var else TCF_META_TYPE_INT) << 12
    hdr = META_HDR.pack(kind | META_IDS.index(o['id']), o['shift'], OPS.index(o['op']), kind | TCF_META_ID_VALUE, 0, 0)
    if var:  # a name: no mask (an lvalue of a var would be taken as bytes)
        return tc.nla(TCA_EM_META_HDR, hdr) + tc.nla(TCA_EM_META_RVALUE, o['value'].encode('utf-8'))
    return (tc.nla(TCA_EM_META_HDR, hdr) + tc.nla_u32(TCA_EM_META_LVALUE, o['mask'] or 0)
            + tc.nla_u32(TCA_EM_META_RVALUE, o['value']))


def _nbyte_data(o):
    raw = o['pattern'].encode('ascii') if 'pattern' in o else binascii.unhexlify(o['hex'])
    # tc counts the padding to 4 bytes in the attribute's length; the kernel reads len bytes of it
    data = NBYTE.pack(o['offset'], len(raw) | LAYERS.index(o['layer']) << 12) + raw
    return data + b'\0' * (-len(data) % 4)


ENCODERS = {'cmp': (TCF_EM_CMP, _cmp_data), 'u32': (TCF_EM_U32, _u32_data), 'meta': (TCF_EM_META, _meta_data),
            'nbyte': (TCF_EM_NBYTE, _nbyte_data)}


def _kind_of(item):
    return [k for k in item if k not in ('relation', 'invert')][0]


def _flatten(items, slots):
    """Lay a list out at the end of ``slots`` as [kind, flags, data-or-list]; containers' lists after it."""
    base = len(slots)
    for index, item in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        flags = RELATIONS[following['relation']] if following else TCF_EM_REL_END
        flags |= TCF_EM_INVERT if item.get('invert') else 0
        slots.append([None, flags, item])
    for index, item in enumerate(items):
        slot = slots[base + index]
        kind = _kind_of(item)
        if kind == 'container':
            slot[0], slot[2] = TCF_EM_CONTAINER, struct.pack('=I', len(slots))
            _flatten(item['container'], slots)
        else:
            slot[0], slot[2] = ENCODERS[kind][0], ENCODERS[kind][1](item[kind])


def encode(match, attr_type):
    """The TCA_*_EMATCHES attribute of a normalized match list; b'' for an empty one (no attribute)."""
    if not match:
        return b''
    slots = []
    _flatten(match, slots)
    items = b''.join(tc.nla(index + 1, EM_HDR.pack(0, kind, flags, 0) + data)
                     for index, (kind, flags, data) in enumerate(slots))
    return tc.nla(attr_type, tc.nla(TCA_EMATCH_TREE_HDR, TREE_HDR.pack(len(slots), 0))
                  + tc.nla(TCA_EMATCH_TREE_LIST, items))


# -- decoding ----------------------------------------------------------------------------------------

def _raw(kind, data):
    return {'kind': kind, 'raw': binascii.hexlify(data).decode()}


def _decode_cmp(data):
    val, mask, off, align_flags, layer_op = CMP.unpack_from(data)
    align, layer, op = align_flags & 0xF, layer_op & 0xF, layer_op >> 4
    if align not in ALIGN_NAMES or layer >= len(LAYERS) or op >= len(OPS):
        return None
    return {'layer': LAYERS[layer], 'align': ALIGN_NAMES[align], 'offset': off, 'mask': mask or None,
            'op': OPS[op], 'value': val, 'trans': bool((align_flags >> 4) & TCF_EM_CMP_TRANS)}


def _decode_u32(data):
    mask, value = U32_KEY.unpack_from(data)
    off, offmask = U32_KEY_OFF.unpack_from(data, U32_KEY.size)
    if off % 4 or offmask not in (0, -1):
        return None  # not a word tc or this module would write: raw
    return {'value': '0x%08x' % (value & mask), 'mask': '0x%08x' % mask, 'at': off, 'nexthdr': offmask == -1}


def _decode_meta(data):
    attrs = tc.parse_nla(data)
    hdr = attrs.get(TCA_EM_META_HDR, b'')
    if len(hdr) < META_HDR.size:
        return None
    left, shift, op, right = META_HDR.unpack_from(hdr)[:4]
    kind, left_id = left >> 12, left & 0x7FF
    if (right >> 12 != kind or right & 0x7FF != TCF_META_ID_VALUE or left_id >= len(META_IDS)
            or META_IDS[left_id] not in TC_META_NAMES or op >= len(OPS)):
        return None
    rvalue = attrs.get(TCA_EM_META_RVALUE, b'')
    if kind == TCF_META_TYPE_VAR and META_IDS[left_id] in VAR_META_IDS and rvalue:
        try:
            value = rvalue.decode('utf-8')
        except UnicodeDecodeError:
            return None
        return {'id': META_IDS[left_id], 'op': OPS[op], 'value': value, 'mask': None, 'shift': shift}
    if kind != TCF_META_TYPE_INT or len(rvalue) not in (4, 8):
        return None
    lvalue = attrs.get(TCA_EM_META_LVALUE, b'')
    mask = struct.unpack('=I' if len(lvalue) == 4 else '=Q', lvalue)[0] if len(lvalue) in (4, 8) else 0
    value = struct.unpack('=I' if len(rvalue) == 4 else '=Q', rvalue)[0]
    return {'id': META_IDS[left_id], 'op': OPS[op], 'value': value, 'mask': mask or None, 'shift': shift}


def _decode_nbyte(data):
    off, len_layer = NBYTE.unpack_from(data)
    length, layer = len_layer & NBYTE_MAX, len_layer >> 12
    raw = data[NBYTE.size:NBYTE.size + length]
    if layer >= len(LAYERS) or not length or len(raw) != length:
        return None
    return dict({'layer': LAYERS[layer], 'offset': off}, **_pattern_form(raw))


DECODERS = {TCF_EM_CMP: ('cmp', CMP.size, _decode_cmp), TCF_EM_U32: ('u32', U32_KEY.size + U32_KEY_OFF.size, _decode_u32),
            TCF_EM_META: ('meta', 0, _decode_meta), TCF_EM_NBYTE: ('nbyte', NBYTE.size, _decode_nbyte)}


def _sequence(entries, start, seen):
    """The list starting at entries[start]: items up to the one whose relation is END (or the array's end)."""
    out, index, relation = [], start, None
    while index < len(entries) and index not in seen:
        seen.add(index)
        kind, flags, data = entries[index]
        item = {'relation': relation} if relation else {}
        if flags & TCF_EM_INVERT:
            item['invert'] = True
        ref = struct.unpack_from('=I', data)[0] if kind == TCF_EM_CONTAINER and len(data) >= 4 else None
        if ref is not None and index < ref < len(entries) and ref not in seen:
            item['container'] = _sequence(entries, ref, seen)
        elif kind in DECODERS and len(data) >= DECODERS[kind][1]:
            decoded = DECODERS[kind][2](data)
            item.update({DECODERS[kind][0]: decoded} if decoded is not None else _raw(kind, data))
        else:
            item.update(_raw(kind, data))
        out.append(item)
        rel = flags & TCF_EM_REL_MASK
        if rel not in (TCF_EM_REL_AND, TCF_EM_REL_OR):
            break
        relation = 'and' if rel == TCF_EM_REL_AND else 'or'
        index += 1
    return out


def decode(data):
    """A TCA_*_EMATCHES payload as the normal form; whatever the bytes (total: never raises)."""
    attrs = tc.parse_nla(data)
    entries = []
    for attr_type, payload in tc.iter_nla(attrs.get(TCA_EMATCH_TREE_LIST, b'')):
        if attr_type != len(entries) + 1 or len(payload) < EM_HDR.size:
            break  # the kernel numbers them 1, 2, ...: past a gap nothing is reachable
        _matchid, kind, flags, _pad = EM_HDR.unpack_from(payload)
        entries.append((kind, flags, payload[EM_HDR.size:]))
    return _sequence(entries, 0, set()) if entries else []


# -- tc words ------------------------------------------------------------------------------------------

def _tc_bytes(raw):
    """A pattern as a tc string: printable bytes as they are, others (and quotes) as \\xNN."""
    return '"%s"' % ''.join(chr(b) if 0x20 <= b < 0x7F and b not in b'"\\\'' else '\\x%02x' % b
                            for b in bytearray(raw))


def _tc_item(kind, o):
    if kind == 'cmp':
        return 'cmp(%s at %d layer %s%s %s %d%s)' % (
            o['align'], o['offset'], o['layer'], ' mask 0x%x' % o['mask'] if o['mask'] else '', o['op'],
            o['value'], ' trans' if o['trans'] else '')
    if kind == 'u32':
        return 'u32(u32 %s %s at %s%d)' % (o['value'], o['mask'], 'nexthdr+' if o['nexthdr'] else '', o['at'])
    if kind == 'meta':
        value = _tc_bytes(o['value'].encode('utf-8')) if isinstance(o['value'], str) else o['value']
        return 'meta(%s%s%s %s %s)' % (TC_META_NAMES[o['id']], ' shift %d' % o['shift'] if o['shift'] else '',
                                       ' mask 0x%x' % o['mask'] if o['mask'] else '', o['op'], value)
    raw = o['pattern'].encode('ascii') if 'pattern' in o else binascii.unhexlify(o['hex'])
    return 'nbyte(%s at %d layer %s)' % (_tc_bytes(raw), o['offset'], o['layer'])


def expression(match):
    """The list as tc's EMATCH_TREE text: `cmp(...) and not (meta(...) or u32(...))`."""
    words = []
    for item in match:
        if item.get('relation'):
            words.append(item['relation'])
        if item.get('invert'):
            words.append('not')
        kind = _kind_of(item)
        if kind == 'container':
            words.append('(%s)' % expression(item['container']))
        elif kind in MATCHERS:
            words.append(_tc_item(kind, item[kind]))
        else:  # read back, not declarable: tc has no words for it either
            words.append('kind%s(%s)' % (item.get('kind'), item.get('raw')))
    return ' '.join(words)


def words(match):
    """`match EXPRESSION` for `tc filter add ... basic|cgroup`, or nothing for no match.

    tc 6.1 takes the expression only when another word follows it (its parser steps back one word
    past the end): render it before the classid and the actions.
    """
    return ['match', expression(match)] if match else []


def with_match(kind, attr_type):
    """A classifier kind's (normalize, encode, decode, words) with ``match`` (its ematches in ``attr_type``)."""
    normalize_, encode_, decode_, words_ = kind

    def normalize_kind(o, item, where):
        return dict(normalize_(o, item, where), match=normalize(o.get('match'), where + '.match'))

    def encode_kind(o, item, actions, ctx):
        ematches = encode(o['match'], attr_type)
        return ([ematches] if ematches else []) + encode_(o, item, actions, ctx)

    def decode_kind(attrs, item, ctx):
        out, actions = decode_(attrs, item, ctx)
        out['match'] = decode(attrs[attr_type]) if attr_type in attrs else []
        return out, actions

    def words_kind(o):
        return words(o['match']) + words_(o)
    return normalize_kind, encode_kind, decode_kind, words_kind


MATCH_OPTION = dict(type='list', elements='dict')

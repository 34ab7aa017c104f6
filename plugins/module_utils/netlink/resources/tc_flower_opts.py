# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The structured flower keys of nl_tc_filter: tunnel options (TCA_FLOWER_KEY_ENC_OPTS and its mask twin:
geneve, vxlan gbp, erspan, gtp), the MPLS label stack (TCA_FLOWER_KEY_MPLS_OPTS) and the 128-bit conntrack
labels (linux/pkt_cls.h). tc_flower.py calls these for its keys ``enc_opts``, ``mpls`` and ``ct_label``.

Every nest goes with NLA_F_NESTED: the kernel parses the erspan, gtp, vxlan and LSE nests strictly, and the
others ignore the flag (tc 6.1 sends geneve's without it). A mask is always sent, full where none is given,
as tc does; the kernel reads both back.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import number

TCA_FLOWER_KEY_ENC_OPTS, TCA_FLOWER_KEY_ENC_OPTS_MASK = 84, 85
TCA_FLOWER_KEY_CT_LABELS, TCA_FLOWER_KEY_CT_LABELS_MASK, TCA_FLOWER_KEY_MPLS_OPTS = 97, 98, 99
ENC_GENEVE, ENC_VXLAN, ENC_ERSPAN, ENC_GTP = 1, 2, 3, 4  # TCA_FLOWER_KEY_ENC_OPTS_*
GENEVE_CLASS, GENEVE_TYPE, GENEVE_DATA = 1, 2, 3
VXLAN_GBP = 1
ERSPAN_VER, ERSPAN_INDEX, ERSPAN_DIR, ERSPAN_HWID = 1, 2, 3, 4
GTP_PDU_TYPE, GTP_QFI = 1, 2
MPLS_OPTS_LSE = 1
LSE_FIELDS = (('depth', 1, 7), ('ttl', 2, 255), ('bos', 3, 1), ('tc', 4, 7), ('label', 5, 0xFFFFF))  # name, attr, max
LSE_ORDER = ('depth', 'label', 'tc', 'bos', 'ttl')  # tc's order, and the order they are sent in
ENC_KINDS = ('geneve', 'vxlan', 'erspan', 'gtp')
# the fields of the fixed-layout tunnel options: kind -> ((name, attr, struct format, largest value, the bits the
# kernel keeps of value and mask), ...): vxlan keeps VXLAN_GBP_MASK of gbp, erspan a 1-bit dir and a 6-bit hwid,
# so a full mask reads back as those bits
ENC_FIELDS = {'vxlan': (('gbp', VXLAN_GBP, '=I', 0x48FFFF, 0x48FFFF),),
              'erspan': (('index', ERSPAN_INDEX, '>I', 0xFFFFF, 0xFFFFFFFF), ('dir', ERSPAN_DIR, '=B', 1, 1),
                         ('hwid', ERSPAN_HWID, '=B', 0x3F, 0x3F)),
              'gtp': (('pdu_type', GTP_PDU_TYPE, '=B', 0xFF, 0xFF), ('qfi', GTP_QFI, '=B', 0x3F, 0xFF))}
ERSPAN_NEEDS = {1: ('index',), 2: ('dir', 'hwid')}
_HEX = re.compile(r'^(0x)?([0-9a-f]*)$')


def _bits(fmt):
    return 8 * struct.calcsize(fmt)


def _masked(value, option, bits, limit):
    val, sep, mask = str(value).partition('/')
    full = (1 << bits) - 1
    return number(val, option, 0, limit), number(mask, option + ' mask', 0, full) if sep else full


def _masked_text(value, mask, bits):
    return value if mask == (1 << bits) - 1 else '0x%x/0x%x' % (value, mask)


def _fixed(value, option, field):
    """(value, mask) of a fixed-layout tunnel option field, the mask cut to the bits the kernel keeps."""
    _name, _attr, fmt, limit, kept = field
    val, mask = _masked(value, option, _bits(fmt), limit)
    if val & ~kept:
        raise ValidationError('%s: %r has bits the kernel does not keep (it keeps 0x%x)' % (option, value, kept))
    return val, mask & kept


def _fixed_text(value, mask, kept):
    return value if mask & kept == kept else '0x%x/0x%x' % (value, mask & kept)


def _fixed_sent(value, field):
    """(value, mask) as sent: a full mask as all ones of the field's width, as tc sends it."""
    name, _attr, fmt, _limit, kept = field
    val, mask = _fixed(value, name, field) if value is not None else (0, kept)
    return val, (1 << _bits(fmt)) - 1 if mask == kept else mask


def _hex(text, option, what):
    match = _HEX.match(str(text).strip().lower())
    if not match or len(match.group(2)) % 2:
        raise ValidationError('%s: %r is not %s in hexadecimal (an even number of digits)' % (option, text, what))
    return bytes.fromhex(match.group(2))


def _hex_masked(value, option, what, sizes):
    """``HEX[/HEXMASK]`` as (bytes, mask bytes) of a length in ``sizes``."""
    text, sep, mask = str(value).partition('/')
    raw = _hex(text, option, what)
    if not sizes(len(raw)):
        raise ValidationError('%s: %r is not %s' % (option, value, what))
    mask_raw = _hex(mask, option + ' mask', what) if sep else b'\xff' * len(raw)
    if len(mask_raw) != len(raw):
        raise ValidationError('%s: %r has a mask of another length than its value' % (option, value))
    return raw, mask_raw


def _hex_text(raw, mask):
    return raw.hex() if mask == b'\xff' * len(raw) else '%s/%s' % (raw.hex(), mask.hex())


def _field(raw, fmt, default=None):
    return struct.unpack_from(fmt, raw)[0] if raw is not None and len(raw) >= struct.calcsize(fmt) else default


# -- ct_label ----------------------------------------------------------------------------------------

def normalize_ct_label(value, option):
    """32 hex digits (the 16 label bytes in memory order, as tc prints them), /MASK optional; a zero mask
    matches all and is not dumped back: None."""
    raw, mask = _hex_masked(value, option, 'a conntrack label of 32 hex digits', lambda n: n == 16)
    return _hex_text(raw, mask) if any(bytearray(mask)) else None


def encode_ct_label(text):
    raw, mask = _hex_masked(text, 'ct_label', '', lambda n: n == 16)
    return [tc.nla(TCA_FLOWER_KEY_CT_LABELS, raw), tc.nla(TCA_FLOWER_KEY_CT_LABELS_MASK, mask)]


def decode_ct_label(attrs):
    raw = bytes(attrs.get(TCA_FLOWER_KEY_CT_LABELS) or b'')[:16]
    if len(raw) != 16:
        return None
    mask = bytes(attrs.get(TCA_FLOWER_KEY_CT_LABELS_MASK) or b'\xff' * 16)[:16].ljust(16, b'\0')
    return _hex_text(raw, mask)


# -- enc_opts ----------------------------------------------------------------------------------------

def normalize_enc_opts(value, option):
    if not isinstance(value, dict):
        raise ValidationError('%s: %r is not a dictionary of one of %s' % (option, value, ', '.join(ENC_KINDS)))
    given = dict((k, v) for k, v in value.items() if v is not None)
    unknown = sorted(set(given) - set(ENC_KINDS))
    if unknown or len(given) != 1:
        raise ValidationError('%s: give one of %s%s' % (option, ', '.join(ENC_KINDS), (
            ', not %s' % ' and '.join(sorted(given))) if given else ''))
    kind, opts = list(given.items())[0]
    where = '%s.%s' % (option, kind)
    if kind == 'geneve':
        return {kind: _normalize_geneve(opts, where)}
    if not isinstance(opts, dict):
        raise ValidationError('%s: %r is not a dictionary' % (where, opts))
    opts = dict((k, v) for k, v in opts.items() if v is not None)
    names = [f[0] for f in ENC_FIELDS[kind]] + (['version'] if kind == 'erspan' else [])
    if set(opts) - set(names):
        raise ValidationError('%s: %s is not one of %s' % (where, sorted(set(opts) - set(names))[0], ', '.join(names)))
    out = {}
    needs = [f[0] for f in ENC_FIELDS[kind]]
    if kind == 'erspan':
        out['version'] = number(opts.get('version', 1), where + '.version', 1, 2)
        needs = ERSPAN_NEEDS[out['version']]
        extra = sorted(set(opts) - set(needs) - {'version'})
        if extra:
            raise ValidationError('%s.%s does not go with version %d (it takes %s)'
                                  % (where, extra[0], out['version'], ' and '.join(needs)))
    for field in ENC_FIELDS[kind]:
        name = field[0]
        if name in needs:
            if opts.get(name) is None:
                raise ValidationError('%s.%s is required' % (where, name))
            out[name] = _fixed_text(*(_fixed(opts[name], '%s.%s' % (where, name), field) + (field[4],)))
    return {kind: out}


def _normalize_geneve(options, where):
    if not isinstance(options, list) or not options:
        raise ValidationError('%s: give a list of options {class, type, data}' % where)
    out, total = [], 0
    for index, entry in enumerate(options):
        at = '%s[%d]' % (where, index)
        entry = dict((k, v) for k, v in (entry or {}).items() if v is not None) if isinstance(entry, dict) else None
        if entry is None or set(entry) - {'class', 'type', 'data'} or 'data' not in entry:
            raise ValidationError('%s: an option is {class, type, data}, data required' % at)
        data, mask = _hex_masked(entry['data'], at + '.data', '4 to 124 bytes, a multiple of 4',
                                 lambda n: 4 <= n <= 124 and n % 4 == 0)
        total += 4 + len(data)
        out.append({'class': _masked_text(*(_masked(entry.get('class', 0), at + '.class', 16, 0xFFFF) + (16,))),
                    'type': _masked_text(*(_masked(entry.get('type', 0), at + '.type', 8, 0xFF) + (8,))),
                    'data': _hex_text(data, mask)})
    if total > 255:  # FLOW_DIS_TUN_OPTS_MAX
        raise ValidationError('%s: the options take %d bytes, the kernel holds at most 255' % (where, total))
    return out


def _enc_nests(opts, mask):
    """The attributes inside TCA_FLOWER_KEY_ENC_OPTS (mask False) or its _MASK twin (mask True)."""
    pick = 1 if mask else 0
    kind, value = list(opts.items())[0]
    if kind == 'geneve':
        nests = []
        for entry in value:
            klass = _masked(entry['class'], 'class', 16, 0xFFFF)[pick]
            type_ = _masked(entry['type'], 'type', 8, 0xFF)[pick]
            data = _hex_masked(entry['data'], 'data', '', lambda n: True)[pick]
            nests.append(tc.nla_nested(ENC_GENEVE, [tc.nla(GENEVE_CLASS, struct.pack('>H', klass)),
                                                    tc.nla_u8(GENEVE_TYPE, type_), tc.nla(GENEVE_DATA, data)]))
        return nests
    attrs = []
    if kind == 'erspan':  # tc sends every field, the unused ones 0 with a full mask; the mask's version is the
        # key's (the kernel picks the mask's fields by it)
        attrs.append(tc.nla_u8(ERSPAN_VER, value['version']))
    for field in ENC_FIELDS[kind]:
        attrs.append(tc.nla(field[1], struct.pack(field[2], _fixed_sent(value.get(field[0]), field)[pick])))
    return [tc.nla_nested(ENC_KINDS.index(kind) + 1, attrs)]


def encode_enc_opts(opts):
    return [tc.nla_nested(TCA_FLOWER_KEY_ENC_OPTS, _enc_nests(opts, False)),
            tc.nla_nested(TCA_FLOWER_KEY_ENC_OPTS_MASK, _enc_nests(opts, True))]


def _geneve_options(nests):
    """Each geneve option's attributes: a request may give an option a nest each, but the kernel dumps them
    all in one nest, CLASS, TYPE, DATA again and again - an option starts at each CLASS."""
    options = []
    for _t, data in (nest for nest in nests if nest[0] == ENC_GENEVE):
        for attr_type, value in tc.iter_nla(data):
            if attr_type == GENEVE_CLASS or not options:
                options.append({})
            options[-1][attr_type] = value
    return options


def decode_enc_opts(attrs):
    keys = list(tc.iter_nla(attrs.get(TCA_FLOWER_KEY_ENC_OPTS)))
    masks = list(tc.iter_nla(attrs.get(TCA_FLOWER_KEY_ENC_OPTS_MASK)))
    if not keys or not 1 <= keys[0][0] <= len(ENC_KINDS):
        return None
    kind = ENC_KINDS[keys[0][0] - 1]
    if kind == 'geneve':
        out = []
        mask_options = _geneve_options(masks)
        for index, key in enumerate(_geneve_options(keys)):
            mask = mask_options[index] if index < len(mask_options) else {}
            raw = bytes(key.get(GENEVE_DATA) or b'')
            out.append({'class': _masked_text(_field(key.get(GENEVE_CLASS), '>H', 0),
                                              _field(mask.get(GENEVE_CLASS), '>H', 0xFFFF), 16),
                        'type': _masked_text(tc.u8(key.get(GENEVE_TYPE), 0), tc.u8(mask.get(GENEVE_TYPE), 0xFF), 8),
                        'data': _hex_text(raw, bytes(mask.get(GENEVE_DATA) or b'\xff' * len(raw))[:len(raw)]
                                          .ljust(len(raw), b'\0'))})
        return {kind: out}
    key = tc.parse_nla(keys[0][1])
    mask = tc.parse_nla(masks[0][1]) if masks else {}
    out = {}
    names = [f[0] for f in ENC_FIELDS[kind]]
    if kind == 'erspan':
        out['version'] = tc.u8(key.get(ERSPAN_VER), 1)
        names = ERSPAN_NEEDS.get(out['version'], names)
    for name, attr, fmt, _limit, kept in ENC_FIELDS[kind]:
        if name in names and attr in key:
            out[name] = _fixed_text(_field(key[attr], fmt, 0), _field(mask.get(attr), fmt, kept), kept)
    return {kind: out}


def enc_opts_words(opts):
    """tc's ``geneve_opts CLASS:TYPE:DATA/MASKS[,...]`` (hex, each option with its mask) and kin."""
    kind, value = list(opts.items())[0]
    if kind == 'geneve':
        words = []
        for entry in value:
            klass, type_ = _masked(entry['class'], 'class', 16, 0xFFFF), _masked(entry['type'], 'type', 8, 0xFF)
            data = _hex_masked(entry['data'], 'data', '', lambda n: True)
            words.append('%04x:%02x:%s/%04x:%02x:%s' % (klass[0], type_[0], data[0].hex(), klass[1], type_[1],
                                                        data[1].hex()))
        return ['geneve_opts', ','.join(words)]
    fields = [_fixed_sent(value.get(field[0]), field) for field in ENC_FIELDS[kind]]
    if kind == 'erspan':
        fields.insert(0, (value['version'], value['version']))
    value_format = '%x' if kind == 'gtp' else '%d'  # tc reads gtp's values in hex, the others' as C numbers
    return ['%s_opts' % kind, ':'.join(value_format % f[0] for f in fields) + '/' + ':'.join('0x%x' % f[1] for f in fields)]


# -- mpls (the label stack) --------------------------------------------------------------------------

def normalize_mpls(lses, option):
    """Label stack entries sorted by depth, each with the fields given; None when the kernel would dump
    them as the flat keys mpls_label/tc/bos/ttl instead (a single entry at depth 1 with some field): the
    caller then keeps those."""
    if not isinstance(lses, list) or not lses:
        raise ValidationError('%s: give a list of label stack entries {depth, label, tc, bos, ttl}' % option)
    out = {}
    for index, entry in enumerate(lses):
        at = '%s[%d]' % (option, index)
        entry = dict((k, v) for k, v in entry.items() if v is not None) if isinstance(entry, dict) else None
        if entry is None or set(entry) - set(LSE_ORDER) or 'depth' not in entry:
            raise ValidationError('%s: an entry is {depth, label, tc, bos, ttl}, depth required' % at)
        lse = dict((name, number(entry[name], '%s.%s' % (at, name), 1 if name == 'depth' else 0, limit))
                   for name, _attr, limit in LSE_FIELDS if name in entry)
        if lse['depth'] in out:
            raise ValidationError('%s.depth: %d is given twice' % (at, lse['depth']))
        out[lse['depth']] = dict((name, lse[name]) for name in LSE_ORDER if name in lse)
    return [out[depth] for depth in sorted(out)]


def flat_mpls(lses):
    """The flat keys (mpls_label, ...) a single depth-1 entry with some field reads back as, or None."""
    if len(lses) == 1 and lses[0]['depth'] == 1 and len(lses[0]) > 1:
        return dict(('mpls_' + name, value) for name, value in lses[0].items() if name != 'depth')
    return None


def encode_mpls(lses):
    attrs = dict((name, attr) for name, attr, _limit in LSE_FIELDS)
    return [tc.nla_nested(TCA_FLOWER_KEY_MPLS_OPTS, [tc.nla_nested(MPLS_OPTS_LSE, [
        tc.nla_u32(attrs[name], lse[name]) if name == 'label' else tc.nla_u8(attrs[name], lse[name])
        for name in LSE_ORDER if name in lse]) for lse in lses])]


def decode_mpls(attrs):
    lses = []
    for kind, data in tc.iter_nla(attrs.get(TCA_FLOWER_KEY_MPLS_OPTS)):
        if kind != MPLS_OPTS_LSE:
            continue
        fields = tc.parse_nla(data)
        lse = dict((name, tc.u32(fields[attr], 0) if name == 'label' else tc.u8(fields[attr], 0))
                   for name, attr, _limit in LSE_FIELDS if attr in fields)
        lse.setdefault('depth', 0)
        lses.append(dict((name, lse[name]) for name in LSE_ORDER if name in lse))
    return sorted(lses, key=lambda lse: lse['depth']) or None


def mpls_words(lses):
    words = ['mpls']
    for lse in lses:
        words += ['lse'] + [w for name in LSE_ORDER if name in lse for w in (name, lse[name])]
    return words


OPTIONS = {
    'ct_label': dict(type='str'),
    'mpls': dict(type='list', elements='dict', options=dict(
        depth=dict(type='int', required=True), label=dict(type='int'), tc=dict(type='int'), bos=dict(type='int'),
        ttl=dict(type='int'))),
    'enc_opts': dict(type='dict', options=dict(
        geneve=dict(type='list', elements='dict', options={'class': dict(type='str'), 'type': dict(type='str'),
                                                           'data': dict(type='str', required=True)}),
        vxlan=dict(type='dict', options=dict(gbp=dict(type='str'))),
        erspan=dict(type='dict', options=dict(version=dict(type='int'), index=dict(type='str'),
                                              dir=dict(type='str'), hwid=dict(type='str'))),
        gtp=dict(type='dict', options=dict(pdu_type=dict(type='str'), qfi=dict(type='str'))))),
}

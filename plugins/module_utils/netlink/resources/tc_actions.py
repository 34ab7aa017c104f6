# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tc actions inside a filter (TCA_<kind>_ACT), one entry per action kind: its options, defaults,
netlink layout (linux/tc_act/tc_*.h) and `tc` words.

An action is ``{kind: mirred, mirred: {...}}``; normalized, every option is present with the value the
kernel reports back, so that a gathered action compares equal to the declared one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import socket
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import (
    ETH_TYPE_NAMES, TC_GEN, ActionKind, be16, be32, eth_type, eth_type_number, get_be16, number, verdict,
    verdict_name, verdict_number)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import choice as _choice
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import ip as _ip
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import ipv4 as _ipv4
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import missing as _missing
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_actions_extra import (
    EXTRA_ACTIONS, EXTRA_PARMS_TYPES)


# -- the action kinds ----------------------------------------------------------------------------------
# Each kind: options (argument spec), normalize(opts) -> full opts, encode(opts, ctx) -> options payload,
# decode(attrs, ctx) -> opts, words(opts) -> tc words after `action KIND`. ``control`` (the verdict after
# the action) is common to all: its default is tc's for the kind.

PARMS_TYPES = {'mirred': 2, 'gact': 2, 'skbedit': 2, 'vlan': 2, 'csum': 1, 'connmark': 1, 'simple': 2,
               'nat': 1, 'sample': 2, 'mpls': 2, 'tunnel_key': 2, 'ct': 1}
KERNEL_KINDS = {'simple': 'simple'}  # config name -> TCA_ACT_KIND (all equal today; kept for clarity)

MIRRED_EACTIONS = {('egress', 'redirect'): 1, ('egress', 'mirror'): 2, ('ingress', 'redirect'): 3,
                   ('ingress', 'mirror'): 4}
VLAN_ACTIONS = {'pop': 1, 'push': 2, 'modify': 3}
VLAN_PROTOCOLS = {'802.1q': 0x8100, '802.1ad': 0x88a8}
CSUM_FLAGS = (('ip', 1), ('icmp', 2), ('igmp', 4), ('tcp', 8), ('udp', 16), ('udplite', 32), ('sctp', 64))
MPLS_ACTIONS = {'pop': 1, 'push': 2, 'modify': 3, 'dec_ttl': 4}
SKB_PTYPES = {'host': 0, 'broadcast': 1, 'multicast': 2, 'otherhost': 3}
CT_FLAGS = (('commit', 1), ('force', 2), ('clear', 4))


def _mirred_normalize(o, where):
    return {'action': _choice(o.get('action') or 'redirect', ('redirect', 'mirror'), where + '.action'),
            'direction': _choice(o.get('direction') or 'egress', ('egress', 'ingress'), where + '.direction'),
            'dev': o.get('dev') or _missing(where + '.dev')}


def _mirred_encode(o, ctx):
    if o['dev'] not in ctx.indexes:
        raise ValidationError('mirred: device %r does not exist' % o['dev'])
    return [], struct.pack('=iI', MIRRED_EACTIONS[(o['direction'], o['action'])], ctx.indexes[o['dev']])


def _mirred_decode(attrs, parms, ctx):
    eaction, ifindex = struct.unpack_from('=iI', parms, TC_GEN.size)
    direction, action = dict((v, k) for k, v in MIRRED_EACTIONS.items()).get(eaction, ('egress', str(eaction)))
    return {'action': action, 'direction': direction, 'dev': ctx.names.get(ifindex, str(ifindex))}


def _gact_normalize(o, where):
    return {'action': verdict(o.get('action') or 'pass', where + '.action')}


def _skbedit_normalize(o, where):
    out = {'mark': None, 'mask': None, 'priority': None, 'queue_mapping': None, 'ptype': None}
    if o.get('mark') is not None:
        out['mark'] = number(o['mark'], where + '.mark')
        out['mask'] = number(o['mask'], where + '.mask') if o.get('mask') is not None else 0xFFFFFFFF
    if o.get('priority') is not None:
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter_kinds import (
            classid_text)
        out['priority'] = classid_text(o['priority'], where + '.priority')
    if o.get('queue_mapping') is not None:
        out['queue_mapping'] = number(o['queue_mapping'], where + '.queue_mapping', 0, 0xFFFF)
    if o.get('ptype') is not None:
        out['ptype'] = _choice(o['ptype'], SKB_PTYPES, where + '.ptype')
    return out


def _skbedit_encode(o, ctx):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter_kinds import (
        classid_number)
    attrs = []
    if o['priority'] is not None:
        attrs.append(tc.nla_u32(3, classid_number(o['priority'])))
    if o['queue_mapping'] is not None:
        attrs.append(tc.nla_u16(4, o['queue_mapping']))
    if o['mark'] is not None:
        attrs.append(tc.nla_u32(5, o['mark']))
        if o['mask'] != 0xFFFFFFFF:
            attrs.append(tc.nla_u32(8, o['mask']))
    if o['ptype'] is not None:
        attrs.append(tc.nla_u16(7, SKB_PTYPES[o['ptype']]))
    return attrs, b''


def _skbedit_decode(attrs, parms, ctx):
    mark = tc.u32(attrs.get(5))
    ptype = tc.u16(attrs.get(7))
    return {'mark': mark, 'mask': (tc.u32(attrs.get(8)) if 8 in attrs else 0xFFFFFFFF) if mark is not None else None,
            'priority': tc.format_handle(tc.u32(attrs.get(3))) if 3 in attrs else None,
            'queue_mapping': tc.u16(attrs.get(4)),
            'ptype': dict((v, k) for k, v in SKB_PTYPES.items()).get(ptype) if ptype is not None else None}


def _skbedit_words(o):
    words = []
    if o['mark'] is not None:
        words += ['mark', '%d' % o['mark'] + ('/0x%x' % o['mask'] if o['mask'] != 0xFFFFFFFF else '')]
    for name in ('priority', 'queue_mapping', 'ptype'):
        if o[name] is not None:
            words += [name, o[name]]
    return words


def _vlan_normalize(o, where):
    action = _choice(o.get('action') or 'push', VLAN_ACTIONS, where + '.action')
    if action == 'pop':
        return {'action': 'pop', 'id': None, 'protocol': None, 'priority': None}
    return {'action': action,
            'id': number(o['id'] if o.get('id') is not None else _missing(where + '.id'), where + '.id', 0, 4095),
            'protocol': _choice(str(o.get('protocol') or '802.1q').lower(), VLAN_PROTOCOLS, where + '.protocol'),
            'priority': number(o.get('priority') or 0, where + '.priority', 0, 7)}


def _vlan_encode(o, ctx):
    attrs = []
    if o['action'] != 'pop':
        attrs = [tc.nla_u16(3, o['id']), tc.nla(4, be16(VLAN_PROTOCOLS[o['protocol']])), tc.nla_u8(6, o['priority'])]
    return attrs, struct.pack('=i', VLAN_ACTIONS[o['action']])


def _vlan_decode(attrs, parms, ctx):
    action = dict((v, k) for k, v in VLAN_ACTIONS.items()).get(struct.unpack_from('=i', parms, TC_GEN.size)[0])
    if action == 'pop':
        return {'action': 'pop', 'id': None, 'protocol': None, 'priority': None}
    protocol = get_be16(attrs, 4)
    return {'action': action, 'id': tc.u16(attrs.get(3)),
            'protocol': dict((v, k) for k, v in VLAN_PROTOCOLS.items()).get(protocol, '802.1q'),
            'priority': tc.u8(attrs.get(6)) or 0}


def _vlan_words(o):
    if o['action'] == 'pop':
        return ['pop']
    return [o['action'], 'id', o['id'], 'protocol', o['protocol'], 'priority', o['priority']]


def _csum_normalize(o, where):
    names = [name for name, _bit in CSUM_FLAGS]
    update = o.get('update') or _missing(where + '.update')
    for name in update:
        _choice(name, names, where + '.update')
    return {'update': [name for name in names if name in update]}


def _csum_decode(attrs, parms, ctx):
    flags = struct.unpack_from('=I', parms, TC_GEN.size)[0]
    return {'update': [name for name, bit in CSUM_FLAGS if flags & bit]}


def _nat_normalize(o, where):
    try:
        old = ipaddress.IPv4Network(str(o.get('old') or _missing(where + '.old')), strict=False)
    except ValueError:
        raise ValidationError('%s.old: %r is not an IPv4 address or prefix' % (where, o.get('old')))
    return {'direction': _choice(o.get('direction') or 'ingress', ('ingress', 'egress'), where + '.direction'),
            'old': str(old) if old.prefixlen != 32 else str(old.network_address),
            'new': _ipv4(o.get('new') or _missing(where + '.new'), where + '.new')}


def _nat_encode(o, ctx):
    old = ipaddress.IPv4Network(o['old'])
    return [], (old.network_address.packed + ipaddress.IPv4Address(o['new']).packed + old.netmask.packed
                + struct.pack('=I', 1 if o['direction'] == 'egress' else 0))


def _nat_decode(attrs, parms, ctx):
    old, new, mask, flags = struct.unpack_from('=4s4s4sI', parms, TC_GEN.size)
    network = ipaddress.IPv4Network((socket.inet_ntoa(old), socket.inet_ntoa(mask)))
    return {'direction': 'egress' if flags & 1 else 'ingress',
            'old': str(network) if network.prefixlen != 32 else str(network.network_address),
            'new': socket.inet_ntoa(new)}


def _sample_normalize(o, where):
    return {'rate': number(o.get('rate') or _missing(where + '.rate'), where + '.rate', 1),
            'group': number(o.get('group') or _missing(where + '.group'), where + '.group'),
            'trunc': number(o['trunc'], where + '.trunc') if o.get('trunc') is not None else None}


def _sample_encode(o, ctx):
    attrs = [tc.nla_u32(3, o['rate']), tc.nla_u32(5, o['group'])]
    if o['trunc'] is not None:
        attrs.append(tc.nla_u32(4, o['trunc']))
    return attrs, b''


def _mpls_normalize(o, where):
    action = _choice(o.get('action') or _missing(where + '.action'), MPLS_ACTIONS, where + '.action')
    out = {'action': action, 'protocol': None, 'label': None, 'tc': None, 'ttl': None, 'bos': None}
    if o.get('protocol') is not None:
        out['protocol'] = eth_type(o['protocol'], where + '.protocol')
    elif action in ('pop', 'push'):
        out['protocol'] = 'ip' if action == 'pop' else 'mpls_uc'
    for name, high in (('label', 0xFFFFF), ('tc', 7), ('ttl', 255), ('bos', 1)):
        if o.get(name) is not None:
            out[name] = number(o[name], '%s.%s' % (where, name), 0, high)
    if action == 'push' and out['label'] is None:
        _missing(where + '.label')
    return out


def _mpls_encode(o, ctx):
    attrs = []
    if o['protocol'] is not None:
        attrs.append(tc.nla(4, be16(eth_type_number(o['protocol']))))
    for name, kind, pack in (('label', 5, tc.nla_u32), ('tc', 6, tc.nla_u8), ('ttl', 7, tc.nla_u8), ('bos', 8, tc.nla_u8)):
        if o[name] is not None:
            attrs.append(pack(kind, o[name]))
    return attrs, struct.pack('=i', MPLS_ACTIONS[o['action']])


def _mpls_decode(attrs, parms, ctx):
    action = dict((v, k) for k, v in MPLS_ACTIONS.items()).get(struct.unpack_from('=i', parms, TC_GEN.size)[0])
    protocol = get_be16(attrs, 4)
    return {'action': action, 'protocol': ETH_TYPE_NAMES.get(protocol, '0x%04x' % protocol) if protocol else None,
            'label': tc.u32(attrs.get(5)), 'tc': tc.u8(attrs.get(6)), 'ttl': tc.u8(attrs.get(7)), 'bos': tc.u8(attrs.get(8))}


def _mpls_words(o):
    words = [o['action']]
    for name in ('protocol', 'label', 'tc', 'ttl', 'bos'):
        if o[name] is not None:
            words += [name, o[name]]
    return words


def _tunnel_key_normalize(o, where):
    action = _choice(o.get('action') or 'set', ('set', 'unset'), where + '.action')
    out = {'action': action, 'src_ip': None, 'dst_ip': None, 'id': None, 'dst_port': None, 'tos': None,
           'ttl': None, 'csum': None}
    if action == 'unset':
        return out
    for name in ('src_ip', 'dst_ip'):
        if o.get(name) is not None:
            out[name] = _ip(o[name], '%s.%s' % (where, name))
    for name, high in (('id', 0xFFFFFFFF), ('dst_port', 0xFFFF), ('tos', 255), ('ttl', 255)):
        if o.get(name) is not None:
            out[name] = number(o[name], '%s.%s' % (where, name), 0, high)
    out['csum'] = True if o.get('csum') is None else bool(o['csum'])
    return out


def _tunnel_key_encode(o, ctx):
    attrs = []
    for name, v4, v6 in (('src_ip', 3, 5), ('dst_ip', 4, 6)):
        if o[name] is not None:
            address = ipaddress.ip_address(o[name])
            attrs.append(tc.nla(v4 if address.version == 4 else v6, address.packed))
    if o['id'] is not None:
        attrs.append(tc.nla(7, be32(o['id'])))
    if o['dst_port'] is not None:
        attrs.append(tc.nla(9, be16(o['dst_port'])))
    if o['action'] == 'set':
        attrs.append(tc.nla_u8(10, 0 if o['csum'] else 1))
    for name, kind in (('tos', 12), ('ttl', 13)):
        if o[name] is not None:
            attrs.append(tc.nla_u8(kind, o[name]))
    return attrs, struct.pack('=i', 1 if o['action'] == 'set' else 2)


def _tunnel_key_decode(attrs, parms, ctx):
    action = 'set' if struct.unpack_from('=i', parms, TC_GEN.size)[0] == 1 else 'unset'
    out = {'action': action, 'src_ip': None, 'dst_ip': None, 'id': None, 'dst_port': None, 'tos': None,
           'ttl': None, 'csum': None}
    if action == 'unset':
        return out
    for name, v4, v6 in (('src_ip', 3, 5), ('dst_ip', 4, 6)):
        for kind in (v4, v6):
            if kind in attrs:
                out[name] = str(ipaddress.ip_address(attrs[kind]))
    out['id'] = struct.unpack('>I', attrs[7][:4])[0] if 7 in attrs else None
    out['dst_port'] = get_be16(attrs, 9)
    out['tos'], out['ttl'] = tc.u8(attrs.get(12)), tc.u8(attrs.get(13))
    out['csum'] = not tc.u8(attrs.get(10))
    return out


def _tunnel_key_words(o):
    if o['action'] == 'unset':
        return ['unset']
    words = ['set']
    for name in ('src_ip', 'dst_ip', 'id', 'dst_port', 'tos', 'ttl'):
        if o[name] is not None:
            words += [name, o[name]]
    return words + ([] if o['csum'] else ['nocsum'])


def _ct_normalize(o, where):
    out = dict((name, bool(o.get(name))) for name, _bit in CT_FLAGS)
    out['zone'] = number(o.get('zone') or 0, where + '.zone', 0, 0xFFFF)
    out['mark'] = number(o['mark'], where + '.mark') if o.get('mark') is not None else None
    out['mark_mask'] = (number(o['mark_mask'], where + '.mark_mask') if o.get('mark_mask') is not None
                        else 0xFFFFFFFF) if out['mark'] is not None else None
    return out


def _ct_encode(o, ctx):
    attrs = [tc.nla_u16(3, sum(bit for name, bit in CT_FLAGS if o[name]))]
    if o['zone']:
        attrs.append(tc.nla_u16(4, o['zone']))
    if o['mark'] is not None:
        attrs += [tc.nla_u32(5, o['mark']), tc.nla_u32(6, o['mark_mask'])]
    return attrs, b''


def _ct_decode(attrs, parms, ctx):
    flags = tc.u16(attrs.get(3)) or 0
    out = dict((name, bool(flags & bit)) for name, bit in CT_FLAGS)
    out.update(zone=tc.u16(attrs.get(4)) or 0, mark=tc.u32(attrs.get(5)),
               mark_mask=tc.u32(attrs.get(6)) if 5 in attrs else None)
    return out


def _ct_words(o):
    words = [name for name, _bit in CT_FLAGS if o[name]]
    if o['zone']:
        words += ['zone', o['zone']]
    if o['mark'] is not None:
        words += ['mark', '%d/0x%x' % (o['mark'], o['mark_mask'])]
    return words


def _no_extra(o, ctx):
    return [], b''


ACTIONS = {
    'mirred': ActionKind(
        dict(action=dict(type='str'),
             direction=dict(type='str'), dev=dict(type='str')),
        None, _mirred_normalize, _mirred_encode, _mirred_decode,
        lambda o: [o['direction'], o['action'], 'dev', o['dev']],
        control=lambda o: 'stolen' if o['action'] == 'redirect' else 'pipe'),
    'gact': ActionKind(dict(action=dict(type='str')), None, _gact_normalize, _no_extra,
                       lambda attrs, parms, ctx: {}, lambda o: [o['action']]),
    'skbedit': ActionKind(
        dict(mark=dict(type='str'), mask=dict(type='str'), priority=dict(type='str'), queue_mapping=dict(type='int'),
             ptype=dict(type='str')),
        'pipe', _skbedit_normalize, _skbedit_encode, _skbedit_decode, _skbedit_words),
    'vlan': ActionKind(
        dict(action=dict(type='str'), id=dict(type='int'),
             protocol=dict(type='str'), priority=dict(type='int')),
        'pipe', _vlan_normalize, _vlan_encode, _vlan_decode, _vlan_words),
    'csum': ActionKind(dict(update=dict(type='list', elements='str')),
                       'pass', _csum_normalize,
                       lambda o, ctx: ([], struct.pack('=I', sum(bit for name, bit in CSUM_FLAGS if name in o['update']))),
                       _csum_decode, lambda o: list(o['update'])),
    'connmark': ActionKind(dict(zone=dict(type='int')), 'pipe',
                           lambda o, where: {'zone': number(o.get('zone') or 0, where + '.zone', 0, 0xFFFF)},
                           # struct tc_connmark with its tail padding: the kernel wants all 24 bytes (ERANGE)
                           lambda o, ctx: ([], struct.pack('=H2x', o['zone'])),
                           lambda attrs, parms, ctx: {'zone': struct.unpack_from('=H', parms, TC_GEN.size)[0]},
                           lambda o: ['zone', o['zone']]),
    'simple': ActionKind(dict(sdata=dict(type='str')), 'pipe',
                         lambda o, where: {'sdata': str(o.get('sdata') or _missing(where + '.sdata'))},
                         lambda o, ctx: ([tc.nla_string(3, o['sdata'])], b''),
                         lambda attrs, parms, ctx: {'sdata': tc.string(attrs.get(3))},
                         lambda o: ['sdata', o['sdata']]),
    'nat': ActionKind(dict(direction=dict(type='str'), old=dict(type='str'),
                           new=dict(type='str')),
                      'pass', _nat_normalize, _nat_encode, _nat_decode,
                      lambda o: [o['direction'], o['old'], o['new']]),
    'sample': ActionKind(dict(rate=dict(type='int'), group=dict(type='int'), trunc=dict(type='int')), 'pipe',
                         _sample_normalize, _sample_encode,
                         lambda attrs, parms, ctx: {'rate': tc.u32(attrs.get(3)), 'group': tc.u32(attrs.get(5)),
                                                    'trunc': tc.u32(attrs.get(4))},
                         lambda o: ['rate', o['rate'], 'group', o['group']]
                         + (['trunc', o['trunc']] if o['trunc'] is not None else [])),
    'mpls': ActionKind(
        dict(action=dict(type='str'), protocol=dict(type='str'), label=dict(type='int'),
             tc=dict(type='int'), ttl=dict(type='int'), bos=dict(type='int')),
        'pipe', _mpls_normalize, _mpls_encode, _mpls_decode, _mpls_words),
    'tunnel_key': ActionKind(
        dict(action=dict(type='str'), src_ip=dict(type='str'), dst_ip=dict(type='str'),
             id=dict(type='int'), dst_port=dict(type='int'), tos=dict(type='int'), ttl=dict(type='int'),
             csum=dict(type='bool')),
        'pipe', _tunnel_key_normalize, _tunnel_key_encode, _tunnel_key_decode, _tunnel_key_words),
    'ct': ActionKind(
        dict(commit=dict(type='bool'), force=dict(type='bool'), clear=dict(type='bool'), zone=dict(type='int'),
             mark=dict(type='str'), mark_mask=dict(type='str')),
        'pipe', _ct_normalize, _ct_encode, _ct_decode, _ct_words),
}

ACTIONS.update(EXTRA_ACTIONS)
PARMS_TYPES.update(EXTRA_PARMS_TYPES)

ACTION_OPTIONS = dict(kind=dict(type='str', required=True, choices=sorted(ACTIONS)),
                      control=dict(type='str'),
                      **dict((name, dict(type='dict', options=kind.options, no_log=False)) for name, kind in ACTIONS.items()))

# TCA_ACT_* (linux/pkt_cls.h)
TCA_ACT_KIND, TCA_ACT_OPTIONS = 1, 2


def normalize_actions(actions, where='actions'):
    """Each action with every option filled in, as the kernel reports it back."""
    out = []
    for index, action in enumerate(actions or []):
        at = '%s[%d]' % (where, index)
        kind = action.get('kind')
        if kind not in ACTIONS:
            raise ValidationError('%s.kind: %r is not an action kind; use one of %s'
                                  % (at, kind, ', '.join(sorted(ACTIONS))))
        for other in ACTIONS:
            if other != kind and action.get(other) is not None:
                raise ValidationError('%s: options %s given for an action of kind %s' % (at, other, kind))
        spec = ACTIONS[kind]
        opts = spec.normalize(dict((k, v) for k, v in (action.get(kind) or {}).items() if v is not None),
                              '%s.%s' % (at, kind))
        if kind == 'gact' or spec.verdicts:
            if action.get('control') is not None:
                raise ValidationError('%s.control: %s has its own verdicts, not a control' % (at, kind))
            out.append({'kind': kind, kind: opts})
            continue
        control = action.get('control')
        control = verdict(control, at + '.control') if control is not None else (
            spec.control(opts) if spec.control else spec.default_control)
        out.append({'kind': kind, kind: opts, 'control': control})
    return out


def encode_actions(actions, ctx):
    """The payload of a TCA_<classifier>_ACT nest: one nest per action, numbered from 1 in order."""
    payload = b''
    for order, action in enumerate(actions, 1):
        kind = action['kind']
        spec = ACTIONS[kind]
        extra_attrs, extra_parms = spec.encode(action[kind], ctx)
        if spec.verdicts:  # its own parameter struct (police): encode gave the whole payload
            options = b''.join(extra_attrs)
        else:
            control = action[kind]['action'] if kind == 'gact' else action['control']
            parms = TC_GEN.pack(0, 0, verdict_number(control), 0, 0) + extra_parms
            options = tc.nla(PARMS_TYPES[kind], parms) + b''.join(extra_attrs)
        # the options nest flagged: mpls, tunnel_key, ct, ctinfo and gate parse them strictly
        payload += tc.nla(order, tc.nla_string(TCA_ACT_KIND, KERNEL_KINDS.get(kind, kind))
                          + tc.nla_nested(TCA_ACT_OPTIONS, [options]))
    return payload


def decode_actions(payload, ctx):
    actions = []
    for _order, data in sorted(tc.iter_nla(payload)):
        attrs = tc.parse_nla(data)
        kind = tc.string(attrs.get(TCA_ACT_KIND))
        if kind not in ACTIONS:
            actions.append({'kind': kind})  # an action this module does not manage: shown, never equal
            continue
        options = tc.parse_nla(attrs.get(TCA_ACT_OPTIONS, b''))
        if ACTIONS[kind].verdicts:
            actions.append({'kind': kind, kind: ACTIONS[kind].decode(options, None, ctx)})
            continue
        parms = bytes(options.get(PARMS_TYPES[kind]) or b'').ljust(TC_GEN.size, b'\0')  # decode is total
        control = verdict_name(TC_GEN.unpack_from(parms)[2])
        opts = ACTIONS[kind].decode(options, parms, ctx)
        if kind == 'gact':
            actions.append({'kind': kind, kind: {'action': control}})
        else:
            actions.append({'kind': kind, kind: opts, 'control': control})
    return actions


def action_words(actions):
    """The actions in `tc filter add` syntax."""
    words = []
    for action in actions:
        kind = action['kind']
        words += ['action', kind] + [str(w) for w in ACTIONS[kind].words(action[kind])]
        spec = ACTIONS[kind]
        default = spec.control(action[kind]) if spec.control else spec.default_control
        if kind != 'gact' and not spec.verdicts and action['control'] != default:  # tc has no word for some defaults (stolen)
            words.append(action['control'])
    return words

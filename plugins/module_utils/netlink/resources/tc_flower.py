# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flower classifier of nl_tc_filter: its keys, their normalized form, the TCA_FLOWER_* layout
(linux/pkt_cls.h) and the `tc filter ... flower` words.

Keys are sparse: only the keys declared (or dumped) are present. A value with a full mask is written
plainly (``ip_ttl: 64``, ``dst_ip: 10.0.0.1``), a partial mask as ``VALUE/MASK`` (``ip_tos: 0x10/0xfc``,
``dst_ip: 10.0.0.0/8``); the kernel treats a missing mask as a full one, and reads back the mask it was
given, so both spellings survive a round trip. The ethertype is the filter's ``protocol`` (tc does the
same): the kernel only honours L3/L4 keys under the matching ethertype and ignores the rest silently, so
such keys are refused here instead of never reading back.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import (
    eth_type, eth_type_number, number)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_flower_opts as opts_

TCA_FLOWER_CLASSID, TCA_FLOWER_INDEV, TCA_FLOWER_ACT, TCA_FLOWER_KEY_ETH_TYPE, TCA_FLOWER_KEY_IP_PROTO = 1, 2, 3, 8, 9
TCA_FLOWER_FLAGS = 22
TCA_FLOWER_KEY_VLAN_ETH_TYPE, TCA_FLOWER_KEY_CVLAN_ETH_TYPE = 25, 79
SKIP_HW, SKIP_SW = 1, 2
IP_PROTOS = {'tcp': 6, 'udp': 17, 'sctp': 132, 'icmp': 1, 'icmpv6': 58, 'l2tp': 115}
IP_PROTO_NAMES = dict((v, k) for k, v in IP_PROTOS.items())
TC_IP_PROTOS = ('tcp', 'udp', 'sctp', 'icmp', 'icmpv6')  # the names tc reads
VLAN_TYPES = ('802.1q', '802.1ad')
PPPOE_SESSION = '0x8864'  # ETH_P_PPP_SES: the ethertype pppoe_sid and ppp_proto sit under
TCA_FLOWER_KEY_PPP_PROTO = 104
# PPP protocol numbers (linux/ppp_defs.h) in tc's words, with the ethertype the kernel then matches L3 keys under
# (fl_set_key_pppoe: IP and IPv6 only; MPLS inside PPPoE takes no MPLS keys)
PPP_PROTOS = {'ip': (0x21, 'ip'), 'ipv6': (0x57, 'ipv6'), 'mpls_uc': (0x281, None), 'mpls_mc': (0x283, None)}
PPP_PROTO_NAMES = dict((v[0], k) for k, v in PPP_PROTOS.items())
# TCA_FLOWER_KEY_CT_FLAGS_* in tc's words and order
CT_STATES = (('trk', 8), ('new', 1), ('est', 2), ('rel', 4), ('inv', 16), ('rpl', 32))
IP_FLAGS = (('frag', 1), ('firstfrag', 2))  # TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, _FRAG_IS_FIRST
ARP_OPS = {'request': 1, 'reply': 2}
PORT_ATTRS = {  # ip_proto: (src, src mask, dst, dst mask)
    'tcp': (18, 35, 19, 36), 'udp': (20, 37, 21, 38), 'sctp': (41, 39, 42, 40)}
PORT_RANGE = {'src_port': (87, 88), 'dst_port': (89, 90)}  # TCA_FLOWER_KEY_PORT_{SRC,DST}_{MIN,MAX}
ICMP_ATTRS = {  # ip_proto: {option: (attr, mask attr)}
    'icmp': {'icmp_type': (51, 52), 'icmp_code': (49, 50)}, 'icmpv6': {'icmp_type': (55, 56), 'icmp_code': (53, 54)}}
ADDRESS_ATTRS = {  # option: ((v4 attr, mask), (v6 attr, mask)); arp addresses are IPv4 only
    'src_ip': ((10, 11), (14, 15)), 'dst_ip': ((12, 13), (16, 17)),
    'enc_src_ip': ((27, 28), (31, 32)), 'enc_dst_ip': ((29, 30), (33, 34)),
    'arp_sip': ((57, 58), None), 'arp_tip': ((59, 60), None)}
MAC_ATTRS = {'dst_mac': (4, 5), 'src_mac': (6, 7), 'arp_sha': (63, 64), 'arp_tha': (65, 66)}
# numbers with an optional mask: option -> (attr, mask attr or None, struct format, needs)
NUMBERS = {
    'vlan_id': (23, None, '=H', 'vlan'), 'vlan_prio': (24, None, '=B', 'vlan'),
    'cvlan_id': (77, None, '=H', 'cvlan'), 'cvlan_prio': (78, None, '=B', 'cvlan'),
    'ip_tos': (73, 74, '=B', 'ip'), 'ip_ttl': (75, 76, '=B', 'ip'), 'tcp_flags': (71, 72, '>H', 'tcp'),
    'mpls_label': (70, None, '=I', 'mpls'), 'mpls_tc': (69, None, '=B', 'mpls'),
    'mpls_bos': (68, None, '=B', 'mpls'), 'mpls_ttl': (67, None, '=B', 'mpls'),
    'enc_key_id': (26, None, '>I', None), 'enc_src_port': (43, 44, '>H', None),
    'enc_dst_port': (45, 46, '>H', None), 'enc_tos': (80, 81, '=B', None), 'enc_ttl': (82, 83, '=B', None),
    'ct_zone': (93, 94, '=H', None), 'ct_mark': (95, 96, '=I', None), 'arp_op': (61, 62, '=B', 'arp'),
    'hash': (100, 101, '=I', None), 'num_of_vlans': (102, None, '=B', None),
    'pppoe_sid': (103, None, '>H', 'pppoe'), 'l2tpv3_sid': (105, None, '>I', 'l2tp')}
NUMBER_LIMITS = {'vlan_id': 4095, 'cvlan_id': 4095, 'vlan_prio': 7, 'cvlan_prio': 7, 'mpls_label': 0xFFFFF,
                 'mpls_tc': 7, 'mpls_bos': 1, 'tcp_flags': 0xFFF}
ORDER = ('indev', 'num_of_vlans', 'dst_mac', 'src_mac', 'vlan_id', 'vlan_prio', 'vlan_ethtype', 'cvlan_id',
         'cvlan_prio', 'cvlan_ethtype', 'pppoe_sid', 'ppp_proto', 'mpls_label', 'mpls_tc', 'mpls_bos', 'mpls_ttl',
         'mpls', 'ip_proto', 'ip_tos', 'ip_ttl', 'dst_ip', 'src_ip', 'dst_port', 'src_port', 'tcp_flags',
         'icmp_type', 'icmp_code', 'l2tpv3_sid', 'arp_tip', 'arp_sip', 'arp_op', 'arp_sha', 'arp_tha', 'ip_flags',
         'enc_key_id', 'enc_dst_ip', 'enc_src_ip', 'enc_dst_port', 'enc_src_port', 'enc_tos', 'enc_ttl', 'enc_opts',
         'ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'hash', 'classid', 'skip_hw', 'skip_sw')
STRUCTURED = ('mpls', 'enc_opts', 'ct_label')  # their layout is in tc_flower_opts.py
_MAC = re.compile(r'^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$')


def _bits(fmt):
    return 8 * struct.calcsize(fmt)


def _masked(value, option, bits, limit=None):
    """A number with an optional /MASK: (value, mask)."""
    full = (1 << bits) - 1
    text = str(value)
    val, _sep, mask = text.partition('/')
    return number(val, option, 0, limit or full), number(mask, option + ' mask', 0, full) if _sep else full


def _masked_text(value, mask, bits):
    return value if mask == (1 << bits) - 1 else '0x%x/0x%x' % (value, mask)


def _mac(text, option):
    mac, _sep, mask = str(text).lower().partition('/')
    if not _MAC.match(mac):
        raise ValidationError('%s: %r is not a MAC address (aa:bb:cc:dd:ee:ff[/MASK or /LENGTH])' % (option, text))
    raw = bytes(int(b, 16) for b in mac.split(':'))
    if not _sep:
        return raw, b'\xff' * 6
    if mask.isdigit() and int(mask) <= 48:
        bits = ((1 << int(mask)) - 1) << (48 - int(mask))
        return raw, struct.pack('>Q', bits)[2:]
    if not _MAC.match(mask):
        raise ValidationError('%s: %r has a mask that is neither a MAC address nor a length' % (option, text))
    return raw, bytes(int(b, 16) for b in mask.split(':'))


def _mac_text(raw, mask):
    text = ':'.join('%02x' % b for b in bytearray(raw))
    return text if mask == b'\xff' * 6 else text + '/' + ':'.join('%02x' % b for b in bytearray(mask))


def _network(value, option, versions=(4, 6)):
    try:
        network = ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        network = None
    if network is None or network.version not in versions:
        raise ValidationError('%s: %r is not an IPv%s address or prefix' % (option, value, '/IPv'.join(
            str(v) for v in versions)))
    return network


def _network_text(network):
    return str(network.network_address) if network.prefixlen == network.max_prefixlen else str(network)


def _address_text(raw, mask):
    """A dumped address and mask: a prefix where the mask is one (what the kernel is given from here)."""
    address = ipaddress.ip_address(raw)
    bits = int.from_bytes(mask[:len(raw)], 'big')
    width = 8 * len(raw)
    length = width - (((1 << width) - 1) ^ bits).bit_length()
    if bits != ((1 << width) - 1) ^ ((1 << (width - length)) - 1):
        return '%s/%s' % (address, ipaddress.ip_address(mask[:len(raw)]))  # not a prefix: address/mask
    return _network_text(ipaddress.ip_network((address, length), strict=False))


def _flags(text, names, option, minus='-'):
    """ct_state '+trk+est-new' / ip_flags 'frag/nofirstfrag' as (value, mask)."""
    value = mask = 0
    if minus == '-':
        words = re.findall(r'([+-])([a-z]+)', str(text)) if re.match(r'^([+-][a-z]+)+$', str(text)) else None
    else:
        words = [('-', w[2:]) if w.startswith('no') else ('+', w) for w in str(text).split('/')]
    table = dict(names)
    if not words or any(name not in table for _sign, name in words):
        raise ValidationError('%s: %r is not a combination of %s' % (option, text, ', '.join(
            ('+%s/-%s' if minus == '-' else '%s/no%s') % (n, n) for n, _b in names)))
    for sign, name in words:
        mask |= table[name]
        value |= table[name] if sign == '+' else 0
    return value, mask


def _flags_text(value, mask, names, minus='-'):
    if minus == '-':
        return ''.join(('+' if value & bit else '-') + name for name, bit in names if mask & bit)
    return '/'.join(('' if value & bit else 'no') + name for name, bit in names if mask & bit)


def _arp_op(value):
    op, sep, mask = str(value).lower().partition('/')
    return str(ARP_OPS.get(op, op)) + sep + mask


def _arp_op_text(value):
    names = dict((v, k) for k, v in ARP_OPS.items())
    return names.get(value, value)


def _port(value, option):
    text = str(value)
    if '-' in text:
        low, high = [number(p, option, 0, 0xFFFF) for p in text.split('-', 1)]
        if low >= high:
            raise ValidationError('%s: %r is not a range LOW-HIGH with LOW below HIGH' % (option, value))
        return '%d-%d' % (low, high)
    port, mask = _masked(text, option, 16)
    return _masked_text(port, mask, 16)


def ethertypes(protocol, o):
    """The ethertype the L3 keys sit under: the protocol, the (inner) VLAN's ethertype, or PPPoE's."""
    if protocol == PPPOE_SESSION:
        return PPP_PROTOS.get(o.get('ppp_proto'), (None, None))[1]
    if protocol in VLAN_TYPES:
        inner = o.get('vlan_ethtype')
        return o.get('cvlan_ethtype') if inner in VLAN_TYPES else inner
    return protocol


def _require(o, option, needs, protocol, where):
    l3 = ethertypes(protocol, o)
    checks = {'ip': (l3 in ('ip', 'ipv6'), 'protocol (or vlan_ethtype) ip or ipv6'),
              'tcp': (o.get('ip_proto') == 'tcp', 'ip_proto tcp'),
              'vlan': (protocol in VLAN_TYPES, 'protocol 802.1q or 802.1ad'),
              'cvlan': (protocol in VLAN_TYPES and o.get('vlan_ethtype') in VLAN_TYPES,
                        'protocol and vlan_ethtype 802.1q or 802.1ad'),
              'mpls': (l3 in ('mpls_uc', 'mpls_mc'), 'protocol mpls_uc or mpls_mc'),
              'arp': (l3 == 'arp', 'protocol arp'),
              'pppoe': (protocol == PPPOE_SESSION, 'protocol 0x8864 (PPPoE session)'),
              'l2tp': (o.get('ip_proto') == 'l2tp', 'ip_proto l2tp (115)'),
              'ports': (o.get('ip_proto') in PORT_ATTRS, 'ip_proto tcp, udp or sctp'),
              'icmp': (o.get('ip_proto') in ICMP_ATTRS, 'ip_proto icmp or icmpv6')}
    ok, what = checks[needs]
    if not ok:
        raise ValidationError('%s.%s needs %s (the kernel ignores it otherwise)' % (where, option, what))


def normalize(o, item, where):
    protocol = item.get('protocol') or 'all'
    out = {}
    unknown = sorted(set(o) - set(ORDER))
    if unknown:
        raise ValidationError('%s: %s is not a flower key' % (where, unknown[0]))
    for name in ('vlan_ethtype', 'cvlan_ethtype'):
        if o.get(name) is not None:
            out[name] = eth_type(o[name], '%s.%s' % (where, name))
            _require(dict(o, **out), name, 'vlan' if name == 'vlan_ethtype' else 'cvlan', protocol, where)
    if o.get('ip_proto') is not None:
        text = str(o['ip_proto']).lower()
        value = IP_PROTOS[text] if text in IP_PROTOS else number(text, where + '.ip_proto', 0, 255)
        out['ip_proto'] = IP_PROTO_NAMES.get(value, value)
    if o.get('ppp_proto') is not None:
        _require(o, 'ppp_proto', 'pppoe', protocol, where)
        text = str(o['ppp_proto']).lower()
        value = PPP_PROTOS[text][0] if text in PPP_PROTOS else number(text, where + '.ppp_proto', 0, 0xFFFF)
        out['ppp_proto'] = PPP_PROTO_NAMES.get(value, '0x%04x' % value)
    if o.get('ip_proto') is not None:
        _require(dict(o, **out), 'ip_proto', 'ip', protocol, where)
    l3 = ethertypes(protocol, dict(o, **out))
    for name, value in o.items():
        option = '%s.%s' % (where, name)
        if name == 'ct_label':
            label = opts_.normalize_ct_label(value, option)
            if label:
                out[name] = label
        elif name == 'enc_opts':
            out[name] = opts_.normalize_enc_opts(value, option)
        elif name == 'mpls':
            _require(o, name, 'mpls', protocol, where)
            flat = [key for key in ('mpls_label', 'mpls_tc', 'mpls_bos', 'mpls_ttl') if key in o]
            if flat:
                raise ValidationError('%s.mpls: give the label stack or %s, not both' % (where, ', '.join(flat)))
            lses = opts_.normalize_mpls(value, option)
            out.update(opts_.flat_mpls(lses) or {'mpls': lses})  # how the kernel dumps it back
        elif name in MAC_ATTRS:
            if name.startswith('arp_'):
                _require(o, name, 'arp', protocol, where)
            out[name] = _mac_text(*_mac(value, option))
        elif name in ADDRESS_ATTRS:
            versions = (4, 6)
            if name.startswith('arp_'):
                _require(o, name, 'arp', protocol, where)
                versions = (4,)
            elif not name.startswith('enc_'):
                _require(dict(o, **out), name, 'ip', protocol, where)
                versions = (6,) if l3 == 'ipv6' else (4,)
            network = _network(value, option, versions)
            if network.prefixlen:  # a zero mask matches all and is not dumped back
                out[name] = _network_text(network)
        elif name in NUMBERS:
            attr, mask_attr, fmt, needs = NUMBERS[name]
            if needs:
                _require(dict(o, **out), name, needs, protocol, where)
            limit = NUMBER_LIMITS.get(name)
            val, mask = _masked(_arp_op(value) if name == 'arp_op' else value, option, _bits(fmt), limit) \
                if mask_attr else (number(value, option, 0, limit or (1 << _bits(fmt)) - 1), None)
            out[name] = val if mask is None else _masked_text(val, mask, _bits(fmt))
            if name == 'arp_op':
                out[name] = _arp_op_text(out[name])
        elif name in ('src_port', 'dst_port'):
            _require(dict(o, **out), name, 'ports', protocol, where)
            out[name] = _port(value, option)
        elif name in ('icmp_type', 'icmp_code'):
            _require(dict(o, **out), name, 'icmp', protocol, where)
            val, mask = _masked(value, option, 8)
            out[name] = _masked_text(val, mask, 8)
        elif name == 'ct_state':
            out[name] = _flags_text(*(_flags(value, CT_STATES, option) + (CT_STATES,)))
        elif name == 'ip_flags':
            out[name] = _flags_text(*(_flags(value, IP_FLAGS, option, '/') + (IP_FLAGS, '/')))
        elif name == 'classid':
            out[name] = tc.format_handle(tc.parse_handle(value, option))
        elif name == 'indev':
            out[name] = str(value)
        elif name in ('skip_hw', 'skip_sw') and value:
            out[name] = True
    if out.get('skip_hw') and out.get('skip_sw'):
        raise ValidationError('%s: skip_hw and skip_sw together leave the filter nowhere' % where)
    return dict((k, out[k]) for k in ORDER if k in out)


def encode(o, item, actions, ctx):
    protocol = item.get('protocol') or 'all'
    attrs = []
    if protocol != 'all':
        attrs.append(tc.nla(TCA_FLOWER_KEY_ETH_TYPE, struct.pack('>H', eth_type_number(protocol))))
    if o.get('classid'):
        attrs.append(tc.nla_u32(TCA_FLOWER_CLASSID, tc.parse_handle(o['classid'], 'classid')))
    if o.get('indev'):
        attrs.append(tc.nla_string(TCA_FLOWER_INDEV, o['indev']))
    for name, attr in (('vlan_ethtype', TCA_FLOWER_KEY_VLAN_ETH_TYPE), ('cvlan_ethtype', TCA_FLOWER_KEY_CVLAN_ETH_TYPE)):
        if o.get(name):
            attrs.append(tc.nla(attr, struct.pack('>H', eth_type_number(o[name]))))
    if o.get('ip_proto') is not None:
        attrs.append(tc.nla_u8(TCA_FLOWER_KEY_IP_PROTO, IP_PROTOS.get(o['ip_proto'], o['ip_proto'])))
    if o.get('ppp_proto') is not None:
        value = PPP_PROTOS[o['ppp_proto']][0] if o['ppp_proto'] in PPP_PROTOS else int(o['ppp_proto'], 16)
        attrs.append(tc.nla(TCA_FLOWER_KEY_PPP_PROTO, struct.pack('>H', value)))
    for name in ORDER:
        value = o.get(name)
        if value is None:
            continue
        if name in STRUCTURED:
            attrs += getattr(opts_, 'encode_' + name)(value)
        elif name in MAC_ATTRS:
            raw, mask = _mac(value, name)
            attrs += [tc.nla(MAC_ATTRS[name][0], raw), tc.nla(MAC_ATTRS[name][1], mask)]
        elif name in ADDRESS_ATTRS:
            network = ipaddress.ip_network(value)
            pair = ADDRESS_ATTRS[name][network.version == 6]
            attrs += [tc.nla(pair[0], network.network_address.packed), tc.nla(pair[1], network.netmask.packed)]
        elif name in NUMBERS:
            attr, mask_attr, fmt, _needs = NUMBERS[name]
            val, mask = _masked(_arp_op(value) if name == 'arp_op' else value, name, _bits(fmt))
            attrs.append(tc.nla(attr, struct.pack(fmt, val)))
            if mask_attr:
                attrs.append(tc.nla(mask_attr, struct.pack(fmt, mask)))
        elif name in ('src_port', 'dst_port'):
            text = str(value)
            if '-' in text:
                low, high = PORT_RANGE[name]
                first, _sep, last = text.partition('-')
                attrs += [tc.nla(low, struct.pack('>H', int(first))), tc.nla(high, struct.pack('>H', int(last)))]
            else:
                ports = PORT_ATTRS[o['ip_proto']]
                val, mask = _masked(text, name, 16)
                at = 0 if name == 'src_port' else 2
                attrs += [tc.nla(ports[at], struct.pack('>H', val)), tc.nla(ports[at + 1], struct.pack('>H', mask))]
        elif name in ('icmp_type', 'icmp_code'):
            attr, mask_attr = ICMP_ATTRS[o['ip_proto']][name]
            val, mask = _masked(value, name, 8)
            attrs += [tc.nla_u8(attr, val), tc.nla_u8(mask_attr, mask)]
        elif name == 'ct_state':
            val, mask = _flags(value, CT_STATES, name)
            attrs += [tc.nla_u16(91, val), tc.nla_u16(92, mask)]
        elif name == 'ip_flags':
            val, mask = _flags(value, IP_FLAGS, name, '/')
            attrs += [tc.nla(47, struct.pack('>I', val)), tc.nla(48, struct.pack('>I', mask))]
    flags = (SKIP_HW if o.get('skip_hw') else 0) | (SKIP_SW if o.get('skip_sw') else 0)
    if flags:
        attrs.append(tc.nla_u32(TCA_FLOWER_FLAGS, flags))
    if actions:
        attrs.append(tc.nla(TCA_FLOWER_ACT, actions))
    return attrs


def _fixed_sizes():
    """The size of each fixed-size key attribute the decoder unpacks by hand."""
    sizes = dict((attr, 6) for pair in MAC_ATTRS.values() for attr in pair)
    for v4, v6 in ADDRESS_ATTRS.values():
        sizes.update(dict((attr, 4) for attr in v4))
        sizes.update(dict((attr, 16) for attr in v6 or ()))
    for attrs in list(PORT_ATTRS.values()) + list(PORT_RANGE.values()):
        sizes.update(dict((attr, 2) for attr in attrs))
    for attrs in ICMP_ATTRS.values():
        sizes.update(dict((attr, 1) for pair in attrs.values() for attr in pair))
    sizes.update({TCA_FLOWER_CLASSID: 4, TCA_FLOWER_KEY_IP_PROTO: 1, TCA_FLOWER_KEY_ETH_TYPE: 2,
                  TCA_FLOWER_KEY_VLAN_ETH_TYPE: 2, TCA_FLOWER_KEY_CVLAN_ETH_TYPE: 2, TCA_FLOWER_KEY_PPP_PROTO: 2,
                  47: 4, 48: 4, 91: 2, 92: 2})  # ip_flags and ct_state with their masks
    return sizes


FIXED_SIZES = _fixed_sizes()


def decode(attrs, item, ctx):
    # decode is total: a fixed-size attribute too short is no key, a longer one is cut to its size
    attrs = dict((attr, value[:FIXED_SIZES[attr]] if attr in FIXED_SIZES else value) for attr, value in attrs.items()
                 if len(value or b'') >= FIXED_SIZES.get(attr, 0))
    out = {}
    if TCA_FLOWER_CLASSID in attrs:
        out['classid'] = tc.format_handle(tc.u32(attrs[TCA_FLOWER_CLASSID]))
    if TCA_FLOWER_INDEV in attrs:
        out['indev'] = tc.string(attrs[TCA_FLOWER_INDEV])
    for name, attr in (('vlan_ethtype', TCA_FLOWER_KEY_VLAN_ETH_TYPE), ('cvlan_ethtype', TCA_FLOWER_KEY_CVLAN_ETH_TYPE)):
        if attr in attrs:
            out[name] = eth_type(struct.unpack('>H', attrs[attr][:2])[0], name)
    if TCA_FLOWER_KEY_IP_PROTO in attrs:
        value = tc.u8(attrs[TCA_FLOWER_KEY_IP_PROTO])
        out['ip_proto'] = IP_PROTO_NAMES.get(value, value)
    for name, (attr, mask_attr) in MAC_ATTRS.items():
        if attr in attrs:
            out[name] = _mac_text(attrs[attr][:6], attrs.get(mask_attr, b'\xff' * 6)[:6])
    for name, pairs in ADDRESS_ATTRS.items():
        for pair in [p for p in pairs if p]:
            if pair[0] in attrs:
                out[name] = _address_text(bytes(attrs[pair[0]]), bytes(attrs.get(pair[1], b'\xff' * 16)))
    for name, (attr, mask_attr, fmt, _needs) in NUMBERS.items():
        if len(attrs.get(attr) or b'') >= struct.calcsize(fmt):  # a short attribute is no key (decode is total)
            val = struct.unpack_from(fmt, attrs[attr])[0]
            full = (1 << _bits(fmt)) - 1
            mask = struct.unpack_from(fmt, attrs[mask_attr])[0] if len(
                attrs.get(mask_attr) or b'') >= struct.calcsize(fmt) else full
            out[name] = val if not mask_attr else _masked_text(val, mask, _bits(fmt))
    for name, (low, high) in PORT_RANGE.items():
        if low in attrs and high in attrs:
            out[name] = '%d-%d' % (struct.unpack('>H', attrs[low][:2])[0], struct.unpack('>H', attrs[high][:2])[0])
    ports = PORT_ATTRS.get(out.get('ip_proto'))
    for name, at in (('src_port', 0), ('dst_port', 2)):
        if ports and ports[at] in attrs:
            mask = struct.unpack('>H', attrs[ports[at + 1]][:2])[0] if ports[at + 1] in attrs else 0xFFFF
            out[name] = _masked_text(struct.unpack('>H', attrs[ports[at]][:2])[0], mask, 16)
    for name, (attr, mask_attr) in ICMP_ATTRS.get(out.get('ip_proto'), {}).items():
        if attr in attrs:
            out[name] = _masked_text(tc.u8(attrs[attr]), tc.u8(attrs.get(mask_attr), 0xFF), 8)
    if 91 in attrs:
        out['ct_state'] = _flags_text(tc.u16(attrs[91]), tc.u16(attrs.get(92), 0xFFFF), CT_STATES)
    if 47 in attrs:
        out['ip_flags'] = _flags_text(struct.unpack('>I', attrs[47][:4])[0],
                                      struct.unpack('>I', attrs[48][:4])[0] if 48 in attrs else 0xFFFFFFFF,
                                      IP_FLAGS, '/')
    if 'arp_op' in out:
        out['arp_op'] = _arp_op_text(out['arp_op'])
    if len(attrs.get(TCA_FLOWER_KEY_PPP_PROTO) or b'') >= 2:
        value = struct.unpack('>H', attrs[TCA_FLOWER_KEY_PPP_PROTO][:2])[0]
        out['ppp_proto'] = PPP_PROTO_NAMES.get(value, '0x%04x' % value)
    for name in STRUCTURED:
        value = getattr(opts_, 'decode_' + name)(attrs)
        if value is not None:
            out[name] = value
    flags = tc.u32(attrs.get(TCA_FLOWER_FLAGS), 0)
    for name, bit in (('skip_hw', SKIP_HW), ('skip_sw', SKIP_SW)):
        if flags & bit:
            out[name] = True
    return dict((k, out[k]) for k in ORDER if k in out), attrs.get(TCA_FLOWER_ACT)


def words(o):
    out = []
    for name in ORDER:
        if name == 'mpls' and name in o:
            out += opts_.mpls_words(o[name])
        elif name == 'enc_opts' and name in o:
            out += opts_.enc_opts_words(o[name])
        elif name == 'ip_proto' and name in o and o[name] not in TC_IP_PROTOS:  # tc reads a number in hex
            out += [name, '0x%x' % IP_PROTOS.get(o[name], o[name])]
        elif name in o and name not in ('skip_hw', 'skip_sw'):
            out += [{'icmp_type': 'type', 'icmp_code': 'code'}.get(name, name), o[name]]
    return out + [name for name in ('skip_hw', 'skip_sw') if o.get(name)]


OPTIONS = dict(
    dict((name, dict(type='str')) for name in ORDER if name not in ('skip_hw', 'skip_sw') + STRUCTURED),
    skip_hw=dict(type='bool'), skip_sw=dict(type='bool'), **opts_.OPTIONS)

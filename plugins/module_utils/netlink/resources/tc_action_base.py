# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every tc action kind of nl_tc_filter shares: numbers and verdicts in tc's words, ethertypes,
struct tc_gen, and the ActionKind record (tc_actions.py and tc_actions_extra.py hold the kinds)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

TC_GEN = struct.Struct('=IIiii')  # index, capab, action, refcnt, bindcnt


def be16(value):
    return struct.pack('>H', value)


def be32(value):
    return struct.pack('>I', value)


def get_be16(attrs, kind):
    return struct.unpack('>H', attrs[kind][:2])[0] if kind in attrs else None


def number(value, option, low=0, high=0xFFFFFFFF):
    """An integer given as a number or a decimal/0x string, within bounds."""
    try:
        result = int(str(value), 0)
    except (TypeError, ValueError):
        result = None
    if result is None or not low <= result <= high:
        raise ValidationError('%s: %r is not a number from %d to %d (decimal or 0x hexadecimal)'
                              % (option, value, low, high))
    return result


# -- verdicts (TC_ACT_* in linux/pkt_cls.h) ------------------------------------------------------------

VERDICTS = {'continue': -1, 'pass': 0, 'reclassify': 1, 'drop': 2, 'pipe': 3, 'stolen': 4, 'queued': 5,
            'repeat': 6, 'redirect': 7, 'trap': 8}
VERDICT_ALIASES = {'ok': 'pass', 'shot': 'drop', 'unspec': 'continue'}
VERDICT_NAMES = dict((v, k) for k, v in VERDICTS.items())
TC_ACT_JUMP, TC_ACT_GOTO_CHAIN = 0x10000000, 0x20000000
TC_ACT_EXT_MASK = 0xf0000000


# the verdicts tc reads (the others only come back from the kernel: stolen after a mirred redirect)
TC_VERDICTS = ('continue', 'pass', 'reclassify', 'drop', 'pipe', 'trap')


def verdict(value, option):
    """A control verdict in tc's words: pass, drop, pipe, ..., 'goto chain N', 'jump N'."""
    words = str(value).split()
    if len(words) == 1 and VERDICT_ALIASES.get(words[0], words[0]) in TC_VERDICTS:
        return VERDICT_ALIASES.get(words[0], words[0])
    if len(words) == 3 and words[:2] == ['goto', 'chain'] and words[2].isdigit():
        return 'goto chain %d' % number(words[2], option, 0, 0x0fffffff)
    if len(words) == 2 and words[0] == 'jump' and words[1].isdigit():
        return 'jump %d' % number(words[1], option, 1, 0x0fffffff)
    raise ValidationError("%s: %r is not a verdict; use one of %s, 'goto chain N' or 'jump N'"
                          % (option, value, ', '.join(sorted(TC_VERDICTS))))


def verdict_number(name):
    if name.startswith('goto chain '):
        return TC_ACT_GOTO_CHAIN | int(name.split()[2])
    if name.startswith('jump '):
        return TC_ACT_JUMP | int(name.split()[1])
    return VERDICTS[name]


def verdict_name(value):
    value = struct.unpack('=i', struct.pack('=I', value & 0xFFFFFFFF))[0]
    if value >= 0 and value & TC_ACT_EXT_MASK == TC_ACT_GOTO_CHAIN:
        return 'goto chain %d' % (value & ~TC_ACT_EXT_MASK)
    if value >= 0 and value & TC_ACT_EXT_MASK == TC_ACT_JUMP:
        return 'jump %d' % (value & ~TC_ACT_EXT_MASK)
    return VERDICT_NAMES.get(value, str(value))


ETH_TYPES = {'ip': 0x0800, 'ipv6': 0x86dd, 'arp': 0x0806, 'mpls_uc': 0x8847, 'mpls_mc': 0x8848,
             '802.1q': 0x8100, '802.1ad': 0x88a8, 'all': 0x0003}
ETH_TYPE_NAMES = dict((v, k) for k, v in ETH_TYPES.items())


def eth_type(value, option):
    text = str(value).lower()
    if text in ETH_TYPES:
        return text
    number_ = number(value, option, 0, 0xFFFF)
    return ETH_TYPE_NAMES.get(number_, '0x%04x' % number_)


def eth_type_number(name):
    return ETH_TYPES.get(name, None) if name in ETH_TYPES else int(name, 16)


def ipv4(value, option):
    try:
        return str(ipaddress.IPv4Address(str(value)))
    except ValueError:
        raise ValidationError('%s: %r is not an IPv4 address' % (option, value))


def ip(value, option):
    try:
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        raise ValidationError('%s: %r is not an IPv4/IPv6 address' % (option, value))


def choice(value, choices, option):
    if value not in choices:
        raise ValidationError('%s: %r is not one of %s' % (option, value, ', '.join(sorted(choices))))
    return value


def missing(option):
    raise ValidationError('%s is required' % option)


class ActionKind:
    def __init__(self, options, default_control, normalize, encode, decode, words, control=None, verdicts=False):
        self.options = options
        self.default_control = default_control
        self.normalize = normalize
        self.encode = encode
        self.decode = decode
        self.words = words
        self.control = control  # a function of opts giving the default control, when it depends on them
        # the kind keeps its verdicts in its own options and struct (police): no control, no struct tc_gen
        self.verdicts = verdicts

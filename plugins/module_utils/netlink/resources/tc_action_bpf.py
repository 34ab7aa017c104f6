# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bpf action of nl_tc_filter (act_bpf, linux/tc_act/tc_bpf.h): classic bytecode (TCA_ACT_BPF_OPS) or an
eBPF program of type sched_act, from an object file's section (tc's default section: ``action``) or pinned,
loaded through bpf.py as the bpf classifier's are.

Like the classifier, an eBPF program is known by what the kernel reports back - tc's name for it
(``prog.o:[action]``, ``pin:[*fsobj]``) and its tag, computed offline - so a re-run loads nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import bpf, tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_action_base import ActionKind
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter_kinds import (
    SOCK_FILTER, bpf_program, bytecode_ops, bytecode_text)

TCA_ACT_BPF_PARMS, TCA_ACT_BPF_OPS_LEN, TCA_ACT_BPF_OPS, TCA_ACT_BPF_FD, TCA_ACT_BPF_NAME = 2, 3, 4, 5, 6
TCA_ACT_BPF_TAG = 8
ACT = bpf.BPF_PROG_TYPE_SCHED_ACT


def _normalize(o, where):
    return bpf_program(o, where, 'action', ACT)


def _encode(o, ctx):
    if o['bytecode']:
        ops = bytecode_ops(o['bytecode'], 'bpf.bytecode')
        return [tc.nla_u16(TCA_ACT_BPF_OPS_LEN, len(ops)),
                tc.nla(TCA_ACT_BPF_OPS, b''.join(SOCK_FILTER.pack(*op) for op in ops))], b''
    # the fd stays open until the request is sent (TcFilter.apply closes it)
    return [tc.nla_u32(TCA_ACT_BPF_FD, bpf.SOURCES.open(o['name'], o['tag'], ACT)),
            tc.nla_string(TCA_ACT_BPF_NAME, o['name'])], b''


def _decode(attrs, parms, ctx):
    raw = bytes(attrs.get(TCA_ACT_BPF_OPS) or b'')
    ops = [SOCK_FILTER.unpack_from(raw, i) for i in range(0, len(raw) - len(raw) % SOCK_FILTER.size, SOCK_FILTER.size)]
    tag = attrs.get(TCA_ACT_BPF_TAG)
    return {'bytecode': bytecode_text(ops) if ops else None, 'name': tc.string(attrs.get(TCA_ACT_BPF_NAME)),
            'tag': bytes(tag).hex() if tag else None}


def _words(o):
    source = bpf.SOURCES.source(o['name'], o['tag'], ACT)
    if o['bytecode']:
        return ['bytecode', "'%s'" % o['bytecode']]
    if isinstance(source, bpf.Program):
        return ['object-file', source.path, 'section', source.section]
    return ['object-pinned', source]


BPF_PARMS_TYPE = TCA_ACT_BPF_PARMS
BPF_ACTION = ActionKind(
    dict(bytecode=dict(type='str'), object=dict(type='path'), section=dict(type='str'), pinned=dict(type='path')),
    'pipe', _normalize, _encode, _decode, _words)

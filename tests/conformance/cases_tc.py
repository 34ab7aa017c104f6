# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_qdisc and nl_tc_class conformance cases (imported into cases.py).

Setups follow cases.py: v0 up, its peer v1 down. The host kernel has htb, tbf, the fifos, ingress,
clsact and mq; the other kinds are modules (`needs` sch_<kind>) that run in the test VM.

iproute2 6.1 prints `tc class show` as text even with -j, and some kinds' options as text inside its JSON
(hfsc and multiq qdiscs; fw, route and flow filters; actions such as skbmod); run as a script, this file is the readback command
that turns them into JSON (`python cases_tc.py classes DEV`, `python cases_tc.py json TC-ARGS...`, inside
the namespace).
"""

import json
import os
import re
import subprocess
import sys

from harness import Case, ErrorCase, Purge

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
QDISCS = 'tc -j -d qdisc show dev v0'
QDISCS_ALL = 'tc -j -d qdisc show'
CLASSES = '%s %s classes v0' % (sys.executable, os.path.abspath(__file__))
# `tc -j -d qdisc show dev v0` for the kinds whose options tc 6.1 prints as text in its JSON (see tc_json)
QDISCS_REPAIRED = '%s %s json -d qdisc show dev v0' % (sys.executable, os.path.abspath(__file__))
HTB_ROOT = VETH + ['tc qdisc add dev v0 root handle 1: htb default 10']
HTB_CLASSES = HTB_ROOT + ['tc class add dev v0 parent 1: classid 1:10 htb rate 10mbit',
                          'tc class add dev v0 parent 1: classid 1:20 htb rate 20mbit']


def qdisc(**subset):
    return {QDISCS: [subset]}


def module(kind):
    return {'kernel_module': 'sch_%s' % kind}


def vm_case(kind, apply_options, change_options, expect_options, handle='1:', notes='', readback=QDISCS):
    """A root qdisc of a kind the host may lack: apply, then change its options in place."""
    args = {'dev': 'v0', 'handle': handle, 'kind': kind}
    return Case(kind, 'nl_qdisc', setup=VETH, needs=module(kind),
                apply=dict(args, **{kind: apply_options}), change=dict(args, **{kind: change_options}),
                readback=[readback], expect={readback: [dict(kind=kind, handle=handle, options=expect_options)]},
                notes=notes)


CASES = [
    # -- nl_qdisc on the host kernel ------------------------------------------------------------------
    Case('htb-root', 'nl_qdisc', setup=VETH,
         apply={'dev': 'v0', 'handle': '1:', 'kind': 'htb', 'htb': {'default': 10}},
         change={'dev': 'v0', 'handle': '1:', 'kind': 'htb', 'htb': {'default': 20, 'r2q': 5}},
         readback=[QDISCS],
         expect=qdisc(kind='htb', handle='1:', root=True, options={'r2q': 10, 'default': '0x10'}),
         notes='htb cannot change: a change deletes and creates it'),
    Case('tbf-latency', 'nl_qdisc', setup=VETH,
         apply={'dev': 'v0', 'handle': '1:', 'kind': 'tbf',
                'tbf': {'rate': '10mbit', 'burst': '32kbit', 'latency': '50ms'}},
         change={'dev': 'v0', 'handle': '1:', 'kind': 'tbf',
                 'tbf': {'rate': '20mbit', 'burst': '32kb', 'limit': '100kb', 'peakrate': '30mbit', 'mtu': 1514}},
         readback=[QDISCS],
         expect=qdisc(kind='tbf', handle='1:', options={'rate': 1250000, 'burst': '4Kb/1', 'lat': 50000}),
         notes='latency becomes limit as tc computes it; the burst reads back as given (4kb)'),
    Case('fifos-under-htb', 'nl_qdisc', setup=HTB_CLASSES,
         apply={'dev': 'v0', 'config': [
             {'parent': '1:10', 'handle': '10:', 'kind': 'pfifo', 'pfifo': {'limit': 50}},
             {'parent': '1:20', 'handle': '20:', 'kind': 'bfifo', 'bfifo': {'limit': '64kb'}}]},
         change={'dev': 'v0', 'config': [
             {'parent': '1:10', 'handle': '10:', 'kind': 'pfifo', 'pfifo': {'limit': 100}},
             {'parent': '1:20', 'handle': '20:', 'kind': 'bfifo', 'bfifo': {'limit': 30000}}]},
         readback=[QDISCS],
         expect={QDISCS: [{'kind': 'pfifo', 'handle': '10:', 'parent': '1:10', 'options': {'limit': 50}},
                          {'kind': 'bfifo', 'handle': '20:', 'parent': '1:20', 'options': {'limit': 65536}},
                          {'kind': 'htb', 'handle': '1:'}]},
         purge=Purge(args={'dev': 'v0', 'parent': '1:', 'state': 'overridden',
                           'config': [{'parent': '1:10', 'handle': '10:', 'kind': 'pfifo'}]},
                     setup=['tc qdisc add dev v0 parent 1:10 handle 10: pfifo',
                            'tc qdisc add dev v0 parent 1:20 handle 20: bfifo', 'tc qdisc add dev v0 ingress',
                            'tc qdisc add dev v1 root handle 5: pfifo'],
                     survives={QDISCS: [{'kind': 'htb', 'handle': '1:'}, {'kind': 'pfifo', 'handle': '10:'},
                                        {'kind': 'ingress'}],
                               'tc -j qdisc show dev v1': [{'kind': 'pfifo', 'handle': '5:'}]},
                     removed={QDISCS: [{'kind': 'bfifo', 'handle': '20:'}]}),
         notes='fifos change in place; the purge scope 1: covers what hangs below qdisc 1:'),
    Case('ingress-clsact', 'nl_qdisc', setup=VETH,
         apply={'config': [{'dev': 'v0', 'kind': 'ingress'}, {'dev': 'v1', 'kind': 'clsact'}]},
         change={'config': [{'dev': 'v0', 'kind': 'clsact', 'ingress_block': 10, 'egress_block': 11}]},
         readback=[QDISCS_ALL],
         expect={QDISCS_ALL: [{'kind': 'ingress', 'dev': 'v0', 'handle': 'ffff:', 'parent': 'ffff:fff1'},
                              {'kind': 'clsact', 'dev': 'v1', 'handle': 'ffff:', 'parent': 'ffff:fff1'}]},
         purge=Purge(args={'dev': 'v0', 'state': 'overridden', 'config': [{'kind': 'ingress'}]},
                     setup=['tc qdisc add dev v0 root handle 1: htb', 'tc qdisc add dev v1 root handle 2: htb'],
                     survives={QDISCS_ALL: [{'kind': 'ingress', 'dev': 'v0'}, {'kind': 'htb', 'dev': 'v1'}]},
                     removed={QDISCS_ALL: [{'kind': 'htb', 'dev': 'v0'}]}),
         notes='ingress to clsact with shared blocks: delete and create'),
    Case('root-kind-change', 'nl_qdisc', setup=VETH,
         apply={'dev': 'v0', 'handle': '1:', 'kind': 'pfifo_head_drop', 'pfifo_head_drop': {'limit': 30}},
         change={'dev': 'v0', 'handle': '1:', 'kind': 'tbf', 'tbf': {'rate': '1mbit', 'burst': '10kb', 'limit': '20kb'}},
         readback=[QDISCS],
         expect=qdisc(kind='pfifo_head_drop', handle='1:', options={'limit': 30}),
         notes='another kind under the same handle: delete and create'),

    # -- nl_qdisc kinds in the test VM ----------------------------------------------------------------
    vm_case('prio', {'bands': 4}, {'bands': 5, 'priomap': [4, 3, 2, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]},
            {'bands': 4}),
    vm_case('sfq', {'perturb': 10, 'limit': 100}, {'perturb': 5, 'headdrop': True}, {'perturb': 10, 'limit': 100}),
    vm_case('fq_codel', {'target': '4ms', 'limit': 500, 'interval': '50ms', 'ecn': False},
            {'target': '6ms', 'flows': 256, 'quantum': 1000}, {'target': 3999, 'limit': 500}),
    vm_case('codel', {'target': '4ms', 'limit': 500}, {'target': '6ms', 'ecn': True}, {'target': 3999, 'limit': 500}),
    vm_case('fq', {'limit': 5000, 'flow_limit': 50, 'pacing': False}, {'limit': 6000, 'maxrate': '1gbit'},
            {'limit': 5000, 'flow_limit': 50}),
    vm_case('pie', {'target': '10ms', 'limit': 500}, {'target': '20ms', 'ecn': True}, {'target': 10000, 'limit': 500}),
    vm_case('fq_pie', {'limit': 5000, 'flows': 512}, {'limit': 6000, 'ecn': True}, {'limit': 5000, 'flows': 512}),
    vm_case('hhf', {'limit': 500, 'hh_limit': 1024}, {'limit': 600}, {'limit': 500, 'hh_limit': 1024}),
    vm_case('netem', {'delay': '10ms', 'jitter': '2ms', 'loss': '1%'}, {'delay': '20ms', 'loss': '0%', 'rate': '1mbit'},
            {'limit': 1000}),
    vm_case('cake', {'bandwidth': '100mbit', 'diffserv': 'diffserv4'}, {'bandwidth': '50mbit', 'nat': True},
            {'bandwidth': 12500000, 'diffserv': 'diffserv4'}),
    vm_case('skbprio', {'limit': 80}, {'limit': 90}, {'limit': 80}),
    vm_case('sfb', {'limit': 500, 'max': 30}, {'limit': 600, 'target': 25}, {'limit': 500, 'max': 30}),
    vm_case('hfsc', {'default': 20}, {'default': 30}, {'default': '20'}, readback=QDISCS_REPAIRED,
            notes='tc 6.1 prints the options as text in its JSON: read back repaired (tc_json)'),
    vm_case('ets', {'bands': 3, 'strict': 1, 'quanta': [3000, 2000]}, {'bands': 3, 'strict': 1, 'quanta': [4000, 1000]},
            {'bands': 3, 'strict': 1}),
    vm_case('cbs', {'hicredit': 30, 'locredit': -1470, 'idleslope': 20000, 'sendslope': -980000},
            {'hicredit': 40, 'locredit': -1470, 'idleslope': 20000, 'sendslope': -980000},
            {'hicredit': 30, 'locredit': -1470}),
    Case('drr-qfq', 'nl_qdisc', setup=VETH, needs={'kernel_module': ['sch_drr', 'sch_qfq']},
         apply={'dev': 'v0', 'config': [{'handle': '1:', 'kind': 'drr'}]},
         change={'dev': 'v0', 'config': [{'handle': '1:', 'kind': 'qfq'}]},
         readback=[QDISCS], expect=qdisc(kind='drr', handle='1:'),
         notes='no options; neither can change: another kind means delete and create'),
    Case('multiq-mq', 'nl_qdisc', needs={'kernel_module': 'sch_multiq'},
         setup=['ip link add v0 numtxqueues 4 numrxqueues 4 type veth peer name v1', 'ip link set v0 up'],
         apply={'dev': 'v0', 'handle': '1:', 'kind': 'multiq'},
         change={'dev': 'v0', 'handle': '1:', 'kind': 'pfifo_fast'},
         readback=[QDISCS_REPAIRED], expect={QDISCS_REPAIRED: [{'kind': 'multiq', 'handle': '1:',
                                                                'options': {'bands': '4/4'}}]},
         notes='multiq wants a multiqueue device (one band per transmit queue)'),

    # -- nl_tc_class ----------------------------------------------------------------------------------
    Case('htb-classes', 'nl_tc_class', setup=HTB_ROOT,
         apply={'dev': 'v0', 'config': [
             {'classid': '1:1', 'parent': '1:', 'htb': {'rate': '100mbit'}},
             {'classid': '1:10', 'parent': '1:1', 'htb': {'rate': '60mbit', 'ceil': '100mbit', 'burst': '32kb'}},
             {'classid': '1:20', 'parent': '1:1', 'htb': {'rate': '40mbit', 'ceil': '100mbit', 'prio': 1}}]},
         change={'dev': 'v0', 'config': [
             {'classid': '1:10', 'parent': '1:1',
              'htb': {'rate': '50mbit', 'ceil': '80mbit', 'burst': '16kb', 'cburst': '8kb', 'prio': 2, 'quantum': 3000}},
             {'classid': '1:20', 'parent': '1:1', 'htb': {'rate': '12500kbps'}}]},
         readback=[CLASSES],
         expect={CLASSES: [{'kind': 'htb', 'classid': '1:1', 'parent': 'root', 'rate': '100Mbit', 'ceil': '100Mbit'},
                           {'kind': 'htb', 'classid': '1:10', 'parent': '1:1', 'rate': '60Mbit', 'burst': '32Kb/1'},
                           {'kind': 'htb', 'classid': '1:20', 'parent': '1:1', 'prio': '1', 'cburst': '1600b/1'}]},
         purge=Purge(args={'dev': 'v0', 'parent': '1:', 'state': 'overridden',
                           'config': [{'classid': '1:1', 'htb': {'rate': '100mbit'}},
                                      {'classid': '1:10', 'parent': '1:1', 'htb': {'rate': '60mbit'}}]},
                     setup=['tc class add dev v0 parent 1: classid 1:1 htb rate 100mbit',
                            'tc class add dev v0 parent 1:1 classid 1:10 htb rate 60mbit',
                            'tc class add dev v0 parent 1:1 classid 1:20 htb rate 40mbit',
                            'tc class add dev v0 parent 1:20 classid 1:21 htb rate 10mbit'],
                     survives={CLASSES: [{'classid': '1:1'}, {'classid': '1:10'}]},
                     removed={CLASSES: [{'classid': '1:20'}, {'classid': '1:21'}]}),
         notes='a rate in bytes (12500kbps) is 100mbit; undeclared classes go children first'),
    Case('hfsc-classes', 'nl_tc_class', needs=module('hfsc'),
         setup=VETH + ['tc qdisc add dev v0 root handle 1: hfsc default 10'],
         apply={'dev': 'v0', 'config': [
             {'classid': '1:1', 'parent': '1:', 'hfsc': {'ls': {'m2': '100mbit'}, 'ul': {'m2': '100mbit'}}},
             {'classid': '1:10', 'parent': '1:1',
              'hfsc': {'rt': {'m1': '10mbit', 'd': '10ms', 'm2': '5mbit'}, 'ls': {'m2': '20mbit'}}}]},
         change={'dev': 'v0', 'config': [
             {'classid': '1:10', 'parent': '1:1', 'hfsc': {'rt': {'m2': '8mbit'}, 'ls': {'m2': '30mbit'}}}]},
         readback=[CLASSES],
         expect={CLASSES: [{'kind': 'hfsc', 'classid': '1:10', 'parent': '1:1'}]}),
    Case('drr-classes', 'nl_tc_class', needs=module('drr'),
         setup=VETH + ['tc qdisc add dev v0 root handle 1: drr'],
         apply={'dev': 'v0', 'config': [{'classid': '1:1', 'parent': '1:', 'drr': {'quantum': 1514}},
                                        {'classid': '1:2', 'parent': '1:', 'drr': {'quantum': '3kb'}}]},
         change={'dev': 'v0', 'config': [{'classid': '1:1', 'parent': '1:', 'drr': {'quantum': '4kb'}}]},
         readback=[CLASSES],
         expect={CLASSES: [{'kind': 'drr', 'classid': '1:1', 'quantum': '1514b'}]}),
    Case('qfq-classes', 'nl_tc_class', needs=module('qfq'),
         setup=VETH + ['tc qdisc add dev v0 root handle 1: qfq'],
         apply={'dev': 'v0', 'config': [{'classid': '1:1', 'parent': '1:', 'qfq': {'weight': 10, 'maxpkt': 1514}}]},
         change={'dev': 'v0', 'config': [{'classid': '1:1', 'parent': '1:', 'qfq': {'weight': 20}}]},
         readback=[CLASSES],
         expect={CLASSES: [{'kind': 'qfq', 'classid': '1:1', 'weight': '10'}]}),
    Case('ets-bands', 'nl_tc_class', needs=module('ets'),
         setup=VETH + ['tc qdisc add dev v0 root handle 1: ets bands 3 strict 1 quanta 3000 2000'],
         apply={'dev': 'v0', 'config': [{'classid': '1:2', 'parent': '1:', 'ets': {'quantum': 5000}}]},
         change={'dev': 'v0', 'config': [{'classid': '1:3', 'parent': '1:', 'ets': {'quantum': 1000}}]},
         readback=[CLASSES],
         expect={CLASSES: [{'kind': 'ets', 'classid': '1:2', 'quantum': '5000'}]},
         rendered=True, notes='bands exist with the qdisc: only changed'),
]

ERROR_CASES = [
    ErrorCase('tbf-bad-rate', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'tbf',
                                           'tbf': {'rate': 'fast', 'burst': '10kb', 'limit': '10kb'}},
              ["tbf.rate: 'fast' is not a rate; allowed:"], setup=VETH, phase='validation'),
    ErrorCase('qdisc-without-handle', 'nl_qdisc', {'dev': 'v0', 'kind': 'htb'}, ['handle: required'],
              setup=VETH, phase='validation'),
    ErrorCase('qdisc-bad-handle', 'nl_qdisc', {'dev': 'v0', 'handle': '1:5', 'kind': 'htb'},
              ["handle: '1:5' is not a tc handle of a qdisc"], setup=VETH, phase='validation'),
    ErrorCase('qdisc-options-of-another-kind', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'tbf',
                                                            'htb': {'default': 10}},
              ['htb: options of kind htb given, but kind is tbf'], setup=VETH, phase='validation'),
    ErrorCase('qdisc-under-missing-class', 'nl_qdisc', {'dev': 'v0', 'parent': '5:1', 'handle': '10:', 'kind': 'pfifo'},
              ['ENOENT', 'kernel says: Failed to find specified qdisc'], setup=VETH),
    ErrorCase('htb-change-of-class-rate-zero', 'nl_tc_class', {'dev': 'v0', 'classid': '1:10', 'parent': '1:',
                                                               'htb': {'rate': '0bit'}},
              ['EINVAL'], setup=HTB_ROOT),
    ErrorCase('class-bad-classid', 'nl_tc_class', {'dev': 'v0', 'classid': '1:', 'parent': '1:', 'htb': {'rate': '1mbit'}},
              ["classid: '1:' is not a class"], setup=HTB_ROOT, phase='validation'),
    ErrorCase('class-without-qdisc', 'nl_tc_class', {'dev': 'v0', 'classid': '7:1', 'parent': '7:',
                                                     'htb': {'rate': '1mbit'}},
              ['ENOENT'], setup=VETH),
]


def class_json(dev):
    """`tc -d class show dev DEV` as JSON: kind, classid, parent, then its `name value` pairs (hfsc curves
    prefixed: rt_m1 ...)."""
    text = subprocess.run(['tc', '-d', 'class', 'show', 'dev', dev], capture_output=True, text=True,
                          check=True).stdout
    classes = []
    for line in text.splitlines():
        words = line.split()
        if len(words) < 3 or words[0] != 'class':
            continue
        entry = {'kind': words[1], 'classid': words[2]}
        rest = words[3:]
        if rest[:1] == ['root']:
            entry['parent'], rest = 'root', rest[1:]
        prefix = ''
        index = 0
        while index < len(rest):
            word = rest[index]
            if word in ('rt', 'ls', 'ul', 'sc'):
                prefix, index = word + '_', index + 1
                continue
            if index + 1 < len(rest):
                entry.setdefault(prefix + word, rest[index + 1])
            index += 2
        classes.append(entry)
    return classes


def tc_json(args):
    """`tc -j ARGS` as JSON, where iproute2 6.1 breaks it: options printed as `"options":{default 20 }`
    (hfsc, multiq, fw) become their `name value` pairs as strings; when the JSON is still broken (an action
    such as skbmod prints text in the middle of it), filters are read from `tc ARGS` text instead: each
    filter's head line (protocol, pref, kind, chain, handle), its actions left out."""
    def run(words):
        return subprocess.run(['tc'] + words, capture_output=True, text=True, check=True).stdout

    def pairs(match):
        words = match.group(1).split()
        return '"options":' + json.dumps(dict(zip(words[::2], words[1::2])))

    text = run(['-j'] + args)
    for attempt in (text, re.sub(r'"options":\{([^"{}][^{}]*)\}', pairs, text)):
        try:
            return json.loads(attempt) if attempt.strip() else []
        except ValueError:
            continue
    if 'filter' not in args:
        raise ValueError('tc -j %s printed invalid JSON: %s' % (' '.join(args), text))
    filters = []
    for line in run(args).splitlines():
        words = line.split()
        if line[:1].isspace() or words[:1] != ['filter']:
            continue
        entry, index = {}, 1
        while index < len(words):
            if words[index] in ('parent', 'protocol', 'pref', 'chain', 'handle', 'dev') and index + 1 < len(words):
                value = words[index + 1]
                entry[words[index]] = int(value) if words[index] in ('pref', 'chain') else value
                index += 2
                continue
            entry.setdefault('kind', words[index])
            index += 1
        filters.append(entry)
    return filters


if __name__ == '__main__' and sys.argv[1:2] == ['classes']:
    print(json.dumps(class_json(sys.argv[2])))
elif __name__ == '__main__' and sys.argv[1:2] == ['json']:
    print(json.dumps(tc_json(sys.argv[2:])))

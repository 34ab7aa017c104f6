# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_tc_filter's ematches (basic and cgroup ``match``; cases.py joins them to the table).

The host kernel has neither cls_basic/cls_cgroup nor the em_* modules: the cases run in the test VM. iproute2
6.1 prints an ematch tree as text in the middle of `tc -j` output (print_ematch writes to the stream, not
through its JSON writer), so the read-back is `tc -d filter show` as a JSON list of its words; ``check``
looks for the tree as tc prints it (`cmp(u8 at 9 layer 1 eq 6) AND NOT meta(...)`).
"""

from harness import Case, ErrorCase

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
HTB = VETH + ['tc qdisc add dev v0 root handle 1: htb default 10']
# what tc prints, as words (JSON); python3 is on the test VM's root (the host's)
ROOT = ('sh -c "tc -d filter show dev v0 parent 1: | '
        'python3 -c \'import json, sys; print(json.dumps(sys.stdin.read().split()))\'"')
TCP = {'cmp': {'layer': 'network', 'align': 'u8', 'offset': 9, 'value': 6}}
UDP = {'cmp': {'layer': 'network', 'align': 'u8', 'offset': 9, 'value': 17}}
PRIO_GT_3 = {'id': 'priority', 'op': 'gt', 'value': 3, 'mask': 7}
DPORT_53 = {'layer': 'transport', 'align': 'u16', 'offset': 2, 'value': 53}
EMATCHES = ['em_cmp', 'em_meta', 'em_u32', 'em_nbyte']


def on(priority, kind, protocol='ip', **item):
    return dict({'dev': 'v0', 'parent': '1:', 'priority': priority, 'handle': '1', 'protocol': protocol,
                 'kind': kind}, **item)


def shows(*texts):
    """A check: each text appears in what `tc -d filter show` prints (words joined by one space)."""
    def check(readback, raw):
        printed = ' '.join(readback[ROOT])
        for text in texts:
            assert text in printed, '%r not in %s' % (text, printed)
    return check


CASES = [
    Case('basic-ematch-tree', 'nl_tc_filter', setup=HTB,
         apply=on(20, 'basic', basic={'classid': '1:10', 'match': [
             TCP, {'relation': 'and', 'invert': True, 'meta': {'id': 'mark', 'value': 5}},
             {'relation': 'or', 'container': [UDP, {'relation': 'and', 'meta': PRIO_GT_3}]}]}),
         change=on(20, 'basic', basic={'classid': '1:10', 'match': [
             {'u32': {'align': 'u16', 'value': 443, 'at': 22}},
             {'relation': 'or', 'nbyte': {'pattern': 'GET', 'layer': 'transport', 'offset': 20}},
             {'relation': 'and', 'cmp': {'layer': 'transport', 'align': 'u16', 'offset': 0, 'op': 'lt',
                                         'value': 1024}}]}),
         readback=[ROOT], check=shows('flowid 1:10', 'cmp(u8 at 9 layer 1 eq 6) AND NOT meta(', 'OR (',
                                      'cmp(u8 at 9 layer 1 eq 17) AND meta('),
         needs={'kernel_module': ['cls_basic'] + EMATCHES}),
    Case('cgroup-ematch', 'nl_tc_filter', setup=HTB,
         apply=on(21, 'cgroup', cgroup={'match': [{'cmp': DPORT_53}]},
                  actions=[{'kind': 'gact', 'gact': {'action': 'drop'}}]),
         change=on(21, 'cgroup', cgroup={'match': [{'meta': {'id': 'vlan_tag', 'value': 10}},
                                                   {'relation': 'or', 'cmp': {'align': 'u16', 'offset': 12,
                                                                              'value': 0x8100}}]},
                   actions=[{'kind': 'gact', 'gact': {'action': 'drop'}}]),
         readback=[ROOT], check=shows('cgroup', 'cmp(u16 at 2 layer 2 eq 53)'),
         needs={'kernel_module': ['cls_cgroup', 'em_cmp', 'em_meta', 'act_gact']}),
    Case('basic-ematch-meta-dev', 'nl_tc_filter', setup=HTB,
         apply=on(22, 'basic', basic={'classid': '1:22', 'match': [{'meta': {'id': 'dev', 'value': 'v0'}}]}),
         change=on(22, 'basic', basic={'classid': '1:22', 'match': [{'meta': {'id': 'dev', 'value': 'v1'}}]}),
         readback=[ROOT], check=shows('flowid 1:22', 'meta('), rendered=False,
         notes='tc 6.1 sends a name comparison with an INT left side, which the kernel refuses (EINVAL)',
         needs={'kernel_module': ['cls_basic', 'em_meta']}),
]

ERROR_CASES = [
    ErrorCase('ematch-unknown-layer', 'nl_tc_filter', setup=HTB,
              args=on(20, 'basic', basic={'match': [{'cmp': {'layer': 'session', 'value': 1}}]}),
              msg_contains=["basic.match[0].cmp.layer: 'session' is not one of link, network, transport"],
              phase='validation'),
    ErrorCase('ematch-bad-align', 'nl_tc_filter', setup=HTB,
              args=on(20, 'basic', basic={'match': [{'cmp': {'align': 'u64', 'value': 1}}]}),
              msg_contains=["basic.match[0].cmp.align: 'u64' is not one of u8, u16, u32"], phase='validation'),
    ErrorCase('ematch-relation-on-first', 'nl_tc_filter', setup=HTB,
              args=on(20, 'basic', basic={'match': [dict(TCP, relation='and')]}),
              msg_contains=['basic.match[0].relation: the first item has nothing before it to relate to'],
              phase='validation'),
    ErrorCase('ematch-missing-relation', 'nl_tc_filter', setup=HTB,
              args=on(20, 'cgroup', cgroup={'match': [TCP, UDP]}),
              msg_contains=['cgroup.match[1].relation is required after the first item'], phase='validation'),
    ErrorCase('ematch-unknown-meta', 'nl_tc_filter', setup=HTB,
              args=on(20, 'basic', basic={'match': [{'meta': {'id': 'colour', 'value': 1}}]}),
              msg_contains=["basic.match[0].meta.id: 'colour' is not a meta id"], phase='validation'),
]

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_tc_filter (cases.py joins them to the table).

The host kernel has the u32 and bpf classifiers and the mirred action: those cases run here. The other
kinds and actions are modules the host lacks (`needs=`): they run in the test VM. Readbacks are
`tc -j -d filter show` (without -s: action timers would differ between runs).
"""

import os
import sys

from harness import Case, ErrorCase, Purge

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
CLSACT = VETH + ['tc qdisc add dev v0 clsact']
HTB = VETH + ['tc qdisc add dev v0 root handle 1: htb default 10']
INGRESS = 'tc -j -d filter show dev v0 ingress'
EGRESS = 'tc -j -d filter show dev v0 egress'
ROOT = 'tc -j -d filter show dev v0 parent 1:'
# tc 6.1 prints the options of fw, route and flow, and some actions (skbmod, connmark or simple), as text in
# its JSON: cases_tc.py's tc_json repairs it
TC_JSON = '%s %s json' % (sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cases_tc.py'))
ROOT_REPAIRED = TC_JSON + ' -d filter show dev v0 parent 1:'
INGRESS_REPAIRED = TC_JSON + ' -d filter show dev v0 ingress'
ALL_DROP = '1,6 0 0 2'
U32_ANY = [{'u32': {'value': 0, 'mask': 0, 'at': 0}}]


def u32(**options):
    return dict({'kind': 'u32'}, u32=options)


def flower(**keys):
    return dict({'kind': 'flower'}, flower=keys)


def on(parent, priority, protocol='ip', **item):
    return dict({'dev': 'v0', 'parent': parent, 'priority': priority, 'protocol': protocol}, **item)


def filters(*expected):
    """Subset of a `tc -j filter show` list: the filters themselves (entries with a handle)."""
    return list(expected)


def vm_matchall(case_id, actions, change_actions, needs, readback=INGRESS):
    return Case(case_id, 'nl_tc_filter', setup=CLSACT,
                apply=on('ingress', 1, 'all', kind='matchall', actions=actions),
                change=on('ingress', 1, 'all', kind='matchall', actions=change_actions),
                readback=[readback], expect={readback: [{'kind': 'matchall', 'pref': 1}]},
                needs={'kernel_module': ['cls_matchall'] + needs})


CASES = [
    Case('u32-classid', 'nl_tc_filter', setup=HTB,
         apply=on('1:', 10, **u32(match=[{'ip': {'dst': '10.0.0.0/8'}}, {'ip': {'dport': 80}}], classid='1:10')),
         change=on('1:', 10, **u32(match=[{'ip': {'dst': '10.0.0.0/8'}}, {'ip': {'dport': 443}}], classid='1:10')),
         readback=[ROOT],
         expect={ROOT: filters({'protocol': 'ip', 'pref': 10, 'kind': 'u32',
                                'options': {'fh': '800::800', 'flowid': '1:10'}})}),
    Case('u32-fields', 'nl_tc_filter', setup=HTB,
         apply=on('1:', 20, **u32(match=[{'ip': {'src': '192.0.2.0/24', 'protocol': 'tcp', 'dsfield': '0x28/0xfc'}},
                                         {'ip': {'sport': 1024, 'dport': 22}}, {'u8': {'value': 64, 'at': 8}}],
                                  classid='1:20')),
         change=on('1:', 20, **u32(match=[{'ip': {'src': '192.0.2.0/24', 'protocol': 'udp'}}], classid='1:21')),
         readback=[ROOT], expect={ROOT: filters({'pref': 20, 'kind': 'u32', 'options': {'flowid': '1:20'}})}),
    Case('u32-ipv6', 'nl_tc_filter', setup=HTB,
         apply=on('1:', 30, 'ipv6', **u32(match=[{'ip6': {'dst': '2001:db8::/32', 'dport': 443}}], classid='1:30')),
         change=on('1:', 30, 'ipv6', **u32(match=[{'ip6': {'src': '2001:db8:1::1/128'}}], classid='1:30')),
         readback=[ROOT], expect={ROOT: filters({'protocol': 'ipv6', 'pref': 30, 'kind': 'u32'})}),
    Case('u32-mirred', 'nl_tc_filter', setup=CLSACT,
         apply=on('ingress', 1, 'all', **dict(u32(match=U32_ANY), actions=[
             {'kind': 'mirred', 'mirred': {'action': 'redirect', 'direction': 'egress', 'dev': 'v1'}}])),
         change=on('ingress', 1, 'all', **dict(u32(match=U32_ANY), actions=[
             {'kind': 'mirred', 'mirred': {'action': 'mirror', 'direction': 'ingress', 'dev': 'v1'},
              'control': 'pass'}])),
         readback=[INGRESS],
         expect={INGRESS: filters({'kind': 'u32', 'pref': 1, 'options': {'actions': [
             {'kind': 'mirred', 'mirred_action': 'redirect', 'direction': 'egress', 'to_dev': 'v1',
              'control_action': {'type': 'stolen'}}]}})}),
    Case('u32-handles', 'nl_tc_filter', setup=CLSACT,
         apply={'dev': 'v0', 'parent': 'egress', 'config': [
             dict(on('egress', 5, handle='800::1', **u32(match=[{'ip': {'dst': '198.51.100.0/24'}}])),
                  actions=[{'kind': 'mirred', 'mirred': {'dev': 'v1', 'action': 'mirror'}}]),
             dict(on('egress', 5, handle='800::2', **u32(match=[{'ip': {'dst': '203.0.113.0/24'}}])),
                  actions=[{'kind': 'mirred', 'mirred': {'dev': 'v1', 'action': 'mirror'}}])]},
         change={'dev': 'v0', 'parent': 'egress', 'config': [
             dict(on('egress', 5, handle='800::2', **u32(match=[{'ip': {'dst': '203.0.113.128/25'}}])),
                  actions=[{'kind': 'mirred', 'mirred': {'dev': 'v1', 'action': 'mirror'}}])]},
         readback=[EGRESS],
         expect={EGRESS: filters({'pref': 5, 'options': {'fh': '800::1'}}, {'pref': 5, 'options': {'fh': '800::2'}})},
         purge=Purge(setup=['tc filter add dev v0 egress protocol ip pref 5 handle 800::7 u32 match ip src 10.0.0.1/32',
                            'tc filter add dev v0 ingress protocol ip pref 6 u32 match ip src 10.0.0.2/32'],
                     args={'dev': 'v0', 'parent': 'egress', 'state': 'overridden', 'config': [
                         dict(on('egress', 5, handle='800::1', **u32(match=[{'ip': {'dst': '198.51.100.0/24'}}])),
                              actions=[{'kind': 'mirred', 'mirred': {'dev': 'v1', 'action': 'mirror'}}])]},
                     survives={INGRESS: [{'pref': 6}],
                               EGRESS: [{'pref': 5, 'options': {'fh': '800::1'}}]},
                     removed={EGRESS: [{'pref': 5, 'options': {'fh': '800::7'}}]})),
    Case('bpf-da', 'nl_tc_filter', setup=CLSACT,
         apply=on('egress', 3, 'all', kind='bpf', bpf={'bytecode': '1,6 0 0 4294967295', 'direct_action': True}),
         change=on('egress', 3, 'all', kind='bpf', bpf={'bytecode': ALL_DROP, 'direct_action': True}),
         readback=[EGRESS], expect={EGRESS: filters({'kind': 'bpf', 'pref': 3, 'protocol': 'all'})}),
    Case('bpf-classid-chain', 'nl_tc_filter', setup=HTB,
         apply=on('1:', 4, 'ip', chain=0, kind='bpf', bpf={'bytecode': '1,6 0 0 65536', 'classid': '1:5'}),
         change=on('1:', 4, 'ipv6', kind='bpf', bpf={'bytecode': '1,6 0 0 65536', 'classid': '1:6'}),
         readback=[ROOT], expect={ROOT: filters({'kind': 'bpf', 'pref': 4, 'protocol': 'ip'})}),
    # -- what the host kernel lacks: the test VM ----------------------------------------------------------
    vm_matchall('matchall-gact', [{'kind': 'gact', 'gact': {'action': 'drop'}}],
                [{'kind': 'gact', 'gact': {'action': 'pass'}}], ['act_gact']),
    vm_matchall('matchall-skbedit-vlan', [{'kind': 'skbedit', 'skbedit': {'mark': 5, 'priority': '1:10'}},
                                          {'kind': 'vlan', 'vlan': {'action': 'push', 'id': 10}}],
                [{'kind': 'skbedit', 'skbedit': {'mark': 6, 'mask': '0xff'}},
                 {'kind': 'vlan', 'vlan': {'action': 'pop'}}], ['act_skbedit', 'act_vlan']),
    vm_matchall('matchall-csum-nat', [{'kind': 'nat', 'nat': {'direction': 'egress', 'old': '10.0.0.0/8',
                                                              'new': '192.0.2.1'}},
                                      {'kind': 'csum', 'csum': {'update': ['ip', 'tcp']}}],
                [{'kind': 'nat', 'nat': {'old': '10.0.0.1', 'new': '192.0.2.2'}}], ['act_nat', 'act_csum']),
    vm_matchall('matchall-connmark-simple-sample',
                [{'kind': 'connmark', 'connmark': {'zone': 3}}, {'kind': 'simple', 'simple': {'sdata': 'hello'}},
                 {'kind': 'sample', 'sample': {'rate': 100, 'group': 5}}],
                [{'kind': 'simple', 'simple': {'sdata': 'bye'}, 'control': 'drop'}],
                ['act_connmark', 'act_simple', 'act_sample'], INGRESS_REPAIRED),
    vm_matchall('matchall-mpls-tunnel-key-ct',
                [{'kind': 'mpls', 'mpls': {'action': 'push', 'label': 20, 'ttl': 64}},
                 {'kind': 'tunnel_key', 'tunnel_key': {'src_ip': '192.0.2.1', 'dst_ip': '192.0.2.2', 'id': 7,
                                                       'dst_port': 4789}},
                 {'kind': 'ct', 'ct': {'commit': True, 'zone': 2}}],
                [{'kind': 'mpls', 'mpls': {'action': 'pop'}}, {'kind': 'tunnel_key', 'tunnel_key': {'action': 'unset'}}],
                ['act_mpls', 'act_tunnel_key', 'act_ct']),
    Case('fw', 'nl_tc_filter', setup=HTB,
         apply=on('1:', 7, handle='5', kind='fw', fw={'classid': '1:5'}),
         change=on('1:', 7, handle='5', kind='fw', fw={'classid': '1:6'}),
         readback=[ROOT_REPAIRED], expect={ROOT_REPAIRED: filters({'kind': 'fw', 'pref': 7, 'options': {'handle': '0x5'}})},
         needs={'kernel_module': 'cls_fw'}),
    Case('basic-route-flow', 'nl_tc_filter', setup=HTB,
         apply={'dev': 'v0', 'parent': '1:', 'config': [
             on('1:', 8, kind='basic', basic={'classid': '1:8'}),
             on('1:', 9, kind='route', route={'to': 10, 'classid': '1:9'}),
             on('1:', 11, handle='1', kind='flow', flow={'keys': ['src', 'dst'], 'divisor': 16, 'baseclass': '1:100'})]},
         change={'dev': 'v0', 'parent': '1:', 'config': [on('1:', 8, kind='basic', basic={'classid': '1:80'})]},
         readback=[ROOT_REPAIRED], expect={ROOT_REPAIRED: filters({'kind': 'basic', 'pref': 8}, {'kind': 'route', 'pref': 9},
                                                                  {'kind': 'flow', 'pref': 11})},
         needs={'kernel_module': ['cls_basic', 'cls_route', 'cls_flow']},
         notes='basic gets a handle from the kernel, route one built from its options (as tc does); flow needs one'),
    # -- flower and the later actions: modules the host lacks (cls_flower, act_police, ...) -------------------
    Case('flower-ip', 'nl_tc_filter', setup=CLSACT,
         apply=on('ingress', 2, **flower(ip_proto='tcp', dst_ip='10.0.0.0/8', src_ip='192.0.2.1', dst_port=80,
                                         src_port='1000-2000', tcp_flags='0x2/0x12', ip_tos='0x10/0xfc', ip_ttl=64,
                                         dst_mac='02:00:00:00:00:02', src_mac='02:00:00:00:00:00/24',
                                         ip_flags='nofrag', ct_state='+trk+est', ct_zone=3, ct_mark='0x10/0xff')),
         change=on('ingress', 2, **flower(ip_proto='udp', dst_ip='10.1.0.0/16', dst_port='53/0xff00', skip_hw=True)),
         readback=[INGRESS], expect={INGRESS: filters({'kind': 'flower', 'pref': 2, 'protocol': 'ip'})},
         needs={'kernel_module': 'cls_flower'}),
    Case('flower-l2-tunnel', 'nl_tc_filter', setup=CLSACT,
         apply={'dev': 'v0', 'parent': 'ingress', 'config': [
             on('ingress', 3, '802.1q', **flower(vlan_id=10, vlan_prio=3, vlan_ethtype='802.1q', cvlan_id=20,
                                                 cvlan_ethtype='ipv6', ip_proto='icmpv6', icmp_type=128,
                                                 dst_ip='2001:db8::/32')),
             on('ingress', 4, 'arp', **flower(arp_op='request', arp_tip='10.0.0.1', arp_sip='10.0.0.0/24',
                                              arp_sha='02:00:00:00:00:01')),
             on('ingress', 5, 'mpls_uc', **flower(mpls_label=100, mpls_tc=3, mpls_bos=1, mpls_ttl=64)),
             on('ingress', 6, 'all', **flower(enc_key_id=42, enc_dst_ip='192.0.2.2', enc_src_ip='192.0.2.0/24',
                                              enc_dst_port=4789, enc_tos=16, enc_ttl=64, classid='1:1'))]},
         change={'dev': 'v0', 'parent': 'ingress', 'config': [
             on('ingress', 3, '802.1q', **flower(vlan_id=11, vlan_ethtype='ip', ip_proto='tcp', dst_port=22))]},
         readback=[INGRESS], expect={INGRESS: filters({'kind': 'flower', 'pref': 3}, {'kind': 'flower', 'pref': 4},
                                                      {'kind': 'flower', 'pref': 5}, {'kind': 'flower', 'pref': 6})},
         needs={'kernel_module': 'cls_flower'}),
    vm_matchall('matchall-police', [{'kind': 'police', 'police': {'rate': '10mbit', 'burst': '64kb', 'exceed': 'drop'}}],
                [{'kind': 'police', 'police': {'pkts_rate': 1000, 'pkts_burst': 20, 'conform': 'pipe'}}],
                ['act_police']),
    vm_matchall('matchall-police-peak',
                [{'kind': 'police', 'police': {'rate': '1gbit', 'burst': '1mb', 'mtu': '9000', 'peakrate': '2gbit',
                                               'overhead': 14}}],
                [{'kind': 'police', 'police': {'rate': '100gbit', 'burst': '2mb'}}], ['act_police']),
    vm_matchall('matchall-pedit-skbmod',
                [{'kind': 'pedit', 'pedit': {'keys': [{'field': 'ip.ttl', 'value': 10},
                                                      {'field': 'ip.dst', 'value': '192.0.2.1'},
                                                      {'field': 'tcp.dport', 'value': 8080}]}},
                 {'kind': 'skbmod', 'skbmod': {'dmac': '02:00:00:00:00:09', 'etype': '0x88b5'}}],
                [{'kind': 'pedit', 'pedit': {'keys': [{'field': 'ip.ttl', 'cmd': 'add', 'value': 255}]}},
                 {'kind': 'skbmod', 'skbmod': {'swapmac': True}}], ['act_pedit', 'act_skbmod'], INGRESS_REPAIRED),
    vm_matchall('matchall-ctinfo-gate',
                [{'kind': 'ctinfo', 'ctinfo': {'zone': 2, 'dscp_mask': '0xfc000000', 'dscp_statemask': '0x01000000'}},
                 {'kind': 'gate', 'gate': {'entries': [{'gate': 'open', 'interval': '200ms'},
                                                       {'gate': 'close', 'interval': '100ms', 'ipv': 3}]}}],
                [{'kind': 'ctinfo', 'ctinfo': {'cpmark_mask': '0xffffffff'}}],
                ['act_ctinfo', 'act_gate']),
]

ERROR_CASES = [
    ErrorCase('no-such-parent', 'nl_tc_filter', setup=VETH,
              args=on('7:', 1, **u32(match=[{'ip': {'dst': '10.0.0.0/8'}}])),
              msg_contains=['kernel says']),
    ErrorCase('unknown-u32-field', 'nl_tc_filter', setup=CLSACT,
              args=on('ingress', 1, **u32(match=[{'ip': {'port': 80}}])),
              msg_contains=["u32.match[0]: 'port' is not a field of ip"], phase='validation'),
    ErrorCase('bad-u32-handle', 'nl_tc_filter', setup=CLSACT,
              args=on('ingress', 1, handle='800:1', **u32(match=U32_ANY)),
              msg_contains=["handle: '800:1' is not a u32 handle"], phase='validation'),
    ErrorCase('clsact-is-not-a-parent', 'nl_tc_filter', setup=CLSACT,
              args=on('clsact', 1, **u32(match=U32_ANY)),
              msg_contains=["filters of a clsact qdisc are on 'ingress' or 'egress'"], phase='validation'),
    ErrorCase('bad-bytecode', 'nl_tc_filter', setup=CLSACT,
              args=on('ingress', 1, kind='bpf', bpf={'bytecode': '2,6 0 0 0'}),
              msg_contains=['is not classic BPF bytecode'], phase='validation'),
    ErrorCase('flower-port-without-ip-proto', 'nl_tc_filter', setup=CLSACT,
              args=on('ingress', 1, **flower(dst_port=80)),
              msg_contains=['flower.dst_port needs ip_proto tcp, udp or sctp'], phase='validation'),
    ErrorCase('police-without-rate', 'nl_tc_filter', setup=CLSACT,
              args=on('ingress', 1, **dict(u32(match=U32_ANY), actions=[{'kind': 'police', 'police': {'burst': '1kb'}}])),
              msg_contains=['actions[0].police: give rate (bytes) or pkts_rate (packets), one of them'],
              phase='validation'),
    ErrorCase('mirred-to-nowhere', 'nl_tc_filter', setup=CLSACT,
              args=on('ingress', 1, **dict(u32(match=U32_ANY), actions=[{'kind': 'mirred', 'mirred': {'dev': 'nope'}}])),
              msg_contains=["device 'nope' does not exist"], phase='validation'),
    ErrorCase('flow-without-handle', 'nl_tc_filter', setup=HTB,
              args=on('1:', 11, kind='flow', flow={'keys': ['src'], 'divisor': 16, 'baseclass': '1:100'}),
              msg_contains=['handle: kind flow needs a handle'], phase='validation'),
]

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_tc_filter's later flower keys (tunnel options, the MPLS label stack, PPPoE,
num_of_vlans, conntrack labels, l2tpv3, hash), police's mpu and linklayer, and the bpf action (cases.py joins
them to the table).

The host kernel has neither cls_flower nor act_police nor act_bpf: every case that applies needs them and
runs in the test VM; the refusals (validation) run here. Readbacks are `tc -j -d filter show` (the bpf
action's through bpf_objects.py, without the program's id and load time).
"""

from harness import Case, ErrorCase

import bpf_objects as objects

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
CLSACT = VETH + ['tc qdisc add dev v0 clsact']
INGRESS = 'tc -j -d filter show dev v0 ingress'
INGRESS_BPF = objects.readback('filter', 'show', 'dev', 'v0', 'ingress')
FLOWER = {'kernel_module': 'cls_flower'}
U32_ANY = {'kind': 'u32', 'u32': {'match': [{'u32': {'value': 0, 'mask': 0, 'at': 0}}]}}
ACT_PASS = objects.written(objects.elf_object([('action', 'act_pass', objects.returns(0))]), 'act_pass.o')
ACT_DROP = objects.written(objects.elf_object([('action', 'act_drop', objects.returns(2)),
                                               ('act/other', 'act_other', objects.returns(3))]), 'act_drop.o')


def on(priority, protocol='all', **item):
    return dict({'dev': 'v0', 'parent': 'ingress', 'priority': priority, 'protocol': protocol}, **item)


def flower(priority, protocol='all', actions=None, **keys):
    return on(priority, protocol, kind='flower', flower=keys, **({'actions': actions} if actions else {}))


def config(*filters):
    return {'dev': 'v0', 'parent': 'ingress', 'config': list(filters)}


def prefs(*numbers):
    return [{'kind': 'flower', 'pref': n} for n in numbers]


CASES = [
    Case('flower-enc-opts', 'nl_tc_filter', setup=CLSACT,
         apply=config(
             flower(1, enc_key_id=42, enc_opts={'geneve': [{'class': '0x0102', 'type': '0x80', 'data': '00112233'},
                                                           {'class': '0x0103', 'type': 1,
                                                            'data': '0011223344556677/ffffffff00000000'}]}),
             flower(2, enc_opts={'vxlan': {'gbp': '0x800/0xf00'}}),
             flower(3, enc_opts={'erspan': {'version': 1, 'index': 12}}),
             flower(4, enc_opts={'erspan': {'version': 2, 'dir': 1, 'hwid': 5}}),
             flower(5, enc_opts={'gtp': {'pdu_type': 1, 'qfi': 8}})),
         change=config(flower(1, enc_key_id=42, enc_opts={'geneve': [{'class': 258, 'type': '0x80', 'data': '00000001'}]})),
         readback=[INGRESS], expect={INGRESS: prefs(1, 2, 3, 4, 5)}, needs=FLOWER),
    Case('flower-mpls-stack', 'nl_tc_filter', setup=CLSACT,
         apply=config(flower(6, 'mpls_uc', mpls=[{'depth': 1, 'label': 100, 'tc': 3},
                                                 {'depth': 2, 'bos': 1, 'ttl': 64}]),
                      flower(7, 'mpls_mc', mpls=[{'depth': 1, 'label': 16}])),  # reads back as mpls_label
         change=config(flower(6, 'mpls_uc', mpls=[{'depth': 3, 'label': 200}])),
         readback=[INGRESS], expect={INGRESS: prefs(6, 7)}, needs=FLOWER),
    Case('flower-pppoe-vlans-ct-label', 'nl_tc_filter', setup=CLSACT,
         apply=config(flower(8, '0x8864', pppoe_sid=1234, ppp_proto='ip', ip_proto='udp', dst_ip='192.0.2.0/24',
                             dst_port=53),
                      flower(9, '0x8864', ppp_proto='0xc021'),
                      flower(10, '802.1q', num_of_vlans=2, vlan_id=5),
                      flower(11, 'ip', ct_state='+trk+est',
                             ct_label='11223344556677880000000000000001/ffffffffffffffff0000000000000001')),
         change=config(flower(8, '0x8864', pppoe_sid=1235, ppp_proto='ipv6')),
         readback=[INGRESS], expect={INGRESS: prefs(8, 9, 10, 11)}, needs=FLOWER),
    Case('flower-l2tpv3-hash', 'nl_tc_filter', setup=CLSACT,
         apply=config(flower(12, 'ip', ip_proto='l2tp', l2tpv3_sid=99), flower(13, hash='0x10/0xf0')),
         change=config(flower(12, 'ip', ip_proto='l2tp', l2tpv3_sid=100)),
         readback=[INGRESS], expect={INGRESS: prefs(12, 13)}, needs=FLOWER, rendered=False,
         notes='tc 6.1 has no words for l2tpv3_sid and hash: their rendered commands cannot be replayed'),
    Case('police-mpu-linklayer', 'nl_tc_filter', setup=CLSACT,
         apply=flower(14, actions=[{'kind': 'police', 'police': {'rate': '2mbit', 'burst': '16kb', 'mpu': 64,
                                                                 'linklayer': 'atm', 'overhead': 10, 'exceed': 'drop'}}]),
         change=flower(14, actions=[{'kind': 'police', 'police': {'rate': '2mbit', 'burst': '16kb', 'mpu': '96b'}}]),
         readback=[INGRESS], expect={INGRESS: [{'kind': 'flower', 'pref': 14, 'options': {'actions': [
             {'kind': 'police', 'overhead': 10, 'linklayer': 'atm'}]}}]},
         needs={'kernel_module': ['cls_flower', 'act_police']}),
    Case('police-avrate', 'nl_tc_filter', setup=CLSACT,
         apply=on(17, actions=[{'kind': 'police', 'police': {'avrate': '500kbit', 'exceed': 'drop'}}], **U32_ANY),
         change=on(17, actions=[{'kind': 'police', 'police': {'avrate': '1mbit', 'conform': 'pipe'}}], **U32_ANY),
         readback=[INGRESS], expect={INGRESS: [{'kind': 'u32', 'pref': 17}]},
         needs={'kernel_module': 'act_police'},
         notes='the filter message carries the rate estimator (TCA_RATE) avrate needs'),
    Case('bpf-action-bytecode', 'nl_tc_filter', setup=CLSACT,
         apply=on(15, actions=[{'kind': 'bpf', 'bpf': {'bytecode': '1,6 0 0 4294967295'}},
                               {'kind': 'bpf', 'bpf': {'bytecode': '1,6 0 0 0'}, 'control': 'pass'}], **U32_ANY),
         change=on(15, actions=[{'kind': 'bpf', 'bpf': {'bytecode': '1,6 0 0 2'}}], **U32_ANY),
         readback=[INGRESS], expect={INGRESS: [{'kind': 'u32', 'pref': 15}]},
         needs={'kernel_module': 'act_bpf'}),
    Case('bpf-action-object', 'nl_tc_filter', setup=CLSACT,
         apply=on(16, actions=[{'kind': 'bpf', 'bpf': {'object': ACT_PASS}}], **U32_ANY),
         change=on(16, actions=[{'kind': 'bpf', 'bpf': {'object': ACT_DROP, 'section': 'act/other'},
                                 'control': 'drop'}], **U32_ANY),
         readback=[INGRESS_BPF], expect={INGRESS_BPF: [{'kind': 'u32', 'pref': 16}]},
         needs={'kernel_module': 'act_bpf'}),
]

ERROR_CASES = [
    ErrorCase('flower-mpls-stack-and-flat-keys', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, 'mpls_uc', mpls=[{'depth': 2, 'label': 5}], mpls_ttl=3),
              msg_contains=['flower.mpls: give the label stack or mpls_ttl, not both'], phase='validation'),
    ErrorCase('flower-mpls-depth', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, 'mpls_uc', mpls=[{'depth': 9}]),
              msg_contains=['flower.mpls[0].depth: 9 is not a number from 1 to 7'], phase='validation'),
    ErrorCase('flower-erspan-v1-with-dir', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, enc_opts={'erspan': {'version': 1, 'index': 1, 'dir': 1}}),
              msg_contains=['flower.enc_opts.erspan.dir does not go with version 1 (it takes index)'],
              phase='validation'),
    ErrorCase('flower-geneve-data-length', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, enc_opts={'geneve': [{'class': 1, 'type': 2, 'data': '001122'}]}),
              msg_contains=["flower.enc_opts.geneve[0].data: '001122' is not 4 to 124 bytes, a multiple of 4"],
              phase='validation'),
    ErrorCase('flower-two-tunnel-kinds', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, enc_opts={'vxlan': {'gbp': 1}, 'gtp': {'pdu_type': 1, 'qfi': 1}}),
              msg_contains=['flower.enc_opts: give one of geneve, vxlan, erspan, gtp, not gtp and vxlan'],
              phase='validation'),
    ErrorCase('flower-ct-label-length', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, 'ip', ct_label='0x1'),
              msg_contains=["flower.ct_label: '0x1' is not a conntrack label of 32 hex digits"], phase='validation'),
    ErrorCase('flower-pppoe-without-protocol', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, 'ip', pppoe_sid=3),
              msg_contains=['flower.pppoe_sid needs protocol 0x8864 (PPPoE session)'], phase='validation'),
    ErrorCase('police-mpu-without-rate', 'nl_tc_filter', setup=CLSACT,
              args=flower(1, actions=[{'kind': 'police', 'police': {'pkts_rate': 10, 'pkts_burst': 5, 'mpu': 64}}]),
              msg_contains=['actions[0].police: mpu and linklayer go with rate'], phase='validation'),
    ErrorCase('police-avrate-with-rate', 'nl_tc_filter', setup=CLSACT,
              args=on(1, actions=[{'kind': 'police', 'police': {'avrate': '1mbit', 'rate': '2mbit', 'burst': '1kb'}}],
                      **U32_ANY),
              msg_contains=['actions[0].police.avrate goes alone, without rate or pkts_rate'], phase='validation'),
    ErrorCase('bpf-action-two-sources', 'nl_tc_filter', setup=CLSACT,
              args=on(1, actions=[{'kind': 'bpf', 'bpf': {'bytecode': '1,6 0 0 0', 'object': ACT_PASS}}], **U32_ANY),
              msg_contains=['actions[0].bpf: give one of bytecode', 'not bytecode and object'], phase='validation'),
    ErrorCase('bpf-action-no-such-section', 'nl_tc_filter', setup=CLSACT,
              args=on(1, actions=[{'kind': 'bpf', 'bpf': {'object': ACT_PASS, 'section': 'classifier'}}], **U32_ANY),
              msg_contains=["has no section 'classifier'; its program sections: action"], phase='validation'),
]

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_tc_filter's eBPF programs and shared blocks (cases.py joins them to the table).

The objects are written by bpf_objects.py (no compiler needed); tc loads the same files when the rendered
commands are replayed. Readbacks go through bpf_objects.py as a script: `tc -j filter show` without the
loaded program's id and load time, which differ between two loads of one program.
Pinned programs are not here: pinning needs a bpffs, which the tests only mount in a private mount
namespace (tests/unit/test_bpf_kernel.py) - the module runs of the harness see the host's.
"""

from harness import Case, ErrorCase, Purge

import bpf_objects as objects

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
CLSACT = VETH + ['tc qdisc add dev v0 clsact']
HTB = VETH + ['tc qdisc add dev v0 root handle 1: htb default 10']
BLOCKS = VETH + ['tc qdisc add dev v0 ingress_block 7 egress_block 8 clsact']
EGRESS = objects.readback('filter', 'show', 'dev', 'v0', 'egress')
ROOT = objects.readback('filter', 'show', 'dev', 'v0', 'parent', '1:')
BLOCK7 = objects.readback('filter', 'show', 'block', '7')
BLOCK8 = objects.readback('filter', 'show', 'block', '8')

DROP = objects.written(objects.elf_object([('classifier', 'drop', objects.returns(2))]), 'drop.o')
PASS = objects.written(objects.elf_object([('classifier', 'pass', objects.returns(0))]), 'pass.o')
# two programs in two sections; without direct action the return value is the class (0x10005 is 1:5)
CLASSES = objects.written(objects.elf_object([('tc', 'to_1_5', objects.returns(0x10005)),
                                              ('tc/other', 'to_1_6', objects.returns(0x10006))]), 'classes.o')
WITH_MAP = objects.written(objects.elf_object([('classifier', 'uses_map', objects.map_load(0))],
                                              map_relocation=('classifier', 0)), 'with_map.o')


def on(parent, priority, protocol='all', **item):
    return dict({'dev': 'v0', 'parent': parent, 'priority': priority, 'protocol': protocol}, **item)


def obj(path, section='classifier', **options):
    return {'kind': 'bpf', 'bpf': dict({'object': path, 'section': section}, **options)}


CASES = [
    Case('bpf-object-da', 'nl_tc_filter', setup=CLSACT,
         apply=on('egress', 3, **obj(DROP, direct_action=True)),
         change=on('egress', 3, **obj(PASS, direct_action=True)),
         readback=[EGRESS],
         expect={EGRESS: [{'kind': 'bpf', 'pref': 3, 'options': {
             'bpf_name': 'drop.o:[classifier]', 'direct-action': True, 'prog': {'name': 'drop'}}}]}),
    Case('bpf-object-sections-classid', 'nl_tc_filter', setup=HTB,
         apply=on('1:', 4, 'ip', **obj(CLASSES, 'tc', classid='1:5')),
         change=on('1:', 4, 'ip', **obj(CLASSES, 'tc/other', classid='1:6')),
         readback=[ROOT],
         expect={ROOT: [{'kind': 'bpf', 'pref': 4, 'protocol': 'ip',
                         'options': {'bpf_name': 'classes.o:[tc]', 'flowid': '1:5', 'prog': {'name': 'to_1_5'}}}]}),
    Case('bpf-shared-block', 'nl_tc_filter', setup=BLOCKS,
         apply={'block': 7, 'priority': 1, 'protocol': 'all', 'kind': 'bpf',
                'bpf': {'object': DROP, 'direct_action': True}},
         change={'block': 7, 'priority': 1, 'protocol': 'all', 'kind': 'bpf',
                 'bpf': {'bytecode': '1,6 0 0 4294967295', 'direct_action': True}},
         readback=[BLOCK7, BLOCK8],
         expect={BLOCK7: [{'kind': 'bpf', 'pref': 1, 'options': {'bpf_name': 'drop.o:[classifier]'}}]},
         purge=Purge(setup=['tc filter add block 7 protocol ip pref 9 u32 match ip src 10.0.0.1/32',
                            'tc filter add block 8 protocol ip pref 9 u32 match ip src 10.0.0.2/32'],
                     args={'block': 7, 'state': 'overridden', 'config': [
                         {'priority': 1, 'protocol': 'all', 'kind': 'bpf',
                          'bpf': {'object': DROP, 'direct_action': True}}]},
                     survives={BLOCK7: [{'pref': 1}], BLOCK8: [{'pref': 9}]},
                     removed={BLOCK7: [{'pref': 9}]})),
]

ERROR_CASES = [
    ErrorCase('bpf-object-with-map', 'nl_tc_filter', setup=CLSACT,
              args=on('egress', 1, **obj(WITH_MAP, direct_action=True)),
              msg_contains=['section classifier needs 1 relocation(s)', '.relclassifier', "'my_map'",
                            'maps and relocations are not supported'], phase='validation'),
    ErrorCase('bpf-no-such-section', 'nl_tc_filter', setup=CLSACT,
              args=on('egress', 1, **obj(DROP, 'ingress')),
              msg_contains=["has no section 'ingress'; its program sections: classifier"], phase='validation'),
    ErrorCase('bpf-two-sources', 'nl_tc_filter', setup=CLSACT,
              args=on('egress', 1, kind='bpf', bpf={'object': DROP, 'bytecode': '1,6 0 0 0'}),
              msg_contains=['give one of bytecode', 'not bytecode and object'], phase='validation'),
    ErrorCase('block-with-parent', 'nl_tc_filter', setup=BLOCKS,
              args={'block': 7, 'parent': 'ingress', 'priority': 1, 'kind': 'bpf', 'bpf': {'object': DROP}},
              msg_contains=['a filter of block 7 has no parent'], phase='validation'),
    ErrorCase('no-such-block', 'nl_tc_filter', setup=BLOCKS,
              args={'block': 99, 'priority': 1, 'kind': 'bpf', 'bpf': {'object': DROP}},
              msg_contains=['kernel says']),
]

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_qdisc conformance cases of red, gred, choke, taprio and mqprio (imported into cases.py).

The host kernel has none of these kinds: the cases `need` sch_<kind> and run in the test VM. taprio and
mqprio spread traffic classes over transmit queues: v0 gets 8 of them. The validation error cases are
refused before the kernel is asked, so they run anywhere; the kernel ones (hardware offload asked of a veth)
need the kind. mqprio's mode, shaper and rates and taprio's full offload need a NIC that offloads them:
only their refusal on veth is tested here.
"""

from harness import Case, ErrorCase

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
VETH_MQ = ['ip link add v0 numtxqueues 8 numrxqueues 8 address 02:00:00:00:00:01 type veth peer name v1 '
           'numtxqueues 8 numrxqueues 8 address 02:00:00:00:00:02', 'ip link set v0 up']
QDISCS = 'tc -j -s -d qdisc show dev v0'


def sched_case(kind, apply_options, change_options, expect_options=None, setup=None, notes='', case_id=None):
    """A root qdisc of the kind: apply, then change it (in place, or replaced where the kernel cannot)."""
    args = {'dev': 'v0', 'handle': '1:', 'kind': kind}
    shown = {'kind': kind, 'handle': '1:'}
    if expect_options:
        shown['options'] = expect_options
    return Case(case_id or kind, 'nl_qdisc', setup=setup or VETH, needs={'kernel_module': 'sch_%s' % kind},
                apply=dict(args, **{kind: apply_options}), change=dict(args, **{kind: change_options}),
                readback=[QDISCS], expect={QDISCS: [shown]}, notes=notes)


TAPRIO = {'num_tc': 2, 'map': [0, 1], 'queues': ['1@0', '1@1'], 'clockid': 'CLOCK_TAI',
          'schedule': [{'gates': '3', 'interval': 300000}, {'gates': '1', 'interval': 700000}]}
MQPRIO_OFFLOAD = {'num_tc': 2, 'map': [0, 1], 'queues': ['4@0', '4@4'], 'hw': True, 'mode': 'channel',
                  'shaper': 'bw_rlimit', 'min_rate': ['10mbit', '20mbit'], 'max_rate': ['100mbit', '200mbit']}
GRED_VQS = [{'dp': 0, 'prio': 1, 'limit': '60kb', 'min': '15kb', 'max': '45kb', 'bandwidth': '100mbit'},
            {'dp': 1, 'prio': 2, 'limit': '60kb', 'min': '10kb', 'max': '30kb', 'probability': 0.1, 'ecn': True}]
GRED_QUEUE = dict((name, value) for name, value in GRED_VQS[0].items() if name != 'prio')  # prio is grio's

CASES = [
    sched_case('red', {'limit': '400kb', 'min': '30kb', 'max': '90kb', 'avpkt': 1000, 'bandwidth': '100mbit', 'ecn': True},
               {'limit': '500kb', 'min': '40kb', 'max': '120kb', 'probability': 0.05, 'harddrop': True},
               {'limit': 409600, 'min': 30720, 'max': 92160},
               notes='facts show the burst and bandwidth as ones that give the kernel its Wlog and Scell_log'),
    sched_case('choke', {'limit': 1000, 'min': 100, 'max': 300, 'bandwidth': '100mbit'},
               {'limit': 2000, 'min': 200, 'max': 600, 'bandwidth': '100mbit', 'ecn': True},
               {'limit': 1000, 'min': 100, 'max': 300}),
    sched_case('gred', {'default': 0, 'grio': True, 'vqs': GRED_VQS},
               {'default': 1, 'grio': True, 'vqs': [dict(GRED_VQS[1], max='40kb')]},
               notes='one setup request, then one change request per virtual queue'),
    sched_case('mqprio', {'num_tc': 2, 'map': [0, 1, 1, 1], 'queues': ['4@0', '4@4']},
               {'num_tc': 3, 'map': [0, 1, 2], 'queues': ['2@0', '2@2', '4@4']}, setup=VETH_MQ,
               notes='software mode (hw 0); a change replaces it'),
    sched_case('red', {'limit': '400kb', 'min': '30kb', 'max': '90kb', 'ecn': True, 'nodrop': True, 'adaptive': True},
               {'limit': '400kb', 'min': '30kb', 'max': '90kb', 'ecn': True}, case_id='red-flags',
               notes='nodrop and adaptive go in TCA_RED_FLAGS (bitfield32); the change clears them in place'),
    sched_case('gred', {'ecn': True, 'vqs': [GRED_QUEUE]}, {'ecn': True, 'harddrop': True, 'vqs': [GRED_QUEUE]},
               case_id='gred-setup-flags',
               notes='RED flags on the setup: every queue is sent them (the kernel refuses a queue with others)'),
    sched_case('taprio', dict(TAPRIO, flags=['txtime-assist'], txtime_delay=200000),
               dict(TAPRIO, flags=['txtime-assist'], txtime_delay=300000, max_sdu=[0, 1400]), setup=VETH_MQ,
               case_id='taprio-txtime-assist',
               notes='txtime-assist is software too (packets get their transmit time); max_sdu is a TC entry per class'),
    sched_case('taprio', {'num_tc': 2, 'map': [0, 1], 'queues': ['1@0', '1@1'], 'base_time': 1000000000,
                          'clockid': 'CLOCK_TAI', 'schedule': [{'gates': '3', 'interval': 300000},
                                                               {'gates': '1', 'interval': 700000}]},
               {'num_tc': 2, 'map': [0, 1], 'queues': ['1@0', '1@1'], 'base_time': 1000000000, 'cycle_time': 2000000,
                'clockid': 'CLOCK_TAI', 'schedule': [{'gates': '2', 'interval': 1000000},
                                                     {'command': 'S', 'gates': '1', 'interval': 1000000}]},
               setup=VETH_MQ, notes='software mode; a past base time starts the schedule at once; a change replaces it'),
]

ERROR_CASES = [
    ErrorCase('red-min-above-max', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'red',
                                                'red': {'limit': '400kb', 'min': '90kb', 'max': '30kb'}},
              ['red: min (90kb) is above max (30kb)'], setup=VETH, phase='validation'),
    ErrorCase('red-bad-probability', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'red',
                                                  'red': {'limit': '400kb', 'min': '30kb', 'max': '90kb',
                                                          'probability': '2%'}},
              ["red.probability: '2%' is not a probability"], setup=VETH, phase='validation'),
    ErrorCase('choke-burst-too-small', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'choke',
                                                    'choke': {'limit': 1000, 'min': 100, 'max': 300, 'burst': 10}},
              ['choke: no RED weight fits burst 10'], setup=VETH, phase='validation'),
    ErrorCase('gred-dp-twice', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'gred',
                                            'gred': {'grio': True, 'vqs': [GRED_VQS[0], dict(GRED_VQS[1], dp=0)]}},
              ['gred.vqs[1].dp: 0 is given twice'], setup=VETH, phase='validation'),
    ErrorCase('gred-prio-without-grio', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'gred',
                                                     'gred': {'vqs': [GRED_VQS[0]]}},
              ['gred.vqs[0].prio: 1, but only a gred with grio: true'], setup=VETH, phase='validation'),
    ErrorCase('taprio-bad-command', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'taprio',
                                                 'taprio': {'num_tc': 1, 'queues': ['1@0'], 'clockid': 'CLOCK_TAI',
                                                            'schedule': [{'command': 'X', 'gates': 1,
                                                                          'interval': 1000}]}},
              ['command', 'X'], setup=VETH, phase='validation'),
    ErrorCase('taprio-bad-interval', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'taprio',
                                                  'taprio': {'num_tc': 1, 'queues': ['1@0'], 'clockid': 'CLOCK_TAI',
                                                             'schedule': [{'gates': 1, 'interval': 0}]}},
              ['taprio.schedule[0].interval: 0 is not a number of nanoseconds'], setup=VETH, phase='validation'),
    ErrorCase('mqprio-queues-per-class', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'mqprio',
                                                      'mqprio': {'num_tc': 2, 'queues': ['4@0']}},
              ['mqprio.queues: 1 ranges for num_tc 2'], setup=VETH, phase='validation'),
    ErrorCase('red-nodrop-without-ecn', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'red',
                                                     'red': {'limit': '400kb', 'min': '30kb', 'max': '90kb',
                                                             'nodrop': True}},
              ['red.nodrop: needs ecn: true'], setup=VETH, phase='validation'),
    ErrorCase('gred-queue-flags-not-the-setups', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'gred',
                                                              'gred': {'harddrop': True,
                                                                       'vqs': [dict(GRED_QUEUE, ecn=True)]}},
              ['gred.vqs[0].ecn: True, but the setup has ecn False, harddrop True'], setup=VETH, phase='validation'),
    ErrorCase('mqprio-rates-in-software', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'mqprio',
                                                       'mqprio': dict(MQPRIO_OFFLOAD, hw=False)},
              ['mqprio.mode: needs hw: true'], setup=VETH_MQ, phase='validation'),
    ErrorCase('mqprio-rates-without-bw-rlimit', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'mqprio',
                                                             'mqprio': dict(MQPRIO_OFFLOAD, shaper='dcb')},
              ['mqprio.min_rate: needs shaper: bw_rlimit'], setup=VETH_MQ, phase='validation'),
    ErrorCase('taprio-both-flags', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'taprio',
                                                'taprio': dict(TAPRIO, flags=['txtime-assist', 'full-offload'])},
              ['taprio.flags: txtime-assist, full-offload: give one'], setup=VETH_MQ, phase='validation'),
    ErrorCase('taprio-txtime-delay-in-software', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'taprio',
                                                              'taprio': dict(TAPRIO, txtime_delay=1000)},
              ['taprio.txtime_delay: needs flags [txtime-assist]'], setup=VETH_MQ, phase='validation'),
    ErrorCase('taprio-max-sdu-per-class', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'taprio',
                                                       'taprio': dict(TAPRIO, max_sdu=[1500, 1500, 1500])},
              ['taprio.max_sdu: 3 values for num_tc 2'], setup=VETH_MQ, phase='validation'),
    # hardware offload asked of a veth: the kernel refuses (mqprio: no ndo_setup_tc; taprio: no PTP clock)
    ErrorCase('mqprio-offload-on-veth', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'mqprio',
                                                     'mqprio': MQPRIO_OFFLOAD},
              ['EINVAL'], setup=VETH_MQ, needs={'kernel_module': 'sch_mqprio'}),
    ErrorCase('taprio-full-offload-on-veth', 'nl_qdisc', {'dev': 'v0', 'handle': '1:', 'kind': 'taprio',
                                                          'taprio': dict(((k, v) for k, v in TAPRIO.items() if k != 'clockid'),
                                                                         flags=['full-offload'])},
              ['PTP clock'], setup=VETH_MQ, needs={'kernel_module': 'sch_taprio'}),
]

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_rule and nl_neigh (cases.py joins them to the table).

Rules live in a fresh namespace next to the kernel's own (priorities 0, 32766, 32767); readbacks use
`ip -d` so that their protocol shows. Neighbours are read back one entry at a time (a dump lists them in hash
order, which differs from one namespace to the next), the purge checks (which match in any order) by test
prefix: the kernel adds entries of its own (ff02::16 once MLD runs) when it chooses.
"""

from harness import BulkCase, Case, ErrorCase, Purge

VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
        'ip link set v0 up']
# lo up: the local table exists, so IPv4 neighbours are unicast (not broadcast) entries, as on a host
NEIGH_SETUP = VETH + ['ip link set lo up', 'ip link add w0 address 02:00:00:00:01:01 type veth peer name w1']
RULES = 'ip -j -d rule show'
RULES6 = 'ip -j -d -6 rule show'
KERNEL_RULES = [{'priority': 0, 'table': 'local', 'protocol': 'kernel'},
                {'priority': 32766, 'table': 'main', 'protocol': 'kernel'},
                {'priority': 32767, 'table': 'default', 'protocol': 'kernel'}]
KERNEL_RULES6 = KERNEL_RULES[:2]
V0_4 = 'ip -j neigh show nud all dev v0 to 192.0.2.0/24'
V0_6 = 'ip -j neigh show nud all dev v0 to 2001:db8::/32'
W0_4 = 'ip -j neigh show nud all dev w0 to 192.0.2.0/24'
W0_6 = 'ip -j neigh show nud all dev w0 to 2001:db8::/32'
PROXY_V0 = 'ip -j neigh show proxy dev v0'
PROXY_W0 = 'ip -j neigh show proxy dev w0'
MAC5, MAC6, MAC7 = '02:00:00:00:00:05', '02:00:00:00:00:06', '02:00:00:00:00:07'


def without(command, **fields):
    """A check that no entry of ``command`` has all of ``fields``."""
    def check(readback, raw):
        found = [e for e in raw[command] if all(k in e and e[k] == v for k, v in fields.items())]
        assert not found, '%s still shows %s' % (command, found)
    return check


def entry(dst, dev='v0'):
    return 'ip -j neigh show nud all dev %s to %s' % (dev, dst)


def proxy(dst, dev='v0'):
    return 'ip -j neigh show proxy dev %s to %s' % (dev, dst)


def absent(*commands):
    """A check that these readbacks (one entry each) show nothing."""
    def check(readback, raw):
        for command in commands:
            assert raw[command] == [], '%s still shows %s' % (command, raw[command])
    return check


def all_of(*checks):
    def check(readback, raw):
        for one in checks:
            one(readback, raw)
    return check


CASES = [
    # -- nl_rule ------------------------------------------------------------------------------------
    Case('v4-fwmark-table', 'nl_rule',
         apply={'priority': 1000, 'fwmark': '0x10', 'fwmask': '0xff', 'table': '100'},
         change={'priority': 1000, 'fwmark': '0x10', 'fwmask': '0xff', 'table': '100', 'invert': True},
         readback=[RULES],
         expect={RULES: KERNEL_RULES + [{'priority': 1000, 'fwmark': '0x10', 'fwmask': '0xff', 'table': '100',
                                         'protocol': 'unspec'}]},
         check=without(RULES, priority=1000, **{'not': None}),
         notes='invert is not identity (the kernel refuses a rule that differs in it only): a change is del + add'),
    Case('v6-from-to-protocol', 'nl_rule',
         apply={'priority': 1001, 'from': '2001:db8:100::/48', 'to': '2001:db8:200::/48', 'table': 200,
                'protocol': 'static'},
         change={'priority': 1001, 'from': '2001:db8:100::/48', 'to': '2001:db8:200::/48', 'table': 200,
                 'protocol': 'boot'},
         readback=[RULES6],
         expect={RULES6: KERNEL_RULES6 + [{'priority': 1001, 'src': '2001:db8:100::', 'srclen': 48,
                                           'dst': '2001:db8:200::', 'dstlen': 48, 'table': '200',
                                           'protocol': 'static'}]},
         notes='protocol is identity (two rules that differ in it only coexist): the change adds a second rule'),
    Case('uidrange-ports-v4-v6', 'nl_rule',
         apply={'config': [{'priority': 1010, 'uidrange': '1000-1999', 'ipproto': 'tcp', 'sport': '1024-65000',
                            'dport': 443, 'table': 101},
                           {'priority': 1011, 'family': 'inet6', 'uidrange': '0', 'ipproto': 'udp', 'dport': '53',
                            'iif': 'lo', 'table': 'main', 'suppress_prefixlength': 0}]},
         change={'config': [{'priority': 1010, 'uidrange': '1000-1999', 'ipproto': 'tcp', 'sport': '1024-65000',
                             'dport': '8000-8999', 'table': 101}]},
         readback=[RULES, RULES6],
         expect={RULES: [{'priority': 1010, 'uid_start': 1000, 'uid_end': 1999, 'ipproto': 'tcp',
                          'sport_start': 1024, 'sport_end': 65000, 'dport': 443, 'table': '101'}],
                 RULES6: [{'priority': 1011, 'uid_start': 0, 'uid_end': 0, 'ipproto': 'udp', 'dport': 53,
                           'iif': 'lo', 'table': 'main', 'suppress_prefixlen': 0}]}),
    Case('actions', 'nl_rule',
         apply={'config': [{'priority': 1030, 'to': '192.0.2.0/24', 'action': 'blackhole'},
                           {'priority': 1031, 'from': '198.51.100.0/24', 'action': 'unreachable'},
                           {'priority': 1032, 'iif': 'v9', 'action': 'prohibit'},
                           {'priority': 1033, 'goto': 1035},
                           {'priority': 1034, 'action': 'nop'},
                           {'priority': 1035, 'l3mdev': True}]},
         change={'config': [{'priority': 1033, 'goto': 1034}]},
         readback=[RULES],
         expect={RULES: [{'priority': 1030, 'dst': '192.0.2.0', 'dstlen': 24, 'action': 'blackhole'},
                         {'priority': 1031, 'src': '198.51.100.0', 'srclen': 24, 'action': 'unreachable'},
                         {'priority': 1032, 'iif': 'v9', 'action': 'prohibit'},
                         {'priority': 1033, 'goto': 1035}, {'priority': 1034, 'nop': None},
                         {'priority': 1035, 'l3mdev': None}]},
         notes='the goto target is not identity: changing it is del + add'),
    Case('without-priority', 'nl_rule',
         apply={'from': '192.0.2.0/24', 'table': 10},
         change={'from': '192.0.2.0/24', 'table': 10, 'invert': True},
         readback=[RULES],
         expect={RULES: [{'priority': 32765, 'src': '192.0.2.0', 'srclen': 24, 'table': '10'}]},
         notes='the priority the kernel would choose (second rule - 1) is stated in the commands'),
    Case('overridden-priority-range', 'nl_rule',
         setup=['ip rule add pref 1100 fwmark 0x1 table 11', 'ip rule add pref 1200 from 10.0.0.0/8 table 12',
                'ip rule add pref 5000 table 50', 'ip -6 rule add pref 1300 table 13'],
         apply={'priority_range': [1000, 1999], 'state': 'overridden',
                'config': [{'priority': 1100, 'fwmark': 1, 'table': 11}, {'priority': 1500, 'table': 15}]},
         change={'priority_range': [1000, 1999], 'state': 'overridden', 'config': [{'priority': 1500, 'table': 15}]},
         readback=[RULES, RULES6],
         expect={RULES: KERNEL_RULES + [{'priority': 1100, 'fwmark': '0x1', 'table': '11'},
                                        {'priority': 1500, 'table': '15'}, {'priority': 5000, 'table': '50'}],
                 RULES6: KERNEL_RULES6},
         check=all_of(without(RULES, priority=1200), without(RULES6, priority=1300)),
         purge=Purge(
             setup=['ip rule add pref 999 table 9', 'ip rule add pref 1999 table 19', 'ip rule add pref 2000 table 20',
                    'ip -6 rule add pref 1400 iif lo table 14', 'ip -6 rule add pref 900 table 9'],
             args={'priority_range': [1000, 1999], 'state': 'overridden', 'config': [{'priority': 1500, 'table': 15}]},
             survives={RULES: KERNEL_RULES + [{'priority': 999}, {'priority': 1500, 'table': '15'},
                                              {'priority': 2000}, {'priority': 5000}],
                       RULES6: KERNEL_RULES6 + [{'priority': 900}]},
             removed={RULES: [{'priority': 1100}, {'priority': 1200}, {'priority': 1999}],
                      RULES6: [{'priority': 1300}, {'priority': 1400}]})),
    Case('table-scope', 'nl_rule',
         setup=['ip rule add pref 100 fwmark 0x5 table 100', 'ip -6 rule add pref 101 table 100',
                'ip rule add pref 102 table 200', 'ip -6 rule add pref 103 table 200'],
         apply={'table': 100, 'state': 'deleted'},
         change={'table': 200, 'state': 'deleted'},
         readback=[RULES, RULES6],
         expect={RULES: KERNEL_RULES + [{'priority': 102, 'table': '200'}],
                 RULES6: KERNEL_RULES6 + [{'priority': 103, 'table': '200'}]},
         check=all_of(without(RULES, table='100'), without(RULES6, table='100')),
         purge=Purge(
             setup=['ip rule add pref 104 from 10.0.0.0/8 table 100', 'ip rule add pref 105 blackhole'],
             args={'table': 100, 'state': 'overridden', 'config': [{'priority': 100, 'fwmark': 5}]},
             survives={RULES: KERNEL_RULES + [{'priority': 100, 'fwmark': '0x5', 'table': '100'},
                                              {'priority': 102, 'table': '200'}, {'priority': 105}],
                       RULES6: KERNEL_RULES6 + [{'priority': 103, 'table': '200'}]},
             removed={RULES: [{'priority': 104}], RULES6: [{'priority': 101}]}),
         notes='the top-level table is the scope and the table of the items'),
    Case('family-scope', 'nl_rule',
         setup=['ip rule add pref 200 table 20', 'ip -6 rule add pref 200 table 20', 'ip -6 rule add pref 201 table 21'],
         apply={'family': 'inet6', 'priority_range': [1, 32765], 'state': 'overridden',
                'config': [{'priority': 200, 'table': 20}]},
         change={'family': 'inet6', 'priority_range': [1, 32765], 'state': 'overridden',
                 'config': [{'priority': 202, 'table': 22}]},
         readback=[RULES, RULES6],
         expect={RULES: KERNEL_RULES + [{'priority': 200, 'table': '20'}],
                 RULES6: KERNEL_RULES6 + [{'priority': 200, 'table': '20'}]},
         check=without(RULES6, priority=201)),
    Case('kernel-rule-in-explicit-range', 'nl_rule',
         apply={'family': 'inet', 'priority_range': [0, 1000], 'state': 'overridden',
                'config': [{'priority': 1000, 'table': 'local'}]},
         change={'family': 'inet', 'priority_range': [0, 1000], 'state': 'overridden',
                 'config': [{'priority': 1000, 'table': 'local'}, {'priority': 500, 'table': 5}]},
         readback=[RULES, RULES6],
         expect={RULES: KERNEL_RULES[1:] + [{'priority': 1000, 'table': 'local'}], RULES6: KERNEL_RULES6},
         check=without(RULES, priority=0),
         notes='moving the local rule (as VRF setups do): the kernel rule at 0 is in the range given'),

    # -- nl_neigh -----------------------------------------------------------------------------------
    Case('v4-permanent', 'nl_neigh', setup=NEIGH_SETUP,
         apply={'dev': 'v0', 'dst': '192.0.2.5', 'lladdr': MAC5},
         change={'dev': 'v0', 'dst': '192.0.2.5', 'lladdr': MAC6},
         readback=[entry('192.0.2.5')],
         expect={entry('192.0.2.5'): [{'dst': '192.0.2.5', 'lladdr': MAC5, 'state': ['PERMANENT']}]}),
    Case('v6-permanent-router', 'nl_neigh', setup=NEIGH_SETUP,
         apply={'dev': 'v0', 'dst': '2001:db8::5', 'lladdr': MAC5, 'flags': ['router']},
         change={'dev': 'v0', 'dst': '2001:db8::5', 'lladdr': MAC5, 'state': 'replaced'},
         readback=[entry('2001:db8::5')],
         expect={entry('2001:db8::5'): [{'dst': '2001:db8::5', 'lladdr': MAC5, 'router': None,
                                         'state': ['PERMANENT']}]},
         notes='replaced resets the flags: the router flag goes (ip neigh replace)'),
    Case('noarp', 'nl_neigh', setup=NEIGH_SETUP,
         apply={'dev': 'v0', 'config': [{'dst': '192.0.2.6', 'lladdr': MAC6, 'nud': 'noarp'},
                                        {'dst': '2001:db8::6', 'lladdr': MAC6, 'nud': 'noarp'}]},
         change={'dev': 'v0', 'config': [{'dst': '192.0.2.6', 'lladdr': MAC6}]},
         readback=[entry('192.0.2.6'), entry('2001:db8::6')],
         expect={entry('192.0.2.6'): [{'lladdr': MAC6, 'state': ['NOARP']}],
                 entry('2001:db8::6'): [{'lladdr': MAC6, 'state': ['NOARP']}]}),
    Case('dynamic-state', 'nl_neigh', setup=NEIGH_SETUP + ['ip neigh add 192.0.2.8 lladdr %s dev v0 nud stale' % MAC7],
         apply={'dev': 'v0', 'config': [{'dst': '192.0.2.7', 'lladdr': MAC7, 'nud': 'reachable'},
                                        {'dst': '192.0.2.8', 'lladdr': MAC7, 'nud': 'reachable'}]},
         change={'dev': 'v0', 'config': [{'dst': '192.0.2.7', 'lladdr': MAC6, 'nud': 'stale'}]},
         readback=[entry('192.0.2.7'), entry('192.0.2.8')],
         expect={entry('192.0.2.7'): [{'lladdr': MAC7, 'state': ['REACHABLE']}],
                 entry('192.0.2.8'): [{'lladdr': MAC7, 'state': ['STALE']}]},
         notes='a state the kernel moves between matches any other such state: 192.0.2.8 stays stale'),
    Case('proxy', 'nl_neigh', setup=NEIGH_SETUP,
         apply={'dev': 'v0', 'proxy': True, 'config': [{'dst': '2001:db8::7'}, {'dst': '192.0.2.50'}]},
         change={'dev': 'v0', 'dst': '2001:db8::7', 'proxy': True, 'flags': ['router']},
         readback=[proxy('2001:db8::7'), proxy('192.0.2.50'), entry('2001:db8::7')],
         expect={proxy('2001:db8::7'): [{'dst': '2001:db8::7', 'proxy': None}],
                 proxy('192.0.2.50'): [{'dst': '192.0.2.50', 'proxy': None}]},
         check=absent(entry('2001:db8::7'))),
    Case('overridden-per-device', 'nl_neigh',
         setup=NEIGH_SETUP + ['ip neigh add 192.0.2.60 lladdr %s dev v0' % MAC6,
                              'ip neigh add 192.0.2.61 lladdr %s dev v0 nud stale' % MAC6,
                              'ip neigh add 192.0.2.62 lladdr %s dev v0 nud noarp' % MAC6,
                              'ip neigh add proxy 192.0.2.63 dev v0',
                              'ip neigh add 192.0.2.64 lladdr %s dev w0' % MAC6],
         apply={'dev': 'v0', 'state': 'overridden', 'config': [{'dst': '192.0.2.5', 'lladdr': MAC5}]},
         change={'dev': 'v0', 'state': 'overridden', 'config': [{'dst': '2001:db8::5', 'lladdr': MAC5}]},
         readback=[entry('192.0.2.5'), entry('192.0.2.60'), entry('192.0.2.61'), entry('192.0.2.62'),
                   proxy('192.0.2.63'), entry('192.0.2.64', 'w0')],
         expect={entry('192.0.2.5'): [{'state': ['PERMANENT']}], entry('192.0.2.61'): [{'state': ['STALE']}],
                 entry('192.0.2.62'): [{'state': ['NOARP']}], entry('192.0.2.64', 'w0'): [{'state': ['PERMANENT']}]},
         check=absent(entry('192.0.2.60'), proxy('192.0.2.63')),
         purge=Purge(
             setup=['ip neigh add 2001:db8::60 lladdr %s dev v0' % MAC6, 'ip neigh add 2001:db8::64 lladdr %s dev w0'
                    % MAC6, 'ip neigh add proxy 2001:db8::65 dev w0'],
             args={'dev': 'v0', 'state': 'overridden', 'config': [{'dst': '192.0.2.5', 'lladdr': MAC5}]},
             survives={V0_4: [{'dst': '192.0.2.5'}, {'dst': '192.0.2.61'}, {'dst': '192.0.2.62'}],
                       W0_4: [{'dst': '192.0.2.64'}], W0_6: [{'dst': '2001:db8::64'}],
                       PROXY_W0: [{'dst': '2001:db8::65'}]},
             removed={V0_4: [{'dst': '192.0.2.60'}], V0_6: [{'dst': '2001:db8::60'}],
                      PROXY_V0: [{'dst': '192.0.2.63'}]}),
         notes='without a nud scope, only permanent and proxy entries of the device are purged'),
    Case('deleted-by-state', 'nl_neigh',
         setup=NEIGH_SETUP + ['ip neigh add 192.0.2.70 lladdr %s dev v0 nud stale' % MAC7,
                              'ip neigh add 192.0.2.71 lladdr %s dev v0' % MAC7,
                              'ip neigh add 192.0.2.72 lladdr %s dev w0 nud stale' % MAC7],
         apply={'dev': 'v0', 'nud': 'stale', 'state': 'deleted'},
         change={'dev': 'v0', 'nud': 'permanent', 'state': 'deleted'},
         readback=[entry('192.0.2.70'), entry('192.0.2.71'), entry('192.0.2.72', 'w0')],
         expect={entry('192.0.2.71'): [{'state': ['PERMANENT']}], entry('192.0.2.72', 'w0'): [{'state': ['STALE']}]},
         check=absent(entry('192.0.2.70')),
         purge=Purge(setup=['ip neigh add 192.0.2.73 lladdr %s dev v0 nud stale' % MAC7],
                     args={'dev': 'v0', 'nud': 'stale', 'state': 'deleted'},
                     survives={V0_4: [{'dst': '192.0.2.71'}], W0_4: [{'dst': '192.0.2.72'}]},
                     removed={V0_4: [{'dst': '192.0.2.70'}, {'dst': '192.0.2.73'}]}),
         notes='a top-level nud puts the entries in that state in scope: `ip neigh flush dev v0 nud stale`'),
]

ERROR_CASES = [
    # -- nl_rule ------------------------------------------------------------------------------------
    ErrorCase('backward-goto', 'nl_rule', args={'priority': 1000, 'goto': 900},
              msg_contains=['EINVAL', 'Backward goto not supported']),
    ErrorCase('ipv4-tos-beyond-tos-bits', 'nl_rule', args={'priority': 1000, 'tos': '0x28', 'table': 5},
              msg_contains=['EINVAL', 'Invalid tos']),
    ErrorCase('bad-prefix', 'nl_rule', args={'priority': 1000, 'from': '10.0.0.300/8', 'table': 5},
              msg_contains=["from: '10.0.0.300/8' is not an IPv4/IPv6 prefix"], phase='validation'),
    ErrorCase('family-and-prefix-disagree', 'nl_rule', args={'family': 'inet6', 'from': '10.0.0.0/8', 'table': 5},
              msg_contains=['from/to', 'family inet6'], phase='validation'),
    ErrorCase('bad-port-range', 'nl_rule', args={'priority': 1000, 'dport': '2000-1000', 'table': 5},
              msg_contains=["dport: '2000-1000' is not a number or a range"], phase='validation'),
    ErrorCase('tos-and-dscp', 'nl_rule', args={'priority': 1000, 'tos': 16, 'dscp': 4, 'table': 5},
              msg_contains=['mutually exclusive', 'tos', 'dscp'], phase='validation'),
    ErrorCase('table-with-blackhole', 'nl_rule', args={'config': [{'priority': 1000, 'action': 'blackhole',
                                                                   'table': 5}]},
              msg_contains=['config[0]: table', 'action blackhole'], phase='validation'),
    ErrorCase('table-alone-is-no-rule', 'nl_rule', args={'table': 5},
              msg_contains=['no rule given', 'scope'], phase='validation'),
    ErrorCase('purge-without-scope', 'nl_rule', args={'state': 'overridden', 'config': [{'priority': 1, 'table': 5}]},
              msg_contains=['overridden', 'priority_range, table or family'], phase='validation'),
    ErrorCase('bad-priority-range', 'nl_rule', args={'priority_range': [10, 1], 'state': 'deleted'},
              msg_contains=['priority_range: [10, 1]'], phase='validation'),
    ErrorCase('ambiguous-deletion', 'nl_rule',
              setup=['ip rule add pref 1500 from 10.0.0.0/8 fwmark 1 table 10',
                     'ip rule add pref 1500 from 10.0.0.0/8 table 10'],
              args={'priority': 1500, 'from': '10.0.0.0/8', 'table': 10, 'state': 'absent'},
              msg_contains=["cannot delete the rule 'inet pref 1500 from 10.0.0.0/8 table 10' alone",
                            "'inet pref 1500 from 10.0.0.0/8 fwmark 0x1 table 10'"], phase='validation'),
    # -- nl_neigh -----------------------------------------------------------------------------------
    ErrorCase('missing-device', 'nl_neigh', setup=NEIGH_SETUP,
              args={'dev': 'nosuch0', 'dst': '192.0.2.1', 'lladdr': MAC5}, msg_contains=['ENODEV', 'nosuch0']),
    ErrorCase('short-lladdr', 'nl_neigh', setup=NEIGH_SETUP, args={'dev': 'v0', 'dst': '192.0.2.1', 'lladdr': '02:00'},
              msg_contains=['EINVAL', 'Invalid link address']),
    ErrorCase('bad-lladdr', 'nl_neigh', setup=NEIGH_SETUP, args={'dev': 'v0', 'dst': '192.0.2.1', 'lladdr': '02-00'},
              msg_contains=["lladdr: '02-00' is not a link-layer address"], phase='validation'),
    ErrorCase('bad-dst', 'nl_neigh', setup=NEIGH_SETUP, args={'dev': 'v0', 'dst': '192.0.2.0/24', 'lladdr': MAC5},
              msg_contains=["dst: '192.0.2.0/24' is not an IPv4/IPv6 address"], phase='validation'),
    ErrorCase('proxy-with-lladdr', 'nl_neigh', setup=NEIGH_SETUP,
              args={'dev': 'v0', 'dst': '192.0.2.1', 'proxy': True, 'lladdr': MAC5},
              msg_contains=['lladdr: a proxy entry has no lladdr'], phase='validation'),
    ErrorCase('managed-permanent', 'nl_neigh', setup=NEIGH_SETUP,
              args={'dev': 'v0', 'dst': '192.0.2.1', 'flags': ['managed'], 'nud': 'permanent'},
              msg_contains=['nud: with managed the kernel resolves the entry'], phase='validation'),
    ErrorCase('purge-without-device', 'nl_neigh', setup=NEIGH_SETUP,
              args={'state': 'overridden', 'config': [{'dev': 'v0', 'dst': '192.0.2.1', 'lladdr': MAC5}]},
              msg_contains=['overridden', 'set dev'], phase='validation'),
    ErrorCase('unsupported-option-in-item', 'nl_neigh', setup=NEIGH_SETUP,
              args={'dev': 'v0', 'config': [{'dst': '192.0.2.1', 'mac': MAC5}]},
              msg_contains=['config[0]: unsupported option mac'], phase='validation'),
]


def thousand_neighbours():
    return [{'dst': '198.18.%d.%d' % (i // 250, i % 250 + 1), 'lladdr': '02:00:00:00:%02x:%02x' % divmod(i, 256)}
            for i in range(1000)]


def thousand_rules():
    return [{'priority': 10000 + i, 'fwmark': i + 1, 'table': 1000 + i % 10} for i in range(1000)]


BULK_CASES = [
    BulkCase('1000-neighbours', 'nl_neigh', setup=NEIGH_SETUP, args={'dev': 'v0'}, items=thousand_neighbours,
             readback='ip -j -4 neigh show nud permanent dev v0', count=len),
    BulkCase('1000-rules', 'nl_rule', args={'priority_range': [10000, 10999]}, items=thousand_rules,
             readback='ip -j rule show', count=lambda rules: sum(1 for r in rules if 10000 <= r['priority'] < 11000)),
]

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rule resource: normalization, reading a captured kernel dump, the kernel's lookup for deletion, the
priority the kernel would choose, scope, commands, `ip -j -d rule show`.

DUMPS holds what Rule.gather() sent and received in a namespace made by SETUP (Linux 6.18), and SHOWN what
the SHOW commands printed there; all captured together, by running the resource against the kernel.
"""

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Change, plan
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.rule import (
    RTM_GETRULE, Rule, finds, rule_message)

from netlink_fixtures import replay_connection

SETUP = ['ip link add v0 type veth peer name v1',
         'ip rule add pref 1000 fwmark 0x10/0xff table 100',
         'ip rule add pref 1010 uidrange 1000-1999 ipproto tcp sport 80 dport 8000-8999 table 101 protocol static',
         'ip rule add pref 1030 to 192.0.2.0/24 blackhole',
         'ip rule add pref 1031 not from 198.51.100.0/24 unreachable',
         'ip rule add pref 1050 goto 1060',
         'ip rule add pref 1060 nop',
         'ip rule add pref 1070 l3mdev',
         'ip rule add pref 1080 tos 0x10 oif v0 table local suppress_ifgroup 5',
         'ip rule add pref 1090 iif lo table 5000 suppress_prefixlength 0',
         'ip -6 rule add pref 1020 from 2001:db8::/32 to 2001:db8:1::1 table 200 protocol bgp',
         'ip -6 rule add pref 1040 iif v0 ipproto ipv6-icmp prohibit']
SCOPES = [{}, {'family': 'inet6'}]
SHOW = ['ip -j -d rule show', 'ip -j -d -6 rule show']
KERNEL = [('inet', 0, dict(table='local', protocol='kernel')), ('inet', 32766, dict(table='main', protocol='kernel')),
          ('inet', 32767, dict(table='default', protocol='kernel')),
          ('inet6', 0, dict(table='local', protocol='kernel')), ('inet6', 32766, dict(table='main', protocol='kernel'))]
EXPECTED = KERNEL + [
    ('inet', 1000, dict(fwmark=0x10, fwmask=0xff, table='100', action='to_tbl')),
    ('inet', 1010, dict(uidrange='1000-1999', ipproto='tcp', sport='80', dport='8000-8999', table='101',
                        protocol='static')),
    ('inet', 1030, dict(to='192.0.2.0/24', action='blackhole', table=None)),
    ('inet', 1031, {'from': '198.51.100.0/24', 'invert': True, 'action': 'unreachable', 'table': None}),
    ('inet', 1050, dict(action='goto', goto=1060, table=None)),
    ('inet', 1060, dict(action='nop', table=None)),
    ('inet', 1070, dict(l3mdev=True, action='to_tbl', table=None)),
    ('inet', 1080, dict(tos=0x10, oif='v0', table='local', suppress_ifgroup=5)),
    ('inet', 1090, dict(iif='lo', table='5000', suppress_prefixlength=0)),
    ('inet6', 1020, {'from': '2001:db8::/32', 'to': '2001:db8:1::1/128', 'table': '200', 'protocol': 'bgp'}),
    ('inet6', 1040, dict(iif='v0', ipproto='ipv6-icmp', action='prohibit', table=None)),
]
DEFAULTS = {'invert': False, 'from': None, 'to': None, 'tos': None, 'dscp': None, 'fwmark': None, 'fwmask': None,
            'iif': None, 'oif': None, 'l3mdev': False, 'uidrange': None, 'ipproto': None, 'sport': None,
            'dport': None, 'protocol': 'unspec', 'action': 'to_tbl', 'goto': None, 'suppress_prefixlength': None,
            'suppress_ifgroup': None}


def expected(families):
    table = {}
    for family, priority, fields in EXPECTED:
        if family in families:
            table[(family, priority)] = dict(DEFAULTS, family=family, priority=priority, **fields)
    return table


def resource(scope=None, state='gathered', wants=(), conn=None, netns=None):
    rule = Rule(conn, dict(scope or {}), netns)
    rule.check_request(state, list(wants))
    return rule


def normalize(scope=None, **item):
    return resource(scope).normalize(item)


def gathered(index):
    first_seq = nlconn.NLMSGHDR.unpack_from(bytes.fromhex(DUMPS[index]['sent'][0]))[3]
    conn = replay_connection([bytes.fromhex(d) for d in DUMPS[index]['received']], next_seq=first_seq)
    return conn, resource(DUMPS[index]['scope'], conn=conn).gather()


def by_key(items):
    return dict(((item['family'], item['priority']), item) for item in items)


# -- reading the kernel ----------------------------------------------------------------------------

@pytest.mark.parametrize('index, families', [(0, ('inet', 'inet6')), (1, ('inet6',))], ids=['both', 'inet6'])
def test_gather_reads_the_captured_dumps(index, families):
    conn, haves = gathered(index)
    assert conn.sock.sent == [bytes.fromhex(d) for d in DUMPS[index]['sent']]
    want = expected(families)
    assert sorted(by_key(haves)) == sorted(want)
    for key, have in by_key(haves).items():
        assert have == want[key], key


def test_a_dump_per_family_filtered_by_the_kernel():
    sent = []
    for text in DUMPS[0]['sent']:
        msg = rule_message()(bytes.fromhex(text))
        msg.decode()
        sent.append((msg['header']['type'], msg['family'], msg['attrs']))
    assert sent == [(RTM_GETRULE, 2, []), (RTM_GETRULE, 10, [])]


def test_what_is_sent_for_a_gathered_rule_reads_back_as_that_rule():
    for have in gathered(0)[1]:
        msg = resource().message(have)
        msg['header'] = {'type': 32, 'flags': 0, 'sequence_number': 1, 'pid': 0}
        msg.encode()
        echoed = rule_message()(bytes(msg.data))
        echoed.decode()
        assert Rule.from_message(echoed) == have


def test_dscp_is_encoded_as_fra_dscp():
    rule = normalize(priority=5, dscp=10, table=5)
    msg = resource().message(rule)
    msg['header'] = {'type': 32, 'flags': 0, 'sequence_number': 1, 'pid': 0}
    msg.encode()
    data = bytes(msg.data)
    assert bytes.fromhex('050019000a000000') in data  # nla_len 5, FRA_DSCP (25), value 10, padding
    echoed = rule_message()(data)
    echoed.decode()
    assert Rule.from_message(echoed) == rule


def test_gathered_items_are_valid_desired_items():
    for have in gathered(0)[1]:
        assert resource().normalize(dict(have)) == have


def test_parse_reads_ip_json_as_gather_does():
    text = '{"inet": %s, "inet6": %s}' % (SHOWN['ip -j -d rule show'], SHOWN['ip -j -d -6 rule show'])
    assert by_key(Rule.parse(text)) == by_key(gathered(0)[1])


def test_parse_of_a_plain_list_takes_the_family_from_addresses():
    parsed = Rule.parse('[{"priority": 5, "src": "2001:db8::", "srclen": 32, "table": "5"}, '
                        '{"priority": 6, "src": "all", "table": "6"}]')
    assert [(r['family'], r['priority']) for r in parsed] == [('inet6', 5), ('inet', 6)]


@pytest.mark.parametrize('text, message', [
    ('0: from all lookup local', 'running_config is not JSON from `ip -j -d rule show`'),
    ('{"ipv4": []}', 'running_config: expected a list from `ip -j -d rule show`, or a mapping of inet and inet6'),
])
def test_parse_refuses(text, message):
    with pytest.raises(ValidationError, match=message):
        Rule.parse(text)


# -- the desired side ------------------------------------------------------------------------------

NORMAL = [
    ('table main by default', dict(priority=5), dict(family='inet', action='to_tbl', table='main')),
    ('family from the prefix', {'from': '2001:db8::/32', 'table': 5}, dict(family='inet6', table='5')),
    ('host prefix', {'to': '192.0.2.1'}, dict(to='192.0.2.1/32')),
    ('from all is no selector', {'from': 'all', 'table': 'local'}, {'from': None, 'table': 'local'}),
    ('table by number', dict(table='254'), dict(table='main')),
    ('tos by name', dict(tos='CS1'), dict(tos=0x20)),
    ('tos 0 is none', dict(tos='0x0'), dict(tos=None)),
    ('fwmark in hex, full mask', dict(fwmark='0x10', fwmask='0xffffffff'), dict(fwmark=16, fwmask=None)),
    ('fwmask kept', dict(fwmark=16, fwmask=255), dict(fwmask=255)),
    ('single port', dict(sport=80, dport='443-443'), dict(sport='80', dport='443')),
    ('port range', dict(dport='1000-2000'), dict(dport='1000-2000')),
    ('single uid is a range', dict(uidrange=1000), dict(uidrange='1000-1000')),
    ('ipproto by number', dict(ipproto=6), dict(ipproto='tcp')),
    ('ipproto unnamed', dict(ipproto='253'), dict(ipproto='253')),
    ('ipproto as iproute2 prints it', dict(ipproto='ipproto-253'), dict(ipproto='253')),
    ('protocol by number', dict(protocol=4), dict(protocol='static')),
    ('table as action', dict(action='table', table=5), dict(action='to_tbl')),
    ('goto implies the action', dict(priority=5, goto=10), dict(action='goto', table=None)),
    ('a drop looks up nothing', dict(action='blackhole'), dict(table=None)),
    ('l3mdev looks up the device table', dict(l3mdev=True), dict(table=None, l3mdev=True)),
    ('no priority yet', dict(table=5), dict(priority=None)),
]


@pytest.mark.parametrize('item, expected_items', [n[1:] for n in NORMAL], ids=[n[0] for n in NORMAL])
def test_normalize(item, expected_items):
    result = normalize(**item)
    for key, value in expected_items.items():
        assert result[key] == value, key


REFUSED = [
    ({'from': '10.0.0.300/8'}, "from: '10.0.0.300/8' is not an IPv4/IPv6 prefix"),
    ({'from': '10.0.0.0/8', 'to': '2001:db8::/32'}, 'from/to: 10.0.0.0/8 and 2001:db8::/32 are not both of family'),
    ({'family': 'inet6', 'to': '10.0.0.0/8'}, 'from/to: all and 10.0.0.0/8 are not both of family inet6'),
    (dict(priority=-1), "priority: -1 is not a number 0-4294967295"),
    (dict(tos='CS9'), "tos: 'CS9' is not a number 0-255 or one of"),
    (dict(dscp=64), 'dscp: 64 is not a number 0-63'),
    (dict(fwmask=255), 'fwmask: a mask applies to fwmark'),
    (dict(fwmark='mark'), "fwmark: 'mark' is not a number 0-4294967295"),
    (dict(sport='80-'), "sport: '80-' is not a number or a range 'start-end' within 0-65535"),
    (dict(dport=70000), "dport: 70000 is not a number or a range"),
    (dict(uidrange='2000-1000'), "uidrange: '2000-1000' is not a number or a range"),
    (dict(ipproto='tcpx'), "ipproto: 'tcpx' is not a number 0-255"),
    (dict(protocol='bogus'), "protocol: 'bogus' is not a number 0-255 or one of"),
    (dict(iif='a b'), "iif: 'a b' is not a link name"),
    (dict(action='goto'), 'goto: the priority to jump to is given with action goto'),
    (dict(goto=10, action='nop'), 'goto: the priority to jump to is given with action goto'),
    (dict(action='blackhole', table=5), 'table: a rule with action blackhole looks up no table'),
    (dict(l3mdev=True, table=5), 'table: a rule with l3mdev looks up no table'),
    (dict(table=0), 'table: 0 is no table'),
    (dict(table='mian'), "table: 'mian' is not a number 0-4294967295 or one of default, local, main"),
]


@pytest.mark.parametrize('item, message', REFUSED, ids=[r[1].split(':')[0] + '-%d' % i for i, r in enumerate(REFUSED)])
def test_normalize_refuses_naming_the_option(item, message):
    with pytest.raises(ValidationError) as caught:
        normalize(**item)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('scope, state, message', [
    ({}, 'overridden', 'state=overridden without a config list removes every rule: set priority_range, table or '
                       'family'),
    ({'priority_range': [5, 1]}, 'deleted', 'priority_range: [5, 1] is not [min, max]'),
    ({'priority_range': [5]}, 'deleted', 'priority_range: [5] is not [min, max]'),
    ({'table': 'nope'}, 'deleted', "table: 'nope' is not a number"),
    ({'table': 5}, 'merged', 'state=merged: no rule given - priority_range, table and family alone are the scope'),
])
def test_check_request_refuses(scope, state, message):
    with pytest.raises(ValidationError) as caught:
        resource(scope, state)
    assert str(caught.value).startswith(message)


# -- the kernel's choices --------------------------------------------------------------------------

def rule(priority, family='inet', **fields):
    return normalize(priority=priority, family=family, **fields)


def test_finds_follows_the_kernel_lookup_for_deletion():
    wide = rule(100, **{'from': '10.0.0.0/8', 'table': 10})
    narrow = rule(100, **{'from': '10.0.0.0/8', 'fwmark': 1, 'table': 10})
    assert finds(wide, narrow) and finds(wide, wide)
    assert not finds(narrow, wide)
    assert finds(rule(100, table=10), dict(wide, invert=True))  # invert is not compared
    assert not finds(rule(101, table=10), wide)
    assert not finds(dict(wide, family='inet6'), wide)
    assert finds(rule(100, fwmark=1), rule(100, fwmark=1, fwmask=0xffffffff))


def prepared(haves, scope=None, state='overridden', wants=()):
    """A Rule that gathered ``haves`` (in kernel order)."""
    rule_ = resource(scope or {'priority_range': [1, 32765]}, state, wants)
    rule_.lists = {}
    for have in haves:
        rule_.lists.setdefault(have['family'], []).append(have)
    return rule_


def test_deletions_go_longest_first():
    wide = rule(100, **{'from': '10.0.0.0/8', 'table': 10})
    narrow = rule(100, **{'from': '10.0.0.0/8', 'fwmark': 1, 'table': 10})
    rule_ = prepared([wide, narrow])
    ordered = rule_.order(plan(rule_, 'overridden', [], [wide, narrow]))
    assert [c.before['fwmark'] for c in ordered] == [1, None]


def test_a_deletion_that_would_hit_a_longer_rule_is_refused():
    wide = rule(100, **{'from': '10.0.0.0/8', 'table': 10})
    narrow = rule(100, **{'from': '10.0.0.0/8', 'fwmark': 1, 'table': 10})
    rule_ = prepared([narrow, wide], state='deleted', wants=[wide])
    with pytest.raises(ValidationError) as caught:
        rule_.order(plan(rule_, 'deleted', [wide], [narrow, wide]))
    assert str(caught.value) == (
        "cannot delete the rule 'inet pref 100 from 10.0.0.0/8 table 10' alone: the kernel deletes the first rule "
        "that matches the fields it is given, and that is 'inet pref 100 from 10.0.0.0/8 fwmark 0x1 table 10'; "
        "delete or re-prioritize that one as well")


def test_a_longer_rule_after_the_one_deleted_is_no_obstacle():
    wide = rule(100, **{'from': '10.0.0.0/8', 'table': 10})
    narrow = rule(100, **{'from': '10.0.0.0/8', 'fwmark': 1, 'table': 10})
    rule_ = prepared([wide, narrow], state='deleted', wants=[wide])
    assert [c.key for c in rule_.order(plan(rule_, 'deleted', [wide], [wide, narrow]))] == [rule_.key(wide)]


def test_without_priority_a_rule_is_the_one_that_matches_otherwise():
    have = rule(500, table=5)
    want = normalize(table=5)
    rule_ = prepared(KERNEL_V4 + [have], state='merged', wants=[want])
    rule_.resolve_priorities([want])
    assert want['priority'] == 500


KERNEL_V4 = [rule(0, table='local', protocol='kernel'), rule(32766, protocol='kernel'),
             rule(32767, table='default', protocol='kernel')]


def test_without_priority_a_new_rule_gets_what_the_kernel_would_give():
    """One less than the second rule's priority, rule after rule (net/core/fib_rules.c)."""
    wants = [normalize(table=5), normalize(table=6), normalize(family='inet6', table=7)]
    rule_ = prepared(KERNEL_V4 + [rule(0, 'inet6', table='local', protocol='kernel')], state='merged', wants=wants)
    rule_.resolve_priorities(wants)
    assert [w['priority'] for w in wants] == [32765, 32764, 0]


@pytest.mark.parametrize('scope, purged', [
    ({'priority_range': [1, 32765]}, [('inet', 100), ('inet6', 100)]),
    ({'priority_range': [0, 32766]}, [('inet', 0), ('inet', 100), ('inet', 32766), ('inet6', 100)]),
    ({'table': 'main'}, [('inet6', 100)]),
    ({'table': 'main', 'priority_range': [0, 40000]}, [('inet', 32766), ('inet6', 100)]),
    ({'family': 'inet'}, [('inet', 100), ('inet', 40001)]),
], ids=['range', 'explicit-range-holds-kernel-rules', 'table', 'table-and-range', 'family'])
def test_purge_scope(scope, purged):
    haves = KERNEL_V4 + [rule(100, table=10), rule(100, 'inet6'), rule(40001, table=10)]
    rule_ = prepared(haves, scope)
    assert sorted(c.key[:2] for c in plan(rule_, 'overridden', [], haves)) == sorted(purged)


# -- as commands -----------------------------------------------------------------------------------

@pytest.mark.parametrize('item, command', [
    (dict(priority=1000, fwmark=16, fwmask=255, table=100), 'ip -n lab rule add pref 1000 fwmark 0x10/0xff table 100'),
    (dict(priority=5, invert=True, uidrange='1-2', ipproto='tcp', sport=80, dport='1-9', table='main'),
     'ip -n lab rule add not pref 5 uidrange 1-2 ipproto 6 sport 80 dport 1-9 table main'),
    ({'priority': 5, 'from': '2001:db8::/32', 'table': 5, 'protocol': 'static'},
     'ip -n lab -6 rule add pref 5 from 2001:db8::/32 protocol static table 5'),
    (dict(priority=5, family='inet6', iif='lo', table='main', suppress_prefixlength=0),
     'ip -n lab -6 rule add pref 5 iif lo table main suppress_prefixlength 0'),
    (dict(priority=5, tos=16, oif='v0', table=5, suppress_ifgroup=3),
     'ip -n lab rule add pref 5 tos 0x10 oif v0 table 5 suppress_ifgroup 3'),
    (dict(priority=5, goto=9), 'ip -n lab rule add pref 5 goto 9'),
    (dict(priority=5, l3mdev=True), 'ip -n lab rule add pref 5 l3mdev'),
    ({'priority': 5, 'to': '192.0.2.0/24', 'action': 'blackhole'}, 'ip -n lab rule add pref 5 to 192.0.2.0/24 blackhole'),
    (dict(priority=5, dscp=10, table=5), 'ip -n lab rule add pref 5 dscp 10 table 5'),
])
def test_render(item, command):
    rule_ = Rule(None, {}, 'lab')
    item = rule_.normalize(item)
    assert rule_.render(Change('create', rule_.key(item), None, item)) == [command]


def test_an_update_is_a_deletion_and_an_addition():
    rule_ = Rule(None, {}, None)
    before = rule_.normalize(dict(priority=5, goto=9))
    after = dict(before, goto=10)
    assert rule_.render(Change('update', rule_.key(before), before, after, {'goto': 10})) == [
        'ip rule del pref 5 goto 9', 'ip rule add pref 5 goto 10']


# -- captured (see the module docstring) -------------------------------------------------------------

DUMPS = [
    {
        'scope': {},
        'links': {'lo': 1, 'v1': 2, 'v0': 3},
        'sent': [
            (
                '1c000000220001030200000000000000020000000000000000000000'),
            (
                '1c0000002200010303000000000000000a0000000000000000000000'),
        ],
        'received': [
            (
                '340000002000020002000000a225000002000000ff0000010000000008000f00ff00000008000e00ff'
                'ffffff05001500020000004c0000002000020002000000a22500000200000064000001000000000800'
                '0f006400000008000e00ffffffff050015000000000008000600e803000008000a0010000000080010'
                '00ff000000680000002000020002000000a225000002000000650000010000000008000f0065000000'
                '08000e00ffffffff050015000400000008000600f20300000c001400e8030000cf0700000800170050'
                '00500006001c00ffff000008001800401f27230500160006000000440000002000020002000000a225'
                '000002180000000000060000000008000f000000000008000e00ffffffff0500150000000000080006'
                '000604000008000100c0000200440000002000020002000000a2250000020018000000000702000000'
                '08000f000000000008000e00ffffffff0500150000000000080006000704000008000200c633640044'
                '0000002000020002000000a225000002000000000000020000000008000f000000000008000e00ffff'
                'ffff0500150000000000080006001a04000008000400240400003c0000002000020002000000a22500'
                '0002000000000000030000000008000f000000000008000e00ffffffff050015000000000008000600'
                '24040000440000002000020002000000a225000002000000000000010000000008000f000000000008'
                '000e00ffffffff0500150000000000080006002e04000005001300010000004c000000200002000200'
                '0000a225000002000010ff0000010000000008000f00ff00000008000e00ffffffff05001500000000'
                '000700110076300000080006003804000008000d0005000000440000002000020002000000a2250000'
                '02000000fc0000010000000008000f008813000008000e00000000000500150000000000070003006c'
                '6f000008000600420400003c0000002000020002000000a225000002000000fe000001000000000800'
                '0f00fe00000008000e00ffffffff050015000200000008000600fe7f00003c00000020000200020000'
                '00a225000002000000fd0000010000000008000f00fd00000008000e00ffffffff0500150002000000'
                '08000600ff7f0000140000000300020002000000a225000000000000'),
            (
                '340000002000020003000000a22500000a000000ff0000010000000008000f00ff00000008000e00ff'
                'ffffff0500150002000000640000002000020003000000a22500000a802000c8000001000000000800'
                '0f00c800000008000e00ffffffff05001500ba00000008000600fc0300001400010020010db8000100'
                '0000000000000000011400020020010db80000000000000000000000004c0000002000020003000000'
                'a22500000a000000000000080000000008000f000000000008000e00ffffffff050015000000000007'
                '000300763000000800060010040000050016003a0000003c0000002000020003000000a22500000a00'
                '0000fe0000010000000008000f00fe00000008000e00ffffffff050015000200000008000600fe7f00'
                '00140000000300020003000000a225000000000000'),
        ],
    },
    {
        'scope': {'family': 'inet6'},
        'links': {'lo': 1, 'v1': 2, 'v0': 3},
        'sent': [
            (
                '1c0000002200010302000000000000000a0000000000000000000000'),
        ],
        'received': [
            (
                '340000002000020002000000a22500000a000000ff0000010000000008000f00ff00000008000e00ff'
                'ffffff0500150002000000640000002000020002000000a22500000a802000c8000001000000000800'
                '0f00c800000008000e00ffffffff05001500ba00000008000600fc0300001400010020010db8000100'
                '0000000000000000011400020020010db80000000000000000000000004c0000002000020002000000'
                'a22500000a000000000000080000000008000f000000000008000e00ffffffff050015000000000007'
                '000300763000000800060010040000050016003a0000003c0000002000020002000000a22500000a00'
                '0000fe0000010000000008000f00fe00000008000e00ffffffff050015000200000008000600fe7f00'
                '00140000000300020002000000a225000000000000'),
        ],
    },
]
SHOWN = {
    'ip -j -d rule show': (
        '[{"priority":0,"src":"all","table":"local","protocol":"kernel"},{"priority":1000,"src":"al'
        'l","fwmark":"0x10","fwmask":"0xff","table":"100","protocol":"unspec"},{"priority":1010,"sr'
        'c":"all","uid_start":1000,"uid_end":1999,"ipproto":"tcp","sport":80,"dport_start":8000,"dp'
        'ort_end":8999,"table":"101","protocol":"static"},{"priority":1030,"src":"all","dst":"192.0'
        '.2.0","dstlen":24,"action":"blackhole","protocol":"unspec"},{"priority":1031,"not":null,"s'
        'rc":"198.51.100.0","srclen":24,"action":"unreachable","protocol":"unspec"},{"priority":105'
        '0,"src":"all","goto":1060,"protocol":"unspec"},{"priority":1060,"src":"all","nop":null,"pr'
        'otocol":"unspec"},{"priority":1070,"src":"all","l3mdev":null,"protocol":"unspec"},{"priori'
        'ty":1080,"src":"all","tos":"0x10","oif":"v0","table":"local","suppress_ifgroup":"5","proto'
        'col":"unspec"},{"priority":1090,"src":"all","iif":"lo","table":"5000","suppress_prefixlen"'
        ':0,"protocol":"unspec"},{"priority":32766,"src":"all","table":"main","protocol":"kernel"},'
        '{"priority":32767,"src":"all","table":"default","protocol":"kernel"}] '
    ),
    'ip -j -d -6 rule show': (
        '[{"priority":0,"src":"all","table":"local","protocol":"kernel"},{"priority":1020,"src":"20'
        '01:db8::","srclen":32,"dst":"2001:db8:1::1","table":"200","protocol":"bgp"},{"priority":10'
        '40,"src":"all","iif":"v0","ipproto":"ipv6-'
        'icmp","action":"prohibit","protocol":"unspec"},{"priority":32766,"src":"all","table":"main'
        '","protocol":"kernel"}] '
    ),
}

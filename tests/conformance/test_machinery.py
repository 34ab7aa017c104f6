# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The conformance machinery itself: it must catch what it is there to catch.

Most of these need no kernel; the last ones run nl_address in a namespace to prove the secret scan of
`ansible-playbook -vvv` output and the needs probe against the real thing.
"""

import pytest

import harness
from cases import BULK_CASES, CASES, ERROR_CASES

SECRET = 'cGFzc3dvcmQtMTIzNDU2Nzg5MA=='

FAKE_SPEC = {
    'name': {'type': 'str'},
    'private_key': {'type': 'str', 'no_log': True},
    'peers': {'type': 'list', 'elements': 'dict', 'options': {
        'public_key': {'type': 'str'},
        'preshared_key': {'type': 'str', 'no_log': True},
        'endpoint': {'type': 'dict', 'options': {'token': {'type': 'str', 'no_log': True}}}}},
}


def test_no_log_options_are_found_at_every_depth():
    assert harness.no_log_options([FAKE_SPEC]) == ['peers.endpoint.token', 'peers.preshared_key', 'private_key']


def test_nl_address_has_no_no_log_options():
    assert harness.no_log_options(harness.argument_specs('nl_address')) == []


def test_argument_specs_of_a_module_include_its_resource_options():
    specs = harness.argument_specs('nl_address')
    assert any('address' in spec and 'netns' in spec for spec in specs)


@pytest.mark.parametrize('result', [
    {'changed': True, 'after': [{'private_key': SECRET}]},
    {'changed': True, 'diff': {'before': '', 'after': '{"key": "%s"}\n' % SECRET}},
    {'changed': True, 'commands': ['wg set wg0 private-key <(echo %s)' % SECRET]},
    {'failed': True, 'msg': 'EINVAL - kernel says: bad key %s' % SECRET},
    {'changed': True, 'gathered': [{'peers': [{'endpoint': {'token': SECRET}}]}]},
    {'changed': True, SECRET: 'as a key'},
], ids=['after', 'diff-text', 'command', 'msg', 'nested', 'dict-key'])
def test_secret_scan_finds_a_leak_anywhere_in_a_result(result):
    assert harness.find_secrets(result, [SECRET])


def test_secret_scan_passes_a_clean_result():
    result = {'changed': True, 'after': [{'private_key': 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER', 'has_key': True}],
              'invocation': {'module_args': {'private_key': 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'}}}
    assert harness.find_secrets(result, [SECRET]) == []


def test_secret_scan_of_text():
    assert harness.find_secrets('ok: [localhost] => {"x": "%s"}' % SECRET, [SECRET])
    assert harness.find_secrets('ok: [localhost] => {"x": "********"}', [SECRET]) == []


def test_secret_scan_does_not_print_the_secret():
    places = harness.find_secrets({'k': SECRET}, [SECRET])
    assert places and not any(SECRET in place for place in places)


def test_secret_test_of_a_module_without_no_log_is_skipped_with_reason():
    from test_conformance import secret_options
    case = next(c for c in CASES if c.module == 'nl_address')
    with pytest.raises(pytest.skip.Exception, match='no no_log options'):
        secret_options(case)


def test_normalize_drops_counters_timers_and_countdowns():
    raw = [{'ifname': 'br0', 'stats64': {'rx': {'bytes': 5}}, 'linkinfo': {'info_data': {
        'hello_timer': 1.5, 'stp_state': 0}}, 'addr_info': [
        {'local': '192.0.2.1', 'valid_life_time': 3599, 'preferred_life_time': 4294967295}]}]
    assert harness.normalize(raw) == [{'ifname': 'br0', 'linkinfo': {'info_data': {'stp_state': 0}}, 'addr_info': [
        {'local': '192.0.2.1', 'valid_life_time': 'finite', 'preferred_life_time': 'forever'}]}]


def test_normalize_masks_macs_only_when_asked():
    raw = {'address': '02:00:00:00:00:01', 'broadcast': 'ff:ff:ff:ff:ff:ff',
           'addr_info': [{'address': '10.0.0.2'}, {'local': '2001:db8::1:2:3:4:5'}],
           'info_data': {'bridge_id': '8000.2a:cd:e4:20:45:2d', 'root_id': '8000.0:0:0:0:0:0'}}
    assert harness.normalize(raw, mask_macs=True) == {
        'address': '<mac>', 'broadcast': 'ff:ff:ff:ff:ff:ff',
        'addr_info': [{'address': '10.0.0.2'}, {'local': '2001:db8::1:2:3:4:5'}],
        'info_data': {'bridge_id': '8000.<mac>', 'root_id': '8000.<mac>'}}
    assert harness.normalize(raw) == raw


@pytest.mark.parametrize('expected, actual, matches', [
    ({'a': 1}, {'a': 1, 'b': 2}, True),
    ({'a': 1}, {'a': 2}, False),
    ([{'local': 'x'}], [{'local': 'y'}, {'local': 'x', 'prefixlen': 24}], True),
    ([{'local': 'x'}, {'local': 'z'}], [{'local': 'x'}], False),
    ({'l': [{'addr_info': [{'local': 'x'}]}]}, {'l': [{'addr_info': []}, {'addr_info': [{'local': 'x'}]}]}, True),
    ({'a': None}, {}, False),
])
def test_subset(expected, actual, matches):
    assert harness.subset(expected, actual) is matches


def test_first_difference_points_at_the_place():
    assert harness.first_difference({'a': [1, {'b': 2}]}, {'a': [1, {'b': 3}]}) == '/a[1]/b: 2 != 3'
    assert harness.first_difference({'a': 1}, {'a': 1}) is None


def test_namespace_command_lines():
    ns = harness.Namespace.__new__(harness.Namespace)
    ns.name = 'nlt-x'
    assert ns.argv('ip -j address show dev v0') == ['ip', '-n', 'nlt-x', '-j', 'address', 'show', 'dev', 'v0']
    assert ns.argv('tc -j qdisc show') == ['tc', '-n', 'nlt-x', '-j', 'qdisc', 'show']
    assert ns.argv('wg show all dump') == ['ip', 'netns', 'exec', 'nlt-x', 'wg', 'show', 'all', 'dump']


def test_missing_module_is_skipped_with_reason(require):
    case = harness.Case('x', 'nl_does_not_exist', apply={}, change={}, readback=[])
    with pytest.raises(pytest.skip.Exception, match=r'module nl_does_not_exist does not exist yet'):
        require(case)


def test_unknown_need_kind_is_an_error():
    with pytest.raises(ValueError, match='unknown need'):
        harness.probe('moon_phase', 'full')


def test_cases_are_well_formed():
    ids = [(c.module, c.id) for c in CASES]
    assert len(ids) == len(set(ids)), 'duplicate case ids'
    for case in CASES:
        assert case.apply and case.change and case.readback, case
        assert case.apply != case.change, case
        assert set(case.expect) <= set(case.readback), '%s: expect uses commands not in readback' % case
        for test in case.xfail:
            assert test.startswith('test_'), case
    assert ERROR_CASES and BULK_CASES


# -- against the kernel ----------------------------------------------------------------------------

def test_needs_probe_finds_what_the_kernel_has_and_not_what_it_lacks():
    assert harness.probe('link_kind', 'veth') is True
    assert harness.probe('link_kind', 'nltnosuchkind') is False
    assert harness.probe('genl_family', 'nlctrl') is True
    assert harness.probe('genl_family', 'nlt-no-such-family') is False
    assert harness.probe('command', 'ip') is True
    assert harness.missing_needs({'link_kind': ['veth', 'nltnosuchkind']}) == ['link_kind=nltnosuchkind']


def test_needs_absent_on_the_host_skip_loudly(require):
    case = harness.Case('x', 'nl_address', apply={}, change={}, readback=[], needs={'link_kind': 'nltnosuchkind'})
    if harness.IN_VM:
        with pytest.raises(pytest.fail.Exception, match='absent in the test VM too'):
            require(case)
    else:
        with pytest.raises(pytest.skip.Exception, match='needs link_kind=nltnosuchkind: runs in the test VM'):
            require(case)
        assert require.skipped.pop()[1] == 'needs link_kind=nltnosuchkind: runs in the test VM'  # listed loudly


def test_playbook_output_scan_catches_a_value_the_module_prints(new_ns, tmp_path):
    """Treat an address as if it were a secret: the -vvv scan must find it (so it would find a real leak)."""
    ns = new_ns()
    ns.setup(['ip link add v0 type veth peer name v1'])
    value = '192.0.2.213'
    returncode, output = harness.run_playbook(
        [{'name': 'apply', 'nlink.netlink.nl_address': {'netns': ns.name, 'dev': 'v0', 'address': value + '/24'},
          'diff': True}], str(tmp_path))
    assert returncode == 0, output[-5000:]
    assert 'changed: [localhost]' in output, output[-5000:]
    assert harness.find_secrets(output, [value])

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module contract, proven against the running kernel for every case of cases.CASES.

Each test makes its own fresh namespace(s), runs the module there directly (as Ansible runs it on the
managed host), and reads the kernel back with iproute2.
"""

import itertools
import json

import pytest

import harness
from cases import CASES


def params(test, cases):
    """Cases as pytest params; a case's known bug for ``test`` makes it a strict xfail."""
    out = []
    for case in cases:
        marks = []
        if test in case.xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=case.xfail[test]))
        out.append(pytest.param(case, id='%s:%s' % (case.module, case.id), marks=marks))
    return out


def prepared(new_ns, case, extra_setup=()):
    ns = new_ns()
    ns.setup(case.setup + list(extra_setup))
    return ns


def run(case, args, ns, tmp_path, check=False, diff=False, ok=True):
    result = harness.run_module(case.module, args, ns.name, check=check, diff=diff, tmpdir=str(tmp_path))
    if ok:
        assert not result.failed, result.describe()
        assert result.returncode == 0, result.describe()
    return result


def assert_effect(case, ns):
    raw = ns.readback(case.readback)
    readback = harness.normalize(raw)
    for command, expected in case.expect.items():
        assert harness.subset(expected, readback[command]), '%s does not show %s:\n%s' % (
            command, json.dumps(expected), json.dumps(readback[command], indent=1))
    if case.check:
        case.check(readback, raw)


@pytest.mark.parametrize('case', params('test_apply_changes_the_kernel', CASES))
def test_apply_changes_the_kernel(case, new_ns, require, tmp_path):
    require(case)
    ns = prepared(new_ns, case)
    result = run(case, case.apply, ns, tmp_path)
    assert result['changed'] is True, result.describe()
    assert result['commands'], result.describe()
    assert_effect(case, ns)


@pytest.mark.parametrize('case', params('test_reapply_changes_nothing', CASES))
def test_reapply_changes_nothing(case, new_ns, require, tmp_path):
    require(case)
    ns = prepared(new_ns, case)
    run(case, case.apply, ns, tmp_path)
    again = run(case, case.apply, ns, tmp_path)
    assert again['changed'] is False, again.describe()
    assert again['commands'] == [], again.describe()
    assert_effect(case, ns)


@pytest.mark.parametrize('case', params('test_check_mode_changes_nothing_and_predicts_apply', CASES))
def test_check_mode_changes_nothing_and_predicts_apply(case, new_ns, require, tmp_path):
    require(case)
    ns = prepared(new_ns, case)
    before = harness.snapshot(ns, case.readback)
    predicted = run(case, case.apply, ns, tmp_path, check=True)
    after = harness.snapshot(ns, case.readback)
    assert before == after, 'check mode changed the kernel: %s' % harness.first_difference(before, after)
    real = run(case, case.apply, ns, tmp_path)
    assert (predicted['changed'], predicted['commands']) == (real['changed'], real['commands'])


@pytest.mark.parametrize('case', params('test_check_mode_predicts_the_real_run', CASES))
def test_check_mode_predicts_the_real_run(case, new_ns, require, tmp_path):
    """From the applied state, ``change`` in check mode touches nothing and says exactly what a real run does."""
    require(case)
    ns = prepared(new_ns, case)
    run(case, case.apply, ns, tmp_path)
    before = harness.snapshot(ns, case.readback)
    predicted = run(case, case.change, ns, tmp_path, check=True)
    after = harness.snapshot(ns, case.readback)
    assert before == after, 'check mode changed the kernel: %s' % harness.first_difference(before, after)
    real = run(case, case.change, ns, tmp_path)
    assert predicted['changed'] == real['changed'], (predicted.describe(), real.describe())
    assert predicted['commands'] == real['commands'], (predicted.describe(), real.describe())
    assert real['changed'] is True, 'the case\'s change input changes nothing: ' + real.describe()
    assert_after_predicted(case, predicted, real)


def assert_after_predicted(case, predicted, real):
    """Every attribute check mode states about an object is what the real run reports (``volatile`` aside)."""
    identity = harness.identity_of(case.module)
    if not identity or 'after' not in predicted.result:
        return

    def keyed(items):
        return dict((tuple(item.get(k) for k in identity), item) for item in items)
    real_after = keyed(real['after'])
    for key, item in keyed(predicted['after']).items():
        assert key in real_after, 'check mode predicts %s, the real run has no such object' % (key,)
        for name, value in item.items():
            if value is None or name in case.volatile:
                continue
            assert real_after[key].get(name) == value, '%s: check mode predicts %s=%r, the real run has %r' % (
                key, name, value, real_after[key].get(name))


@pytest.mark.parametrize('case', params('test_diff_mode_shows_before_and_after', CASES))
def test_diff_mode_shows_before_and_after(case, new_ns, require, tmp_path):
    require(case)
    ns = prepared(new_ns, case)
    for args, check in ((case.apply, False), (case.change, True)):
        result = run(case, args, ns, tmp_path, check=check, diff=True)
        assert result['changed'] is True, result.describe()
        diff = result.get('diff')
        assert isinstance(diff, dict) and 'before' in diff and 'after' in diff, result.describe()
        assert diff['before'] != diff['after'], result.describe()
    quiet = run(case, case.apply, ns, tmp_path)
    assert 'diff' not in quiet.result, 'diff without diff mode: ' + quiet.describe()


@pytest.mark.parametrize('case', params('test_rendered_commands_replay_to_the_same_state', CASES))
def test_rendered_commands_replay_to_the_same_state(case, new_ns, require, tmp_path):
    """The plan as commands touches nothing and, replayed with `ip -batch` (`bridge -batch`, `tc -batch`),
    gives what applying gives.

    A merged task's plan comes from state=rendered; another state's from that state in check mode
    (state=rendered renders merged, like ansible.netcommon's resource modules).
    """
    require(case)
    if not case.rendered:
        pytest.skip('%s has no state=rendered: %s' % (case.module, case.notes))
    replayed, applied = prepared(new_ns, case), prepared(new_ns, case)
    before = harness.snapshot(replayed, case.readback)
    if case.apply.get('state', 'merged') in ('merged', 'present'):
        rendered = run(case, dict(case.apply, state='rendered'), replayed, tmp_path)
        assert rendered['changed'] is False
        commands = rendered['rendered']
    else:
        rendered = run(case, case.apply, replayed, tmp_path, check=True)
        commands = rendered['commands']
    assert harness.snapshot(replayed, case.readback) == before, 'rendering the plan changed the kernel'
    assert commands, rendered.describe()
    in_netns = 'ip netns exec %s ' % replayed.name  # tools without a namespace option (ethtool)
    for tool, group in itertools.groupby(commands, key=lambda command: command.startswith(in_netns) or
                                         command.split(' ', 1)[0]):
        if tool is True:
            for command in group:
                replayed.run(command[len(in_netns):])
            continue
        prefix, group = '%s -n %s ' % (tool, replayed.name), list(group)
        for command in group:
            assert tool in ('ip', 'bridge', 'tc') and command.startswith(prefix), \
                'rendered command %r does not start with `ip|bridge|tc -n %s`' % (command, replayed.name)
        replayed.batch(group, prefix, 'replaying the plan', tool)

    intended = case.apply.get('state', 'merged')
    run(case, case.apply, applied, tmp_path)
    left = harness.normalize(replayed.readback(case.readback), mask_macs=True)
    right = harness.normalize(applied.readback(case.readback), mask_macs=True)
    assert left == right, 'replayed commands and the module disagree (%s): %s' % (
        intended, harness.first_difference(left, right))
    after_replay = run(case, case.apply, replayed, tmp_path)
    assert after_replay['changed'] is False, 'the module still sees work after the replay: ' + after_replay.describe()


@pytest.mark.parametrize('case', params('test_purge_removes_only_in_scope', [c for c in CASES if c.purge]))
def test_purge_removes_only_in_scope(case, new_ns, require, tmp_path):
    require(case)
    ns = prepared(new_ns, case, case.purge.setup)
    result = run(case, case.purge.args, ns, tmp_path)
    assert result['changed'] is True, result.describe()
    readback = harness.normalize(ns.readback(sorted(set(case.purge.survives) | set(case.purge.removed))))
    for command, expected in case.purge.survives.items():
        assert harness.subset(expected, readback[command]), 'out of scope or declared, but gone: %s\n%s' % (
            json.dumps(expected), json.dumps(readback[command], indent=1))
    for command, expected in case.purge.removed.items():
        for item in expected:
            assert not harness.subset([item], readback[command]), 'in scope and undeclared, but kept: %s' % (
                json.dumps(item))
    again = run(case, case.purge.args, ns, tmp_path)
    assert again['changed'] is False, again.describe()


def secret_options(case):
    options = harness.no_log_options(harness.argument_specs(case.module))
    if not options:
        pytest.skip('no no_log options')
    assert case.secret_values, '%s has no_log options %s: the case must give secret_values' % (
        case.module, ', '.join(options))
    return options


@pytest.mark.parametrize('case', params('test_secrets_never_in_results', CASES))
def test_secrets_never_in_results(case, new_ns, require, tmp_path):
    require(case)
    secret_options(case)
    ns = prepared(new_ns, case)
    runs = [run(case, case.apply, ns, tmp_path, diff=True, ok=False),
            run(case, case.apply, ns, tmp_path, diff=True, ok=False),
            run(case, case.change, ns, tmp_path, check=True, diff=True, ok=False),
            run(case, dict(case.change, state='rendered'), ns, tmp_path, ok=False),
            run(case, {'state': 'gathered'}, ns, tmp_path, ok=False)]
    for result in runs:
        leaks = harness.find_secrets(result.result, case.secret_values) + \
            harness.find_secrets(result.stdout + result.stderr, case.secret_values)
        assert not leaks, 'secret in the result of %s: %s' % (result.args.get('state', 'merged'), leaks)


@pytest.mark.parametrize('case', params('test_secrets_never_in_playbook_output', CASES))
def test_secrets_never_in_playbook_output(case, new_ns, require, tmp_path):
    require(case)
    secret_options(case)
    ns = prepared(new_ns, case)
    task = 'nlink.netlink.%s' % case.module
    tasks = [{'name': 'apply', task: dict(case.apply, netns=ns.name), 'diff': True},
             {'name': 'change in check mode', task: dict(case.change, netns=ns.name), 'diff': True,
              'check_mode': True}]
    returncode, output = harness.run_playbook(tasks, str(tmp_path))
    assert returncode == 0, output[-5000:]
    leaks = harness.find_secrets(output, case.secret_values)
    assert not leaks, 'secret in ansible-playbook -vvv output: %s' % leaks

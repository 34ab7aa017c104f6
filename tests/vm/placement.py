# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where each test runs: on the host (in network namespaces) or in the test VM, and what runs nowhere.

    placement.py plan PLAN.json          (host) probe what the tests need; write and print the plan
    placement.py host-excludes           (host) the integration targets the host cannot run, one a line
    placement.py guest PLAN RESULTS      (in the VM) run the VM's share in one boot: the smoke checks, the
                                         integration targets and the conformance tests placed there
    placement.py summary PLAN [RESULTS] [--vm-exit N]
                                         (host) counts per place and what ran nowhere; exit 1 if anything
                                         ran nowhere or failed in the VM

An integration target says what it needs in its ``aliases`` file, in the vocabulary of the conformance
cases' ``needs=`` (harness.probe decides, on the host and again in the VM):

    needs/link_kind/bond          `ip link add X type bond` works
    needs/kernel_module/mpls_router   the module is loaded or built in
    needs/genl_family/wireguard   the generic netlink family resolves
    needs/command/iw              the program is on PATH
    needs/global_state            the target changes state that no network namespace contains (audit
                                  rules, module parameters, init_net sysctls): never on the host

A conformance test goes to the VM when its case has needs= the host lacks (the conformance stage skips
it on the host). Anything the VM lacks too "ran nowhere": the summary names it with the reason.
"""

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
import time
from xml.etree import ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGETS = os.path.join(ROOT, 'tests', 'integration', 'targets')
sys.path.insert(0, os.path.join(ROOT, 'tests', 'conformance'))
sys.path.insert(0, HERE)

import harness  # noqa: E402  (the one probe of needs, shared with the conformance suite)

PROBED = ('link_kind', 'kernel_module', 'genl_family', 'command')
GLOBAL_STATE = 'global_state'
# needs/ aliases that mean something to ansible-test itself, not to the placement
ANSIBLE_TEST_NEEDS = ('root', 'target', 'file', 'ssh', 'privileged', 'httptester')
NOT_RUN = ('disabled', 'unsupported', 'hidden')
# NLINK_VM_CONFORMANCE=subset (the default; what CI runs): of each conformance case placed in the VM, only
# this test: apply, the effect read back, and a second run that changes nothing. Under TCG a module run
# costs 5-20 s, so all eight tests of a case take 3-6 minutes, and CI cannot afford that for ~45 cases.
# NLINK_VM_CONFORMANCE=all runs every test; none, no conformance; other words select the tests whose
# node id contains any of them (e.g. "nl_link:dummy test_diff").
SUBSET = ('test_reapply_changes_nothing',)


# -- what the tests need ---------------------------------------------------------------------------

def target_needs(name):
    """(needs dict, global_state) from a target's aliases; an unknown needs/ alias is an error."""
    needs, global_state = {}, False
    with open(os.path.join(TARGETS, name, 'aliases')) as handle:
        aliases = [line.split('#')[0].strip() for line in handle]
    for alias in aliases:
        parts = alias.split('/')
        if parts[0] != 'needs' or len(parts) < 2 or parts[1] in ANSIBLE_TEST_NEEDS:
            continue
        if parts[1:] == [GLOBAL_STATE]:
            global_state = True
        elif len(parts) == 3 and parts[1] in PROBED and parts[2]:
            needs.setdefault(parts[1], []).append(parts[2])
        else:
            raise ValueError('%s/aliases: unknown alias %r (needs/KIND/VALUE with KIND one of %s, or needs/%s)'
                             % (name, alias, ', '.join(PROBED), GLOBAL_STATE))
    return needs, global_state


def integration_targets():
    """The targets ansible-test would run: not hidden (setup_*, prepare_*), disabled or unsupported."""
    names = []
    for name in sorted(os.listdir(TARGETS)) if os.path.isdir(TARGETS) else []:
        path = os.path.join(TARGETS, name, 'aliases')
        if not os.path.isfile(path) or name.startswith(('setup_', 'prepare_')):
            continue
        with open(path) as handle:
            if not set(line.split('#')[0].strip() for line in handle) & set(NOT_RUN):
                names.append(name)
    return names


def plan_integration():
    plan = []
    for name in integration_targets():
        needs, global_state = target_needs(name)
        missing = harness.missing_needs(needs)
        if global_state:
            place, why = 'vm', 'changes global state'
        elif missing:
            place, why = 'vm', 'needs %s' % ', '.join(missing)
        else:
            place, why = 'host', ''
        plan.append({'target': name, 'place': place, 'why': why, 'needs': needs})
    return plan


class _Collector:
    """A pytest plugin keeping each collected test's node id and its case's needs."""

    def __init__(self):
        self.items = []

    def pytest_collection_finish(self, session):
        for item in session.items:
            case = getattr(item, 'callspec', None) and item.callspec.params.get('case')
            self.items.append((item.nodeid, getattr(case, 'needs', None) or {}))


def plan_conformance():
    """The conformance tests as pytest collects them on the host: how many run here, which go to the VM."""
    collector = _Collector()
    output = io.StringIO()
    os.environ.pop('NLINK_IN_VM', None)
    with contextlib.redirect_stdout(output):
        import pytest
        code = pytest.main(['-p', 'no:cacheprovider', '-p', 'no:hypothesispytest', '--collect-only', '-q',
                            os.path.join(ROOT, 'tests', 'conformance')], plugins=[collector])
    if code not in (0, 5):
        raise SystemExit('placement: collecting tests/conformance failed (%s):\n%s' % (code, output.getvalue()))
    selection = os.environ.get('NLINK_VM_CONFORMANCE') or 'subset'
    vm = []
    for nodeid, needs in collector.items:
        missing = harness.missing_needs(needs)
        if missing:
            vm.append({'nodeid': nodeid, 'needs': needs, 'why': 'needs %s' % ', '.join(missing),
                       'selected': selected(selection, nodeid)})
    return {'host': len(collector.items) - len(vm), 'vm': vm, 'selection': selection}


def selected(selection, nodeid):
    """Whether NLINK_VM_CONFORMANCE (subset, all, none, or words any of which the node id contains) picks it."""
    if selection in ('all', 'none'):
        return selection == 'all'
    if selection == 'subset':
        return nodeid.split('::')[-1].split('[')[0] in SUBSET
    return any(word in nodeid for word in selection.replace(',', ' ').split())


def plan(path):
    result = {'host_kernel': os.uname().release, 'integration': plan_integration(),
              'conformance': plan_conformance()}
    with open(path, 'w') as handle:
        json.dump(result, handle, indent=1)
    vm_targets = [t for t in result['integration'] if t['place'] == 'vm']
    print('placement: integration targets: %d on the host, %d in the VM%s'
          % (len(result['integration']) - len(vm_targets), len(vm_targets),
             ''.join('\n   vm: %s (%s)' % (t['target'], t['why']) for t in vm_targets)))
    selected = sum(1 for test in result['conformance']['vm'] if test['selected'])
    print('placement: conformance tests: %d on the host, %d in the VM (NLINK_VM_CONFORMANCE=%s: %d of them run)'
          % (result['conformance']['host'], len(result['conformance']['vm']), result['conformance']['selection'],
             selected))
    return 0


# -- in the VM -------------------------------------------------------------------------------------

def _timed(results, step, started):
    results['seconds'][step] = round(time.monotonic() - started, 1)


def _write(results, path):
    with open(path, 'w') as handle:
        json.dump(results, handle, indent=1)


def guest_smoke(results):
    import smoke
    rows = smoke.run()
    results['smoke'] = {'ok': sum(1 for _n, problem in rows if not problem),
                        'failed': ['%s: %s' % (name, problem) for name, problem in rows if problem]}


def guest_integration(plan_data, results):
    """ansible-test on the VM's targets, in a copy of the collection under ansible_collections/ (as the
    integration stage does on the host)."""
    runnable = []
    for target in (t for t in plan_data['integration'] if t['place'] == 'vm'):
        missing = harness.missing_needs(target['needs'])
        if missing:
            results['nowhere'].append(['integration', target['target'],
                                       '%s on the host; absent in the VM: %s' % (target['why'], ', '.join(missing))])
        else:
            runnable.append(target['target'])
    results['integration'] = {'ran': runnable, 'exit': None}
    if not runnable:
        return
    tree = '/tmp/nlink-vm-tree'
    collection = os.path.join(tree, 'ansible_collections', 'nlink', 'netlink')
    os.makedirs(collection)
    subprocess.run(['rsync', '-a', '--exclude=/.git', '--exclude=/.venv', '--exclude=/.ansible',
                    '--exclude=/tests/output', '--filter=:- .gitignore', ROOT + '/', collection + '/'], check=True)
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-test'), 'integration', '--local',
               '--python', '%d.%d' % sys.version_info[:2], '--allow-destructive', '--continue-on-error'] + runnable
    print('placement: %s' % ' '.join(command), flush=True)
    results['integration']['exit'] = subprocess.run(command, cwd=collection, check=False).returncode


def guest_conformance(plan_data, results):
    """pytest on the VM's conformance tests (conftest's NLINK_IN_VM mode: a need absent here fails), in one
    pytest per vCPU: a test runs one process at a time, and under TCG each vCPU is a host thread."""
    runnable = []
    for test in (t for t in plan_data['conformance']['vm'] if t['selected']):
        missing = harness.missing_needs(test['needs'])
        if missing:
            results['nowhere'].append(['conformance', test['nodeid'],
                                       '%s on the host; absent in the VM: %s' % (test['why'], ', '.join(missing))])
        else:
            runnable.append(test['nodeid'])
    results['conformance'] = {'ran': len(runnable)}
    if not runnable:
        return
    shards = max(1, min(os.cpu_count() or 1, len(runnable)))
    print('placement: pytest on %d conformance tests, %d at a time' % (len(runnable), shards), flush=True)
    running = []
    for index in range(shards):
        junit = '/tmp/nlink-vm-conformance-%d.xml' % index
        command = [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-p', 'no:hypothesispytest', '-v', '-rfE',
                   '--junitxml', junit]
        proc = subprocess.Popen(command + runnable[index::shards], cwd=ROOT, env=dict(os.environ, NLINK_IN_VM='1'),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        copier = threading.Thread(target=_copy, args=(proc.stdout, '[%d] ' % index if shards > 1 else ''))
        copier.start()
        running.append((junit, proc, copier))
    counts = {'passed': 0, 'failed': 0, 'skipped': 0, 'failures': [], 'exit': 0}
    for junit, proc, copier in running:
        exit_code = proc.wait()
        copier.join()
        counts['exit'] = max(counts['exit'], exit_code)
        for key, value in junit_counts(junit).items():
            counts[key] += value
    results['conformance'].update(counts)


_PRINT = threading.Lock()


def _copy(stream, prefix):
    for line in stream:
        with _PRINT:
            sys.stdout.write(prefix + line)
            sys.stdout.flush()


def junit_counts(path):
    counts = {'passed': 0, 'failed': 0, 'skipped': 0, 'failures': []}
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return counts
    for case in root.iter('testcase'):
        outcome = [child.tag for child in case if child.tag in ('failure', 'error', 'skipped')]
        if not outcome:
            counts['passed'] += 1
        elif outcome[0] == 'skipped':
            counts['skipped'] += 1
        else:
            counts['failed'] += 1
            counts['failures'].append('%s::%s' % (case.get('classname'), case.get('name')))
    return counts


def guest(plan_path, results_path):
    with open(plan_path) as handle:
        plan_data = json.load(handle)
    results = {'kernel': os.uname().release, 'nowhere': [], 'seconds': {}}
    for step, run in (('smoke', lambda: guest_smoke(results)),
                      ('integration', lambda: guest_integration(plan_data, results)),
                      ('conformance', lambda: guest_conformance(plan_data, results))):
        started = time.monotonic()
        print('placement: vm: %s' % step, flush=True)
        run()
        _timed(results, step, started)
        _write(results, results_path)  # after each step: a VM cut off by its timeout still tells what ran
    return 0


# -- the summary -----------------------------------------------------------------------------------

def summary(plan_path, results_path=None, vm_exit=None):
    with open(plan_path) as handle:
        plan_data = json.load(handle)
    results = {}
    if results_path and os.path.exists(results_path):
        with open(results_path) as handle:
            results = json.load(handle)
    vm_targets = [t['target'] for t in plan_data['integration'] if t['place'] == 'vm']
    vm_tests = [t['nodeid'] for t in plan_data['conformance']['vm'] if t['selected']]
    deferred = len(plan_data['conformance']['vm']) - len(vm_tests)
    nowhere = list(results.get('nowhere', []))
    problems = []
    unreached = 'not reached: the test VM %s' % ('did not run' if vm_exit is None else 'exited %s' % vm_exit)

    smoke = results.get('smoke')
    if smoke is None:
        nowhere.append(['vm smoke', 'tests/vm/smoke.py', unreached])
    problems += ['vm smoke: %s' % failure for failure in (smoke or {}).get('failed', [])]
    integration = results.get('integration')
    if integration is None:
        nowhere += [['integration', name, unreached] for name in vm_targets]
    elif integration['exit']:
        problems.append('vm integration: ansible-test exited %s (output above)' % integration['exit'])
    conformance = results.get('conformance')
    if conformance is None or (conformance['ran'] and 'exit' not in conformance):
        placed = set(entry[1] for entry in nowhere)
        nowhere += [['conformance', nodeid, unreached] for nodeid in vm_tests if nodeid not in placed]
    elif conformance['ran']:
        problems += ['vm conformance: %s failed' % name for name in conformance['failures']]
        if conformance['exit'] and not conformance['failures']:
            problems.append('vm conformance: pytest exited %s' % conformance['exit'])
    if vm_exit and not problems:
        problems.append('the test VM exited %s' % vm_exit)

    lost = dict((kind, sum(1 for entry in nowhere if entry[0] == kind))
                for kind in ('integration', 'conformance', 'vm smoke'))
    print('placement: host: kernel %s, in network namespaces; vm: kernel %s'
          % (plan_data['host_kernel'], results.get('kernel', '(no results)')))
    row = '   %-20s %6s %6s %8s %9s'
    print(row % ('', 'host', 'vm', 'nowhere', 'deferred'))
    print(row % ('integration targets', len(plan_data['integration']) - len(vm_targets),
                 len(vm_targets) - lost['integration'], lost['integration'], '-'))
    print(row % ('conformance tests', plan_data['conformance']['host'], len(vm_tests) - lost['conformance'],
                 lost['conformance'], deferred))
    print(row % ('vm smoke checks', '-', (smoke or {}).get('ok', 0) + len((smoke or {}).get('failed', [])),
                 lost['vm smoke'], '-'))
    if deferred:
        print('   deferred: conformance tests of the VM that NLINK_VM_CONFORMANCE=%s leaves out (=all runs them)'
              % plan_data['conformance']['selection'])
    if results.get('seconds'):
        print('   time in the vm: %s' % ', '.join('%s %s s' % item for item in results['seconds'].items()))
    if conformance and conformance.get('ran'):
        print('   vm conformance: %(passed)d passed, %(skipped)d skipped, %(failed)d failed' % conformance)
    if nowhere:
        print('placement: RAN NOWHERE (%d):' % len(nowhere))
        for (kind, name, reason), count in grouped(nowhere):
            print('   %s %s%s: %s' % (kind, name, ' (%d tests)' % count if count > 1 else '', reason))
    for problem in problems:
        print('placement: FAILED: %s' % problem)
    return 1 if nowhere or problems else 0


def grouped(nowhere):
    """Conformance tests by their case (test_x[nl_link:dummy] -> nl_link:dummy), in order: [(entry, count)]."""
    groups = {}
    for kind, name, reason in nowhere:
        if kind == 'conformance' and name.endswith(']'):
            name = name[name.index('[') + 1:-1]
        groups[(kind, name, reason)] = groups.get((kind, name, reason), 0) + 1
    return list(groups.items())


def main(argv):
    if argv[:1] == ['plan'] and len(argv) == 2:
        return plan(argv[1])
    if argv == ['host-excludes']:
        for target in plan_integration():
            if target['place'] != 'host':
                print(target['target'])
                print('placement: %s runs in the test VM (%s)' % (target['target'], target['why']), file=sys.stderr)
        return 0
    if argv[:1] == ['guest'] and len(argv) == 3:
        return guest(argv[1], argv[2])
    if argv[:1] == ['summary'] and 2 <= len(argv) <= 5:
        vm_exit = None
        if '--vm-exit' in argv:
            at = argv.index('--vm-exit')
            vm_exit = int(argv[at + 1])
            argv = argv[:at] + argv[at + 2:]
        return summary(argv[1], argv[2] if len(argv) > 2 else None, vm_exit)
    print(__doc__.split('\n\n')[1], file=sys.stderr)
    return 2


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except ValueError as exc:
        sys.exit('placement: %s' % exc)

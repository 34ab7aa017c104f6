# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance fixtures: fresh network namespaces, per-case readiness (module present, needs met), and
the session summary (needs that sent cases to the test VM; bulk timings).
(tests/conftest.py makes the checkout importable as ``ansible_collections.nlink.netlink``.)"""

import os

import pytest

import harness

NEEDS_SKIPPED = []
TIMINGS = []


def pytest_configure(config):
    if os.geteuid() != 0:
        config.issue_config_time_warning(pytest.PytestWarning('conformance tests need root (network namespaces)'),
                                         stacklevel=2)


@pytest.fixture
def new_ns():
    """A factory of fresh network namespaces, all deleted when the test ends (whatever happened)."""
    made = []

    def make():
        ns = harness.Namespace()
        made.append(ns)
        return ns
    yield make
    for ns in made:
        ns.delete()


@pytest.fixture
def require(request):
    """require(case): skip unless the module exists and the host has what the case needs."""
    def check(case):
        if not harness.module_exists(case.module):
            pytest.skip('module %s does not exist yet (plugins/modules/%s.py)' % (case.module, case.module))
        missing = harness.missing_needs(case.needs)
        if missing:
            reason = 'needs %s: runs in the test VM' % ', '.join(missing)
            if harness.IN_VM:
                pytest.fail('needs %s: absent in the test VM too (tests/vm/modules.list?)' % ', '.join(missing))
            NEEDS_SKIPPED.append((request.node.nodeid, reason))
            pytest.skip(reason)
    check.skipped = NEEDS_SKIPPED
    return check


@pytest.fixture
def record_timing():
    def record(label, seconds):
        TIMINGS.append((label, seconds))
        print('%s: %.2f s' % (label, seconds))
    return record


def pytest_terminal_summary(terminalreporter):
    if NEEDS_SKIPPED:
        terminalreporter.write_sep('!', 'conformance cases SKIPPED on this host for missing kernel features', red=True)
        for nodeid, reason in NEEDS_SKIPPED:
            terminalreporter.write_line('%s  ->  %s' % (nodeid, reason))
        terminalreporter.write_line('(tests/run vm runs these in the test VM)')
    if TIMINGS:
        terminalreporter.write_sep('-', 'conformance timings')
        for label, seconds in TIMINGS:
            terminalreporter.write_line('%-60s %8.2f s' % (label, seconds))


def pytest_collection_modifyitems(config, items):
    """In the test VM only the cases that need it run: everything else has run on the host already."""
    if not harness.IN_VM:
        return
    keep, drop = [], []
    for item in items:
        case = getattr(item, 'callspec', None) and item.callspec.params.get('case')
        (keep if case is not None and getattr(case, 'needs', None) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep

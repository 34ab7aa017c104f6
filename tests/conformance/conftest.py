# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance fixtures: fresh network namespaces, per-case readiness (module present, needs met), and
the session summary (needs that sent cases to the test VM; bulk timings).

Like tests/unit/conftest.py, it makes the checkout importable as ``ansible_collections.nlink.netlink``
(a symlink farm) for this process and its subprocesses (modules, ansible-playbook)."""

import hashlib
import os
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def collection_farm():
    """A directory holding ansible_collections/nlink/netlink -> ROOT (the one tests/run made, if any)."""
    for entry in os.environ.get('PYTHONPATH', '').split(os.pathsep):
        link = os.path.join(entry, 'ansible_collections', 'nlink', 'netlink')
        if entry and os.path.realpath(link) == os.path.realpath(ROOT):
            return entry
    farm = os.path.join(tempfile.gettempdir(), 'nlink-netlink-pytest-%d-%s'
                        % (os.getuid(), hashlib.sha256(ROOT.encode()).hexdigest()[:12]))
    parent = os.path.join(farm, 'ansible_collections', 'nlink')
    link = os.path.join(parent, 'netlink')
    os.makedirs(parent, exist_ok=True)
    if os.path.realpath(link) != os.path.realpath(ROOT):
        temporary = '%s.%d' % (link, os.getpid())
        os.symlink(ROOT, temporary)
        os.replace(temporary, link)  # atomic: parallel sessions may race here
    return farm


def _export(farm):
    if farm not in sys.path:
        sys.path.insert(0, farm)
    for name in ('PYTHONPATH', 'ANSIBLE_COLLECTIONS_PATH'):
        parts = [p for p in os.environ.get(name, '').split(os.pathsep) if p]
        if farm not in parts:
            os.environ[name] = os.pathsep.join([farm] + parts)


COLLECTION_FARM = collection_farm()
_export(COLLECTION_FARM)


import harness  # noqa: E402  (needs the collection on sys.path)

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

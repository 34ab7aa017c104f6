# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""EDA fixtures: fresh network namespaces and the timing summary."""

import os
import uuid

import pytest

from edalib import NOT_TESTED, TIMINGS, ip


def pytest_configure(config):
    if os.geteuid() != 0:
        config.issue_config_time_warning(pytest.PytestWarning('EDA tests need root (network namespaces)'),
                                         stacklevel=2)


def pytest_terminal_summary(terminalreporter):
    for what in NOT_TESTED:
        terminalreporter.write_line('!' * 100)
        terminalreporter.write_line('!!! SKIPPED, NOT TESTED: ' + what)
        terminalreporter.write_line('!' * 100)
    if TIMINGS:
        terminalreporter.section('EDA timings')
        for line in TIMINGS:
            terminalreporter.write_line(line)


@pytest.fixture
def netns():
    """A fresh namespace with a veth pair v0/v0p, both up; always removed."""
    if os.geteuid() != 0:
        pytest.skip('needs root: network namespaces')
    name = 'nleda-%s' % uuid.uuid4().hex[:8]
    ip('netns', 'add', name)
    try:
        ip('-n', name, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v0p')
        ip('-n', name, 'link', 'set', 'v0', 'up')
        ip('-n', name, 'link', 'set', 'v0p', 'up')
        yield name
    finally:
        ip('netns', 'del', name, check=False)

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Refusals read clearly: the kernel's own words or the option that is wrong, and never a traceback."""

import pytest

import harness
from cases import ERROR_CASES


def case_params():
    return [pytest.param(c, id='%s:%s' % (c.module, c.id),
                         marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
            for c in ERROR_CASES]


@pytest.mark.parametrize('case', case_params())
def test_failure_is_clean(case, new_ns, require, tmp_path):
    require(case)
    ns = new_ns()
    ns.setup(case.setup)
    before = harness.snapshot(ns)
    result = harness.run_module(case.module, case.args, ns.name, tmpdir=str(tmp_path))
    assert result.failed, 'expected a failure: ' + result.describe()
    msg = result.get('msg', '')
    for text in case.msg_contains:
        assert text in msg, '%r not in msg %r' % (text, msg)
    for stream in (result.stdout, result.stderr):
        assert 'Traceback' not in stream, result.describe()
    if 'exception' in result.result:
        assert 'pyroute2' in msg, 'an exception is only reported for a missing library: ' + result.describe()
    if case.phase == 'validation':
        assert harness.snapshot(ns) == before, 'a refused task changed the kernel'
    else:
        assert result.get('changed') is False, 'nothing was changed, yet: ' + result.describe()

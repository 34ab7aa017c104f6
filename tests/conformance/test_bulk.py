# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk: many objects in one task (as config, and as a src file), applied, read back, re-applied unchanged.

Timings are printed and listed in the session summary; no test asserts on time.
"""

import json
import time

import pytest

import harness
from cases import BULK_CASES


@pytest.mark.parametrize('source', ['config', 'src'])
@pytest.mark.parametrize('case', BULK_CASES, ids=lambda c: '%s:%s' % (c.module, c.id))
def test_bulk_apply_and_reapply(case, source, new_ns, require, record_timing, tmp_path):
    require(case)
    ns = new_ns()
    ns.setup(case.setup)
    objects = case.items()
    task = dict(case.args)
    if source == 'config':
        task['config'] = objects
    else:
        path = tmp_path / 'items.json'
        path.write_text(json.dumps(objects))
        task['src'] = str(path)
    label = '%s: %d objects via %s' % (case.module, len(objects), source)

    started = time.monotonic()
    first = harness.run_module(case.module, task, ns.name, tmpdir=str(tmp_path))
    record_timing(label + ', apply', time.monotonic() - started)
    assert not first.failed, first.describe()
    assert first['changed'] is True and len(first['commands']) == len(objects)
    assert case.count(ns.json(case.readback)) == len(objects)

    started = time.monotonic()
    again = harness.run_module(case.module, task, ns.name, tmpdir=str(tmp_path))
    record_timing(label + ', re-apply', time.monotonic() - started)
    assert not again.failed, again.describe()
    assert again['changed'] is False and again['commands'] == []

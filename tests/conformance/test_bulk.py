# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk: a thousand objects in one task (config, and src), applied, read back, re-applied unchanged.

Timings are printed and listed in the session summary; no test asserts on time.
"""

import json
import time

import pytest

import harness
from cases import BULK_CASES


class Bulk:
    module = None
    needs = None


@pytest.mark.parametrize('source', ['config', 'src'])
@pytest.mark.parametrize('module, setup, args, items, command, count', BULK_CASES,
                         ids=['%s-%d' % (c[0], len(c[3]())) for c in BULK_CASES])
def test_bulk_apply_and_reapply(module, setup, args, items, command, count, source, new_ns, require,
                                record_timing, tmp_path):
    bulk = Bulk()
    bulk.module = module
    require(bulk)
    ns = new_ns()
    ns.setup(setup)
    objects = items()
    task = dict(args)
    if source == 'config':
        task['config'] = objects
    else:
        path = tmp_path / 'items.json'
        path.write_text(json.dumps(objects))
        task['src'] = str(path)
    label = '%s: %d objects via %s' % (module, len(objects), source)

    started = time.monotonic()
    first = harness.run_module(module, task, ns.name, tmpdir=str(tmp_path))
    record_timing(label + ', apply', time.monotonic() - started)
    assert not first.failed, first.describe()
    assert first['changed'] is True and len(first['commands']) == len(objects)
    assert count(ns.json(command)) == len(objects)

    started = time.monotonic()
    again = harness.run_module(module, task, ns.name, tmpdir=str(tmp_path))
    record_timing(label + ', re-apply', time.monotonic() - started)
    assert not again.failed, again.describe()
    assert again['changed'] is False and again['commands'] == []

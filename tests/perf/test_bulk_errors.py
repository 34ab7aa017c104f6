# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-item errors at scale: 10,000 routes in one nl_route task (src), three of them refused by the kernel.

The writes are pipelined without per-request ACKs (Connection.bulk); the kernel answers only failures, each
with its request's sequence number, and an ACKed no-op closes the batch. This proves the failures come back
attributed to exactly the routes that failed, and that the rest are applied. Not timed (bench.py times).

    sudo /work/venv/bin/python -m pytest tests/perf/test_bulk_errors.py
"""

import json
import os
import subprocess
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_workers import ROOT, collection_farm, destinations  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root (network namespaces)')
COUNT, TABLE = 10000, 100
# gateways on no connected network: the kernel refuses these routes (ENETUNREACH, "Nexthop has invalid gateway")
BAD = {17: '198.51.100.1', 5000: '198.51.100.2', 9999: '198.51.100.3'}


@pytest.fixture
def netns():
    name = 'nlb-err-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', name], check=True)
    try:
        subprocess.run(['ip', '-n', name, '-batch', '-'], check=True, text=True,
                       input='link add v0 type veth peer name v1\nlink set v0 up\naddress add 192.0.2.1/24 dev v0\n')
        yield name
    finally:
        subprocess.run(['ip', 'netns', 'del', name], check=False)


def run_nl_route(args, tmp_path):
    path = tmp_path / 'args.json'
    path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    env = dict(os.environ, PYTHONPATH=collection_farm())
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'plugins', 'modules', 'nl_route.py'), str(path)],
                          capture_output=True, text=True, env=env, check=False)
    return json.loads(proc.stdout)


def test_three_refused_routes_among_10k_are_reported_and_the_rest_applied(netns, tmp_path):
    dsts = destinations(COUNT)
    items = [{'dst': dst, 'gateway': BAD.get(i, '192.0.2.2')} for i, dst in enumerate(dsts)]
    src = tmp_path / 'routes.json'
    src.write_text(json.dumps(items))

    result = run_nl_route({'netns': netns, 'table': str(TABLE), 'src': str(src)}, tmp_path)

    assert result.get('failed') is True and result['changed'] is True
    assert result['msg'] == '3 of %d changes failed: see failures' % COUNT
    assert [(f['item'], f['op']) for f in result['failures']] == [
        ('%s table %d metric 0' % (dsts[i], TABLE), 'create') for i in sorted(BAD)]
    assert all('invalid gateway' in f['msg'] for f in result['failures']), result['failures']
    assert result['counts'] == {'create': COUNT, 'update': 0, 'delete': 0}
    shown = subprocess.run(['ip', '-n', netns, '-j', 'route', 'show', 'table', str(TABLE)], capture_output=True,
                           text=True, check=True)
    present = set(route['dst'] + '/32' for route in json.loads(shown.stdout))
    assert present == set(dsts) - set(dsts[i] for i in BAD)

    again = run_nl_route({'netns': netns, 'table': str(TABLE), 'src': str(src)}, tmp_path)
    assert [f['item'] for f in again['failures']] == [f['item'] for f in result['failures']]
    assert again['changed'] is False and 'counts' not in again  # only the three are tried again

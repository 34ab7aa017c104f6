#!/usr/bin/env python
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Before and after at the same load: the playbook tasks of a git revision against the working tree.

    sudo /work/venv/bin/python tests/perf/compare.py [--ref HEAD] [--count 100000] [--rounds 2]

The revision is exported (`git archive`) as a collection of its own; then, round by round and back to back, each
of the two runs the benchmark's playbook tasks in a namespace of this script's own (bench.py's: routes via a
gateway in table 100, `src` a JSON file): nl_route apply into an empty table, the idempotent re-run, nl_facts
routes. Task times are over an empty playbook, as in bench.py; the load is printed with each.
"""

import argparse
import json
import os
import subprocess
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--ref', default='HEAD')
    parser.add_argument('--count', type=int, default=100000)
    parser.add_argument('--rounds', type=int, default=2)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit('needs root (network namespaces)')
    runner = bench.Bench(SimpleNamespace(json=None, runs=1))
    before = os.path.join(runner.workdir, 'before')
    tree = os.path.join(before, 'ansible_collections', 'nlink', 'netlink')
    os.makedirs(tree)
    archive = subprocess.run(['git', '-C', bench.ROOT, 'archive', args.ref], check=True, capture_output=True).stdout
    subprocess.run(['tar', '-x', '-C', tree], input=archive, check=True)
    farms = {args.ref: before, 'working tree': runner.farm}
    runner.setup()
    try:
        src = os.path.join(runner.workdir, 'routes.json')
        with open(src, 'w') as handle:
            json.dump([{'dst': dst, 'gateway': bench.GATEWAY} for dst in bench.destinations(args.count)], handle)
        route = {'netns': runner.netns, 'table': str(bench.TABLE), 'src': src}
        tasks = (('apply', route, 'nlink.netlink.nl_route'), ('re-run', route, 'nlink.netlink.nl_route'),
                 ('facts', {'netns': runner.netns, 'gather_subset': ['routes']}, 'nlink.netlink.nl_facts'))
        for round_ in range(args.rounds):
            for which, farm in farms.items():
                runner.farm = farm
                runner.flush(bench.TABLE)
                for label, module_args, module in tasks:
                    wall, cpu, rss, note = runner.task(module_args, label, module=module)
                    print('round %d  %-12s %-7s wall %7.3f s  cpu %7.3f s  %4.0f MB  %-9s load %.1f' % (
                        round_ + 1, which, label, wall, cpu, rss, note, os.getloadavg()[0]), flush=True)
    finally:
        runner.teardown()


if __name__ == '__main__':
    main()

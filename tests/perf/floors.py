#!/usr/bin/env python
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Ansible itself costs a task at 100,000 routes: the floors under issue 7's targets.

    /work/venv/bin/python tests/perf/floors.py [--count 100000] [--runs 1] [--json FILE]

No root, no namespace: each floor is a playbook task running a trivial module (a `library/` next to the
playbook) that does no netlink work at all; its task time is the playbook's wall (CPU) time minus an empty
playbook's run just before it, as bench.py measures nl_route. What nl_route or nl_facts does beyond the floor
is theirs; what the floor costs no module can take away.

  nothing        a module that returns {changed: false}
  read src       a module that json-loads a src file of COUNT {dst, gateway} items and returns changed: false
  facts full     ansible_facts.netlink.routes: COUNT routes in nl_facts' full shape (every option, empty ones too)
  facts compact  the same routes with empty and default values left out (nl_facts' shape for routes with compact: true)
  facts compact not injected   the same with INJECT_FACTS_AS_VARS off (facts only under ansible_facts)
  facts strings  the same routes as one compact string each (`10.0.0.1/32 via 192.0.2.2 dev v0 table 100 ...`)
  result full / result compact  the shapes under a plain result key (no facts handling), for comparison

The facts modules read their result from a JSON file written beforehand (json.load of it is part of the floor,
as a module must build its result somehow).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench  # noqa: E402

NOTHING = '''#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
AnsibleModule(argument_spec={}).exit_json(changed=False)
'''
READ_SRC = '''#!/usr/bin/python
import json
from ansible.module_utils.basic import AnsibleModule
module = AnsibleModule(argument_spec=dict(src=dict(type='path', required=True)))
with open(module.params['src']) as handle:
    items = json.load(handle)
module.exit_json(changed=False, count=len(items))
'''
RETURN = '''#!/usr/bin/python
import json
from ansible.module_utils.basic import AnsibleModule
module = AnsibleModule(argument_spec=dict(src=dict(type='path', required=True), facts=dict(type='bool')))
with open(module.params['src']) as handle:
    routes = json.load(handle)
if module.params['facts']:
    module.exit_json(changed=False, ansible_facts={'netlink': {'routes': routes}})
module.exit_json(changed=False, routes=routes)
'''


def full_route(dst):
    """A gateway route as nl_facts gathers it in the documented (full) shape."""
    return {'dst': dst, 'family': 'inet', 'table': '100', 'metric': 0, 'tos': 0, 'type': 'unicast', 'scope': 'global',
            'protocol': 'static', 'gateway': bench.GATEWAY, 'dev': 'v0', 'prefsrc': '', 'onlink': False,
            'nexthops': [], 'nhid': 0, 'metrics': {}, 'encap': {}, 'pref': None}


def compact_route(dst):
    """The same with empty and default values left out (what nl_facts returns with compact: true)."""
    return {'dst': dst, 'table': '100', 'protocol': 'static', 'gateway': bench.GATEWAY, 'dev': 'v0'}


def string_route(dst):
    return '%s via %s dev v0 table 100 proto static' % (dst, bench.GATEWAY)


FLOORS = (  # (name, module, module args, data written to its src file or None, environment)
    ('nothing', 'floor_nothing', {}, None, {}),
    ('read src', 'floor_read_src', {}, lambda dst: {'dst': dst, 'gateway': bench.GATEWAY}, {}),
    ('facts full', 'floor_return', {'facts': True}, full_route, {}),
    ('facts compact', 'floor_return', {'facts': True}, compact_route, {}),
    ('facts compact not injected', 'floor_return', {'facts': True}, compact_route,
     {'ANSIBLE_INJECT_FACT_VARS': 'False'}),
    ('facts strings', 'floor_return', {'facts': True}, string_route, {}),
    ('result full', 'floor_return', {'facts': False}, full_route, {}),
    ('result compact', 'floor_return', {'facts': False}, compact_route, {}),
)


def measure(count, runs, names=None):
    """{floor name: {seconds, cpu, rss_mb, runs, json_mb}}: task times over an empty playbook (medians)."""
    runner = bench.Bench(SimpleNamespace(json=None, runs=runs))
    try:
        library = os.path.join(runner.workdir, 'library')
        os.makedirs(library)
        for name, text in (('floor_nothing', NOTHING), ('floor_read_src', READ_SRC), ('floor_return', RETURN)):
            with open(os.path.join(library, name + '.py'), 'w') as handle:
                handle.write(text)
        dsts = bench.destinations(count)
        found = {}
        for name, module, args, shape, env in FLOORS:
            if names and name not in names:
                continue
            args = dict(args)
            size = 0
            if shape is not None:
                args['src'] = os.path.join(runner.workdir, 'floor-%d.json' % len(found))
                with open(args['src'], 'w') as handle:
                    json.dump([shape(dst) for dst in dsts], handle)
                size = os.path.getsize(args['src']) / 1e6
            saved = dict((key, os.environ.get(key)) for key in env)
            os.environ.update(env)  # the playbook runs with this process's environment
            try:
                samples = [runner.task_time([{'name': name, module: args}], 'floor', lambda recap: recap)
                           for _run in range(runs)]
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key)
                    else:
                        os.environ[key] = value
            for sample in samples:
                if 'failed=0' not in sample[3] or 'ok=1' not in sample[3]:
                    raise RuntimeError('floor %s: %s' % (name, sample[3]))
            found[name] = {'seconds': statistics.median(s[0] for s in samples),
                           'cpu': statistics.median(s[1] for s in samples),
                           'rss_mb': max(s[2] for s in samples), 'runs': [round(s[0], 3) for s in samples],
                           'json_mb': round(size, 1)}
            print('floor %-28s %8.3f s %8.3f s cpu %5.0f MB  (data %.1f MB JSON)' % (
                name, found[name]['seconds'], found[name]['cpu'], found[name]['rss_mb'], size), flush=True)
        found['empty playbook'] = dict(zip(('seconds', 'cpu'), (statistics.median(e[i] for e in runner.empty_playbook)
                                                                for i in (0, 1))))
        return found
    finally:
        shutil.rmtree(runner.workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--count', type=int, default=100000)
    parser.add_argument('--runs', type=int, default=1)
    parser.add_argument('--only', help='comma-separated floor names')
    parser.add_argument('--json', help='write the floors as JSON here')
    args = parser.parse_args()
    found = measure(args.count, args.runs, args.only.split(',') if args.only else None)
    print('empty playbook %.3f s, %.3f s cpu' % (found['empty playbook']['seconds'], found['empty playbook']['cpu']))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump({'count': args.count, 'floors': found}, handle, indent=1)


if __name__ == '__main__':
    main()

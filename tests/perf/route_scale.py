#!/usr/bin/env python
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_route at scale: 100,000 /32 routes via a gateway, timed several ways, as a table.

    sudo /work/venv/bin/python tests/perf/route_scale.py [--count 100000]

Everything happens in a fresh network namespace (nlp-route-<random>: a veth pair, an address, the routes
in table main) that is removed at the end. Wall and CPU seconds are printed (CPU: user + system of this
process and its children, the kernel's work on the requests included; on a shared machine it tells what
wall time cannot). Rows:

  engine      nl_route's resource and engine called in this process (no Ansible): apply, the idempotent
              re-run, a change of every route's gateway (NLM_F_REPLACE), overridden with 90% of the routes
              (purges 10%), and the gather (one dump) alone
  dump        the same dump decoded by route_codec and by pyroute2's rtmsg, for comparison
  playbook    the whole `ansible-playbook` task (nl_route with src: a JSON file on the host): apply, re-run
  ip -batch   iproute2 adding the same routes from a file (the reference for the kernel's own cost)
"""

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_workers import collection_farm  # noqa: E402  pylint: disable=wrong-import-position

FARM = collection_farm()
sys.path.insert(0, FARM)

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine  # noqa: E402
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection  # noqa: E402
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import route_codec  # noqa: E402
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route  # noqa: E402

GATEWAY, OTHER_GATEWAY = '192.0.2.2', '192.0.2.3'


def destinations(count):
    """count /32 destinations in 10.0.0.0/8 (no network or broadcast addresses needed: they are routes)."""
    return ['10.%d.%d.%d/32' % (i >> 16 & 255, i >> 8 & 255, i & 255) for i in range(1, count + 1)]


def ip(netns, *words, **kwargs):
    return subprocess.run(['ip', '-n', netns] + list(words), check=True, capture_output=True, text=True, **kwargs)


def flush(netns):
    ip(netns, 'route', 'flush', 'table', 'main', 'proto', 'static')


def count_routes(netns):
    return len(json.loads(ip(netns, '-j', 'route', 'show', 'table', 'main', 'proto', 'static').stdout))


def cpu_seconds():
    """CPU time (user + system, which includes the kernel's work on our netlink requests) of this process
    and its finished children: on a shared machine it says what wall time cannot."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label, rows, call, expect=None):
    started, cpu = time.monotonic(), cpu_seconds()
    result = call()
    rows.append((label, time.monotonic() - started, cpu_seconds() - cpu, expect(result) if expect else ''))
    print('%-58s %8.2f s %8.2f s cpu  %s' % rows[-1], flush=True)
    return result


def engine_run(netns, state, items, scope=None):
    with Connection(0, netns) as conn:
        resource = Route(conn, dict(scope or {'table': None, 'dev': None, 'protocol': None, 'family': None}), netns)
        wants = [resource.normalize(item) for item in items]
        resource.check_request(state, wants)
        result = engine.run(resource, state, wants, False, False)
    if result.get('msg'):
        raise SystemExit('engine run failed: %s' % result['msg'])
    return result


def changes(result):
    # at scale (engine.RESULT_OBJECTS_LIMIT) commands shows the first changes and counts has them all
    return '%d changes' % (sum(result['counts'].values()) if 'counts' in result else len(result['commands']))


def pyroute2_dump(netns):
    from pyroute2.netlink.rtnl.rtmsg import rtmsg
    request = rtmsg()
    request['family'] = socket.AF_INET
    with Connection(0, netns) as conn:
        return conn.dump(request, route_codec.RTM_GETROUTE, rtmsg)


def codec_dump(netns):
    with Connection(0, netns) as conn:
        return conn.dump(route_codec.RouteMessage(route_codec.encode_dump(socket.AF_INET)), route_codec.RTM_GETROUTE,
                         route_codec.RouteReply)


def playbook(netns, src, workdir):
    play = [{'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
             'vars': {'ansible_python_interpreter': sys.executable},
             'tasks': [{'name': 'routes from a file', 'nlink.netlink.nl_route': {'netns': netns, 'src': src}}]}]
    path = os.path.join(workdir, 'play.json')
    with open(path, 'w') as handle:
        json.dump(play, handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=FARM, ANSIBLE_LOCAL_TEMP=workdir, ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_RETRY_FILES_ENABLED='0')
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', path]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=workdir, check=False)
    if proc.returncode != 0:
        raise SystemExit('ansible-playbook failed:\n' + proc.stdout[-3000:] + proc.stderr[-3000:])
    return 'changed=1' in proc.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--count', type=int, default=100000)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit('needs root (network namespaces)')
    dsts = destinations(args.count)
    items = [{'dst': dst, 'gateway': GATEWAY} for dst in dsts]
    netns = 'nlp-route-%s' % uuid.uuid4().hex[:8]
    workdir = tempfile.mkdtemp(prefix='nlp-route-')
    rows = []
    subprocess.run(['ip', 'netns', 'add', netns], check=True)
    try:
        ip(netns, '-batch', '-', input='link add v0 type veth peer name v1\nlink set v0 up\n'
                                       'address add 192.0.2.1/24 dev v0\n')
        print('%d routes via %s in namespace %s (kernel %s)' % (args.count, GATEWAY, netns, os.uname().release))
        n = '%dk' % (args.count // 1000)
        timed('engine: apply %s (merged)' % n, rows, lambda: engine_run(netns, 'merged', items), changes)
        timed('engine: re-run %s (idempotent)' % n, rows, lambda: engine_run(netns, 'merged', items), changes)
        moved = [{'dst': dst, 'gateway': OTHER_GATEWAY} for dst in dsts]
        timed('engine: change the gateway of %s (replace)' % n, rows, lambda: engine_run(netns, 'merged', moved),
              changes)
        keep = moved[:args.count - args.count // 10]
        timed('engine: overridden with 90%% (purges %d)' % (args.count // 10), rows,
              lambda: engine_run(netns, 'overridden', keep, {'table': 'main'}), changes)
        timed('engine: gather alone (dump, decode, config shape)', rows,
              lambda: engine_run(netns, 'gathered', []), lambda r: '%d routes' % len(r['gathered']))
        timed('dump: route_codec decode', rows, lambda: codec_dump(netns), lambda r: '%d messages' % len(r))
        timed('dump: pyroute2 rtmsg decode', rows, lambda: pyroute2_dump(netns), lambda r: '%d messages' % len(r))

        flush(netns)
        src = os.path.join(workdir, 'routes.json')
        with open(src, 'w') as handle:
            json.dump(items, handle)
        timed('ansible-playbook: nl_route src: %s, apply' % n, rows, lambda: playbook(netns, src, workdir),
              lambda changed: 'changed' if changed else 'NOT changed')
        timed('ansible-playbook: nl_route src: %s, re-run' % n, rows, lambda: playbook(netns, src, workdir),
              lambda changed: 'changed' if changed else 'ok (no change)')
        if count_routes(netns) != args.count:
            raise SystemExit('the playbook left %d routes, not %d' % (count_routes(netns), args.count))

        flush(netns)
        batch = ''.join('route add %s via %s proto static\n' % (dst, GATEWAY) for dst in dsts)
        timed('ip -batch: route add %s' % n, rows, lambda: ip(netns, '-batch', '-', input=batch),
              lambda _r: '%d routes' % count_routes(netns))
    finally:
        subprocess.run(['ip', 'netns', 'del', netns], check=False)
        subprocess.run(['rm', '-rf', workdir], check=False)
    print('\n| what | wall s | cpu s | |\n|---|---:|---:|---|')
    for label, seconds, cpu, note in rows:
        print('| %s | %.2f | %.2f | %s |' % (label, seconds, cpu, note))


if __name__ == '__main__':
    main()

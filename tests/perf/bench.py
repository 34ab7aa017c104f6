#!/usr/bin/env python
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_route against the kernel's limit and the alternatives, at 1k / 10k / 100k routes; writes docs/performance.md.

    sudo /work/venv/bin/python tests/perf/bench.py [--sizes 1000,10000,100000] [--runs 3] [--quick]

Everything happens in a namespace of its own (nlb-<random>: a veth pair, 192.0.2.1/24 on v0), removed at the
end. The routes are IPv4 /32s via 192.0.2.2 in table 100. For each size, each operation and each way, the
median of --runs runs (the state each needs is set up before each run, untimed):

  operations  apply (into an empty table), re-run (the same again: nothing to do), purge (empty table 100),
              facts (read the table back), scoped (read table 200's 100 routes next to the size in table 100)
  ways        raw C (tests/perf/raw_routes.c: a bare netlink socket, pipelined, compiled here with gcc),
              engine (nl_route's resource and engine in a Python process, item validation included, imports
              not), playbook (the whole ansible-playbook task: its wall time minus an empty playbook's; routes
              as `src`, a JSON file), pyroute2 (IPRoute the obvious way: one call per route, get_routes,
              flush_routes), ip (iproute2: `ip -batch` of `route add` / `route replace` / `route flush` /
              `ip -j route show`), command loop (ansible.builtin.command running `ip route add` per item; apply,
              at --loop-count items only: it is slow)

Wall seconds, peak RSS of the measuring process (for a playbook: the largest process of its tree) and the
1-minute load average while it ran are recorded: the machine is shared, so load says how far to trust a figure.
Also measured: the time to import what nl_route imports against `import pyroute2`, (--others) the engine
for 10k neighbours and addresses, and (--floors) what Ansible alone costs a task at the largest size: trivial
modules that read the same src or return facts of nl_facts' size (tests/perf/floors.py). --quick: sizes 1000,10000, one run, no pyroute2 beyond 10k.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GATEWAY, TABLE, SCOPED_TABLE, SCOPED_COUNT = '192.0.2.2', 100, 200, 100
WAYS = ('raw C', 'engine', 'playbook', 'pyroute2', 'ip', 'command loop')
OPERATIONS = ('apply', 're-run', 'purge', 'facts', 'scoped')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_report  # noqa: E402
import bench_workers  # noqa: E402


def destinations(count, base=10):
    """count /32s: base.a.b.c for 1..count (raw_routes.c writes the same ones)."""
    return ['%d.%d.%d.%d/32' % (base, i >> 16 & 255, i >> 8 & 255, i & 255) for i in range(1, count + 1)]


class Bench:
    def __init__(self, args):
        self.args = args
        self.netns = 'nlb-%s' % uuid.uuid4().hex[:8]
        self.workdir = tempfile.mkdtemp(prefix='nlb-')
        self.farm = bench_workers.collection_farm()
        self.rows = []  # dicts: size, operation, way, seconds, rss_mb, load, note
        self.extra = {}
        self.empty_playbook = []  # (wall, cpu) of each empty playbook run

    # -- running things ---------------------------------------------------------------------------
    def child(self, argv, stdin=None, env=None):
        """Run argv; return (stdout, wall seconds, peak RSS MB of it and its waited-for descendants)."""
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=self.workdir)
        out, err = proc.communicate(stdin.encode() if stdin is not None else None)
        wall = time.monotonic() - started
        if proc.returncode != 0:
            raise RuntimeError('%s failed (%d):\n%s\n%s' % (
                ' '.join(argv[:4]), proc.returncode, out.decode()[-2000:], err.decode()[-3000:]))
        return out.decode(), wall

    def measured(self, argv, stdin=None, env=None):
        """(stdout, wall, peak RSS MB, CPU seconds) of argv, run from a fork of this process: the fork's
        RUSAGE_CHILDREN then holds the largest RSS and the CPU time of that one process tree."""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                out, wall = self.child(argv, stdin, env)
                import resource
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                payload = json.dumps({'out': out, 'wall': wall, 'rss': usage.ru_maxrss / 1024.0,
                                      'cpu': usage.ru_utime + usage.ru_stime})
            except Exception as exc:  # reported by the parent
                payload = json.dumps({'error': str(exc)})
            with os.fdopen(write, 'w') as pipe:
                pipe.write(payload)
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            data = json.loads(pipe.read() or '{"error": "the measuring fork died"}')
        os.waitpid(pid, 0)
        if 'error' in data:
            raise RuntimeError(data['error'])
        return data['out'], data['wall'], data['rss'], data['cpu']

    def ip(self, *words, stdin=None):
        return self.child(['ip', '-n', self.netns] + list(words), stdin=stdin)[0]

    def raw(self, op, count, table=TABLE, measured=False):
        argv = [self.raw_binary, self.netns, op, str(count), str(table), GATEWAY]
        if not measured:
            return self.child(argv)[0]
        out, _wall, rss, cpu = self.measured(argv)
        seconds, routes, errors = out.split()
        return float(seconds), cpu, rss, '%s routes, %s errors' % (routes, errors)

    def worker(self, kind, op, count, table=TABLE):
        out, _wall, rss, _cpu = self.measured([sys.executable, bench_workers.__file__, kind, op, self.netns,
                                               str(count), str(table), self.farm])
        result = json.loads(out.strip().splitlines()[-1])
        return result.pop('seconds'), result.pop('cpu'), rss, result

    def playbook(self, tasks, label):
        play = [{'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
                 'vars': {'ansible_python_interpreter': sys.executable}, 'tasks': tasks}]
        path = os.path.join(self.workdir, 'play-%s.json' % label)
        with open(path, 'w') as handle:
            json.dump(play, handle)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=self.farm, ANSIBLE_LOCAL_TEMP=self.workdir,
                   ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_RETRY_FILES_ENABLED='0',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='0')
        command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', path]
        out, wall, rss, cpu = self.measured(command, env=env)
        recap = ([line for line in out.splitlines() if line.startswith('localhost')] or [''])[-1]
        return wall, cpu, rss, recap

    def task(self, module_args, label, module='nlink.netlink.nl_route'):
        return self.task_time([{'name': label, module: module_args}], label,
                              lambda recap: 'changed' if 'changed=1' in recap else 'unchanged')

    def task_time(self, tasks, label, note):
        """The task's wall and CPU: the playbook's minus those of an empty playbook run just before it (on a
        shared machine one baseline for the whole run is not enough)."""
        empty_wall, empty_cpu, _rss, _recap = self.playbook([], 'empty')
        wall, cpu, rss, recap = self.playbook(tasks, label)
        self.empty_playbook.append((empty_wall, empty_cpu))
        return wall - empty_wall, cpu - empty_cpu, rss, note(recap)

    # -- state --------------------------------------------------------------------------------------
    def setup(self):
        self.raw_binary = os.path.join(self.workdir, 'raw_routes')
        subprocess.run(['gcc', '-O2', '-o', self.raw_binary, os.path.join(ROOT, 'tests', 'perf', 'raw_routes.c')],
                       check=True)
        subprocess.run(['ip', 'netns', 'add', self.netns], check=True)
        self.ip('-batch', '-', stdin='link add v0 type veth peer name v1\nlink set v0 up\nlink set v1 up\n'
                                     'address add 192.0.2.1/24 dev v0\n')

    def teardown(self):
        subprocess.run(['ip', 'netns', 'del', self.netns], check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def flush(self, table):
        # a table that does not exist yet is empty (ip says 'FIB table does not exist')
        subprocess.run(['ip', '-n', self.netns, 'route', 'flush', 'table', str(table)], check=False,
                       capture_output=True)

    def table_empty(self, _count):
        self.flush(TABLE)

    def table_full(self, count):
        self.table_empty(count)
        self.raw('add', count)

    def scoped_state(self, count):
        self.table_full(count)
        self.flush(SCOPED_TABLE)
        self.ip('-batch', '-', stdin=''.join('route add %s via %s table %d proto static\n' % (dst, GATEWAY, SCOPED_TABLE)
                                             for dst in destinations(SCOPED_COUNT, base=172)))

    # -- one figure -----------------------------------------------------------------------------------
    def measure(self, size, operation, way, prepare, run, runs=None):
        samples = []
        for _run in range(runs or self.args.runs):
            prepare(size)
            before = os.getloadavg()[0]
            try:
                seconds, cpu, rss, note = run(size)
            except RuntimeError as exc:
                print('  %-8s %-7s %-12s FAILED: %s' % (size, operation, way, str(exc)[-600:]), flush=True)
                return
            if isinstance(note, dict) and note.get('items run', size) < size:
                note['measured seconds'] = seconds
                scale = size / float(note['items run'])  # the loop costs the same per item
                seconds, cpu = seconds * scale, cpu * scale
            samples.append((seconds, cpu, rss, (before + os.getloadavg()[0]) / 2, note))
        row = {'size': size, 'operation': operation, 'way': way, 'seconds': statistics.median(s[0] for s in samples),
               'cpu': statistics.median(s[1] for s in samples), 'runs': [round(s[0], 4) for s in samples],
               'rss_mb': max(s[2] for s in samples), 'load': statistics.mean(s[3] for s in samples),
               'note': samples[-1][4]}
        self.rows.append(row)
        self.save()
        print('  %-8s %-7s %-12s %9.4f s %9.4f s cpu %6.0f MB  load %.1f  %s' % (
            size, operation, way, row['seconds'], row['cpu'], row['rss_mb'], row['load'], row['note']), flush=True)

    def save(self, machine=None):
        """The figures so far as JSON (--json): a run cut short can still be reported (--report-only)."""
        if self.args.json:
            with open(self.args.json, 'w') as handle:
                json.dump({'rows': self.rows, 'extra': self.extra, 'machine': machine}, handle, indent=1)

    # -- the whole run --------------------------------------------------------------------------------
    def run(self):
        args = self.args
        self.setup()
        try:
            self.extra['imports'] = self.imports()
            if args.floors:  # what Ansible alone costs a task at the largest size (tests/perf/floors.py)
                import floors
                print('floors at %d' % max(args.sizes), flush=True)
                self.extra['floors'] = floors.measure(max(args.sizes), args.runs)
            for size in args.sizes:
                self.size(size)
            if args.others:
                for kind in ('neigh', 'address'):
                    self.measure(10000, 'apply', 'engine ' + kind, lambda s, k=kind: self.worker(k, 'purge', s),
                                 lambda s, k=kind: self.worker(k, 'apply', s))
                    self.measure(10000, 're-run', 'engine ' + kind, lambda _size: None,
                                 lambda s, k=kind: self.worker(k, 're-run', s))
                    self.worker(kind, 'purge', 10000)
        finally:
            if self.empty_playbook:
                self.extra['empty_playbook'] = [statistics.median(e[i] for e in self.empty_playbook) for i in (0, 1)]
            self.teardown()

    def size(self, size):
        args = self.args
        dsts = destinations(size)
        src = os.path.join(self.workdir, 'routes-%d.json' % size)
        with open(src, 'w') as handle:
            json.dump([{'dst': dst, 'gateway': GATEWAY} for dst in dsts], handle)
        route_args = {'netns': self.netns, 'table': str(TABLE), 'src': src}
        adds = ''.join('route add %s via %s table %d proto static\n' % (dst, GATEWAY, TABLE) for dst in dsts)
        replaces = adds.replace('route add ', 'route replace ')
        pyroute2 = size <= args.pyroute2_max
        empty, full, scoped = self.table_empty, self.table_full, self.scoped_state
        print('%d routes' % size, flush=True)
        ways = {
            'apply': [('raw C', empty, lambda s: self.raw('add', s, measured=True)),
                      ('engine', empty, lambda s: self.worker('route', 'apply', s)),
                      ('playbook', empty, lambda s: self.task(route_args, 'apply')),
                      ('pyroute2', empty, lambda s: self.worker('pyroute2', 'apply', s)) if pyroute2 else None,
                      ('ip', empty, lambda s: self.ip_timed(['-batch', '-'], adds))],
            're-run': [('raw C', full, lambda s: self.raw('dump', s, measured=True)),
                       ('engine', full, lambda s: self.worker('route', 're-run', s)),
                       ('playbook', full, lambda s: self.task(route_args, 're-run')),
                       ('pyroute2', full, lambda s: self.worker('pyroute2', 're-run', s)) if pyroute2 else None,
                       ('ip', full, lambda s: self.ip_timed(['-batch', '-'], replaces))],
            'purge': [('raw C', full, lambda s: self.raw('del', s, measured=True)),
                      ('engine', full, lambda s: self.worker('route', 'purge', s)),
                      ('playbook', full, lambda s: self.task({'netns': self.netns, 'table': str(TABLE),
                                                              'state': 'deleted'}, 'purge')),
                      ('pyroute2', full, lambda s: self.worker('pyroute2', 'purge', s)) if pyroute2 else None,
                      ('ip', full, lambda s: self.ip_timed(['route', 'flush', 'table', str(TABLE)]))],
            'facts': [('raw C', full, lambda s: self.raw('dump', s, measured=True)),
                      ('engine', full, lambda s: self.worker('route', 'facts', s)),
                      ('playbook', full, lambda s: self.task({'netns': self.netns, 'gather_subset': ['routes'],
                                                              'compact': True}, 'facts', module='nlink.netlink.nl_facts')),
                      ('pyroute2', full, lambda s: self.worker('pyroute2', 'facts', s)) if pyroute2 else None,
                      ('ip', full, lambda s: self.ip_timed(['-j', 'route', 'show', 'table', str(TABLE)]))],
            'scoped': [('raw C', scoped, lambda s: self.raw('dump', SCOPED_COUNT, SCOPED_TABLE, measured=True)),
                       ('engine', scoped, lambda s: self.worker('route', 'scoped', s, SCOPED_TABLE)),
                       ('playbook', scoped, lambda s: self.task({'netns': self.netns, 'table': str(SCOPED_TABLE),
                                                                'state': 'gathered'}, 'scoped')),
                       ('pyroute2', scoped, lambda s: self.worker('pyroute2', 'scoped', s, SCOPED_TABLE))
                       if pyroute2 else None,
                       ('ip', scoped, lambda s: self.ip_timed(['-j', 'route', 'show', 'table', str(SCOPED_TABLE)]))],
        }
        if size == min(args.sizes):  # once, and once only: a minute or more per hundred items under load
            ways['apply'].append(('command loop', empty, lambda s: self.command_loop(dsts[:args.loop_count]), 1))
        for operation in OPERATIONS:
            for way in ways[operation]:
                if way is not None:
                    self.measure(size, operation, *way)

    def ip_timed(self, words, stdin=None):
        _out, wall, rss, cpu = self.measured(['ip', '-n', self.netns] + words, stdin=stdin)
        return wall, cpu, rss, ''

    def command_loop(self, dsts):
        """A playbook looping `ip route add` over dsts; scaled to the size when fewer than it (said in the note)."""
        items = os.path.join(self.workdir, 'loop.json')
        with open(items, 'w') as handle:
            json.dump(dsts, handle)
        task = {'name': 'loop', 'ansible.builtin.command': 'ip -n %s route add {{ item }} via %s table %d proto static'
                % (self.netns, GATEWAY, TABLE), 'loop': "{{ lookup('file', '%s') | from_json }}" % items}
        return self.task_time([task], 'loop', lambda _recap: {'items run': len(dsts)})

    def imports(self):
        """Median seconds to import what nl_route imports, and pyroute2, each in a fresh interpreter."""
        found = {}
        for kind in ('collection', 'pyroute2', 'ansible'):
            samples = [float(self.child([sys.executable, bench_workers.__file__, 'import', kind, '-', '0', '0',
                                         self.farm])[0].split()[-1]) for _run in range(max(3, self.args.runs))]
            found[kind] = statistics.median(samples)
            found[kind + ' runs'] = samples
            print('import %s: %.3f s' % (kind, found[kind]), flush=True)
        return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--sizes', default='1000,10000,100000', help='comma-separated route counts')
    parser.add_argument('--runs', type=int, default=3, help='runs per figure (the median is reported)')
    parser.add_argument('--quick', action='store_true', help='sizes 1000,10000, one run, pyroute2 to 10k')
    parser.add_argument('--pyroute2-max', type=int, default=100000, help='largest size pyroute2 is run at')
    parser.add_argument('--loop-count', type=int, default=1000,
                        help='items the command loop runs (at the smallest size; fewer are scaled up to it)')
    parser.add_argument('--others', action='store_true', help='also the engine for 10k neighbours and addresses')
    parser.add_argument('--floors', action='store_true',
                        help='also what Ansible alone costs a task at the largest size (tests/perf/floors.py)')
    parser.add_argument('--output', default=os.path.join(ROOT, 'docs', 'performance.md'))
    parser.add_argument('--json', help='also write the figures as JSON here, as they are taken')
    parser.add_argument('--report-only', metavar='JSON', help='write the report from figures a --json run saved')
    args = parser.parse_args()
    if args.report_only:
        with open(args.report_only) as handle:
            saved = json.load(handle)
        bench_report.write(args.output, saved['extra']['command'], saved['rows'], saved['extra'], saved['machine'])
        return
    if args.quick:
        args.sizes, args.runs, args.pyroute2_max = '1000,10000', 1, min(args.pyroute2_max, 10000)
    args.sizes = [int(s) for s in args.sizes.split(',')]
    if os.geteuid() != 0:
        raise SystemExit('needs root (network namespaces)')
    command = ' '.join(['sudo', sys.executable, 'tests/perf/bench.py'] + sys.argv[1:])
    bench = Bench(args)
    started = time.time()
    loads = [os.getloadavg()]
    bench.extra['command'] = command
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit('terminated'))  # so the namespace is removed
    machine = {'kernel': platform.release(), 'cpus': os.cpu_count(), 'python': platform.python_version(),
               'started': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started)), 'loads': loads,
               'cpu': bench_report.cpu_model(), 'versions': bench_workers.versions()}
    try:
        bench.run()
    finally:
        loads.append(os.getloadavg())
        machine['minutes'] = (time.time() - started) / 60
        bench.save(dict(machine, command=command))
    bench_report.write(args.output, command, bench.rows, bench.extra, machine)
    print('wrote %s' % args.output)


if __name__ == '__main__':
    main()

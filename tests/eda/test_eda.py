# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source nlink.netlink.netlink: in this process against a fresh namespace, then for real under
ansible-rulebook (a veth going down runs a playbook)."""

import asyncio
import datetime
import json
import os
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from edalib import COLLECTION_FARM, NOT_TESTED, ROOT, TIMINGS, ip

PLUGIN = os.path.join(COLLECTION_FARM, 'ansible_collections', 'nlink', 'netlink',
                      'extensions', 'eda', 'plugins', 'event_source', 'netlink.py')
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope='module')
def source():
    """The plugin's globals, loaded the way ansible-rulebook loads it (runpy from the collection path)."""
    return runpy.run_path(PLUGIN)


class Stream:
    """Runs the source's main() on an asyncio queue; next() waits for a matching event."""

    def __init__(self, source, args, maxsize=0):
        self.queue = asyncio.Queue(maxsize)
        self.task = asyncio.ensure_future(source['main'](self.queue, args))

    async def next(self, match=lambda e: True, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError('no matching event within %.1f s' % timeout)
            get = asyncio.ensure_future(self.queue.get())
            done = (await asyncio.wait([get, self.task], timeout=remaining, return_when=asyncio.FIRST_COMPLETED))[0]
            if get not in done:
                get.cancel()
                if self.task in done:
                    self.task.result()  # the source died: show why
                continue
            if match(get.result()):
                return get.result()

    async def drain(self, quiet=0.3):
        """Every event until none arrives for ``quiet`` seconds."""
        events = []
        while True:
            try:
                events.append(await asyncio.wait_for(self.queue.get(), quiet))
            except asyncio.TimeoutError:
                return events

    async def stop(self):
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


async def shell(*command):
    """A command run without blocking the loop the source lives on."""
    process = await asyncio.create_subprocess_exec(*command)
    assert await process.wait() == 0, command


def facts(netns):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import facts as nl_facts
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection
    with Connection(netns=netns) as conn:
        return nl_facts.gather(conn, netns, ['addresses', 'links'])


def without_event_keys(event, *extra):
    return dict((k, v) for k, v in event.items() if k not in ('event', 'object', 'netns') + extra)


# -- the source in this process --------------------------------------------------------------------------
def test_snapshot_is_the_facts_shape(source, netns):
    ip('-n', netns, 'address', 'add', '192.0.2.1/24', 'dev', 'v0')

    async def scenario():
        stream = Stream(source, {'netns': netns, 'groups': 'link,addr', 'snapshot': 'true'})
        events = [await stream.next()] + await stream.drain()
        await stream.stop()
        return events

    events = run(scenario())
    gathered = facts(netns)
    assert all(e['event'] == 'new' and e['netns'] == netns for e in events)
    links = [without_event_keys(e, 'ifindex', 'oper_state') for e in events if e['object'] == 'link']
    addresses = [without_event_keys(e) for e in events if e['object'] == 'address']
    key = json.dumps
    assert sorted(links, key=key) == sorted(gathered['links'], key=key)
    assert sorted(addresses, key=key) == sorted(gathered['addresses'], key=key)
    assert any(a['address'] == '192.0.2.1/24' and a['dev'] == 'v0' for a in addresses)


def test_link_and_address_changes_arrive_as_new_and_del(source, netns):
    def ours(event):
        return event['object'] == 'address' and event['address'] == '2001:db8::1/64'

    async def scenario():
        stream = Stream(source, {'netns': netns, 'groups': ['link', 'addr']})
        await asyncio.sleep(0.3)  # the task subscribes before its first await
        await shell('ip', '-n', netns, 'link', 'set', 'v0', 'down')
        down = await stream.next(lambda e: e['object'] == 'link' and e['name'] == 'v0')
        await shell('ip', '-n', netns, 'address', 'add', '2001:db8::1/64', 'dev', 'v0p', 'nodad')
        added = await stream.next(ours)
        await shell('ip', '-n', netns, 'address', 'del', '2001:db8::1/64', 'dev', 'v0p')
        removed = await stream.next(ours)
        await stream.stop()
        return down, added, removed

    down, added, removed = run(scenario())
    assert down['event'] == 'new' and down['admin_state'] == 'down' and down['veth'] == {'peer': 'v0p'}
    assert added['event'] == 'new' and added['dev'] == 'v0p' and added['address'] == '2001:db8::1/64'
    assert added['flags'] == ['nodad']
    assert removed['event'] == 'del' and removed['address'] == '2001:db8::1/64'


def test_filter_keeps_only_matching_objects(source, netns):
    async def scenario():
        stream = Stream(source, {'netns': netns, 'groups': ['link', 'addr', 'route'], 'snapshot': True,
                                 'filter': {'dev': 'v0p', 'family': 'inet', 'table': 'main'}})
        await stream.drain()
        await shell('ip', '-n', netns, 'address', 'add', '192.0.2.1/24', 'dev', 'v0')
        await shell('ip', '-n', netns, 'address', 'add', '198.51.100.1/24', 'dev', 'v0p')
        await shell('ip', '-n', netns, 'route', 'add', '203.0.113.0/24', 'dev', 'v0p', 'table', '7')
        events = await stream.drain(0.5)
        await stream.stop()
        return events

    events = run(scenario())
    seen = set((e['object'], e.get('name') or e.get('dev'), e.get('address') or e.get('dst')) for e in events)
    assert seen == {('address', 'v0p', '198.51.100.1/24'), ('route', 'v0p', '198.51.100.0/24')}


def populate(netns):
    for command in (('address', 'add', '192.0.2.1/24', 'dev', 'v0'),
                    ('route', 'add', '203.0.113.0/24', 'via', '192.0.2.2', 'table', '7', 'metric', '5'),
                    ('route', 'add', '198.51.100.0/24', 'nexthop', 'via', '192.0.2.2', 'nexthop', 'dev', 'v0p'),
                    ('neigh', 'add', '192.0.2.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0', 'nud', 'permanent'),
                    ('rule', 'add', 'pref', '100', 'from', '198.51.100.0/24', 'table', '7'),
                    ('nexthop', 'add', 'id', '5', 'via', '192.0.2.2', 'dev', 'v0'),
                    ('nexthop', 'add', 'id', '6', 'group', '5')):
        ip('-n', netns, *command)


def test_routes_neighbours_rules_nexthops_come_in_their_resources_shape(source, netns):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection
    found = dict((name, getattr(source[name], name.capitalize())) for name in ('route', 'neigh', 'rule', 'nexthop'))
    # no IPv6: its multicast neighbours come and go while the two reads happen
    ip('netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1')
    populate(netns)
    ip('-n', netns, 'neigh', 'add', 'proxy', '192.0.2.7', 'dev', 'v0')

    async def scenario():
        stream = Stream(source, {'netns': netns, 'groups': sorted(found), 'snapshot': True})
        events = [await stream.next()] + await stream.drain()
        await stream.stop()
        return events

    events = run(scenario())
    key = json.dumps
    with Connection(netns=netns) as conn:
        for group, resource in sorted(found.items()):
            gatherer = resource(conn, {}, netns)
            gatherer.wants = []
            shown = [without_event_keys(e) for e in events if e['object'] == group]
            assert sorted(shown, key=key) == sorted(gatherer.gather(), key=key), group


def test_route_neighbour_rule_changes_arrive(source, netns):
    ip('-n', netns, 'address', 'add', '192.0.2.1/24', 'dev', 'v0')

    async def scenario():
        stream = Stream(source, {'netns': netns, 'groups': 'route,neigh,rule', 'filter': {'family': 4}})
        await asyncio.sleep(0.3)
        await shell('ip', '-n', netns, 'route', 'add', '203.0.113.0/24', 'dev', 'v0', 'table', '7', 'metric', '5')
        route = await stream.next(lambda e: e['object'] == 'route' and e['dst'] == '203.0.113.0/24')
        await shell('ip', '-n', netns, 'neigh', 'add', '192.0.2.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0',
                    'nud', 'permanent')
        neigh = await stream.next(lambda e: e['object'] == 'neigh')
        await shell('ip', '-n', netns, 'rule', 'add', 'pref', '100', 'from', '198.51.100.0/24', 'table', '7')
        rule = await stream.next(lambda e: e['object'] == 'rule')
        await shell('ip', '-n', netns, 'rule', 'del', 'pref', '100')
        gone = await stream.next(lambda e: e['object'] == 'rule')
        await stream.stop()
        return route, neigh, rule, gone

    route, neigh, rule, gone = run(scenario())
    assert {'event': 'new', 'family': 'inet', 'dev': 'v0', 'metric': 5}.items() <= route.items()
    assert str(route['table']) == '7'
    assert {'event': 'new', 'family': 'inet', 'dev': 'v0', 'dst': '192.0.2.9',
            'lladdr': '02:00:00:00:00:09'}.items() <= neigh.items()
    assert {'event': 'new', 'family': 'inet', 'priority': 100}.items() <= rule.items()
    assert str(rule['table']) == '7'
    assert gone['event'] == 'del' and gone['priority'] == 100


def test_lost_notifications_resync_with_a_snapshot(source, netns):
    """ENOBUFS: a resync event, then every subscribed object as new (the 100 addresses among them)."""
    batch = ''.join('address add 10.0.%d.%d/32 dev v0\n' % (i // 250, i % 250 + 1) for i in range(100))
    options = source['parse_args']({'netns': netns, 'groups': ['addr']})
    source['rtnl_link'].register()
    watcher = source['Watcher'](options)
    # the smallest receive buffer the kernel allows, and a burst no one reads: notifications are dropped
    watcher.subscription.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
    subprocess.run(['ip', '-n', netns, '-batch', '-'], input=batch, text=True, check=True)

    async def scenario():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(watcher.run(queue, False))
        events = [await asyncio.wait_for(queue.get(), 5)]
        while sum(1 for e in events if e.get('object') == 'address') < 100:
            events.append(await asyncio.wait_for(queue.get(), 5))
        task.cancel()
        return events

    try:
        events = run(scenario())
    finally:
        watcher.close()
    assert events[0] == {'event': 'resync', 'reason': 'ENOBUFS', 'netns': netns}
    assert all(e['event'] == 'new' for e in events[1:])
    assert set('10.0.0.%d/32' % i for i in range(1, 101)) <= set(e['address'] for e in events[1:])


def test_no_busy_waiting(source, netns):
    """Idle, and blocked on a full queue with notifications pending: the source sleeps."""
    async def scenario():
        idle = Stream(source, {'netns': netns})
        await asyncio.sleep(0.3)
        start = time.process_time()
        await asyncio.sleep(1)
        idle_cpu = time.process_time() - start
        await idle.stop()
        full = Stream(source, {'netns': netns, 'snapshot': True}, maxsize=1)
        await asyncio.sleep(0.3)
        await shell('ip', '-n', netns, 'link', 'set', 'v0', 'down')
        start = time.process_time()
        await asyncio.sleep(1)
        blocked_cpu = time.process_time() - start
        await full.stop()
        return idle_cpu, blocked_cpu

    idle_cpu, blocked_cpu = run(scenario())
    TIMINGS.append('CPU over 1 s: idle %.3f s, blocked on a full queue %.3f s' % (idle_cpu, blocked_cpu))
    assert idle_cpu < 0.05 and blocked_cpu < 0.05


@pytest.mark.parametrize('args, message', [
    ({'groups': ['link', 'routes']}, "groups: 'routes' is not a group"),
    ({'filter': {'device': 'v0'}}, 'filter: unknown key(s) device'),
    ({'filter': {'table': 'mian'}}, "filter.table: 'mian' is not allowed"),
    ({'filter': {'family': 'ip'}}, "filter.family: 'ip' is not allowed"),
    ({'snapshot': 'perhaps'}, "snapshot: 'perhaps' is not a boolean"),
    ({'netns': '../x'}, 'invalid network namespace name'),
    ({'netsn': 'lab'}, 'unknown argument(s) netsn'),
])
def test_bad_arguments_are_named(source, args, message):
    with pytest.raises(Exception) as error:
        source['parse_args'](args)
    assert message in str(error.value)


LINK_V0 = {'object': 'link', 'name': 'v0', 'kind': 'veth'}
ADDRESS_V6 = {'object': 'address', 'dev': 'v0', 'address': '2001:db8::1/64'}
ROUTE_MAIN = {'object': 'route', 'family': 'inet', 'dev': '', 'table': 'main',
              'nexthops': [{'dev': 'v0p'}, {'dev': 'v1'}]}
BLACKHOLE = {'object': 'route', 'family': 'inet', 'dev': '', 'table': '7', 'nexthops': []}
RULE_GOTO = {'object': 'rule', 'family': 'inet6', 'table': None}
GROUP = {'object': 'nexthop', 'family': None, 'dev': None}


@pytest.mark.parametrize('wanted, event, passes', [
    ({'dev': 'v0'}, LINK_V0, True),
    ({'dev': ['v9', 'v0']}, ADDRESS_V6, True),
    ({'dev': 'v1'}, ROUTE_MAIN, True),              # a nexthop's device counts
    ({'dev': 'v0'}, BLACKHOLE, False),             # no device at all
    ({'dev': 'v0'}, RULE_GOTO, True),              # dev is not about rules
    ({'kind': 'bridge'}, LINK_V0, False),
    ({'kind': 'bridge'}, ADDRESS_V6, True),
    ({'table': 254}, ROUTE_MAIN, True),
    ({'table': 'main'}, BLACKHOLE, False),
    ({'table': '7'}, BLACKHOLE, True),
    ({'table': 'main'}, RULE_GOTO, False),
    ({'table': 'main'}, LINK_V0, True),
    ({'family': 6}, ADDRESS_V6, True),
    ({'family': 'ipv4'}, ADDRESS_V6, False),
    ({'family': 'inet'}, GROUP, False),
    ({'family': 'inet'}, LINK_V0, True),
    ({'dev': 'v0', 'family': 'inet'}, ADDRESS_V6, False),
])
def test_filter_keys_apply_to_the_objects_they_name(source, wanted, event, passes):
    options = source['parse_args']({'filter': wanted})
    assert source['matches'](options['filter'], event) is passes


def test_a_resource_that_changed_its_reader_is_named(source, monkeypatch):
    monkeypatch.delattr(source['rule'], 'rule_message')
    with pytest.raises(ValueError, match="groups: rule cannot be read: the collection's rule resource changed"):
        run(source['main'](asyncio.Queue(), {'groups': 'link,rule'}))


def test_a_missing_namespace_is_an_error_not_created(source):
    name = 'nleda-missing-%d' % os.getpid()

    with pytest.raises(Exception, match='network namespace %r does not exist' % name):
        run(source['main'](asyncio.Queue(), {'netns': name}))
    assert not os.path.exists('/run/netns/' + name)


def test_outside_a_collection_path_the_import_error_says_what_to_do():
    plugin = os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source', 'netlink.py')
    env = dict((k, v) for k, v in os.environ.items() if k != 'PYTHONPATH')
    result = subprocess.run([sys.executable, '-c', 'import runpy, sys; runpy.run_path(sys.argv[1])', plugin],
                            capture_output=True, text=True, env=env, cwd='/', check=False)
    if os.path.realpath(ROOT).endswith('/ansible_collections/nlink/netlink'):
        pytest.skip('the checkout itself lies under ansible_collections/nlink/netlink')
    assert result.returncode != 0
    assert 'is not under ansible_collections/nlink/netlink' in result.stderr


# -- under ansible-rulebook ------------------------------------------------------------------------------
def rulebook_command():
    """ansible-rulebook and a working Java, or the reason the test cannot run."""
    command = os.environ.get('NLINK_EDA_RULEBOOK') or shutil.which('ansible-rulebook') or \
        os.path.join(os.path.dirname(sys.executable), 'ansible-rulebook')
    if not os.access(command, os.X_OK):
        return None, 'ansible-rulebook not found (pip install ansible-rulebook==1.3.2, or set NLINK_EDA_RULEBOOK)'
    java = shutil.which('java', path=os.path.join(os.environ['JAVA_HOME'], 'bin')) \
        if os.environ.get('JAVA_HOME') else shutil.which('java')
    if not java or subprocess.run([java, '-version'], capture_output=True, check=False).returncode:
        return None, 'no working java (ansible-rulebook needs Java 17: apt-get install openjdk-17-jre-headless)'
    return command, None


class Output:
    """The lines a process writes, each with the monotonic time it arrived."""

    def __init__(self, stream):
        self.lines, self.lock = [], threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            with self.lock:
                self.lines.append((time.monotonic(), line))
                self.lock.notify_all()

    def wait_for(self, text, timeout, process):
        """When a line with ``text`` arrived; None on timeout or when the process ended without it."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for stamp, line in self.lines:
                    if text in line:
                        return stamp
                if time.monotonic() >= deadline or process.poll() is not None:
                    return None
                self.lock.wait(0.2)

    def text(self):
        with self.lock:
            return ''.join(line for stamp, line in self.lines)


def test_rulebook_runs_a_playbook_when_a_veth_goes_down(netns):
    command, missing = rulebook_command()
    if missing:
        NOT_TESTED.append('ansible-rulebook end to end: ' + missing)
        pytest.skip(missing)
    workdir = tempfile.mkdtemp(prefix='nleda-')
    marker = os.path.join(workdir, 'marker.json')
    # No PYTHONPATH: the source must make the collection importable itself, from where ansible-rulebook
    # found it (ANSIBLE_COLLECTIONS_PATH, via `ansible-galaxy collection list`).
    env = dict((k, v) for k, v in os.environ.items() if k != 'PYTHONPATH')
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTION_FARM, PYTHONUNBUFFERED='1', ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCAL_TEMP=workdir, PATH=os.path.dirname(command) + os.pathsep + env.get('PATH', ''),
               NLINK_EDA_NETNS=netns, NLINK_EDA_MARKER=marker, NLINK_EDA_PLAYBOOK=os.path.join(HERE, 'playbook.yml'))
    started = time.monotonic()
    process = subprocess.Popen(
        [command, '-i', os.path.join(HERE, 'inventory.yml'), '--rulebook', os.path.join(HERE, 'rulebook.yml'),
         '-E', 'NLINK_EDA_NETNS,NLINK_EDA_MARKER,NLINK_EDA_PLAYBOOK'],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output = Output(process.stdout)
    try:
        ready = output.wait_for('nlink-eda-ready %s' % netns, 120, process)
        assert ready, 'ansible-rulebook never became ready:\n' + output.text()
        acted, wall = time.monotonic(), datetime.datetime.now(datetime.timezone.utc)
        ip('-n', netns, 'link', 'set', 'v0', 'down')
        fired = output.wait_for('nlink-eda-down v0', 30, process)
        assert fired, 'the rule did not fire:\n' + output.text()
        deadline = time.monotonic() + 60
        while not os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert os.path.exists(marker), 'the playbook did not run:\n' + output.text()
        written = time.monotonic()
        with open(marker) as handle:
            event = json.load(handle)
        assert {'object': 'link', 'event': 'new', 'name': 'v0', 'admin_state': 'down', 'kind': 'veth',
                'netns': netns}.items() <= event.items()
        received = datetime.datetime.fromisoformat(event['meta']['received_at'].replace('Z', '+00:00'))
        TIMINGS.append('ansible-rulebook start to ready (source subscribed, snapshot matched): %.2f s'
                       % (ready - started))
        TIMINGS.append('ip link set down -> event in ansible-rulebook (meta.received_at): %.3f s'
                       % (received - wall).total_seconds())
        TIMINGS.append('ip link set down -> rule fired (debug line read): %.3f s' % (fired - acted))
        TIMINGS.append('ip link set down -> playbook wrote the marker: %.2f s' % (written - acted))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(workdir, ignore_errors=True)

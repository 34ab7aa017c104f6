# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The conformance machinery: namespaces, running a module, reading the kernel back, comparing, secrets.

Everything that changes kernel state happens inside a fresh network namespace (``nlt-<random>``) that
the test deletes afterwards; the host's network is never touched.
"""

import errno
import importlib
import itertools
import json
import os
import re
import shlex
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = os.path.join(ROOT, 'plugins', 'modules')
COLLECTION = 'ansible_collections.nlink.netlink'
IN_VM = bool(os.environ.get('NLINK_IN_VM'))

# Always dumped around a check-mode run, besides the case's own readback commands.
STATE_COMMANDS = ('ip -j -d link show', 'ip -j address show', 'ip -j route show table all',
                  'ip -j -6 route show table all', 'ip -j rule show', 'ip -j -6 rule show')
# Keys whose values change by themselves (counters, timers): dropped before comparing.
VOLATILE_KEYS = re.compile(r'^(stats|stats64|xstats|.*_timer|.*_timers|used|age|lastused|updated|expires|'
                           r'carrier_changes|carrier_up_count|carrier_down_count|installed|last_used|first_used)$')
# Finite lifetimes count down: compared as "finite".
LIFETIME_KEYS = ('valid_life_time', 'preferred_life_time')
FOREVER = 4294967295
MAC = re.compile(r'(?<![0-9a-f:])[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}(?![0-9a-f:])')
UNMASKED_MACS = ('00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff')
SETTLE_SECONDS = 3.0


# -- namespaces ------------------------------------------------------------------------------------

class Namespace:
    """A fresh network namespace; ``delete()`` removes it (and everything in it)."""

    def __init__(self, prefix='nlt'):
        self.name = '%s-%s' % (prefix, uuid.uuid4().hex[:10])
        subprocess.run(['ip', 'netns', 'add', self.name], check=True, capture_output=True)

    def delete(self):
        subprocess.run(['ip', 'netns', 'del', self.name], check=False, capture_output=True)

    def __repr__(self):
        return 'Namespace(%s)' % self.name

    def argv(self, command):
        """A tool command line as run inside this namespace (ip/tc/bridge take -n; others via ip netns exec)."""
        words = shlex.split(command) if isinstance(command, str) else list(command)
        if words[0] in ('ip', 'tc', 'bridge'):
            return [words[0], '-n', self.name] + words[1:]
        return ['ip', 'netns', 'exec', self.name] + words

    def run(self, command, check=True):
        result = subprocess.run(self.argv(command), capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise AssertionError('`%s` in %s failed (%d): %s'
                                 % (command, self.name, result.returncode, result.stderr.strip()))
        return result

    def setup(self, commands):
        """Run setup commands: consecutive `ip ...` ones in `ip -batch` runs, others one by one, in order."""
        pending = []
        for command in list(commands) + [None]:
            if command is not None and command.startswith('ip '):
                pending.append(command)
                continue
            self.batch(pending, 'ip ', 'setup')
            pending = []
            if command is not None:
                self.run(command)

    def batch(self, commands, prefix, what, tool='ip'):
        """Run ``tool`` (ip, bridge, tc) commands that start with ``prefix`` with `TOOL -n NAME -batch`, in order."""
        for options, lines in batches(commands, prefix):
            result = subprocess.run([tool, '-n', self.name] + list(options) + ['-batch', '-'],
                                    input='\n'.join(lines) + '\n', capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise AssertionError('%s in %s failed: %s\n%s'
                                     % (what, self.name, result.stderr.strip(), '\n'.join(lines)))

    def json(self, command, missing_ok=False):
        """The command's JSON output; with missing_ok, a failing command (no such device yet) reads as
        {'error': its message} instead of failing the test."""
        result = self.run(command, check=not missing_ok)
        if result.returncode != 0:
            return {'error': result.stderr.strip()}
        return json.loads(result.stdout) if result.stdout.strip() else []

    def readback(self, commands, missing_ok=False):
        return dict((command, self.json(command, missing_ok)) for command in commands)


def batches(commands, prefix):
    """``commands`` as `ip -batch` runs: [(options, lines)]. A batch line takes no options (`ip -6 rule ...`
    has no other way to say the family), so consecutive commands with the same options after ``prefix``
    share one run."""
    runs = []
    for command in commands:
        words = command[len(prefix):].split(' ')
        options = tuple(itertools.takewhile(lambda word: word.startswith('-'), words))
        line = ' '.join(words[len(options):])
        if runs and runs[-1][0] == options:
            runs[-1][1].append(line)
        else:
            runs.append((options, [line]))
    return runs


# -- running a module ------------------------------------------------------------------------------

def module_file(name):
    return os.path.join(MODULES, name + '.py')


def module_exists(name):
    return os.path.isfile(module_file(name))


class ModuleRun:
    """One execution of a module: the parsed result, and everything it printed."""

    def __init__(self, args, returncode, stdout, stderr):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        try:
            self.result = json.loads(stdout)
        except ValueError:
            self.result = {'failed': True, 'msg': 'module printed no JSON', '_unparsed': stdout}

    def __getitem__(self, key):
        return self.result[key]

    def get(self, key, default=None):
        return self.result.get(key, default)

    @property
    def failed(self):
        return bool(self.result.get('failed'))

    def describe(self):
        return json.dumps(self.result, indent=1, sort_keys=True)[:6000] + ('\nstderr: ' + self.stderr[-3000:]
                                                                           if self.stderr.strip() else '')


def run_module(name, args, netns=None, check=False, diff=False, tmpdir=None):
    """Run plugins/modules/NAME.py directly (no controller), as Ansible would, and parse its JSON."""
    module_args = dict(args)
    if netns is not None and 'netns' not in module_args:
        module_args['netns'] = netns
    module_args['_ansible_check_mode'] = check
    module_args['_ansible_diff'] = diff
    payload = json.dumps({'ANSIBLE_MODULE_ARGS': module_args})
    path = os.path.join(tmpdir or '/tmp', 'nlt-args-%s.json' % uuid.uuid4().hex[:10])
    with open(path, 'w') as handle:
        handle.write(payload)
    try:
        proc = subprocess.run([sys.executable, module_file(name), path], capture_output=True, text=True,
                              cwd=tmpdir or '/tmp', check=False)
    finally:
        os.unlink(path)
    return ModuleRun(module_args, proc.returncode, proc.stdout, proc.stderr)


# -- the module's declarations ---------------------------------------------------------------------

def import_module(name):
    return importlib.import_module('%s.plugins.modules.%s' % (COLLECTION, name))


def resource_classes(name):
    """The engine Resource subclasses a module file imports (what it runs)."""
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Resource
    module = import_module(name)
    return [value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Resource) and value is not Resource]


def argument_specs(name):
    """Every argument spec the module uses: the common one around each resource, and any *_spec dicts."""
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import argument_spec
    module = import_module(name)
    specs = [argument_spec(cls) for cls in resource_classes(name)]
    specs += [value for key, value in vars(module).items()
              if isinstance(value, dict) and (key == 'argument_spec' or key.endswith('_spec'))]
    return specs


def no_log_options(specs):
    """Dotted names of the no_log options in argument specs (suboptions included)."""
    found = set()

    def walk(spec, prefix):
        for option, info in (spec or {}).items():
            if not isinstance(info, dict):
                continue
            if info.get('no_log'):
                found.add(prefix + option)
            walk(info.get('options') or info.get('suboptions'), prefix + option + '.')
    for spec in specs:
        walk(spec, '')
    return sorted(found)


def identity_of(name):
    classes = resource_classes(name)
    return tuple(classes[0].identity) if classes else None


# -- comparing kernel state ------------------------------------------------------------------------

def normalize(value, mask_macs=False):
    """Kernel JSON without what changes by itself: counters, timers; finite lifetimes become 'finite'."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if VOLATILE_KEYS.match(key):
                continue
            if key in LIFETIME_KEYS and isinstance(item, int):
                out[key] = 'forever' if item == FOREVER else 'finite'
                continue
            out[key] = normalize(item, mask_macs)
        return out
    if isinstance(value, list):
        return [normalize(item, mask_macs) for item in value]
    if mask_macs and isinstance(value, str) and value not in UNMASKED_MACS:
        return MAC.sub('<mac>', value)  # also inside values such as a bridge id (8000.02:00:...)
    return value


def snapshot(ns, extra=()):
    """Normalized dumps of the namespace's state, once it has settled.

    Some state follows a change asynchronously (operstate, carrier flags after a link goes up): dumps
    are repeated until two in a row agree (at most SETTLE_SECONDS).
    """
    commands = list(STATE_COMMANDS) + [c for c in extra if c not in STATE_COMMANDS]
    deadline = time.monotonic() + SETTLE_SECONDS
    previous = normalize(ns.readback(commands, missing_ok=True))
    while True:
        time.sleep(0.1)
        current = normalize(ns.readback(commands, missing_ok=True))
        if current == previous or time.monotonic() > deadline:
            return current
        previous = current


def subset(expected, actual):
    """Whether ``expected`` is contained in ``actual``: dict keys recursively, list items each matching
    some item (in any order), other values equal."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and all(any(subset(e, a) for a in actual) for e in expected)
    return expected == actual


def first_difference(left, right, path=''):
    """A readable pointer to where two JSON values differ (for assertion messages)."""
    if type(left) is not type(right):
        return '%s: %r != %r' % (path or '/', left, right)
    if isinstance(left, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                return '%s/%s: only in %s' % (path, key, 'first' if key in left else 'second')
            found = first_difference(left[key], right[key], '%s/%s' % (path, key))
            if found:
                return found
        return None
    if isinstance(left, list):
        if len(left) != len(right):
            return '%s: %d items != %d items' % (path or '/', len(left), len(right))
        for index, (a, b) in enumerate(zip(left, right)):
            found = first_difference(a, b, '%s[%d]' % (path, index))
            if found:
                return found
        return None
    return None if left == right else '%s: %r != %r' % (path or '/', left, right)


# -- secrets ---------------------------------------------------------------------------------------

def find_secrets(haystack, secrets):
    """Where any of ``secrets`` occurs in ``haystack`` (a JSON-able value or text): a list of places."""
    places = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key, path + '{key}')
                walk(item, '%s/%s' % (path, key))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, '%s[%d]' % (path, index))
        elif value is not None:
            text = value if isinstance(value, str) else json.dumps(value)
            for secret in secrets:
                if secret and str(secret) in text:
                    places.append('%s contains %r' % (path or 'text', _abbreviate(secret)))
    walk(haystack, '')
    if not isinstance(haystack, str):
        flat = json.dumps(haystack)  # also as serialized (escapes, keys)
        for secret in secrets:
            if secret and str(secret) in flat and not any(_abbreviate(secret) in p for p in places):
                places.append('serialized result contains %r' % _abbreviate(secret))
    return places


def _abbreviate(secret):
    text = str(secret)
    return text if len(text) <= 8 else text[:4] + '...' + text[-2:]


# -- ansible-playbook ------------------------------------------------------------------------------

def ansible_playbook():
    beside = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    return beside if os.path.exists(beside) else 'ansible-playbook'


def run_playbook(tasks, tmpdir, extra_args=()):
    """Run tasks on localhost (connection local, this Python) with -vvv; return (returncode, output)."""
    play = [{'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
             'vars': {'ansible_python_interpreter': sys.executable}, 'tasks': tasks}]
    playbook = os.path.join(tmpdir, 'play.yml')
    with open(playbook, 'w') as handle:
        json.dump(play, handle, indent=1)  # JSON is YAML
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_LOCAL_TEMP=tmpdir,
               ANSIBLE_REMOTE_TEMP=tmpdir, ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_HOST_KEY_CHECKING='0',
               ANSIBLE_DEPRECATION_WARNINGS='0', ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_STDOUT_CALLBACK='default')
    proc = subprocess.run([sys.executable, ansible_playbook(), '-vvv', '-i', 'localhost,', playbook] + list(extra_args),
                          capture_output=True, text=True, env=env, cwd=tmpdir, check=False)
    return proc.returncode, proc.stdout + proc.stderr


# -- needs -----------------------------------------------------------------------------------------

_PROBES = {}


def probe(kind, value):
    """Whether this kernel/host has what a case needs; the answer is cached per session."""
    key = (kind, value)
    if key not in _PROBES:
        _PROBES[key] = _probe(kind, value)
    return _PROBES[key]


def _probe(kind, value):
    if kind == 'link_kind':
        # The kind alone, no other attribute: without a module for it the kernel answers EOPNOTSUPP
        # ("Unknown device type"); with one, success or another refusal (no parent link, no VNI...).
        # `ip link add probe0 type KIND` cannot tell: it stops at arguments of its own (geneve's id).
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError
        from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
        msg = ifinfmsg()
        msg['attrs'] = [('IFLA_IFNAME', 'probe0'), ('IFLA_LINKINFO', {'attrs': [('IFLA_INFO_KIND', value)]})]
        ns = Namespace('nlt-probe')
        try:
            with Connection(netns=ns.name) as conn:
                conn.request(msg, 16, 0x400 | 0x200)  # RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL
            return True
        except NetlinkError as exc:
            return exc.code != errno.EOPNOTSUPP
        finally:
            ns.delete()
    if kind == 'kernel_module':
        name = value.replace('-', '_')
        if os.path.isdir('/sys/module/' + name):
            return True
        # in the test VM the kernel's own list is kept in /run/nlink-vm (its root is the host's)
        for path in ('/lib/modules/%s/modules.builtin' % os.uname().release, '/run/nlink-vm/modules.builtin'):
            try:
                with open(path) as handle:
                    if any(line.strip().endswith('/%s.ko' % name) for line in handle):
                        return True
            except OSError:
                pass
        return False
    if kind == 'genl_family':
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
            NETLINK_GENERIC, Connection)
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError
        from pyroute2.netlink import ctrlmsg
        msg = ctrlmsg()
        msg['cmd'] = 3  # CTRL_CMD_GETFAMILY (the kernel loads the family's module on demand)
        msg['version'] = 1
        msg['attrs'] = [('CTRL_ATTR_FAMILY_NAME', value)]
        ns = Namespace('nlt-probe')
        try:
            with Connection(NETLINK_GENERIC, ns.name) as conn:
                conn.request(msg, 0x10, 0, reply_class=ctrlmsg)
            return True
        except NetlinkError:
            return False
        finally:
            ns.delete()
    if kind == 'works':
        # a shell command run in a fresh namespace: for what only trying shows (bridge VLAN filtering)
        ns = Namespace('nlt-probe')
        try:
            return ns.run(['sh', '-c', value], check=False).returncode == 0
        finally:
            ns.delete()
    if kind == 'command':
        from shutil import which
        return which(value) is not None
    raise ValueError('unknown need %r (link_kind, kernel_module, genl_family, works, command)' % kind)


def missing_needs(needs):
    """The needs (kind, value) this host lacks, as 'kind=value' strings."""
    missing = []
    for kind, values in sorted((needs or {}).items()):
        for value in (values if isinstance(values, (list, tuple)) else [values]):
            if not probe(kind, value):
                missing.append('%s=%s' % (kind, value))
    return missing


# -- the table's vocabulary ------------------------------------------------------------------------

class Purge:
    """What ``state: overridden`` (or a scoped ``deleted``) must remove and must leave alone.

    ``setup``: more commands creating objects inside and outside the scope; ``args``: the purging task;
    ``survives`` / ``removed``: {readback command: subset} that must / must not match afterwards.
    """

    def __init__(self, args, setup=(), survives=None, removed=None):
        self.args = args
        self.setup = list(setup)
        self.survives = survives or {}
        self.removed = removed or {}


class Case:
    """One conformance case of a module; the tests in test_conformance.py run each case the same way.

    module      plugins/modules/<module>.py (cases of modules that do not exist yet are skipped)
    setup       commands run in the fresh namespace first (`ip ...` batched; others via ip netns exec)
    apply       module args of a desired state that changes things (netns is added)
    change      different module args, for the check-mode and diff tests (applied after ``apply``)
    readback    `ip -j ...` commands whose JSON shows the module's effect
    expect      {readback command: subset} that must match after ``apply``
    check       optional callable(readback dict, raw JSON) for what a subset cannot say
    purge       a Purge, for the scope test
    secret_values  strings that must never appear in results or -vvv output (for no_log options)
    needs       {'link_kind': 'dummy', 'kernel_module': 'wireguard', 'genl_family': ..., 'works': 'SHELL COMMAND', 'command': ...}
    rendered    False when the module has no state=rendered (say why in ``notes``)
    volatile    result keys a real run may differ on from check mode's prediction (lifetimes count down)
    xfail       {test name: reason}: a known bug in the module, reported; the test must fail (strict)
    """

    def __init__(self, id, module, apply, change, readback, setup=(), expect=None, check=None, purge=None,
                 secret_values=(), needs=None, rendered=True, volatile=(), xfail=None, notes=''):
        self.id = id
        self.module = module
        self.setup = list(setup)
        self.apply = apply
        self.change = change
        self.readback = list(readback)
        self.expect = expect or {}
        self.check = check
        self.purge = purge
        self.secret_values = list(secret_values)
        self.needs = needs or {}
        self.rendered = rendered
        self.volatile = tuple(volatile)
        self.xfail = dict(xfail or {})
        self.notes = notes

    def __repr__(self):
        return 'Case(%s:%s)' % (self.module, self.id)


class ErrorCase:
    """A task that must fail cleanly: ``msg`` containing every string in ``msg_contains``, no traceback."""

    def __init__(self, id, module, args, msg_contains, setup=(), needs=None, phase='kernel', xfail=None):
        self.id = id
        self.module = module
        self.args = args
        self.msg_contains = list(msg_contains)
        self.setup = list(setup)
        self.needs = needs or {}
        self.phase = phase  # 'kernel' (refused by the kernel) or 'validation' (refused before any change)
        self.xfail = xfail

    def __repr__(self):
        return 'ErrorCase(%s:%s)' % (self.module, self.id)


class BulkCase:
    """Many objects in one task: ``items()`` makes them, ``count(readback JSON)`` counts them in the kernel."""

    def __init__(self, id, module, args, items, readback, count, setup=(), needs=None):
        self.id = id
        self.module = module
        self.args = args
        self.items = items
        self.readback = readback
        self.count = count
        self.setup = list(setup)
        self.needs = needs or {}

    def __repr__(self):
        return 'BulkCase(%s:%s)' % (self.module, self.id)

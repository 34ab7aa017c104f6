# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A pinned eBPF program as nl_tc_filter's source, against the kernel: in a private mount and network
namespace (`unshare -m -n`), where a bpffs of its own is mounted on /sys/fs/bpf - the host's bpffs and
network are never touched. Needs root; skipped otherwise."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

CONFORMANCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'conformance')
MODULE = os.path.join(os.path.dirname(os.path.dirname(CONFORMANCE)), 'plugins', 'modules', 'nl_tc_filter.py')

SCRIPT = textwrap.dedent('''
    import ctypes, json, subprocess, sys
    sys.path.insert(0, %(conformance)r)
    import bpf_objects as objects
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import bpf

    def sh(*argv):
        return subprocess.run(argv, check=True, capture_output=True, text=True).stdout

    def module(args):
        with open(%(tmp)r + '/args.json', 'w') as handle:
            json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
        return json.loads(sh(sys.executable, %(module)r, %(tmp)r + '/args.json'))

    sh('mount', '-t', 'bpf', 'bpf', '/sys/fs/bpf')
    sh('ip', 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
    sh('tc', 'qdisc', 'add', 'dev', 'v0', 'clsact')
    path = objects.written(objects.elf_object([('classifier', 'drop', objects.returns(2))]), 'drop.o')
    program = bpf.read_object(path, 'classifier', 'bpf')
    fd = bpf.load(program)
    where = ctypes.create_string_buffer(b'/sys/fs/bpf/drop')
    result, _attr = bpf._syscall(6, bpf.OBJ_GET_ATTR.pack(ctypes.addressof(where), fd, 0))  # BPF_OBJ_PIN
    assert result == 0, result
    args = {'dev': 'v0', 'parent': 'egress', 'priority': 1, 'kind': 'bpf',
            'bpf': {'pinned': '/sys/fs/bpf/drop', 'direct_action': True}}
    first, second, checked = module(args), module(args), module(dict(args, priority=3, _ansible_check_mode=True))
    sh('tc', 'filter', 'add', 'dev', 'v0', 'egress', 'pref', '2', 'bpf', 'pinned', '/sys/fs/bpf/drop', 'da')
    shown = json.loads(sh('tc', '-j', 'filter', 'show', 'dev', 'v0', 'egress'))
    print(json.dumps({'first': first, 'second': second, 'checked': checked, 'tag': program.tag,
                      'shown': [e for e in shown if 'options' in e]}))
''')


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which('unshare') or not shutil.which('tc'),
                    reason='needs root, unshare and tc (a private mount and network namespace)')
def test_pinned_program_is_attached_once_and_named_as_tc_names_it(tmp_path):
    script = tmp_path / 'pinned.py'
    script.write_text(SCRIPT % {'conformance': CONFORMANCE, 'tmp': str(tmp_path), 'module': MODULE})
    done = subprocess.run(['unshare', '-m', '-n', '--propagation', 'private', sys.executable, str(script)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out['first']['changed'] is True and out['second']['changed'] is False, out
    assert out['checked']['changed'] is True and out['checked']['after'][0]['bpf']['tag'] == out['tag']
    ours, tcs = [dict(e['options']) for e in sorted(out['shown'], key=lambda e: e['pref'])]
    assert ours['bpf_name'] == tcs['bpf_name'] == 'drop:[*fsobj]'
    assert ours['prog']['tag'] == tcs['prog']['tag'] == out['tag']
    assert ours['prog']['id'] == tcs['prog']['id']  # the very program pinned, not a copy

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the test VM must prove on every CI run (run inside it by `tests/run vm`):

the kernel features the host lacks are there (crypto_user, netdevsim, mac80211_hwsim, ESP), and nl_link
creates each link kind the host lacks, then finds nothing to do on a second run, in a fresh namespace.
Prints one line per check; exits 1 if any failed.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NETNS = 'nlink-vm-smoke'
VETH = [['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], ['link', 'set', 'v0', 'up']]
# name, nl_link arguments: one per kind the host kernel lacks
KINDS = [
    ('dummy', {'name': 'd0', 'kind': 'dummy', 'alias': 'lab', 'group': 7}),
    ('bond with a port', {'config': [
        {'name': 'bond1', 'kind': 'bond', 'bond': {'mode': 'active-backup', 'miimon': 100}},
        {'name': 'v1', 'master': 'bond1'}]}),
    ('vlan', {'name': 'v0.100', 'kind': 'vlan', 'link': 'v0', 'vlan': {'id': 100}}),
    ('vrf', {'name': 'vrf1', 'kind': 'vrf', 'vrf': {'table': 10}, 'admin_state': 'up'}),
    ('gre', {'name': 'gre1', 'kind': 'gre', 'gre': {'local': '192.0.2.1', 'remote': '192.0.2.2', 'ttl': 64}}),
    ('geneve', {'name': 'gnv0', 'kind': 'geneve', 'geneve': {'id': 7, 'remote': '192.0.2.2'}}),
    ('ipvlan', {'name': 'ipv0', 'kind': 'ipvlan', 'link': 'v0', 'ipvlan': {'mode': 'l3'}}),
    ('macsec', {'name': 'ms0', 'kind': 'macsec', 'link': 'v0', 'macsec': {'port': 11, 'encrypt': True}}),
    ('wireguard', {'name': 'wg0', 'kind': 'wireguard', 'mtu': 1420}),
    ('team', {'name': 'team0', 'kind': 'team'}),
]


FEATURES = ('crypto_user socket', 'netdevsim device', 'two mac80211_hwsim radios', 'ESP SA cbc(aes)+hmac(sha256)')


def ip(*args):
    return subprocess.run(['/usr/sbin/ip'] + list(args), capture_output=True, text=True, check=False)


def run_module(args):
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': dict(args, netns=NETNS)}, handle)
    env = dict(os.environ, PYTHONPATH=collection_path())
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'plugins', 'modules', 'nl_link.py'), handle.name],
                          capture_output=True, text=True, env=env, check=False)
    os.unlink(handle.name)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return {'failed': True, 'msg': (proc.stdout + proc.stderr)[-500:]}


def collection_path():
    base = tempfile.mkdtemp()
    os.makedirs(os.path.join(base, 'ansible_collections', 'nlink'))
    os.symlink(ROOT, os.path.join(base, 'ansible_collections', 'nlink', 'netlink'))
    return base


def check_kind(name, args):
    ip('netns', 'add', NETNS)
    try:
        for command in VETH:
            ip('-n', NETNS, *command)
        first, second = run_module(args), run_module(args)
        if first.get('failed') or not first.get('changed'):
            return 'apply: %s' % first.get('msg', 'changed is false')
        if second.get('failed') or second.get('changed'):
            return 're-apply: %s' % (second.get('msg') or 'changed again: %s' % second.get('commands'))
        return None
    finally:
        ip('netns', 'del', NETNS)


def check_features():
    problems = []
    try:
        socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 21).close()  # NETLINK_CRYPTO
    except OSError as exc:
        problems.append(('crypto_user socket', str(exc)))
    try:
        with open('/sys/bus/netdevsim/new_device', 'w') as handle:
            handle.write('10 1')
        if not os.path.isdir('/sys/bus/netdevsim/devices/netdevsim10'):
            problems.append(('netdevsim device', 'netdevsim10 did not appear'))
    except OSError as exc:
        problems.append(('netdevsim device', str(exc)))
    radios = os.listdir('/sys/class/ieee80211') if os.path.isdir('/sys/class/ieee80211') else []
    if len(radios) < 2:
        problems.append(('two mac80211_hwsim radios', 'found %s' % radios))
    result = ip('xfrm', 'state', 'add', 'src', '10.0.0.1', 'dst', '10.0.0.2', 'proto', 'esp', 'spi', '0x100',
                'enc', 'cbc(aes)', '0x00112233445566778899aabbccddeeff',
                'auth', 'hmac(sha256)', '0x' + '00112233445566778899aabbccddeeff' * 2)
    if result.returncode:
        problems.append(('ESP SA cbc(aes)+hmac(sha256)', result.stderr.strip()))
    else:
        ip('xfrm', 'state', 'flush')
    return problems


def main():
    feature_problems = dict(check_features())
    results = [(feature, feature_problems.get(feature)) for feature in FEATURES]
    results += [('nl_link ' + name, check_kind(name, args)) for name, args in KINDS]
    for name, problem in results:
        print('%-4s %-40s %s' % ('FAIL' if problem else 'ok', name, problem or ''))
    failures = sum(1 for _name, problem in results if problem)
    print('%d checks, %d failed' % (len(results), failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

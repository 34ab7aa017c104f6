# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel features of the test VM that the host lacks and no conformance case checks: a crypto_user
socket, a netdevsim device, two mac80211_hwsim radios, an ESP SA with cbc(aes)+hmac(sha256).

Run inside the VM by tests/vm/placement.py (the vm stage); nl_link on the kinds the host lacks is the
conformance cases' business (tests/conformance/cases_link.py, needs=). Prints one line per check; exits 1
if any failed.
"""

import os
import socket
import subprocess
import sys

NETDEVSIM_ID = 10


def ip(*args):
    return subprocess.run(['ip'] + list(args), capture_output=True, text=True, check=False)


def crypto_user():
    try:
        socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 21).close()  # NETLINK_CRYPTO
    except OSError as exc:
        return str(exc)
    return None


def netdevsim():
    try:
        with open('/sys/bus/netdevsim/new_device', 'w') as handle:
            handle.write('%d 1' % NETDEVSIM_ID)
    except OSError as exc:
        return str(exc)
    if not os.path.isdir('/sys/bus/netdevsim/devices/netdevsim%d' % NETDEVSIM_ID):
        return 'netdevsim%d did not appear' % NETDEVSIM_ID
    with open('/sys/bus/netdevsim/del_device', 'w') as handle:
        handle.write('%d' % NETDEVSIM_ID)
    return None


def hwsim_radios():
    radios = sorted(os.listdir('/sys/class/ieee80211')) if os.path.isdir('/sys/class/ieee80211') else []
    return None if len(radios) >= 2 else 'found %s' % (radios or 'none')


def esp_sa():
    ns = 'nlink-vm-smoke'
    ip('netns', 'add', ns)
    try:
        result = ip('-n', ns, 'xfrm', 'state', 'add', 'src', '10.0.0.1', 'dst', '10.0.0.2', 'proto', 'esp',
                    'spi', '0x100', 'enc', 'cbc(aes)', '0x00112233445566778899aabbccddeeff',
                    'auth', 'hmac(sha256)', '0x' + '00112233445566778899aabbccddeeff' * 2)
        return result.stderr.strip() if result.returncode else None
    finally:
        ip('netns', 'del', ns)


CHECKS = (('crypto_user socket', crypto_user), ('netdevsim device', netdevsim),
          ('two mac80211_hwsim radios', hwsim_radios), ('ESP SA cbc(aes)+hmac(sha256)', esp_sa))


def run():
    """All checks, each printed as it ends: [(name, problem or None)]."""
    results = []
    for name, check in CHECKS:
        problem = check()
        print('%-4s %-40s %s' % ('FAIL' if problem else 'ok', name, problem or ''), flush=True)
        results.append((name, problem))
    return results


def main():
    results = run()
    failures = sum(1 for _name, problem in results if problem)
    print('%d checks, %d failed' % (len(results), failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

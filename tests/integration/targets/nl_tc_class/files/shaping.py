# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Measure the rate of a UDP flood from namespace SENDER to ADDRESS in namespace RECEIVER.

Usage: shaping.py SENDER RECEIVER ADDRESS SECONDS. Prints JSON {"bits_per_second": ...}: bytes on the
wire (payload + UDP, IP and Ethernet headers) that arrived in the middle of the run, per second. The
traffic stays between the two namespaces of the test.
"""

import json
import subprocess
import sys

PAYLOAD = 1400
HEADERS = 8 + 20 + 14  # UDP, IPv4, Ethernet: what htb counts besides the payload

RECEIVE = r'''
import json, socket, sys, time
seconds = float(sys.argv[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
sock.bind((sys.argv[1], 5001))
print('ready', flush=True)
sock.settimeout(5)
sock.recv(65535)
start = time.monotonic()
sock.settimeout(1)
counted, first, last = 0, None, None
while time.monotonic() - start < seconds:
    try:
        size = len(sock.recv(65535))
    except socket.timeout:
        break
    now = time.monotonic() - start
    if seconds * 0.25 <= now <= seconds * 0.75:  # the middle: no start-up burst, no tail
        first = now if first is None else first
        last = now
        counted += size + %d
print(json.dumps({'bytes': counted, 'seconds': (last or 0) - (first or 0)}), flush=True)
''' % HEADERS

SEND = r'''
import socket, sys, time
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
data = b'x' * %d
end = time.monotonic() + float(sys.argv[2]) + 1
while time.monotonic() < end:
    try:
        sock.sendto(data, (sys.argv[1], 5001))
    except OSError:
        time.sleep(0.0005)  # the qdisc is full: the point of the test
''' % PAYLOAD


def main():
    sender, receiver, address, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    recv = subprocess.Popen(['ip', 'netns', 'exec', receiver, sys.executable, '-c', RECEIVE, address, seconds],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert recv.stdout.readline().strip() == 'ready'
        subprocess.run(['ip', 'netns', 'exec', sender, sys.executable, '-c', SEND, address, seconds],
                       check=True, timeout=float(seconds) + 30)
        result = json.loads(recv.stdout.readline())
    finally:
        recv.kill()
        recv.wait()
    print(json.dumps({'bits_per_second': int(result['bytes'] * 8 / result['seconds']) if result['seconds'] else 0}))


if __name__ == '__main__':
    main()

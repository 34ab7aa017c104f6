# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_wireguard (cases.py joins them to the table). They need the wireguard kernel
module (the host lacks it: they run in the test VM) and `wg` (wireguard-tools) to read the kernel back.

Run as a script (inside a namespace), this file is the read-back: `wg show all dump` as JSON, with private
and preshared keys as presence only, so no assertion message can show one. The keys here are test keys.
"""

import base64
import json
import os
import subprocess
import sys

from harness import BulkCase, Case, ErrorCase, Purge

NEEDS = {'kernel_module': 'wireguard', 'command': 'wg'}
READBACK = '%s %s' % (sys.executable, os.path.abspath(__file__))
WG0 = ['ip link add wg0 type wireguard']
# replaced gives exactly the allowed IPs listed (WGPEER_F_REPLACE_ALLOWEDIPS), merged adds them
NOT_REPLAYABLE = ('rendered `wg set` commands read keys from /dev/stdin (never written out), so they cannot be '
                  'replayed with ip -batch; the rendered commands are checked in tests/unit/test_wireguard.py')

# test keys (wg genkey / wg pubkey / wg genpsk)
K1, K1_PUB = '+LjYciIchesnrsjnRGbmxdbcW9NxiuczQ7Bhumyivlw=', 'aa7va5p+Xu4OyVwymem89Zf3sSVWXJ5n7askN4DtDBA='
K2, K2_PUB = '4KdEV531ntggUwJOEFOAYnEFOwKrVVPiRHkRbQ661Ek=', 'FWqI6istVaUdbteNjXogFV/4DOD9wJKcD8PX67P+HGc='
PA, PB, PC = ('i+pqVyezMcuXfEKhQOTYN88nde++LGBhM0ocV+1tjjw=', 'xF66s00DqfO97QJ3wyMWW9ADHdHLUSQmRYo1hPP8fVs=',
              'p5swmpVyFHWy6SFkDDg03zjRLbBzAnXovrCLB2fBFEM=')
PSK1, PSK2 = 'WrSoQ67TNvFQh6KjRmV1JRoVSSwI9jrKOUsbPOOpZ0g=', 'q5lRtgmsyzUDuMUE/4wFdPyO60WGAk+SXS0WLwZ2ZOQ='


def secret_forms(*keys):
    """Each key as base64 and as hex (the two ways a leak would read)."""
    return [form for key in keys for form in (key, base64.b64decode(key).hex())]


def readback():
    """`wg show all dump` as [{name, public_key, private_key_set, listen_port, fwmark, peers: [...]}]."""
    text = subprocess.run(['wg', 'show', 'all', 'dump'], capture_output=True, text=True, check=True).stdout
    interfaces = []
    for line in text.splitlines():
        fields = line.split('\t')
        if len(fields) == 5:
            interfaces.append({'name': fields[0], 'private_key_set': fields[1] != '(none)', 'public_key': fields[2],
                               'listen_port': int(fields[3]), 'fwmark': 0 if fields[4] == 'off' else int(fields[4], 0),
                               'peers': []})
        elif len(fields) == 9:
            interfaces[-1]['peers'].append({
                'public_key': fields[1], 'preshared_key_set': fields[2] != '(none)', 'endpoint': fields[3],
                'allowed_ips': sorted(fields[4].split(',')) if fields[4] != '(none)' else [],
                'persistent_keepalive': 0 if fields[8] == 'off' else int(fields[8])})
    return interfaces


def peer_of(readback_json, name, public_key):
    return next(p for i in readback_json if i['name'] == name for p in i['peers'] if p['public_key'] == public_key)


def exact_allowed_ips(expected):
    """A check that each peer of wg0 has exactly these allowed IPs (a subset cannot say 'no more')."""
    def check(readback_json, raw):
        for public_key, ips in expected.items():
            assert peer_of(readback_json[READBACK], 'wg0', public_key)['allowed_ips'] == sorted(ips), readback_json
    return check


def bulk_peers(count=1000, wide=3000):
    """``count`` peers with two allowed IPs each; the first has ``wide`` (its set-device goes in several
    messages, and its dump in several replies)."""
    peers = []
    for n in range(1, count + 1):
        key = base64.b64encode(n.to_bytes(4, 'big') * 8).decode()
        peers.append({'public_key': key, 'allowed_ips': ['10.%d.%d.0/24' % (n // 256, n % 256), 'fd00:%x::/64' % n]})
    peers[0]['allowed_ips'] = ['fd01:%x::/64' % n for n in range(wide)]
    return peers


def count_peers(readback_json, wide=3000):
    """The number of peers, or -1 when the wide peer lost allowed IPs."""
    peers = [p for i in readback_json if i['name'] == 'wg0' for p in i['peers']]
    first = base64.b64encode((1).to_bytes(4, 'big') * 8).decode()
    if next((len(p['allowed_ips']) for p in peers if p['public_key'] == first), 0) != wide:
        return -1
    return len(peers)


CASES = [
    Case('interface-and-peers', 'nl_wireguard', needs=NEEDS, setup=WG0, rendered=False, notes=NOT_REPLAYABLE,
         apply={'name': 'wg0', 'private_key': K1, 'listen_port': 51820, 'fwmark': 32,
                'peers': [{'public_key': PA, 'preshared_key': PSK1, 'endpoint': '192.0.2.2:51820',
                           'allowed_ips': ['10.99.0.2/32', '2001:db8:99::2/128'], 'persistent_keepalive': 25},
                          {'public_key': PB, 'endpoint': '[2001:db8::3]:51821', 'allowed_ips': ['10.99.1.0/24']}]},
         change={'name': 'wg0', 'private_key': K2, 'listen_port': 51821,
                 'peers': [{'public_key': PA, 'preshared_key': PSK2, 'allowed_ips': ['10.99.0.3/32']}]},
         readback=[READBACK],
         expect={READBACK: [{'name': 'wg0', 'private_key_set': True, 'public_key': K1_PUB, 'listen_port': 51820,
                             'fwmark': 32, 'peers': [
                                 {'public_key': PA, 'preshared_key_set': True, 'endpoint': '192.0.2.2:51820',
                                  'persistent_keepalive': 25},
                                 {'public_key': PB, 'preshared_key_set': False, 'endpoint': '[2001:db8::3]:51821'}]}]},
         check=exact_allowed_ips({PA: ['10.99.0.2/32', '2001:db8:99::2/128'], PB: ['10.99.1.0/24']}),
         purge=Purge(setup=['wg set wg0 peer %s allowed-ips 10.98.0.0/24' % PC],
                     args={'name': 'wg0', 'state': 'overridden', 'private_key': K1, 'listen_port': 51820, 'fwmark': 32,
                           'peers': [{'public_key': PB, 'endpoint': '[2001:db8::3]:51821',
                                      'allowed_ips': ['10.99.1.0/24']}]},
                     survives={READBACK: [{'name': 'wg0', 'public_key': K1_PUB, 'peers': [{'public_key': PB}]}]},
                     removed={READBACK: [{'name': 'wg0', 'peers': [{'public_key': PA}]},
                                         {'name': 'wg0', 'peers': [{'public_key': PC}]}]}),
         secret_values=secret_forms(K1, K2, PSK1, PSK2)),
    Case('generated-key', 'nl_wireguard', needs=NEEDS, setup=WG0, rendered=False, notes=NOT_REPLAYABLE,
         apply={'name': 'wg0', 'generate_private_key': True, 'listen_port': 51820,
                'peers': [{'public_key': PA, 'preshared_key': PSK1, 'allowed_ips': ['10.99.0.2/32']}]},
         change={'name': 'wg0', 'generate_private_key': True, 'listen_port': 51822},
         readback=[READBACK],
         expect={READBACK: [{'name': 'wg0', 'private_key_set': True, 'listen_port': 51820,
                             'peers': [{'public_key': PA, 'preshared_key_set': True}]}]},
         secret_values=secret_forms(PSK1)),
    Case('replaced-peer', 'nl_wireguard', needs=NEEDS, rendered=False, notes=NOT_REPLAYABLE,
         setup=WG0 + ['wg set wg0 peer %s allowed-ips 10.97.0.0/24,10.97.1.0/24 persistent-keepalive 5' % PA],
         apply={'name': 'wg0', 'state': 'replaced', 'fwmark': 7,
                'peers': [{'public_key': PA, 'preshared_key': PSK1, 'allowed_ips': ['10.97.1.0/24', '10.96.0.0/16']}]},
         change={'name': 'wg0', 'state': 'replaced', 'peers': [{'public_key': PA, 'allowed_ips': []}]},
         readback=[READBACK],
         expect={READBACK: [{'name': 'wg0', 'fwmark': 7, 'peers': [
             {'public_key': PA, 'preshared_key_set': True, 'persistent_keepalive': 0}]}]},
         check=exact_allowed_ips({PA: ['10.96.0.0/16', '10.97.1.0/24']}),
         secret_values=secret_forms(PSK1)),
]

ERROR_CASES = [
    ErrorCase('no-such-interface', 'nl_wireguard', needs=NEEDS, args={'name': 'wg9', 'listen_port': 51820},
              msg_contains=['no WireGuard interface wg9', 'nl_link']),
    ErrorCase('not-wireguard', 'nl_wireguard', needs=NEEDS, setup=['ip link add v0 type veth peer name v1'],
              args={'name': 'v0', 'listen_port': 51820}, msg_contains=['no WireGuard interface v0']),
    ErrorCase('bad-private-key', 'nl_wireguard', needs=NEEDS, setup=WG0, phase='validation',
              args={'name': 'wg0', 'private_key': 'bm90IGEga2V5'},
              msg_contains=['private_key: not a WireGuard key']),
    ErrorCase('bad-endpoint', 'nl_wireguard', needs=NEEDS, setup=WG0, phase='validation',
              args={'name': 'wg0', 'peers': [{'public_key': PA, 'endpoint': '2001:db8::1:51820'}]},
              msg_contains=['peers[0].endpoint', 'brackets']),
    ErrorCase('own-key-as-peer', 'nl_wireguard', needs=NEEDS, setup=WG0, phase='validation',
              args={'name': 'wg0', 'private_key': K1, 'peers': [{'public_key': K1_PUB}]},
              msg_contains=['peers[0].public_key: is the public key of wg0 itself']),
]

BULK_CASES = [
    BulkCase('peers', 'nl_wireguard', needs=NEEDS, setup=WG0, args={'name': 'wg0', 'state': 'overridden'},
             items=bulk_peers, readback=READBACK, count=count_peers),
]

if __name__ == '__main__':
    print(json.dumps(readback()))

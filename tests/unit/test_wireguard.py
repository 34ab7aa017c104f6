# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_wireguard without a kernel: X25519 against RFC 7748, keys never shown, values both ways through the
generated family, messages split and dumps merged, plans against a model of the kernel's set/get-device.

The kernel itself is the oracle in tests/conformance (cases_wireguard.py, test_wireguard_ping.py: test VM).
"""

import base64
import binascii
import copy
import json
import pickle
import shutil
import socket
import struct
import subprocess

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import genl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import SEND_CHUNK
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen import wireguard as spec
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import wireguard as wg

h = binascii.unhexlify
PRIVATE = bytes(range(1, 33))
PSK = bytes(range(101, 133))
PEER_A = base64.b64encode(bytes([7] * 32)).decode()
PEER_B = base64.b64encode(bytes([8] * 32)).decode()
SECRETS = [base64.b64encode(PRIVATE).decode(), base64.b64encode(PSK).decode(), PRIVATE.hex(), PSK.hex()]


# -- X25519 (RFC 7748) -----------------------------------------------------------------------------

@pytest.mark.parametrize('scalar,u,out', [
    ('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
     'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
     'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'),
    ('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
     'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
     '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957'),
])
def test_x25519_gives_the_rfc_7748_test_vectors(scalar, u, out):
    assert wg.x25519(h(scalar), h(u)) == h(out)


def test_x25519_iterated_once_as_rfc_7748_section_5_2():
    # (the RFC's 1,000-iteration value also holds: ~10 s here, too slow for the unit stage)
    nine = (9).to_bytes(32, 'little')
    assert wg.x25519(nine, nine) == h('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079')


def test_x25519_diffie_hellman_as_rfc_7748_section_6_1():
    alice = h('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')
    bob = h('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')
    assert wg.public_key(alice) == h('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
    assert wg.public_key(bob) == h('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')
    shared = h('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')
    assert wg.x25519(alice, wg.public_key(bob)) == wg.x25519(bob, wg.public_key(alice)) == shared


def test_generated_keys_are_clamped_and_differ():
    keys = [wg.generate_private_key() for _key in range(4)]
    assert len(set(keys)) == 4
    for key in keys:
        assert len(key) == 32 and key[0] & 7 == 0 and key[31] & 128 == 0 and key[31] & 64


@pytest.mark.skipif(not shutil.which('wg'), reason='wg (wireguard-tools) not installed')
def test_public_keys_agree_with_wg_pubkey():
    for key in [PRIVATE, wg.generate_private_key()]:
        text = base64.b64encode(key).decode()
        derived = subprocess.run(['wg', 'pubkey'], input=text, capture_output=True, text=True, check=True).stdout
        assert derived.strip() == wg.b64(wg.public_key(key))


# -- secrets ---------------------------------------------------------------------------------------

def test_a_secret_compares_by_key_and_reads_as_a_marker():
    one, same, other = wg.Secret(PRIVATE), wg.Secret(PRIVATE), wg.Secret(PSK)
    assert one == same and one != other and one != '(set)' and hash(one) == hash(same)
    assert str(one) == '(set)' and str(wg.NO_KEY) == '(none)' and str(wg.Secret(PSK, '(changed)')) == '(changed)'
    assert repr(one) == "'(set)'"
    texts = [json.dumps({'k': one}), repr(copy.deepcopy(one)), repr(copy.copy([one])), repr(pickle.loads(pickle.dumps(one)))]
    for text in texts:
        assert not any(secret in text for secret in SECRETS), text


def test_a_bad_key_is_refused_without_showing_it():
    for bad in ['c2VjcmV0', 'not base64 at all!', base64.b64encode(bytes(31)).decode()]:
        with pytest.raises(ValidationError) as raised:
            wg.key_bytes(bad, 'private_key')
        assert bad not in str(raised.value) and 'private_key: not a WireGuard key' in str(raised.value)


# -- values ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('text,canonical', [
    ('192.0.2.1:51820', '192.0.2.1:51820'),
    ('[2001:DB8::0:1]:1', '[2001:db8::1]:1'),
    ('localhost:51820', '127.0.0.1:51820'),
])
def test_endpoints_are_canonical(text, canonical):
    if text.startswith('localhost'):
        canonical = wg.canonical_endpoint(text)  # may resolve to ::1 where that comes first
        assert canonical in ('127.0.0.1:51820', '[::1]:51820')
    assert wg.canonical_endpoint(text) == canonical


@pytest.mark.parametrize('text', ['192.0.2.1', '2001:db8::1:51820', '192.0.2.1:0', '192.0.2.1:65536', ':51820',
                                  'no-such-host.invalid:51820'])
def test_bad_endpoints_are_refused(text):
    with pytest.raises(ValidationError, match='endpoint'):
        wg.canonical_endpoint(text)


def test_endpoints_are_the_kernels_sockaddrs_both_ways():
    v4 = wg.sockaddr('192.0.2.1:51820')
    assert v4 == struct.pack('=H', socket.AF_INET) + b'\xca\x6c' + bytes([192, 0, 2, 1]) + bytes(8)
    v6 = wg.sockaddr('[2001:db8::1]:443')
    assert len(v6) == 28 and v6[2:4] == b'\x01\xbb' and v6[8:24] == socket.inet_pton(socket.AF_INET6, '2001:db8::1')
    assert wg.endpoint_text(v4) == '192.0.2.1:51820' and wg.endpoint_text(v6) == '[2001:db8::1]:443'
    assert wg.endpoint_text(b'\0' * 16) is None


def test_allowed_ips_are_masked_sorted_and_deduplicated():
    peers = wg.Peers(FakeKernel().reader())
    given = ['2001:db8::1/64', '10.0.0.5/24', '10.0.0.0/24', '192.0.2.7']
    want = peers.normalize({'public_key': PEER_A, 'allowed_ips': given})
    assert want['allowed_ips'] == ['10.0.0.0/24', '192.0.2.7/32', '2001:db8::/64']
    with pytest.raises(ValidationError, match="allowed_ips: '10.0.0.0/33' is not"):
        peers.normalize({'public_key': PEER_A, 'allowed_ips': ['10.0.0.0/33']})


# -- messages --------------------------------------------------------------------------------------

CODEC = genl.Codec(spec)


def encoded(values):
    return CODEC.encode_payload('set-device', values)


def test_a_peer_request_is_what_pyroute2_reads_as_the_uapi_layout():
    from pyroute2.netlink.generic.wireguard import wgmsg
    values = {'ifname': 'wg0', 'private-key': PRIVATE, 'listen-port': 51820, 'fwmark': 7,
              'peers': [{'public-key': bytes([7] * 32), 'flags': ['replace-allowedips'], 'preshared-key': PSK,
                         'endpoint': wg.sockaddr('192.0.2.1:51820'), 'persistent-keepalive-interval': 25,
                         'allowedips': [wg.allowed_ip_attrs('10.0.0.0/24'), wg.allowed_ip_attrs('2001:db8::/64')]}]}
    payload = encoded(values)
    header = struct.pack('=IHHII', 16 + len(payload), 0x20, 1, 1, 0)
    msg = wgmsg(header + payload)
    msg.decode()
    assert msg['cmd'] == 1 and msg['version'] == 1  # WG_CMD_SET_DEVICE, WG_GENL_VERSION
    assert msg.get_attr('WGDEVICE_A_IFNAME') == 'wg0'
    assert msg.get_attr('WGDEVICE_A_LISTEN_PORT') == 51820 and msg.get_attr('WGDEVICE_A_FWMARK') == 7
    peer = msg.get_attr('WGDEVICE_A_PEERS')[0]
    assert peer.get_attr('WGPEER_A_FLAGS') == 2  # WGPEER_F_REPLACE_ALLOWEDIPS
    assert peer.get_attr('WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL') == 25
    ips = [(a.get_attr('WGALLOWEDIP_A_FAMILY'), a.get_attr('WGALLOWEDIP_A_CIDR_MASK'))
           for a in peer.get_attr('WGPEER_A_ALLOWEDIPS')]
    assert ips == [(socket.AF_INET, 24), (socket.AF_INET6, 64)]


def change(op, key, before=None, after=None, delta=None):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Change
    return Change(op, (key,), before, after, delta)


def test_a_peer_with_many_allowed_ips_is_split_and_replaces_only_in_its_first_message():
    peers = wg.Peers(FakeKernel().reader())
    peers.check_request('replaced', [])
    ips = ['2001:db8:%x::/48' % n for n in range(3000)]
    messages = peers.messages(change('update', PEER_A, {'allowed_ips': []}, {'allowed_ips': ips},
                                     {'allowed_ips': ips, 'persistent_keepalive': 5}))
    assert len(messages) == -(-3000 // wg.ALLOWED_IPS_PER_MESSAGE) > 1
    first, rest = messages[0]['peers'][0], [m['peers'][0] for m in messages[1:]]
    assert first['flags'] == ['replace-allowedips'] and first['persistent-keepalive-interval'] == 5
    assert all(set(p) == {'public-key', 'allowedips'} for p in rest)
    assert sum(len(m['peers'][0]['allowedips']) for m in messages) == 3000
    assert all(len(encoded(m)) + 16 <= SEND_CHUNK for m in messages)


def test_merged_adds_allowed_ips_without_replacing():
    peers = wg.Peers(FakeKernel().reader())
    peers.check_request('merged', [])
    messages = peers.messages(change('update', PEER_A, {}, {}, {'allowed_ips': ['10.0.0.0/24']}))
    assert 'flags' not in messages[0]['peers'][0]
    assert peers.messages(change('delete', PEER_A))[0]['peers'][0]['flags'] == ['remove-me']


def test_a_dump_split_across_messages_is_merged_back():
    kernel = FakeKernel(peers_per_message=2, ips_per_message=3)
    for n in range(5):
        kernel.peers[bytes([n + 1] * 32)] = {'psk': bytes(32), 'endpoint': None, 'keepalive': 0,
                                             'ips': ['10.%d.%d.0/24' % (n, i) for i in range(7)]}
    replies = kernel.dump_replies()
    assert len(replies) > 5
    device = wg.merge_replies('wg0', [CODEC.decode_payload('get-device', r) for r in replies])
    assert [p['public_key'] for p in device['peers']] == [wg.b64(bytes([n + 1] * 32)) for n in range(5)]
    assert all(len(p['allowed_ips']) == 7 for p in device['peers'])


# -- a model of the kernel's set-device and get-device, under the real codec --------------------------

class FakeKernel:
    """wg's device and peers, changed by set-device requests and dumped in split messages."""

    def __init__(self, peers_per_message=100, ips_per_message=100):
        self.private, self.port, self.fwmark, self.peers = bytes(32), 0, 0, {}
        self.peers_per_message, self.ips_per_message = peers_per_message, ips_per_message
        self.requests = []
        self.protocol, self.netns = 16, None

    def reader(self, name='wg0'):
        return wg.Reader(self, None, name)

    def dump_replies(self):
        first = {'ifindex': 5, 'ifname': 'wg0', 'listen-port': self.port, 'fwmark': self.fwmark}
        if any(self.private):
            first.update({'private-key': self.private, 'public-key': wg.public_key(self.private)})
        pieces = []
        for key, peer in self.peers.items():
            ips = [wg.allowed_ip_attrs(ip) for ip in peer['ips']]
            full = {'public-key': key, 'preshared-key': peer['psk'], 'persistent-keepalive-interval': peer['keepalive'],
                    'rx-bytes': 0, 'tx-bytes': 0, 'protocol-version': 1}
            if peer['endpoint']:
                full['endpoint'] = peer['endpoint']
            for start in range(0, max(len(ips), 1), self.ips_per_message):
                part = dict(full) if start == 0 else {'public-key': key}
                part['allowedips'] = ips[start:start + self.ips_per_message]
                pieces.append(part)
        messages = [dict(first, peers=pieces[:self.peers_per_message])]
        for start in range(self.peers_per_message, len(pieces), self.peers_per_message):
            messages.append({'ifname': 'wg0', 'peers': pieces[start:start + self.peers_per_message]})
        return [CODEC.encode_payload('get-device', m) for m in messages]

    def set_device(self, payload):
        values = CODEC.decode_payload('set-device', payload)
        self.requests.append(values)
        if 'private-key' in values:
            self.private = values['private-key']
        self.port = values.get('listen-port', self.port)
        self.fwmark = values.get('fwmark', self.fwmark)
        for peer in values.get('peers', []):
            key, flags = peer['public-key'], peer.get('flags', [])
            if 'remove-me' in flags:
                self.peers.pop(key, None)
                continue
            state = self.peers.setdefault(key, {'psk': bytes(32), 'endpoint': None, 'keepalive': 0, 'ips': []})
            state['psk'] = peer.get('preshared-key', state['psk'])
            state['endpoint'] = peer.get('endpoint', state['endpoint'])
            state['keepalive'] = peer.get('persistent-keepalive-interval', state['keepalive'])
            if 'replace-allowedips' in flags:
                state['ips'] = []
            for ip in peer.get('allowedips', []):
                text = wg.allowed_ip_text(ip)
                if text not in state['ips']:
                    state['ips'].append(text)


class FakeGenl:
    def __init__(self, kernel, family):
        self.kernel, self.conn = kernel, kernel

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def dump(self, op, values):
        assert op == 'get-device' and values == {'ifname': 'wg0'}
        return [CODEC.decode_payload('get-device', r) for r in self.kernel.dump_replies()]

    def bulk(self, requests):
        for op, values, flags in requests:
            payload = CODEC.encode_payload(op, values)
            assert len(payload) + 16 <= SEND_CHUNK
            self.kernel.set_device(payload)
        return {}


@pytest.fixture
def kernel(monkeypatch):
    monkeypatch.setattr(genl, 'Genl', FakeGenl)
    return FakeKernel()


def apply(kernel, state='merged', peers=None, check=False, generate=False, **device):
    return wg.run(kernel.reader(), state, device, peers, generate, check, True)


def leaks(result):
    text = json.dumps(result)
    return [secret for secret in SECRETS if secret in text]


def test_interface_and_peers_are_set_then_nothing_changes(kernel):
    peers = [{'public_key': PEER_A, 'preshared_key': base64.b64encode(PSK).decode(), 'endpoint': '[2001:db8::2]:51820',
              'allowed_ips': ['10.99.0.2/32'], 'persistent_keepalive': 25}]
    result = apply(kernel, peers=peers, private_key=base64.b64encode(PRIVATE).decode(), listen_port=51820)
    assert result['changed'] and not leaks(result)
    assert result['public_key'] == wg.b64(wg.public_key(PRIVATE))
    assert result['after']['interface']['private_key_set'] is True
    assert result['after']['peers'][0]['preshared_key_set'] is True
    assert result['commands'] == ['wg set wg0 private-key /dev/stdin listen-port 51820',
                                  'wg set wg0 peer %s preshared-key /dev/stdin endpoint [2001:db8::2]:51820 '
                                  'persistent-keepalive 25 allowed-ips 10.99.0.2/32' % PEER_A]
    assert '"(set)"' in result['diff']['after']
    assert kernel.peers[bytes([7] * 32)]['psk'] == PSK and kernel.port == 51820
    again = apply(kernel, peers=peers, private_key=base64.b64encode(PRIVATE).decode(), listen_port=51820)
    assert again['changed'] is False and again['commands'] == [] and not leaks(again)


def test_a_changed_key_shows_as_changed_in_the_diff(kernel):
    apply(kernel, private_key=base64.b64encode(PRIVATE).decode())
    result = apply(kernel, private_key=base64.b64encode(PSK).decode(), check=True)
    assert result['changed'] and '"(changed)"' in result['diff']['after'] and '"(set)"' in result['diff']['before']
    assert not leaks(result) and kernel.private == PRIVATE
    assert result['public_key'] == wg.b64(wg.public_key(PSK))


def test_a_key_is_generated_only_when_the_interface_has_none(kernel):
    first = apply(kernel, generate=True)
    assert first['changed'] and first['commands'] == ['wg set wg0 private-key /dev/stdin']
    assert first['public_key'] == wg.b64(wg.public_key(kernel.private)) and any(kernel.private)
    assert wg.b64(kernel.private) not in json.dumps(first)
    again = apply(kernel, generate=True)
    assert again['changed'] is False and again['public_key'] == first['public_key']


def test_merged_adds_allowed_ips_replaced_sets_them(kernel):
    apply(kernel, peers=[{'public_key': PEER_A, 'allowed_ips': ['10.0.0.0/24']}])
    merged = apply(kernel, peers=[{'public_key': PEER_A, 'allowed_ips': ['10.1.0.0/24']}])
    assert merged['after']['peers'][0]['allowed_ips'] == ['10.0.0.0/24', '10.1.0.0/24']
    assert kernel.peers[bytes([7] * 32)]['ips'] == ['10.0.0.0/24', '10.1.0.0/24']
    assert apply(kernel, peers=[{'public_key': PEER_A, 'allowed_ips': ['10.1.0.0/24']}])['changed'] is False
    replaced = apply(kernel, 'replaced', peers=[{'public_key': PEER_A, 'allowed_ips': ['10.1.0.0/24']}])
    assert replaced['changed'] and kernel.peers[bytes([7] * 32)]['ips'] == ['10.1.0.0/24']
    assert kernel.requests[-1]['peers'][0]['flags'] == ['replace-allowedips']


def test_overridden_removes_undeclared_peers_and_deleted_the_listed_ones(kernel):
    apply(kernel, peers=[{'public_key': PEER_A}, {'public_key': PEER_B, 'allowed_ips': ['10.2.0.0/16']}])
    result = apply(kernel, 'overridden', peers=[{'public_key': PEER_B, 'allowed_ips': ['10.2.0.0/16']}])
    assert result['commands'] == ['wg set wg0 peer %s remove' % PEER_A] and list(kernel.peers) == [bytes([8] * 32)]
    deleted = apply(kernel, 'deleted', peers=[{'public_key': PEER_B}])
    assert deleted['changed'] and kernel.peers == {}


def test_many_peers_go_in_one_bulk_and_read_back_whole(kernel):
    kernel.peers_per_message, kernel.ips_per_message = 50, 20
    peers = [{'public_key': wg.b64(struct.pack('>I', n) * 8),
              'allowed_ips': ['10.%d.%d.0/24' % (n // 256, n % 256), 'fd00:%x::/64' % n]} for n in range(1, 301)]
    assert apply(kernel, 'overridden', peers=peers)['changed'] and len(kernel.peers) == 300
    assert apply(kernel, 'overridden', peers=peers)['changed'] is False


def test_rendered_commands_carry_no_key_and_name_the_namespace(kernel):
    reader = wg.Reader(kernel, 'lab', 'wg0')
    result = wg.run(reader, 'rendered', {'private_key': base64.b64encode(PRIVATE).decode(), 'fwmark': 0x10},
                    [{'public_key': PEER_A, 'preshared_key': base64.b64encode(PSK).decode()}], False, False, False)
    assert result['rendered'] == ['ip netns exec lab wg set wg0 private-key /dev/stdin fwmark 16',
                                  'ip netns exec lab wg set wg0 peer %s preshared-key /dev/stdin' % PEER_A]
    assert not leaks(result) and kernel.requests == []


def test_replaced_removes_an_omitted_preshared_key_and_keepalive(kernel):
    apply(kernel, peers=[{'public_key': PEER_A, 'preshared_key': base64.b64encode(PSK).decode(),
                          'persistent_keepalive': 25}])
    result = apply(kernel, 'replaced', peers=[{'public_key': PEER_A}])
    assert result['commands'] == ['wg set wg0 peer %s preshared-key /dev/null persistent-keepalive off' % PEER_A]
    assert kernel.peers[bytes([7] * 32)]['psk'] == bytes(32) and not leaks(result)


def test_bad_peers_are_refused_before_anything_is_read(kernel):
    with pytest.raises(ValidationError, match=r'peers\[1\]\.endpoint'):
        apply(kernel, peers=[{'public_key': PEER_A}, {'public_key': PEER_B, 'endpoint': 'nowhere'}])
    apply(kernel, private_key=base64.b64encode(PRIVATE).decode())
    own = wg.b64(wg.public_key(PRIVATE))
    with pytest.raises(ValidationError, match=r'peers\[0\]\.public_key: is the public key of wg0 itself'):
        apply(kernel, peers=[{'public_key': own}])


def test_gathered_and_facts_show_keys_as_presence(kernel):
    apply(kernel, peers=[{'public_key': PEER_A, 'preshared_key': base64.b64encode(PSK).decode()}],
          private_key=base64.b64encode(PRIVATE).decode())
    gathered = wg.run(kernel.reader(), 'gathered', {}, None, False, False, False)['gathered']
    assert gathered['private_key_set'] is True and gathered['peers'][0]['preshared_key_set'] is True
    assert 'private_key' not in gathered and not leaks(gathered)


# -- parsed ----------------------------------------------------------------------------------------

def test_wg_show_dump_is_parsed_without_keys():
    private, psk = base64.b64encode(PRIVATE).decode(), base64.b64encode(PSK).decode()
    text = '\n'.join(['wg0\t%s\tPUB0\t51820\t0x10' % private,
                      'wg0\t%s\t%s\t[2001:db8::2]:51820\t10.0.0.0/24,2001:db8::/64\t0\t0\t0\t25' % (PEER_A, psk),
                      'wg0\t%s\t(none)\t(none)\t(none)\t0\t0\t0\toff' % PEER_B,
                      'wg1\t(none)\t(none)\t0\toff'])
    parsed = wg.parse(text)
    assert parsed == [
        {'name': 'wg0', 'public_key': 'PUB0', 'private_key_set': True, 'listen_port': 51820, 'fwmark': 16, 'peers': [
            {'public_key': PEER_A, 'preshared_key_set': True, 'endpoint': '[2001:db8::2]:51820',
             'allowed_ips': ['10.0.0.0/24', '2001:db8::/64'], 'persistent_keepalive': 25},
            {'public_key': PEER_B, 'preshared_key_set': False, 'endpoint': None, 'allowed_ips': [],
             'persistent_keepalive': 0}]},
        {'name': 'wg1', 'public_key': None, 'private_key_set': False, 'listen_port': 0, 'fwmark': 0, 'peers': []}]
    assert not leaks(parsed)
    with pytest.raises(ValidationError, match='line 1'):
        wg.parse('wg0\tx\ty\tnotaport\toff')

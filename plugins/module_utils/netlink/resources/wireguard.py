# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""WireGuard interfaces and their peers (generic netlink family wireguard, families/gen/wireguard.py).

Two resources over one dump: the interface (private key, listen port, fwmark) and its peers (identity: the
public key). Keys are held as ``Secret``: it compares by the key and reads as a marker, so what the engine
puts in results and diffs never holds one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import errno
import ipaddress
import os
import socket
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, genl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NETLINK_GENERIC, NETLINK_ROUTE, SEND_CHUNK, Connection)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Change, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import (
    NamespaceError, NetlinkError, ValidationError)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen import wireguard

KEY_LEN = wireguard.CONSTANTS['key-len']
# A set-device message carries at most this many allowed IPs: the largest (IPv6, 40 bytes encoded) times
# this, plus the peer's other attributes, stays under one bulk send chunk (SEND_CHUNK, 32 KiB), far below
# what netlink_sendmsg() refuses (the socket's send buffer); a peer with more goes in several messages.
ALLOWED_IPS_PER_MESSAGE = (SEND_CHUNK - 1024) // 40


# -- keys ------------------------------------------------------------------------------------------

P = 2 ** 255 - 19
A24 = 121665


def x25519(scalar, u_coordinate):
    """X25519(k, u) as RFC 7748 section 5 defines it (the Montgomery ladder), 32 bytes in and out.

    Python integers are not constant-time; this runs once per generated key, on the managed host.
    """
    k = bytearray(scalar)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    k = int.from_bytes(bytes(k), 'little')
    u = bytearray(u_coordinate)
    u[31] &= 127
    x1 = int.from_bytes(bytes(u), 'little') % P
    x2, z2, x3, z3, swap = 1, 0, x1, 1, 0
    for t in range(254, -1, -1):
        bit = (k >> t) & 1
        swap ^= bit
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a, b = x2 + z2, x2 - z2
        aa, bb = a * a % P, b * b % P
        e = aa - bb
        c, d = x3 + z3, x3 - z3
        da, cb = d * a % P, c * b % P
        x3, z3 = (da + cb) ** 2 % P, x1 * (da - cb) ** 2 % P
        x2, z2 = aa * bb % P, e * (aa + A24 * e) % P
    if swap:
        x2, z2 = x3, z3
    return (x2 * pow(z2, P - 2, P) % P).to_bytes(32, 'little')


def public_key(private):
    return x25519(private, (9).to_bytes(32, 'little'))


def generate_private_key():
    """A clamped Curve25519 private key, as `wg genkey` makes one."""
    key = bytearray(os.urandom(KEY_LEN))
    key[0] &= 248
    key[31] = (key[31] & 127) | 64
    return bytes(key)


def b64(key):
    return base64.b64encode(key).decode('ascii')


def key_bytes(text, option):
    """A base64 key as bytes; the message never repeats the value (it may be a secret)."""
    try:
        key = base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        key = b''
    if len(key) != KEY_LEN:
        raise ValidationError('%s: not a WireGuard key (expected base64 of %d bytes, 44 characters, as `wg genkey` '
                              'prints; the value is not shown)' % (option, KEY_LEN))
    return key


class Secret(str):
    """A key as the engine sees it: equal by the key, but its text is a marker: (set), (none) or (changed)."""

    def __new__(cls, key, marker=None):
        self = str.__new__(cls, marker or ('(set)' if any(key) else '(none)'))
        self.key = bytes(key)
        return self

    def __eq__(self, other):
        return isinstance(other, Secret) and self.key == other.key

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.key)

    def __reduce__(self):
        return (str, (str(self),))  # a copy keeps the marker, never the key


NO_KEY = Secret(bytes(KEY_LEN))


# -- values ----------------------------------------------------------------------------------------

def canonical_network(text, option):
    try:
        return str(ipaddress.ip_network(str(text), strict=False))
    except ValueError:
        raise ValidationError('%s: %r is not an IPv4 or IPv6 prefix (address/length)' % (option, text))


def network_order(text):
    network = ipaddress.ip_network(text)
    return (network.version, network.network_address.packed, network.prefixlen)


def canonical_endpoint(text, option='endpoint', resolve=True):
    """``host:port`` / ``[v6]:port`` as ``ip:port``; a host name is resolved here, as `wg` does."""
    text = str(text)
    host, sep, port = text.rpartition(':')
    if host.startswith('[') and host.endswith(']'):
        host = host[1:-1]
    elif ':' in host:
        sep = ''  # an unbracketed IPv6 address: the port is ambiguous
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValidationError('%s: %r is not host:port (an IPv6 address in brackets: [2001:db8::1]:51820; '
                              'port 1-65535)' % (option, text))
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not resolve:
            raise ValidationError('%s: %r is not an IP address' % (option, host))
        try:
            address = ipaddress.ip_address(socket.getaddrinfo(host, int(port), 0, socket.SOCK_DGRAM)[0][4][0])
        except (socket.gaierror, UnicodeError, ValueError) as exc:
            raise ValidationError('%s: cannot resolve %r: %s' % (option, host, exc))
    return ('[%s]:%s' if address.version == 6 else '%s:%s') % (address, int(port))


def sockaddr(endpoint):
    """An ``ip:port`` endpoint as the sockaddr_in / sockaddr_in6 the kernel takes."""
    host, _sep, port = endpoint.rpartition(':')
    address = ipaddress.ip_address(host.strip('[]'))
    if address.version == 4:
        return struct.pack('=H', socket.AF_INET) + struct.pack('!H4s8x', int(port), address.packed)
    return struct.pack('=H', socket.AF_INET6) + struct.pack('!HI16sI', int(port), 0, address.packed, 0)


def endpoint_text(raw):
    if len(raw) >= 8 and struct.unpack_from('=H', raw)[0] == socket.AF_INET:
        port, packed = struct.unpack_from('!H4s', raw, 2)
        return '%s:%d' % (ipaddress.IPv4Address(packed), port)
    if len(raw) >= 24 and struct.unpack_from('=H', raw)[0] == socket.AF_INET6:
        port, _flow, packed = struct.unpack_from('!HI16s', raw, 2)
        return '[%s]:%d' % (ipaddress.IPv6Address(packed), port)
    return None


def allowed_ip_attrs(text):
    network = ipaddress.ip_network(text)
    return {'family': socket.AF_INET if network.version == 4 else socket.AF_INET6,
            'ipaddr': network.network_address.packed, 'cidr-mask': network.prefixlen}


def allowed_ip_text(attrs):
    packed, cidr = attrs.get('ipaddr', b''), attrs.get('cidr-mask', 0)
    if attrs.get('family') == socket.AF_INET6 and len(packed) == 16:
        return '%s/%d' % (ipaddress.IPv6Address(packed), cidr)
    if len(packed) == 4:
        return '%s/%d' % (ipaddress.IPv4Address(packed), cidr)
    return None


def public_view(item):
    """An item as results, facts and gathered show it: keys as presence (``*_set``) only."""
    out = {}
    for name, value in item.items():
        if isinstance(value, Secret):
            out[name + '_set'] = value != NO_KEY
        elif name == 'peers':
            out[name] = [public_view(peer) for peer in value]
        else:
            out[name] = value
    return out


# -- reading ---------------------------------------------------------------------------------------

class Reader:
    """One interface's dump, shared by the interface and peer resources until something is written."""

    def __init__(self, conn, netns, name):
        self.conn, self.netns, self.name = conn, netns, name
        self.state = None

    def read(self):
        if self.state is None:
            self.state = read_device(self.conn, self.netns, self.name)
        return self.state

    def written(self):
        self.state = None


def read_device(conn, netns, name):
    """The interface as {'name', 'public_key', 'private_key', 'listen_port', 'fwmark', 'peers'}."""
    with genl.Genl(conn, wireguard) as wg:
        try:
            replies = wg.dump('get-device', {'ifname': name})
        except NetlinkError as exc:
            if exc.code in (errno.ENODEV, errno.EOPNOTSUPP):
                raise NetlinkError(exc.code, 'no WireGuard interface %s in %s: create it first (nlink.netlink.nl_link '
                                   'with kind: wireguard)' % (name, 'namespace %s' % netns if netns else 'this namespace'))
            raise
    return merge_replies(name, replies)


def merge_replies(name, replies):
    """The dump's messages as one interface; a peer whose allowed IPs go on in the next message is one peer."""
    device = {'name': name, 'public_key': None, 'private_key': NO_KEY, 'listen_port': 0, 'fwmark': 0, 'peers': []}
    peers = device['peers']
    for reply in replies:
        if 'private-key' in reply:
            device['private_key'] = Secret(reply['private-key'])
        if 'public-key' in reply:
            device['public_key'] = b64(reply['public-key']) if any(reply['public-key']) else None
        for ours, theirs in (('listen_port', 'listen-port'), ('fwmark', 'fwmark')):
            if theirs in reply:
                device[ours] = reply[theirs]
        for peer in reply.get('peers', []):
            key = b64(peer.get('public-key', b''))
            ips = [text for text in (allowed_ip_text(a) for a in peer.get('allowedips', [])) if text]
            if peers and peers[-1]['public_key'] == key:
                peers[-1]['allowed_ips'].extend(ips)
                continue
            raw = peer.get('endpoint')
            peers.append({'public_key': key, 'preshared_key': Secret(peer.get('preshared-key', bytes(KEY_LEN))),
                          'endpoint': endpoint_text(raw) if raw else None, 'allowed_ips': ips,
                          'persistent_keepalive': peer.get('persistent-keepalive-interval', 0)})
    for peer in peers:
        peer['allowed_ips'] = sorted(peer['allowed_ips'], key=network_order)
    return device


def command(resource, *words):
    prefix = ['ip', 'netns', 'exec', resource.netns] if resource.netns else []
    return ' '.join(prefix + ['wg', 'set', resource.reader.name] + [str(w) for w in words])


# -- the interface ---------------------------------------------------------------------------------

class Device(Resource):
    """The interface's own settings; it must exist (nl_link creates it) and is never created or deleted here."""

    protocol = NETLINK_GENERIC
    identity = ('name',)
    attributes = (Attribute('private_key'), Attribute('listen_port'), Attribute('fwmark', default=0))

    def __init__(self, reader, generate=False):
        super(Device, self).__init__(reader.conn, {'name': reader.name}, reader.netns)
        self.reader, self.generate = reader, generate

    def normalize(self, item):
        want = {'name': self.reader.name, 'listen_port': item.get('listen_port'), 'fwmark': item.get('fwmark')}
        if item.get('private_key') is not None:
            want['private_key'] = Secret(key_bytes(item['private_key'], 'private_key'))
        if want['listen_port'] is not None and not 0 < want['listen_port'] < 65536:
            raise ValidationError('listen_port: %r is not a port (1-65535)' % want['listen_port'])
        if want['fwmark'] is not None and not 0 <= want['fwmark'] < 2 ** 32:
            raise ValidationError('fwmark: %r is not a 32-bit mark (0 for none)' % want['fwmark'])
        return want

    def gather(self):
        device = dict(self.reader.read())
        device.pop('peers')
        self.have = device
        return [device]

    def order(self, changes):
        """A generated key where one is asked for and none is set; the public key the kernel will derive."""
        if self.generate and self.have['private_key'] == NO_KEY and not (changes and 'private_key' in changes[0].delta):
            key = Secret(generate_private_key())
            if not changes:
                changes.append(Change('update', self.key(self.have), self.have, dict(self.have)))
            changes[0].delta['private_key'] = changes[0].after['private_key'] = key
        for change in changes:
            if 'private_key' in change.delta:
                key = change.delta['private_key']
                change.after['public_key'] = b64(public_key(key.key)) if key != NO_KEY else None
                change.after['private_key'] = Secret(key.key, '(changed)' if change.before['private_key'] != NO_KEY
                                                     else None)
        return changes

    def apply(self, changes):
        delta = changes[0].delta
        values = {'ifname': self.reader.name}
        if 'private_key' in delta:
            values['private-key'] = delta['private_key'].key
        for ours, theirs in (('listen_port', 'listen-port'), ('fwmark', 'fwmark')):
            if ours in delta:
                values[theirs] = delta[ours]
        self.reader.written()
        with genl.Genl(self.conn, wireguard) as wg:
            return wg.bulk([('set-device', values, 0)])

    def render(self, change):
        words = []
        if 'private_key' in change.delta:
            words += ['private-key', '/dev/stdin' if change.delta['private_key'] != NO_KEY else '/dev/null']
        if 'listen_port' in change.delta:
            words += ['listen-port', change.delta['listen_port']]
        if 'fwmark' in change.delta:
            words += ['fwmark', change.delta['fwmark'] or 'off']
        return [command(self, *words)]


# -- the peers -------------------------------------------------------------------------------------

class Peers(Resource):
    """The interface's peers, by public key; ``overridden`` removes the unlisted ones (the scope: the interface)."""

    protocol = NETLINK_GENERIC
    identity = ('public_key',)
    options = dict(
        public_key=dict(type='str', required=True),
        preshared_key=dict(type='str', no_log=True),
        endpoint=dict(type='str'),
        allowed_ips=dict(type='list', elements='str'),
        persistent_keepalive=dict(type='int'),
    )

    def __init__(self, reader):
        super(Peers, self).__init__(reader.conn, {'name': reader.name}, reader.netns)
        self.reader, self.adding = reader, True

    def check_request(self, state, wants):
        super(Peers, self).check_request(state, wants)
        # merged (and rendered, its plan) adds allowed IPs as `wg addconf` does; replaced and overridden set
        # exactly the given ones, as `wg syncconf` does
        self.adding = state in ('merged', 'rendered')
        self.attributes = (
            Attribute('preshared_key', default=NO_KEY),
            Attribute('endpoint'),
            Attribute('allowed_ips', default=[], equal=(lambda want, have: set(want) <= set(have))
                      if self.adding else None),
            Attribute('persistent_keepalive', default=0),
        )

    def normalize(self, item):
        want = {'public_key': b64(key_bytes(item.get('public_key'), 'public_key')),
                'preshared_key': None, 'endpoint': None, 'allowed_ips': None,
                'persistent_keepalive': item.get('persistent_keepalive')}
        if item.get('preshared_key') is not None:
            want['preshared_key'] = Secret(key_bytes(item['preshared_key'], 'preshared_key'))
        if item.get('endpoint') is not None:
            want['endpoint'] = canonical_endpoint(item['endpoint'])
        if item.get('allowed_ips') is not None:
            ips = set(canonical_network(text, 'allowed_ips') for text in item['allowed_ips'])
            want['allowed_ips'] = sorted(ips, key=network_order)
        keepalive = want['persistent_keepalive']
        if keepalive is not None and not 0 <= keepalive < 65536:
            raise ValidationError('persistent_keepalive: %r is not 0 (off) to 65535 seconds' % keepalive)
        return want

    def gather(self):
        return self.reader.read()['peers']

    def order(self, changes):
        for change in changes:
            if change.op != 'update':
                continue
            if self.adding and 'allowed_ips' in change.delta:
                have = set(change.before['allowed_ips'])
                change.delta['allowed_ips'] = [ip for ip in change.delta['allowed_ips'] if ip not in have]
                change.after['allowed_ips'] = sorted(have | set(change.delta['allowed_ips']), key=network_order)
            keys = (change.before['preshared_key'], change.delta.get('preshared_key', NO_KEY))
            if NO_KEY not in keys:  # one key replaced by another: marked, since both read (set)
                change.after['preshared_key'] = Secret(change.delta['preshared_key'].key, '(changed)')
        return changes

    def messages(self, change):
        """The change as set-device values: one message, more when its allowed IPs do not fit in one."""
        key = base64.b64decode(change.key[0])
        if change.op == 'delete':
            return [{'ifname': self.reader.name, 'peers': [{'public-key': key, 'flags': ['remove-me']}]}]
        delta = change.delta
        peer = {'public-key': key}
        if 'preshared_key' in delta:
            peer['preshared-key'] = delta['preshared_key'].key
        if 'endpoint' in delta:
            peer['endpoint'] = sockaddr(delta['endpoint'])
        if 'persistent_keepalive' in delta:
            peer['persistent-keepalive-interval'] = delta['persistent_keepalive']
        ips = [allowed_ip_attrs(ip) for ip in delta.get('allowed_ips', [])]
        if 'allowed_ips' in delta and change.op == 'update' and not self.adding:
            peer['flags'] = ['replace-allowedips']
        out = []
        for start in range(0, max(len(ips), 1), ALLOWED_IPS_PER_MESSAGE):
            part = dict(peer) if start == 0 else {'public-key': key}
            if ips:
                part['allowedips'] = ips[start:start + ALLOWED_IPS_PER_MESSAGE]
            out.append({'ifname': self.reader.name, 'peers': [part]})
        return out

    def apply(self, changes):
        requests, owners = [], []
        for index, change in enumerate(changes):
            for values in self.messages(change):
                requests.append(('set-device', values, 0))
                owners.append(index)
        errors = {}
        self.reader.written()
        with genl.Genl(self.conn, wireguard) as wg:
            for position, error in wg.bulk(requests).items():
                errors.setdefault(owners[position], error)
        return errors

    def render(self, change):
        if change.op == 'delete':
            return [command(self, 'peer', change.key[0], 'remove')]
        words, delta = ['peer', change.key[0]], change.delta
        if 'preshared_key' in delta:
            words += ['preshared-key', '/dev/stdin' if delta['preshared_key'] != NO_KEY else '/dev/null']
        if 'endpoint' in delta:
            words += ['endpoint', delta['endpoint']]
        if 'persistent_keepalive' in delta:
            words += ['persistent-keepalive', delta['persistent_keepalive'] or 'off']
        if 'allowed_ips' in delta:
            words += ['allowed-ips', ','.join(change.after['allowed_ips']) or '""']
        return [command(self, *words)]


# -- the module's run ------------------------------------------------------------------------------

def run(reader, state, device_item, peer_items, generate, check_mode, diff_mode):
    """The interface, then its peers, through the engine; one result.

    ``peer_items`` None: peers not managed (except by ``overridden``, which then removes them all).
    """
    state = engine.STATE_ALIASES.get(state, state)
    device, peers = Device(reader, generate), Peers(reader)
    if state == 'gathered':
        if reader.name is None:
            return {'changed': False, 'gathered': WireguardFacts(reader.conn, {}, reader.netns).gather()}
        return {'changed': False, 'gathered': public_view(reader.read())}
    # everything is validated before anything is read or written
    device_want = device.normalize(device_item) if state != 'deleted' else None
    wants = []
    for index, item in enumerate(peer_items or []):
        try:
            wants.append(peers.normalize(item))
        except ValidationError as exc:
            raise ValidationError('peers[%d].%s' % (index, exc))
    own = b64(public_key(device_want['private_key'].key)) if device_want and device_want.get('private_key') \
        else reader.read()['public_key']
    for index, want in enumerate(wants):
        if want['public_key'] == own:
            raise ValidationError('peers[%d].public_key: is the public key of %s itself (the kernel would ignore the '
                                  'peer)' % (index, reader.name))
    parts = []
    if device_want is not None:
        device_state = 'replaced' if state == 'overridden' else state
        parts.append(('interface', engine.run(device, device_state, [device_want], check_mode, diff_mode)))
    if peer_items is not None or state == 'overridden':
        peers.check_request(state, wants)
        parts.append(('peers', engine.run(peers, state, wants, check_mode, diff_mode)))
    return combine(state, parts)


def combine(state, parts):
    if state == 'rendered':
        return {'changed': False, 'rendered': [c for _name, part in parts for c in part['rendered'] if c]}
    result = engine.combine(parts, singles=('interface',), view=public_view)
    if result['after'].get('interface'):
        result['public_key'] = result['after']['interface']['public_key']
    return result


def execute(module):
    """nl_wireguard's whole run, on an AnsibleModule with its argument spec."""
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import module as common
    params = module.params
    try:
        if params['state'] == 'parsed':
            module.exit_json(changed=False, parsed=parse(params['running_config']))
        peer_items = params['peers'] if params['peers'] is not None else params['config']
        if params['src']:
            try:
                raw = common._load_src(params['src'])
            except (OSError, ValueError) as exc:
                module.fail_json(msg='cannot read src: %s' % exc, changed=False)
            peer_items, validator = [], common.item_validator(Peers)
            for index, item in enumerate(raw):
                checked = validator.validate(common.given(item) if isinstance(item, dict) else {'public_key': item})
                if checked.error_messages:
                    module.fail_json(msg='src[%d]: %s' % (index, '; '.join(common._readable(checked))), changed=False)
                peer_items.append(checked.validated_parameters)
        device_item = dict((name, params[name]) for name in ('private_key', 'listen_port', 'fwmark'))
        with Connection(NETLINK_GENERIC, params['netns']) as conn:
            reader = Reader(conn, params['netns'], params['name'])
            result = run(reader, params['state'], device_item, peer_items, params['generate_private_key'],
                         module.check_mode, module._diff)
    except (ValidationError, NamespaceError) as exc:
        module.fail_json(msg=str(exc), changed=False)
    except NetlinkError as exc:
        module.fail_json(msg=str(exc), changed=False, errno=exc.errno_name, ext_ack=exc.ext_ack,
                         attribute=exc.attribute)
    if 'msg' in result:
        module.fail_json(**result)
    module.exit_json(**result)


# -- facts and parsed ------------------------------------------------------------------------------

class WireguardFacts(Resource):
    """nl_facts' ``wireguard`` subset: every WireGuard interface, keys as presence only."""

    def gather(self):
        """[] on a kernel without WireGuard (gather_subset=all must work there too)."""
        with genl.Genl(self.conn, wireguard) as wg:
            try:
                wg.resolve()
            except NetlinkError as exc:
                if exc.code == errno.ENOENT:
                    return []
                raise
            return [public_view(read_device(wg.conn, self.netns, name)) for name in wireguard_links(self.conn)]


def wireguard_links(conn):
    """Names of the WireGuard links in the connection's namespace (any protocol: rtnetlink is opened here)."""
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
    request = ifinfmsg()
    request['attrs'] = [('IFLA_LINKINFO', {'attrs': [('IFLA_INFO_KIND', 'wireguard')]})]
    if conn.protocol == NETLINK_ROUTE:
        links = conn.dump(request, rtnl.RTM_GETLINK, ifinfmsg)
    else:
        with Connection(NETLINK_ROUTE, conn.netns) as route:
            links = route.dump(request, rtnl.RTM_GETLINK, ifinfmsg)
    names = []
    for msg in links:
        info = msg.get_attr('IFLA_LINKINFO')
        if info is not None and info.get_attr('IFLA_INFO_KIND') == 'wireguard':
            names.append(msg.get_attr('IFLA_IFNAME'))
    return sorted(names)


def parse(text):
    """`wg show all dump` (or `wg show IFACE dump`) as interfaces in the facts' shape; keys only as presence."""
    interfaces, current = [], {}
    for number, line in enumerate((text or '').splitlines(), 1):
        try:
            current = parse_line(interfaces, current, number, line)
        except ValueError:
            raise ValidationError('running_config line %d: not what `wg show all dump` prints' % number)
    return interfaces


def parse_line(interfaces, current, number, line):
    """Add one dump line to ``interfaces``; the interface the next peer line belongs to."""
    fields = line.rstrip('\n').split('\t')
    if not line.strip():
        return current
    named = len(fields) in (5, 9)
    if not named and len(fields) not in (4, 8):
        raise ValidationError('running_config line %d: %d tab-separated fields; `wg show all dump` prints 5 '
                              '(interface) or 9 (peer)' % (number, len(fields)))
    name = fields.pop(0) if named else None
    if len(fields) == 4:
        current = {'name': name, 'public_key': none(fields[1]), 'private_key_set': fields[0] != '(none)',
                   'listen_port': int(fields[2]), 'fwmark': 0 if fields[3] == 'off' else int(fields[3], 0),
                   'peers': []}
        interfaces.append(current)
        return current
    if not interfaces or (named and current['name'] != name):
        raise ValidationError('running_config line %d: a peer before its interface' % number)
    current['peers'].append({
        'public_key': fields[0], 'preshared_key_set': fields[1] != '(none)', 'endpoint': none(fields[2]),
        'allowed_ips': sorted((canonical_network(ip, 'allowed_ips') for ip in fields[3].split(',') if ip != '(none)'),
                              key=network_order),
        'persistent_keepalive': 0 if fields[7] == 'off' else int(fields[7])})
    return current


def none(text):
    return None if text == '(none)' else text

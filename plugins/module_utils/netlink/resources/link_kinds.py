# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each link kind's sub-dictionary holds: option -> attribute of IFLA_INFO_DATA, type, doc.

This table is the one source for nl_link's kind options: the argument spec is built from it and
``tools/link_docs.py`` writes the module documentation from it. Values follow linux/if_link.h (kernel
UAPI); attribute names are those of pyroute2's classes, which encode them (its IFLA_IPIP_* are the
UAPI's IFLA_IPTUN_*).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class Option:
    """One kind option. ``nla`` is an attribute name, or (IPv4 name, IPv6 name) for an address.

    ``values`` maps the user's names to the kernel's numbers; ``create_only`` options cannot change
    once the link exists (the kernel refuses or ignores it).
    """

    def __init__(self, name, nla, kind, doc, values=None, create_only=False, word=None, read=None, aliases=None):
        self.name = name
        self.read = read  # (attribute, function): where the kernel reports it, when not in ``nla``
        self.aliases = aliases or {}  # other numbers the kernel reports for a value
        self.word = word  # iproute2's keyword, where it differs from the option name
        self.nla = nla
        self.type = kind
        self.doc = doc
        self.values = values
        self.create_only = create_only

    def spec(self):
        if self.values:
            return dict(type='str', choices=sorted(self.values))
        spec = dict(type={'bool': 'bool', 'int': 'int'}.get(self.type, 'str'))
        if self.name.endswith('key'):
            spec['no_log'] = False  # GRE/VTI keys travel in clear in every packet: identifiers, not secrets
        return spec


class Kind:
    """A link kind: its options, and where its lower device goes (IFLA_LINK or an attribute of its own)."""

    def __init__(self, doc, options=(), lower=None, netlink_create=True, bools='number'):
        self.doc = doc
        self.bools = bools  # how iproute2 writes a boolean: 'number' (1/0), 'flag' (x/nox), 'onoff'
        self.options = options
        self.lower = lower
        self.netlink_create = netlink_create


def _tunnel(prefix, v6=False, keys=False, extra=()):
    addr = 'ip6' if v6 else 'ip4'
    options = [
        Option('local', prefix + '_LOCAL', addr, 'Local endpoint address.', create_only=False),
        Option('remote', prefix + '_REMOTE', addr, 'Remote endpoint address.'),
    ]
    if keys:
        options += [Option('ikey', prefix + '_IKEY', 'int', 'Input key.'),
                    Option('okey', prefix + '_OKEY', 'int', 'Output key.')]
    return tuple(options) + tuple(extra)


def _ttl_tos(prefix):
    return (Option('ttl', prefix + '_TTL', 'int', 'TTL of the outer header; 0 inherits.'),
            Option('tos', prefix + '_TOS', 'int', 'TOS of the outer header; 1 inherits.'))


def _sci_port(sci):
    """The port of a secure channel identifier: its last two bytes in network order (MAC + port)."""
    return int.from_bytes(sci.to_bytes(8, 'little')[6:8], 'big')


MACVLAN_MODES = {'private': 1, 'vepa': 2, 'bridge': 4, 'passthru': 8, 'source': 16}
BOND_MODES = {'balance-rr': 0, 'active-backup': 1, 'balance-xor': 2, 'broadcast': 3, '802.3ad': 4,
              'balance-tlb': 5, 'balance-alb': 6}
BOND_HASH = {'layer2': 0, 'layer3+4': 1, 'layer2+3': 2, 'encap2+3': 3, 'encap3+4': 4, 'vlan+srcmac': 5}
VLAN_PROTOCOLS = {'802.1Q': 0x8100, '802.1ad': 0x88a8}

KINDS = {
    'veth': Kind('A pair of connected virtual Ethernet devices.', (
        Option('peer', 'VETH_INFO_PEER', 'str', 'Name of the other end, created with this one.', create_only=True),
    )),
    'bridge': Kind('An Ethernet bridge.', (
        Option('stp_state', 'IFLA_BR_STP_STATE', 'bool', 'Spanning tree protocol on the bridge.'),
        Option('forward_delay', 'IFLA_BR_FORWARD_DELAY', 'int', 'STP forward delay, in hundredths of a second.'),
        Option('hello_time', 'IFLA_BR_HELLO_TIME', 'int', 'STP hello time, in hundredths of a second.'),
        Option('max_age', 'IFLA_BR_MAX_AGE', 'int', 'STP maximum message age, in hundredths of a second.'),
        Option('ageing_time', 'IFLA_BR_AGEING_TIME', 'int', 'FDB entry ageing time, in hundredths of a second.'),
        Option('priority', 'IFLA_BR_PRIORITY', 'int', 'STP bridge priority.'),
        Option('vlan_filtering', 'IFLA_BR_VLAN_FILTERING', 'bool', 'VLAN filtering on the bridge ports.'),
        Option('vlan_protocol', 'IFLA_BR_VLAN_PROTOCOL', 'enum', 'VLAN protocol of VLAN filtering.',
               values=VLAN_PROTOCOLS),
        Option('vlan_default_pvid', 'IFLA_BR_VLAN_DEFAULT_PVID', 'int', 'PVID given to new ports.'),
        Option('group_fwd_mask', 'IFLA_BR_GROUP_FWD_MASK', 'int', 'Link-local groups the bridge forwards.'),
        Option('mcast_snooping', 'IFLA_BR_MCAST_SNOOPING', 'bool', 'Multicast (IGMP/MLD) snooping.'),
        Option('mcast_querier', 'IFLA_BR_MCAST_QUERIER', 'bool', 'The bridge acts as multicast querier.'),
    )),
    'vxlan': Kind('A VXLAN tunnel endpoint.', (
        Option('id', 'IFLA_VXLAN_ID', 'int', 'VXLAN network identifier (VNI).', create_only=True),
        Option('remote', ('IFLA_VXLAN_GROUP', 'IFLA_VXLAN_GROUP6'), 'ip', 'Unicast remote endpoint.'),
        Option('local', ('IFLA_VXLAN_LOCAL', 'IFLA_VXLAN_LOCAL6'), 'ip', 'Local source address.'),
        Option('dstport', 'IFLA_VXLAN_PORT', 'int', 'UDP destination port (the kernel defaults to 8472).',
               create_only=True),
        Option('ttl', 'IFLA_VXLAN_TTL', 'int', 'TTL of the outer header; 0 inherits.'),
        Option('tos', 'IFLA_VXLAN_TOS', 'int', 'TOS of the outer header; 1 inherits.'),
        Option('learning', 'IFLA_VXLAN_LEARNING', 'bool', 'Learn remote MAC addresses into the FDB.'),
        Option('ageing', 'IFLA_VXLAN_AGEING', 'int', 'FDB entry lifetime in seconds.'),
        Option('udpcsum', 'IFLA_VXLAN_UDP_CSUM', 'bool', 'UDP checksums over IPv4.', create_only=True),
        Option('external', 'IFLA_VXLAN_COLLECT_METADATA', 'bool', 'Metadata (collect_md) mode.',
               create_only=True),
    ), lower='IFLA_VXLAN_LINK', bools='flag'),
    'macvlan': Kind('A MAC-based virtual device on top of O(link).', (
        Option('mode', 'IFLA_MACVLAN_MODE', 'enum', 'How macvlan devices on one lower device talk.',
               values=MACVLAN_MODES),
    )),
    'macvtap': Kind('A macvlan with a tap character device.', (
        Option('mode', 'IFLA_MACVTAP_MODE', 'enum', 'How macvtap devices on one lower device talk.',
               values=MACVLAN_MODES),
    )),
    'ifb': Kind('An intermediate functional block device, for ingress shaping.'),
    'tun': Kind('A layer-3 tun device (persistent), made with the tun character device.', (
        Option('owner', 'IFLA_TUN_OWNER', 'int', 'User id allowed to attach.', create_only=True),
        Option('group', 'IFLA_TUN_GROUP', 'int', 'Group id allowed to attach.', create_only=True),
        Option('pi', 'IFLA_TUN_PI', 'bool', 'Packet information header on packets.', create_only=True),
        Option('vnet_hdr', 'IFLA_TUN_VNET_HDR', 'bool', 'virtio-net header on packets.', create_only=True),
        Option('multi_queue', 'IFLA_TUN_MULTI_QUEUE', 'bool', 'Multiple queues.', create_only=True),
    ), netlink_create=False),
    'dummy': Kind('A dummy device that drops what it is sent.'),
    'nlmon': Kind('A netlink monitor device.'),
    'wireguard': Kind('A WireGuard interface (keys and peers: nlink.netlink.nl_wireguard).'),
    'team': Kind('A team device (ports and runner: the team generic netlink family).'),
    'bond': Kind('A bonding device.', (
        Option('mode', 'IFLA_BOND_MODE', 'enum', 'Bonding mode.', values=BOND_MODES),
        Option('miimon', 'IFLA_BOND_MIIMON', 'int', 'MII link monitoring interval, ms.'),
        Option('updelay', 'IFLA_BOND_UPDELAY', 'int', 'Delay before enabling a port that came up, ms.'),
        Option('downdelay', 'IFLA_BOND_DOWNDELAY', 'int', 'Delay before disabling a port that went down, ms.'),
        Option('arp_interval', 'IFLA_BOND_ARP_INTERVAL', 'int', 'ARP monitoring interval, ms.'),
        Option('min_links', 'IFLA_BOND_MIN_LINKS', 'int', 'Ports that must be up for carrier.'),
        Option('xmit_hash_policy', 'IFLA_BOND_XMIT_HASH_POLICY', 'enum', 'Transmit hash policy.',
               values=BOND_HASH),
        Option('lacp_rate', 'IFLA_BOND_AD_LACP_RATE', 'enum', 'LACPDU rate in 802.3ad mode.',
               values={'slow': 0, 'fast': 1}),
        Option('all_slaves_active', 'IFLA_BOND_ALL_SLAVES_ACTIVE', 'bool', 'Deliver frames on inactive ports.'),
    )),
    'vlan': Kind('An 802.1Q/802.1ad VLAN device on top of O(link).', (
        Option('id', 'IFLA_VLAN_ID', 'int', 'VLAN id (1-4094).'),
        Option('protocol', 'IFLA_VLAN_PROTOCOL', 'enum', 'VLAN protocol.', values=VLAN_PROTOCOLS,
               create_only=True),
    )),
    'vrf': Kind('A VRF (layer-3 master device).', (
        Option('table', 'IFLA_VRF_TABLE', 'int', 'Routing table of the VRF.', create_only=True),
    )),
    'gre': Kind('A GRE tunnel over IPv4.', _tunnel('IFLA_GRE', keys=True, extra=_ttl_tos('IFLA_GRE')),
                lower='IFLA_GRE_LINK'),
    'gretap': Kind('An Ethernet-over-GRE tunnel over IPv4.',
                   _tunnel('IFLA_GRE', keys=True, extra=_ttl_tos('IFLA_GRE')), lower='IFLA_GRE_LINK'),
    'ip6gre': Kind('A GRE tunnel over IPv6.', _tunnel('IFLA_GRE', v6=True, keys=True), lower='IFLA_GRE_LINK'),
    'ip6gretap': Kind('An Ethernet-over-GRE tunnel over IPv6.', _tunnel('IFLA_GRE', v6=True, keys=True),
                      lower='IFLA_GRE_LINK'),
    'ipip': Kind('An IPv4-in-IPv4 tunnel.', _tunnel('IFLA_IPIP', extra=_ttl_tos('IFLA_IPIP')),
                 lower='IFLA_IPIP_LINK'),
    'sit': Kind('An IPv6-in-IPv4 tunnel.', _tunnel('IFLA_IPIP', extra=_ttl_tos('IFLA_IPIP')),
                lower='IFLA_IPIP_LINK'),
    'ip6tnl': Kind('An IPv4/IPv6-over-IPv6 tunnel.', _tunnel('IFLA_IP6TNL', v6=True, extra=(
        Option('ttl', 'IFLA_IP6TNL_TTL', 'int', 'Hop limit of the outer header.'),
        Option('mode', 'IFLA_IP6TNL_PROTO', 'enum', 'Inner protocol.',
               values={'any': 0, 'ipip6': 4, 'ip6ip6': 41}),
    )), lower='IFLA_IP6TNL_LINK'),
    'vti': Kind('An IPsec virtual tunnel interface over IPv4.', _tunnel('IFLA_VTI', keys=True),
                lower='IFLA_VTI_LINK'),
    'vti6': Kind('An IPsec virtual tunnel interface over IPv6.', _tunnel('IFLA_VTI', v6=True, keys=True),
                 lower='IFLA_VTI_LINK'),
    'geneve': Kind('A Geneve tunnel endpoint.', (
        Option('id', 'IFLA_GENEVE_ID', 'int', 'Virtual network identifier.', create_only=True),
        Option('remote', ('IFLA_GENEVE_REMOTE', 'IFLA_GENEVE_REMOTE6'), 'ip', 'Remote endpoint.',
               create_only=True),
        Option('ttl', 'IFLA_GENEVE_TTL', 'int', 'TTL of the outer header; 0 inherits.'),
        Option('tos', 'IFLA_GENEVE_TOS', 'int', 'TOS of the outer header; 1 inherits.'),
        Option('dstport', 'IFLA_GENEVE_PORT', 'int', 'UDP destination port (default 6081).', create_only=True),
    )),
    'ipvlan': Kind('An IP-based virtual device on top of O(link).', (
        Option('mode', 'IFLA_IPVLAN_MODE', 'enum', 'Layer the devices work at.',
               values={'l2': 0, 'l3': 1, 'l3s': 2}),
    )),
    'macsec': Kind('A MACsec device on top of O(link) (secure associations and keys: a separate module).', (
        Option('port', 'IFLA_MACSEC_PORT', 'int', 'Port number of the secure channel identifier.',
               create_only=True, read=('IFLA_MACSEC_SCI', _sci_port)),
        Option('icv_len', 'IFLA_MACSEC_ICV_LEN', 'int', 'Length of the integrity check value.', word='icvlen'),
        Option('cipher', 'IFLA_MACSEC_CIPHER_SUITE', 'enum', 'Cipher suite.',
               values={'gcm-aes-128': 0x0080C20001000001, 'gcm-aes-256': 0x0080C20001000002,
                       'gcm-aes-xpn-128': 0x0080C20001000003, 'gcm-aes-xpn-256': 0x0080C20001000004},
               aliases={0x0080020001000001: 'gcm-aes-128'}),  # MACSEC_DEFAULT_CIPHER_ID
        Option('encrypt', 'IFLA_MACSEC_ENCRYPT', 'bool', 'Encrypt (not only authenticate) frames.'),
        Option('protect', 'IFLA_MACSEC_PROTECT', 'bool', 'Protect transmitted frames.'),
        Option('replay_protect', 'IFLA_MACSEC_REPLAY_PROTECT', 'bool', 'Drop replayed frames.', word='replay'),
        Option('window', 'IFLA_MACSEC_WINDOW', 'int', 'Replay protection window.'),
        Option('encoding_sa', 'IFLA_MACSEC_ENCODING_SA', 'int', 'Active transmit secure association (0-3).',
               word='encodingsa'),
        Option('validate', 'IFLA_MACSEC_VALIDATION', 'enum', 'Validation of received frames.',
               values={'disabled': 0, 'check': 1, 'strict': 2}),
    ), bools='onoff'),
    'netkit': Kind('A netkit device pair for BPF programs (kernel 6.7 and later).', (
        Option('peer', 'IFLA_NETKIT_PEER_INFO', 'str', 'Name of the peer device.', create_only=True),
        Option('mode', 'IFLA_NETKIT_MODE', 'enum', 'Layer of the pair.', values={'l3': 0, 'l2': 1},
               create_only=True),
        Option('policy', 'IFLA_NETKIT_POLICY', 'enum', 'Default verdict of the primary device.',
               values={'forward': 0, 'blackhole': 2}),
        Option('peer_policy', 'IFLA_NETKIT_PEER_POLICY', 'enum', 'Default verdict of the peer device.',
               values={'forward': 0, 'blackhole': 2}),
    )),
    'xfrm': Kind('An XFRM (IPsec) interface.', (
        Option('if_id', 'IFLA_XFRM_IF_ID', 'int', 'XFRM interface id matched by states and policies.',
               create_only=True),
    ), lower='IFLA_XFRM_LINK'),
}
KINDS['tap'] = Kind('A layer-2 tap device (persistent), made with the tun character device.',
                    KINDS['tun'].options, netlink_create=False)

# Options of a port of a bridge (IFLA_INFO_SLAVE_DATA), the sub-dictionary bridge_port.
BRIDGE_PORT = (
    Option('priority', 'IFLA_BRPORT_PRIORITY', 'int', 'STP port priority.'),
    Option('cost', 'IFLA_BRPORT_COST', 'int', 'STP path cost.'),
    Option('learning', 'IFLA_BRPORT_LEARNING', 'bool', 'Learn source MAC addresses.'),
    Option('flood', 'IFLA_BRPORT_UNICAST_FLOOD', 'bool', 'Flood unknown unicast to this port.'),
    Option('mcast_flood', 'IFLA_BRPORT_MCAST_FLOOD', 'bool', 'Flood unknown multicast to this port.'),
    Option('bcast_flood', 'IFLA_BRPORT_BCAST_FLOOD', 'bool', 'Flood broadcast to this port.'),
    Option('hairpin', 'IFLA_BRPORT_MODE', 'bool', 'Send frames back out of the port they came in on.'),
    Option('guard', 'IFLA_BRPORT_GUARD', 'bool', 'Block STP BPDUs received on the port.'),
    Option('root_block', 'IFLA_BRPORT_PROTECT', 'bool', 'Never let the port become root port.'),
    Option('fastleave', 'IFLA_BRPORT_FAST_LEAVE', 'bool', 'Leave multicast groups at once on IGMP leave.'),
    Option('proxy_arp', 'IFLA_BRPORT_PROXYARP', 'bool', 'Answer ARP from the bridge FDB.'),
    Option('neigh_suppress', 'IFLA_BRPORT_NEIGH_SUPPRESS', 'bool', 'Suppress ARP/ND with known answers.'),
    Option('isolated', 'IFLA_BRPORT_ISOLATED', 'bool', 'Isolated ports only talk to non-isolated ones.'),
)

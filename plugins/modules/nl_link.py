#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_link
short_description: Manage network links (interfaces) of every kind over netlink
version_added: 0.1.0
description:
  - Creates, changes and deletes network links - veth pairs, bridges and their ports, VXLAN, macvlan,
    macvtap, ifb, tun/tap, dummy, bonds, VLANs, VRFs, GRE and IP tunnels, Geneve, ipvlan, MACsec,
    WireGuard, team, netkit, XFRM - the way C(ip link) does, idempotently.
  - A link is identified by its O(name). Physical devices and C(lo) can be changed but are never created
    or removed.
  - With O(config), the top-level O(kind) and O(group) are the scope - O(state=overridden) removes the
    virtual links of that kind and group that are not listed (a listed veth's peer counts as listed).
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  name:
    description: Name of the link (1-15 characters).
    type: str
  kind:
    description:
      - The kind of link; needed to create one. The kind of an existing link cannot change.
      - At the top level with O(config), part of the purge scope.
    type: str
    choices: [bond, bridge, dummy, geneve, gre, gretap, ifb, ip6gre, ip6gretap, ip6tnl, ipip, ipvlan, macsec,
              macvlan, macvtap, netkit, nlmon, sit, tap, team, tun, veth, vlan, vrf, vti, vti6, vxlan, wireguard, xfrm]
  admin_state:
    description: Administrative state. Not reset by O(state=replaced).
    type: str
    choices: [up, down]
  mtu:
    description: MTU in bytes.
    type: int
  address:
    description: Link-layer (MAC) address, C(02:00:00:00:00:01).
    type: str
  txqlen:
    description: Transmit queue length.
    type: int
  master:
    description: The bridge, bond, team or VRF this link is a port of; an empty string detaches it.
    type: str
  alias:
    description: Free-text alias (C(ifalias)); an empty string removes it.
    type: str
  altnames:
    description: The complete list of alternative names.
    type: list
    elements: str
  group:
    description:
      - Link group number (0 is C(default)).
      - At the top level with O(config), part of the purge scope.
    type: int
  link:
    description: The lower device of a vlan, macvlan, macvtap, ipvlan, macsec, vxlan, tunnel or XFRM link.
    type: str
  target_netns:
    description:
      - Move the link into this named network namespace. A link already there counts as moved.
    type: str
  # BEGIN kind options (tools/link_docs.py)
  bond:
    description:
      - "Options of a O(kind=bond) link. A bonding device."
    type: dict
    suboptions:
      mode:
        description:
          - "Bonding mode."
        type: str
        choices: ['802.3ad', 'active-backup', 'balance-alb', 'balance-rr', 'balance-tlb', 'balance-xor', 'broadcast']
      miimon:
        description:
          - "MII link monitoring interval, ms."
        type: int
      updelay:
        description:
          - "Delay before enabling a port that came up, ms."
        type: int
      downdelay:
        description:
          - "Delay before disabling a port that went down, ms."
        type: int
      arp_interval:
        description:
          - "ARP monitoring interval, ms."
        type: int
      min_links:
        description:
          - "Ports that must be up for carrier."
        type: int
      xmit_hash_policy:
        description:
          - "Transmit hash policy."
        type: str
        choices: ['encap2+3', 'encap3+4', 'layer2', 'layer2+3', 'layer3+4', 'vlan+srcmac']
      lacp_rate:
        description:
          - "LACPDU rate in 802.3ad mode."
        type: str
        choices: ['fast', 'slow']
      all_slaves_active:
        description:
          - "Deliver frames on inactive ports."
        type: bool
  bridge:
    description:
      - "Options of a O(kind=bridge) link. An Ethernet bridge."
    type: dict
    suboptions:
      stp_state:
        description:
          - "Spanning tree protocol on the bridge."
        type: bool
      forward_delay:
        description:
          - "STP forward delay, in hundredths of a second."
        type: int
      hello_time:
        description:
          - "STP hello time, in hundredths of a second."
        type: int
      max_age:
        description:
          - "STP maximum message age, in hundredths of a second."
        type: int
      ageing_time:
        description:
          - "FDB entry ageing time, in hundredths of a second."
        type: int
      priority:
        description:
          - "STP bridge priority."
        type: int
      vlan_filtering:
        description:
          - "VLAN filtering on the bridge ports."
        type: bool
      vlan_protocol:
        description:
          - "VLAN protocol of VLAN filtering."
        type: str
        choices: ['802.1Q', '802.1ad']
      vlan_default_pvid:
        description:
          - "PVID given to new ports."
        type: int
      group_fwd_mask:
        description:
          - "Link-local groups the bridge forwards."
        type: int
      mcast_snooping:
        description:
          - "Multicast (IGMP/MLD) snooping."
        type: bool
      mcast_querier:
        description:
          - "The bridge acts as multicast querier."
        type: bool
  geneve:
    description:
      - "Options of a O(kind=geneve) link. A Geneve tunnel endpoint."
    type: dict
    suboptions:
      id:
        description:
          - "Virtual network identifier."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      remote:
        description:
          - "Remote endpoint."
          - Set when the link is created; the kernel does not change it afterwards.
        type: str
      ttl:
        description:
          - "TTL of the outer header; 0 inherits."
        type: int
      tos:
        description:
          - "TOS of the outer header; 1 inherits."
        type: int
      dstport:
        description:
          - "UDP destination port (default 6081)."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
  gre:
    description:
      - "Options of a O(kind=gre) link. A GRE tunnel over IPv4."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ikey:
        description:
          - "Input key."
        type: int
      okey:
        description:
          - "Output key."
        type: int
      ttl:
        description:
          - "TTL of the outer header; 0 inherits."
        type: int
      tos:
        description:
          - "TOS of the outer header; 1 inherits."
        type: int
  gretap:
    description:
      - "Options of a O(kind=gretap) link. An Ethernet-over-GRE tunnel over IPv4."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ikey:
        description:
          - "Input key."
        type: int
      okey:
        description:
          - "Output key."
        type: int
      ttl:
        description:
          - "TTL of the outer header; 0 inherits."
        type: int
      tos:
        description:
          - "TOS of the outer header; 1 inherits."
        type: int
  ip6gre:
    description:
      - "Options of a O(kind=ip6gre) link. A GRE tunnel over IPv6."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ikey:
        description:
          - "Input key."
        type: int
      okey:
        description:
          - "Output key."
        type: int
  ip6gretap:
    description:
      - "Options of a O(kind=ip6gretap) link. An Ethernet-over-GRE tunnel over IPv6."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ikey:
        description:
          - "Input key."
        type: int
      okey:
        description:
          - "Output key."
        type: int
  ip6tnl:
    description:
      - "Options of a O(kind=ip6tnl) link. An IPv4/IPv6-over-IPv6 tunnel."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ttl:
        description:
          - "Hop limit of the outer header."
        type: int
      mode:
        description:
          - "Inner protocol."
        type: str
        choices: ['any', 'ip6ip6', 'ipip6']
  ipip:
    description:
      - "Options of a O(kind=ipip) link. An IPv4-in-IPv4 tunnel."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ttl:
        description:
          - "TTL of the outer header; 0 inherits."
        type: int
      tos:
        description:
          - "TOS of the outer header; 1 inherits."
        type: int
  ipvlan:
    description:
      - "Options of a O(kind=ipvlan) link. An IP-based virtual device on top of O(link)."
    type: dict
    suboptions:
      mode:
        description:
          - "Layer the devices work at."
        type: str
        choices: ['l2', 'l3', 'l3s']
  macsec:
    description:
      - "Options of a O(kind=macsec) link. A MACsec device on top of O(link) (secure associations and keys: a separate module)."
    type: dict
    suboptions:
      port:
        description:
          - "Port number of the secure channel identifier."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      icv_len:
        description:
          - "Length of the integrity check value."
        type: int
      cipher:
        description:
          - "Cipher suite."
        type: str
        choices: ['gcm-aes-128', 'gcm-aes-256', 'gcm-aes-xpn-128', 'gcm-aes-xpn-256']
      encrypt:
        description:
          - "Encrypt (not only authenticate) frames."
        type: bool
      protect:
        description:
          - "Protect transmitted frames."
        type: bool
      replay_protect:
        description:
          - "Drop replayed frames."
        type: bool
      window:
        description:
          - "Replay protection window."
        type: int
      encoding_sa:
        description:
          - "Active transmit secure association (0-3)."
        type: int
      validate:
        description:
          - "Validation of received frames."
        type: str
        choices: ['check', 'disabled', 'strict']
  macvlan:
    description:
      - "Options of a O(kind=macvlan) link. A MAC-based virtual device on top of O(link)."
    type: dict
    suboptions:
      mode:
        description:
          - "How macvlan devices on one lower device talk."
        type: str
        choices: ['bridge', 'passthru', 'private', 'source', 'vepa']
  macvtap:
    description:
      - "Options of a O(kind=macvtap) link. A macvlan with a tap character device."
    type: dict
    suboptions:
      mode:
        description:
          - "How macvtap devices on one lower device talk."
        type: str
        choices: ['bridge', 'passthru', 'private', 'source', 'vepa']
  netkit:
    description:
      - "Options of a O(kind=netkit) link. A netkit device pair for BPF programs (kernel 6.7 and later)."
    type: dict
    suboptions:
      peer:
        description:
          - "Name of the peer device."
          - Set when the link is created; the kernel does not change it afterwards.
        type: str
      mode:
        description:
          - "Layer of the pair."
          - Set when the link is created; the kernel does not change it afterwards.
        type: str
        choices: ['l2', 'l3']
      policy:
        description:
          - "Default verdict of the primary device."
        type: str
        choices: ['blackhole', 'forward']
      peer_policy:
        description:
          - "Default verdict of the peer device."
        type: str
        choices: ['blackhole', 'forward']
  sit:
    description:
      - "Options of a O(kind=sit) link. An IPv6-in-IPv4 tunnel."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ttl:
        description:
          - "TTL of the outer header; 0 inherits."
        type: int
      tos:
        description:
          - "TOS of the outer header; 1 inherits."
        type: int
  tap:
    description:
      - "Options of a O(kind=tap) link. A layer-2 tap device (persistent), made with the tun character device."
    type: dict
    suboptions:
      owner:
        description:
          - "User id allowed to attach."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      group:
        description:
          - "Group id allowed to attach."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      pi:
        description:
          - "Packet information header on packets."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
      vnet_hdr:
        description:
          - "virtio-net header on packets."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
      multi_queue:
        description:
          - "Multiple queues."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
  tun:
    description:
      - "Options of a O(kind=tun) link. A layer-3 tun device (persistent), made with the tun character device."
    type: dict
    suboptions:
      owner:
        description:
          - "User id allowed to attach."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      group:
        description:
          - "Group id allowed to attach."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      pi:
        description:
          - "Packet information header on packets."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
      vnet_hdr:
        description:
          - "virtio-net header on packets."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
      multi_queue:
        description:
          - "Multiple queues."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
  veth:
    description:
      - "Options of a O(kind=veth) link. A pair of connected virtual Ethernet devices."
    type: dict
    suboptions:
      peer:
        description:
          - "Name of the other end, created with this one."
          - Set when the link is created; the kernel does not change it afterwards.
        type: str
  vlan:
    description:
      - "Options of a O(kind=vlan) link. An 802.1Q/802.1ad VLAN device on top of O(link)."
    type: dict
    suboptions:
      id:
        description:
          - "VLAN id (1-4094)."
        type: int
      protocol:
        description:
          - "VLAN protocol."
          - Set when the link is created; the kernel does not change it afterwards.
        type: str
        choices: ['802.1Q', '802.1ad']
  vrf:
    description:
      - "Options of a O(kind=vrf) link. A VRF (layer-3 master device)."
    type: dict
    suboptions:
      table:
        description:
          - "Routing table of the VRF."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
  vti:
    description:
      - "Options of a O(kind=vti) link. An IPsec virtual tunnel interface over IPv4."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ikey:
        description:
          - "Input key."
        type: int
      okey:
        description:
          - "Output key."
        type: int
  vti6:
    description:
      - "Options of a O(kind=vti6) link. An IPsec virtual tunnel interface over IPv6."
    type: dict
    suboptions:
      local:
        description:
          - "Local endpoint address."
        type: str
      remote:
        description:
          - "Remote endpoint address."
        type: str
      ikey:
        description:
          - "Input key."
        type: int
      okey:
        description:
          - "Output key."
        type: int
  vxlan:
    description:
      - "Options of a O(kind=vxlan) link. A VXLAN tunnel endpoint."
    type: dict
    suboptions:
      id:
        description:
          - "VXLAN network identifier (VNI)."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      remote:
        description:
          - "Unicast remote endpoint."
        type: str
      local:
        description:
          - "Local source address."
        type: str
      dstport:
        description:
          - "UDP destination port (the kernel defaults to 8472)."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
      ttl:
        description:
          - "TTL of the outer header; 0 inherits."
        type: int
      tos:
        description:
          - "TOS of the outer header; 1 inherits."
        type: int
      learning:
        description:
          - "Learn remote MAC addresses into the FDB."
        type: bool
      ageing:
        description:
          - "FDB entry lifetime in seconds."
        type: int
      udpcsum:
        description:
          - "UDP checksums over IPv4."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
      external:
        description:
          - "Metadata (collect_md) mode."
          - Set when the link is created; the kernel does not change it afterwards.
        type: bool
  xfrm:
    description:
      - "Options of a O(kind=xfrm) link. An XFRM (IPsec) interface."
    type: dict
    suboptions:
      if_id:
        description:
          - "XFRM interface id matched by states and policies."
          - Set when the link is created; the kernel does not change it afterwards.
        type: int
  bridge_port:
    description:
      - Options of the link as a port of the bridge named in O(master).
    type: dict
    suboptions:
      priority:
        description:
          - "STP port priority."
        type: int
      cost:
        description:
          - "STP path cost."
        type: int
      learning:
        description:
          - "Learn source MAC addresses."
        type: bool
      flood:
        description:
          - "Flood unknown unicast to this port."
        type: bool
      mcast_flood:
        description:
          - "Flood unknown multicast to this port."
        type: bool
      bcast_flood:
        description:
          - "Flood broadcast to this port."
        type: bool
      hairpin:
        description:
          - "Send frames back out of the port they came in on."
        type: bool
      guard:
        description:
          - "Block STP BPDUs received on the port."
        type: bool
      root_block:
        description:
          - "Never let the port become root port."
        type: bool
      fastleave:
        description:
          - "Leave multicast groups at once on IGMP leave."
        type: bool
      proxy_arp:
        description:
          - "Answer ARP from the bridge FDB."
        type: bool
      neigh_suppress:
        description:
          - "Suppress ARP/ND with known answers."
        type: bool
      isolated:
        description:
          - "Isolated ports only talk to non-isolated ones."
        type: bool
  # END kind options
'''

EXAMPLES = r'''
- name: A bridge with STP, up
  nlink.netlink.nl_link:
    name: br0
    kind: bridge
    admin_state: up
    bridge:
      stp_state: true
      forward_delay: 400

- name: A veth pair with one end on the bridge
  nlink.netlink.nl_link:
    name: veth0
    kind: veth
    veth:
      peer: veth0-peer
    master: br0
    admin_state: up
    bridge_port:
      cost: 10
      learning: false

- name: A VXLAN over eth0, in namespace lab
  nlink.netlink.nl_link:
    netns: lab
    name: vx100
    kind: vxlan
    link: eth0
    vxlan:
      id: 100
      remote: 192.0.2.2
      dstport: 4789

- name: Exactly these veth links in namespace lab (other veths there are removed)
  nlink.netlink.nl_link:
    netns: lab
    kind: veth
    state: overridden
    config:
      - name: v1
        veth: {peer: v1p}
      - name: v2
        veth: {peer: v2p}
        mtu: 9000

- name: Move one end of a veth into another namespace
  nlink.netlink.nl_link:
    name: v1p
    target_netns: lab2

- name: A tap device owned by uid 1000
  nlink.netlink.nl_link:
    name: tap0
    kind: tap
    tap:
      owner: 1000

- name: Remove a link
  nlink.netlink.nl_link:
    name: vx100
    state: absent
'''

RETURN = r'''
before:
  description: The addressed links before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"name": "br0", "kind": "bridge", "admin_state": "down", "mtu": 1500, "bridge": {"stp_state": false}}]
after:
  description: The same links afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as iproute2 commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ip link add name br0 type bridge stp_state 1", "ip link set dev br0 up"]
failures:
  description: Links that failed, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current links in scope.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(ip -j -d link show)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.link import Link


def main():
    run_module(Link)


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_tc_filter
short_description: Manage tc filters and their actions over netlink
version_added: 0.1.0
description:
  - Adds, re-creates and removes traffic-control filters (classifiers) with inline actions, the way
    C(tc filter) does, idempotently.
  - A filter is identified by O(dev), O(parent), O(chain), O(priority) and O(handle). The kernel keeps one
    classifier (one O(kind), one O(protocol)) per priority and numbers the filters in it itself (u32 gives
    C(800::800), C(800::801), ...). A filter declared B(without) O(handle) is the only filter at its
    priority - re-applying finds it whatever number the kernel gave it, and changing it replaces the whole
    priority. Give O(handle) to keep several filters at one priority (required for O(kind=fw), whose handle
    is the firewall mark, and for O(kind=flow), which the kernel refuses to create without one). A
    O(kind=route) filter without O(handle) gets the one the kernel builds from its O(route.to),
    O(route.from) or O(route.fromif), as C(tc) computes it.
  - A changed filter is deleted and added again (the kernel cannot change a u32 selector, a kind or a
    protocol in place); traffic is unclassified between the two steps.
  - With O(config), the top-level O(dev) (and optionally O(parent)) is the scope - O(state=overridden)
    removes the filters there that are not listed.
  - The modules change the running kernel only; nothing persists across a reboot.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
  - nlink.netlink.tc_actions
options:
  dev:
    description:
      - The device. Each filter has O(dev) (with O(parent)) or O(block); at the top level with O(config),
        the purge scope.
    type: str
  block:
    description:
      - A shared filter block's index, instead of O(dev) and O(parent) - the block an ingress or clsact qdisc
        shares (M(nlink.netlink.nl_qdisc)'s O(nlink.netlink.nl_qdisc#module:ingress_block) and
        O(nlink.netlink.nl_qdisc#module:egress_block)); every device on the block sees its filters (C(tc filter
        add block N)).
      - At the top level with O(config), the purge scope (the filters of that block).
    type: int
  parent:
    description:
      - Where the filter attaches (required with O(dev)) - V(ingress) or V(egress) (the blocks of a clsact
        qdisc; V(ingress) is also
        the block of an ingress qdisc, as is C(ffff:)), V(root) (the device's root qdisc), or a qdisc or
        class handle such as C(1:) or C(1:10).
      - At the top level with O(config), narrows the purge scope to this parent.
    type: str
  chain:
    description: The filter chain (default 0).
    type: int
  priority:
    description: The priority (C(pref)), 1 to 65535. Required.
    type: int
  handle:
    description:
      - The filter handle - for u32 C(HT:BUCKET:NODE) in hexadecimal (C(800::1)), for the other kinds a
        number (for V(fw), the firewall mark).
      - Without it, the filter is the only one at its priority (see the description).
    type: str
  protocol:
    description:
      - The protocol the filter matches, V(all) (default), V(ip), V(ipv6), V(arp), V(802.1q), V(802.1ad),
        V(mpls_uc), V(mpls_mc) or a number.
    type: str
  kind:
    description: The classifier.
    type: str
    choices: [basic, bpf, cgroup, flow, flower, fw, matchall, route, u32]
  u32:
    description: Options of O(kind=u32).
    type: dict
    suboptions:
      match:
        description:
          - 'What to match, each item one of C({ip: {src, dst, dsfield, protocol, sport, dport, icmp_type,
            icmp_code}}), C({ip6: {src, dst, protocol, sport, dport}}) or a raw C({u32|u16|u8: {value, mask, at}}).'
          - Addresses are prefixes (C(10.0.0.0/8)); C(dsfield) is C(VALUE[/MASK]) (C(0x28/0xfc)); C(protocol)
            a name (tcp, udp, icmp, ...) or number; ports and ICMP fields sit after a 20-byte IPv4 header (40 for
            IPv6), as tc's C(match ip sport) assumes.
          - Matches are packed into 32-bit keys as tc packs them, and read back as named fields where a key is
            exactly one field (a port pair reads as C(sport) and C(dport); an ICMP type and code together read
            as a port) and as raw C(u32) words otherwise; gathered filters show that form.
        type: list
        elements: dict
      classid:
        description: The class a match goes to (C(1:10)).
        type: str
      indev:
        description: Match only packets that came in on this device.
        type: str
      skip_hw:
        description: Do not offload to hardware.
        type: bool
      skip_sw:
        description: Only in hardware.
        type: bool
  bpf:
    description:
      - Options of O(kind=bpf) - one program from O(bpf.bytecode) (classic BPF), O(bpf.object) (eBPF) or
        O(bpf.pinned) (eBPF).
      - An eBPF filter reads back as the kernel reports it - C(name) (tc's C(FILE:[SECTION]) or
        C(PIN:[*fsobj])) and C(tag), a hash of the program's instructions (SHA-1, SHA-256 from Linux 6.18)
        computed from the object without loading it - so a re-run, or check mode, loads nothing when the
        attached program is the declared one. The object's path is not in the kernel - gathered filters
        show C(name) and C(tag) only.
    type: dict
    suboptions:
      bytecode:
        description:
          - The program as tc's C(bytecode) reads it, C(N,code jt jf k,...) (what C(bpf_asm -c) or
            C(tcpdump -ddd) print, lines joined by commas).
        type: str
      object:
        description:
          - An eBPF ELF object file (C(clang -O2 -target bpf -c prog.c)), loaded as a tc classifier
            (C(BPF_PROG_TYPE_SCHED_CLS)) with its C(license) section, like C(tc ... bpf obj FILE sec SECTION).
          - Only self-contained programs load - no maps, no global data, no calls into other sections, no
            CO-RE (BTF) relocations. An object whose section needs a relocation is refused with the section
            and the relocation named; BTF is not loaded.
          - One program per section.
        type: path
      section:
        description: The section of O(bpf.object) holding the program (default V(classifier), as tc's).
        type: str
      pinned:
        description:
          - A program pinned on a bpffs (C(/sys/fs/bpf/prog)), of type C(sched_cls), attached as
            C(tc ... bpf pinned PATH) attaches it.
        type: path
      direct_action:
        description: The program's return value is the verdict (tc's C(da)).
        type: bool
      classid:
        description: The default class.
        type: str
      skip_hw:
        description: Do not offload to hardware.
        type: bool
      skip_sw:
        description: Only in hardware.
        type: bool
  matchall:
    description: Options of O(kind=matchall).
    type: dict
    suboptions:
      classid:
        description: The class every packet goes to.
        type: str
      skip_hw:
        description: Do not offload to hardware.
        type: bool
      skip_sw:
        description: Only in hardware.
        type: bool
  fw:
    description: Options of O(kind=fw) (the mark to match is O(handle)).
    type: dict
    suboptions:
      mask:
        description: The bits of the mark compared (default C(0xffffffff)); one mask per priority.
        type: str
      classid:
        description: The class.
        type: str
  basic:
    description: Options of O(kind=basic) (without O(basic.match) it matches every packet).
    type: dict
    suboptions:
      classid:
        description: The class.
        type: str
      match:
        description:
          - Extended matches (ematches) - a list of items, each one of C(cmp), C(u32), C(meta), C(nbyte) (a
            dictionary of its options, below) or C(container) (a list of items of its own - parentheses).
          - Every item after the first has C(relation) V(and) or V(or) (its relation to the item before); the
            first has none. C(invert=true) negates an item. The kernel evaluates left to right and stops at
            the first item that decides (no precedence between V(and) and V(or) - group with C(container)).
          - C(cmp) compares a field of the packet - C(layer) (V(link) (default), V(network), V(transport)),
            C(align) (V(u8), V(u16), V(u32) (default); the field's width), C(offset) (bytes from the layer's
            start), C(mask) (default all bits), C(op) (V(eq) (default), V(gt), V(lt)), C(value) (required),
            C(trans) (the kernel reads the field in network byte order; V(true) swaps it once more, for a
            little-endian field).
          - C(u32) matches a 32-bit word of the network header - C(value), C(mask) and C(at) (its byte offset),
            with C(align) V(u8) or V(u16) for a narrower field at any offset of that width, C(nexthdr=true) to
            count C(at) from the next header. Reads back as the whole word (V(u8) at 9 is mask C(0x00ff0000)
            at 8).
          - C(meta) compares packet or socket metadata - C(id) (a TCF_META_ID_* name in lower case -
            V(nfmark) (also V(mark), V(nf_mark)), V(priority), V(protocol), V(vlan_tag) (V(vlan)), V(dev),
            V(tcindex), V(pktlen), V(rtiif), V(sk_family), V(sk_rcv_qlen), ...; tc's names are accepted and
            read back as the header's), C(op) (V(eq), V(gt), V(lt)), C(value) (a number; a name for V(dev) and
            V(sk_bound_if)), C(mask), C(shift). Ids tc has no name for (V(rxhash), V(sk_prio), ...) are not
            offered.
          - C(nbyte) matches bytes - C(pattern) (text) or C(hex) (bytes), at C(layer) and C(offset).
          - Read back, an ematch the module cannot decode (another kind, such as text or ipset) shows as
            C({kind, raw}) (its kind number and bytes in hexadecimal); it cannot be declared.
          - The kernel loads the module of each kind (em_cmp, em_u32, em_meta, em_nbyte) on demand.
        type: list
        elements: dict
  cgroup:
    description: Options of O(kind=cgroup) (classification by the socket's net_cls cgroup).
    type: dict
    suboptions:
      match:
        description: Extended matches that must hold as well, as in O(basic.match).
        type: list
        elements: dict
  route:
    description: Options of O(kind=route) (route realms).
    type: dict
    suboptions:
      to:
        description: The destination realm.
        type: int
      from:
        description: The source realm.
        type: int
      fromif:
        description: The incoming device (instead of O(route.from)).
        type: str
      classid:
        description: The class.
        type: str
  flow:
    description: Options of O(kind=flow) in hash mode.
    type: dict
    suboptions:
      keys:
        description: The flow keys hashed (src, dst, proto, proto-src, proto-dst, iif, priority, mark, nfct, ...).
        type: list
        elements: str
      divisor:
        description: The number of classes.
        type: int
      baseclass:
        description: The first class (C(1:1)).
        type: str
      perturb:
        description: Re-seed the hash every so many seconds (0 never).
        type: int
  flower:
    description:
      - Options of O(kind=flower) - the keys to match; the ethertype is O(protocol).
      - The kernel honours L3/L4 keys only under their ethertype and IP protocol (ports need O(flower.ip_proto)),
        so keys without them are refused rather than silently not matched.
      - A value with a full mask reads back plainly, a partial mask as C(VALUE/MASK) (C(0x10/0xfc));
        addresses as an address or a prefix.
    type: dict
    suboptions:
      indev:
        description: Match only packets that came in on this device.
        type: str
      dst_mac:
        description: Destination MAC, C(MAC), C(MAC/MASK) or C(MAC/LENGTH).
        type: str
      src_mac:
        description: Source MAC, as O(flower.dst_mac).
        type: str
      vlan_id:
        description: VLAN id (needs O(protocol) V(802.1q) or V(802.1ad)).
        type: str
      vlan_prio:
        description: VLAN priority (as O(flower.vlan_id)).
        type: str
      vlan_ethtype:
        description: The ethertype inside the VLAN tag (V(ip), V(ipv6), V(802.1q) for a second tag, ...).
        type: str
      cvlan_id:
        description: Inner VLAN id (needs O(flower.vlan_ethtype) V(802.1q) or V(802.1ad)).
        type: str
      cvlan_prio:
        description: Inner VLAN priority.
        type: str
      cvlan_ethtype:
        description: The ethertype inside the inner VLAN tag.
        type: str
      mpls_label:
        description: MPLS label of the top entry (needs O(protocol) V(mpls_uc) or V(mpls_mc)).
        type: str
      mpls_tc:
        description: MPLS traffic class.
        type: str
      mpls_bos:
        description: MPLS bottom-of-stack bit.
        type: str
      mpls_ttl:
        description: MPLS TTL.
        type: str
      ip_proto:
        description: IP protocol, V(tcp), V(udp), V(sctp), V(icmp), V(icmpv6) or a number (needs an IP ethertype).
        type: str
      ip_tos:
        description: TOS / traffic class, C(VALUE[/MASK]).
        type: str
      ip_ttl:
        description: TTL / hop limit, C(VALUE[/MASK]).
        type: str
      dst_ip:
        description: Destination address or prefix, IPv4 with O(protocol=ip), IPv6 with O(protocol=ipv6).
        type: str
      src_ip:
        description: Source address or prefix.
        type: str
      dst_port:
        description: Destination port, C(PORT), C(PORT/MASK) or a range C(LOW-HIGH) (needs O(flower.ip_proto) tcp, udp or sctp).
        type: str
      src_port:
        description: Source port, as O(flower.dst_port).
        type: str
      tcp_flags:
        description: TCP flags, C(VALUE[/MASK]) (needs O(flower.ip_proto=tcp)).
        type: str
      icmp_type:
        description: ICMP type, C(VALUE[/MASK]) (needs O(flower.ip_proto) icmp or icmpv6).
        type: str
      icmp_code:
        description: ICMP code, C(VALUE[/MASK]).
        type: str
      arp_tip:
        description: ARP target IPv4 address or prefix (needs O(protocol=arp)).
        type: str
      arp_sip:
        description: ARP sender IPv4 address or prefix.
        type: str
      arp_op:
        description: ARP operation, V(request), V(reply) or a number, C([/MASK]).
        type: str
      arp_sha:
        description: ARP sender MAC, as O(flower.dst_mac).
        type: str
      arp_tha:
        description: ARP target MAC.
        type: str
      ip_flags:
        description: Fragment flags, C(frag), C(nofrag), C(firstfrag), C(nofirstfrag) joined by C(/).
        type: str
      enc_key_id:
        description: Tunnel key id (VNI) of tunnel metadata.
        type: str
      enc_dst_ip:
        description: Tunnel outer destination address or prefix.
        type: str
      enc_src_ip:
        description: Tunnel outer source address or prefix.
        type: str
      enc_dst_port:
        description: Tunnel outer UDP destination port, C(PORT[/MASK]).
        type: str
      enc_src_port:
        description: Tunnel outer UDP source port, C(PORT[/MASK]).
        type: str
      enc_tos:
        description: Tunnel outer TOS, C(VALUE[/MASK]).
        type: str
      enc_ttl:
        description: Tunnel outer TTL, C(VALUE[/MASK]).
        type: str
      ct_state:
        description: Conntrack state flags, each C(+) or C(-) one of trk, new, est, rel, inv, rpl (C(+trk+est)).
        type: str
      ct_zone:
        description: Conntrack zone, C(VALUE[/MASK]).
        type: str
      ct_mark:
        description: Conntrack mark, C(VALUE[/MASK]).
        type: str
      ct_label:
        description:
          - Conntrack labels, 32 hex digits (the 128 bits in memory order, as tc prints them), C(LABEL[/MASK]).
            A zero mask matches everything and is left out.
        type: str
      hash:
        description: The packet's hash (skb hash), C(VALUE[/MASK]).
        type: str
      num_of_vlans:
        description: How many VLAN tags the packet carries (0 to 255).
        type: str
      pppoe_sid:
        description: PPPoE session id (needs O(protocol=0x8864), PPPoE session).
        type: str
      ppp_proto:
        description:
          - The PPP protocol inside PPPoE, V(ip), V(ipv6), V(mpls_uc), V(mpls_mc) or a number (needs
            O(protocol=0x8864)). With V(ip) or V(ipv6), the IP keys apply to the packet inside.
        type: str
      l2tpv3_sid:
        description: L2TPv3 session id (needs O(flower.ip_proto=l2tp), IP protocol 115).
        type: str
      mpls:
        description:
          - The MPLS label stack, one entry per depth (1 is the top); each field is optional (needs O(protocol)
            V(mpls_uc) or V(mpls_mc)). Not together with O(flower.mpls_label) and its kin.
          - A single entry at depth 1 with some field is what the kernel reads back as O(flower.mpls_label),
            O(flower.mpls_tc), O(flower.mpls_bos) and O(flower.mpls_ttl), so it is normalized to those.
        type: list
        elements: dict
        suboptions:
          depth:
            description: The entry's depth, 1 to 7.
            type: int
            required: true
          label:
            description: Its label (20 bits).
            type: int
          tc:
            description: Its traffic class (0 to 7).
            type: int
          bos:
            description: Its bottom-of-stack bit.
            type: int
          ttl:
            description: Its TTL.
            type: int
      enc_opts:
        description:
          - Tunnel options of tunnel metadata (collect_md devices), one of O(flower.enc_opts.geneve),
            O(flower.enc_opts.vxlan), O(flower.enc_opts.erspan), O(flower.enc_opts.gtp). Each number is
            C(VALUE[/MASK]); without a mask the whole field is matched.
        type: dict
        suboptions:
          geneve:
            description: Geneve options, in order.
            type: list
            elements: dict
            suboptions:
              class:
                description: Option class (16 bits, V(0x0102)).
                type: str
              type:
                description: Option type (8 bits).
                type: str
              data:
                description: Option data in hex, 4 to 124 bytes in whole 4-byte words, C(HEX[/HEXMASK]).
                type: str
                required: true
          vxlan:
            description: VXLAN group policy.
            type: dict
            suboptions:
              gbp:
                description: The group policy id.
                type: str
          erspan:
            description: ERSPAN metadata; version 1 takes O(flower.enc_opts.erspan.index), version 2 dir and hwid.
            type: dict
            suboptions:
              version:
                description: 1 (default) or 2.
                type: int
              index:
                description: Session index (20 bits).
                type: str
              dir:
                description: Direction, 0 ingress or 1 egress.
                type: str
              hwid:
                description: Hardware id (6 bits).
                type: str
          gtp:
            description: GTP-U metadata.
            type: dict
            suboptions:
              pdu_type:
                description: PDU type.
                type: str
              qfi:
                description: QoS flow identifier (6 bits).
                type: str
      classid:
        description: The class a match goes to.
        type: str
      skip_hw:
        description: Do not offload to hardware.
        type: bool
      skip_sw:
        description: Only in hardware.
        type: bool
notes:
  - Not supported yet - the text, ipset, ipt and canid ematches; eBPF programs that need maps or relocations.
  - C(tc) 6.1 parses a C(match) expression only when another word follows it, and sends a V(dev) or
    V(sk_bound_if) meta comparison with a name in a form the kernel refuses; the rendered commands put
    C(match) first, but a basic filter without classid and actions (or a name comparison) does not replay.
'''

EXAMPLES = r'''
- name: Send web traffic from 10.0.0.0/8 to class 1:10
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: '1:'
    priority: 10
    protocol: ip
    kind: u32
    u32:
      match:
        - ip: {src: 10.0.0.0/8}
        - ip: {dport: 80}
      classid: '1:10'

- name: Mirror everything arriving on eth0 to eth1 (clsact ingress)
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: ingress
    priority: 1
    kind: u32
    u32:
      match:
        - u32: {value: 0, mask: 0, at: 0}
    actions:
      - kind: mirred
        mirred: {action: mirror, direction: egress, dev: eth1}

- name: Exactly these filters on the ingress of eth0 (others there are removed)
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: ingress
    state: overridden
    config:
      - priority: 1
        protocol: all
        kind: bpf
        bpf: {bytecode: '1,6 0 0 4294967295', direct_action: true}

- name: Police TCP traffic to 10.0.0.0/8 port 80 to 10 Mbit/s (flower on clsact ingress)
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: ingress
    priority: 2
    protocol: ip
    kind: flower
    flower: {ip_proto: tcp, dst_ip: 10.0.0.0/8, dst_port: 80}
    actions:
      - kind: police
        police: {rate: 10mbit, burst: 64kb, exceed: drop}

- name: Drop Geneve traffic with option 0102:80 from tunnel metadata, police an MPLS stack (flower)
  nlink.netlink.nl_tc_filter:
    dev: genevesys
    parent: ingress
    config:
      - priority: 4
        protocol: all
        kind: flower
        flower:
          enc_key_id: 42
          enc_opts:
            geneve:
              - {class: '0x0102', type: '0x80', data: '00112233/ffff0000'}
        actions:
          - kind: gact
            gact: {action: drop}
      - priority: 5
        protocol: mpls_uc
        kind: flower
        flower:
          mpls:
            - {depth: 1, label: 100}
            - {depth: 2, bos: 1, ttl: 64}
        actions:
          - kind: police
            police: {rate: 2mbit, burst: 16kb, mpu: 64, linklayer: atm, overhead: 10, exceed: drop}

- name: Match PPPoE sessions carrying IPv4 to 192.0.2.0/24 and marked conntrack labels
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: ingress
    priority: 6
    protocol: '0x8864'
    kind: flower
    flower:
      pppoe_sid: 1234
      ppp_proto: ip
      dst_ip: 192.0.2.0/24
      ct_label: 00000000000000000000000000000001/00000000000000000000000000000001
    actions:
      - kind: bpf
        bpf: {object: /usr/local/lib/bpf/act.o, section: action}

- name: TCP, or anything marked 5 that is not priority 3, to class 1:10 (basic with ematches)
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: '1:'
    priority: 20
    handle: '1'
    protocol: ip
    kind: basic
    basic:
      classid: '1:10'
      match:
        - cmp: {layer: network, align: u8, offset: 9, value: 6}
        - relation: or
          container:
            - meta: {id: mark, value: 5}
            - relation: and
              invert: true
              meta: {id: priority, value: 3}

- name: Drop what sockets of a net_cls cgroup send to port 53 (cgroup with an ematch)
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: '1:'
    priority: 21
    handle: '1'
    kind: cgroup
    cgroup:
      match:
        - cmp: {layer: transport, align: u16, offset: 2, value: 53}
    actions:
      - kind: gact
        gact: {action: drop}

- name: An eBPF classifier from an object file, its return value the verdict
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: egress
    priority: 3
    kind: bpf
    bpf: {object: /usr/local/lib/bpf/prog.o, section: classifier, direct_action: true}

- name: A pinned eBPF program on a shared block (clsact qdiscs with ingress_block 7)
  nlink.netlink.nl_tc_filter:
    block: 7
    priority: 1
    kind: bpf
    bpf: {pinned: /sys/fs/bpf/tc/ingress_guard, direct_action: true}

- name: Show what would be done, as tc commands
  nlink.netlink.nl_tc_filter:
    dev: eth0
    parent: ingress
    priority: 1
    kind: matchall
    actions:
      - kind: gact
        gact: {action: drop}
    state: rendered
'''

RETURN = r'''
before:
  description: The addressed filters before, in the O(config) shape.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"dev": "eth0", "parent": "ingress", "chain": 0, "priority": 1, "handle": "800::800",
            "protocol": "ip", "kind": "u32", "u32": {"match": [{"ip": {"dst": "10.0.0.0/8"}}], "classid": null,
            "indev": null, "skip_hw": false, "skip_sw": false}, "actions": []}]
after:
  description: The same filters afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as tc commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["tc filter add dev eth0 ingress protocol ip pref 1 u32 match ip dst 10.0.0.0/8"]
failures:
  description: Changes that failed, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current filters in scope.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(tc -j filter show)) as a list of priority, protocol, chain, kind and handle.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter import TcFilter


def main():
    run_module(TcFilter)


if __name__ == '__main__':
    main()

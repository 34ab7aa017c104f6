# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The inline tc actions (module_utils/netlink/resources/tc_action*.py), apart from the classifiers'
    # options so that nl_tc_filter's file stays readable and a standalone actions module can share them.
    DOCUMENTATION = r'''
options:
  actions:
    description:
      - Actions run on a match, in order; each has a O(actions[].kind) and its options in a sub-dictionary named
        after it. Every action but V(gact) ends with O(actions[].control), the verdict after it (tc's default
        for the kind when omitted, for example V(stolen) after a mirred redirect and V(pipe) after a mirror).
    type: list
    elements: dict
    suboptions:
      kind:
        description: The action.
        type: str
        required: true
        choices: [bpf, connmark, csum, ct, ctinfo, gact, gate, mirred, mpls, nat, pedit, police, sample, simple,
          skbedit, skbmod, tunnel_key, vlan]
      control:
        description:
          - The verdict after the action - pass, drop, pipe, continue, reclassify, stolen, trap,
            C(goto chain N) or C(jump N).
        type: str
      gact:
        description: 'C({action: VERDICT}), the verdict itself (pass, drop, ...).'
        type: dict
        suboptions:
          action:
            description: The verdict.
            type: str
      mirred:
        description: Mirror or redirect to a device.
        type: dict
        suboptions:
          action:
            description: V(redirect) (default) or V(mirror).
            type: str
          direction:
            description: V(egress) (default) or V(ingress) of O(actions[].mirred.dev).
            type: str
          dev:
            description: The target device.
            type: str
      skbedit:
        description: Set packet metadata.
        type: dict
        suboptions:
          mark:
            description: The firewall mark.
            type: str
          mask:
            description: The bits of O(actions[].skbedit.mark) set.
            type: str
          priority:
            description: The priority (a class handle such as C(1:10)).
            type: str
          queue_mapping:
            description: The transmit queue.
            type: int
          ptype:
            description: The packet type.
            type: str
      vlan:
        description: Push, pop or modify a VLAN tag.
        type: dict
        suboptions:
          action:
            description: What to do (default V(push)).
            type: str
          id:
            description: The VLAN id.
            type: int
          protocol:
            description: V(802.1q) (default) or V(802.1ad).
            type: str
          priority:
            description: The VLAN priority (default 0).
            type: int
      csum:
        description: Recompute checksums.
        type: dict
        suboptions:
          update:
            description: The headers whose checksums are recomputed.
            type: list
            elements: str
      connmark:
        description: Restore the connection mark into the packet mark.
        type: dict
        suboptions:
          zone:
            description: The conntrack zone.
            type: int
      simple:
        description: Log a string (for tests).
        type: dict
        suboptions:
          sdata:
            description: The string.
            type: str
      nat:
        description: Stateless IPv4 address translation.
        type: dict
        suboptions:
          direction:
            description: V(ingress) rewrites destinations, V(egress) sources.
            type: str
          old:
            description: The address or prefix translated.
            type: str
          new:
            description: The new address.
            type: str
      sample:
        description: Sample packets to a psample group.
        type: dict
        suboptions:
          rate:
            description: One packet in O(actions[].sample.rate).
            type: int
          group:
            description: The psample group.
            type: int
          trunc:
            description: Truncate samples to this many bytes.
            type: int
      mpls:
        description: Push, pop or modify MPLS labels.
        type: dict
        suboptions:
          action:
            description: What to do.
            type: str
          protocol:
            description: The ethertype after a pop (default ip) or of the pushed label (default mpls_uc).
            type: str
          label:
            description: The label.
            type: int
          tc:
            description: The traffic class.
            type: int
          ttl:
            description: The TTL.
            type: int
          bos:
            description: The bottom-of-stack bit.
            type: int
      tunnel_key:
        description: Set or unset tunnel metadata.
        type: dict
        suboptions:
          action:
            description: V(set) (default) or V(unset).
            type: str
          src_ip:
            description: The outer source address.
            type: str
          dst_ip:
            description: The outer destination address.
            type: str
          id:
            description: The tunnel key id.
            type: int
          dst_port:
            description: The outer UDP destination port.
            type: int
          tos:
            description: The outer TOS.
            type: int
          ttl:
            description: The outer TTL.
            type: int
          csum:
            description: Compute the outer UDP checksum (default true).
            type: bool
      ct:
        description: Send the packet through conntrack.
        type: dict
        suboptions:
          commit:
            description: Commit the connection.
            type: bool
          force:
            description: Force a new connection.
            type: bool
          clear:
            description: Clear the conntrack state of the packet.
            type: bool
          zone:
            description: The conntrack zone.
            type: int
          mark:
            description: Set the connection mark.
            type: str
          mark_mask:
            description: The bits of O(actions[].ct.mark) set.
            type: str
      police:
        description:
          - Rate limit. Give O(actions[].police.rate) with O(actions[].police.burst), or
            O(actions[].police.pkts_rate) with O(actions[].police.pkts_burst), or O(actions[].police.avrate)
            alone. The verdicts are its own
            (O(actions[].police.conform), O(actions[].police.exceed)); it takes no O(actions[].control).
        type: dict
        suboptions:
          rate:
            description: The rate in tc's words (C(1mbit) is bits, C(125kbps) bytes per second).
            type: str
          burst:
            description: The bucket size (C(10kb)).
            type: str
          mtu:
            description: The largest packet policed at the rate (default what the kernel derives, C(2040b)).
            type: str
          peakrate:
            description: The peak rate (needs O(actions[].police.mtu)).
            type: str
          overhead:
            description: Bytes added to each packet's size.
            type: int
          mpu:
            description: The smallest size a packet counts as (C(64b)), with O(actions[].police.rate).
            type: str
          linklayer:
            description: V(ethernet) (default) or V(atm) (sizes in whole 53-byte cells), with O(actions[].police.rate).
            type: str
          pkts_rate:
            description: The rate in packets per second.
            type: int
          pkts_burst:
            description: The bucket size in packets.
            type: int
          avrate:
            description:
              - Exceed when the average rate is above this one (C(500kbit)), without a bucket (tc has no words
                for both). The average is the filter's rate estimator, which the filter then gets as tc's
                C(estimator 1sec 8sec).
            type: str
          conform:
            description: The verdict for packets within the rate (default V(pass)).
            type: str
          exceed:
            description: The verdict for packets over the rate (default V(reclassify)).
            type: str
      bpf:
        description:
          - Run a BPF program on the packet; its return value is the verdict (default V(pipe)).
            Give one of O(actions[].bpf.bytecode), O(actions[].bpf.object) or O(actions[].bpf.pinned).
          - An eBPF program (type sched_act) reads back as tc names it (C(prog.o:[action]), C(pin:[*fsobj]))
            with its tag, which is computed from the object, so a re-run loads nothing.
        type: dict
        suboptions:
          bytecode:
            description: Classic BPF, C(N,code jt jf k,...) as C(bpf_asm -c) prints it.
            type: str
          object:
            description: An eBPF object file (self-contained programs only, no maps).
            type: path
          section:
            description: The section of O(actions[].bpf.object) with the program (default V(action), as tc).
            type: str
          pinned:
            description: A pinned eBPF program of type sched_act (C(/sys/fs/bpf/...)).
            type: path
      pedit:
        description: Edit packet bytes (tc's C(pedit ex munge)).
        type: dict
        suboptions:
          keys:
            description:
              - 'The edits, in order, each C({field: NAME, value: VALUE, cmd: set|add}) with NAME one of ip.src,
                ip.dst, ip.tos, ip.ttl, ip.protocol, ip6.hoplimit, eth.type, tcp.sport, tcp.dport, tcp.flags,
                udp.sport, udp.dport; or a raw 32-bit word C({header: network|eth|ip4|ip6|tcp|udp, offset, value,
                mask, cmd}) with the offset a multiple of 4 and the value and mask in network order (the mask
                selects the bits changed).'
              - Raw words that are exactly one named field read back as that field.
            type: list
            elements: dict
      skbmod:
        description: Rewrite Ethernet addresses or type, swap the MACs, or mark ECN.
        type: dict
        suboptions:
          dmac:
            description: The new destination MAC.
            type: str
          smac:
            description: The new source MAC.
            type: str
          etype:
            description: The new ethertype.
            type: str
          swapmac:
            description: Swap source and destination MAC (alone).
            type: bool
          ecn:
            description: Mark ECN congestion experienced (alone).
            type: bool
      ctinfo:
        description: Restore DSCP or the mark from conntrack.
        type: dict
        suboptions:
          zone:
            description: The conntrack zone (default 0).
            type: int
          dscp_mask:
            description: The bits of the conntrack mark holding the DSCP (6 contiguous bits).
            type: str
          dscp_statemask:
            description: The bit of the mark telling that a DSCP was stored.
            type: str
          cpmark_mask:
            description: Copy the conntrack mark to the packet mark, these bits.
            type: str
      gate:
        description: A time gate (802.1Qci) opening and closing on a schedule.
        type: dict
        suboptions:
          entries:
            description:
              - 'The schedule, each C({gate: open|close, interval: TIME, ipv: -1, max_octets: -1}); times are
                nanoseconds or have a unit (C(200ms)).'
            type: list
            elements: dict
          priority:
            description: The internal priority (default -1).
            type: int
          clockid:
            description: V(CLOCK_TAI) (default), V(CLOCK_REALTIME), V(CLOCK_MONOTONIC) or V(CLOCK_BOOTTIME).
            type: str
          base_time:
            description: The start of the schedule (default 0).
            type: str
          cycle_time:
            description: The cycle (default the sum of the intervals).
            type: str
          cycle_time_ext:
            description: The cycle extension (default 0).
            type: str
'''

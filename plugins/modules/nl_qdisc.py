#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_qdisc
short_description: Manage traffic control queueing disciplines (qdiscs) over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes qdiscs, the way C(tc qdisc) does, idempotently; one or many in one task.
  - A qdisc is identified by its device, its parent and its handle (O(dev) + O(parent) + O(handle)).
  - Options are given in a sub-dictionary named after the kind (O(htb), O(tbf), O(fq_codel), ...), in tc's
    own units - rates C(100mbit) (bits; C(12500kbps) is bytes), sizes C(32kb), times C(50ms). Results and
    facts show them normalized (C(100mbit), C(32kb), C(50ms)), so gathered state re-applies as a no-op.
  - A qdisc whose kind allows it is changed in place (C(tc qdisc change)). A kind that does not (C(htb),
    C(etf), C(ingress), C(clsact), C(mq), C(drr), C(qfq)), a change of kind, or of shared blocks deletes the
    qdisc and creates it again - which also removes its classes, child qdiscs and filters.
  - A new qdisc is created as C(tc qdisc replace) does - a qdisc under another handle at the same parent is
    replaced by it.
  - The kernel's own default qdiscs (handle C(0:) - noqueue, pfifo_fast, mq and its children) are not
    gathered and never removed; deleting a root qdisc gives the device its default back.
  - With O(config), the top-level O(dev) is the scope of O(state=overridden) and of O(state=deleted) without
    items; a top-level O(parent) narrows it to the qdiscs attached below that parent.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
notes:
  - C(ingress) and C(clsact) both sit at parent C(ffff:fff1) with handle C(ffff:); results show that parent as
    C(ingress) for both.
  - Gathered qdiscs carry no counters; O(state=parsed) reads C(tc -j qdisc show) and keeps the options tc prints
    plainly (htb, tbf rate and burst, integer and boolean options of the other kinds).
  - Kinds the running kernel lacks fail with the kernel's message (C(Specified qdisc kind is unknown)); most
    are modules (C(sch_<kind>)) the kernel loads on demand.
options:
  dev:
    description:
      - Name of the device. Required for each object; at the top level with O(config), the purge scope and the
        device of items that name none.
    type: str
  parent:
    description:
      - Where the qdisc is attached - C(root), C(ingress), C(clsact), or a class such as C(1:10).
      - Defaults to C(root), and to C(ingress) for O(kind=ingress) and O(kind=clsact).
      - At the top level with O(config), narrows the purge scope to the qdiscs below this parent.
    type: str
  handle:
    description:
      - The qdisc's handle, C(1:) (hexadecimal; C(1) reads as C(1:)). Required, except for O(kind=ingress)
        and O(kind=clsact), whose handle is always C(ffff:).
    type: str
  kind:
    description:
      - The queueing discipline. Required unless O(state=deleted).
    type: str
    choices:
      - bfifo
      - cake
      - cbs
      - choke
      - clsact
      - codel
      - drr
      - etf
      - ets
      - fq
      - fq_codel
      - fq_pie
      - gred
      - hfsc
      - hhf
      - htb
      - ingress
      - mq
      - mqprio
      - multiq
      - netem
      - noqueue
      - pfifo
      - pfifo_fast
      - pfifo_head_drop
      - pie
      - plug
      - prio
      - qfq
      - red
      - sfb
      - sfq
      - skbprio
      - taprio
      - tbf
  ingress_block:
    description:
      - Shared filter block index of an C(ingress) or C(clsact) qdisc's ingress side; the devices whose qdiscs
        name one block share its filters (M(nlink.netlink.nl_tc_filter) with O(nlink.netlink.nl_tc_filter#module:block)).
    type: int
  egress_block:
    description: Shared filter block index of a C(clsact) qdisc's egress side.
    type: int
  bfifo:
    description: Options of a C(bfifo) qdisc (O(kind=bfifo)).
    type: dict
    suboptions:
      limit: {description: 'The tc C(limit) option. A size in tc units (C(32kb)).', type: raw}
  cake:
    description: Options of a C(cake) qdisc (O(kind=cake)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      bandwidth: {description: 'Shaping rate, in tc units; C(0bit) is unlimited.', type: raw}
      rtt: {description: 'The tc C(rtt) option. A time in tc units (C(5ms)). Kernel default C(100ms).', type: raw}
      overhead: {description: 'The tc C(overhead) option.', type: int}
      mpu: {description: 'The tc C(mpu) option.', type: int}
      memlimit: {description: 'The tc C(memlimit) option. A size in tc units (C(32kb)).', type: raw}
      nat: {description: 'The tc C(nat) option. Kernel default C(false).', type: bool}
      wash: {description: 'The tc C(wash) option. Kernel default C(false).', type: bool}
      ingress: {description: 'The tc C(ingress) option. Kernel default C(false).', type: bool}
      split_gso: {description: 'The tc C(split-gso) option.', type: bool}
      autorate_ingress: {description: 'The tc C(autorate-ingress) option. Kernel default C(false).', type: bool}
      fwmark: {description: 'The tc C(fwmark) option. Kernel default C(0).', type: int}
      diffserv:
        description: 'The tc C(diffserv) option. Kernel default C(diffserv3).'
        type: str
        choices: [besteffort, diffserv3, diffserv4, diffserv8, precedence]
      flowmode:
        description: 'The tc C(flowmode) option. Kernel default C(triple-isolate).'
        type: str
        choices: [dsthost, dual-dsthost, dual-srchost, flowblind, flows, hosts, srchost, triple-isolate]
      ack_filter:
        description: 'The tc C(ack-filter) option. Kernel default C(no-ack-filter).'
        type: str
        choices: [ack-filter, ack-filter-aggressive, no-ack-filter]
  cbs:
    description: Options of a C(cbs) qdisc (O(kind=cbs)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      offload: {description: 'Offload to the device. Kernel default C(false).', type: bool}
      hicredit: {description: 'The tc C(hicredit) option. Kernel default C(0).', type: int}
      locredit: {description: 'The tc C(locredit) option. Kernel default C(0).', type: int}
      idleslope: {description: 'The tc C(idleslope) option. Kernel default C(0).', type: int}
      sendslope: {description: 'The tc C(sendslope) option. Kernel default C(0).', type: int}
  choke:
    description:
      - Options of a C(choke) qdisc (O(kind=choke)); thresholds in packets.
      - Facts show the burst and bandwidth as one set with avpkt C(1000b) that gives the kernel its numbers
        (Wlog, Scell_log); comparisons are on those numbers.
    type: dict
    suboptions:
      limit: {description: 'Hard queue limit in packets.', type: int}
      min: {description: 'Average queue length in packets where marking or dropping starts; at most O(choke.max).', type: int}
      max: {description: 'Average queue length in packets where the probability of marking or dropping reaches O(choke.probability).', type: int}
      avpkt: {description: 'Average packet size (tc size units). Default C(1000b).', type: raw}
      burst:
        description: 'Packets a burst may bring before the average reaches O(choke.min); sets the averaging weight. Default (2 min + max) / (3 avpkt).'
        type: int
      probability: {description: 'Marking or dropping probability at O(choke.max), above 0 and below 1. Default C(0.02).', type: raw}
      bandwidth: {description: 'Link rate (tc rate units) for the decay of the average while idle. Default C(10mbit).', type: raw}
      ecn: {description: 'Mark ECN-capable packets instead of dropping them. Default C(false).', type: bool}
      harddrop: {description: 'Drop, not mark, above O(choke.max). Default C(false).', type: bool}
  codel:
    description: Options of a C(codel) qdisc (O(kind=codel)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      target: {description: 'The tc C(target) option. A time in tc units (C(5ms)). Kernel default C(5ms).', type: raw}
      limit: {description: 'The tc C(limit) option. Kernel default C(1000).', type: int}
      interval: {description: 'The tc C(interval) option. A time in tc units (C(5ms)). Kernel default C(100ms).', type: raw}
      ecn: {description: 'The tc C(ecn) option. Kernel default C(false).', type: bool}
      ce_threshold: {description: 'The tc C(ce_threshold) option. A time in tc units (C(5ms)).', type: raw}
  etf:
    description: Options of a C(etf) qdisc (O(kind=etf)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      delta: {description: 'Nanoseconds before its transmit time a packet is dequeued. Kernel default C(0).', type: int}
      clockid: {description: 'Clock the transmit times refer to.', type: str, choices: [CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_TAI]}
      deadline_mode: {description: 'The tc C(deadline_mode) option. Kernel default C(false).', type: bool}
      offload: {description: 'The tc C(offload) option. Kernel default C(false).', type: bool}
      skip_sock_check: {description: 'The tc C(skip_sock_check) option. Kernel default C(false).', type: bool}
  ets:
    description: Options of a C(ets) qdisc (O(kind=ets)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      bands: {description: 'Number of bands, 1-16.', type: int}
      strict: {description: 'How many of the bands are strict-priority ones. Kernel default C(0).', type: int}
      quanta: {description: 'Quantum in bytes of each bandwidth-sharing band.', type: list, elements: int}
      priomap: {description: 'Band of each packet priority.', type: list, elements: int}
  fq:
    description: Options of a C(fq) qdisc (O(kind=fq)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      limit: {description: 'The tc C(limit) option. Kernel default C(10000).', type: int}
      flow_limit: {description: 'The tc C(flow_limit) option. Kernel default C(100).', type: int}
      quantum: {description: 'The tc C(quantum) option. A size in tc units (C(32kb)).', type: raw}
      initial_quantum: {description: 'The tc C(initial_quantum) option. A size in tc units (C(32kb)).', type: raw}
      pacing: {description: 'The tc C(pacing) option. Kernel default C(true).', type: bool}
      maxrate: {description: 'The tc C(maxrate) option. A rate in tc units (C(10mbit)).', type: raw}
      buckets_log: {description: 'Base-2 logarithm of the number of hash buckets (tc C(buckets 1024) is 10). Kernel default C(10).', type: int}
      refill_delay: {description: 'The tc C(refill_delay) option. A time in tc units (C(5ms)). Kernel default C(40ms).', type: raw}
      orphan_mask: {description: 'The tc C(orphan_mask) option. Kernel default C(1023).', type: int}
      low_rate_threshold: {description: 'The tc C(low_rate_threshold) option. A rate in tc units (C(10mbit)). Kernel default C(550kbit).', type: raw}
      ce_threshold: {description: 'The tc C(ce_threshold) option. A time in tc units (C(5ms)).', type: raw}
      horizon: {description: 'The tc C(horizon) option. A time in tc units (C(5ms)). Kernel default C(10s).', type: raw}
      horizon_drop: {description: 'The tc C(horizon_drop) option. Kernel default C(true).', type: bool}
  fq_codel:
    description: Options of a C(fq_codel) qdisc (O(kind=fq_codel)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      target: {description: 'The tc C(target) option. A time in tc units (C(5ms)). Kernel default C(5ms).', type: raw}
      limit: {description: 'The tc C(limit) option. Kernel default C(10240).', type: int}
      interval: {description: 'The tc C(interval) option. A time in tc units (C(5ms)). Kernel default C(100ms).', type: raw}
      ecn: {description: 'The tc C(ecn) option. Kernel default C(true).', type: bool}
      flows: {description: 'The tc C(flows) option. Kernel default C(1024).', type: int}
      quantum: {description: 'The tc C(quantum) option. A size in tc units (C(32kb)).', type: raw}
      ce_threshold: {description: 'The tc C(ce_threshold) option. A time in tc units (C(5ms)).', type: raw}
      drop_batch: {description: 'The tc C(drop_batch) option. Kernel default C(64).', type: int}
      memory_limit: {description: 'The tc C(memory_limit) option. A size in tc units (C(32kb)). Kernel default C(32mb).', type: raw}
  fq_pie:
    description: Options of a C(fq_pie) qdisc (O(kind=fq_pie)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      limit: {description: 'The tc C(limit) option. Kernel default C(10240).', type: int}
      flows: {description: 'The tc C(flows) option. Kernel default C(1024).', type: int}
      target: {description: 'The tc C(target) option. A time in tc units (C(5ms)). Kernel default C(15ms).', type: raw}
      tupdate: {description: 'The tc C(tupdate) option. A time in tc units (C(5ms)). Kernel default C(15ms).', type: raw}
      alpha: {description: 'The tc C(alpha) option. Kernel default C(2).', type: int}
      beta: {description: 'The tc C(beta) option. Kernel default C(20).', type: int}
      quantum: {description: 'The tc C(quantum) option. A size in tc units (C(32kb)).', type: raw}
      memory_limit: {description: 'The tc C(memory_limit) option. A size in tc units (C(32kb)). Kernel default C(32mb).', type: raw}
      ecn_prob: {description: 'The tc C(ecn_prob) option. Kernel default C(10).', type: int}
      ecn: {description: 'The tc C(ecn) option. Kernel default C(false).', type: bool}
      bytemode: {description: 'The tc C(bytemode) option. Kernel default C(false).', type: bool}
      dq_rate_estimator: {description: 'The tc C(dq_rate_estimator) option. Kernel default C(false).', type: bool}
  gred:
    description:
      - Options of a C(gred) qdisc (O(kind=gred)) - its setup and its virtual queues in one task, as C(tc qdisc add ... gred setup)
        followed by C(tc qdisc change ... gred ... DP n) for each queue. Queues not listed are left as they are.
    type: dict
    suboptions:
      dps: {description: 'Number of virtual queues (1-16). Default the highest O(gred.vqs[].dp) + 1.', type: int}
      default: {description: 'Virtual queue of packets whose C(skb->tc_index) names none. Default C(0).', type: int}
      grio: {description: 'Priority buffer mode (RIO-like), with O(gred.vqs[].prio). Default C(false).', type: bool}
      limit: {description: 'Hard limit of the whole qdisc (tc size units); the kernel default is the device queue length times its MTU.', type: raw}
      ecn:
        description:
          - Mark instead of drop, in every virtual queue. Default C(false).
          - With O(gred.ecn) or O(gred.harddrop) every queue has the setup's flags (the kernel refuses a queue with others);
            without, each queue has its own. The kernel refuses setup flags while queues have their own.
        type: bool
      harddrop: {description: 'Drop, not mark, above the queues'' max, in every virtual queue. Default C(false).', type: bool}
      vqs:
        description:
          - The virtual queues, each a RED queue.
          - Facts show the burst and bandwidth as one set with avpkt C(1000b) that gives the kernel its numbers
            (Wlog, Scell_log); comparisons are on those numbers.
        type: list
        elements: dict
        suboptions:
          dp: {description: 'Number of the queue, below O(gred.dps).', type: int}
          limit: {description: 'Hard limit of the queue (tc size units).', type: raw}
          min: {description: 'Average queue length (tc size units) where dropping starts.', type: raw}
          max: {description: 'Average queue length where the drop probability reaches O(gred.vqs[].probability).', type: raw}
          avpkt: {description: 'Average packet size. Default C(1000b).', type: raw}
          burst: {description: 'Burst in packets; sets the averaging weight. Default (2 min + max) / (3 avpkt).', type: int}
          probability: {description: 'Drop probability at O(gred.vqs[].max). Default C(0.02).', type: raw}
          bandwidth: {description: 'Link rate for the idle decay. Default C(10mbit).', type: raw}
          prio: {description: 'Priority of the queue; only with O(gred.grio=true) (refused without it). Default C(0).', type: int}
          ecn: {description: 'Mark instead of drop. Default C(false), or the setup''s O(gred.ecn).', type: bool}
          harddrop: {description: 'Drop, not mark, above O(gred.vqs[].max). Default C(false), or the setup''s O(gred.harddrop).', type: bool}
  hfsc:
    description: Options of a C(hfsc) qdisc (O(kind=hfsc)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      default: {description: 'The tc C(default) option. Hexadecimal, as tc reads it.', type: raw}
  hhf:
    description: Options of a C(hhf) qdisc (O(kind=hhf)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      limit: {description: 'The tc C(limit) option. Kernel default C(1000).', type: int}
      quantum: {description: 'The tc C(quantum) option. A size in tc units (C(32kb)).', type: raw}
      hh_limit: {description: 'The tc C(hh_limit) option. Kernel default C(2048).', type: int}
      reset_timeout: {description: 'The tc C(reset_timeout) option. A time in tc units (C(5ms)). Kernel default C(40ms).', type: raw}
      admit_bytes: {description: 'The tc C(admit_bytes) option. A size in tc units (C(32kb)). Kernel default C(128kb).', type: raw}
      evict_timeout: {description: 'The tc C(evict_timeout) option. A time in tc units (C(5ms)). Kernel default C(1s).', type: raw}
      non_hh_weight: {description: 'The tc C(non_hh_weight) option. Kernel default C(2).', type: int}
  htb:
    description: Options of a C(htb) qdisc (O(kind=htb)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      default:
        description: 'Minor number of the class unclassified traffic goes to, hexadecimal as tc reads it (C(10) is class C(:10)); C(0) sends it unshaped.'
        type: raw
      r2q: {description: 'Divisor of a class rate that gives its default quantum. Kernel default C(10).', type: int}
      direct_qlen: {description: 'Length of the queue of unshaped traffic, in packets (default the device queue length).', type: int}
  mqprio:
    description:
      - Options of a C(mqprio) qdisc (O(kind=mqprio)); the device needs as many transmit queues as O(mqprio.queues) use.
      - The kernel cannot change it in place - a change replaces it.
    type: dict
    suboptions:
      num_tc: {description: 'Number of traffic classes (1-16).', type: int}
      map: {description: 'Traffic class of each packet priority (up to 16; the ones not given are 0).', type: list, elements: int}
      queues: {description: 'Transmit queues of each traffic class as C(count@offset) (C(2@0)), one per class.', type: list, elements: str}
      hw:
        description:
          - Offload the classes to the device; C(false) is the software mode. Default C(false).
          - Needs a device whose driver offloads mqprio (a NIC with traffic classes; not veth, which the kernel refuses).
        type: bool
      mode:
        description: 'How the device takes the classes, with O(mqprio.hw): C(dcb) (by priority) or C(channel) (queue sets, rates). Default C(dcb).'
        type: str
        choices: [channel, dcb]
      shaper:
        description:
          - Rate limiting of the classes with O(mqprio.mode=channel) - C(dcb) (none here) or C(bw_rlimit)
            (O(mqprio.min_rate), O(mqprio.max_rate)). Default C(dcb).
        type: str
        choices: [bw_rlimit, dcb]
      min_rate:
        description: 'Guaranteed rate of each traffic class (tc rate units, C(100mbit)), with O(mqprio.shaper=bw_rlimit); classes not given get C(0).'
        type: list
        elements: raw
      max_rate:
        description: 'Rate limit of each traffic class (tc rate units), with O(mqprio.shaper=bw_rlimit); classes not given get C(0) (none).'
        type: list
        elements: raw
  netem:
    description: Options of a C(netem) qdisc (O(kind=netem)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      delay: {description: 'Added delay (C(10ms)). Kernel default C(0us).', type: raw}
      jitter: {description: 'Random variation of the delay. Kernel default C(0us).', type: raw}
      limit: {description: 'Queue length in packets. Kernel default C(1000).', type: int}
      gap: {description: 'Reorder every n-th packet (with O(netem.reorder); default 1). Kernel default C(0).', type: int}
      rate: {description: 'Rate limit, in tc units. Kernel default C(0bit).', type: raw}
      ecn: {description: 'Mark ECN-capable packets instead of dropping them. Kernel default C(false).', type: bool}
      loss: {description: 'The tc C(loss) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      duplicate: {description: 'The tc C(duplicate) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      delay_correlation: {description: 'The tc C(delay_correlation) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      loss_correlation: {description: 'The tc C(loss_correlation) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      duplicate_correlation: {description: 'The tc C(duplicate_correlation) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      reorder: {description: 'The tc C(reorder) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      reorder_correlation: {description: 'The tc C(reorder_correlation) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      corrupt: {description: 'The tc C(corrupt) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
      corrupt_correlation: {description: 'The tc C(corrupt_correlation) option. A percentage (C(1%)). Kernel default C(0%).', type: raw}
  pfifo:
    description: Options of a C(pfifo) qdisc (O(kind=pfifo)).
    type: dict
    suboptions:
      limit: {description: 'The tc C(limit) option.', type: int}
  pfifo_head_drop:
    description: Options of a C(pfifo_head_drop) qdisc (O(kind=pfifo_head_drop)).
    type: dict
    suboptions:
      limit: {description: 'The tc C(limit) option.', type: int}
  pie:
    description: Options of a C(pie) qdisc (O(kind=pie)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      target: {description: 'The tc C(target) option. A time in tc units (C(5ms)). Kernel default C(15ms).', type: raw}
      limit: {description: 'The tc C(limit) option. Kernel default C(1000).', type: int}
      tupdate: {description: 'The tc C(tupdate) option. A time in tc units (C(5ms)). Kernel default C(15ms).', type: raw}
      alpha: {description: 'The tc C(alpha) option. Kernel default C(2).', type: int}
      beta: {description: 'The tc C(beta) option. Kernel default C(20).', type: int}
      ecn: {description: 'The tc C(ecn) option. Kernel default C(false).', type: bool}
      bytemode: {description: 'The tc C(bytemode) option. Kernel default C(false).', type: bool}
      dq_rate_estimator: {description: 'The tc C(dq_rate_estimator) option. Kernel default C(false).', type: bool}
  prio:
    description: Options of a C(prio) qdisc (O(kind=prio)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      bands: {description: 'Number of bands, 2-16. Kernel default C(3).', type: int}
      priomap:
        description: '16 band numbers, one per packet priority. Kernel default C(1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1).'
        type: list
        elements: int
  red:
    description:
      - Options of a C(red) qdisc (O(kind=red)); sizes in tc units.
      - Facts show the burst and bandwidth as one set with avpkt C(1000b) that gives the kernel its numbers
        (Wlog, Scell_log); comparisons are on those numbers.
    type: dict
    suboptions:
      limit: {description: 'Hard queue limit (tc size units).', type: raw}
      min: {description: 'Average queue length (tc size units) where marking or dropping starts; at most O(red.max).', type: raw}
      max: {description: 'Average queue length (tc size units) where the probability of marking or dropping reaches O(red.probability).', type: raw}
      avpkt: {description: 'Average packet size (tc size units). Default C(1000b).', type: raw}
      burst:
        description: 'Packets a burst may bring before the average reaches O(red.min); sets the averaging weight. Default (2 min + max) / (3 avpkt).'
        type: int
      probability: {description: 'Marking or dropping probability at O(red.max), above 0 and below 1. Default C(0.02).', type: raw}
      bandwidth: {description: 'Link rate (tc rate units) for the decay of the average while idle. Default C(10mbit).', type: raw}
      ecn: {description: 'Mark ECN-capable packets instead of dropping them. Default C(false).', type: bool}
      harddrop: {description: 'Drop, not mark, above O(red.max). Default C(false).', type: bool}
      adaptive: {description: 'Adapt the probability to keep the average between min and max (Adaptive RED). Default C(false).', type: bool}
      nodrop: {description: 'With O(red.ecn), never drop a packet that cannot be marked. Default C(false).', type: bool}
  sfb:
    description: Options of a C(sfb) qdisc (O(kind=sfb)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      rehash: {description: 'Milliseconds between rehashes. Kernel default C(600000).', type: int}
      db: {description: 'Milliseconds of double buffering before a rehash. Kernel default C(60000).', type: int}
      max: {description: 'Most packets a bin may hold. Kernel default C(25).', type: int}
      target: {description: 'Target queue length of a bin, in packets. Kernel default C(20).', type: int}
      limit: {description: 'Queue length in packets (default the device queue length).', type: int}
      penalty_rate: {description: 'The tc C(penalty_rate) option. Kernel default C(10).', type: int}
      penalty_burst: {description: 'The tc C(penalty_burst) option. Kernel default C(20).', type: int}
  sfq:
    description: Options of a C(sfq) qdisc (O(kind=sfq)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      quantum: {description: 'Bytes a flow may send per round.', type: raw}
      perturb: {description: 'Seconds between hash perturbations (0 never). Kernel default C(0).', type: int}
      limit: {description: 'The tc C(limit) option. Kernel default C(127).', type: int}
      divisor: {description: 'The tc C(divisor) option. Kernel default C(1024).', type: int}
      flows: {description: 'The tc C(flows) option. Kernel default C(128).', type: int}
      depth: {description: 'The tc C(depth) option. Kernel default C(127).', type: int}
      headdrop: {description: 'The tc C(headdrop) option. Kernel default C(false).', type: bool}
  skbprio:
    description: Options of a C(skbprio) qdisc (O(kind=skbprio)). O(state=replaced) returns omitted ones to the kernel defaults named.
    type: dict
    suboptions:
      limit: {description: 'The tc C(limit) option. Kernel default C(64).', type: int}
  taprio:
    description:
      - Options of a C(taprio) qdisc (O(kind=taprio)), in software mode unless O(taprio.flags) says otherwise; the device
        needs as many transmit queues as O(taprio.queues) use. Times are nanoseconds, as tc takes them.
      - A change replaces it (the kernel keeps the traffic classes and the clock of a running schedule).
    type: dict
    suboptions:
      num_tc: {description: 'Number of traffic classes (1-16).', type: int}
      map: {description: 'Traffic class of each packet priority (up to 16; the ones not given are 0).', type: list, elements: int}
      queues: {description: 'Transmit queues of each traffic class as C(count@offset), one per class.', type: list, elements: str}
      base_time: {description: 'Start of the schedule, nanoseconds of O(taprio.clockid). Default C(0).', type: int}
      cycle_time: {description: 'Length of a cycle in nanoseconds (default the sum of the intervals).', type: int}
      cycle_time_extension: {description: 'Nanoseconds the last entry of a cycle may be extended by at a schedule change.', type: int}
      clockid:
        description: 'Clock of the schedule; required except with O(taprio.flags=[full-offload]), which takes none.'
        type: str
        choices: [CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_TAI]
      flags:
        description:
          - At most one of C(txtime-assist) (the schedule sets each packet's transmit time, for C(etf) children with
            O(taprio.txtime_delay)) and C(full-offload) (the device runs the schedule; needs a NIC that offloads taprio).
          - None (the default) is the software mode.
        type: list
        elements: str
        choices: [full-offload, txtime-assist]
      txtime_delay: {description: 'Nanoseconds from enqueue to transmit time, with O(taprio.flags=[txtime-assist]).', type: int}
      max_sdu:
        description:
          - Largest frame (bytes, without the Ethernet header) of each traffic class; C(0), and classes not given, no limit.
          - The kernel drops larger ones. tc 6.1 has no word for it (C(max-sdu), tc 6.2 on).
        type: list
        elements: int
      schedule:
        description: 'The gate control list, in order.'
        type: list
        elements: dict
        suboptions:
          command:
            description: 'C(S) sets the gates; C(H) (set and hold) and C(R) (set and release) are for frame preemption.'
            type: str
            choices: [H, R, S]
            default: S
          gates: {description: 'Bit mask of the traffic classes whose gates are open, hexadecimal as tc reads it (C(3)).', type: raw}
          interval: {description: 'Duration of the entry in nanoseconds.', type: int}
  tbf:
    description: Options of a C(tbf) qdisc (O(kind=tbf)).
    type: dict
    suboptions:
      rate: {description: 'Rate, in tc units (C(10mbit); C(kbps) etc. are bytes).', type: raw}
      burst:
        description: 'Bucket size, in tc size units (C(32kb), C(1500b), C(32kbit)); the kernel keeps it as a transmit time at O(tbf.rate).'
        type: raw
      limit: {description: 'Bytes that may queue waiting for tokens. Give this or O(tbf.latency).', type: raw}
      latency: {description: 'Longest time a packet may wait (C(50ms)); turned into O(tbf.limit) as tc does, and shown as O(tbf.limit).', type: raw}
      peakrate: {description: 'Peak rate; needs O(tbf.mtu).', type: raw}
      mtu: {description: 'Size of the peak-rate bucket.', type: raw}

'''

EXAMPLES = r'''
- name: Shape eth1 with htb; unclassified traffic goes to class 1:10
  nlink.netlink.nl_qdisc:
    dev: eth1
    handle: '1:'
    kind: htb
    htb:
      default: 10

- name: A token bucket at 10 Mbit/s under class 1:20
  nlink.netlink.nl_qdisc:
    dev: eth1
    parent: '1:20'
    handle: '20:'
    kind: tbf
    tbf:
      rate: 10mbit
      burst: 32kbit
      latency: 50ms

- name: Emulate a lossy WAN link in a lab namespace
  nlink.netlink.nl_qdisc:
    netns: lab
    dev: veth0
    handle: '1:'
    kind: netem
    netem:
      delay: 40ms
      jitter: 5ms
      loss: 1%

- name: Exactly these qdiscs on eth2 (anything else on eth2 is removed)
  nlink.netlink.nl_qdisc:
    dev: eth2
    state: overridden
    config:
      - handle: '1:'
        kind: htb
        htb: {default: 20}
      - parent: '1:20'
        handle: '20:'
        kind: fq_codel
      - kind: clsact

- name: RED on eth1 with ECN marking (sizes in tc units; burst, probability and bandwidth as tc defaults them)
  nlink.netlink.nl_qdisc:
    dev: eth1
    handle: '1:'
    kind: red
    red:
      limit: 400kb
      min: 30kb
      max: 90kb
      avpkt: 1000
      bandwidth: 100mbit
      ecn: true

- name: GRED with three virtual queues, priority buffer mode (the setup and each queue in one task)
  nlink.netlink.nl_qdisc:
    dev: eth1
    handle: '1:'
    kind: gred
    gred:
      default: 2
      grio: true
      vqs:
        - {dp: 0, prio: 1, limit: 60kb, min: 15kb, max: 45kb}
        - {dp: 1, prio: 2, limit: 60kb, min: 15kb, max: 45kb, probability: 0.05}
        - {dp: 2, prio: 3, limit: 60kb, min: 10kb, max: 30kb, probability: 0.1}

- name: Time-aware shaping (taprio, software mode) on a device with 4 transmit queues
  nlink.netlink.nl_qdisc:
    dev: eth2
    handle: '1:'
    kind: taprio
    taprio:
      num_tc: 3
      map: [2, 2, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]
      queues: ['1@0', '1@1', '2@2']
      base_time: 1000000000
      clockid: CLOCK_TAI
      schedule:
        - {command: S, gates: '1', interval: 300000}
        - {command: S, gates: '6', interval: 700000}

- name: Three traffic classes over 8 transmit queues (mqprio, software mode)
  nlink.netlink.nl_qdisc:
    dev: eth2
    handle: '1:'
    kind: mqprio
    mqprio:
      num_tc: 3
      map: [2, 2, 1, 0]
      queues: ['2@0', '2@2', '4@4']

- name: Remove the root qdisc of eth1 (the device gets its default back)
  nlink.netlink.nl_qdisc:
    dev: eth1
    handle: '1:'
    state: absent

- name: Show the plan as tc commands
  nlink.netlink.nl_qdisc:
    dev: eth1
    handle: '1:'
    kind: htb
    state: rendered
'''

RETURN = r'''
before:
  description: The qdiscs concerned before the change, in the O(config) shape.
  returned: when not gathered, rendered or parsed
  type: list
  elements: dict
after:
  description: The qdiscs concerned after the change (predicted in check mode), in the O(config) shape.
  returned: when not gathered, rendered or parsed
  type: list
  elements: dict
  sample: [{dev: eth1, parent: root, handle: '1:', kind: htb, htb: {default: '10', r2q: 10, direct_qlen: 1000}}]
commands:
  description: The changes as C(tc) commands.
  returned: when not gathered, rendered or parsed
  type: list
  elements: str
  sample: ['tc qdisc replace dev eth1 root handle 1: htb default 10']
gathered:
  description: The qdiscs of the namespace (of O(dev) when given).
  returned: when O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The plan of O(state=merged) as C(tc) commands; nothing was changed.
  returned: when O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(tc -j qdisc show)) in the O(config) shape.
  returned: when O(state=parsed)
  type: list
  elements: dict
failures:
  description: The changes the kernel refused, each with the qdisc, the operation and the kernel's message.
  returned: when some changes failed
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.qdisc import Qdisc


def main():
    run_module(Qdisc)


if __name__ == '__main__':
    main()

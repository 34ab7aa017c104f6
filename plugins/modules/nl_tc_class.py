#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_tc_class
short_description: Manage traffic control classes (htb, hfsc, drr, qfq, ets) over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes the classes of classful qdiscs, the way C(tc class) does, idempotently; one or
    many in one task. The qdisc itself is M(nlink.netlink.nl_qdisc)'s.
  - A class is identified by its device and class id (O(dev) + O(classid)).
  - Options are given in a sub-dictionary named after the kind, which is the kind of the class's qdisc
    (O(htb), O(hfsc), O(drr), O(qfq), O(ets)), in tc's units - rates C(100mbit) (bits; C(12500kbps) is
    bytes), sizes C(32kb), times C(10ms). Results show them normalized, so gathered state re-applies as a
    no-op.
  - Options change in place (C(tc class change)); a new parent deletes the class and creates it again.
  - The bands of an C(ets) qdisc are classes that exist with it; they can be changed, never created or
    removed. Classes of other classful qdiscs (prio, mq, multiq) have nothing to configure and are not
    gathered.
  - With O(config), the top-level O(dev) is the scope of O(state=overridden) and of O(state=deleted)
    without items; a top-level O(parent) narrows it to the classes below that parent (a qdisc handle such as
    C(1:) - its classes; a class - the classes below it) and is the parent of items that name none.
  - Classes are removed children first; a class with a filter attached to it is refused by the kernel
    (C(EBUSY)) until the filter is gone.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
notes:
  - Gathered classes carry no counters. O(state=parsed) is not available - C(tc -j class show) of iproute2
    6.1 prints no JSON.
options:
  dev:
    description:
      - Name of the device. Required for each object; at the top level with O(config), the purge scope and
        the device of items that name none.
    type: str
  classid:
    description:
      - The class, C(MAJ:MIN) in hexadecimal as tc reads it, MAJ the handle of its qdisc (C(1:10) is class
        C(10) of qdisc C(1:)).
    type: str
  parent:
    description:
      - The qdisc (C(1:), a root class) or class (C(1:1)) the class hangs below. Results show a root class's
        parent as C(root).
      - Required to create a class.
    type: str
  kind:
    description:
      - The kind of the class's qdisc; implied by the one options sub-dictionary given.
    type: str
    choices: [drr, ets, hfsc, htb, qfq]
  htb:
    description:
      - Options of an htb class. O(htb.rate) is required; tc's defaults fill the rest on creation - O(htb.ceil)
        is O(htb.rate), the bursts are rate / HZ + 1600 bytes.
      - O(htb.prio) and O(htb.quantum) apply to leaf classes; an inner class keeps neither.
    type: dict
    suboptions:
      rate: {description: 'Guaranteed rate, in tc units (C(10mbit); C(kbps) etc. are bytes).', type: raw}
      ceil: {description: 'Most the class may borrow up to.', type: raw}
      burst: {description: 'Bytes that may be sent at O(htb.ceil) in one go (C(32kb)); kept by the kernel as a time.', type: raw}
      cburst: {description: 'Bytes that may be sent at link speed in one go.', type: raw}
      prio: {description: 'Priority for spare bandwidth, 0 (first) to 7. Kernel default C(0).', type: int}
      quantum: {description: 'Bytes served per round among classes of the same priority (default rate / r2q).', type: int}
  hfsc:
    description:
      - Service curves of an hfsc class, each C(m1) (rate of the first segment, default C(0bit)), C(d)
        (its length, default C(0us)) and C(m2) (long-term rate, required).
    type: dict
    suboptions:
      rt:
        description: Real-time curve.
        type: dict
        suboptions:
          m1: {description: 'Rate of the first segment.', type: raw}
          d: {description: 'Length of the first segment (C(10ms)).', type: raw}
          m2: {description: 'Long-term rate.', type: raw}
      ls:
        description: Link-sharing curve.
        type: dict
        suboptions:
          m1: {description: 'Rate of the first segment.', type: raw}
          d: {description: 'Length of the first segment (C(10ms)).', type: raw}
          m2: {description: 'Long-term rate.', type: raw}
      ul:
        description: Upper-limit curve.
        type: dict
        suboptions:
          m1: {description: 'Rate of the first segment.', type: raw}
          d: {description: 'Length of the first segment (C(10ms)).', type: raw}
          m2: {description: 'Long-term rate.', type: raw}
  drr:
    description: Options of a drr class.
    type: dict
    suboptions:
      quantum: {description: 'Bytes served per round (C(1514b); default the device MTU).', type: raw}
  qfq:
    description: Options of a qfq class.
    type: dict
    suboptions:
      weight: {description: 'Weight of the class.', type: int}
      maxpkt: {description: 'Largest packet of the class (C(1500b)).', type: raw}
  ets:
    description: Options of an ets band (a bandwidth-sharing one; strict bands have no options).
    type: dict
    suboptions:
      quantum: {description: 'Bytes served per round.', type: raw}
'''

EXAMPLES = r'''
- name: Two htb classes below a parent class on eth1 (below the existing htb qdisc 1)
  nlink.netlink.nl_tc_class:
    dev: eth1
    config:
      - classid: '1:1'
        parent: '1:'
        htb: {rate: 100mbit}
      - classid: '1:10'
        parent: '1:1'
        htb: {rate: 60mbit, ceil: 100mbit, prio: 0}
      - classid: '1:20'
        parent: '1:1'
        htb: {rate: 40mbit, ceil: 100mbit, burst: 32kb, prio: 1}

- name: Exactly these classes below qdisc 1 of eth1
  nlink.netlink.nl_tc_class:
    dev: eth1
    parent: '1:'
    state: overridden
    config:
      - classid: '1:1'
        htb: {rate: 100mbit}

- name: An hfsc real-time class
  nlink.netlink.nl_tc_class:
    dev: eth1
    classid: '2:10'
    parent: '2:'
    hfsc:
      rt: {m1: 10mbit, d: 10ms, m2: 5mbit}

- name: Remove a class
  nlink.netlink.nl_tc_class:
    dev: eth1
    classid: '1:20'
    state: absent
'''

RETURN = r'''
before:
  description: The classes concerned before the change, in the O(config) shape.
  returned: when not gathered or rendered
  type: list
  elements: dict
after:
  description: The classes concerned after the change (predicted in check mode), in the O(config) shape.
  returned: when not gathered or rendered
  type: list
  elements: dict
  sample: [{dev: eth1, classid: '1:10', parent: '1:1', kind: htb,
            htb: {rate: 60mbit, ceil: 100mbit, burst: 1600b, cburst: 1600b, prio: 0, quantum: 75000}}]
commands:
  description: The changes as C(tc) commands.
  returned: when not gathered or rendered
  type: list
  elements: str
  sample: ['tc class add dev eth1 parent 1:1 classid 1:10 htb rate 60mbit ceil 100mbit prio 0']
gathered:
  description: The classes of the namespace (of O(dev) when given).
  returned: when O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The plan of O(state=merged) as C(tc) commands; nothing was changed.
  returned: when O(state=rendered)
  type: list
  elements: str
parsed:
  description:
    - Never returned - O(state=parsed) is refused for classes, because C(tc class show) of iproute2 6.1 prints
      neither JSON (even with C(-j)) nor the device name.
  returned: never
  type: list
  elements: dict
failures:
  description: The changes the kernel refused, each with the class, the operation and the kernel's message.
  returned: when some changes failed
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_class import TcClass


def main():
    run_module(TcClass)


if __name__ == '__main__':
    main()

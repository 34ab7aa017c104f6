#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_ethtool
short_description: Manage network device settings (offloads, rings, channels, coalescing, ...) over ethtool netlink
version_added: 0.1.0
description:
  - Sets what C(ethtool) sets on a network device - features (offloads), rings, channels, interrupt
    coalescing, pause frames, EEE, Wake-on-LAN, link settings, private flags and FEC - idempotently, through
    the kernel's C(ethtool) generic netlink family (Linux 5.6 or later).
  - An object is a device (O(dev)). Each setting group is a mapping of the names C(ethtool) gives the
    settings; only the keys given are managed, and a group not given is not touched.
  - A group the driver does not support, or a key the driver does not report, is refused before anything
    changes, naming the driver (C(driver veth does not support rings)). A feature the driver cannot change
    (C([fixed]) in C(ethtool -k)) is refused when it would have to change.
  - O(state=replaced) and O(state=overridden) act like O(state=merged) on the groups given - a device's
    settings have no defaults to return to and are never removed. O(state=deleted) is refused.
  - O(state=rendered) and RV(commands) give the plan as C(ethtool) commands (prefixed with
    C(ip netns exec NAME) when O(netns) is given).
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  dev:
    description: Name of the network device.
    type: str
  features:
    description:
      - Features by the names C(ethtool -k) prints (C(generic-receive-offload), C(tx-checksum-ip-generic))
        or the kernel's names (C(rx-gro)) or the short names C(ethtool -K) takes (C(gro), C(tso)), each
        C(true) or C(false).
      - A name C(ethtool -k) prints above several features (C(tx-checksumming), C(scatter-gather),
        C(tcp-segmentation-offload)) sets those of them the driver can change.
      - The comparison is with the active state; a feature asked for that the kernel keeps off because of
        another one (C(tso) needs C(sg)) fails the verification after applying.
    type: dict
  rings:
    description:
      - Ring sizes, C(ethtool -g/-G) - C(rx), C(rx-mini), C(rx-jumbo), C(tx), C(rx-buf-len), C(cqe-size),
        C(tx-push), C(rx-push), C(tx-push-buf-len), C(hds-thresh), C(tcp-data-split) (C(auto), C(on), C(off)).
    type: dict
  channels:
    description: Channel counts, C(ethtool -l/-L) - C(rx), C(tx), C(other), C(combined).
    type: dict
  coalesce:
    description:
      - Interrupt coalescing, C(ethtool -c/-C) - C(adaptive-rx), C(adaptive-tx), C(rx-usecs), C(rx-frames),
        C(rx-usecs-irq), C(rx-frames-irq), C(tx-usecs), C(tx-frames), C(tx-usecs-irq), C(tx-frames-irq),
        C(stats-block-usecs), C(sample-interval), C(pkt-rate-low), C(rx-usecs-low), C(rx-frames-low),
        C(tx-usecs-low), C(tx-frames-low), C(pkt-rate-high), C(rx-usecs-high), C(rx-frames-high),
        C(tx-usecs-high), C(tx-frames-high), C(cqe-mode-rx), C(cqe-mode-tx), C(tx-aggr-max-bytes),
        C(tx-aggr-max-frames), C(tx-aggr-time-usecs).
    type: dict
  pause:
    description: Pause frames, C(ethtool -a/-A) - C(autonegotiate), C(rx), C(tx) (booleans).
    type: dict
  eee:
    description: Energy-Efficient Ethernet, C(ethtool --show-eee/--set-eee) - C(eee), C(tx-lpi) (booleans), C(tx-timer).
    type: dict
  wol:
    description:
      - Wake-on-LAN, C(ethtool -s DEV wol) - C(modes), a list of C(phy), C(ucast), C(mcast), C(bcast), C(arp),
        C(magic), C(magicsecure), C(filter) (exactly these; C([]) disables). The SecureOn password is not managed.
    type: dict
  link:
    description:
      - Link settings, C(ethtool -s) - C(autoneg) (boolean), C(speed) (Mb/s), C(duplex) (C(half), C(full)),
        C(advertise) (a list of link modes by the kernel's names, C(1000baseT/Full); exactly these).
    type: dict
  private_flags:
    description: Driver private flags, C(ethtool --show-priv-flags/--set-priv-flags), each name C(true) or C(false).
    type: dict
  fec:
    description:
      - Forward error correction, C(ethtool --show-fec/--set-fec) - C(encoding), a list of C(auto), C(off),
        C(rs), C(baser), C(llrs).
    type: dict
notes:
  - O(running_config) for O(state=parsed) is the output of C(ethtool --json) (C(-k), C(-a), C(--show-fec), and
    C(-g), C(-l), C(-c) with an ethtool that prints JSON for them); several outputs may be concatenated.
  - Statistics are not settings and are not reported.
'''

EXAMPLES = r'''
- name: GRO off, TSO on, 4 combined channels on eth1
  nlink.netlink.nl_ethtool:
    dev: eth1
    features:
      generic-receive-offload: false
      tcp-segmentation-offload: true
    channels:
      combined: 4

- name: Bigger rings and adaptive RX coalescing on two devices
  nlink.netlink.nl_ethtool:
    config:
      - dev: eth1
        rings: {rx: 4096, tx: 4096}
        coalesce: {adaptive-rx: true}
      - dev: eth2
        pause: {autonegotiate: false, rx: true, tx: true}

- name: Fixed 1G full duplex, no Wake-on-LAN
  nlink.netlink.nl_ethtool:
    dev: eth3
    link: {autoneg: false, speed: 1000, duplex: full}
    wol: {modes: []}

- name: The settings of the devices in namespace lab
  nlink.netlink.nl_ethtool:
    netns: lab
    state: gathered
  register: settings
'''

RETURN = r'''
before:
  description: The devices addressed, before, with the groups the task gives.
  returned: with an action state
  type: list
  elements: dict
  sample: [{"dev": "eth1", "channels": {"combined": 2}, "features": {"generic-receive-offload": true}}]
after:
  description: The same devices afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as ethtool commands.
  returned: with an action state
  type: list
  elements: str
  sample: ["ethtool -K eth1 generic-receive-offload off", "ethtool -L eth1 combined 4"]
failures:
  description: Changes the kernel refused, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: Every group the driver supports, of O(dev) or of every device.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the devices to the desired settings.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(ethtool --json) output) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.ethtool import Ethtool


def main():
    run_module(Ethtool)


if __name__ == '__main__':
    main()

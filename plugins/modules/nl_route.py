#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_route
short_description: Manage IPv4 and IPv6 routes over netlink
version_added: 0.1.0
description:
  - Adds, changes and removes routes, one or a hundred thousand in one task, the way C(ip route) does,
    idempotently.
  - A route is identified by its table, family, destination, TOS and metric (O(table) + O(family) + O(dst) +
    O(tos) + O(metric)), as the kernel keys it. Where the kernel itself holds several routes with one such
    identity (its per-device IPv6 link-local and multicast routes, routes added with C(ip route append)),
    the device and type tell them apart.
  - A change rewrites the whole route (C(ip route replace), C(NLM_F_REPLACE)); the kernel keeps no part of
    the old one. Attributes this module does not manage (realms, C(congctl), C(features), C(quickack),
    C(rto_min)) are not carried over.
  - With O(config), the top-level O(table) is the scope (and O(dev), O(protocol), O(family) narrow it) -
    O(state=overridden) removes exactly the routes of that table that are not listed, and nothing else.
    Routes the kernel made itself (protocol C(kernel), C(ra) or C(redirect) - connected and local routes,
    IPv6 link-local and multicast routes) are never removed unless O(protocol) names their protocol.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - nlink.netlink.netlink
options:
  dst:
    description:
      - The destination prefix, C(192.0.2.0/24), C(2001:db8::/64), a host address (C(/32) or C(/128)), or
        C(default) (C(0.0.0.0/0) or C(::/0)). Host bits must be zero.
      - Returned in the form C(address/length).
    type: str
  family:
    description:
      - C(inet) (IPv4) or C(inet6) (IPv6). Follows from O(dst); needed only for an IPv6 O(dst=default) without
        a gateway.
      - At the top level with O(config), narrows the purge scope to one family.
    type: str
    choices: [inet, inet6]
  table:
    description:
      - The routing table, C(main), C(local), C(default) or a number 1-4294967295. Defaults to C(main).
      - At the top level with O(config), the purge scope (required for O(state=overridden)) and the table of
        items that name none.
    type: str
  metric:
    description:
      - The route's priority (C(metric) in C(ip route)); part of its identity.
      - Defaults to 0 for IPv4 and 1024 for IPv6 (the kernel's default; an IPv6 metric of 0 becomes 1024).
    type: int
  tos:
    description: The TOS (DSCP) the route matches, IPv4 only; part of its identity. Defaults to 0.
    type: int
  type:
    description:
      - The route type. Defaults to C(unicast). Changing it replaces the route.
    type: str
    choices: [unicast, local, broadcast, anycast, multicast, blackhole, unreachable, prohibit, throw, nat]
  scope:
    description:
      - C(global), C(site), C(link), C(host), C(nowhere) or a number. IPv6 routes are always C(global).
      - When omitted, what iproute2 gives - C(host) for C(local) and C(nat), C(link) for C(broadcast),
        C(multicast), C(anycast) and for unicast routes without a gateway, C(global) otherwise.
    type: str
  protocol:
    description:
      - Who installed the route, a name from C(linux/rtnetlink.h) (C(boot), C(static), C(kernel), C(dhcp),
        C(bgp), C(ospf), ...) or a number 0-255.
      - Routes this module creates get C(static) unless told otherwise (C(ip route add) uses C(boot)), so that
        they can be told apart and purged by protocol; the rendered commands say so (C(proto static)).
      - At the top level with O(config), narrows the purge scope to routes of this protocol (and fills in
        the protocol of items that name none).
    type: str
  gateway:
    description:
      - The next hop's address (C(via)), of the route's family. Excludes O(nexthops) and O(nhid); giving one
        of the three says the others are absent.
    type: str
  dev:
    description:
      - The outgoing device. With a gateway, the kernel finds it when omitted (and it is not compared then);
        when a route's gateway, next hops or type change and O(dev) is not given, the kernel finds it anew.
      - With O(nexthops), the device of next hops that name none.
      - At the top level with O(config), narrows the purge scope to routes through this device.
    type: str
  prefsrc:
    description: The preferred source address (C(src) in C(ip route), C(RTA_PREFSRC)).
    type: str
  onlink:
    description: Treat the gateway as directly reachable, even if no prefix covers it (C(onlink)).
    type: bool
  nexthops:
    description:
      - A multipath route - its next hops, compared in any order. One next hop is a plain route.
    type: list
    elements: dict
    suboptions:
      gateway:
        description: The next hop's address.
        type: str
      dev:
        description: Its device (found by the kernel from the gateway when omitted).
        type: str
      weight:
        description: Its share of the traffic, 1-256.
        type: int
        default: 1
      onlink:
        description: Its gateway is directly reachable.
        type: bool
        default: false
  nhid:
    description:
      - The id of a nexthop object (made with C(ip nexthop add id N ...)) the route uses.
    type: int
  metrics:
    description:
      - Route metrics, in iproute2's units. Managed as a whole - the route gets exactly the metrics given.
    type: dict
    suboptions:
      mtu:
        description: Path MTU (at most 65520).
        type: int
      advmss:
        description: Advertised MSS (at most 65495).
        type: int
      window:
        description: TCP window clamp.
        type: int
      initcwnd:
        description: Initial congestion window.
        type: int
      initrwnd:
        description: Initial receive window.
        type: int
      hoplimit:
        description: Hop limit / TTL (at most 255).
        type: int
      rtt:
        description: Initial RTT estimate, in milliseconds.
        type: int
      rttvar:
        description: Initial RTT variance, in milliseconds.
        type: int
      ssthresh:
        description: Initial slow start threshold.
        type: int
      cwnd:
        description: Congestion window clamp.
        type: int
      reordering:
        description: Maximal reordering.
        type: int
      lock:
        description: Metrics that TCP may not change (C(mtu lock 1400)); each needs a value above.
        type: list
        elements: str
        choices: [mtu, advmss, window, initcwnd, initrwnd, hoplimit, rtt, rttvar, ssthresh, cwnd, reordering]
  encap:
    description:
      - Lightweight tunnel encapsulation (C(encap) in C(ip route)).
      - C(seg6) - SRv6 encapsulation with O(encap.mode) and O(encap.segs).
      - C(seg6local) - an SRv6 local behaviour (IPv6 routes) with O(encap.action) and its parameters.
      - C(mpls) - push O(encap.labels) (needs the C(mpls_iptunnel) kernel module).
    type: dict
    suboptions:
      type:
        description: The encapsulation; needed unless O(encap) is empty (no encapsulation, as gathered).
        type: str
        choices: [mpls, seg6, seg6local]
      mode:
        description: C(seg6) mode. Defaults to C(encap).
        type: str
        choices: [inline, encap, l2encap, encap.red, l2encap.red]
      segs:
        description: C(seg6) segments, or the C(srh) segments of C(seg6local) C(End.B6) and C(End.B6.Encaps).
        type: list
        elements: str
      action:
        description: C(seg6local) behaviour.
        type: str
        choices: [End, End.X, End.T, End.DX2, End.DX6, End.DX4, End.DT6, End.DT4, End.B6, End.B6.Encaps,
                  End.BM, End.S, End.AS, End.AM, End.BPF, End.DT46]
      table:
        description: C(seg6local) lookup table (C(End.T), C(End.DT6)).
        type: str
      vrftable:
        description: C(seg6local) VRF table (C(End.DT4), C(End.DT6), C(End.DT46)).
        type: str
      nh4:
        description: C(seg6local) IPv4 next hop (C(End.DX4)).
        type: str
      nh6:
        description: C(seg6local) IPv6 next hop (C(End.X), C(End.DX6)).
        type: str
      iif:
        description: C(seg6local) incoming device.
        type: str
      oif:
        description: C(seg6local) outgoing device (C(End.DX2)).
        type: str
      labels:
        description: C(mpls) label stack, outermost first.
        type: list
        elements: int
      ttl:
        description: C(mpls) TTL of the pushed labels.
        type: int
  pref:
    description:
      - IPv6 router preference, C(low), C(medium) or C(high). The kernel gives IPv6 routes C(medium).
    type: str
    choices: [low, medium, high]
notes:
  - O(state=replaced) returns omitted attributes to their defaults (no gateway, preferred source, metrics,
    encapsulation, onlink; protocol C(static); IPv6 preference C(medium); the scope iproute2 would give) - but
    not O(dev), which the kernel finds from the gateway.
  - Timers and counters the kernel keeps with a route (IPv6 expiry, cache info) are not compared.
  - Large sets are read and written with the collection's own struct-level codec and pipelined requests (no
    acknowledgement per route; a failing route is named in RV(failures)); give them with O(src).
'''

EXAMPLES = r'''
- name: A route through a gateway
  nlink.netlink.nl_route:
    dst: 198.51.100.0/24
    gateway: 192.0.2.254

- name: An IPv6 default route with high preference
  nlink.netlink.nl_route:
    dst: default
    family: inet6
    gateway: 2001:db8::1
    pref: high

- name: Table 100 holds exactly these routes (other routes of table 100 go; main is left alone)
  nlink.netlink.nl_route:
    table: 100
    state: overridden
    config:
      - dst: default
        gateway: 192.0.2.1
      - dst: 10.10.0.0/16
        type: blackhole
      - dst: 10.20.0.0/16
        nexthops:
          - {gateway: 192.0.2.1, weight: 2}
          - {gateway: 192.0.2.2, weight: 1}
        metrics: {mtu: 1400, lock: [mtu]}

- name: Remove the BGP routes of table main that are not listed, keep all others
  nlink.netlink.nl_route:
    table: main
    protocol: bgp
    state: overridden
    config:
      - dst: 203.0.113.0/24
        gateway: 192.0.2.9

- name: SRv6 encapsulation, in namespace lab
  nlink.netlink.nl_route:
    netns: lab
    dst: 2001:db8:100::/64
    dev: eth0
    encap:
      type: seg6
      mode: encap
      segs: [2001:db8::a, 2001:db8::b]

- name: Apply 100,000 routes from a file on the managed host
  nlink.netlink.nl_route:
    src: /etc/netlink/routes.json

- name: Remove one route
  nlink.netlink.nl_route:
    dst: 198.51.100.0/24
    state: absent

- name: Read the routes of table 100
  nlink.netlink.nl_route:
    table: 100
    state: gathered
  register: table100

- name: Turn `ip -j route show` output into config
  nlink.netlink.nl_route:
    state: parsed
    running_config: "{{ lookup('ansible.builtin.pipe', 'ip -j route show table all') }}"
'''

RETURN = r'''
before:
  description: The addressed routes before, in the O(config) shape (at most 1000; beyond, only those that change).
  returned: with an action state
  type: list
  elements: dict
  sample: [{"dst": "198.51.100.0/24", "family": "inet", "table": "main", "metric": 0, "tos": 0, "type": "unicast",
            "scope": "global", "protocol": "static", "gateway": "192.0.2.254", "dev": "eth0", "prefsrc": "",
            "onlink": false, "nexthops": [], "nhid": 0, "metrics": {}, "encap": {}, "pref": null}]
after:
  description: The same routes afterwards (in check mode, as predicted).
  returned: with an action state
  type: list
  elements: dict
commands:
  description: The plan as iproute2 commands, replayable with C(ip -batch).
  returned: with an action state
  type: list
  elements: str
  sample: ["ip route add 198.51.100.0/24 proto static via 192.0.2.254"]
failures:
  description: Routes whose change failed in a bulk task, each with C(item), C(op) and C(msg).
  returned: when some changes failed
  type: list
  elements: dict
gathered:
  description: The current routes in scope.
  returned: with O(state=gathered)
  type: list
  elements: dict
rendered:
  description: The commands that would bring the kernel to the desired state.
  returned: with O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) (C(ip -j route show)) in the O(config) shape.
  returned: with O(state=parsed)
  type: list
  elements: dict
'''

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.module import run_module
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route


def main():
    run_module(Route)


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-rulebook event source: rtnetlink multicast events, in the shape nl_facts and the modules use."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
short_description: Stream rtnetlink events (links, addresses, routes, neighbours, rules, nexthops, netconf).
description:
  - Subscribes to the kernel's rtnetlink multicast groups in a network namespace and puts one event per
    object change on the queue: a dict in the same normalized shape as C(nl_facts) and the modules'
    C(config) for that object, plus C(event) (C(new) or C(del)), C(object) (C(link), C(address),
    C(route), C(neigh), C(rule), C(nexthop), C(netconf)) and C(netns) (null for the source's own).
  - The kernel reports a changed object as C(new) again: C(event=new) means "exists now, like this".
  - Link events also carry C(ifindex) and C(oper_state) (state, not configuration); a link notification
    that changes nothing of that is not repeated.
  - When the kernel drops notifications because the reader fell behind (C(ENOBUFS)), the source emits
    C({event: resync, reason: ENOBUFS}) followed by a fresh snapshot (C(new) events) of every subscribed
    object: the objects in it are the current state, anything missing from it is gone.
  - See docs/eda.md in the collection for the shapes and the measured latencies.
options:
  netns:
    description: Name of the network namespace to watch (under /run/netns); the source's own namespace if omitted.
    type: str
  groups:
    description: What to watch; a list or a comma-separated string.
    type: list
    elements: str
    choices: [link, addr, route, neigh, rule, nexthop, netconf]
    default: [link, addr, route]
  filter:
    description:
      - Only events matching every key given; a key takes one value or a list (any of them).
      - C(dev) is a link name (links by their name; addresses, routes and their nexthops, neighbours,
        nexthops and netconf by their device). C(table) is a routing table name (C(main), C(local),
        C(default)) or number (routes, rules). C(kind) is a link kind (links). C(family) is C(inet) or
        C(inet6) (also C(4), C(6), C(ipv4), C(ipv6); everything but links).
      - A key applies only to the objects named with it; other objects pass. An object a key applies to
        but that has no such value (a blackhole route has no device, a nexthop group no family) fails it.
    type: dict
  snapshot:
    description: Emit the current state as C(new) events before the first change.
    type: bool
    default: false
notes:
  - Runs where ansible-rulebook runs, which needs pyroute2 and the privileges to enter the namespace (root).
  - Routes, neighbours, rules and nexthops take the shape of the collection's C(nl_route), C(nl_neigh),
    C(nl_rule) and C(nl_nexthop) resources; netconf events carry the attributes the kernel reported.
"""

EXAMPLES = r"""
- name: React to links going down in namespace lab
  hosts: all
  sources:
    - nlink.netlink.netlink:
        netns: lab
        groups: [link]
        filter:
          kind: [veth, bridge]
  rules:
    - name: A link went down
      condition: event.object == "link" and event.event == "new" and event.admin_state == "down"
      action:
        run_playbook:
          name: remediate.yml
"""

import asyncio
import errno
import ipaddress
import logging
import os
import socket
import sys

try:
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection
except ImportError:
    # ansible-rulebook runs a source file with runpy: the collection's own packages import only when the
    # directory holding ansible_collections/ is on sys.path. This file knows where it lies in the collection.
    _COLLECTION = os.path.abspath(__file__).rsplit(os.sep, 5)[0]  # without extensions/eda/plugins/event_source/...
    _ROOT = os.path.dirname(os.path.dirname(os.path.dirname(_COLLECTION)))
    if os.path.join(_ROOT, 'ansible_collections', 'nlink', 'netlink') != _COLLECTION:
        raise ImportError('nlink.netlink.netlink cannot import its collection: %s is not under '
                          'ansible_collections/nlink/netlink; install the collection (ansible-galaxy) or put '
                          'the directory holding ansible_collections/ on PYTHONPATH' % __file__)
    sys.path.append(_ROOT)
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import rtnl_link
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import (
    address, link, neigh, nexthop, route, rule)

try:
    from pyroute2.netlink import nlmsg
    from pyroute2.netlink.rtnl.fibmsg import fibmsg
    from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
    from pyroute2.netlink.rtnl.ndmsg import ndmsg
    from pyroute2.netlink.rtnl.rtmsg import rtmsg
except Exception as exc:  # pyroute2 0.9 raises TypeError at import on old Pythons
    raise ImportError('nlink.netlink.netlink needs pyroute2 (>= 0.9) in the Python that runs ansible-rulebook: %s'
                      % exc)

log = logging.getLogger(__name__)

SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1

# linux/rtnetlink.h: RTNLGRP_*
RTNLGRP_LINK, RTNLGRP_NEIGH = 1, 3
RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE = 5, 7, 8
RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV6_RULE = 9, 11, 19
RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF, RTNLGRP_NEXTHOP = 24, 25, 32
RTM_NEWROUTE, RTM_NEWNEIGH, RTM_NEWRULE, RTM_NEWNETCONF, RTM_NEWNEXTHOP = 24, 28, 32, 80, 104

FAMILY_ALIASES = {'inet': 'inet', 'ipv4': 'inet', '4': 'inet', 'inet6': 'inet6', 'ipv6': 'inet6', '6': 'inet6'}
TABLE_NUMBERS = {'default': 253, 'main': 254, 'local': 255}
NTF_PROXY = 0x08
NETCONF_DEVS = {-1: 'all', -2: 'default'}  # NETCONFA_IFINDEX_ALL/DEFAULT


class nhmsg(nlmsg):
    """struct nhmsg (linux/nexthop.h), for dump requests: pyroute2 0.9 has none."""
    fields = (('family', 'B'), ('scope', 'B'), ('protocol', 'B'), ('resvd', 'B'), ('flags', 'I'))


class netconfmsg(nlmsg):
    """linux/netconf.h (pyroute2 0.9 has none)."""
    fields = (('family', 'B'), ('__pad', '3x'))
    nla_map = (('NETCONFA_UNSPEC', 'none'), ('NETCONFA_IFINDEX', 'int32'), ('NETCONFA_FORWARDING', 'int32'),
               ('NETCONFA_RP_FILTER', 'int32'), ('NETCONFA_MC_FORWARDING', 'int32'),
               ('NETCONFA_PROXY_NEIGH', 'int32'), ('NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN', 'int32'),
               ('NETCONFA_INPUT', 'int32'), ('NETCONFA_BC_FORWARDING', 'int32'))


# -- readers: () -> (message class, decode(msg, {ifindex: name}) -> event in the resource's shape) ----------
# Each resource reads its messages its own way (they were written side by side); these name how.
def link_reader():
    def decode(msg, names):
        event = link.Link.from_message(msg, names)
        # pyroute2 names IF_OPER_* (linux/if.h) in upper case
        event.update(ifindex=msg['index'], oper_state=str(msg.get_attr('IFLA_OPERSTATE') or 'unknown').lower())
        return event
    return ifinfmsg, decode


def route_reader():
    return route.codec.RouteReply, lambda msg, names: route.Route.item_of(msg.route, names)


def rule_reader():
    return rule.rule_message(), lambda msg, names: rule.Rule.from_message(msg)


def netconf_reader():
    """No resource manages netconf: the attributes as the kernel names them."""
    def decode(msg, names):
        index = msg.get_attr('NETCONFA_IFINDEX')
        event = {'family': rtnl.FAMILY_NAMES.get(msg['family']), 'dev': NETCONF_DEVS.get(index, names.get(index))}
        # a notification carries only what changed: the keys present are the ones reported
        for name, value in msg['attrs']:
            if name not in ('NETCONFA_IFINDEX', 'NETCONFA_UNSPEC'):
                event[name[len('NETCONFA_'):].lower()] = value
        return event
    return netconfmsg, decode


def message(msg_class, **fields):
    msg = msg_class()
    for name, value in fields.items():
        msg[name] = value
    return msg


class Kind:
    """One subscribable object: its groups, message type, the families it takes (None: any), its reader,
    and the dump requests of a snapshot."""

    def __init__(self, obj, groups, new, families, reader, requests):
        self.object, self.groups, self.new, self.families = obj, groups, new, families
        self.reader, self.requests = reader, requests


INET = (rtnl.AF_INET, rtnl.AF_INET6)
KINDS = {
    # AF_BRIDGE port notifications ride on the link group: links are AF_UNSPEC only
    'link': Kind('link', (RTNLGRP_LINK,), rtnl.RTM_NEWLINK, (rtnl.AF_UNSPEC,), link_reader,
                 lambda: [message(ifinfmsg, attrs=[('IFLA_EXT_MASK', 0)])]),
    'addr': Kind('address', (RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR), rtnl.RTM_NEWADDR, INET,
                 lambda: (ifaddrmsg, address.Address.from_message), lambda: [message(ifaddrmsg)]),
    'route': Kind('route', (RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE), RTM_NEWROUTE, INET, route_reader,
                  lambda: [message(rtmsg, family=f) for f in INET]),
    # bridge fdb entries (AF_BRIDGE) share the neighbour group; they are not neighbours. Proxy entries are
    # a dump of their own.
    'neigh': Kind('neigh', (RTNLGRP_NEIGH,), RTM_NEWNEIGH, INET, lambda: (neigh.NeighMessage, neigh.Neigh.from_message),
                  lambda: [message(ndmsg, family=f, flags=p) for f in INET for p in (0, NTF_PROXY)]),
    'rule': Kind('rule', (RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE), RTM_NEWRULE, INET, rule_reader,
                 lambda: [message(fibmsg, family=f) for f in INET]),
    'nexthop': Kind('nexthop', (RTNLGRP_NEXTHOP,), RTM_NEWNEXTHOP, None,
                    lambda: (nexthop.nhmsg_class(), nexthop.Nexthop.from_message), lambda: [message(nhmsg)]),
    'netconf': Kind('netconf', (RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF), RTM_NEWNETCONF, INET, netconf_reader,
                    lambda: [message(netconfmsg, family=f) for f in INET]),
}
KIND_ALIASES = {'address': 'addr'}
DEFAULT_GROUPS = ('link', 'addr', 'route')
# The filter keys that apply to each object; an object without a value for one of its keys fails it.
FILTER_KEYS = {'link': ('dev', 'kind'), 'address': ('dev', 'family'), 'route': ('dev', 'table', 'family'),
               'neigh': ('dev', 'family'), 'rule': ('table', 'family'), 'nexthop': ('dev', 'family'),
               'netconf': ('dev', 'family')}
# RTM_NEW* = N, RTM_DEL* = N + 1, RTM_GET* = N + 2 for every object here
BY_TYPE = dict((kind.new + offset, (name, verb)) for name, kind in KINDS.items()
               for offset, verb in ((0, 'new'), (1, 'del')))


# -- arguments (rulebook variables arrive as strings) ----------------------------------------------------
def as_list(value, option):
    if isinstance(value, str):
        return [part.strip() for part in value.split(',') if part.strip()]
    if isinstance(value, (list, tuple)):
        return [str(part) for part in value]
    raise ValueError('%s: %r is neither a list nor a comma-separated string' % (option, value))


def as_bool(value, option):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'yes', 'on', '1'):
        return True
    if text in ('false', 'no', 'off', '0', '', 'none'):
        return False
    raise ValueError('%s: %r is not a boolean; use true or false' % (option, value))


def filter_values(key, value):
    values = value if isinstance(value, (list, tuple)) else [value]
    if key in ('dev', 'kind'):
        return set(str(v) for v in values)
    result = set()
    for v in values:
        text = str(v).strip().lower()
        if key == 'table' and (text in TABLE_NUMBERS or text.isdigit()):
            result.add(TABLE_NUMBERS.get(text) or int(text))
        elif key == 'family' and text in FAMILY_ALIASES:
            result.add(FAMILY_ALIASES[text])
        else:
            allowed = ('a table name (%s) or number' % ', '.join(sorted(TABLE_NUMBERS)) if key == 'table'
                       else 'one of %s' % ', '.join(sorted(FAMILY_ALIASES)))
            raise ValueError('filter.%s: %r is not allowed; use %s' % (key, v, allowed))
    return result


def parse_args(args):
    args = dict((k, v) for k, v in (args or {}).items() if not k.startswith('eda_'))  # eda_feedback_queue ...
    unknown = set(args) - set(('netns', 'groups', 'filter', 'snapshot'))
    if unknown:
        raise ValueError('unknown argument(s) %s; nlink.netlink.netlink takes netns, groups, filter, snapshot'
                         % ', '.join(sorted(unknown)))
    netns = args.get('netns') or None
    if netns is not None:
        connection.netns_path(str(netns))  # the name's validity; existence is checked when entering it
    groups = []
    for name in as_list(args.get('groups') or list(DEFAULT_GROUPS), 'groups'):
        name = KIND_ALIASES.get(name, name)
        if name not in KINDS:
            raise ValueError('groups: %r is not a group; use any of %s' % (name, ', '.join(KINDS)))
        if name not in groups:
            groups.append(name)
    wanted = args.get('filter') or {}
    if not isinstance(wanted, dict):
        raise ValueError('filter: %r is not a mapping; use keys dev, table, kind, family' % (wanted,))
    bad = set(wanted) - set(('dev', 'table', 'kind', 'family'))
    if bad:
        raise ValueError('filter: unknown key(s) %s; use dev, table, kind, family' % ', '.join(sorted(bad)))
    return {'netns': str(netns) if netns else None, 'groups': groups,
            'filter': dict((key, filter_values(key, value)) for key, value in wanted.items()),
            'snapshot': as_bool(args.get('snapshot', False), 'snapshot')}


def table_number(table):
    if table is None or isinstance(table, int):
        return table
    return TABLE_NUMBERS.get(table) or (int(table) if str(table).isdigit() else table)


def filter_view(event):
    """What the filter keys see of an event, by what its object is (see FILTER_KEYS)."""
    obj = event['object']
    if obj == 'address':
        family = 'inet' if ipaddress.ip_interface(event['address']).version == 4 else 'inet6'
    else:
        family = event.get('family')
    view = {'dev': {event['name']} if obj == 'link' else
            set([event.get('dev')] + [hop.get('dev') for hop in event.get('nexthops') or []]),
            'kind': event.get('kind'), 'table': table_number(event.get('table')), 'family': family}
    return dict((key, view[key]) for key in FILTER_KEYS[obj])


def matches(wanted, event):
    view = filter_view(event)
    for key, allowed in wanted.items():
        if key not in view:
            continue  # the key is about other objects
        if not (allowed.intersection(view[key]) if key == 'dev' else view[key] in allowed):
            return False
    return True


# -- the source -------------------------------------------------------------------------------------------
class Watcher:
    """A subscription socket and a dump connection in one namespace; emits events on a queue."""

    def __init__(self, options):
        self.netns = options['netns']
        self.groups = options['groups']
        self.filter = options['filter']
        self.names = {}
        self.links = {}  # ifindex -> last link event: the kernel notifies links for changes outside the shape
        self.buffer = bytearray(connection.RECV_BUFFER)
        self.readers = {}
        for name in ['link'] + self.groups:
            try:
                self.readers[name] = KINDS[name].reader()
            except AttributeError as exc:  # a resource renamed what this file reads it with
                raise ValueError("groups: %s cannot be read: the collection's %s resource changed (%s)"
                                 % (name, KINDS[name].object, exc))
        # Every subscription tracks links: ifindex -> name for the others' `dev`.
        groups = {RTNLGRP_LINK}.union(*(KINDS[name].groups for name in self.groups))
        self.subscription = connection.Connection(netns=self.netns)
        try:
            for group in sorted(groups):
                # setsockopt, not bind(): the bind mask reaches groups 1-32 only (RTNLGRP_NEXTHOP is 32 and
                # more come after); one way for all.
                self.subscription.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
            self.subscription.sock.setblocking(False)
            self.dumps = connection.Connection(netns=self.netns)
        except BaseException:
            self.subscription.close()
            raise

    def close(self):
        self.subscription.close()
        self.dumps.close()

    def event(self, name, verb, msg):
        """The event for a decoded message, or None when it is filtered out or repeats."""
        kind = KINDS[name]
        try:
            if name == 'link':
                event = self.link_event(verb, msg)
                if event is None:
                    return None
            else:
                event = self.readers[name][1](msg, self.names)
        except Exception as exc:  # a decoder that chokes on one object must not end the stream
            log.warning('nlink.netlink.netlink: cannot decode a %s message: %s', kind.object, exc)
            return None
        event.update(event=verb, object=kind.object, netns=self.netns)
        return event if matches(self.filter, event) else None

    def link_event(self, verb, msg):
        """Links keep the device names current; their event, None if unsubscribed or nothing changed."""
        index = msg['index']
        if verb == 'new':
            self.names[index] = msg.get_attr('IFLA_IFNAME')
        event = self.readers['link'][1](msg, self.names) if 'link' in self.groups else None
        if verb == 'del':
            self.names.pop(index, None)
            self.links.pop(index, None)
        elif event is not None:
            if self.links.get(index) == event:
                return None
            self.links[index] = dict(event)
        return event

    def read_snapshot(self, groups):
        """Dump and decode the links and then ``groups``, in a worker thread: the loop stays free."""
        messages = []
        for name in ['link'] + [g for g in groups if g != 'link']:
            kind = KINDS[name]
            for request in kind.requests():
                messages.extend((name, msg) for msg in self.dumps.dump(request, kind.new + 2, self.readers[name][0]))
        self.names = dict((msg['index'], msg.get_attr('IFLA_IFNAME')) for name, msg in messages if name == 'link')
        self.links = {}
        events = [self.event(name, 'new', msg) for name, msg in messages]
        return [event for event in events if event is not None]

    async def snapshot(self, queue):
        """Learn the device names and, given a queue, emit every subscribed object as new."""
        loop = asyncio.get_running_loop()
        events = await loop.run_in_executor(None, self.read_snapshot, self.groups if queue else ())
        for event in events if queue is not None else ():
            await queue.put(event)

    def receive(self):
        """Events from the datagrams queued on the subscription socket; [] when it is empty."""
        try:
            size = self.subscription.sock.recv_into(self.buffer, 0, socket.MSG_TRUNC)
        except (BlockingIOError, InterruptedError):
            return None
        if size > len(self.buffer):
            log.warning('nlink.netlink.netlink: a %d-byte notification exceeds the buffer; dropped', size)
            return []
        data, offset, events = memoryview(self.buffer)[:size], 0, []
        while offset + connection.NLMSGHDR.size <= size:
            length, msg_type = connection.NLMSGHDR.unpack_from(data, offset)[:2]
            if length < connection.NLMSGHDR.size or offset + length > size:
                break
            name, verb = BY_TYPE.get(msg_type, (None, None))
            # every rtnetlink message starts its body with the family
            family = data[offset + connection.NLMSGHDR.size] if length > connection.NLMSGHDR.size else None
            if name in self.readers and (KINDS[name].families is None or family in KINDS[name].families):
                msg = self.readers[name][0](bytes(data[offset:offset + length]))
                try:
                    msg.decode()
                except Exception as exc:  # pyroute2's decoders raise anything on what they do not know
                    log.warning('nlink.netlink.netlink: cannot decode a %s notification: %s', name, exc)
                else:
                    event = self.event(name, verb, msg)
                    if event is not None:
                        events.append(event)
            offset += connection.align4(length)
        return events

    def discard(self):
        """Drop what is still queued: it is older than the snapshot that follows."""
        while True:
            try:
                self.subscription.sock.recv_into(self.buffer, 0, socket.MSG_TRUNC)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno != errno.ENOBUFS:
                    raise

    async def readable(self):
        """Wait until the socket has data: a reader only while waiting, so a slow queue never spins."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self.subscription.sock.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            loop.remove_reader(fd)

    async def run(self, queue, snapshot):
        await self.snapshot(queue if snapshot else None)
        while True:
            try:
                events = self.receive()
            except OSError as exc:
                if exc.errno != errno.ENOBUFS:
                    raise
                await queue.put({'event': 'resync', 'reason': 'ENOBUFS', 'netns': self.netns})
                self.discard()
                await self.snapshot(queue)
                continue
            if events is None:
                await self.readable()
                continue
            for event in events:
                await queue.put(event)
            await asyncio.sleep(0)  # one datagram at a time: a flood of notifications must not starve the loop


async def main(queue, args):
    """Entry point for ansible-rulebook: runs until cancelled."""
    options = parse_args(args)
    rtnl_link.register()
    watcher = Watcher(options)
    try:
        await watcher.run(queue, options['snapshot'])
    finally:
        watcher.close()


if __name__ == '__main__':
    import argparse
    import json

    class PrintQueue:
        async def put(self, event):
            print(json.dumps(event, sort_keys=True), flush=True)

    parser = argparse.ArgumentParser(description='Print rtnetlink events as nlink.netlink.netlink emits them.')
    parser.add_argument('--netns')
    parser.add_argument('--groups', default=','.join(DEFAULT_GROUPS))
    parser.add_argument('--filter', type=json.loads, default={}, help='JSON, e.g. {"dev": "eth0"}')
    parser.add_argument('--snapshot', action='store_true')
    cli = parser.parse_args()
    try:
        asyncio.run(main(PrintQueue(), {'netns': cli.netns, 'groups': cli.groups, 'filter': cli.filter,
                                        'snapshot': cli.snapshot}))
    except KeyboardInterrupt:
        pass

# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MPTCP path-manager endpoints and limits (generic netlink family mptcp_pm), per network namespace.

Two resources run by one module: endpoints (identity address + port; purge with ``overridden``) and the
limits (one object). Message definitions come from the generated families/gen/mptcp_pm.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import ipaddress
import json
import socket
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, genl, rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    NETLINK_GENERIC, NETLINK_ROUTE, Connection)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen import mptcp_pm

# MPTCP_PM_ADDR_FLAG_* (linux/mptcp.h); implicit marks endpoints the kernel made for itself
FLAGS = {'signal': 1, 'subflow': 2, 'backup': 4, 'fullmesh': 8}
IMPLICIT = 16
# what MPTCP_PM_CMD_SET_FLAGS changes in place; the rest means delete + add
CHANGEABLE_FLAGS = frozenset(('backup', 'fullmesh'))


def flag_names(bits):
    return sorted(name for name, bit in FLAGS.items() if bits & bit)


def canonical_address(text, option='address'):
    try:
        return str(ipaddress.ip_address(str(text)))
    except ValueError:
        raise ValidationError('%s: %r is not an IPv4 or IPv6 address (no prefix length)' % (option, text))


class Endpoints(Resource):
    protocol = NETLINK_GENERIC
    identity = ('address', 'port')
    attributes = (
        Attribute('id'),
        Attribute('flags', default=[]),
        Attribute('dev'),
    )
    options = dict(
        address=dict(type='str', required=True),
        port=dict(type='int'),
        id=dict(type='int'),
        flags=dict(type='list', elements='str', choices=sorted(FLAGS)),
        dev=dict(type='str'),
    )

    def normalize(self, item):
        want = dict((name, item.get(name)) for name in self.options)
        want['address'] = canonical_address(want['address'])
        want['port'] = want['port'] or 0
        if not 0 <= want['port'] <= 65535:
            raise ValidationError('port: %r is not a port number (1-65535)' % want['port'])
        if want['id'] is not None and not 1 <= want['id'] <= 255:
            raise ValidationError('id: %r is not an endpoint id (1-255)' % want['id'])
        if want['flags'] is not None:
            want['flags'] = sorted(set(want['flags']))
        flags = want['flags'] or []
        if 'fullmesh' in flags and 'signal' in flags:
            raise ValidationError('flags: fullmesh and signal exclude each other (fullmesh needs subflow)')
        if want['port'] and 'signal' not in flags:
            raise ValidationError('port: an endpoint with a port must have the signal flag')
        if want['dev'] is not None and self.conn is not None and want['dev'] not in self.links():
            raise ValidationError('dev: no device %s in %s' % (want['dev'], self.netns or 'this namespace'))
        return want

    # -- reading --------------------------------------------------------------------------------
    def links(self):
        if getattr(self, '_links', None) is None:
            with Connection(NETLINK_ROUTE, self.netns) as conn:
                self._links = rtnl.link_indexes(conn)
        return self._links

    def gather(self):
        with genl.Genl(self.conn, mptcp_pm) as pm:
            replies = pm.dump('get-addr')
        names = dict((index, name) for name, index in self.links().items()) if any(
            r.get('addr', {}).get('if-idx') for r in replies) else {}
        self.implicit = set()
        haves = []
        for reply in replies:
            have = self.from_attributes(reply.get('addr', {}), names)
            if reply.get('addr', {}).get('flags', 0) & IMPLICIT:
                self.implicit.add(self.key(have))
            haves.append(have)
        return sorted(haves, key=lambda h: (h['id'], h['address']))

    @staticmethod
    def from_attributes(addr, names):
        if addr.get('family') == socket.AF_INET6:
            address = str(ipaddress.IPv6Address(addr.get('addr6', b'\0' * 16)[:16].ljust(16, b'\0')))
        else:
            address = str(ipaddress.IPv4Address(addr.get('addr4', 0)))
        index = addr.get('if-idx') or 0
        return {'address': address, 'port': addr.get('port', 0), 'id': addr.get('id'),
                'flags': flag_names(addr.get('flags', 0)), 'dev': names.get(index, str(index)) if index else None}

    def label(self, key):
        address, port = key
        return ('[%s]:%d' % (address, port) if ':' in address else '%s:%d' % (address, port)) if port else address

    def in_scope(self, have):
        return self.key(have) not in self.implicit  # the kernel's own endpoints are not the user's to purge

    # -- writing --------------------------------------------------------------------------------
    def attributes_of(self, item, with_flags=True):
        address = ipaddress.ip_address(item['address'])
        addr = {'family': socket.AF_INET if address.version == 4 else socket.AF_INET6}
        if address.version == 4:
            addr['addr4'] = struct.unpack('!I', address.packed)[0]
        else:
            addr['addr6'] = address.packed
        if item.get('id') is not None:
            addr['id'] = item['id']
        if item.get('port'):
            addr['port'] = item['port']
        if with_flags:
            addr['flags'] = sum(FLAGS[name] for name in item.get('flags') or [])
        if item.get('dev'):
            addr['if-idx'] = self.links()[item['dev']]
        return {'addr': addr}

    def in_place(self, change):
        return set(change.delta) == {'flags'} and \
            set(change.before['flags']) ^ set(change.after['flags']) <= CHANGEABLE_FLAGS

    def requests(self, change):
        if change.op == 'delete':
            return [('del-addr', self.attributes_of(change.before, with_flags=False))]
        if change.op == 'create':
            return [('add-addr', self.attributes_of(change.after))]
        if self.in_place(change):
            return [('set-flags', self.attributes_of(dict(change.after, id=change.before['id'])))]
        return [('del-addr', self.attributes_of(change.before, with_flags=False)),
                ('add-addr', self.attributes_of(change.after))]

    def order(self, changes):
        # deletions first: a re-used id or address is free again before it is added
        return sorted(changes, key=lambda c: c.op != 'delete')

    def apply(self, changes):
        requests, owners = [], []
        for index, change in enumerate(changes):
            for op, values in self.requests(change):
                requests.append((op, values, 0))
                owners.append(index)
        errors = {}
        with genl.Genl(self.conn, mptcp_pm) as pm:
            for position, error in pm.bulk(requests).items():
                errors.setdefault(owners[position], error)
        return errors

    def render(self, change):
        before, after = change.before, change.after
        if change.op == 'delete':
            return [self.ip('mptcp', 'endpoint', 'delete', 'id', before['id'])]
        if change.op == 'update' and self.in_place(change):
            words = []
            for name in sorted(CHANGEABLE_FLAGS):
                if (name in before['flags']) != (name in after['flags']):
                    words.append(name if name in after['flags'] else 'no' + name)
            return [self.ip('mptcp', 'endpoint', 'change', 'id', before['id'], *words)]
        words = ['mptcp', 'endpoint', 'add', after['address']]
        for name in ('dev', 'id', 'port'):
            if after.get(name):
                words += [name, after[name]]
        add = [self.ip(*(words + list(after.get('flags') or [])))]
        if change.op == 'update':
            return [self.ip('mptcp', 'endpoint', 'delete', 'id', before['id'])] + add
        return add

    @classmethod
    def parse(cls, text):
        """``ip -j mptcp endpoint show`` output as an endpoints list."""
        try:
            entries = json.loads(text)
        except ValueError as exc:
            raise ValidationError('running_config is not JSON from `ip -j mptcp endpoint show`: %s' % exc)
        if not isinstance(entries, list):
            raise ValidationError('running_config: expected the list `ip -j mptcp endpoint show` prints')
        return [{'address': e.get('address'), 'port': e.get('port', 0), 'id': e.get('id'),
                 'flags': sorted(name for name in FLAGS if e.get(name)), 'dev': e.get('dev')}
                for e in entries if isinstance(e, dict)]


class Limits(Resource):
    """The namespace's MPTCP limits: one object, always present."""

    protocol = NETLINK_GENERIC
    identity = ()
    attributes = (Attribute('subflows'), Attribute('add_addr_accepted'))
    options = dict(subflows=dict(type='int'), add_addr_accepted=dict(type='int'))
    KERNEL_NAMES = (('subflows', 'subflows'), ('add_addr_accepted', 'rcv-add-addrs'))
    MAXIMUM = 8  # MPTCP_PM_ADDR_MAX: the kernel refuses more

    def normalize(self, item):
        for name, value in item.items():
            if value is not None and not 0 <= value <= self.MAXIMUM:
                raise ValidationError('limits.%s: %r is out of range (0-%d)' % (name, value, self.MAXIMUM))
        return dict((name, item.get(name)) for name in self.options)

    def gather(self):
        with genl.Genl(self.conn, mptcp_pm) as pm:
            reply = (pm.do('get-limits') or [{}])[0]
        return [dict((ours, reply.get(theirs)) for ours, theirs in self.KERNEL_NAMES)]

    def label(self, key):
        return 'limits'

    def apply(self, changes):
        values = dict((theirs, changes[0].after[ours]) for ours, theirs in self.KERNEL_NAMES)
        with genl.Genl(self.conn, mptcp_pm) as pm:
            return pm.bulk([('set-limits', values, 0)])

    def render(self, change):
        words = []
        for name in ('subflows', 'add_addr_accepted'):
            if name in change.delta:
                words += [name, change.delta[name]]
        return [self.ip('mptcp', 'limits', 'set', *words)]


class MptcpFacts(Resource):
    """nl_facts' ``mptcp`` subset: the nl_mptcp options as they are (endpoints and limits)."""

    def gather(self):
        """{} on a kernel without MPTCP (gather_subset=all must work there too)."""
        with genl.Genl(self.conn, mptcp_pm) as pm:
            try:
                pm.resolve()
            except NetlinkError as exc:
                if exc.code == errno.ENOENT:
                    return {}
                raise
            return {'endpoints': Endpoints(pm.conn, {}, self.netns).gather(),
                    'limits': Limits(pm.conn, {}, self.netns).gather()[0]}


def run(conn, netns, state, endpoints, limits, check_mode, diff_mode):
    """Both resources through the engine, limits first (new endpoints may need them); one result.

    ``endpoints``/``limits`` None: not managed (``overridden`` with no endpoints removes them all).
    """
    endpoint_resource, limits_resource = Endpoints(conn, {}, netns), Limits(conn, {}, netns)
    state = engine.STATE_ALIASES.get(state, state)
    wants = []
    for index, item in enumerate(endpoints or []):
        try:
            wants.append(endpoint_resource.normalize(dict(item)))
        except ValidationError as exc:
            raise ValidationError('endpoints[%d]: %s' % (index, exc))
    parts = []
    # limits always exist: nothing deletes or purges them
    if (limits is not None and state != 'deleted') or state == 'gathered':
        limits_state = 'merged' if state in ('overridden', 'replaced') else state
        wanted = [limits_resource.normalize(limits)] if limits is not None else []
        parts.append(('limits', engine.run(limits_resource, limits_state, wanted, check_mode, diff_mode)))
    if endpoints is not None or state in ('gathered', 'overridden'):
        endpoint_resource.check_request(state, wants)
        parts.append(('endpoints', engine.run(endpoint_resource, state, wants, check_mode, diff_mode)))
    return combine(state, parts)


def combine(state, parts):
    if state == 'gathered':
        gathered = dict(parts)
        return {'changed': False, 'gathered': {'endpoints': gathered['endpoints']['gathered'],
                                               'limits': gathered['limits']['gathered'][0]}}
    if state == 'rendered':
        return {'changed': False, 'rendered': [c for _name, part in parts for c in part['rendered']]}
    return engine.combine(parts, singles=('limits',))


def execute(module):
    """nl_mptcp's whole run, on an AnsibleModule with its argument spec."""
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NamespaceError
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import module as common
    params = module.params
    endpoints = params['endpoints']
    if params['config'] is not None or params['src']:
        try:
            raw = params['config'] if params['config'] is not None else common._load_src(params['src'])
        except (OSError, ValueError) as exc:
            module.fail_json(msg='cannot read src: %s' % exc)
        endpoints, validator = [], common.item_validator(Endpoints)
        for index, item in enumerate(raw):
            checked = validator.validate(common.given(item) if isinstance(item, dict) else {'address': item})
            if checked.error_messages:
                module.fail_json(msg='config[%d]: %s' % (index, '; '.join(common._readable(checked))))
            endpoints.append(checked.validated_parameters)
    try:
        if params['state'] == 'parsed':
            module.exit_json(changed=False, parsed={'endpoints': Endpoints.parse(params['running_config'])})
        with Connection(NETLINK_GENERIC, params['netns']) as conn:
            result = run(conn, params['netns'], params['state'], endpoints, params['limits'],
                         module.check_mode, module._diff)
    except (ValidationError, NamespaceError) as exc:
        module.fail_json(msg=str(exc))
    except NetlinkError as exc:
        module.fail_json(msg=str(exc), errno=exc.errno_name, ext_ack=exc.ext_ack, attribute=exc.attribute)
    if 'msg' in result:
        module.fail_json(**result)
    module.exit_json(**result)

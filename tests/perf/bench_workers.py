#!/usr/bin/env python
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The measuring processes of tests/perf/bench.py, one operation each, started fresh so that peak RSS is theirs.

    bench_workers.py KIND OPERATION NETNS COUNT TABLE FARM

KIND: route (nl_route's resource + engine, with the module's item validation), pyroute2 (IPRoute the obvious
way), neigh / address (their resources + engine), import (seconds to import what nl_route imports, or
pyroute2, or nothing). Imports are not timed (but for import); the last line printed is JSON with
``seconds`` of the operation.
"""

import json
import os
import sys
import tempfile
import time

GATEWAY = '192.0.2.2'
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def collection_farm():
    """A directory holding ansible_collections/nlink/netlink -> this checkout."""
    farm = os.path.join(tempfile.gettempdir(), 'nlink-netlink-perf-%d' % os.getuid())
    parent = os.path.join(farm, 'ansible_collections', 'nlink')
    os.makedirs(parent, exist_ok=True)
    link = os.path.join(parent, 'netlink')
    if os.path.realpath(link) != os.path.realpath(ROOT):
        temporary = '%s.%d' % (link, os.getpid())
        os.symlink(ROOT, temporary)
        os.replace(temporary, link)
    return farm


def versions():
    from importlib.metadata import version
    found = {}
    for name in ('ansible-core', 'pyroute2'):
        try:
            found[name] = version(name)
        except Exception:  # not installed: the report says so
            found[name] = 'absent'
    found['iproute2'] = os.popen('ip -V').read().strip()
    return found


def destinations(count, base=10):
    return ['%d.%d.%d.%d/32' % (base, i >> 16 & 255, i >> 8 & 255, i & 255) for i in range(1, count + 1)]


def engine_run(resource_cls, netns, state, items, scope):
    """What run_module does between reading the items and exit_json: validate, normalize, plan, apply, verify."""
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, module, rtnl
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection
    with Connection(resource_cls.protocol, netns) as conn:
        rtnl.link_indexes(conn)  # what it imports is imported now, untimed (bench.py measures imports apart)
    validator = module.ItemValidator(resource_cls)
    scope = dict((name, scope.get(name)) for name in resource_cls.scope)
    given_scope = dict((k, v) for k, v in scope.items() if v is not None)
    started, cpu = time.perf_counter(), time.process_time()
    validated = []
    for item in items:
        merged = dict(given_scope)
        merged.update(item)
        params, errors = validator.validate(merged)
        if errors:
            raise SystemExit('; '.join(errors))
        validated.append(params)
    with Connection(resource_cls.protocol, netns) as conn:
        resource = resource_cls(conn, scope, netns)
        wants = [resource.normalize(item) for item in validated]
        resource.check_request(engine.STATE_ALIASES.get(state, state), wants)
        result = engine.run(resource, state, wants, False, False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if result.get('msg'):
        raise SystemExit('engine: %s' % result['msg'])
    return seconds, cpu, result


def route(op, netns, count, table):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route
    items = [{'dst': dst, 'gateway': GATEWAY} for dst in destinations(count)]
    scope = {'table': str(table)}
    if op == 'scoped':
        return scoped(netns, table)
    state, items = {'apply': ('merged', items), 're-run': ('merged', items), 'purge': ('deleted', []),
                    'facts': ('gathered', [])}[op]
    seconds, cpu, result = engine_run(Route, netns, state, items, scope)
    return {'seconds': seconds, 'cpu': cpu, 'changed': result['changed'],
            'objects': len(result['gathered']) if 'gathered' in result else sum((result.get('counts') or {}).values())
            or len(result['commands'])}


def scoped(netns, table):
    """The filtered dump alone (netlink time: request to last reply), then the whole gathered state."""
    import socket
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import route_codec as codec
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.route import Route
    with Connection(0, netns) as conn:
        request = codec.RouteMessage(codec.encode_dump(socket.AF_INET, table))
        started = time.perf_counter()
        replies = conn.dump(request, codec.RTM_GETROUTE, codec.RawReply)
        netlink = time.perf_counter() - started
    seconds, cpu, result = engine_run(Route, netns, 'gathered', [], {'table': str(table)})
    return {'seconds': seconds, 'cpu': cpu, 'netlink_ms': round(netlink * 1000, 3), 'dumped': len(replies),
            'objects': len(result['gathered'])}


def pyroute2(op, netns, count, table):
    """IPRoute in the namespace (entered by this process, as NetNS would through a helper), one call per route."""
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import netns_entered
    with netns_entered(netns):
        from pyroute2 import IPRoute
        ipr = IPRoute()
    dsts = destinations(count)
    started, cpu = time.perf_counter(), time.process_time()
    objects = 0
    if op == 'apply':
        for dst in dsts:
            ipr.route('add', dst=dst, gateway=GATEWAY, table=table, proto='static')
        objects = len(dsts)
    elif op == 're-run':  # read what is there, add what is missing
        have = set('%s/%d' % (r.get('dst'), r['dst_len']) for r in ipr.get_routes(table=table))
        for dst in dsts:
            if dst not in have:
                ipr.route('add', dst=dst, gateway=GATEWAY, table=table, proto='static')
                objects += 1
    elif op == 'purge':  # what is there, deleted one by one
        for route in ipr.get_routes(table=table):
            ipr.route('del', dst='%s/%d' % (route.get('dst'), route['dst_len']), table=table)
            objects += 1
    else:  # facts, scoped: read the table's routes into dicts
        routes = [{'dst': '%s/%d' % (r.get('dst'), r['dst_len']), 'gateway': r.get('gateway'), 'table': r.get('table'),
                   'protocol': r['proto'], 'metric': r.get('priority') or 0} for r in ipr.get_routes(table=table)]
        objects = len(routes)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    ipr.close()
    return {'seconds': seconds, 'cpu': cpu, 'objects': objects}


def neigh(op, netns, count, _table):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.neigh import Neigh
    items = [{'dst': '10.%d.%d.%d' % (i >> 16 & 255, i >> 8 & 255, i & 255),
              'lladdr': '02:00:%02x:%02x:%02x:01' % (i >> 16 & 255, i >> 8 & 255, i & 255), 'nud': 'permanent'}
             for i in range(1, count + 1)]
    return other(Neigh, op, netns, items, {'dev': 'v1'})


def address(op, netns, count, _table):
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import Address
    items = [{'address': dst} for dst in destinations(count, base=11)]
    return other(Address, op, netns, items, {'dev': 'v1'})


def other(resource_cls, op, netns, items, scope):
    state, items = {'apply': ('merged', items), 're-run': ('merged', items), 'purge': ('deleted', [])}[op]
    seconds, cpu, result = engine_run(resource_cls, netns, state, items, scope)
    return {'seconds': seconds, 'cpu': cpu, 'changed': result['changed'], 'objects': len(items)}


def imports(kind):
    """Seconds to import: collection, what nl_route imports beyond ansible.module_utils.basic (every module
    imports that; it is loaded first, untimed); pyroute2, its full import; ansible, basic alone."""
    if kind == 'collection':
        import ansible.module_utils.basic  # noqa: F401  pylint: disable=unused-import
    started = time.perf_counter()
    if kind == 'collection':
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, module  # noqa: F401  pylint: disable=unused-import
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection, rtnl  # noqa: F401  pylint: disable=unused-import
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import route  # noqa: F401  pylint: disable=unused-import
        if 'pyroute2' in sys.modules:
            raise SystemExit('nl_route imported pyroute2')  # it needs none: link_indexes reads links with struct
    elif kind == 'pyroute2':
        import pyroute2  # noqa: F401  pylint: disable=unused-import
        from pyroute2 import IPRoute  # noqa: F401  pylint: disable=unused-import
    elif kind == 'ansible':
        import ansible.module_utils.basic  # noqa: F401,F811  pylint: disable=unused-import,reimported
    return {'seconds': time.perf_counter() - started}


def main():
    kind, op, netns, count, table, farm = sys.argv[1:7]
    sys.path.insert(0, farm)
    if kind == 'import':
        result = imports(op)
        print(result['seconds'])
        return
    worker = {'route': route, 'pyroute2': pyroute2, 'neigh': neigh, 'address': address}[kind]
    print(json.dumps(worker(op, netns, int(count), int(table))))


if __name__ == '__main__':
    main()

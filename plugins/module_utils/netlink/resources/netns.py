# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named network namespaces (/run/netns/NAME, as `ip netns` keeps them): identity name; scope: a name prefix.

A named namespace is a file in the mount namespace, not a netlink object: it is created and removed with
unshare/mount/umount the way iproute2 does it. Netlink (RTM_GETNSID/RTM_NEWNSID) only reads and assigns
the id by which the module's own namespace knows it.

pyroute2.netns.create is not used: it leaves an empty /run/netns/NAME behind when the mount fails, takes
no lock around the first-time setup of /run/netns (iproute2 does, see Debian bug 949235), loses errno on
the way back from its helper process, and its neighbours create namespaces implicitly (flags=O_CREAT).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import (
    CLONE_NEWNET, NETNS_RUN_DIR, netns_path)
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import (
    NamespaceError, NetlinkError, ValidationError)

RTM_NEWNSID, RTM_GETNSID = 88, 90
NSID_MAX = 0x7FFFFFFF  # NETNSA_NSID is an s32; -1 (read back as 0xFFFFFFFF) means not assigned
NAME_MAX = 255

MS_BIND, MS_REC, MS_SHARED = 0x1000, 0x4000, 1 << 20
MNT_DETACH = 2


def _libc():
    return ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6', use_errno=True)


def _fail(code, what):
    if code in (errno.EPERM, errno.EACCES):
        what += ', which needs root (CAP_SYS_ADMIN)'
    return NetlinkError(code, context=what)


def is_namespace(path):
    """Whether ``path`` is a namespace bind mount (an nsfs inode), not a leftover empty file."""
    try:
        return os.stat(path).st_dev == os.stat('/proc/self/ns/net').st_dev
    except FileNotFoundError:
        return False


def share_run_dir(libc):
    """Make /run/netns a shared mount, as `ip netns add` does, so that a removal propagates everywhere."""
    try:
        os.mkdir(NETNS_RUN_DIR, 0o755)
    except FileExistsError:
        pass
    except OSError as exc:
        raise _fail(exc.errno, 'mkdir %s' % NETNS_RUN_DIR)
    lock = os.open(NETNS_RUN_DIR, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # Concurrent first-time setups would stack bind mounts of the directory on itself.
        fcntl.flock(lock, fcntl.LOCK_EX)
        made_mount = False
        while libc.mount(b'', NETNS_RUN_DIR.encode(), b'none', MS_SHARED | MS_REC, None) != 0:
            code = ctypes.get_errno()
            if code != errno.EINVAL or made_mount:
                raise _fail(code, 'mount --make-shared %s' % NETNS_RUN_DIR)
            # Not a mount point yet: bind it onto itself, then share it.
            if libc.mount(NETNS_RUN_DIR.encode(), NETNS_RUN_DIR.encode(), b'none', MS_BIND | MS_REC, None) != 0:
                raise _fail(ctypes.get_errno(), 'mount --bind %s %s' % (NETNS_RUN_DIR, NETNS_RUN_DIR))
            made_mount = True
    finally:
        os.close(lock)


def create_namespace(libc, name):
    """`ip netns add NAME`: a child unshares a new network namespace and bind-mounts it onto the name."""
    path = netns_path(name)
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, 0))
    except FileExistsError:
        if is_namespace(path):
            raise _fail(errno.EEXIST, 'create %s' % path)
        # an empty file left by an interrupted `ip netns add`: mount over it
    except OSError as exc:
        raise _fail(exc.errno, 'create %s' % path)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: only async-signal-safe work, then _exit without Python's cleanup
        step, code = 0, 0
        try:
            os.close(read_end)
            if libc.unshare(CLONE_NEWNET) != 0:
                step, code = 1, ctypes.get_errno()
            elif libc.mount(b'/proc/self/ns/net', path.encode(), b'none', MS_BIND, None) != 0:
                step, code = 2, ctypes.get_errno()
            os.write(write_end, struct.pack('=ii', step, code))
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        report = os.read(read_end, 8)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    step, code = struct.unpack('=ii', report) if len(report) == 8 else (3, errno.ECHILD)
    if step:
        try:
            os.unlink(path)
        except OSError:
            pass
        what = {1: 'unshare(CLONE_NEWNET)', 2: 'mount --bind /proc/self/ns/net %s' % path}
        raise _fail(code, what.get(step, 'the helper process creating %s' % path))


def remove_namespace(libc, name):
    """`ip netns del NAME`: detach the bind mount and remove the file (processes inside keep it alive)."""
    path = netns_path(name)
    if libc.umount2(path.encode(), MNT_DETACH) != 0:
        code = ctypes.get_errno()
        if code != errno.EINVAL:  # EINVAL: not mounted, only the file is left
            raise _fail(code, 'umount %s' % path)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise _fail(exc.errno, 'rm %s' % path)


class NetNS(Resource):
    identity = ('name',)
    scope = ('prefix',)
    purge_requires = ('prefix',)
    # Named namespaces live in the mount namespace; acting "inside" a network namespace means nothing here.
    netns_option = False
    attributes = (
        Attribute('id'),  # no default: an assigned nsid cannot be taken back, only the namespace removed
    )
    options = dict(
        name=dict(type='str', required=True),
        id=dict(type='int'),
        prefix=dict(type='str'),
    )

    def __init__(self, conn, scope_values, netns=None):
        if netns:
            raise ValidationError('netns: nl_netns does not act inside a network namespace (got %r); named '
                                  'namespaces are files under %s of the host - omit netns' % (netns, NETNS_RUN_DIR))
        prefix = scope_values.get('prefix')
        if prefix and '/' in prefix:
            raise ValidationError("prefix: %r may not contain '/' (it is the start of a name under %s)"
                                  % (prefix, NETNS_RUN_DIR))
        Resource.__init__(self, conn, scope_values, netns)
        self._libc = None

    @property
    def libc(self):
        if self._libc is None:
            self._libc = _libc()
        return self._libc

    def normalize(self, item):
        name, prefix = item.get('name'), self.scope_values.get('prefix')
        try:
            netns_path(name)
        except NamespaceError:
            raise ValidationError("name: %r is not a namespace name: a non-empty file name without '/', "
                                  "other than '.' and '..'" % (name,))
        if len(name.encode('utf-8')) > NAME_MAX:
            raise ValidationError('name: %r is longer than %d bytes' % (name, NAME_MAX))
        if item.get('prefix') != prefix:
            raise ValidationError('prefix is a top-level option (the scope), not a per-item one')
        if prefix is not None and not name.startswith(prefix):
            raise ValidationError('name: %r is outside the scope: it does not start with prefix %r' % (name, prefix))
        if item.get('id') is not None and not 0 <= item['id'] <= NSID_MAX:
            raise ValidationError('id: %r is not a namespace id; use 0-%d' % (item['id'], NSID_MAX))
        return {'name': name, 'id': item.get('id')}

    def in_scope(self, have):
        prefix = self.scope_values.get('prefix')
        return prefix is not None and have['name'].startswith(prefix)

    # -- reading --------------------------------------------------------------------------------
    def gather(self):
        try:
            names = sorted(os.listdir(NETNS_RUN_DIR))
        except FileNotFoundError:
            return []
        prefix = self.scope_values.get('prefix') or ''
        haves = []
        for name in names:
            path = os.path.join(NETNS_RUN_DIR, name)
            if name.startswith(prefix) and is_namespace(path):
                haves.append({'name': name, 'id': self.nsid(path)})
        return haves

    def nsid(self, path):
        """The id the module's namespace has for the namespace at ``path``; None when none is assigned."""
        from pyroute2.netlink.rtnl.nsidmsg import nsidmsg
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None  # removed while we looked
        try:
            request = nsidmsg()
            request['attrs'] = [('NETNSA_FD', fd)]
            replies = self.conn.request(request, RTM_GETNSID, reply_class=nsidmsg)
        finally:
            os.close(fd)
        nsid = replies[0].get_attr('NETNSA_NSID') if replies else None
        return nsid if nsid is not None and nsid <= NSID_MAX else None

    # -- writing --------------------------------------------------------------------------------
    def set_nsid(self, name, nsid):
        from pyroute2.netlink.rtnl.nsidmsg import nsidmsg
        fd = os.open(netns_path(name), os.O_RDONLY)
        try:
            request = nsidmsg()
            request['attrs'] = [('NETNSA_FD', fd), ('NETNSA_NSID', nsid)]
            self.conn.request(request, RTM_NEWNSID)
        except NetlinkError as exc:
            raise exc.with_context('ip netns set %s %s' % (name, nsid))
        finally:
            os.close(fd)

    def apply(self, changes):
        errors, shared = {}, False
        for index, change in enumerate(changes):
            name = change.key[0]
            try:
                if change.op == 'delete':
                    remove_namespace(self.libc, name)
                    continue
                if change.op == 'create':
                    if not shared:
                        share_run_dir(self.libc)
                        shared = True
                    create_namespace(self.libc, name)
                if change.delta.get('id') is not None:
                    try:
                        self.set_nsid(name, change.delta['id'])
                    except (NetlinkError, OSError):
                        if change.op == 'create':  # all or nothing: a failed item leaves no namespace behind
                            remove_namespace(self.libc, name)
                        raise
            except NetlinkError as exc:
                errors[index] = exc
            except OSError as exc:
                errors[index] = _fail(exc.errno or errno.EIO, '%s %s' % (change.op, name))
        return errors

    def render(self, change):
        name = change.key[0]
        if change.op == 'delete':
            return [self.ip('netns', 'del', name)]
        commands = [self.ip('netns', 'add', name)] if change.op == 'create' else []
        if change.delta.get('id') is not None:
            commands.append(self.ip('netns', 'set', name, change.delta['id']))
        return commands

    @classmethod
    def parse(cls, text):
        """``ip -j netns list`` output as a config list."""
        try:
            entries = json.loads(text)
        except ValueError as exc:
            raise ValidationError('running_config is not JSON from `ip -j netns list`: %s' % exc)
        if not isinstance(entries, list) or not all(isinstance(e, dict) and 'name' in e for e in entries):
            raise ValidationError('running_config: expected the list `ip -j netns list` prints, '
                                  'each entry with a name')
        return [{'name': entry['name'], 'id': entry.get('id')} for entry in entries]

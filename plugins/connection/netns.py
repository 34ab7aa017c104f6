# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: netns
short_description: Run tasks inside a named network namespace of the controller
version_added: 0.1.0
description:
  - Runs every command of a task on the controller, like P(ansible.builtin.local#connection), but inside a
    named network namespace (one under C(/run/netns), as made by M(nlink.netlink.nl_netns) or
    C(ip netns add)), by wrapping it as C(ip netns exec NAME /bin/sh -c 'COMMAND').
  - Each inventory host is one namespace - handy for labs, tests and molecule instances on one machine.
  - Like C(ip netns exec), each command also gets a private mount namespace with the namespace's C(/sys)
    (so C(/sys/class/net) shows its devices) and the files of C(/etc/netns/NAME/) bind-mounted over C(/etc).
    Otherwise the filesystem is the controller's, so file transfers are local copies.
  - A namespace that does not exist is a connection failure (the host is unreachable); it is never
    created implicitly.
author:
  - nlink.netlink developers (!UNKNOWN)
extends_documentation_fragment:
  - ansible.builtin.connection_pipelining
options:
  netns_name:
    description:
      - Name of the network namespace (the file name under C(/run/netns)) the host's tasks run in.
      - Defaults to the inventory hostname.
    type: str
    vars:
      - name: inventory_hostname
      - name: ansible_netns_name
  become_success_timeout:
    description:
      - Number of seconds to wait for become to succeed when enabled (see P(ansible.builtin.local#connection)).
      - The default is used if the configured value is less than 1.
    type: int
    default: 10
    vars:
      - name: ansible_local_become_success_timeout
  become_strip_preamble:
    description:
      - Strip internal become output preceding command execution (see P(ansible.builtin.local#connection)).
    type: bool
    default: true
    vars:
      - name: ansible_local_become_strip_preamble
notes:
  - C(ip netns exec) needs root (C(CAP_SYS_ADMIN)) - run C(ansible-playbook) as root. Become, if used, happens
    inside the namespace.
  - Set C(ansible_python_interpreter) for the namespace hosts as for localhost (for instance to
    C({{ ansible_playbook_python }})); the filesystem, and so every interpreter, is the controller's.
requirements:
  - iproute2 (C(ip)) on the controller
'''

EXAMPLES = r'''
# inventory.yml
# all:
#   hosts:
#     router1:                            # runs in /run/netns/router1
#     router2:
#       ansible_netns_name: lab-r2        # runs in /run/netns/lab-r2
#   vars:
#     ansible_connection: nlink.netlink.netns
#     ansible_python_interpreter: "{{ ansible_playbook_python }}"

- name: Look at the links of each namespace
  hosts: all
  gather_facts: false
  tasks:
    - name: Links as JSON
      ansible.builtin.command: ip -j link show
      register: links
      changed_when: false
'''

import os
import shlex
import shutil

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.connection.local import Connection as LocalConnection
from ansible.utils.display import Display

display = Display()

NETNS_RUN_DIR = '/run/netns'


class Connection(LocalConnection):
    """The local connection, with every command wrapped in ``ip netns exec NAME``."""

    # Commands still run on the controller: 'local' keeps the action layer's behaviour for it (commands run in
    # the playbook's directory; ansible.builtin.reboot refuses, as it would reboot the controller).
    transport = 'local'

    def __init__(self, *args, **kwargs):
        super(Connection, self).__init__(*args, **kwargs)
        self._netns = None
        self._ip = None

    def _connect(self):
        if not self._connected:
            self._netns = self._namespace()
            self._ip = shutil.which('ip', path=os.pathsep.join([os.environ.get('PATH', ''), '/usr/sbin', '/sbin']))
            if not self._ip:
                raise AnsibleConnectionFailure('the nlink.netlink.netns connection needs iproute2: no `ip` command '
                                               'on the controller')
            display.vvv('ESTABLISH NETNS CONNECTION INTO %s' % self._netns, host=self._play_context.remote_addr)
        return super(Connection, self)._connect()

    def _namespace(self):
        name = self.get_option('netns_name') or self._play_context.remote_addr
        if not name or '/' in name or name in ('.', '..'):
            raise AnsibleConnectionFailure('netns_name %r is not a network namespace name (a file name under %s)'
                                           % (name, NETNS_RUN_DIR))
        path = os.path.join(NETNS_RUN_DIR, name)
        try:
            is_namespace = os.stat(path).st_dev == os.stat('/proc/self/ns/net').st_dev
        except FileNotFoundError:
            is_namespace = False
        if not is_namespace:
            raise AnsibleConnectionFailure(
                "network namespace %r does not exist (no namespace mounted at %s): create it first, for instance "
                "with nlink.netlink.nl_netns in a play on localhost" % (name, path))
        return name

    def exec_command(self, cmd, in_data=None, sudoable=True):
        if not self._connected:
            self._connect()
        if not isinstance(cmd, (str, bytes)):
            cmd = ' '.join(shlex.quote(to_text(part)) for part in cmd)
        wrapped = '%s netns exec %s /bin/sh -c %s' % (shlex.quote(self._ip), shlex.quote(self._netns),
                                                      shlex.quote(to_text(cmd)))
        rc, stdout, stderr = super(Connection, self).exec_command(wrapped, in_data=in_data, sudoable=sudoable)
        # ip says why it could not switch (and exits 255) before anything of the command runs
        if rc == 255 and not stdout and b'network namespace' in stderr[:200]:
            raise AnsibleConnectionFailure('ip netns exec %s failed: %s' % (self._netns, to_text(stderr).strip()))
        return rc, stdout, stderr

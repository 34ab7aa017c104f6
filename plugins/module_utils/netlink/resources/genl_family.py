# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generic netlink families of the running kernel (nlctrl), for nl_facts' ``genl_families``: read only."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import genl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import NETLINK_GENERIC
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import gen


class GenlFamily(Resource):
    protocol = NETLINK_GENERIC
    identity = ('name',)

    def gather(self):
        return [self.from_info(info) for info in genl.families(self.conn)]

    @staticmethod
    def from_info(info):
        """Operations by the names of the family's spec where there is one, else by number."""
        names = gen.GENL_OPERATIONS.get(info['name'], {})
        return {'name': info['name'], 'id': info['id'], 'version': info['version'],
                'ops': [names.get(number, number) for number in info['ops']],
                'multicast_groups': [{'name': name, 'id': number}
                                     for name, number in sorted(info['mcast-groups'].items())]}

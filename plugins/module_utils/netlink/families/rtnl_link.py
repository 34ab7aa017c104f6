# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IFLA_INFO_DATA of the link kinds pyroute2 does not describe (linux/if_link.h, rt-link.yaml)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def register():
    """Teach pyroute2's ifinfmsg the kinds it lacks (idempotent). pyroute2 is imported here, not at
    module load, so that a host without it gets missing_required_lib rather than an import error."""
    from pyroute2.netlink import nla
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    class macsec_data(nla):
        nla_map = (
            ('IFLA_MACSEC_UNSPEC', 'none'),
            ('IFLA_MACSEC_SCI', 'uint64'),
            ('IFLA_MACSEC_PORT', 'be16'),
            ('IFLA_MACSEC_ICV_LEN', 'uint8'),
            ('IFLA_MACSEC_CIPHER_SUITE', 'uint64'),
            ('IFLA_MACSEC_WINDOW', 'uint32'),
            ('IFLA_MACSEC_ENCODING_SA', 'uint8'),
            ('IFLA_MACSEC_ENCRYPT', 'uint8'),
            ('IFLA_MACSEC_PROTECT', 'uint8'),
            ('IFLA_MACSEC_INC_SCI', 'uint8'),
            ('IFLA_MACSEC_ES', 'uint8'),
            ('IFLA_MACSEC_SCB', 'uint8'),
            ('IFLA_MACSEC_REPLAY_PROTECT', 'uint8'),
            ('IFLA_MACSEC_VALIDATION', 'uint8'),
            ('IFLA_MACSEC_PAD', 'none'),
            ('IFLA_MACSEC_OFFLOAD', 'uint8'),
        )

    class netkit_data(nla):
        nla_map = (
            ('IFLA_NETKIT_UNSPEC', 'none'),
            ('IFLA_NETKIT_PEER_INFO', 'info_peer'),
            ('IFLA_NETKIT_PRIMARY', 'uint8'),
            ('IFLA_NETKIT_POLICY', 'uint32'),
            ('IFLA_NETKIT_PEER_POLICY', 'uint32'),
            ('IFLA_NETKIT_MODE', 'uint32'),
        )
        info_peer = ifinfmsg.ifinfo.veth_data.info_peer

    ifinfmsg.ifinfo.data_map.setdefault('macsec', macsec_data)
    ifinfmsg.ifinfo.data_map.setdefault('netkit', netkit_data)

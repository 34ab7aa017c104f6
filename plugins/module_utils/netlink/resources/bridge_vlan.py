# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VLANs of bridge ports and bridges (RTM_*VLAN, AF_BRIDGE): identity dev + vid (one VLAN or a range);
scope for purge: a device.

The kernel holds one entry per VLAN; the module's objects are the ranges a task names. What is current is
read per VLAN and then cut along the wanted ranges (what no range covers is grouped into runs of equal
VLANs, as `bridge vlan show` does). A range is present when all its VLANs are (for deletion: when any is);
an attribute of a range reads None when its VLANs differ, and changing a range keeps, per VLAN, the
attributes the task does not give.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import json

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import rtnl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.engine import Attribute, Resource
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError

AF_BRIDGE = 7
RTM_NEWVLAN, RTM_DELVLAN, RTM_GETVLAN = 112, 113, 114
RTM_SETLINK, RTM_DELLINK = 19, 17  # commands of BRIDGE_VLANDB_TINFO_CMD
# linux/if_bridge.h
BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, BRIDGE_VLAN_INFO_ONLY_OPTS = 0x2, 0x4, 0x40
MAX_VID = 4094
MAX_TUNNEL_ID = 0xFFFFFFFF
_CLASSES = []


def vlan_classes():
    """(request for a dump, message) of RTM_*VLAN, after linux/if_bridge.h; built on first use (pyroute2 is
    lazy). pyroute2's br_vlan_msg does not flag the tunnel nest NLA_F_NESTED, which the kernel requires."""
    if not _CLASSES:
        from pyroute2.netlink import nla, nlmsg

        class br_vlan_query(nlmsg):
            fields = (('family', 'B'), ('__pad', '3x'), ('ifindex', 'I'))
            nla_map = ((0, 'BRIDGE_VLANDB_DUMP_UNSPEC', 'none'), (1, 'BRIDGE_VLANDB_DUMP_FLAGS', 'uint32'))

        class br_vlan_msg(nlmsg):
            fields = (('family', 'B'), ('__pad', '3x'), ('ifindex', 'I'))
            nla_map = ((0, 'BRIDGE_VLANDB_UNSPEC', 'none'), (1, 'BRIDGE_VLANDB_ENTRY', 'entry | nested'),
                       (2, 'BRIDGE_VLANDB_GLOBAL_OPTIONS', 'cdata'))

            class entry(nla):
                nla_map = ((0, 'BRIDGE_VLANDB_ENTRY_UNSPEC', 'none'), (1, 'BRIDGE_VLANDB_ENTRY_INFO', 'info'),
                           (2, 'BRIDGE_VLANDB_ENTRY_RANGE', 'uint16'), (3, 'BRIDGE_VLANDB_ENTRY_STATE', 'uint8'),
                           (4, 'BRIDGE_VLANDB_ENTRY_TUNNEL_INFO', 'tinfo | nested'),
                           (5, 'BRIDGE_VLANDB_ENTRY_STATS', 'cdata'))

                class info(nla):
                    fields = (('flags', 'H'), ('vid', 'H'))

                class tinfo(nla):
                    nla_map = ((0, 'BRIDGE_VLANDB_TINFO_UNSPEC', 'none'), (1, 'BRIDGE_VLANDB_TINFO_ID', 'uint32'),
                               (2, 'BRIDGE_VLANDB_TINFO_CMD', 'uint32'))
        _CLASSES.extend((br_vlan_query, br_vlan_msg))
    return _CLASSES


def vid_range(value, option='vid'):
    """A VLAN id or 'N-M' (1-4094) as (first, last)."""
    parts = str(value).strip().split('-', 1)
    try:
        first, last = int(parts[0]), int(parts[-1])
    except ValueError:
        first = last = 0
    if not 1 <= first <= last <= MAX_VID:
        raise ValidationError("%s: %r is not a VLAN id or range; use N or 'N-M' with 1 <= N <= M <= %d"
                              % (option, value, MAX_VID))
    return first, last


def vid_text(first, last):
    return str(first) if first == last else '%d-%d' % (first, last)


def runs(vids, current):
    """Consecutive VLANs with the same flags and consecutive tunnel ids, as (first, last)."""
    found = []
    for vid in sorted(vids):
        if found and vid == found[-1][1] + 1 and same_run(current, found[-1][0], vid):
            found[-1][1] = vid
        else:
            found.append([vid, vid])
    return [tuple(run) for run in found]


def same_run(current, first, vid):
    (pvid_a, untagged_a, tunnel_a), (pvid_b, untagged_b, tunnel_b) = current[first], current[vid]
    offset = vid - first
    return (not pvid_a and not pvid_b and untagged_a == untagged_b
            and (tunnel_b == tunnel_a + offset if tunnel_a else not tunnel_b))


def summary(dev, first, last, current):
    """The object for VLANs first..last of dev: an attribute is None when the present VLANs differ in it."""
    present = [vid for vid in range(first, last + 1) if vid in current]
    pvids = set(current[vid][0] for vid in present)
    untagged = set(current[vid][1] for vid in present)
    offsets = set(current[vid][2] - vid if current[vid][2] else None for vid in present)
    tunnel = None
    if offsets == {None}:
        tunnel = 0
    elif len(offsets) == 1:
        tunnel = first + offsets.pop()
    return {'dev': dev, 'vid': vid_text(first, last),
            'pvid': None if len(pvids) > 1 else pvids.pop(),
            'untagged': None if len(untagged) > 1 else untagged.pop(),
            'tunnel_id': tunnel}


class BridgeVlan(Resource):
    identity = ('dev', 'vid')
    scope = ('dev',)
    purge_requires = ('dev',)
    attributes = (
        Attribute('pvid', default=False),
        Attribute('untagged', default=False),
        Attribute('tunnel_id', default=0),
    )
    options = dict(
        dev=dict(type='str', required=True),
        vid=dict(type='raw', required=True),
        pvid=dict(type='bool'),
        untagged=dict(type='bool'),
        tunnel_id=dict(type='int'),
    )

    # -- desired side -----------------------------------------------------------------------------
    def normalize(self, item):
        want = dict((name, item.get(name)) for name in self.options)
        first, last = vid_range(want['vid'])
        want['vid'] = vid_text(first, last)
        if want['pvid'] and first != last:
            raise ValidationError('pvid: a port has one PVID; %s is a range' % want['vid'])
        if want['tunnel_id'] is not None and not 0 <= want['tunnel_id'] + last - first <= MAX_TUNNEL_ID:
            raise ValidationError('tunnel_id: %r is out of range; use 1-%d (0 for no tunnel)'
                                  % (want['tunnel_id'], MAX_TUNNEL_ID))
        return want

    def check_request(self, state, wants):
        self.state = state
        Resource.check_request(self, state, wants)
        taken = {}
        for want in wants:
            first, last = vid_range(want['vid'])
            for vid in range(first, last + 1):
                other = taken.setdefault((want['dev'], vid), want)
                if other is not want:
                    raise ValidationError('vid: %s and %s of %s overlap (in VLAN %d); give each VLAN once'
                                          % (other['vid'], want['vid'], want['dev'], vid))
        pvids = {}
        for want in wants:
            if want['pvid'] and pvids.setdefault(want['dev'], want['vid']) != want['vid']:
                raise ValidationError('pvid: %s has one PVID, both %s and %s are given'
                                      % (want['dev'], pvids[want['dev']], want['vid']))

    # -- reading ----------------------------------------------------------------------------------
    def links(self):
        from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
        request = ifinfmsg()
        request['attrs'] = [('IFLA_EXT_MASK', 0)]
        self.indexes, self.bridges, masters = {}, set(), {}
        for msg in self.conn.dump(request, rtnl.RTM_GETLINK, ifinfmsg):
            name = msg.get_attr('IFLA_IFNAME')
            self.indexes[name] = msg['index']
            masters[name] = msg.get_attr('IFLA_MASTER')
            info = msg.get_attr('IFLA_LINKINFO')
            if info and info.get_attr('IFLA_INFO_KIND') == 'bridge':
                self.bridges.add(name)
        bridge_indexes = set(self.indexes[name] for name in self.bridges)
        # what may have VLANs: bridges and their ports
        self.members = self.bridges | set(name for name, master in masters.items() if master in bridge_indexes)

    def gather(self):
        br_vlan_query, br_vlan_msg = vlan_classes()
        self.links()
        names = dict((index, name) for name, index in self.indexes.items())
        wants = getattr(self, 'wants', [])
        request = br_vlan_query()
        request['family'] = AF_BRIDGE
        dev = self.scope_values.get('dev')
        # the kernel filters by device when the task names one device only
        self.current = {}
        if dev is not None and all(w['dev'] == dev for w in wants):
            if dev not in self.members:
                return []  # no such device, or not one with VLANs (the kernel refuses to dump it)
            request['ifindex'] = self.indexes[dev]
        try:
            messages = self.conn.dump(request, RTM_GETVLAN, br_vlan_msg)
        except NetlinkError as exc:
            if exc.code != errno.EOPNOTSUPP:
                raise
            if not wants:
                return []  # only reading (nl_facts, gathered): such a kernel has no bridge VLANs
            raise exc.with_context('bridge VLANs: this kernel has no bridge VLAN filtering '
                                   '(CONFIG_BRIDGE_VLAN_FILTERING) or no RTM_GETVLAN (Linux 5.10)')
        for msg in messages:
            vlans = self.current.setdefault(names.get(msg['ifindex'], str(msg['ifindex'])), {})
            for kind, entry in msg['attrs']:
                if kind == 'BRIDGE_VLANDB_ENTRY':
                    vlans.update(self.decode_entry(entry))
        return self.cut(wants)

    @staticmethod
    def decode_entry(entry):
        """{vid: (pvid, untagged, tunnel id or 0)} of one BRIDGE_VLANDB_ENTRY (a VLAN or a range)."""
        info = entry.get_attr('BRIDGE_VLANDB_ENTRY_INFO')
        first = info['vid']
        last = entry.get_attr('BRIDGE_VLANDB_ENTRY_RANGE') or first
        tinfo = entry.get_attr('BRIDGE_VLANDB_ENTRY_TUNNEL_INFO')
        tunnel = (tinfo.get_attr('BRIDGE_VLANDB_TINFO_ID') or 0) if tinfo else 0
        flags = info['flags']
        return dict((vid, (bool(flags & BRIDGE_VLAN_INFO_PVID), bool(flags & BRIDGE_VLAN_INFO_UNTAGGED),
                           tunnel + vid - first if tunnel else 0)) for vid in range(first, last + 1))

    def cut(self, wants):
        """The current VLANs as objects: along the wanted ranges, then the rest in runs."""
        haves = []
        for dev, current in sorted(self.current.items()):
            claimed = set()
            for want in (w for w in wants if w['dev'] == dev):
                first, last = vid_range(want['vid'])
                span = range(first, last + 1)
                claimed.update(span)
                present = sum(1 for vid in span if vid in current)
                if present == len(span) or (present and getattr(self, 'state', None) == 'deleted'):
                    haves.append(summary(dev, first, last, current))
            haves += [summary(dev, first, last, current)
                      for first, last in runs(set(current) - claimed, current)]
        return haves

    # -- writing ----------------------------------------------------------------------------------
    def steps(self, change):
        """The change as (verb, first, last, pvid, untagged, tunnel id) steps, in order.

        verb: 'add' (create, or set flags), 'del', 'tunnel add', 'tunnel del'. A range given attributes is
        added in runs of its current VLANs, each keeping what the task does not set.
        """
        dev = change.key[0]
        first, last = vid_range(change.key[1])
        current = self.current.get(dev, {})
        if change.op == 'delete':
            return [('del', first, last, False, False, 0)]
        delta = change.delta  # what the task gives (and differs): the rest stays as each VLAN has it
        steps = []
        if change.op == 'create' or set(delta) & set(('pvid', 'untagged')):
            known = dict((vid, current.get(vid, (False, False, 0))) for vid in range(first, last + 1))
            for lo, hi in runs(known, known):
                pvid, untagged, _tunnel = known[lo]
                steps.append(('add', lo, hi, delta.get('pvid', pvid), delta.get('untagged', untagged), 0))
        if 'tunnel_id' in delta:
            mapped = [vid for vid in range(first, last + 1) if current.get(vid, (0, 0, 0))[2]]
            for lo, hi in runs(mapped, current):
                steps.append(('tunnel del', lo, hi, False, False, current[lo][2]))
            if delta['tunnel_id']:
                steps.append(('tunnel add', first, last, False, False, delta['tunnel_id']))
        return steps

    def message(self, dev, step):
        br_vlan_msg = vlan_classes()[1]
        verb, first, last, pvid, untagged, tunnel = step
        index = self.indexes.get(dev)
        if not index:
            raise NetlinkError(errno.ENODEV, context='dev %s does not exist' % dev)
        msg = br_vlan_msg()
        msg['family'] = AF_BRIDGE
        msg['ifindex'] = index
        flags = (BRIDGE_VLAN_INFO_PVID if pvid else 0) | (BRIDGE_VLAN_INFO_UNTAGGED if untagged else 0)
        if verb.startswith('tunnel'):
            flags |= BRIDGE_VLAN_INFO_ONLY_OPTS
        entry = [('BRIDGE_VLANDB_ENTRY_INFO', {'flags': flags, 'vid': first})]
        if last != first:
            entry.append(('BRIDGE_VLANDB_ENTRY_RANGE', last))
        if verb.startswith('tunnel'):
            entry.append(('BRIDGE_VLANDB_ENTRY_TUNNEL_INFO', {'attrs': [
                ('BRIDGE_VLANDB_TINFO_ID', tunnel),
                ('BRIDGE_VLANDB_TINFO_CMD', RTM_SETLINK if verb == 'tunnel add' else RTM_DELLINK)]}))
        msg['attrs'] = [('BRIDGE_VLANDB_ENTRY', {'attrs': entry})]
        return msg, (RTM_DELVLAN if verb == 'del' else RTM_NEWVLAN), 0

    def requests(self, change):
        return [self.message(change.key[0], step) for step in self.steps(change)]

    def order(self, changes):
        """Deletions first: a range that replaces others may overlap them."""
        return [c for c in changes if c.op == 'delete'] + [c for c in changes if c.op != 'delete']

    # -- rendering ---------------------------------------------------------------------------------
    def render(self, change):
        dev = change.key[0]
        self_word = 'self' if dev in getattr(self, 'bridges', ()) else ''
        commands = []
        for verb, first, last, pvid, untagged, tunnel in self.steps(change):
            words = ['vlan', 'del' if verb.endswith('del') else 'add', 'dev', dev, 'vid', vid_text(first, last)]
            if verb.startswith('tunnel'):
                words += ['tunnel_info', 'id', vid_text(tunnel, tunnel + last - first)]
            else:
                words += (['pvid'] if pvid else []) + (['untagged'] if untagged else [])
            commands.append(self.bridge(*(words + [self_word])))
        return commands

    def bridge(self, *words):
        prefix = ['bridge'] + (['-n', self.netns] if self.netns else [])
        return ' '.join(prefix + [str(w) for w in words if w is not None and w != ''])

    @classmethod
    def parse(cls, text):
        """``bridge -j vlan show`` (or ``bridge -j vlan tunnelshow``: tunnel ids only) output as a config list."""
        try:
            return [cls.parse_vlan(port['ifname'], vlan) for port in json.loads(text)
                    for vlan in port.get('vlans', port.get('tunnels', []))]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError('running_config is not JSON from `bridge -j vlan show`: %s' % exc)

    @staticmethod
    def parse_vlan(dev, vlan):
        flags = vlan.get('flags', [])
        return {'dev': dev, 'vid': vid_text(vlan['vlan'], vlan.get('vlanEnd', vlan['vlan'])),
                'pvid': 'PVID' in flags, 'untagged': 'Egress Untagged' in flags, 'tunnel_id': vlan.get('tunid', 0)}

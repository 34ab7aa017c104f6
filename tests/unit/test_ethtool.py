# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_ethtool: the kernel's replies in the user's shape, what is refused and why, requests, commands, parsing.

The kernel is a fake answering with decoded replies shaped as the ethtool family sends them (verbose
bitsets); every request the resource makes is encoded with the generated family, as it would be sent.
"""

import errno
import json
import socket
import struct

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine, genl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen import ethtool as spec
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import ethtool, ethtool_settings as es

FEATURE_NAMES = ['tx-scatter-gather', 'tx-checksum-ipv4', 'tx-checksum-ip-generic', 'rx-gro', 'rx-lro',
                 'tx-nocache-copy', 'tx-tcp-segmentation']


def bits(names, **extra):
    return dict({'bits': {'bit': [dict({'index': i, 'name': n}, **v) for i, (n, v) in enumerate(names)]}}, **extra)


def nomask(*names):
    return bits([(n, {}) for n in names], nomask=True)


def compact(*names):
    """A compact bitset (features are read that way) of FEATURE_NAMES bits."""
    return {'size': len(FEATURE_NAMES), 'value': struct.pack('=I', sum(1 << FEATURE_NAMES.index(n) for n in names))}


REPLIES = {
    'features-get': {'hw': compact('tx-scatter-gather', 'tx-checksum-ip-generic', 'rx-gro', 'tx-nocache-copy',
                                   'tx-tcp-segmentation'),
                     'active': compact('tx-scatter-gather', 'tx-checksum-ip-generic', 'tx-tcp-segmentation'),
                     'wanted': compact(), 'nochange': compact()},
    'rings-get': {'rx-max': 4096, 'tx-max': 4096, 'rx': 512, 'tx': 512, 'tcp-data-split': 'unknown'},
    'channels-get': {'rx-max': 2, 'tx-max': 2, 'rx-count': 1, 'tx-count': 1},
    'coalesce-get': {'rx-usecs': 3, 'tx-max-frames': 64, 'use-adaptive-rx': 0},
    'pause-get': {'autoneg': 0, 'rx': 1, 'tx': 0},
    'eee-get': {'enabled': 0, 'tx-lpi-enabled': 0, 'tx-lpi-timer': 0},
    'wol-get': {'modes': bits([('phy', {}), ('magic', {'value': True})])},
    'linkmodes-get': {'autoneg': 1, 'speed': 1000, 'duplex': 1,
                      'ours': bits([('10baseT/Half', {}), ('100baseT/Full', {'value': True}),
                                    ('1000baseT/Full', {'value': True})])},
    'privflags-get': {'flags': bits([('legacy-rx', {'value': True}), ('link-down-on-close', {})])},
    'fec-get': {'auto': 1, 'modes': nomask('RS')},
}


class FakeEthtool:
    """genl.Genl for one device ``v0`` of driver ``fake``; ``unsupported`` ops answer EOPNOTSUPP."""

    def __init__(self, unsupported=(), refused=None):
        self.unsupported = set(unsupported)
        self.refused = refused or {}
        self.sent = []
        self.codec = genl.Codec(spec)

    def __call__(self, conn, family):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def do(self, op, values=None, flags=0):
        self.codec.encode_payload(op, values or {})
        if op == 'strset-get':
            strings = [{'index': i, 'value': n} for i, n in enumerate(FEATURE_NAMES)]
            return [{'stringsets': {'stringset': [{'id': es.ETH_SS_FEATURES, 'strings': [{'string': strings}]}]}}]
        if values['header']['dev-name'] != 'v0':
            raise NetlinkError(errno.ENODEV)
        if op in self.unsupported:
            raise NetlinkError(errno.EOPNOTSUPP)
        return [REPLIES[op]]

    def dump(self, op, values=None, flags=0):
        self.codec.encode_payload(op, values or {})
        if op in self.unsupported:
            return []
        reply = {'link': 1} if op == 'linkstate-get' else REPLIES[op]
        return [dict(reply, header={'dev-name': 'v0'})]

    def bulk(self, requests):
        for op, values, _flags in requests:
            self.codec.encode_payload(op, values)  # must encode as it would be sent
        self.sent.extend(requests)
        return dict((i, NetlinkError(self.refused[r[0]])) for i, r in enumerate(requests) if r[0] in self.refused)


@pytest.fixture
def fake(monkeypatch):
    kernel = FakeEthtool(unsupported=('eee-get',))
    monkeypatch.setattr(ethtool.genl, 'Genl', kernel)
    monkeypatch.setattr(ethtool, 'inet_socket', lambda netns: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    info = {'driver': 'fake', 'version': '1', 'firmware': '', 'bus': ''}
    monkeypatch.setattr(ethtool, 'drvinfo', lambda sock, dev: info)
    return kernel


def resource(netns='lab'):
    return ethtool.Ethtool(None, {}, netns)


def test_replies_read_as_ethtool_names(fake):
    have = resource().read(fake, 'v0', es.GROUPS)
    assert have['features'] == {'tx-scatter-gather': True, 'tx-checksum-ipv4': False, 'tx-checksum-ip-generic': True,
                                'generic-receive-offload': False, 'large-receive-offload': False,
                                'tx-nocache-copy': False, 'tx-tcp-segmentation': True}
    assert have['rings'] == {'rx': 512, 'tx': 512, 'tcp-data-split': 'auto'}
    assert have['channels'] == {'rx': 1, 'tx': 1}
    assert have['coalesce'] == {'rx-usecs': 3, 'tx-frames': 64, 'adaptive-rx': False}
    assert have['pause'] == {'autonegotiate': False, 'rx': True, 'tx': False}
    assert 'eee' not in have  # the driver does not support it
    assert have['wol'] == {'modes': ['magic']}
    assert have['link'] == {'autoneg': True, 'speed': 1000, 'duplex': 'full',
                            'advertise': ['1000baseT/Full', '100baseT/Full']}
    assert have['private_flags'] == {'legacy-rx': True, 'link-down-on-close': False}
    assert have['fec'] == {'encoding': ['auto', 'rs']}


def test_feature_names_of_every_kind_become_ethtool_k_names(fake):
    want = resource().normalize({'dev': 'v0', 'features': {'gro': 'on', 'rx-lro': False, 'tx-nocache-copy': True}})
    assert want['features'] == {'generic-receive-offload': True, 'large-receive-offload': False,
                                'tx-nocache-copy': True}


def test_a_feature_group_sets_the_members_that_can_change(fake):
    want = resource().normalize({'dev': 'v0', 'features': {'tx-checksumming': False}})
    assert want['features'] == {'tx-checksum-ip-generic': False}  # tx-checksum-ipv4 is fixed


@pytest.mark.parametrize('item,message', [
    ({'features': {'rx-lro': True}}, 'features: large-receive-offload is fixed on v0: driver fake cannot '
                                     'change it (large-receive-offload stays off)'),
    ({'features': {'warp': True}}, 'features: warp is not a feature of v0'),
    ({'features': {'gro': 'maybe'}}, "features.gro: 'maybe' is not a boolean"),
    ({'eee': {'eee': True}}, 'driver fake does not support eee (ethtool --show-eee/--set-eee on v0'),
    ({'channels': {'combined': 2}}, 'driver fake does not support channels combined on v0'),
    ({'channels': {'rx-count': 2}}, "channels: unknown setting 'rx-count'; known: combined, other, rx, tx"),
    ({'rings': {'rx': -1}}, 'rings.rx: -1 is out of range'),
    ({'rings': {'tcp-data-split': 'yes'}}, "rings.tcp-data-split: 'yes' is not one of auto, off, on"),
    ({'wol': {'modes': ['ucast']}}, 'driver fake does not support wol mode ucast on v0'),
    ({'wol': {'modes': ['teleport']}}, 'wol.modes: teleport not a mode'),
    ({'link': {'advertise': ['10000baseT/Full']}}, 'does not support link mode 10000baseT/Full'),
    ({'link': {'duplex': 'both'}}, "link.duplex: 'both' is not one of full, half"),
    ({'link': {'mtu': 1}}, 'link: unknown setting mtu; known: autoneg, speed, duplex, advertise'),
    ({'private_flags': {'turbo': True}}, 'driver fake does not support private flag turbo on v0'),
    ({'fec': {'encoding': ['fast']}}, "fec.encoding: ['fast']; give a list of auto, baser, llrs, off, rs"),
    ({'dev': 'nope0', 'rings': {'rx': 1}}, 'dev: no device nope0 in lab'),
    ({'channels': 4}, 'channels: expected a mapping of settings, got 4'),
])
def test_what_the_driver_cannot_do_is_refused_clearly(fake, item, message):
    with pytest.raises(ValidationError) as caught:
        resource().normalize(dict({'dev': 'v0'}, **item))
    assert message in str(caught.value)


def test_deleted_is_refused_and_overridden_purges_nothing(fake):
    res = resource()
    with pytest.raises(ValidationError, match='state=deleted is not meaningful'):
        res.check_request('deleted', [])
    assert res.in_scope({'dev': 'v1'}) is False


def run(fake, state, item, check_mode=False):
    res = resource()
    want = res.normalize(item)
    res.check_request(state, [want])
    return engine.run(res, state, [want], check_mode, True)


def test_merged_changes_only_the_keys_that_differ(fake):
    result = run(fake, 'merged', {'dev': 'v0', 'rings': {'rx': 1024, 'tx': 512}, 'channels': {'rx': 1},
                                  'features': {'gro': True, 'tx-scatter-gather': True}}, check_mode=True)
    assert result['changed'] is True
    assert result['commands'] == ['ip netns exec lab ethtool -K v0 generic-receive-offload on',
                                  'ip netns exec lab ethtool -G v0 rx 1024']
    assert result['after'][0]['rings'] == {'rx': 1024, 'tx': 512, 'tcp-data-split': 'auto'}
    assert fake.sent == []


def test_nothing_to_do_is_no_change(fake):
    result = run(fake, 'replaced', {'dev': 'v0', 'pause': {'rx': True}, 'fec': {'encoding': ['rs', 'auto']}})
    assert (result['changed'], result['commands']) == (False, [])


def test_requests_carry_what_changes(fake):
    res = resource()
    change = engine.Change('update', ('v0',), REPLY_HAVE, None, {
        'features': {'generic-receive-offload': True, 'tx-scatter-gather': True},
        'coalesce': {'adaptive-rx': True, 'rx-frames': 16},
        'link': {'autoneg': False, 'speed': 100, 'duplex': 'half', 'advertise': ['100baseT/Full']},
        'wol': {'modes': []}, 'fec': {'encoding': ['baser']}, 'private_flags': {'legacy-rx': False},
        'rings': {'tcp-data-split': 'on'}})
    assert res.apply([change]) == {}
    sent = dict((op, values) for op, values, _flags in fake.sent)
    assert sent['features-set']['wanted'] == {'bits': {'bit': [{'name': 'rx-gro', 'value': True}]}}
    assert sent['features-set']['header'] == {'dev-name': 'v0', 'flags': ['omit-reply']}
    assert sent['coalesce-set'] == {'header': {'dev-name': 'v0'}, 'use-adaptive-rx': 1, 'rx-max-frames': 16}
    assert sent['linkmodes-set'] == {'header': {'dev-name': 'v0'}, 'autoneg': 0, 'speed': 100, 'duplex': 0,
                                     'ours': {'nomask': True, 'bits': {'bit': [{'name': '100baseT/Full',
                                                                                'value': True}]}}}
    assert sent['wol-set']['modes'] == {'nomask': True, 'bits': {'bit': []}}
    assert sent['fec-set']['auto'] == 0
    assert sent['fec-set']['modes']['bits']['bit'] == [{'name': 'BASER', 'value': True}]
    assert sent['privflags-set']['flags'] == {'bits': {'bit': [{'name': 'legacy-rx'}]}}
    assert sent['rings-set'] == {'header': {'dev-name': 'v0'}, 'tcp-data-split': 'enabled'}


REPLY_HAVE = {'dev': 'v0', 'features': {'generic-receive-offload': False, 'tx-scatter-gather': True},
              'coalesce': {'adaptive-rx': False, 'rx-frames': 0},
              'link': {'autoneg': True, 'speed': 1000, 'duplex': 'full', 'advertise': ['1000baseT/Full']},
              'wol': {'modes': ['magic']}, 'fec': {'encoding': ['auto', 'rs']},
              'private_flags': {'legacy-rx': True}, 'rings': {'tcp-data-split': 'auto'}}


def test_commands_are_ethtool_commands(fake):
    res = resource(netns=None)
    res.extras['v0'] = {'link': {'10baseT/Half': 0, '100baseT/Full': 3, '1000baseT/Full': 5}}
    change = engine.Change('update', ('v0',), REPLY_HAVE, None, {
        'link': {'autoneg': False, 'advertise': ['100baseT/Full', '1000baseT/Full']},
        'wol': {'modes': ['magic', 'phy']}, 'pause': {'autonegotiate': False, 'tx': True},
        'eee': {'eee': True, 'tx-timer': 100}, 'fec': {'encoding': ['baser']}, 'private_flags': {'legacy-rx': False}})
    assert res.render(change) == [
        'ethtool -A v0 autoneg off tx on',
        'ethtool --set-eee v0 eee on tx-timer 100',
        'ethtool -s v0 wol gp',
        'ethtool -s v0 autoneg off advertise 0x28',
        'ethtool --set-priv-flags v0 legacy-rx off',
        'ethtool --set-fec v0 encoding baser',
    ]


def test_refusals_name_the_driver_and_the_operation(fake):
    fake.refused = {'channels-set': errno.EOPNOTSUPP, 'rings-set': errno.EINVAL}
    res = resource()
    errors = res.apply([engine.Change('update', ('v0',), {'channels': {'rx': 1}}, None, {'channels': {'rx': 2}}),
                        engine.Change('update', ('v0',), {'rings': {'rx': 1}}, None, {'rings': {'rx': 2}})])
    assert str(errors[0]).startswith('driver fake does not support changing channels: ethtool channels-set: ')
    assert str(errors[1]).startswith('ethtool rings-set: EINVAL')


def test_ethtool_json_output_parses_to_the_options():
    text = '\n'.join(json.dumps(doc) for doc in (
        [{'ifname': 'v0', 'rx-checksumming': {'active': True, 'fixed': False, 'requested': True},
          'tx-checksumming': {'active': True, 'fixed': None, 'requested': None},
          'tx-checksum-ipv4': {'active': False, 'fixed': True, 'requested': False}}],
        [{'ifname': 'v0', 'autonegotiate': False, 'rx': True, 'tx': False}],
        [{'ifname': 'v0', 'config': ['Auto', 'None'], 'active-fec': 'RS'}],
        [{'ifname': 'v0', 'rx-max': 2, 'tx-max': 2, 'other-max': 'n/a', 'combined-max': 'n/a', 'rx': 1, 'tx': 1,
          'other': 'n/a', 'combined': 'n/a'}],
        [{'ifname': 'v1', 'rx-max': 4096, 'rx-mini-max': 0, 'rx': 512, 'tx': 256}]))
    assert es.parse(text) == [
        {'dev': 'v0', 'features': {'rx-checksumming': True, 'tx-checksum-ipv4': False},
         'pause': {'autonegotiate': False, 'rx': True, 'tx': False}, 'fec': {'encoding': ['auto', 'off']},
         'channels': {'rx': 1, 'tx': 1}},
        {'dev': 'v1', 'rings': {'rx': 512, 'tx': 256}}]
    with pytest.raises(ValidationError, match='running_config is not the JSON'):
        es.parse('Features for v0:')


def test_facts_add_driver_and_link_state(fake, monkeypatch):
    monkeypatch.setattr(ethtool.Ethtool, 'devices', staticmethod(lambda et: ['v0']))
    facts = ethtool.EthtoolFacts(None, {}, 'lab')
    facts.wants = []
    found = facts.gather()
    assert found[0]['driver'] == {'driver': 'fake', 'version': '1', 'firmware': '', 'bus': ''}
    assert found[0]['link_detected'] is True
    assert found[0] == dict(resource().read(fake, 'v0', es.GROUPS), driver=found[0]['driver'], link_detected=True)

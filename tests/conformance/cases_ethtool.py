# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance cases of nl_ethtool (cases.py joins them to the table).

veth (host) has features and channels; netdevsim (the test VM) adds rings, coalescing, pause and FEC.
Read back with `ethtool --json` where ethtool 6.1 prints JSON (-k, -a, --show-fec), else with its plain
output turned into JSON by a one-line Python filter run inside the namespace.
"""

from harness import Case, ErrorCase

# down: a channel change on a running veth re-opens it, and IPv6 routes come and go while the test compares
VETH = ['ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02']
FEATURES = 'ethtool --json -k v0'
# `ethtool -l/-g/-c DEV` as {key: value} of the current settings (no --json for them in ethtool 6.1)
PLAIN = ('python3 -c "import json, subprocess, sys; out = subprocess.check_output([\'ethtool\'] + sys.argv[1:], '
         'text=True).split(\'Current hardware settings:\')[-1]; print(json.dumps(dict((k.strip().lower(), '
         'v.strip()) for k, s, v in (line.partition(\':\') for line in out.splitlines()[1:]) if s and v.strip())))"')
CHANNELS = PLAIN + ' -l v0'
# A netdevsim port of a new netdevsim device, in the test's namespace, named nsim0. Created from inside the
# namespace (netdevsim puts its ports in the creator's namespace); moved there from the initial one otherwise.
NSIM = ['sh -c \'id=$(( $(od -An -N2 -tu2 /dev/urandom) + 1000 )); echo "$id 1" > /sys/bus/netdevsim/new_device; '
        'sleep 0.3; dev=$(ip -o -d link show | grep "parentdev netdevsim$id" | cut -d: -f2 | tr -d " "); '
        'if [ -z "$dev" ]; then dev=$(nsenter -t 1 -n ip -o -d link show | grep "parentdev netdevsim$id" | '
        'cut -d: -f2 | tr -d " "); nsenter -t 1 -n ip link set "$dev" netns "$(ip netns identify)"; fi; '
        'ip link set "$dev" name nsim0\'']
NSIM_NEEDS = {'kernel_module': 'netdevsim'}
RINGS = PLAIN + ' -g nsim0'
COALESCE = PLAIN + ' -c nsim0'
PAUSE = 'ethtool --json -a nsim0'
FEC = 'ethtool --json --show-fec nsim0'

CASES = [
    Case('veth-features-channels', 'nl_ethtool', setup=VETH,
         apply={'dev': 'v0', 'features': {'generic-receive-offload': True, 'tx-nocache-copy': True},
                'channels': {'rx': 2}},
         change={'dev': 'v0', 'features': {'gro': False, 'rx-gro-list': True}, 'channels': {'rx': 1, 'tx': 2}},
         readback=[FEATURES, CHANNELS],
         expect={FEATURES: [{'ifname': 'v0', 'generic-receive-offload': {'active': True},
                             'tx-nocache-copy': {'active': True}}],
                 CHANNELS: {'rx': '2', 'tx': '1'}},
         notes='veth: features and channels only; rings, coalesce, pause, FEC are refused (error cases)'),
    Case('veth-feature-groups', 'nl_ethtool', setup=VETH,
         # tx-checksumming stands for five features, three of them fixed off on veth: the two that can
         # change are set; sg and tso by their short names
         apply={'dev': 'v0', 'features': {'tx-checksumming': False, 'sg': False}},
         change={'dev': 'v0', 'state': 'replaced', 'features': {'tx-checksumming': True, 'sg': True, 'tso': True}},
         readback=[FEATURES],
         expect={FEATURES: [{'ifname': 'v0', 'tx-checksum-ip-generic': {'active': False},
                             'tx-checksum-sctp': {'active': False}, 'tx-scatter-gather': {'active': False},
                             'tx-checksum-ipv4': {'active': False, 'fixed': True}}]},
         # the kernel turns dependent features on and off by itself (sg back on brings gso back): check mode
         # predicts the features asked for, not those
         volatile=('features',)),
    Case('netdevsim-rings-coalesce', 'nl_ethtool', setup=NSIM, needs=NSIM_NEEDS,
         apply={'dev': 'nsim0', 'rings': {'rx': 256, 'tx': 512},
                'coalesce': {'rx-usecs': 30, 'tx-frames': 8, 'adaptive-rx': True}},
         change={'dev': 'nsim0', 'rings': {'rx': 1024}, 'coalesce': {'adaptive-rx': False}},
         readback=[RINGS, COALESCE],
         expect={RINGS: {'rx': '256', 'tx': '512'}, COALESCE: {'rx-usecs': '30', 'tx-frames': '8'}}),
    Case('netdevsim-pause-fec-channels', 'nl_ethtool', setup=NSIM, needs=NSIM_NEEDS,
         apply={'dev': 'nsim0', 'pause': {'rx': True, 'tx': True}, 'fec': {'encoding': ['rs']}},
         change={'dev': 'nsim0', 'pause': {'tx': False}, 'fec': {'encoding': ['baser']}},
         readback=[PAUSE, FEC],
         expect={PAUSE: [{'ifname': 'nsim0', 'rx': True, 'tx': True}]}),
]

ERROR_CASES = [
    ErrorCase('veth-has-no-rings', 'nl_ethtool', setup=VETH, phase='validation',
              args={'dev': 'v0', 'rings': {'rx': 512}},
              msg_contains=['driver veth does not support rings']),
    ErrorCase('veth-has-no-combined-channels', 'nl_ethtool', setup=VETH, phase='validation',
              args={'dev': 'v0', 'channels': {'combined': 2}},
              msg_contains=['driver veth does not support channels combined on v0']),
    ErrorCase('fixed-feature', 'nl_ethtool', setup=VETH, phase='validation',
              args={'dev': 'v0', 'features': {'large-receive-offload': True, 'tx-checksum-ipv4': True}},
              msg_contains=['large-receive-offload, tx-checksum-ipv4 are fixed on v0: driver veth cannot change them',
                            'large-receive-offload stays off', 'tx-checksum-ipv4 stays off']),
    ErrorCase('unknown-feature', 'nl_ethtool', setup=VETH, phase='validation',
              args={'dev': 'v0', 'features': {'warp-drive': True}},
              msg_contains=['warp-drive is not a feature of v0']),
    ErrorCase('unknown-setting', 'nl_ethtool', setup=VETH, phase='validation',
              args={'dev': 'v0', 'channels': {'rx-count': 2}},
              msg_contains=["channels: unknown setting 'rx-count'", 'combined, other, rx, tx']),
    ErrorCase('deleted-refused', 'nl_ethtool', setup=VETH, phase='validation',
              args={'dev': 'v0', 'state': 'deleted', 'features': {'gro': True}},
              msg_contains=['state=deleted is not meaningful']),
    ErrorCase('no-such-device', 'nl_ethtool', phase='validation',
              args={'dev': 'nope0', 'channels': {'rx': 1}},
              msg_contains=['dev: no device nope0']),
    ErrorCase('veth-link-speed-not-settable', 'nl_ethtool', setup=VETH,
              args={'dev': 'v0', 'link': {'speed': 1000}},
              msg_contains=['driver veth does not support changing link', 'Operation not supported']),
    ErrorCase('too-many-channels', 'nl_ethtool', setup=VETH,
              args={'dev': 'v0', 'channels': {'rx': 4096}},
              msg_contains=['ethtool channels-set', 'EINVAL']),
]

# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A WireGuard tunnel configured only by the modules carries a ping (test VM: the host lacks wireguard).

Two fresh namespaces joined by a veth pair (the underlay, IPv4 one way and IPv6 the other); on each side
nl_link makes wg0, nl_address numbers it, nl_wireguard generates its key and adds the other side as a peer
with the public key the other run returned; then a ping crosses the tunnel.
"""

import pytest

import harness
from cases_wireguard import PSK1, secret_forms

PING = harness.Case('ping-through-a-tunnel', 'nl_wireguard', apply={}, change={}, readback=[],
                    needs={'kernel_module': 'wireguard', 'command': ['wg', 'ping']})


def module(name, args, ns, tmp_path):
    result = harness.run_module(name, args, ns.name, tmpdir=str(tmp_path))
    assert not result.failed and result.returncode == 0, result.describe()
    return result


# parametrized by ``case`` so that the test VM's selection (cases with needs) keeps it
@pytest.mark.parametrize('case', [pytest.param(PING, id='nl_wireguard:ping')])
def test_a_tunnel_configured_by_the_modules_carries_a_ping(case, new_ns, require, tmp_path):
    require(case)
    a, b = new_ns(), new_ns()
    a.run(['ip', 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b.name])
    a.setup(['ip address add 192.0.2.1/24 dev va', 'ip address add 2001:db8::1/64 dev va nodad', 'ip link set va up'])
    b.setup(['ip address add 192.0.2.2/24 dev vb', 'ip address add 2001:db8::2/64 dev vb nodad', 'ip link set vb up'])

    keys = {}
    for ns, address, port in ((a, '10.99.0.1/24', 51820), (b, '10.99.0.2/24', 51821)):
        module('nl_link', {'name': 'wg0', 'kind': 'wireguard', 'admin_state': 'up'}, ns, tmp_path)
        module('nl_address', {'dev': 'wg0', 'address': address}, ns, tmp_path)
        generated = module('nl_wireguard', {'name': 'wg0', 'generate_private_key': True, 'listen_port': port},
                           ns, tmp_path)
        assert generated['changed'] and generated['public_key'], generated.describe()
        assert ns.run(['wg', 'show', 'wg0', 'public-key']).stdout.strip() == generated['public_key']
        keys[ns.name] = generated['public_key']

    sides = ((a, keys[b.name], '192.0.2.2:51821', '10.99.0.2/32'), (b, keys[a.name], '[2001:db8::1]:51820', '10.99.0.1/32'))
    for ns, peer, endpoint, allowed in sides:
        args = {'name': 'wg0', 'peers': [{'public_key': peer, 'preshared_key': PSK1, 'endpoint': endpoint,
                                          'allowed_ips': [allowed]}]}
        added = module('nl_wireguard', args, ns, tmp_path)
        assert added['changed'], added.describe()
        assert not harness.find_secrets(added.result, secret_forms(PSK1)) + \
            harness.find_secrets(added.stdout + added.stderr, secret_forms(PSK1))
        assert module('nl_wireguard', args, ns, tmp_path)['changed'] is False

    for _attempt in range(3):  # the first packet waits for the handshake
        ping = a.run(['ping', '-c1', '-W2', '10.99.0.2'], check=False)
        if ping.returncode == 0:
            break
    assert ping.returncode == 0, 'no ping through the tunnel: %s %s' % (ping.stdout, ping.stderr)
    handshakes = a.run(['wg', 'show', 'wg0', 'latest-handshakes']).stdout.split()
    assert handshakes[0] == keys[b.name] and int(handshakes[1]) > 0, handshakes

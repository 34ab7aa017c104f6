# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spec generator (tools/genl_gen.py) and the runtime that reads its output (genl.py).

Specification: a small spec with every construct generates exactly the expected module; every kernel
spec generates, imports and matches the committed files; numbers agree with the kernel's UAPI headers;
requests encode to the bytes sent to a real kernel and its replies decode (and re-encode) exactly
(fixtures/genl/captured.json, tools/capture_genl.py); decoding arbitrary bytes raises only NetlinkError.
"""

import functools
import importlib
import importlib.util
import json
import os
import re
import struct
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import connection as nlconn
from ansible_collections.nlink.netlink.plugins.module_utils.netlink import genl
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import NetlinkError, ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.families import gen

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, 'tests', 'unit', 'fixtures', 'genl')
SPECS = os.environ.get('NLINK_NETLINK_SPECS', os.path.join(os.path.dirname(ROOT), 'shared', 'netlink-specs'))
GEN = os.path.join(ROOT, 'plugins', 'module_utils', 'netlink', 'families', 'gen')
SETTINGS = settings(max_examples=int(os.environ.get('NLINK_HYPOTHESIS_EXAMPLES', '300')), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
needs_specs = pytest.mark.skipif(not os.path.isdir(SPECS), reason='no spec directory at %s' % SPECS)

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import genl_gen  # noqa: E402


def family(name):
    return importlib.import_module('ansible_collections.nlink.netlink.plugins.module_utils.netlink.families.gen.' + name)


@functools.lru_cache()
def every_construct():
    spec = importlib.util.spec_from_file_location('every_construct', os.path.join(FIXTURES, 'every_construct.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the generator -------------------------------------------------------------------------------

def test_a_spec_with_every_construct_generates_the_expected_module(tmp_path):
    spec_dir = tmp_path / 'specs'
    spec_dir.mkdir()
    (spec_dir / 'every_construct.yaml').write_text(open(os.path.join(FIXTURES, 'every_construct.yaml')).read())
    files = genl_gen.generate(str(spec_dir))
    with open(os.path.join(FIXTURES, 'every_construct.py')) as handle:
        assert files['every_construct.py'] == handle.read()
    assert "'every_construct'" in files['__init__.py']


def test_implicit_values_follow_the_ynl_rules():
    m = every_construct()
    assert m.ENUMS['colour'] == {'red': 3, 'green': 4, 'blue': 10, 'cyan': 11}
    assert m.FLAGS['opts'] == {'one': 1, 'two': 2, 'eight': 8}
    assert [a['value'] for a in m.ATTRIBUTE_SETS['main'].values()][-3:] == [22, 30, 31]
    assert m.ATTRIBUTE_SETS['main-subset']['nest']['value'] == 17
    assert [(m.STRUCTS['hdr']['members'][n]['offset'], m.STRUCTS['hdr']['members'][n]['size'])
            for n in ('kind', 'port', 'key', 'in', 'big')] == [(0, 1), (2, 2), (4, 4), (8, 4), (12, 8)]
    ops = m.OPERATIONS
    assert [(o['value'], o['reply-value']) for o in ops.values()] == [(5, 7), (6, None), (None, 8), (None, 9)]
    assert 'doc' not in open(os.path.join(FIXTURES, 'every_construct.py')).read()


def test_a_spec_naming_an_unknown_set_is_refused(tmp_path):
    (tmp_path / 'bad.yaml').write_text(yaml.safe_dump({
        'name': 'bad', 'attribute-sets': [{'name': 's', 'attributes': [
            {'name': 'n', 'type': 'nest', 'nested-attributes': 'nowhere'}]}], 'operations': {'list': []}}))
    with pytest.raises(genl_gen.SpecError, match='nested-attributes nowhere'):
        genl_gen.generate(str(tmp_path))


@pytest.fixture(scope='module')
def generated():
    return genl_gen.generate(SPECS)


@needs_specs
def test_every_kernel_spec_generates_and_the_committed_files_are_current(generated):
    assert len(generated) == len(os.listdir(SPECS)) - 2 + 1  # the specs (not SOURCES.md, schema/) + __init__
    for name, text in generated.items():
        with open(os.path.join(GEN, name)) as handle:
            assert handle.read() == text, '%s is out of date: run python tools/genl_gen.py %s' % (name, SPECS)


@needs_specs
def test_check_mode_names_the_files_that_differ(generated, tmp_path):
    for name, text in generated.items():
        (tmp_path / name).write_text(text)
    (tmp_path / 'team.py').write_text('# edited\n')
    (tmp_path / 'gone.py').write_text('# no spec\n')
    with pytest.raises(SystemExit, match=r'team.py, gone.py \(no spec\)'):
        genl_gen.main(['--check', '--out', str(tmp_path), SPECS])


@pytest.mark.parametrize('name', gen.FAMILIES)
def test_every_generated_family_imports_and_is_consistent(name):
    m = family(name)
    assert m.NAME.replace('-', '_') == name
    assert m.PROTONUM in (nlconn.NETLINK_ROUTE, nlconn.NETLINK_NETFILTER, nlconn.NETLINK_GENERIC)
    for set_name, attrs in m.ATTRIBUTE_SETS.items():
        for attr in attrs.values():
            assert attr.get('nested-attributes', set_name) in m.ATTRIBUTE_SETS
            assert attr.get('struct', 'x') == 'x' or attr['struct'] in m.STRUCTS
    for op in m.OPERATIONS.values():
        genl.message_class(genl.Codec(m), next(k for k, v in m.OPERATIONS.items() if v is op))


# -- the numbers agree with the kernel's UAPI headers --------------------------------------------

def c_enums(header):
    """{NAME: value} of every enum in a C header (entries count up; ``= N`` and ``= OTHER`` restart)."""
    text = re.sub(r'/\*.*?\*/|//[^\n]*', '', open(header).read(), flags=re.S)
    values = {}
    for body in re.findall(r'enum\s*\w*\s*\{(.*?)\}', text, flags=re.S):
        value = -1
        for item in (i.strip() for i in body.split(',')):
            if not item or item.startswith('#'):
                continue
            name, expression = (p.strip() for p in (item.split('=', 1) + [''])[:2])
            if expression:
                try:  # numbers, shifts and earlier names: C and Python read them alike
                    value = eval(expression, {'__builtins__': {}}, dict(values))  # pylint: disable=eval-used
                except Exception:
                    value = None
            elif value is not None:
                value += 1
            if value is not None:
                values[name] = value
    return values


def c_name(*parts):
    return ''.join(parts).upper().replace('-', '_')


HEADERS = [('ethtool', '/usr/include/linux/ethtool_netlink.h', 'ethtool-msg-', 'ethtool-a-'),
           ('mptcp_pm', '/usr/include/linux/mptcp.h', 'mptcp-pm-cmd-', None),
           ('nlctrl', '/usr/include/linux/genetlink.h', 'ctrl-cmd-', None)]


@needs_specs
@pytest.mark.parametrize('name,header,op_prefix,set_prefix', HEADERS)
def test_generated_numbers_agree_with_the_uapi_header(name, header, op_prefix, set_prefix):
    """Names the 6.1 header knows must have the same numbers (the specs are newer: more names)."""
    if not os.path.exists(header):
        pytest.skip('%s is not installed' % header)
    uapi = c_enums(header)
    spec = yaml.safe_load(open(os.path.join(SPECS, name + '.yaml')))
    m = family(name)
    checked, wrong = 0, []
    for op_name, op in m.OPERATIONS.items():
        for value, suffix in ((op['value'], ''), (op['reply-value'], '-reply')):
            cname = c_name(spec['operations'].get('name-prefix', op_prefix), op_name, suffix if op['value'] else '')
            if value is not None and cname in uapi:
                checked += 1
                if uapi[cname] != value:
                    wrong.append((cname, uapi[cname], value))
    for attr_set in spec['attribute-sets']:
        prefix = attr_set.get('name-prefix', (set_prefix or '') + attr_set['name'] + '-')
        for attr in m.ATTRIBUTE_SETS[attr_set['name']].values():
            cname = c_name(prefix, attr['name'])
            if cname in uapi and 'subset-of' not in attr_set:
                checked += 1
                if uapi[cname] != attr['value']:
                    wrong.append((cname, uapi[cname], attr['value']))
    assert checked > 10 and not wrong


# -- the codec -------------------------------------------------------------------------------------

EVERYTHING = {
    '_header': {'a': 0x1234},
    'u8': 200, 'u16be': 0x0102, 'u32': 'blue', 'u64': 2 ** 40, 's8': -1, 's16': -300, 's32': -70000, 's64': -2 ** 40,
    'uint': 2 ** 33, 'sint': -5, 'str': 'hello', 'bin': b'\x01\x02\x03', 'bin-array': [1, 2, 3],
    'bin-struct': {'kind': 'red', 'port': 443, 'key': b'abcd', 'in': {'a': 7}, 'big': -2},
    'flag': True, 'bits': {'value': ['one'], 'selector': ['one', 'eight']},
    'nest': {'id': 1, 'name': 'n'}, 'multi': [1, 2, 3], 'array': [{'id': 5}, {'name': 'x'}],
    'table': {3: {4: {'id': 9}}}, 'kind': 'a', 'data': {'x': 77}, 'after-pad': ['two', 'eight'],
}


def codec_message(module, op, values=None, data=None):
    cls = genl.message_class(genl.Codec(module), op)
    return cls(values=values) if data is None else cls(data=data)


def test_every_construct_round_trips():
    msg = codec_message(every_construct(), 'get', EVERYTHING)
    msg['header'].update(type=0x20, flags=1, sequence_number=9, pid=0)
    msg.encode()
    back = codec_message(every_construct(), 'get', data=msg.data)
    back.decode()
    assert back.values == EVERYTHING


def test_scalars_are_encoded_with_the_spec_byte_order_and_width():
    codec = genl.Codec(every_construct())
    assert codec.encode_attrs('main', {'u16be': 0x0102}) == struct.pack('=HH', 6, 2) + b'\x01\x02\0\0'
    assert codec.encode_attrs('main', {'uint': 1}) == struct.pack('=HHI', 8, 9, 1)
    assert codec.encode_attrs('main', {'uint': 2 ** 32}) == struct.pack('=HHQ', 12, 9, 2 ** 32)
    assert codec.encode_attrs('main', {'nest': {'id': 1}}) == struct.pack('=HHHHI', 12, 17 | 0x8000, 8, 1, 1)
    assert codec.encode_attrs('main', {'flag': False}) == b''


def test_a_sub_message_takes_the_format_its_selector_names():
    codec = genl.Codec(every_construct())
    header_only = codec.encode_attrs('main', {'kind': 'b', 'data': {'_header': {'a': 3}}})
    assert codec.decode_attrs('main', header_only) == {'kind': 'b', 'data': {'_header': {'a': 3}}}
    assert codec.decode_attrs('main', codec.encode_attrs('main', {'kind': 'c', 'data': {}})) == {'kind': 'c', 'data': {}}
    unknown = genl.tlv(22, b'\1\2\3\4') + genl.tlv(21, b'zz\0')
    assert codec.decode_attrs('main', unknown) == {'kind': 'zz', 'data': b'\1\2\3\4'}


@pytest.mark.parametrize('values,message', [
    ({'nope': 1}, 'no attribute nope'),
    ({'u8': 256}, r'main.u8: 256 does not fit'),
    ({'u32': 'mauve'}, r"'mauve' is not one of blue, cyan, green, red"),
    ({'str': 5}, 'expected a string'),
    ({'multi': 5}, 'expected a list'),
    ({'kind': 'zz', 'data': {}}, "kind 'zz' has no format"),
    ({'data': {}}, 'needs kind to say its format'),
])
def test_values_the_codec_cannot_encode_are_named(values, message):
    with pytest.raises(ValidationError, match=message):
        genl.Codec(every_construct()).encode_attrs('main', values)


# -- against the kernel's own bytes ----------------------------------------------------------------

CAPTURED = json.load(open(os.path.join(FIXTURES, 'captured.json')))['captures']
FAMILY_MODULES = {'nlctrl': 'nlctrl', 'ethtool': 'ethtool', 'mptcp_pm': 'mptcp_pm'}


def python_values(values):
    return dict((k, python_values(v) if isinstance(v, dict) else bytes.fromhex(v) if k == 'addr6' else v)
                for k, v in values.items())


@pytest.mark.parametrize('capture', CAPTURED, ids=[c['name'] for c in CAPTURED])
def test_requests_encode_to_the_bytes_the_kernel_accepted(capture):
    sent = bytes.fromhex(capture['request_hex'])
    _len, msg_type, flags, seq, pid = nlconn.NLMSGHDR.unpack_from(sent)
    msg = codec_message(family(FAMILY_MODULES[capture['family']]), capture['op'], python_values(capture['values']))
    msg['header'].update(type=msg_type, flags=flags, sequence_number=seq, pid=pid)
    msg.encode()
    assert msg.data == sent
    assert all(nlconn.NLMSGHDR.unpack_from(bytes.fromhex(r))[1] != nlconn.NLMSG_ERROR
               or nlconn.parse_error(bytes.fromhex(r), 0)[0] == 0 for r in capture['replies_hex'])


def replies(capture):
    """The capture's data replies, decoded, each with its payload's attribute bytes."""
    module = family(FAMILY_MODULES[capture['family']])
    out = []
    for text in capture['replies_hex']:
        data = bytes.fromhex(text)
        if nlconn.NLMSGHDR.unpack_from(data)[1] >= nlconn.NLMSG_MIN_TYPE:
            msg = codec_message(module, capture['op'], data=data)
            msg.decode()
            out.append((msg.values, data[nlconn.NLMSGHDR.size + genl.Codec(module).header_size(capture['op']):]))
    return out


@pytest.mark.parametrize('capture', [c for c in CAPTURED if len(c['replies_hex']) > 1],
                         ids=[c['name'] for c in CAPTURED if len(c['replies_hex']) > 1])
def test_kernel_replies_decode_and_re_encode_to_the_same_bytes(capture):
    module = family(FAMILY_MODULES[capture['family']])
    codec = genl.Codec(module)
    decoded = replies(capture)
    assert decoded
    set_name = module.OPERATIONS[capture['op']]['attribute-set']
    for values, attrs in decoded:
        ours = codec.encode_attrs(set_name, values)
        assert without_nested_flag(codec, set_name, ours) == without_nested_flag(codec, set_name, attrs)


def without_nested_flag(codec, set_name, data):
    """The attributes with NLA_F_NESTED cleared at every level (nlctrl's kernel side never sets it)."""
    out = b''
    for kind, payload in genl.attributes(data):
        attr = codec.by_value(set_name).get(kind, {})
        if attr.get('type') == 'nest':
            payload = without_nested_flag(codec, attr['nested-attributes'], payload)
        elif attr.get('type') == 'indexed-array' and attr.get('sub-type') == 'nest':
            payload = b''.join(genl.tlv(i, without_nested_flag(codec, attr['nested-attributes'], p))
                               for i, p in genl.attributes(payload))
        out += genl.tlv(kind, payload)
    return out


def test_what_the_kernel_said_decodes_to_what_we_expect():
    by_name = dict((c['name'], c) for c in CAPTURED)
    ethtool = replies(by_name['nlctrl_getfamily_ethtool'])[0][0]
    assert ethtool['family-name'] == 'ethtool' and ethtool['family-id'] == by_name['ethtool_channels_get']['family_id']
    assert {'name': 'monitor', 'id': ethtool['mcast-groups'][0]['id']} in ethtool['mcast-groups']
    assert genl.family_info(ethtool)['ops'][:3] == [1, 2, 3]
    assert replies(by_name['ethtool_channels_get'])[0][0]['header']['dev-name'] == 'v0'
    assert replies(by_name['mptcp_get_limits'])[0][0] == {'rcv-add-addrs': 4, 'subflows': 3}
    endpoints = sorted((r[0]['addr']['id'], r[0]['addr']) for r in replies(by_name['mptcp_get_addr_dump']))
    assert [e[1].get('addr4', e[1].get('addr6')) for e in endpoints] == [
        0xC0000201, bytes.fromhex('20010db8000000000000000000000001'), 0xC6336401]
    assert [(e[1]['flags'], e[1].get('port', 0), e[1].get('if-idx', 0)) for e in endpoints] == [
        (3, 0, 0), (1, 8080, 0), (14, 0, 2)]


def test_the_getfamily_request_is_the_one_pyroute2_encodes():
    from pyroute2.netlink import ctrlmsg
    from pyroute2.netlink.generic import CTRL_CMD_GETFAMILY
    theirs = ctrlmsg()
    theirs['cmd'] = CTRL_CMD_GETFAMILY
    theirs['version'] = 1
    theirs['attrs'] = [('CTRL_ATTR_FAMILY_NAME', 'mptcp_pm')]
    theirs['header'].update(type=0x10, flags=5, sequence_number=3, pid=0)
    theirs.encode()
    ours = codec_message(family('nlctrl'), 'getfamily', {'family-name': 'mptcp_pm'})
    ours['header'].update(type=0x10, flags=5, sequence_number=3, pid=0)
    ours.encode()
    assert ours.data == bytes(theirs.data)


def test_a_refusal_names_the_attribute_by_its_spec_name():
    msg = codec_message(family('ethtool'), 'channels-get', {'header': {'dev-name': 'nope', 'dev-index': 3}})
    msg['header'].update(type=21, flags=5, sequence_number=1, pid=0)
    msg.encode()
    offset = msg.data.index(b'nope') - 4
    assert nlconn.attribute_path(msg.data, offset, type(msg)) == 'header/dev-name'


# -- decoding is total -----------------------------------------------------------------------------

DECODERS = [('nlctrl', 'getfamily'), ('nlctrl', 'getpolicy'), ('ethtool', 'features-get'), ('ethtool', 'stats-get'),
            ('mptcp_pm', 'get-addr'), ('devlink', 'reload'), ('rt_link', 'getlink'), ('tc', 'getqdisc'),
            ('nl80211', 'get-wiphy'), ('ovs_flow', 'get')]


@st.composite
def tlvs(draw, depth=0):
    """Attributes with plausible types (small numbers, nest flag) and noise or more attributes inside."""
    out = b''
    for _round in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 40)) | draw(st.sampled_from([0, 0, 0x8000, 0x4000]))
        inner = draw(tlvs(depth + 1)) if depth < 4 and draw(st.booleans()) else draw(st.binary(max_size=20))
        length = 4 + len(inner) if draw(st.integers(0, 9)) else draw(st.integers(0, 0xFFFF))
        out += struct.pack('=HH', length & 0xFFFF, kind) + inner + b'\0' * (-len(inner) % 4)
    return out


@SETTINGS
@given(st.sampled_from(DECODERS), st.binary(max_size=64), tlvs(), st.booleans())
def test_decoding_arbitrary_bytes_raises_only_netlink_error(decoder, header, attributes, framed):
    module, op = decoder
    codec = genl.Codec(family(module))
    payload = (header[:codec.header_size(op)].ljust(codec.header_size(op), b'\0') + attributes) if framed else header
    data = nlconn.NLMSGHDR.pack(nlconn.NLMSGHDR.size + len(payload), 0x20, 0, 1, 0) + payload
    msg = codec_message(family(module), op, data=data)
    try:
        msg.decode()
    except NetlinkError:
        return
    assert isinstance(msg.values, dict)


@SETTINGS
@given(tlvs(), st.sampled_from(['main', 'inner-attrs', 'main-subset']))
def test_every_construct_decodes_arbitrary_attributes_totally(attributes, set_name):
    try:
        genl.Codec(every_construct()).decode_attrs(set_name, attributes)
    except NetlinkError:
        pass

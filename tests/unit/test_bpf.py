# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The eBPF loader without a kernel: reading objects (and refusing what it cannot load), the kernel's
program tag, nl_tc_filter's bpf kind for objects, and filters of shared blocks as messages and commands."""

import hashlib
import os
import re
import struct
import sys

import pytest

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import bpf, tc
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources import tc_filter_kinds as kinds
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.tc_filter import (
    TCM_IFINDEX_MAGIC_BLOCK, Context, TcFilter)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'conformance'))
import bpf_objects as objects  # noqa: E402  pylint: disable=wrong-import-position

CTX = Context({'lo': 1, 'v0': 2})
DROP = objects.returns(2)


def written(tmp_path, programs, name='prog.o', **options):
    path = tmp_path / name
    path.write_bytes(objects.elf_object(programs, **options))
    return str(path)


def test_reads_the_section_license_and_symbol(tmp_path):
    path = written(tmp_path, [('classifier', 'drop', DROP), ('tc/second', 'other', objects.returns(0))],
                   license='Dual BSD/GPL')
    program = bpf.read_object(path, 'tc/second', 'bpf')
    assert (program.insns, program.license, program.symbol) == (objects.returns(0), 'Dual BSD/GPL', 'other')
    assert program.name == 'prog.o:[tc/second]'
    assert bpf.read_object(path, 'classifier', 'bpf').insns == DROP


def test_tag_is_the_kernels():
    # what Linux 6.18 (SHA-256) reported for `r0 = 2; exit` loaded by tc; SHA-1 before 6.18
    assert bpf.tag(DROP, hashlib.sha256) == '614b434cd8324ecc'
    assert bpf.tag(DROP, hashlib.sha1) == hashlib.sha1(DROP).hexdigest()[:16]


def test_tag_zeroes_map_fds_in_both_halves():
    with_fd = objects.insn(0x18, dst=1, src=bpf.BPF_PSEUDO_MAP_FD, imm=5) + objects.insn(0, imm=7) + DROP
    zeroed = objects.insn(0x18, dst=1, src=bpf.BPF_PSEUDO_MAP_FD) + objects.insn(0) + DROP
    assert bpf.tag(with_fd, hashlib.sha1) == hashlib.sha1(zeroed).hexdigest()[:16]
    plain = objects.insn(0x18, dst=1, imm=5) + objects.insn(0, imm=7) + DROP  # a constant: kept
    assert bpf.tag(plain, hashlib.sha1) == hashlib.sha1(plain).hexdigest()[:16]


def test_kernel_hash_follows_the_release_when_the_kernel_cannot_be_asked(monkeypatch):
    monkeypatch.setattr(bpf, '_probed_hash', lambda: None)
    monkeypatch.setattr(bpf.platform, 'release', lambda: '6.1.0-18-amd64')
    monkeypatch.setattr(bpf, '_KERNEL_HASH', [])
    assert bpf.kernel_hash() is hashlib.sha1
    monkeypatch.setattr(bpf.platform, 'release', lambda: '6.18.44-fc')
    monkeypatch.setattr(bpf, '_KERNEL_HASH', [])
    assert bpf.kernel_hash() is hashlib.sha256


def test_kernel_hash_is_asked_of_the_kernel(monkeypatch):
    # a kernel that answers with the SHA-1 tag of the probe, whatever its release says
    monkeypatch.setattr(bpf, 'load', lambda program, prog_type: os.open('/dev/null', os.O_RDONLY))
    monkeypatch.setattr(bpf, '_program_info', lambda fd: (1, hashlib.sha1(bpf.PROBE_INSNS).hexdigest()[:16]))
    monkeypatch.setattr(bpf.platform, 'release', lambda: '6.18.44-fc')
    monkeypatch.setattr(bpf, '_KERNEL_HASH', [])
    assert bpf.kernel_hash() is hashlib.sha1


@pytest.mark.parametrize('programs, options, section, message', [
    ([('classifier', 'p', objects.map_load(0))], {'map_relocation': ('classifier', 0)}, 'classifier',
     "section classifier needs 1 relocation(s) (.relclassifier: the instruction at byte 0 refers to 'my_map'"),
    ([('classifier', 'p', DROP)], {}, 'ingress', "has no section 'ingress'; its program sections: classifier"),
    ([('classifier', 'p', DROP)], {}, 'license', 'section license holds no BPF instructions'),
])
def test_refuses_what_it_cannot_load(tmp_path, programs, options, section, message):
    with pytest.raises(ValidationError) as info:
        bpf.read_object(written(tmp_path, programs, **options), section, 'bpf')
    assert message in str(info.value)


def test_refuses_two_programs_in_one_section(tmp_path):
    path = written(tmp_path, [('classifier', ('one', 'two'), DROP + DROP)])
    with pytest.raises(ValidationError, match=r'section classifier holds 2 programs \(one, two\); give a section with one'):
        bpf.read_object(path, 'classifier', 'bpf')


def test_refuses_co_re_relocations(tmp_path):
    path = written(tmp_path, [('classifier', 'p', DROP), ('.BTF.ext', 'x', bytes(0))])
    data = open(path, 'rb').read()
    assert bpf.read_object(path, 'classifier', 'bpf')  # an empty .BTF.ext is not CO-RE
    header = bpf.BTF_EXT[1].pack(0xeB9F, 1, 0, 32, 0, 0, 0, 0, 0, 16)
    core = written(tmp_path, [('classifier', 'p', DROP), ('.BTF.ext', 'x', header)], 'core.o')
    with pytest.raises(ValidationError, match='CO-RE'):
        bpf.read_object(core, 'classifier', 'bpf')
    assert data


@pytest.mark.parametrize('data, message', [
    (b'', 'is not an ELF object'),
    (b'\x7fELF' + bytes([1, 1, 1]) + bytes(80), 'is not a 64-bit ELF object'),
    (objects.EHDR.pack(b'\x7fELF' + bytes([2, 1, 1]) + bytes(9), 1, 62, 1, 0, 0, 0, 0, 64, 0, 0, 64, 0, 0),
     'is not a BPF relocatable object'),
])
def test_refuses_what_is_no_bpf_object(tmp_path, data, message):
    path = tmp_path / 'bad.o'
    path.write_bytes(data)
    with pytest.raises(ValidationError, match=message):
        bpf.read_object(str(path), 'classifier', 'bpf')


def test_unreadable_object_names_the_option():
    with pytest.raises(ValidationError, match=r'bpf\.object: cannot read /nonexistent/x\.o'):
        bpf.read_object('/nonexistent/x.o', 'classifier', 'bpf')


# -- the bpf kind ----------------------------------------------------------------------------------------

def test_object_normalizes_to_what_the_kernel_reports(tmp_path):
    path = written(tmp_path, [('classifier', 'drop', DROP)], 'drop.o')
    want = kinds.KINDS['bpf'].normalize({'object': path, 'direct_action': True}, {}, 'bpf')
    assert want == {'bytecode': None, 'name': 'drop.o:[classifier]', 'tag': bpf.tag(DROP), 'direct_action': True,
                    'classid': None, 'skip_hw': False, 'skip_sw': False}
    assert kinds.KINDS['bpf'].words(want) == ['obj', path, 'sec', 'classifier', 'da']
    # a dump of the filter tc attaches: name, tag (and id, not kept)
    attrs = {kinds.TCA_BPF_NAME: b'drop.o:[classifier]\0', kinds.TCA_BPF_TAG: bytes.fromhex(bpf.tag(DROP)),
             11: struct.pack('=I', 42), kinds.TCA_BPF_FLAGS: struct.pack('=I', 1)}
    have, actions = kinds.KINDS['bpf'].decode(attrs, {}, CTX)
    assert have == want and actions is None


@pytest.mark.parametrize('options, message', [
    ({}, 'give one of bytecode'),
    ({'bytecode': '1,6 0 0 0', 'pinned': '/sys/fs/bpf/x'}, 'not bytecode and pinned'),
    ({'bytecode': '1,6 0 0 0', 'section': 'tc'}, 'bpf.section goes with object'),
])
def test_bpf_sources_are_exclusive(options, message):
    with pytest.raises(ValidationError, match=message):
        kinds.KINDS['bpf'].normalize(options, {}, 'bpf')


def test_encode_loads_and_sends_fd_and_name(tmp_path, monkeypatch):
    path = written(tmp_path, [('classifier', 'drop', DROP)], 'drop.o')
    want = kinds.KINDS['bpf'].normalize({'object': path}, {}, 'bpf')
    loaded = []
    monkeypatch.setattr(bpf, 'load', lambda program, prog_type: loaded.append(program) or 77)
    monkeypatch.setattr(bpf.os, 'close', lambda fd: loaded.append(('closed', fd)))
    attrs = tc.parse_nla(b''.join(kinds.KINDS['bpf'].encode(want, {}, b'', CTX)))
    assert tc.u32(attrs[kinds.TCA_BPF_FD]) == 77 and tc.string(attrs[kinds.TCA_BPF_NAME]) == 'drop.o:[classifier]'
    assert loaded[0].insns == DROP
    bpf.SOURCES.close()
    assert loaded[-1] == ('closed', 77) and not bpf.SOURCES.fds


# -- shared blocks ---------------------------------------------------------------------------------------

class Resource(TcFilter):
    def __init__(self, scope=None):
        TcFilter.__init__(self, None, scope or {}, 'ns1')
        self._indexes = {'v0': 2}
        self._qdiscs = {}


def block_item(**options):
    item = dict((name, None) for name in Resource.options)
    item.update({'block': 7, 'priority': 1, 'kind': 'bpf', 'bpf': {'bytecode': '1,6 0 0 0'}}, **options)
    return item


def test_block_filter_message_and_command():
    res = Resource()
    want = res.normalize(block_item())
    assert (want['dev'], want['block'], want['parent']) == (None, 7, None)
    msg = res.add_message(dict(want, handle=None))
    assert (msg['index'], msg['parent']) == (TCM_IFINDEX_MAGIC_BLOCK, 7)
    assert res.where(want) == ['block', 7]


@pytest.mark.parametrize('options, message', [
    ({'dev': 'v0', 'parent': 'ingress'}, 'give dev (with parent) or block'),
    ({'parent': 'ingress'}, 'a filter of block 7 has no parent'),
    ({'block': None, 'dev': 'v0'}, 'parent is required with dev'),
    ({'block': 0}, 'block'),
])
def test_block_or_dev(options, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        Resource().normalize(block_item(**options))


def test_block_scope():
    res = Resource({'block': 7})
    assert res.in_scope({'dev': None, 'block': 7, 'parent': None})
    assert not res.in_scope({'dev': 'v0', 'block': None, 'parent': 'ingress'})
    with pytest.raises(ValidationError, match='set dev or block'):
        Resource().check_request('overridden', [])

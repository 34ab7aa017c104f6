# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""eBPF programs for tc: read one program from an ELF object, compute its tag offline, load it, and
open pinned programs - bpf(2) through ctypes, no libbpf.

Only self-contained programs load: an object whose program section has relocations (maps, calls into
other sections, globals) or CO-RE (BTF) relocations is refused, naming the section and the relocation.

The kernel tags a program with a hash of its instructions (map fds zeroed), truncated to 8 bytes:
SHA-1 up to Linux 6.17, SHA-256 from 6.18 (kernel/bpf/core.c, bpf_prog_calc_tag). A dumped filter
reports that tag, so comparing it with the tag of the object's instructions tells whether the attached
program is the declared one without loading anything (check mode, re-runs).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ctypes
import errno
import hashlib
import os
import platform
import struct

from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import ValidationError

# linux/bpf.h: enum bpf_cmd, enum bpf_prog_type, pseudo sources of ld_imm64
BPF_PROG_LOAD, BPF_OBJ_GET, BPF_OBJ_GET_INFO_BY_FD = 5, 7, 15
BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_SCHED_ACT = 1, 3, 4
PROG_TYPE_NAMES = {BPF_PROG_TYPE_SCHED_CLS: 'sched_cls', BPF_PROG_TYPE_SCHED_ACT: 'sched_act'}
BPF_LD_IMM64, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE = 0x18, 1, 2
BPF_OBJ_NAME_LEN = 16
# __NR_bpf per architecture (asm/unistd*.h); asm-generic architectures share 280
SYS_BPF = {'x86_64': 321, 'i386': 357, 'i686': 357, 'aarch64': 280, 'riscv64': 280, 'loongarch64': 280,
           'armv7l': 386, 'ppc64le': 361, 'ppc64': 361, 's390x': 351}

ELF_IDENT = struct.Struct('4sBBB9x')
EHDR = {1: struct.Struct('<16xHHIQQQIHHHHHH'), 2: struct.Struct('>16xHHIQQQIHHHHHH')}
SHDR = {1: struct.Struct('<IIQQQQIIQQ'), 2: struct.Struct('>IIQQQQIIQQ')}
SYM = {1: struct.Struct('<IBBHQQ'), 2: struct.Struct('>IBBHQQ')}
BTF_EXT = {1: struct.Struct('<HBBIIIIIII'), 2: struct.Struct('>HBBIIIIIII')}
ET_REL, EM_BPF, SHT_SYMTAB, SHT_RELA, SHT_REL, SHF_EXECINSTR = 1, 247, 2, 4, 9, 4
STT_FUNC, STB_LOCAL = 2, 0
INSN_SIZE = 8
LITTLE_ENDIAN = struct.pack('=H', 1)[0] == 1
# the attribute prefixes the commands use (union bpf_attr); the kernel zero-fills the rest
PROG_LOAD_ATTR = struct.Struct('=IIQQIIQII16s')
OBJ_GET_ATTR = struct.Struct('=QII')
INFO_ATTR = struct.Struct('=IIQ')
PROG_INFO = struct.Struct('=II8s')  # type, id, tag: the head of struct bpf_prog_info
PROG_INFO_SIZE = 256
LOG_SIZE = 1 << 16


class Program:
    """A program read from an object: what to load and how tc names it (``prog.o:[section]``)."""

    def __init__(self, path, section, insns, license_, symbol):
        self.path = path
        self.section = section
        self.insns = insns
        self.license = license_
        self.symbol = symbol
        self.name = '%s:[%s]' % (os.path.basename(path), section)

    @property
    def tag(self):
        return tag(self.insns)


_KERNEL_HASH = []
# r0 = 0; exit: the program whose tag tells which hash the kernel uses
PROBE_INSNS = bytes.fromhex('b700000000000000') + bytes.fromhex('9500000000000000')


def kernel_hash():
    """The hash bpf_prog_calc_tag uses on the running kernel: SHA-1, SHA-256 since 6.18. Asked of the kernel
    (the tag of a two-instruction program) because distributions backport; the release only if that fails."""
    if not _KERNEL_HASH:
        _KERNEL_HASH.append(_probed_hash() or _release_hash())
    return _KERNEL_HASH[0]


def _probed_hash():
    try:
        fd = load(Program('probe', 'probe', PROBE_INSNS, 'GPL', 'nlink_probe'), BPF_PROG_TYPE_SOCKET_FILTER)
    except ValidationError:
        return None
    try:
        _type, kernel_tag = _program_info(fd)
    finally:
        os.close(fd)
    for hash_ in (hashlib.sha1, hashlib.sha256):
        if kernel_tag == hash_(PROBE_INSNS).hexdigest()[:16]:
            return hash_
    return None


def _release_hash():
    try:
        release = tuple(int(part) for part in platform.release().split('-')[0].split('.')[:2])
    except ValueError:
        release = (0, 0)
    return hashlib.sha256 if release >= (6, 18) else hashlib.sha1


def tag(insns, hash_=None):
    """The kernel's tag of these instructions as hex: map references (ld_imm64 from a map fd or map value)
    have both halves' immediates zeroed first, as bpf_prog_calc_tag does."""
    data = bytearray(insns)
    was_ld_map = False
    for offset in range(0, len(data) - len(data) % INSN_SIZE, INSN_SIZE):
        code, regs, off = data[offset], data[offset + 1], data[offset + 2:offset + 4]
        src = regs >> 4 if LITTLE_ENDIAN else regs & 0xF  # bitfields: src_reg is the high nibble on LE
        if not was_ld_map and code == BPF_LD_IMM64 and src in (BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE):
            was_ld_map = True
            data[offset + 4:offset + 8] = bytes(4)
        elif was_ld_map and code == 0 and regs == 0 and off == b'\0\0':
            was_ld_map = False
            data[offset + 4:offset + 8] = bytes(4)
        else:
            was_ld_map = False
    return (hash_ or kernel_hash())(bytes(data)).hexdigest()[:16]


# -- reading an object ---------------------------------------------------------------------------------

def read_object(path, section, where):
    """The program in ``section`` of the ELF object at ``path`` (a ValidationError says why not)."""
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except (IOError, OSError) as exc:
        raise ValidationError('%s.object: cannot read %s: %s' % (where, path, exc.strerror or exc))
    what = '%s.object: %s' % (where, path)
    if len(data) < 64:
        raise ValidationError('%s is not an ELF object' % what)
    magic, elf_class, order, _version = ELF_IDENT.unpack_from(data)
    if magic != b'\x7fELF' or elf_class != 2 or order not in (1, 2):
        raise ValidationError('%s is not a 64-bit ELF object' % what)
    if (order == 1) != LITTLE_ENDIAN:
        raise ValidationError('%s is for the other byte order than this machine' % what)
    e_type, machine, _v, _entry, _phoff, shoff, _flags, _ehsize, _phes, _phnum, shentsize, shnum, shstrndx = \
        EHDR[order].unpack_from(data)
    if e_type != ET_REL or machine != EM_BPF:
        raise ValidationError('%s is not a BPF relocatable object (clang -target bpf -c)' % what)
    try:
        headers = [SHDR[order].unpack_from(data, shoff + i * shentsize) for i in range(shnum)]
        names = headers[shstrndx]

        def name_of(offset, table):
            start = table[4] + offset
            return data[start:data.index(b'\0', start)].decode('utf-8', 'replace')
        sections = [dict(zip(('name', 'type', 'flags', 'addr', 'offset', 'size', 'link', 'info'), h),
                         title=name_of(h[0], names)) for h in headers]
    except (struct.error, IndexError, ValueError):
        raise ValidationError('%s: its section headers are damaged' % what)
    found = [i for i, s in enumerate(sections) if s['title'] == section]
    if not found:
        programs = [s['title'] for s in sections if s['flags'] & SHF_EXECINSTR and s['size']]
        raise ValidationError('%s has no section %r; its program sections: %s'
                              % (what, section, ', '.join(programs) or 'none'))
    index = found[0]
    program = sections[index]
    if not program['flags'] & SHF_EXECINSTR or not program['size'] or program['size'] % INSN_SIZE:
        raise ValidationError('%s: section %s holds no BPF instructions' % (what, section))
    symbols = _symbols(data, sections, order)
    for rel in sections:
        if rel['type'] in (SHT_REL, SHT_RELA) and rel['info'] == index and rel['size']:
            entry = 16 if rel['type'] == SHT_REL else 24
            offset, info = struct.unpack_from('<QQ' if order == 1 else '>QQ', data, rel['offset'])
            symbol = symbols[info >> 32]['title'] if (info >> 32) < len(symbols) else '?'
            raise ValidationError(
                '%s: section %s needs %d relocation(s) (%s: the instruction at byte %d refers to %r, a map or '
                'another section); only self-contained programs load - maps and relocations are not supported'
                % (what, section, rel['size'] // entry, rel['title'], offset, symbol))
    _refuse_core(data, sections, order, what)
    functions = [s for s in symbols if s['shndx'] == index and s['info'] & 0xF == STT_FUNC and s['info'] >> 4 != STB_LOCAL]
    if len(functions) > 1:
        raise ValidationError('%s: section %s holds %d programs (%s); give a section with one'
                              % (what, section, len(functions), ', '.join(f['title'] for f in functions)))
    insns = data[program['offset']:program['offset'] + program['size']]
    licenses = [s for s in sections if s['title'] == 'license']
    license_ = data[licenses[0]['offset']:licenses[0]['offset'] + licenses[0]['size']].split(b'\0')[0] \
        if licenses else b''
    return Program(path, section, insns, license_.decode('ascii', 'replace'),
                   functions[0]['title'] if functions else '')


def _symbols(data, sections, order):
    tables = [s for s in sections if s['type'] == SHT_SYMTAB]
    if not tables:
        return []
    table, strings = tables[0], sections[tables[0]['link']]
    out = []
    for offset in range(table['offset'], table['offset'] + table['size'], SYM[order].size):
        name, info, _other, shndx, _value, _size = SYM[order].unpack_from(data, offset)
        start = strings['offset'] + name
        out.append({'title': data[start:data.index(b'\0', start)].decode('utf-8', 'replace'), 'info': info,
                    'shndx': shndx})
    return out


def _refuse_core(data, sections, order, what):
    """CO-RE relocations (.BTF.ext core_relo) need the kernel's BTF matched against the object's: refused."""
    for ext in sections:
        if ext['title'] == '.BTF.ext' and ext['size'] >= BTF_EXT[order].size:
            _magic, _v, _f, hdr_len, _fo, _fl, _lo, _ll, _co, core_len = BTF_EXT[order].unpack_from(data, ext['offset'])
            if hdr_len >= BTF_EXT[order].size and core_len:
                raise ValidationError('%s: .BTF.ext holds CO-RE (BTF) relocations; they are not supported' % what)


# -- bpf(2) --------------------------------------------------------------------------------------------

def _syscall(cmd, attr):
    number = SYS_BPF.get(platform.machine())
    if number is None:
        raise ValidationError('bpf: no bpf(2) system call number known for %s' % platform.machine())
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    buf = ctypes.create_string_buffer(bytes(attr), len(attr))
    result = libc.syscall(ctypes.c_long(number), ctypes.c_int(cmd), buf, ctypes.c_uint(len(attr)))
    if result < 0:
        return -ctypes.get_errno(), buf
    return result, buf


def load(program, prog_type=BPF_PROG_TYPE_SCHED_CLS):
    """Load ``program``; returns the fd (the caller closes it once the kernel holds the program)."""
    insns = ctypes.create_string_buffer(bytes(program.insns), len(program.insns))
    license_ = ctypes.create_string_buffer(program.license.encode('ascii', 'replace') + b'\0')
    name = program.symbol.encode('ascii', 'replace')[:BPF_OBJ_NAME_LEN - 1]
    log = ctypes.create_string_buffer(LOG_SIZE)
    for level in (0, 1):  # the verifier's log only when the first try fails
        attr = PROG_LOAD_ATTR.pack(prog_type, len(program.insns) // INSN_SIZE, ctypes.addressof(insns),
                                   ctypes.addressof(license_), level, LOG_SIZE if level else 0,
                                   ctypes.addressof(log) if level else 0, 0, 0, name)
        fd, _attr = _syscall(BPF_PROG_LOAD, attr)
        if fd >= 0:
            return fd
        if fd == -errno.EINVAL and name and level == 0:
            name = b''  # kernels before 4.15 know no program names
    verifier = log.value.decode('utf-8', 'replace').strip().splitlines()
    raise ValidationError('bpf: the kernel refused to load section %s of %s: %s%s' % (
        program.section, program.path, os.strerror(-fd), (' - verifier: ' + ' / '.join(verifier[-5:])) if verifier else ''))


def pinned(path, where, prog_type=BPF_PROG_TYPE_SCHED_CLS):
    """(name as tc gives it, tag, fd) of the program of ``prog_type`` pinned at ``path``; the caller closes
    the fd."""
    location = ctypes.create_string_buffer(str(path).encode() + b'\0')
    fd, _attr = _syscall(BPF_OBJ_GET, OBJ_GET_ATTR.pack(ctypes.addressof(location), 0, 0))
    if fd < 0:
        raise ValidationError('%s.pinned: cannot open the pinned program %s: %s' % (where, path, os.strerror(-fd)))
    try:
        kind = os.readlink('/proc/self/fd/%d' % fd)
        if 'bpf-prog' not in kind:
            raise ValidationError('%s.pinned: %s is not a BPF program (%s)' % (where, path, kind))
        type_, tag_ = _program_info(fd, '%s.pinned: cannot read %s' % (where, path))
        if type_ != prog_type:
            raise ValidationError('%s.pinned: %s is a program of type %d, not a tc %s (%s)' % (
                where, path, type_, 'action' if prog_type == BPF_PROG_TYPE_SCHED_ACT else 'classifier',
                PROG_TYPE_NAMES.get(prog_type)))
    except BaseException:
        os.close(fd)
        raise
    # tc's name for a pinned program (bpf_legacy.c): the file's name and the section "*fsobj"
    return '%s:[*fsobj]' % os.path.basename(str(path)), tag_, fd


def _program_info(fd, what='bpf: cannot read a loaded program'):
    """(type, tag as hex) of the program behind ``fd``."""
    info = ctypes.create_string_buffer(PROG_INFO_SIZE)
    result, _attr = _syscall(BPF_OBJ_GET_INFO_BY_FD, INFO_ATTR.pack(fd, PROG_INFO_SIZE, ctypes.addressof(info)))
    if result < 0:
        raise ValidationError('%s: %s' % (what, os.strerror(-result)))
    prog_type, _id, tag_ = PROG_INFO.unpack_from(info.raw)
    return prog_type, tag_.hex()


class Sources:
    """Where the declared programs come from, by (name, tag, program type: classifier or action): the
    normalized filter holds only what the kernel reports back, the load needs the file. fds opened for one
    request are closed by ``close()``."""

    def __init__(self):
        self.known = {}
        self.fds = []

    def add(self, name, tag_, source, prog_type=BPF_PROG_TYPE_SCHED_CLS):
        self.known[(name, tag_, prog_type)] = source

    def source(self, name, tag_, prog_type=BPF_PROG_TYPE_SCHED_CLS):
        return self.known.get((name, tag_, prog_type))

    def open(self, name, tag_, prog_type=BPF_PROG_TYPE_SCHED_CLS):
        source = self.known.get((name, tag_, prog_type))
        if source is None:
            raise ValidationError('bpf: program %s (tag %s) was not declared in this task' % (name, tag_))
        if isinstance(source, Program):
            fd = load(source, prog_type)
        else:
            _name, now, fd = pinned(source, 'bpf', prog_type)
            if now != tag_:
                os.close(fd)
                raise ValidationError('bpf.pinned: the program pinned at %s changed while the task ran' % source)
        self.fds.append(fd)
        return fd

    def close(self):
        while self.fds:
            os.close(self.fds.pop())


SOURCES = Sources()

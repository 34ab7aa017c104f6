# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tiny eBPF objects for the tests: ELF64 relocatable files as `clang -target bpf -c` lays them out (one
section of instructions per program with a global FUNC symbol, a ``license`` section, .symtab, .strtab,
.shstrtab), written here so the tests need no compiler. tc (libbpf) loads them too, which is what proves
them honest: the rendered-commands test replays `tc filter add ... bpf obj FILE sec SEC` on them.
"""

import hashlib
import os
import struct
import tempfile

EHDR = struct.Struct('<16sHHIQQQIHHHHHH')
SHDR = struct.Struct('<IIQQQQIIQQ')
SYM = struct.Struct('<IBBHQQ')
REL = struct.Struct('<QQ')
INSN = struct.Struct('<BBhi')
SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_REL = 1, 2, 3, 9
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4
EM_BPF, R_BPF_64_64 = 247, 1


def insn(code, dst=0, src=0, off=0, imm=0):
    return INSN.pack(code, (src << 4) | dst, off, imm)


def returns(value):
    """r0 = value; exit (BPF_ALU64|BPF_MOV|BPF_K, BPF_JMP|BPF_EXIT)."""
    return insn(0xb7, imm=value) + insn(0x95)


def map_load(value):
    """r1 = a map (ld_imm64 with a relocation, as clang emits for a map reference); r0 = value; exit."""
    return insn(0x18, dst=1) + insn(0) + returns(value)


class Strings:
    def __init__(self):
        self.data = b'\0'

    def add(self, text):
        offset = len(self.data)
        self.data += text.encode() + b'\0'
        return offset


def elf_object(programs, license='GPL', map_relocation=None):
    """The bytes of an object: ``programs`` [(section, symbol, instructions)]; ``map_relocation``
    (section, byte offset) adds a ``maps`` section and a .rel<section> entry pointing at its map there."""
    shstr, strtab = Strings(), Strings()
    sections = [(0, 0, 0, b'', 0, 0, 0, 0)]  # (name, type, flags, data, link, info, align, entsize)
    symbols = [SYM.pack(0, 0, 0, 0, 0, 0)]
    for section, symbol, code in programs:
        sections.append((shstr.add(section), SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, code, 0, 0, 8, 0))
        for name in [symbol] if isinstance(symbol, str) else symbol:  # several: several programs in a section
            symbols.append(SYM.pack(strtab.add(name), 0x12, 0, len(sections) - 1, 0, len(code)))
    if license is not None:
        sections.append((shstr.add('license'), SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, license.encode() + b'\0', 0, 0, 1, 0))
    rel = None
    if map_relocation:
        sections.append((shstr.add('maps'), SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, bytes(20), 0, 0, 4, 0))
        symbols.append(SYM.pack(strtab.add('my_map'), 0x11, 0, len(sections) - 1, 0, 20))
        target = [s for s, _sym, _code in programs].index(map_relocation[0]) + 1
        rel = (shstr.add('.rel' + map_relocation[0]), SHT_REL, 0,
               REL.pack(map_relocation[1], ((len(symbols) - 1) << 32) | R_BPF_64_64), None, target, 8, REL.size)
    symtab_index = len(sections) + (1 if rel else 0)
    if rel:
        sections.append(rel[:4] + (symtab_index,) + rel[5:])
    sections.append((shstr.add('.symtab'), SHT_SYMTAB, 0, b''.join(symbols), symtab_index + 1, 1, 8, SYM.size))
    sections.append((shstr.add('.strtab'), SHT_STRTAB, 0, strtab.data, 0, 0, 1, 0))
    name = shstr.add('.shstrtab')
    sections.append((name, SHT_STRTAB, 0, shstr.data, 0, 0, 1, 0))
    body, headers = b'', []
    for name, type_, flags, data, link, info, align, entsize in sections:
        offset = EHDR.size + len(body) if data else 0
        padding = (-offset) % 8 if data else 0
        body += bytes(padding) + data
        headers.append(SHDR.pack(name, type_, flags, 0, offset + padding if data else 0, len(data), link, info,
                                 align, entsize))
    body += bytes((-len(body)) % 8)
    ident = b'\x7fELF' + bytes([2, 1, 1]) + bytes(9)
    header = EHDR.pack(ident, 1, EM_BPF, 1, 0, 0, EHDR.size + len(body), 0, EHDR.size, 0, 0, SHDR.size,
                       len(sections), len(sections) - 1)
    return header + body + b''.join(headers)


def written(data, name):
    """``data`` as a file named ``name`` in a directory named after its content (written once, kept: the
    cases are defined at import time and the module and tc read the file later)."""
    folder = os.path.join(tempfile.gettempdir(), 'nlink-bpf-%s' % hashlib.sha1(data).hexdigest()[:12])
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        temporary = '%s.%d.tmp' % (path, os.getpid())  # pytest workers may write the same file at once
        with open(temporary, 'wb') as handle:
            handle.write(data)
        os.rename(temporary, path)
    return path


def show(argv):
    """`tc -j ARGS` with what differs between two loads of one program dropped (its id, load time, loader)."""
    import json
    import subprocess
    import sys
    entries = json.loads(subprocess.run(['tc', '-j'] + argv, check=True, capture_output=True, text=True).stdout or '[]')
    for entry in entries:
        for name in ('id', 'load_time', 'created_by_uid'):
            entry.get('options', {}).get('prog', {}).pop(name, None)
    json.dump(entries, sys.stdout)


def readback(*words):
    """A readback command for the conformance cases: this file as a script, run in the case's namespace."""
    import sys
    return ' '.join([sys.executable, os.path.abspath(__file__)] + list(words))


if __name__ == '__main__':
    import sys
    show(sys.argv[1:])

"""Linux builds: a smaller ``libicudata`` (ICU's locale data), 32 MB down to about 3 MB.

The PySide6 wheels for Linux link Qt against their own ICU, whose data library holds every
locale's names, calendars, collation, converters and dictionaries. RegenLog uses ICU through
Qt only where Qt itself calls it (collation and time-zone names, both with a fallback to the
root locale), and its text is English. So the data package is rebuilt with the root and
English and Spanish items of each category plus the locale-independent tables, and linked into a shared
library with the same symbol and soname. Windows and macOS use the system's ICU, so nothing
is done there.

The package format (ICU "common data", ``CmnD``): a header, then a table of contents
``count, (name offset, data offset) * count`` sorted by name (ICU looks items up by binary
search), the names, then each item 16-byte aligned. Offsets count from the start of the table.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

SYMBOL = re.compile(rb"^icudt\d+_dat$")

# Never used through Qt: transliteration rules, dictionaries for Thai/CJK/Khmer/Lao/Burmese
# word breaks, legacy character-set converters and character names.
DROPPED = re.compile(r"^translit/|\.dict$|\.cnv$|^unames\.icu$")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9_]+)?\.res$")  # af.res, zh_Hant_TW.res ...
# English (the app's language) and Spanish (many US patients' system language) keep their
# collation and names; other locales fall back to the root locale, as ICU does for any locale
# it lacks.
KEPT_LOCALES = re.compile(r"^((en|es)(_[A-Za-z0-9_]+)?|res_index)\.res$")


def keep_item(name: str) -> bool:
    """``name`` without the package prefix, e.g. ``coll/de.res`` or ``supplementalData.res``:
    keep everything but the dropped kinds and the locales other than English (root, pool,
    supplementalData, zoneinfo64, ucadata, the break rules ... all stay)."""
    if DROPPED.search(name):
        return False
    file_name = name.rpartition("/")[2]
    return not LOCALE.match(file_name) or bool(KEPT_LOCALES.match(file_name))


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    if blob[8] != 0:  # UDataInfo.isBigEndian
        raise ValueError("big-endian ICU data is not handled")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        name = toc[name_at:toc.index(b"\0", name_at)].decode("ascii")
        items.append((name, toc[data_at:end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """``items`` in the order read: already sorted as ICU's binary search expects."""
    names = b""
    name_offsets = []
    table_size = 4 + 8 * len(items)
    for name, _data in items:
        name_offsets.append(table_size + len(names))
        names += name.encode("ascii") + b"\0"
    body = bytearray(names)
    data_offsets = []
    for _name, data in items:
        body += b"\xaa" * (-(table_size + len(body)) % 16)  # the padding pkgdata writes
        data_offsets.append(table_size + len(body))
        body += data
    table = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
    )
    return header + table + bytes(body)


def find_symbol(elf: bytes) -> tuple[str, int, int]:
    """(name, file offset, size) of the ``icudtNN_dat`` symbol in a 64-bit little-endian ELF."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link]
        for at in range(offset, offset + size, entsize):
            st_name, _st_info, _other, st_shndx, value, st_size = struct.unpack_from(
                "<IBBHQQ", elf, at
            )
            start = strtab[4] + st_name
            symbol = elf[start:elf.index(b"\0", start)]
            if SYMBOL.match(symbol):
                home = sections[st_shndx]
                return symbol.decode(), home[4] + value - home[3], st_size
    raise ValueError("no icudtNN_dat symbol")


def soname(elf_path: Path) -> str:
    out = subprocess.run(["objdump", "-p", str(elf_path)], capture_output=True, text=True,
                         check=True).stdout
    match = re.search(r"SONAME\s+(\S+)", out)
    return match.group(1) if match else elf_path.name


def trimmed_library(source: Path, workdir: Path) -> tuple[Path, int, int] | None:
    """Build the trimmed library in ``workdir``; (path, old size, new size), or None when
    this machine cannot (no C compiler): the build then keeps the full data."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or shutil.which("objdump") is None:
        return None
    elf = source.read_bytes()
    symbol, offset, size = find_symbol(elf)
    header, items = read_package(elf[offset:offset + size])
    prefix = items[0][0].split("/", 1)[0] + "/"
    kept = [(n, d) for n, d in items if keep_item(n.removeprefix(prefix))]
    workdir.mkdir(parents=True, exist_ok=True)
    package = workdir / "icudata.dat"
    package.write_bytes(write_package(header, kept))
    assembly = workdir / "icudata.S"
    assembly.write_text(
        f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n"
        f"\t.balign 16\n{symbol}:\n\t.incbin \"{package}\"\n"
        f"\t.size {symbol}, . - {symbol}\n"
        "\t.section .note.GNU-stack,\"\",@progbits\n"
    )
    target = workdir / source.name
    subprocess.run(
        [compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname(source)}", "-o", str(target),
         str(assembly)],
        check=True,
    )
    return target, len(elf), target.stat().st_size


def trim_in_toc(binaries: list, workdir: Path) -> list:
    """The PyInstaller binaries TOC with ``libicudata`` swapped for the trimmed one."""
    result = []
    for dest, source, kind in binaries:
        if kind == "BINARY" and re.match(r"libicudata\.so\.\d+$", Path(dest).name):
            built = trimmed_library(Path(source), Path(workdir) / "icu")
            if built is None:
                print("icu_trim: no C compiler or objdump; keeping the full ICU data.")
            else:
                source = str(built[0])
                print(f"icu_trim: ICU data {built[1] / 1e6:.1f} MB -> {built[2] / 1e6:.1f} MB")
        result.append((dest, source, kind))
    return result

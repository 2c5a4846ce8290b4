"""The compound-file writer behind vbaProject.bin (regcert_xl/workbook/vba/cfb.py), read back
with olefile (set to raise on any defect) and checked structure by structure: the header, the
FAT and its chains, the directory and its sibling trees, the mini stream for small streams, and
every stream's bytes."""

import io
import struct

import olefile
import pytest

from regcert_xl.workbook.vba.cfb import (
    CUTOFF,
    ENDOFCHAIN,
    FATSECT,
    FREESECT,
    NOSTREAM,
    SECTOR,
    write_cfb,
)

STREAMS = {
    "PROJECT": b"ID=\"{00000000-0000-0000-0000-000000000000}\"\r\nName=\"VBAProject\"\r\n",
    "PROJECTwm": b"",  # empty: no sector at all
    "VBA/dir": bytes(range(256)) * 3,  # small: in the mini stream
    "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x03\x00",
    "VBA/Edge": b"e" * (CUTOFF - 1),  # the largest small stream
    "VBA/RegCert": bytes((i * 7) % 251 for i in range(CUTOFF)),  # the smallest big stream
    "VBA/Big": bytes((i * 13) % 256 for i in range(3 * SECTOR + 17)),  # a partial last sector
    "VBA/Sub/Deep": b"deep",
}


def ole(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


@pytest.fixture(scope="module")
def data():
    return write_cfb(STREAMS)


def test_every_stream_reads_back_byte_for_byte(data):
    f = ole(data)
    assert sorted("/".join(p) for p in f.listdir()) == sorted(STREAMS)
    for path, content in STREAMS.items():
        assert f.openstream(path).read() == content, path
        assert f.get_size(path) == len(content)
    assert f.get_type("VBA") == olefile.STGTY_STORAGE and f.get_type("VBA/Sub") == olefile.STGTY_STORAGE
    assert f.get_type("PROJECT") == olefile.STGTY_STREAM


def test_the_header(data):
    (magic, _clsid, minor, major, order, sector_shift, mini_shift, _res, n_dir_sectors, n_fat, dir_start, _tx,
     cutoff, minifat_start, n_minifat, difat_start, n_difat) = struct.unpack("<8s16sHHHHH6sIIIIIIIII", data[:76])
    assert magic == bytes.fromhex("D0CF11E0A1B11AE1")
    assert (minor, major, order, sector_shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    assert (n_dir_sectors, cutoff, difat_start, n_difat) == (0, CUTOFF, ENDOFCHAIN, 0)  # version 3, header-only DIFAT
    difat = struct.unpack("<109I", data[76:SECTOR])
    assert list(difat[:n_fat]) == list(range(n_fat)) and set(difat[n_fat:]) == {FREESECT}
    assert len(data) % SECTOR == 0
    f = ole(data)
    assert (f.sectorsize, f.minisectorsize, f.minisectorcutoff) == (SECTOR, 64, CUTOFF)
    assert (f.first_dir_sector, f.first_mini_fat_sector, f.num_mini_fat_sectors) == (dir_start, minifat_start, n_minifat)


def fat_of(data: bytes) -> list[int]:
    n_fat = struct.unpack("<I", data[44:48])[0]
    body = data[SECTOR:SECTOR * (1 + n_fat)]
    return list(struct.unpack(f"<{len(body) // 4}I", body))


def chain(fat: list[int], start: int) -> list[int]:
    out = []
    while start != ENDOFCHAIN:
        assert start < len(fat) and start not in out, "a chain leaves the FAT or loops"
        out.append(start)
        start = fat[start]
    return out


def test_fat_chains_cover_every_sector_once(data):
    fat = fat_of(data)
    n_sectors = len(data) // SECTOR - 1
    n_fat = struct.unpack("<I", data[44:48])[0]
    assert fat[:n_fat] == [FATSECT] * n_fat
    assert set(fat[n_sectors:]) <= {FREESECT}
    f = ole(data)
    starts = [f.first_dir_sector, f.first_mini_fat_sector, f.root.isectStart]
    starts += [e.isectStart for e in f.direntries if e is not None and e.entry_type == olefile.STGTY_STREAM
               and e.size >= CUTOFF]
    used = [s for start in starts for s in chain(fat, start)]
    assert sorted(used) == list(range(n_fat, n_sectors))  # every non-FAT sector in exactly one chain
    for e in f.direntries:
        if e is not None and e.entry_type == olefile.STGTY_STREAM and e.size >= CUTOFF:
            assert len(chain(fat, e.isectStart)) == -(-e.size // SECTOR), e.name


def test_small_streams_live_in_the_mini_stream_and_big_ones_do_not(data):
    """Read by hand: the mini stream is the root entry's sector chain, the mini FAT its own
    chain; each stream under 4096 bytes is a chain of 64-byte mini sectors in it."""
    f, fat = ole(data), fat_of(data)

    def sectors(start: int) -> bytes:
        return b"".join(data[SECTOR * (1 + s):SECTOR * (2 + s)] for s in chain(fat, start))

    mini = sectors(f.root.isectStart)[:f.root.size]
    minifat_bytes = sectors(f.first_mini_fat_sector)
    minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
    small = {k: v for k, v in STREAMS.items() if 0 < len(v) < CUTOFF}
    assert f.root.size == sum(-(-len(v) // 64) * 64 for v in small.values())
    by_name = {e.name: e for e in f.direntries if e is not None}
    for path, content in STREAMS.items():
        e = by_name[path.rsplit("/", 1)[-1]]
        if not content:
            assert (e.size, e.isectStart) == (0, ENDOFCHAIN)
        elif len(content) < CUTOFF:
            found = b"".join(mini[64 * m:64 * (m + 1)] for m in chain(minifat, e.isectStart))
            assert found[:len(content)] == content and len(found) == -(-len(content) // 64) * 64, path
        else:
            assert sectors(e.isectStart)[:len(content)] == content, path


def test_directory_entries_and_sibling_trees(data):
    f = ole(data)
    entries = [e for e in f.direntries if e is not None]
    assert entries[0].name == "Root Entry" and entries[0].entry_type == olefile.STGTY_ROOT
    assert all(e.color == 1 for e in entries)  # black: a valid red-black tree with no red nodes

    def in_order(sid: int) -> list[str]:
        if sid == NOSTREAM:
            return []
        e = f.direntries[sid]
        return in_order(e.sid_left) + [e.name] + in_order(e.sid_right)

    for e in entries:
        if e.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE):
            names = in_order(e.sid_child)
            assert sorted(names) == sorted(k.name for k in e.kids)
            # MS-CFB order: shorter names first, then by upper-cased name
            assert names == sorted(names, key=lambda n: (len(n), n.upper())), names
    # the directory's unused slots have no siblings and no child
    dir_sector = f.first_dir_sector
    directory = data[SECTOR * (1 + dir_sector):SECTOR * (2 + dir_sector)]
    for slot in range(len(entries), SECTOR // 128):
        left, right, child = struct.unpack("<III", directory[slot * 128 + 68:slot * 128 + 80])
        assert (left, right, child) == (NOSTREAM, NOSTREAM, NOSTREAM)


def test_the_same_streams_give_the_same_bytes():
    assert write_cfb(STREAMS) == write_cfb(dict(reversed(list(STREAMS.items()))))


def test_a_stream_larger_than_a_header_only_difat_holds_is_refused():
    with pytest.raises(ValueError, match="too large"):
        write_cfb({"Huge": b"\0" * (110 * 128 * SECTOR)})

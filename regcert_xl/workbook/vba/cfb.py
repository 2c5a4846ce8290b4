"""A compound file (MS-CFB version 3) from streams, the container a vbaProject.bin is.

Deterministic: 512-byte sectors, streams under 4096 bytes in the mini stream, balanced
all-black sibling trees, zero timestamps — the same streams always give the same bytes.

    write_cfb({"PROJECT": b"...", "VBA/dir": b"...", ...}) -> bytes
"""
from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


class _Node:
    def __init__(self, name: str, is_storage: bool, data: bytes = b""):
        self.name, self.is_storage, self.data = name, is_storage, data
        self.children: dict[str, _Node] = {}
        self.sid = 0
        self.left = self.right = self.child = NOSTREAM
        self.start, self.size = ENDOFCHAIN, 0


def _key(name: str):
    # MS-CFB 2.6.4: shorter name first, then upper-cased code point compare
    return (len(name), name.upper())


def _build_tree(nodes: list[_Node]) -> int:
    """Balanced BST over the sorted siblings; returns root SID."""
    if not nodes:
        return NOSTREAM
    mid = len(nodes) // 2
    n = nodes[mid]
    n.left = _build_tree(nodes[:mid])
    n.right = _build_tree(nodes[mid + 1 :])
    return n.sid


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i < count - 1 else ENDOFCHAIN


def write_cfb(streams: dict[str, bytes]) -> bytes:
    root = _Node("Root Entry", True)
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for p in parts[:-1]:
            node = node.children.setdefault(p, _Node(p, True))
        node.children[parts[-1]] = _Node(parts[-1], False, data)

    # assign SIDs breadth-first
    order = [root]
    i = 0
    while i < len(order):
        kids = sorted(order[i].children.values(), key=lambda n: _key(n.name))
        for k in kids:
            k.sid = len(order)
            order.append(k)
        i += 1
    for n in order:
        if n.is_storage:
            n.child = _build_tree(sorted(n.children.values(), key=lambda c: _key(c.name)))

    # mini stream
    mini = bytearray()
    minifat: list[int] = []
    big: list[_Node] = []
    for n in order[1:]:
        if n.is_storage:
            continue
        n.size = len(n.data)
        if n.size == 0:
            n.start = ENDOFCHAIN
        elif n.size < CUTOFF:
            n.start = len(minifat)
            cnt = -(-n.size // MINI)
            minifat += [0] * cnt
            _chain(minifat, n.start, cnt)
            mini += n.data.ljust(cnt * MINI, b"\0")
        else:
            big.append(n)

    # sector layout: [FAT][dir][minifat][mini stream][big streams]
    n_dir = -(-len(order) * 128 // SECTOR)
    n_minifat = -(-len(minifat) * 4 // SECTOR) if minifat else 0
    n_mini = -(-len(mini) // SECTOR)
    n_big = [-(-len(b.data) // SECTOR) for b in big]
    payload = n_dir + n_minifat + n_mini + sum(n_big)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + payload:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("too large for a header-only DIFAT (prototype limit)")
    total = n_fat + payload
    fat = [FREESECT] * (n_fat * SECTOR // 4)
    for s in range(n_fat):
        fat[s] = FATSECT
    cur = n_fat
    dir_start = cur
    _chain(fat, cur, n_dir)
    cur += n_dir
    minifat_start = cur if n_minifat else ENDOFCHAIN
    _chain(fat, cur, n_minifat)
    cur += n_minifat
    root.start = cur if n_mini else ENDOFCHAIN
    root.size = len(mini)
    _chain(fat, cur, n_mini)
    cur += n_mini
    for b, cnt in zip(big, n_big, strict=True):
        b.start = cur
        _chain(fat, cur, cnt)
        cur += cnt
    assert cur == total

    # header
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, n_fat, dir_start, 0, CUTOFF, minifat_start, n_minifat, ENDOFCHAIN, 0,
    ) + struct.pack("<109I", *difat)
    assert len(header) == SECTOR

    # directory
    d = bytearray()
    for n in order:
        name = n.name.encode("utf-16-le") + b"\0\0"
        etype = 5 if n is root else (1 if n.is_storage else 2)
        d += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name, len(name), etype, 1, n.left, n.right, n.child if n.is_storage else NOSTREAM,
            b"\0" * 16, 0, 0, 0,
            n.start if (not n.is_storage or n is root) else 0,
            n.size if (not n.is_storage or n is root) else 0,
        )
    d = d.ljust(n_dir * SECTOR, b"\0")
    # unused dir slots must be "empty" entries with NOSTREAM siblings
    for off in range(len(order) * 128, len(d), 128):
        d[off + 68 : off + 80] = struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += d
    if n_minifat:
        mf = minifat + [FREESECT] * (n_minifat * SECTOR // 4 - len(minifat))
        out += struct.pack(f"<{len(mf)}I", *mf)
    out += bytes(mini).ljust(n_mini * SECTOR, b"\0")
    for b, cnt in zip(big, n_big, strict=True):
        out += b.data.ljust(cnt * SECTOR, b"\0")
    assert len(out) == SECTOR * (1 + total)
    return bytes(out)

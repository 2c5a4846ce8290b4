"""VML drawings (cell comments, form buttons): each part of a workbook names the blocks of shape
ids it uses in ``<o:idmap data="1,2">``, and its shapes are ``_x0000_s<1024 × block + n>``.
Excel wants the blocks, and so the shape ids, unique across the workbook; a VML part brought
from another package is renumbered into blocks nobody uses."""

from __future__ import annotations

import re
from collections.abc import Iterable

BLOCK = 1024
_IDMAP = re.compile(rb'(<(?:[\w.-]+:)?idmap\b[^>]*?\sdata=")([^"]*)(")')  # any prefix (openpyxl: ns0)
_SHAPE = re.compile(rb"_x0000_s(\d+)\b")


def blocks(vml: bytes) -> list[int]:
    """The shape-id blocks a VML part claims (its o:idmap data)."""
    found = _IDMAP.search(vml)
    return [int(b) for b in found.group(2).split(b",") if b.strip().isdigit()] if found else []


def taken_blocks(parts: Iterable[bytes]) -> set[int]:
    return {b for vml in parts for b in blocks(vml)}


def renumber(vml: bytes, taken: set[int]) -> tuple[bytes, list[int]]:
    """``vml`` moved into the lowest blocks not in ``taken`` (its idmap and every shape id,
    wherever it is referenced in the part); returns the new part and the blocks it now uses."""
    old = blocks(vml) or sorted({int(n) // BLOCK for n in _SHAPE.findall(vml)})
    new: list[int] = []
    candidate = 1
    for _ in old:
        while candidate in taken or candidate in new:
            candidate += 1
        new.append(candidate)
    moves = dict(zip(old, new, strict=True))
    if all(a == b for a, b in moves.items()):
        return vml, new

    def shape(m: re.Match) -> bytes:
        n = int(m.group(1))
        block = moves.get(n // BLOCK, n // BLOCK)
        return b"_x0000_s%d" % (block * BLOCK + n % BLOCK)

    text = _IDMAP.sub(lambda m: m.group(1) + b",".join(b"%d" % b for b in new) + m.group(3), vml, count=1)
    return _SHAPE.sub(shape, text), new

"""VML drawings (cell comments, form buttons): each part of a workbook names the blocks of shape
ids it uses in ``<o:idmap data="1,2">``, and its shapes are ``_x0000_s<1024 × block + n>``.
Excel wants the blocks, and so the shape ids, unique across the workbook; a VML part brought
from another package is renumbered into blocks nobody uses.

The parts are read with :mod:`regcert_xl.ooxml.xmlpart`, so only the attribute values that
name a block or a shape change and every other byte stays as it was."""

from __future__ import annotations

from collections.abc import Iterable

from regcert_xl.ooxml import xmlpart

BLOCK = 1024
SHAPE_PREFIX = "_x0000_s"


def well_formed(vml: bytes) -> bytes:
    """Excel writes some VML with HTML's ``<br>`` (in the text boxes of older comments and
    buttons), which no XML parser reads; as ``<br/>`` it means the same to Excel."""
    return vml.replace(b"<br>", b"<br/>")


def _idmap(found: list[xmlpart.Node]) -> xmlpart.Node | None:
    return next((n for n in found if n.local == "idmap"), None)


def _block_list(text: str | None) -> list[int]:
    return [int(b) for b in (text or "").split(",") if b.strip().isdigit()]


def blocks(vml: bytes) -> list[int]:
    """The shape-id blocks a VML part claims (its o:idmap data)."""
    idmap = _idmap(xmlpart.nodes(well_formed(vml)))
    return _block_list(idmap.get("data")) if idmap is not None else []


def taken_blocks(parts: Iterable[bytes]) -> set[int]:
    return {b for vml in parts for b in blocks(vml)}


def _shape_number(value: str) -> int | None:
    """The number of a shape id (``_x0000_s1025``, or ``#_x0000_s1025`` where one is referred to)."""
    rest = value.removeprefix("#")
    digits = rest[len(SHAPE_PREFIX):]
    return int(digits) if rest.startswith(SHAPE_PREFIX) and digits.isdigit() else None


def renumber(vml: bytes, taken: set[int]) -> tuple[bytes, list[int]]:
    """``vml`` moved into the lowest blocks not in ``taken`` (its idmap and every shape id,
    wherever an attribute of the part refers to one); returns the new part and the blocks it
    now uses."""
    vml = well_formed(vml)
    found = xmlpart.nodes(vml)
    idmap = _idmap(found)
    shapes = [(node, name, number) for node in found
              for name, value in xmlpart.written_attributes(vml, node).items()
              if (number := _shape_number(value)) is not None]
    old = _block_list(idmap.get("data")) if idmap is not None else []
    old = old or sorted({number // BLOCK for _, _, number in shapes})
    new: list[int] = []
    candidate = 1
    for _ in old:
        while candidate in taken or candidate in new:
            candidate += 1
        new.append(candidate)
    moves = dict(zip(old, new, strict=True))
    if all(a == b for a, b in moves.items()):
        return vml, new
    changes: dict[int, tuple[xmlpart.Node, dict[str, str]]] = {}  # by where the element starts
    if idmap is not None:
        changes[idmap.start] = (idmap, {"data": ",".join(str(b) for b in new)})
    for node, name, number in shapes:
        block = moves.get(number // BLOCK, number // BLOCK)
        value = xmlpart.written_attributes(vml, node)[name]
        changes.setdefault(node.start, (node, {}))[1][name] = value.replace(str(number),
                                                                            str(block * BLOCK + number % BLOCK))
    for start in sorted(changes, reverse=True):  # from the end: the spans before stay put
        node, values = changes[start]
        vml = xmlpart.set_attributes(vml, node, values)
    return vml, new

"""What the admin hung off a record sheet, carried across an import.

An import writes the record sheets afresh. The drawing that holds what the admin placed on a
sheet (pictures, charts, shapes, with the parts they relate to) and Excel 365's threaded
comments are kept under their own names — never freed for the new sheets' parts — and linked
from the new sheet again: the drawing anchored where it was, the conversations moved with their
cells (:func:`regcert_xl.workbook.comments.carry_sheet_comments`).
"""

from __future__ import annotations

from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import NS, Package, Parts, Stream, add_relationship, parse_rels, rels_name

REL_NS = NS["r"]
KEPT = ("drawing", "threadedComment")  # relationship kinds of a record sheet an import keeps
# a worksheet's children that the schema puts after <drawing>
_AFTER_DRAWING = {"legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                  "webPublishItems", "tableParts", "extLst"}


def kept_parts(old: Package, sheet_part: str) -> set[str]:
    """The parts an import keeps of a record sheet it writes afresh: its drawing and threaded
    comments, with everything they relate to."""
    out: set[str] = set()
    for rel in old.rels(sheet_part):
        if rel.kind in KEPT and not rel.external and rel.target in old.parts:
            out |= {rel.target, rels_name(rel.target)} | old.related(rel.target)
    return out


def carry_drawing(old: Package, parts: Parts, sheet_part: str) -> None:
    """The old sheet's drawing (kept, see :func:`kept_parts`) linked from the sheet written
    afresh under ``sheet_part``, placed where the schema wants it. A new sheet that has a drawing
    of its own is left as it is."""
    drawing = next((r for r in old.rels(sheet_part) if r.kind == "drawing" and not r.external
                    and r.target in parts), None)
    rels_part = rels_name(sheet_part)
    if drawing is None or rels_part not in parts:
        return
    if any(r.kind == "drawing" for r in parse_rels(parts[rels_part], sheet_part)):
        return
    rid = add_relationship(parts, sheet_part, drawing.type, drawing.target)
    sheet = parts.item(sheet_part)
    if isinstance(sheet, Stream):
        parts[sheet_part] = Stream(lambda: with_drawing(b"".join(bytes(c) for c in sheet.produce()), rid))
    else:
        data = parts[sheet_part]
        parts[sheet_part] = b"".join(with_drawing(data, rid))


def with_drawing(sheet: bytes, rid: str) -> tuple[bytes, bytes, bytes]:
    """A worksheet with ``<drawing r:id=rid/>`` where the schema wants it — after the cells and
    before any legacy drawing, controls or tables — as three chunks (no second copy of the sheet)."""
    root = xmlpart.start_tags(sheet[:1 << 16])[0]
    declared = xmlpart.declarations(sheet, root)
    prefix = next((name.partition(":")[2] for name, uri in declared.items() if uri == REL_NS and ":" in name), None)
    element = xmlpart.element("drawing", {f"{prefix}:id": rid} if prefix else {"xmlns:r": REL_NS, "r:id": rid})
    closed = sheet.rfind(b"</sheetData>")
    after_cells = closed + len(b"</sheetData>") if closed >= 0 else sheet.index(b">", sheet.index(b"<sheetData")) + 1
    tail = sheet[after_cells:sheet.rindex(b"</")]
    opening = xmlpart.element("x", declared)[:-2] + b">"  # the tail read with the sheet's namespaces
    found = xmlpart.nodes(opening + tail + b"</x>")
    anchor = next((n for n in found if n.depth == 1 and n.local in _AFTER_DRAWING), None)
    at = after_cells + (anchor.start - len(opening) if anchor is not None else len(tail))
    return sheet[:at], element, sheet[at:]

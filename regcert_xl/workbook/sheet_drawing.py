"""The admin's pictures and charts on a record sheet, carried across an import.

An import writes the record sheets afresh; the drawing that holds what the admin placed on the
sheet (pictures, charts, shapes) is taken back from the old sheet with everything it relates to,
linked from the new sheet, and anchored where it was.
"""

from __future__ import annotations

from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import Package, Parts, Stream, add_relationship, parse_rels, rels_name

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# a worksheet's children that the schema puts after <drawing>
_AFTER_DRAWING = {"legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                  "webPublishItems", "tableParts", "extLst"}


def carry_drawing(old: Package, parts: Parts, sheet_part: str, removed: set[str]) -> None:
    """The old sheet's drawing (and the charts and pictures it relates to) kept for the sheet
    written afresh under ``sheet_part``; ``removed``: the parts the rewrite dropped, from which
    they are taken back. A new sheet that has a drawing of its own is left as it is."""
    drawing = next((r for r in old.rels(sheet_part) if r.kind == "drawing" and not r.external
                    and r.target in old.parts), None)
    rels_part = rels_name(sheet_part)
    if drawing is None or rels_part not in parts:
        return
    if any(r.kind == "drawing" for r in parse_rels(parts[rels_part], sheet_part)):
        return
    for part in {drawing.target} | old.related(drawing.target):
        parts[part] = old.parts.item(part)
        removed.discard(part)
    rid = add_relationship(parts, sheet_part, drawing.type, drawing.target)
    sheet = parts.item(sheet_part)
    whole = (lambda: b"".join(bytes(c) for c in sheet.produce())) if isinstance(sheet, Stream) \
        else (lambda: parts[sheet_part])
    parts[sheet_part] = Stream(lambda: (with_drawing(whole(), rid),))


def with_drawing(sheet: bytes, rid: str) -> bytes:
    """A worksheet with ``<drawing r:id=rid/>`` where the schema wants it: after the cells and
    before any legacy drawing, controls or tables."""
    root = xmlpart.start_tags(sheet[:1 << 16])[0]
    declared = xmlpart.declarations(sheet, root)
    prefix = next((name.partition(":")[2] for name, uri in declared.items() if uri == REL_NS and ":" in name), None)
    element = xmlpart.element("drawing", {f"{prefix}:id": rid} if prefix else {"xmlns:r": REL_NS, "r:id": rid})
    closed = sheet.rfind(b"</sheetData>")
    after_cells = closed + len(b"</sheetData>") if closed >= 0 else sheet.index(b">", sheet.index(b"<sheetData")) + 1
    tail = sheet[after_cells:sheet.rindex(b"</")]
    opening = b"<x" + b"".join(b' %s="%s"' % (k.encode(), xmlpart.escape(v).encode()) for k, v in declared.items()) + b">"
    found = xmlpart.nodes(opening + tail + b"</x>")
    anchor = next((n for n in found if n.depth == 1 and n.local in _AFTER_DRAWING), None)
    at = after_cells + (anchor.start - len(opening) if anchor is not None else len(tail))
    return sheet[:at] + element + sheet[at:]

"""Move freshly written generated sheets into an existing workbook package.

A generated sheet replaces the old one under the old part name (so the workbook's list of
sheets, their order and the user's sheets are untouched), bringing its tables, drawings and
charts under new part names; its styles are remapped into the merged styles.xml and its
shared strings written inline, so the old shared-string table is never touched.

The small parts (the workbook's, the relationships, table parts, the shared strings of the fresh
package) are edited through :mod:`regcert_xl.ooxml.xmlpart`. The fresh sheets themselves are
restyled by scanning their bytes (:func:`restyle`): they are the ones just written by XlsxWriter and
spliced rows (:mod:`sheet_xml`) in a fixed form, and can hold millions of cells — a parse into an
element per cell would cost gigabytes. The admin's own sheets are never scanned, only their first
start tags read (:func:`carry_code_name`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from defusedxml import ElementTree

from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import NS, Package, Parts, Stream, content_type_overrides, rels_name
from regcert_xl.workbook import vml
from regcert_xl.workbook.record_patch import sheet_data_span
from regcert_xl.workbook.styles_merge import StyleMap

WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def shared_strings(pkg: Package) -> list[bytes]:
    """The inner XML of every <si> of the package's shared-string table."""
    name = next((r.target for r in pkg.rels(pkg.workbook) if r.kind == "sharedStrings"), None)
    if name is None or name not in pkg.parts:
        return []
    data = pkg.parts[name]
    return [b"" if si.empty else data[si.open_end:data.rindex(b"</", si.open_end, si.end)]
            for si in xmlpart.find(data, "si")]


def restyle(xml: bytes, styles: StyleMap, strings: list[bytes]) -> bytes:
    """A fresh sheet's XML with style and dxf indexes remapped and shared strings inlined."""
    if any(k != v for k, v in styles.xf.items()):  # nothing to do when the styles lined up
        xml = _remap_xf(xml, styles)
    if any(k != v for k, v in styles.dxf.items()):
        xml = re.sub(rb'(\sdxfId=")(\d+)"', lambda m: m.group(1) + str(styles.dxf.get(int(m.group(2)), 0)).encode() + b'"', xml)

    def inline(m: re.Match) -> bytes:
        index = int(m.group(2))
        text = strings[index] if index < len(strings) else b""
        return m.group(1) + b' t="inlineStr"><is>' + text + b"</is></c>"

    return re.sub(rb'(<c\b[^>]*?) t="s"><v>(\d+)</v></c>', inline, xml)


def _remap_xf(xml: bytes, styles: StyleMap) -> bytes:
    xml = re.sub(rb'(<(?:c|row)\b[^>]*?\ss=")(\d+)"', lambda m: m.group(1) + str(styles.xf.get(int(m.group(2)), 0)).encode() + b'"', xml)
    return re.sub(rb'(<col\b[^>]*?\sstyle=")(\d+)"', lambda m: m.group(1) + str(styles.xf.get(int(m.group(2)), 0)).encode() + b'"', xml)


DXF_ATTRIBUTES = ("headerRowDxfId", "dataDxfId", "totalsRowDxfId")


def restyle_table(xml: bytes, styles: StyleMap, table_id: int) -> bytes:
    """A fresh table part with the id it gets in the workbook and its dxf indexes remapped."""
    found = xmlpart.nodes(xml)
    changes = {found[0].start: (found[0], {"id": str(table_id)})}
    for node in found:
        remapped = {name: str(styles.dxf.get(int(value), 0)) for name in DXF_ATTRIBUTES
                    if (value := node.get(name)) is not None}
        if remapped:
            changes.setdefault(node.start, (node, {}))[1].update(remapped)
    return _set_attributes(xml, changes.values())


def _set_attributes(xml: bytes, changes: Iterable[tuple[xmlpart.Node, dict[str, str]]]) -> bytes:
    """Each element's attributes set, the last element first (so the spans before stay put)."""
    for node, values in sorted(changes, key=lambda change: change[0].start, reverse=True):
        xml = xmlpart.set_attributes(xml, node, values)
    return xml


@dataclass
class Transplant:
    """The merged package being assembled: parts by name, and what was added or removed."""

    old: Package
    parts: Parts
    styles: StyleMap
    strings: list[bytes]
    replaced: set[str] = field(default_factory=set)  # generated sheets about to be replaced
    added_types: dict[str, str] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)  # parts of replaced sheets that stay (the admin's drawing…)

    def __post_init__(self) -> None:
        # tables that stay (on the admin's sheets and the record sheets) keep their ids; the
        # replaced sheets' tables are numbered after them, the same way every time
        leaving = {p for name in self.replaced if name in self.old.sheets for p in self.old.related(self.old.sheets[name])}
        ids = [int(table_id) for p in list(self.parts) if p.startswith("xl/tables/") and p not in leaving
               if (table_id := xmlpart.nodes(self.parts[p])[0].get("id")) is not None and table_id.isdigit()]
        self._next_table_id = max(ids, default=0) + 1

    def free_name(self, wanted: str) -> str:
        """``wanted`` or, if taken, the same folder and stem with the next free number."""
        if wanted not in self.parts:
            return wanted
        folder, name = posixpath.split(wanted)
        stem = posixpath.splitext(name)[0].rstrip("0123456789")
        ext = posixpath.splitext(name)[1]
        n = 1
        while posixpath.join(folder, f"{stem}{n}{ext}") in self.parts:
            n += 1
        return posixpath.join(folder, f"{stem}{n}{ext}")

    def remove_sheet_parts(self, sheet_part: str) -> None:
        """Drop what hangs off an old generated sheet (tables, drawings, charts), not the sheet."""
        keep_shared = {p for name, part in self.old.sheets.items() if part != sheet_part
                       for p in self.old.related(part)}
        for part in self.old.related(sheet_part) - keep_shared - self.kept:
            self.parts.pop(part, None)
            self.removed.add(part)
        self.parts.pop(rels_name(sheet_part), None)

    def bring(self, fresh: Package, fresh_part: str, target_part: str, fresh_types: dict[str, str],
              code_name_from: bytes = b"") -> None:
        """Copy ``fresh_part`` and everything it relates to into ``target_part`` and free names.
        The sheet itself is restyled as it is written (it can be big); ``code_name_from``: the
        start of the sheet it replaces, whose VBA code name it keeps."""
        names: dict[str, str] = {fresh_part: target_part}
        for part in sorted(fresh.related(fresh_part)):
            if part.endswith(".rels"):
                continue
            names[part] = self.free_name(part)
            self.parts[names[part]] = b""  # reserve
        for source, target in names.items():
            if source == fresh_part:
                self.parts[target] = _restyled(fresh, source, self.styles, self.strings, code_name_from)
            elif source.startswith("xl/tables/"):
                self.parts[target] = restyle_table(fresh.parts[source], self.styles, self._next_table_id)
                self._next_table_id += 1
            elif source.endswith(".vml"):
                taken = vml.taken_blocks(self.parts[p] for p in self.parts if p.endswith(".vml") and p != target)
                self.parts[target] = vml.renumber(fresh.parts[source], taken)[0]
            else:
                self.parts[target] = fresh.parts.item(source)
            if source != fresh_part and source in fresh_types:
                self.added_types[target] = fresh_types[source]
            rels = fresh.parts.get(rels_name(source))
            if rels is not None:
                self.parts[rels_name(target)] = _retarget(rels, source, target, names)

    def replace_sheet(self, fresh: Package, name: str) -> None:
        old_part = self.old.sheets[name]
        old_start = self.parts.head(old_part)
        self.remove_sheet_parts(old_part)
        self.bring(fresh, fresh.sheets[name], old_part, content_type_overrides(fresh.parts["[Content_Types].xml"]),
                   code_name_from=old_start)

    def replace_sheet_data(self, fresh: Package, name: str) -> None:
        """Only the cells: the sheet keeps its controls, buttons, drawings and tables."""
        old_part = self.old.sheets[name]
        fresh_xml = restyle(fresh.parts[fresh.sheets[name]], self.styles, self.strings)
        old = self.parts[old_part]
        new_span, old_span = sheet_data_span(fresh_xml), sheet_data_span(old)
        if new_span is None or old_span is None:
            return
        self.parts[old_part] = old[:old_span[0]] + fresh_xml[new_span[0]:new_span[1]] + old[old_span[1]:]

    def add_sheet(self, fresh: Package, name: str) -> None:
        """A generated sheet the workbook lost: added at the end."""
        part = self.free_name("xl/worksheets/sheet1.xml")
        self.parts[part] = b""
        self.bring(fresh, fresh.sheets[name], part, content_type_overrides(fresh.parts["[Content_Types].xml"]))
        self.added_types[part] = WORKSHEET_TYPE
        book_rels = rels_name(self.old.workbook)
        rels = xmlpart.nodes(self.parts[book_rels])
        rids = [int(i[3:]) for r in xmlpart.find(rels, "Relationship")
                if (i := r.get("Id") or "").startswith("rId") and i[3:].isdigit()]
        rid = f"rId{max(rids, default=0) + 1}"
        target = posixpath.relpath(part, posixpath.dirname(self.old.workbook))
        self.parts[book_rels] = xmlpart.append_child(self.parts[book_rels], rels[0], xmlpart.element(
            "Relationship", {"Id": rid, "Type": WORKSHEET_REL, "Target": target}))
        book = self.parts[self.old.workbook]
        found = xmlpart.nodes(book)
        sheets = xmlpart.find(found, "sheets")
        listed = xmlpart.find(found, "sheets", "sheet")
        ids = [int(i) for s in listed if (i := s.get("sheetId") or "").isdigit()]
        # the relationship id attribute as this workbook writes it (its prefix for the r: namespace)
        rid_name = next((n for s in listed[:1] for n in xmlpart.written_attributes(book, s)
                         if n.endswith(":id")), "r:id")
        entry = xmlpart.element("sheet", {"name": name, "sheetId": str(max(ids, default=0) + 1), rid_name: rid})
        self.parts[self.old.workbook] = xmlpart.append_child(book, sheets[0], entry)


def _restyled(fresh: Package, part: str, styles: StyleMap, strings: list[bytes], code_name_from: bytes) -> Stream:
    """A fresh sheet restyled when it is written (read from the fresh package then, not now)."""
    return Stream(lambda: (carry_code_name(code_name_from, restyle(fresh.parts[part], styles, strings)),))


def carry_code_name(old: bytes, new: bytes) -> bytes:
    """Keep the sheet's VBA code name (its document module in a macro-enabled workbook).
    ``old``: the first bytes of the sheet replaced; ``new``: the whole fresh sheet, whose start
    tags only are read."""
    old_pr = xmlpart.find(xmlpart.start_tags(old), "sheetPr")
    code_name = old_pr[0].get("codeName") if old_pr else None
    if code_name is None:
        return new
    found = xmlpart.start_tags(new[:HEAD])
    new_pr = xmlpart.find(found, "sheetPr")
    if new_pr:
        return new if new_pr[0].get("codeName") is not None else xmlpart.set_attribute(
            new, new_pr[0], "codeName", code_name)
    root = found[0]
    return xmlpart.splice(new, [(root.open_end, root.open_end, xmlpart.element("sheetPr", {"codeName": code_name}))])


HEAD = 1 << 16  # bytes: a sheet's start tags before its cells (sheetPr comes first)


def _retarget(rels: bytes, source: str, target: str, names: dict[str, str]) -> bytes:
    """A fresh part's relationships pointing at the renamed parts, relative to the new place."""
    base_old, base_new = posixpath.dirname(source), posixpath.dirname(target)
    changes = []
    for rel in xmlpart.find(rels, "Relationship"):
        raw = rel.get("Target")
        if raw is None or rel.get("TargetMode") == "External":
            continue
        resolved = posixpath.normpath(posixpath.join(base_old, raw))
        changes.append((rel, {"Target": posixpath.relpath(names.get(resolved, resolved), base_new)}))
    return _set_attributes(rels, changes)


def merge_defined_names(old_book: bytes, fresh_book: bytes, ours: set[str], old_sheets: list[str],
                        fresh_sheets: list[str]) -> bytes:
    """The old workbook.xml with regcert-xl's defined names taken from the fresh one (print titles
    follow their sheet by name); every other name stays as it was."""
    fresh_root = ElementTree.fromstring(fresh_book)
    entries: list[tuple[str, str | None, str]] = []
    for dn in fresh_root.findall("main:definedNames/main:definedName", NS):
        name, local = dn.get("name"), dn.get("localSheetId")
        if name not in ours and not (name.startswith("_xlnm.") and local is not None):
            continue
        if local is not None:
            sheet = fresh_sheets[int(local)]
            if sheet not in old_sheets:
                continue
            local = str(old_sheets.index(sheet))
        entries.append((name, local, dn.text or ""))
    out = old_book
    for name, local, text in entries:
        element = xmlpart.element("definedName", {"name": name} | ({"localSheetId": local} if local else {}), text)
        found = xmlpart.nodes(out)
        same = [n for n in xmlpart.find(found, "definedNames", "definedName")
                if n.get("name") == name and n.get("localSheetId") == local]
        names = xmlpart.find(found, "definedNames")
        if same:
            out = xmlpart.splice(out, [(same[0].start, same[0].end, element)])
        elif names:
            out = xmlpart.append_child(out, names[0], element)
        else:
            sheets = xmlpart.find(found, "sheets")[0]
            out = xmlpart.splice(out, [(sheets.end, sheets.end, b"<definedNames>" + element + b"</definedNames>")])
    return out

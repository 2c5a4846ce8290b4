"""The ECMA-376 (Part 1, transitional) rules a SpreadsheetML package must keep, checked part by part.

The schemas' content models for the parts regcert-xl writes or edits — the order and the
multiplicity of each element's children, its required attributes, the values an enumeration
allows — are written down here from the standard, together with the package-wide constraints the
schemas cannot express but Excel enforces (every index into styles in range, table and sheet names
unique, relationship targets present, each part with a content type). ``problems(path)`` lists what
a package breaks, one line each; an empty list means the package is valid on all of these.

Children outside the SpreadsheetML namespace (extensions under ``mc:Ignorable`` or inside
``extLst``) are left to Markup Compatibility processing, as the standard says, and not checked.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

UNBOUNDED = None
# element -> its children in schema order: (name, min, max)
SEQUENCES: dict[str, list[tuple[str, int, int | None]]] = {
    "worksheet": [("sheetPr", 0, 1), ("dimension", 0, 1), ("sheetViews", 0, 1), ("sheetFormatPr", 0, 1),
                  ("cols", 0, UNBOUNDED), ("sheetData", 1, 1), ("sheetCalcPr", 0, 1), ("sheetProtection", 0, 1),
                  ("protectedRanges", 0, 1), ("scenarios", 0, 1), ("autoFilter", 0, 1), ("sortState", 0, 1),
                  ("dataConsolidate", 0, 1), ("customSheetViews", 0, 1), ("mergeCells", 0, 1),
                  ("phoneticPr", 0, 1), ("conditionalFormatting", 0, UNBOUNDED), ("dataValidations", 0, 1),
                  ("hyperlinks", 0, 1), ("printOptions", 0, 1), ("pageMargins", 0, 1), ("pageSetup", 0, 1),
                  ("headerFooter", 0, 1), ("rowBreaks", 0, 1), ("colBreaks", 0, 1), ("customProperties", 0, 1),
                  ("cellWatches", 0, 1), ("ignoredErrors", 0, 1), ("smartTags", 0, 1), ("drawing", 0, 1),
                  ("legacyDrawing", 0, 1), ("legacyDrawingHF", 0, 1), ("drawingHF", 0, 1), ("picture", 0, 1),
                  ("oleObjects", 0, 1), ("controls", 0, 1), ("webPublishItems", 0, 1), ("tableParts", 0, 1),
                  ("extLst", 0, 1)],
    "workbook": [("fileVersion", 0, 1), ("fileSharing", 0, 1), ("workbookPr", 0, 1), ("workbookProtection", 0, 1),
                 ("bookViews", 0, 1), ("sheets", 1, 1), ("functionGroups", 0, 1), ("externalReferences", 0, 1),
                 ("definedNames", 0, 1), ("calcPr", 0, 1), ("oleSize", 0, 1), ("customWorkbookViews", 0, 1),
                 ("pivotCaches", 0, 1), ("smartTagPr", 0, 1), ("smartTagTypes", 0, 1), ("webPublishing", 0, 1),
                 ("fileRecoveryPr", 0, UNBOUNDED), ("webPublishObjects", 0, 1), ("extLst", 0, 1)],
    "styleSheet": [("numFmts", 0, 1), ("fonts", 0, 1), ("fills", 0, 1), ("borders", 0, 1), ("cellStyleXfs", 0, 1),
                   ("cellXfs", 0, 1), ("cellStyles", 0, 1), ("dxfs", 0, 1), ("tableStyles", 0, 1),
                   ("colors", 0, 1), ("extLst", 0, 1)],
    "table": [("autoFilter", 0, 1), ("sortState", 0, 1), ("tableColumns", 1, 1), ("tableStyleInfo", 0, 1),
              ("extLst", 0, 1)],
    "comments": [("authors", 1, 1), ("commentList", 1, 1), ("extLst", 0, 1)],
    "sheets": [("sheet", 1, UNBOUNDED)],
    "definedNames": [("definedName", 0, UNBOUNDED)],
    "sheetViews": [("sheetView", 1, UNBOUNDED), ("extLst", 0, 1)],
    "sheetView": [("pane", 0, 1), ("selection", 0, 4), ("pivotSelection", 0, 4), ("extLst", 0, 1)],
    "sheetPr": [("tabColor", 0, 1), ("outlinePr", 0, 1), ("pageSetUpPr", 0, 1)],
    "cols": [("col", 1, UNBOUNDED)],
    "sheetData": [("row", 0, UNBOUNDED)],
    "row": [("c", 0, UNBOUNDED), ("extLst", 0, 1)],
    "c": [("f", 0, 1), ("v", 0, 1), ("is", 0, 1), ("extLst", 0, 1)],
    "mergeCells": [("mergeCell", 1, UNBOUNDED)],
    "conditionalFormatting": [("cfRule", 1, UNBOUNDED), ("extLst", 0, 1)],
    "cfRule": [("formula", 0, 3), ("colorScale", 0, 1), ("dataBar", 0, 1), ("iconSet", 0, 1), ("extLst", 0, 1)],
    "dataValidations": [("dataValidation", 1, UNBOUNDED)],
    "dataValidation": [("formula1", 0, 1), ("formula2", 0, 1)],
    "hyperlinks": [("hyperlink", 1, UNBOUNDED)],
    "autoFilter": [("filterColumn", 0, UNBOUNDED), ("sortState", 0, 1), ("extLst", 0, 1)],
    "tableParts": [("tablePart", 0, UNBOUNDED), ("extLst", 0, 1)],
    "tableColumns": [("tableColumn", 1, UNBOUNDED)],
    "tableColumn": [("calculatedColumnFormula", 0, 1), ("totalsRowFormula", 0, 1), ("xmlColumnPr", 0, 1),
                    ("extLst", 0, 1)],
    "numFmts": [("numFmt", 0, UNBOUNDED)],
    "fonts": [("font", 0, UNBOUNDED)],
    "fills": [("fill", 0, UNBOUNDED)],
    "borders": [("border", 0, UNBOUNDED)],
    "cellStyleXfs": [("xf", 1, UNBOUNDED)],
    "cellXfs": [("xf", 1, UNBOUNDED)],
    "cellStyles": [("cellStyle", 1, UNBOUNDED)],
    "dxfs": [("dxf", 0, UNBOUNDED)],
    "xf": [("alignment", 0, 1), ("protection", 0, 1), ("extLst", 0, 1)],
    "dxf": [("font", 0, 1), ("numFmt", 0, 1), ("fill", 0, 1), ("alignment", 0, 1), ("border", 0, 1),
            ("protection", 0, 1), ("extLst", 0, 1)],
    "commentList": [("comment", 0, UNBOUNDED)],
    "authors": [("author", 0, UNBOUNDED)],
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "sheet": ("name", "sheetId", f"{{{REL_NS}}}id"),
    "definedName": ("name",),
    "table": ("id", "ref", "displayName"),
    "tableColumn": ("id", "name"),
    "col": ("min", "max"),
    "mergeCell": ("ref",),
    "conditionalFormatting": ("sqref",),
    "cfRule": ("type", "priority"),
    "hyperlink": ("ref",),
    "comment": ("ref", "authorId"),
    "numFmt": ("numFmtId", "formatCode"),
    "tablePart": (f"{{{REL_NS}}}id",),
    "legacyDrawing": (f"{{{REL_NS}}}id",),
    "drawing": (f"{{{REL_NS}}}id",),
    "dimension": ("ref",),
    "pane": (),
    "cellStyle": ("xfId",),
}

ENUMS: dict[tuple[str, str], set[str]] = {
    ("c", "t"): {"b", "d", "e", "inlineStr", "n", "s", "str"},
    ("sheet", "state"): {"visible", "hidden", "veryHidden"},
    ("cfRule", "type"): {"expression", "cellIs", "colorScale", "dataBar", "iconSet", "top10", "uniqueValues",
                         "duplicateValues", "containsText", "notContainsText", "beginsWith", "endsWith",
                         "containsBlanks", "notContainsBlanks", "containsErrors", "notContainsErrors",
                         "timePeriod", "aboveAverage"},
    ("dataValidation", "type"): {"none", "whole", "decimal", "list", "date", "time", "textLength", "custom"},
    ("pane", "state"): {"split", "frozen", "frozenSplit"},
    ("pane", "activePane"): {"bottomRight", "topRight", "bottomLeft", "topLeft"},
}

BUILTIN_NUMBER_FORMATS = 164  # ids below this are Excel's own
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")
_FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _in_main(element: Element) -> bool:
    return element.tag.startswith(f"{{{MAIN}}}")


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def cell_position(ref: str) -> tuple[int, int] | None:
    m = _CELL.match(ref)
    return (int(m.group(2)), column_number(m.group(1))) if m else None


def _sequence_problems(element: Element, where: str) -> Iterable[str]:
    """Children out of the schema's order, unknown, too many or missing; recursively."""
    name = _local(element.tag)
    model = SEQUENCES.get(name)
    children = [child for child in element if _in_main(child)]
    if model is not None and _in_main(element):
        order = {child: i for i, (child, _, _) in enumerate(model)}
        last = -1
        counts: dict[str, int] = {}
        for child in children:
            local = _local(child.tag)
            if local not in order:
                yield f"{where}: <{local}> is not allowed in <{name}>"
                continue
            if order[local] < last:
                yield f"{where}: <{local}> comes after <{model[last][0]}> in <{name}>; the schema wants it before"
            last = max(last, order[local])
            counts[local] = counts.get(local, 0) + 1
        for child, least, most in model:
            seen = counts.get(child, 0)
            if seen < least:
                yield f"{where}: <{name}> needs {least} <{child}>, has {seen}"
            if most is not None and seen > most:
                yield f"{where}: <{name}> allows {most} <{child}>, has {seen}"
    for attr in REQUIRED.get(name, ()):
        if _in_main(element) and attr not in element.attrib:
            yield f"{where}: <{name}> lacks the required attribute {_local(attr)}"
    for (tag, attr), allowed in ENUMS.items():
        if tag == name and _in_main(element) and attr in element.attrib and element.attrib[attr] not in allowed:
            yield f"{where}: <{name} {attr}={element.attrib[attr]!r}> is not one of the schema's values"
    if name in ("is", "extLst", "f", "v"):
        return
    for child in children:
        yield from _sequence_problems(child, where)


def _rows_problems(sheet: Element, where: str) -> Iterable[str]:
    data = sheet.find(f"{{{MAIN}}}sheetData")
    if data is None:
        return
    last_row = 0
    for row in data.iterfind(f"{{{MAIN}}}row"):
        r = int(row.get("r", last_row + 1))
        if r <= last_row or r > 1_048_576:
            yield f"{where}: row {r} is out of order (after row {last_row})"
        last_row = r
        last_col = 0
        for cell in row.iterfind(f"{{{MAIN}}}c"):
            ref = cell.get("r")
            pos = cell_position(ref) if ref else (r, last_col + 1)
            if pos is None or pos[0] != r or pos[1] <= last_col or pos[1] > 16_384:
                yield f"{where}: cell {ref} is not in row {r} after column {last_col}"
                break
            last_col = pos[1]


def _cols_problems(sheet: Element, where: str) -> Iterable[str]:
    last = 0
    for col in sheet.iterfind(f"{{{MAIN}}}cols/{{{MAIN}}}col"):
        low, high = int(col.get("min", 0)), int(col.get("max", 0))
        if not 1 <= low <= high <= 16_384 or low <= last:
            yield f"{where}: <col min={low} max={high}> overlaps or is out of order"
        last = high


def _style_problems(styles: Element, used_styles: set[int], used_dxfs: set[int], where: str) -> Iterable[str]:
    def count(tag: str) -> int:
        holder = styles.find(f"{{{MAIN}}}{tag}")
        return 0 if holder is None else sum(1 for child in holder if _in_main(child))

    sizes = {"fontId": count("fonts"), "fillId": count("fills"), "borderId": count("borders"),
             "xfId": count("cellStyleXfs")}
    formats = {int(n.get("numFmtId", -1)) for n in styles.iterfind(f"{{{MAIN}}}numFmts/{{{MAIN}}}numFmt")}
    for holder in ("cellXfs", "cellStyleXfs"):
        for i, xf in enumerate(styles.iterfind(f"{{{MAIN}}}{holder}/{{{MAIN}}}xf")):
            for attr, size in sizes.items():
                if attr == "xfId" and holder == "cellStyleXfs":
                    continue
                if attr in xf.attrib and not 0 <= int(xf.get(attr, 0)) < size:
                    yield f"{where}: {holder} xf {i} points at {attr} {xf.get(attr)} of {size}"
            fmt = int(xf.get("numFmtId", 0))
            if fmt >= BUILTIN_NUMBER_FORMATS and fmt not in formats:
                yield f"{where}: {holder} xf {i} uses number format {fmt}, which is not declared"
    xfs = count("cellXfs")
    for s in sorted(used_styles):
        if s >= xfs:
            yield f"{where}: a cell uses style {s} of {xfs}"
    dxfs = count("dxfs")
    for d in sorted(used_dxfs):
        if d >= dxfs:
            yield f"{where}: a format rule uses dxf {d} of {dxfs}"


def _rels_problems(z: zipfile.ZipFile, names: set[str]) -> Iterable[str]:
    for rels in sorted(n for n in names if n.endswith(".rels")):
        root = fromstring(z.read(rels))
        folder = posixpath.dirname(posixpath.dirname(rels))
        ids: set[str] = set()
        for rel in root.iterfind(f"{{{PKG_RELS}}}Relationship"):
            rid = rel.get("Id", "")
            if rid in ids:
                yield f"{rels}: relationship id {rid} is used twice"
            ids.add(rid)
            if not rel.get("Type") or rel.get("Target") is None:
                yield f"{rels}: relationship {rid} lacks Type or Target"
                continue
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if path not in names:
                yield f"{rels}: relationship {rid} points at {path}, which is not in the package"


def _content_type_problems(z: zipfile.ZipFile, names: set[str]) -> Iterable[str]:
    root = fromstring(z.read("[Content_Types].xml"))
    defaults = {d.get("Extension", "").lower() for d in root.iterfind(f"{{{CONTENT_TYPES}}}Default")}
    overrides = {o.get("PartName", "").lstrip("/") for o in root.iterfind(f"{{{CONTENT_TYPES}}}Override")}
    for name in sorted(names - {"[Content_Types].xml"}):
        if name.endswith("/"):
            continue
        if name not in overrides and name.rpartition(".")[2].lower() not in defaults:
            yield f"[Content_Types].xml: {name} has no content type"
    for name in sorted(overrides - names):
        yield f"[Content_Types].xml: an override names {name}, which is not in the package"


def _workbook_problems(workbook: Element) -> Iterable[str]:
    seen: set[str] = set()
    ids: set[str] = set()
    for sheet in workbook.iterfind(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet"):
        name = sheet.get("name", "")
        if not 1 <= len(name) <= 31 or set(name) & _FORBIDDEN_IN_SHEET_NAMES or name.startswith("'"):
            yield f"xl/workbook.xml: {name!r} is not a sheet name Excel allows"
        if name.casefold() == "history":
            yield "xl/workbook.xml: 'History' is a sheet name Excel reserves"
        if name.casefold() in seen:
            yield f"xl/workbook.xml: sheet name {name!r} is used twice"
        seen.add(name.casefold())
        if sheet.get("sheetId") in ids:
            yield f"xl/workbook.xml: sheetId {sheet.get('sheetId')} is used twice"
        ids.add(sheet.get("sheetId", ""))
    names: set[tuple[str, str]] = set()
    for defined in workbook.iterfind(f"{{{MAIN}}}definedNames/{{{MAIN}}}definedName"):
        key = (defined.get("name", "").casefold(), defined.get("localSheetId", ""))
        if key in names:
            yield f"xl/workbook.xml: defined name {defined.get('name')} is defined twice in one scope"
        names.add(key)
        scope = defined.get("localSheetId")
        if scope is not None and not 0 <= int(scope) < len(ids):
            yield f"xl/workbook.xml: defined name {defined.get('name')} is scoped to a sheet that does not exist"


def _table_problems(tables: dict[str, Element], defined: set[str]) -> Iterable[str]:
    ids: set[str] = set()
    names: set[str] = set()
    for part, table in sorted(tables.items()):
        if table.get("id") in ids:
            yield f"{part}: table id {table.get('id')} is used twice in the workbook"
        ids.add(table.get("id", ""))
        display = table.get("displayName", "").casefold()
        if display in names or display in defined:
            yield f"{part}: table name {table.get('displayName')} is used twice in the workbook"
        names.add(display)
        columns = [c.get("name", "").casefold() for c in table.iterfind(f"{{{MAIN}}}tableColumns/{{{MAIN}}}tableColumn")]
        if len(set(columns)) != len(columns):
            yield f"{part}: two columns of {table.get('displayName')} have the same name"
        ref = table.get("ref", "")
        first, _, last = ref.partition(":")
        start, end = cell_position(first), cell_position(last or first)
        if start is None or end is None or end[1] - start[1] + 1 != len(columns):
            yield f"{part}: {table.get('displayName')} spans {ref} but has {len(columns)} columns"


def problems(path: Path | str) -> list[str]:
    """What the package at ``path`` breaks of the rules above, one line each."""
    out: list[str] = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        parsed: dict[str, Element] = {}
        for name in sorted(names):
            if name.endswith((".xml", ".rels", ".vml")):
                try:
                    parsed[name] = fromstring(z.read(name))
                except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
                    out.append(f"{name}: not well-formed XML ({exc})")
        out += _content_type_problems(z, names)
        out += _rels_problems(z, names)
    used_styles: set[int] = set()
    used_dxfs: set[int] = set()
    tables: dict[str, Element] = {}
    for name, root in sorted(parsed.items()):
        if not _in_main(root):
            continue
        out += _sequence_problems(root, name)
        local = _local(root.tag)
        if local == "worksheet":
            out += _rows_problems(root, name)
            out += _cols_problems(root, name)
            used_styles |= {int(c.get("s", 0)) for c in root.iter(f"{{{MAIN}}}c")}
            used_styles |= {int(r.get("s", 0)) for r in root.iter(f"{{{MAIN}}}row") if "s" in r.attrib}
            used_styles |= {int(c.get("style", 0)) for c in root.iter(f"{{{MAIN}}}col")}
            used_dxfs |= {int(r.get("dxfId", 0)) for r in root.iter(f"{{{MAIN}}}cfRule") if "dxfId" in r.attrib}
        elif local == "workbook":
            out += _workbook_problems(root)
        elif local == "table":
            tables[name] = root
    defined = {d.get("name", "").casefold() for root in parsed.values() if _local(root.tag) == "workbook"
               for d in root.iter(f"{{{MAIN}}}definedName")}
    out += _table_problems(tables, defined)
    styles = parsed.get("xl/styles.xml")
    if styles is not None:
        out += _style_problems(styles, used_styles, used_dxfs, "xl/styles.xml")
    return out

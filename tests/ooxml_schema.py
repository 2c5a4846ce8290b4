"""The ECMA-376 (Part 1, transitional) rules a SpreadsheetML package must keep, checked part by part.

The schemas' content models for the parts regcert-xl writes or edits — the order and the
multiplicity of each element's children, the attributes each element may carry and the simple
type of each (unsigned integers, booleans, doubles, cell references and ranges, GUIDs, colours,
enumerations), the required ones — are written down here from the standard, together with the package-wide constraints the
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
CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VARIANT_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

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
    "comment": [("text", 1, 1), ("commentPr", 0, 1)],
    "sst": [("si", 0, UNBOUNDED), ("extLst", 0, 1)],
    "si": [("t", 0, 1), ("r", 0, UNBOUNDED), ("rPh", 0, UNBOUNDED), ("phoneticPr", 0, 1)],
    "text": [("t", 0, 1), ("r", 0, UNBOUNDED), ("rPh", 0, UNBOUNDED), ("phoneticPr", 0, 1)],
    "r": [("rPr", 0, 1), ("t", 1, 1)],
    "border": [("start", 0, 1), ("end", 0, 1), ("left", 0, 1), ("right", 0, 1), ("top", 0, 1), ("bottom", 0, 1),
               ("diagonal", 0, 1), ("vertical", 0, 1), ("horizontal", 0, 1)],
    "patternFill": [("fgColor", 0, 1), ("bgColor", 0, 1)],
    "fill": [("patternFill", 0, 1), ("gradientFill", 0, 1)],
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

# the simple types of attributes (XSD built-ins and the ST_ types of sml.xsd)
_REF = r"\$?[A-Z]{1,3}\$?[0-9]+"
_PATTERNS = {
    "uint": r"[0-9]+", "int": r"-?[0-9]+", "ubyte": r"[0-9]{1,3}", "bool": r"true|false|1|0",
    "double": r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?|INF|-INF|NaN",
    "cellref": _REF, "ref": f"{_REF}(:{_REF})?", "sqref": f"{_REF}(:{_REF})?( {_REF}(:{_REF})?)*",
    "spans": r"[0-9]+:[0-9]+( [0-9]+:[0-9]+)*", "hex8": r"[0-9A-Fa-f]{8}",
    "guid": r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", "string": r"(?s).*",
}
_LIMITS = {"uint": range(4_294_967_296), "ubyte": range(256), "int": range(-2_147_483_648, 2_147_483_648)}
B, U, S, D = "bool", "uint", "string", "double"
_REL_ID = f"{{{REL_NS}}}id"
_BORDER = {"style": frozenset({"none", "thin", "medium", "dashed", "dotted", "thick", "double", "hair",
                               "mediumDashed", "dashDot", "mediumDashDot", "dashDotDot", "mediumDashDotDot",
                               "slantDashDot"})}
_COUNT = {"count": U}
# element -> every attribute the schema gives it (outside any namespace, plus r:id where it has
# one) and its type: a type name above, or the values of an enumeration. An attribute not listed
# for an element listed here is not allowed on it.
ATTRIBUTES: dict[str, dict[str, str | frozenset[str]]] = {
    "c": {"r": "cellref", "s": U, "t": frozenset({"b", "d", "e", "inlineStr", "n", "s", "str"}), "cm": U, "vm": U,
          "ph": B},
    "row": {"r": U, "spans": "spans", "s": U, "customFormat": B, "ht": D, "hidden": B, "customHeight": B,
            "outlineLevel": "ubyte", "collapsed": B, "thickTop": B, "thickBot": B, "ph": B},
    "col": {"min": U, "max": U, "width": D, "style": U, "hidden": B, "bestFit": B, "customWidth": B, "phonetic": B,
            "outlineLevel": "ubyte", "collapsed": B},
    "dimension": {"ref": "ref"},
    "sheetPr": {"syncHorizontal": B, "syncVertical": B, "syncRef": "ref", "transitionEvaluation": B,
                "transitionEntry": B, "published": B, "codeName": S, "filterMode": B,
                "enableFormatConditionsCalculation": B},
    "outlinePr": {"applyStyles": B, "summaryBelow": B, "summaryRight": B, "showOutlineSymbols": B},
    "pageSetUpPr": {"autoPageBreaks": B, "fitToPage": B},
    "sheetView": {"windowProtection": B, "showFormulas": B, "showGridLines": B, "showRowColHeaders": B,
                  "showZeros": B, "rightToLeft": B, "tabSelected": B, "showRuler": B, "showOutlineSymbols": B,
                  "defaultGridColor": B, "showWhiteSpace": B,
                  "view": frozenset({"normal", "pageBreakPreview", "pageLayout"}), "topLeftCell": "cellref",
                  "colorId": U, "zoomScale": U, "zoomScaleNormal": U, "zoomScaleSheetLayoutView": U,
                  "zoomScalePageLayoutView": U, "workbookViewId": U},
    "pane": {"xSplit": D, "ySplit": D, "topLeftCell": "cellref",
             "activePane": frozenset({"bottomRight", "topRight", "bottomLeft", "topLeft"}),
             "state": frozenset({"split", "frozen", "frozenSplit"})},
    "selection": {"pane": frozenset({"bottomRight", "topRight", "bottomLeft", "topLeft"}), "activeCell": "cellref",
                  "activeCellId": U, "sqref": "sqref"},
    "sheetFormatPr": {"baseColWidth": U, "defaultColWidth": D, "defaultRowHeight": D, "customHeight": B,
                      "zeroHeight": B, "thickTop": B, "thickBottom": B, "outlineLevelRow": "ubyte",
                      "outlineLevelCol": "ubyte"},
    "sheetProtection": {"password": S, "algorithmName": S, "hashValue": S, "saltValue": S, "spinCount": U,
                        **{flag: B for flag in ("sheet", "objects", "scenarios", "formatCells", "formatColumns",
                                            "formatRows", "insertColumns", "insertRows", "insertHyperlinks",
                                            "deleteColumns", "deleteRows", "selectLockedCells", "sort",
                                            "autoFilter", "pivotTables", "selectUnlockedCells")}},
    "autoFilter": {"ref": "ref"},
    "conditionalFormatting": {"pivot": B, "sqref": "sqref"},
    "cfRule": {"type": frozenset({"expression", "cellIs", "colorScale", "dataBar", "iconSet", "top10",
                                         "uniqueValues", "duplicateValues", "containsText", "notContainsText",
                                         "beginsWith", "endsWith", "containsBlanks", "notContainsBlanks",
                                         "containsErrors", "notContainsErrors", "timePeriod", "aboveAverage"}), "dxfId": U, "priority": "int", "stopIfTrue": B,
               "aboveAverage": B, "percent": B, "bottom": B,
               "operator": frozenset({"lessThan", "lessThanOrEqual", "equal", "notEqual", "greaterThanOrEqual",
                                      "greaterThan", "between", "notBetween", "containsText", "notContains",
                                      "beginsWith", "endsWith"}),
               "text": S, "timePeriod": frozenset({"today", "yesterday", "tomorrow", "last7Days", "thisMonth",
                                                   "lastMonth", "nextMonth", "thisWeek", "lastWeek", "nextWeek"}),
               "rank": U, "stdDev": "int", "equalAverage": B},
    "dataValidations": {"disablePrompts": B, "xWindow": U, "yWindow": U, **_COUNT},
    "dataValidation": {"type": frozenset({"none", "whole", "decimal", "list", "date", "time", "textLength",
                                                 "custom"}),
                       "errorStyle": frozenset({"stop", "warning", "information"}),
                       "imeMode": frozenset({"noControl", "off", "on", "disabled", "hiragana", "fullKatakana",
                                             "halfKatakana", "fullAlpha", "halfAlpha", "fullHangul", "halfHangul"}),
                       "operator": frozenset({"between", "notBetween", "equal", "notEqual", "lessThan",
                                              "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"}),
                       "allowBlank": B, "showDropDown": B, "showInputMessage": B, "showErrorMessage": B,
                       "errorTitle": S, "error": S, "promptTitle": S, "prompt": S, "sqref": "sqref"},
    "hyperlink": {"ref": "ref", _REL_ID: S, "location": S, "tooltip": S, "display": S},
    "pageMargins": {side: D for side in ("left", "right", "top", "bottom", "header", "footer")},
    "pageSetup": {"paperSize": U, "paperHeight": S, "paperWidth": S, "scale": U, "firstPageNumber": U,
                  "fitToWidth": U, "fitToHeight": U, "pageOrder": frozenset({"downThenOver", "overThenDown"}),
                  "orientation": frozenset({"default", "portrait", "landscape"}), "usePrinterDefaults": B,
                  "blackAndWhite": B, "draft": B, "cellComments": frozenset({"none", "asDisplayed", "atEnd"}),
                  "useFirstPageNumber": B, "errors": frozenset({"displayed", "blank", "dash", "NA"}),
                  "horizontalDpi": U, "verticalDpi": U, "copies": U, _REL_ID: S},
    "tableParts": _COUNT, "tablePart": {_REL_ID: S}, "drawing": {_REL_ID: S}, "legacyDrawing": {_REL_ID: S},
    "fileVersion": {"appName": S, "lastEdited": S, "lowestEdited": S, "rupBuild": S, "codeName": "guid"},
    "workbookPr": {"date1904": B, "dateCompatibility": B, "showObjects": frozenset({"all", "placeholders", "none"}),
                   "showBorderUnselectedTables": B, "filterPrivacy": B, "promptedSolutions": B,
                   "showInkAnnotation": B, "backupFile": B, "saveExternalLinkValues": B,
                   "updateLinks": frozenset({"userSet", "never", "always"}), "codeName": S,
                   "hidePivotFieldList": B, "showPivotChartFilter": B, "allowRefreshQuery": B, "publishItems": B,
                   "checkCompatibility": B, "autoCompressPictures": B, "refreshAllConnections": B,
                   "defaultThemeVersion": U},
    "workbookView": {"visibility": frozenset({"visible", "hidden", "veryHidden"}), "minimized": B,
                     "showHorizontalScroll": B, "showVerticalScroll": B, "showSheetTabs": B, "xWindow": "int",
                     "yWindow": "int", "windowWidth": U, "windowHeight": U, "tabRatio": U, "firstSheet": U,
                     "activeTab": U, "autoFilterDateGrouping": B},
    "sheet": {"name": S, "sheetId": U, "state": frozenset({"visible", "hidden", "veryHidden"}), _REL_ID: S},
    "definedName": {"name": S, "comment": S, "customMenu": S, "description": S, "help": S, "statusBar": S,
                    "localSheetId": U, "hidden": B, "function": B, "vbProcedure": B, "xlm": B,
                    "functionGroupId": U, "shortcutKey": S, "publishToServer": B, "workbookParameter": B},
    "calcPr": {"calcId": U, "calcMode": frozenset({"manual", "auto", "autoNoTable"}), "fullCalcOnLoad": B,
               "refMode": frozenset({"A1", "R1C1"}), "iterate": B, "iterateCount": U, "iterateDelta": D,
               "fullPrecision": B, "calcCompleted": B, "calcOnSave": B, "concurrentCalc": B,
               "concurrentManualCount": U, "forceFullCalc": B},
    "numFmts": _COUNT, "fonts": _COUNT,
    "fills": _COUNT, "borders": _COUNT, "cellStyleXfs": _COUNT, "cellXfs": _COUNT, "cellStyles": _COUNT,
    "dxfs": _COUNT, "tableStyles": {**_COUNT, "defaultTableStyle": S, "defaultPivotStyle": S},
    "numFmt": {"numFmtId": U, "formatCode": S},
    "xf": {"numFmtId": U, "fontId": U, "fillId": U, "borderId": U, "xfId": U, "quotePrefix": B, "pivotButton": B,
           "applyNumberFormat": B, "applyFont": B, "applyFill": B, "applyBorder": B, "applyAlignment": B,
           "applyProtection": B},
    "alignment": {"horizontal": frozenset({"general", "left", "center", "right", "fill", "justify",
                                           "centerContinuous", "distributed"}),
                  "vertical": frozenset({"top", "center", "bottom", "justify", "distributed"}), "textRotation": U,
                  "wrapText": B, "indent": U, "relativeIndent": "int", "justifyLastLine": B, "shrinkToFit": B,
                  "readingOrder": U},
    "protection": {"locked": B, "hidden": B},
    "cellStyle": {"name": S, "xfId": U, "builtinId": U, "iLevel": U, "hidden": B, "customBuiltin": B},
    "color": {"auto": B, "indexed": U, "rgb": "hex8", "theme": U, "tint": D},
    "fgColor": {"auto": B, "indexed": U, "rgb": "hex8", "theme": U, "tint": D},
    "bgColor": {"auto": B, "indexed": U, "rgb": "hex8", "theme": U, "tint": D},
    "patternFill": {"patternType": frozenset({"none", "solid", "mediumGray", "darkGray", "lightGray",
                                              "darkHorizontal", "darkVertical", "darkDown", "darkUp", "darkGrid",
                                              "darkTrellis", "lightHorizontal", "lightVertical", "lightDown",
                                              "lightUp", "lightGrid", "lightTrellis", "gray125", "gray0625"})},
    "left": _BORDER, "right": _BORDER, "top": _BORDER, "bottom": _BORDER, "diagonal": _BORDER,
    "b": {"val": B}, "i": {"val": B}, "strike": {"val": B}, "sz": {"val": D}, "family": {"val": "int"},
    "name": {"val": S}, "rFont": {"val": S},
    "u": {"val": frozenset({"single", "double", "singleAccounting", "doubleAccounting", "none"})},
    "scheme": {"val": frozenset({"none", "major", "minor"})},
    "table": {"id": U, "name": S, "displayName": S, "comment": S, "ref": "ref",
              "tableType": frozenset({"worksheet", "xml", "queryTable"}), "headerRowCount": U, "insertRow": B,
              "insertRowShift": B, "totalsRowCount": U, "totalsRowShown": B, "published": B, "headerRowDxfId": U,
              "dataDxfId": U, "totalsRowDxfId": U, "headerRowBorderDxfId": U, "tableBorderDxfId": U,
              "totalsRowBorderDxfId": U, "headerRowCellStyle": S, "dataCellStyle": S, "totalsRowCellStyle": S,
              "connectionId": U},
    "tableColumns": _COUNT,
    "tableColumn": {"id": U, "uniqueName": S, "name": S,
                    "totalsRowFunction": frozenset({"none", "sum", "min", "max", "average", "count", "countNums",
                                                    "stdDev", "var", "custom"}),
                    "totalsRowLabel": S, "queryTableFieldId": U, "headerRowDxfId": U, "dataDxfId": U,
                    "totalsRowDxfId": U, "headerRowCellStyle": S, "dataCellStyle": S, "totalsRowCellStyle": S},
    "tableStyleInfo": {"name": S, "showFirstColumn": B, "showLastColumn": B, "showRowStripes": B,
                       "showColumnStripes": B},
    "sst": {"count": U, "uniqueCount": U},
    "comment": {"ref": "ref", "authorId": U, "guid": "guid", "shapeId": U},
}


def _attribute_problems(element: Element, name: str, where: str) -> Iterable[str]:
    """Attributes the schema does not give the element, and values outside their type."""
    allowed = ATTRIBUTES.get(name)
    if allowed is None:
        return
    for attr, value in element.attrib.items():
        if attr.startswith("{") and attr not in allowed:
            continue  # another namespace: Markup Compatibility's business
        kind = allowed.get(attr)
        if kind is None:
            yield f"{where}: <{name}> has no attribute {attr} in the schema"
        elif isinstance(kind, frozenset):
            if value not in kind:
                yield f"{where}: <{name} {attr}={value!r}> is not one of the schema's values"
        elif not re.fullmatch(_PATTERNS[kind], value) or (kind in _LIMITS and int(value) not in _LIMITS[kind]):
            yield f"{where}: <{name} {attr}={value!r}> is not a {kind}"


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
    if _in_main(element):
        yield from _attribute_problems(element, name, where)
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


OWN_PARTS = {"drawing", "table", "comments", "vmlDrawing", "threadedComment"}  # a sheet's own, never shared


def _rels_problems(z: zipfile.ZipFile, names: set[str]) -> Iterable[str]:
    owner: dict[str, str] = {}
    for rels in sorted(n for n in names if n.startswith("xl/worksheets/_rels/")):
        for rel in fromstring(z.read(rels)).iterfind(f"{{{PKG_RELS}}}Relationship"):
            if rel.get("Type", "").rsplit("/", 1)[-1] in OWN_PARTS and rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join("xl/worksheets", rel.get("Target", "")))
                if target in owner:
                    yield f"{rels}: {target} belongs to another sheet too ({owner[target]})"
                owner.setdefault(target, rels)
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
    named = [o.get("PartName", "").lstrip("/").casefold() for o in root.iterfind(f"{{{CONTENT_TYPES}}}Override")]
    for twice in sorted({n for n in named if named.count(n) > 1}):
        yield f"[Content_Types].xml: {twice} has two overrides"
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


def _custom_property_problems(root: Element, where: str) -> Iterable[str]:
    """docProps/custom.xml (Part 1, §22.3): <Properties> holds only <property> elements, each with
    a format id (a GUID) and a property id (an int, unique, from 2 up), a name used once, and
    exactly one value in the variant types namespace."""
    pids: set[str] = set()
    names: set[str] = set()
    for child in root:
        if child.tag != f"{{{CUSTOM_PROPERTIES}}}property":
            yield f"{where}: <{_local(child.tag)}> is not allowed in <Properties>"
            continue
        pid, name = child.get("pid", ""), child.get("name")
        if not re.fullmatch(_PATTERNS["guid"], child.get("fmtid", "")):
            yield f"{where}: property {name!r} has no GUID fmtid"
        if not pid.isdigit() or int(pid) < 2 or pid in pids:
            yield f"{where}: property {name!r} has pid {pid!r}: property ids are unique whole numbers from 2"
        pids.add(pid)
        if name is not None and name.casefold() in names:
            yield f"{where}: property {name!r} is defined twice"
        names.add((name or "").casefold())
        values = list(child)
        if len(values) != 1 or not values[0].tag.startswith(f"{{{VARIANT_TYPES}}}"):
            yield f"{where}: property {name!r} needs exactly one value of a variant type"


def _indexes(root: Element, tag: str, attr: str) -> set[int]:
    """The style indexes ``attr`` of every ``tag`` holds (a value that is no number is reported
    by the attribute check)."""
    return {int(value) for e in root.iter(f"{{{MAIN}}}{tag}") if (value := e.get(attr, "")).isdigit()}


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
        if root.tag == f"{{{CUSTOM_PROPERTIES}}}Properties":
            out += _custom_property_problems(root, name)
        if not _in_main(root):
            continue
        out += _sequence_problems(root, name)
        local = _local(root.tag)
        if local == "worksheet":
            out += _rows_problems(root, name)
            out += _cols_problems(root, name)
            used_styles |= _indexes(root, "c", "s") | _indexes(root, "row", "s") | _indexes(root, "col", "style")
            used_dxfs |= _indexes(root, "cfRule", "dxfId")
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

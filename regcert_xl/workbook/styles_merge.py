"""Bring the formats a freshly written sheet uses into an existing workbook's styles.xml.

The existing styles.xml is kept byte for byte; formats it lacks are appended (fonts, fills,
borders, number formats, cell formats, differential formats) and the counts updated. A
format already there — compared by content, not by index — is reused, so refreshing again
adds nothing. The result maps the fresh workbook's style and dxf indexes to the merged ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from regcert_xl.ooxml import xmlpart

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
BUILTIN_NUMFMT_MAX = 163


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def canonical(element: Element) -> tuple:
    """A comparable form of an element: tag, sorted attributes (namespaces dropped), children."""
    attrs = tuple(sorted((_local(k), v) for k, v in element.attrib.items()))
    return (_local(element.tag), attrs, tuple(canonical(c) for c in element))


def serialise(element: Element) -> str:
    """Plain SpreadsheetML text of an element parsed from our own styles (no prefixes)."""
    attrs = "".join(f' {_local(k)}="{_escape(v)}"' for k, v in element.attrib.items())
    children = "".join(serialise(c) for c in element)
    tag = _local(element.tag)
    return f"<{tag}{attrs}>{children}</{tag}>" if children else f"<{tag}{attrs}/>"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace(">", "&gt;")


@dataclass
class StyleMap:
    xf: dict[int, int] = field(default_factory=dict)
    dxf: dict[int, int] = field(default_factory=dict)


def _children(root: Element, name: str) -> list[Element]:
    parent = root.find(f"{{{MAIN}}}{name}")
    return list(parent) if parent is not None else []


def merge_styles(old: bytes, fresh: bytes) -> tuple[bytes, StyleMap]:
    """Old styles with what fresh needs appended; and the index maps."""
    old_root, fresh_root = ElementTree.fromstring(old), ElementTree.fromstring(fresh)
    out = old
    mapping = StyleMap()

    # number formats: custom ids of fresh -> ids in old (reuse by format code)
    old_codes = {n.attrib["formatCode"]: int(n.attrib["numFmtId"]) for n in _children(old_root, "numFmts")}
    next_id = max([BUILTIN_NUMFMT_MAX, *old_codes.values()]) + 1
    numfmt: dict[int, int] = {}
    added_numfmts = []
    for n in _children(fresh_root, "numFmts"):
        code, fid = n.attrib["formatCode"], int(n.attrib["numFmtId"])
        if code not in old_codes:
            old_codes[code] = next_id
            added_numfmts.append(f'<numFmt numFmtId="{next_id}" formatCode="{_escape(code)}"/>')
            next_id += 1
        numfmt[fid] = old_codes[code]
    out = _append(out, "numFmts", added_numfmts, before="fonts")

    component_maps = {}
    for name in ("fonts", "fills", "borders"):
        out, component_maps[name] = _merge_list(out, old_root, fresh_root, name)

    def remap_xf(xf: Element) -> Element:
        xf = _copy(xf)
        fid = int(xf.get("numFmtId", "0"))
        xf.set("numFmtId", str(numfmt.get(fid, fid)))
        for attr, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            if (value := xf.get(attr)) is not None:
                xf.set(attr, str(component_maps[name][int(value)]))
        xf.set("xfId", "0")
        return xf

    out, mapping.xf = _merge_list(out, old_root, fresh_root, "cellXfs", transform=remap_xf)

    def remap_dxf(dxf: Element) -> Element:
        dxf = _copy(dxf)
        for n in dxf.iter(f"{{{MAIN}}}numFmt"):
            fid = int(n.get("numFmtId", "0"))
            n.set("numFmtId", str(numfmt.get(fid, fid)))
        return dxf

    out, mapping.dxf = _merge_list(out, old_root, fresh_root, "dxfs", transform=remap_dxf)
    return out, mapping


def _copy(element: Element) -> Element:
    return ElementTree.fromstring(
        f'<x xmlns="{MAIN}">{serialise(element)}</x>'.encode())[0]


def _merge_list(out: bytes, old_root: Element, fresh_root: Element, name: str, transform=None) -> tuple[bytes, dict[int, int]]:
    old_items = _children(old_root, name)
    known = {canonical(e): i for i, e in enumerate(old_items)}
    mapping, added = {}, []
    next_index = len(old_items)
    for i, element in enumerate(_children(fresh_root, name)):
        element = transform(element) if transform else element
        key = canonical(element)
        if key not in known:
            known[key] = next_index
            added.append(serialise(element))
            next_index += 1
        mapping[i] = known[key]
    return _append(out, name, added), mapping


def _append(xml: bytes, name: str, items: list[str], before: str | None = None) -> bytes:
    """Add items to the <name> list, creating it (before <before>) if absent; fix its count."""
    if not items:
        return xml
    text = "".join(items).encode()
    found = xmlpart.nodes(xml)
    lists = xmlpart.find(found, name)
    if not lists:
        anchor = xmlpart.find(found, before) if before else []
        block = f'<{name} count="{len(items)}">'.encode() + text + f"</{name}>".encode()
        return xmlpart.splice(xml, [(anchor[0].start, anchor[0].start, block)]) if anchor else xml
    count = lists[0].get("count")
    if count is not None and count.isdigit():
        xml = xmlpart.set_attribute(xml, lists[0], "count", str(int(count) + len(items)))
    return xmlpart.append_child(xml, xmlpart.find(xml, name)[0], text)

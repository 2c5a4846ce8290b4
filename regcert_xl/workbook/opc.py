"""The parts of an Excel package and how they point at each other (Open Packaging Conventions).

Read with defusedxml; edits elsewhere are made to the bytes, so every part that is not
rewritten stays exactly as it was.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
WORKBOOK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # resolved part name (no leading slash), or the raw target when external
    external: bool = False

    @property
    def kind(self) -> str:
        return self.type.rsplit("/", 1)[-1]


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def parse_rels(data: bytes, source_part: str) -> list[Relationship]:
    root = ElementTree.fromstring(data)
    base = posixpath.dirname(source_part)
    out = []
    for rel in root.findall("rel:Relationship", NS):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out.append(Relationship(rel.get("Id", ""), rel.get("Type", ""), target, external))
    return out


@dataclass
class Package:
    """An opened package: its parts (bytes) and the map from sheet names to sheet parts."""

    path: Path
    parts: dict[str, bytes]
    order: list[str]
    workbook: str = "xl/workbook.xml"
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> part
    sheet_rids: dict[str, str] = field(default_factory=dict)  # sheet name -> r:id in workbook.xml

    @classmethod
    def open(cls, path: Path) -> Package:
        with zipfile.ZipFile(path) as z:
            parts = {i.filename: z.read(i.filename) for i in z.infolist() if not i.is_dir()}
            order = [i.filename for i in z.infolist() if not i.is_dir()]
        pkg = cls(Path(path), parts, order)
        root_rels = parse_rels(parts["_rels/.rels"], "")
        pkg.workbook = next(r.target for r in root_rels if r.type == WORKBOOK_REL)
        rels = {r.id: r for r in pkg.rels(pkg.workbook)}
        book = ElementTree.fromstring(parts[pkg.workbook])
        for sheet in book.findall("main:sheets/main:sheet", NS):
            rid = sheet.get(f"{{{NS['r']}}}id")
            pkg.sheets[sheet.get("name")] = rels[rid].target
            pkg.sheet_rids[sheet.get("name")] = rid
        return pkg

    def rels(self, part: str) -> list[Relationship]:
        data = self.parts.get(rels_name(part))
        return parse_rels(data, part) if data else []

    def related(self, part: str, seen: set[str] | None = None) -> set[str]:
        """Every part reachable from ``part`` through relationships (tables, drawings, charts,
        comments…), with their rels parts, excluding ``part`` itself."""
        seen = seen if seen is not None else set()
        for rel in self.rels(part):
            if rel.external or rel.target in seen or rel.target not in self.parts:
                continue
            seen.add(rel.target)
            self.related(rel.target, seen)
        out = set(seen)
        out |= {rels_name(p) for p in seen if rels_name(p) in self.parts}
        return out


def content_type_overrides(data: bytes) -> dict[str, str]:
    root = ElementTree.fromstring(data)
    return {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in root.findall("ct:Override", NS)}


def set_overrides(data: bytes, remove: set[str], add: dict[str, str]) -> bytes:
    """[Content_Types].xml with overrides for ``remove`` taken out and ``add`` put in."""
    for part in remove:
        data = re.sub(rb'<Override PartName="/' + re.escape(part.encode()) + rb'"[^>]*/>', b"", data)
    extra = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in add.items()).encode()
    return data.replace(b"</Types>", extra + b"</Types>")


def ensure_default(data: bytes, extension: str, content_type: str) -> bytes:
    if re.search(rb'<Default Extension="' + extension.encode() + rb'"', data, re.IGNORECASE):
        return data
    return data.replace(b"</Types>", f'<Default Extension="{extension}" ContentType="{content_type}"/></Types>'.encode())

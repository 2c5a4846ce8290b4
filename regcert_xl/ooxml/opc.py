"""The parts of an Excel package and how they point at each other (Open Packaging Conventions).

Read with defusedxml; edits elsewhere are made to the bytes, so every part that is not
rewritten stays exactly as it was.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

from regcert_xl.ooxml import xmlpart

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


def add_relationship(parts: MutableMapping[str, bytes], source_part: str, rel_type: str, target_part: str) -> str:
    """A relationship of ``rel_type`` from ``source_part`` to ``target_part`` added to the
    source's rels part (which must exist); returns its id, the first ``rIdN`` free there."""
    rels_part = rels_name(source_part)
    found = xmlpart.nodes(parts[rels_part])
    ids = {n.get("Id") for n in xmlpart.find(found, "Relationship")}
    rid = next(f"rId{i}" for i in range(1, len(ids) + 2) if f"rId{i}" not in ids)
    target = posixpath.relpath(target_part, posixpath.dirname(source_part))
    parts[rels_part] = xmlpart.append_child(parts[rels_part], found[0], xmlpart.element(
        "Relationship", {"Id": rid, "Type": rel_type, "Target": target}))
    return rid


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


Chunk = bytes | memoryview  # a piece of a part as it is streamed


@dataclass(frozen=True)
class Member:
    """A part still in its zip, read when it is needed."""

    zip: zipfile.ZipFile
    name: str
    size: int

    def read(self) -> bytes:
        return self.zip.read(self.name)

    def chunks(self, block: int = 1 << 22) -> Iterator[bytes]:
        with self.zip.open(self.name) as stream:
            while chunk := stream.read(block):
                yield chunk


@dataclass(frozen=True)
class Stream:
    """A part produced in chunks as it is written (never whole in memory)."""

    produce: Callable[[], Iterable[Chunk]]


KEEP_READ = 1_000_000  # parts up to this size are kept once read; bigger ones are read again


class Parts(MutableMapping):
    """A package's parts by name: bytes, parts still in the zip (:class:`Member`), or parts to
    be produced while writing (:class:`Stream`). Reading a part gives its bytes either way, so
    code that edits small parts does not care; the writer streams the big ones."""

    def __init__(self, items: dict[str, bytes | Member | Stream] | None = None) -> None:
        self._items = dict(items or {})

    @classmethod
    def of_zip(cls, z: zipfile.ZipFile) -> Parts:
        return cls({i.filename: Member(z, i.filename, i.file_size) for i in z.infolist() if not i.is_dir()})

    def __getitem__(self, name: str) -> bytes:
        item = self._items[name]
        if isinstance(item, Member):
            data = item.read()
            if len(data) <= KEEP_READ:
                self._items[name] = data
            return data
        if isinstance(item, Stream):
            return b"".join(bytes(chunk) for chunk in item.produce())
        return item

    def __setitem__(self, name: str, value: bytes | Member | Stream) -> None:
        self._items[name] = value

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def copy(self) -> Parts:
        return Parts(self._items)

    def pop(self, name: str, *default):
        """Remove a part without reading it; gives what it was held as."""
        return self._items.pop(name, *default)

    def head(self, name: str, size: int = 1 << 16) -> bytes:
        """The first ``size`` bytes of a part (its start tags), without reading all of it."""
        item = self._items[name]
        if isinstance(item, Member):
            with item.zip.open(item.name) as stream:
                return stream.read(size)
        return self[name][:size]

    def item(self, name: str) -> bytes | Member | Stream:
        """What the part is held as (for the writer, and to pass a part on unread)."""
        return self._items[name]

    def size(self, name: str) -> int | None:
        item = self._items[name]
        return item.size if isinstance(item, Member) else None if isinstance(item, Stream) else len(item)

    def chunks(self, name: str) -> Iterable[Chunk]:
        item = self._items[name]
        if isinstance(item, Member):
            return item.chunks()
        if isinstance(item, Stream):
            return item.produce()
        return (item,)


@dataclass
class Package:
    """An opened package: its parts and the map from sheet names to sheet parts.

    ``Package.open`` reads every part; ``Package.open(path, lazy=True)`` keeps the zip open and
    reads a part only when it is asked for (call :meth:`close` when done)."""

    path: Path
    parts: Parts
    order: list[str]
    workbook: str = "xl/workbook.xml"
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> part
    sheet_rids: dict[str, str] = field(default_factory=dict)  # sheet name -> r:id in workbook.xml
    _zip: zipfile.ZipFile | None = None

    @classmethod
    def open(cls, path: Path, lazy: bool = False) -> Package:
        z = zipfile.ZipFile(path)
        order = [i.filename for i in z.infolist() if not i.is_dir()]
        if lazy:
            pkg = cls(Path(path), Parts.of_zip(z), order, _zip=z)
        else:
            with z:
                pkg = cls(Path(path), Parts({name: z.read(name) for name in order}), order)
        try:
            pkg._map_sheets()
        except BaseException:
            pkg.close()
            raise
        return pkg

    def _map_sheets(self) -> None:
        pkg, parts = self, self.parts
        root_rels = parse_rels(parts["_rels/.rels"], "")
        pkg.workbook = next(r.target for r in root_rels if r.type == WORKBOOK_REL)
        rels = {r.id: r for r in pkg.rels(pkg.workbook)}
        book = ElementTree.fromstring(parts[pkg.workbook])
        for sheet in book.findall("main:sheets/main:sheet", NS):
            rid = sheet.get(f"{{{NS['r']}}}id")
            pkg.sheets[sheet.get("name")] = rels[rid].target
            pkg.sheet_rids[sheet.get("name")] = rid

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

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
    found = xmlpart.nodes(data)
    gone = [o for o in xmlpart.find(found, "Override") if (o.get("PartName") or "").lstrip("/") in remove]
    data = xmlpart.remove(data, gone)
    extra = b"".join(xmlpart.element("Override", {"PartName": f"/{p}", "ContentType": t}) for p, t in add.items())
    return xmlpart.append_child(data, xmlpart.nodes(data)[0], extra)


def ensure_default(data: bytes, extension: str, content_type: str) -> bytes:
    """[Content_Types].xml with a Default for ``extension`` (extensions match case-insensitively)."""
    found = xmlpart.nodes(data)
    if any((d.get("Extension") or "").casefold() == extension.casefold() for d in xmlpart.find(found, "Default")):
        return data
    return xmlpart.append_child(data, found[0], xmlpart.element("Default", {"Extension": extension,
                                                                            "ContentType": content_type}))

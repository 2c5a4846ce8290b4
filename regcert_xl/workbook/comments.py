"""Cell comments (notes) carried across a rewrite of a record sheet.

An import writes the record sheets afresh, so the admin's comments would go with the old sheet.
Instead the old sheet's comments part and its VML drawing are kept as the base (their authors,
namespaces and anything else Excel put there stay as written): each comment moves to the cell its
record and column now occupy, and the fresh sheet's own notes (regcert-xl's header note) are
added, replacing whatever stood on the same cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as with_fields

from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import Package, Parts, add_relationship, parse_rels, rels_name
from regcert_xl.workbook import vml
from regcert_xl.workbook.sheet_xml import column_letter

Cell = tuple[int, int]  # 0-based row, column
Move = Callable[[Cell], Cell]
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass(frozen=True)
class CellMoves:
    """Where a cell of the old record sheet is on the new one: its column follows its header,
    its row follows its record (``rows``: old 0-based row -> new); other rows stay put."""

    old_headers: list[str]
    new_headers: list[str]
    rows: dict[int, int]

    def __call__(self, cell: Cell) -> Cell:
        row, col = cell
        if col < len(self.old_headers) and self.old_headers[col] in self.new_headers:
            col = self.new_headers.index(self.old_headers[col])
        return self.rows.get(row, row), col


def cell_of(ref: str) -> Cell:
    found = _REF.fullmatch(ref.replace("$", "").upper())
    if found is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in found.group(1):
        col = col * 26 + ord(ch) - 64
    return int(found.group(2)) - 1, col - 1


def ref_of(cell: Cell) -> str:
    return f"{column_letter(cell[1])}{cell[0] + 1}"


def carry(old_comments: bytes, old_vml: bytes, fresh_comments: bytes, fresh_vml: bytes,
          move: Move) -> tuple[bytes, bytes]:
    """The old sheet's comments and drawing with every comment moved by ``move`` and the fresh
    sheet's comments added (a fresh comment wins the cell). Raises ParseError or ValueError on a
    part that cannot be read (see :func:`carry_sheet_comments`, which then keeps them as they were)."""
    taken = cells_with_notes(fresh_comments)
    return (_merge_comments(old_comments, fresh_comments, move, taken),
            _merge_drawing(old_vml, fresh_vml, move, taken))


def cells_with_notes(comments: bytes) -> set[Cell]:
    """The cells a comments part has notes on."""
    return {cell_of(c.get("ref") or "") for c in xmlpart.find(comments, "commentList", "comment")}


def _inner(data: bytes, node: xmlpart.Node) -> tuple[int, int]:
    """Where an element's content is (between its start and end tags)."""
    return (node.open_end, node.open_end) if node.empty else (node.open_end, data.rindex(b"</", node.open_end, node.end))


def _text(data: bytes, node: xmlpart.Node) -> bytes:
    start, end = _inner(data, node)
    return data[start:end]


def _start_tag(data: bytes, node: xmlpart.Node, **attrs: str) -> bytes:
    """``node``'s start tag with attributes set."""
    tag = data[node.start:node.open_end]
    for name, value in attrs.items():
        local = with_fields(node, start=0, open_end=len(tag), end=len(tag))
        tag = xmlpart.set_attribute(tag, local, name, value)
    return tag


def _element(data: bytes, node: xmlpart.Node, **attrs: str) -> bytes:
    """The bytes of ``node``'s element with attributes set."""
    return _start_tag(data, node, **attrs) + data[node.open_end:node.end]


def _merge_comments(old: bytes, fresh: bytes, move: Move, fresh_cells: set[Cell]) -> bytes:
    found = xmlpart.nodes(old)
    edits = []
    for comment in xmlpart.find(found, "commentList", "comment"):
        target = move(cell_of(comment.get("ref") or ""))
        if target in fresh_cells:
            edits.append((comment.start, comment.end, b""))
        else:
            edits.append((comment.start, comment.open_end, _start_tag(old, comment, ref=ref_of(target))))
    out = xmlpart.splice(old, edits)
    authors = [_text(out, a) for a in xmlpart.find(out, "authors", "author")]
    fresh_found = xmlpart.nodes(fresh)
    fresh_authors = [_text(fresh, a) for a in xmlpart.find(fresh_found, "authors", "author")]
    added_authors, added = b"", b""
    for comment in xmlpart.find(fresh_found, "commentList", "comment"):
        author = fresh_authors[int(comment.get("authorId") or 0)] if fresh_authors else b""
        if author not in authors:
            authors.append(author)
            added_authors += b"<author>" + author + b"</author>"
        added += _element(fresh, comment, authorId=str(authors.index(author)))
    out = xmlpart.append_child(out, xmlpart.find(out, "authors")[0], added_authors)
    return xmlpart.append_child(out, xmlpart.find(out, "commentList")[0], added)


@dataclass(frozen=True)
class _Note:
    shape: xmlpart.Node
    row: xmlpart.Node
    column: xmlpart.Node
    anchor: xmlpart.Node | None

    def cell(self, data: bytes) -> Cell:
        return int(_text(data, self.row)), int(_text(data, self.column))


def _notes(found: list[xmlpart.Node]) -> list[_Note]:
    """The comment shapes of a VML part (shapes whose client data says Note), in one pass."""
    out: list[_Note] = []
    shape: xmlpart.Node | None = None
    inside: dict[str, xmlpart.Node] = {}

    def close() -> None:
        client = inside.get("ClientData")
        if shape is not None and client is not None and client.get("ObjectType") == "Note" \
                and "Row" in inside and "Column" in inside:
            out.append(_Note(shape, inside["Row"], inside["Column"], inside.get("Anchor")))

    for node in found:
        if shape is not None and node.start >= shape.end:
            close()
            shape, inside = None, {}
        if node.local == "shape" and shape is None:
            shape = node
        elif shape is not None:
            inside.setdefault(node.local, node)
    close()
    return out


def _moved_anchor(data: bytes, anchor: xmlpart.Node, d_row: int, d_col: int) -> bytes:
    """An anchor (left col, dx, top row, dy, right col, dx, bottom row, dy) moved with its cell."""
    values = [int(v) for v in _text(data, anchor).decode().split(",")]
    for i, delta in ((0, d_col), (2, d_row), (4, d_col), (6, d_row)):
        values[i] = max(values[i] + delta, 0)
    return ", ".join(str(v) for v in values).encode()


def _merge_drawing(old: bytes, fresh: bytes, move: Move, fresh_cells: set[Cell]) -> bytes:
    edits: list[tuple[int, int, bytes]] = []
    for note in _notes(xmlpart.nodes(old)):
        before = note.cell(old)
        after = move(before)
        if after in fresh_cells:
            edits.append((note.shape.start, note.shape.end, b""))
            continue
        edits += [(*_inner(old, note.row), b"%d" % after[0]), (*_inner(old, note.column), b"%d" % after[1])]
        if note.anchor is not None:
            edits.append((*_inner(old, note.anchor),
                          _moved_anchor(old, note.anchor, after[0] - before[0], after[1] - before[1])))
    return _add_fresh_notes(xmlpart.splice(old, edits), fresh)


def _add_fresh_notes(out: bytes, fresh: bytes) -> bytes:
    """``out`` with the fresh part's notes (and their shape type, namespaces) added, numbered
    after the shapes already there, in a block its o:idmap claims."""
    fresh_found = xmlpart.nodes(fresh)
    notes = _notes(fresh_found)
    if not notes:
        return out
    declared = xmlpart.declarations(out, xmlpart.nodes(out)[0])
    for name, uri in xmlpart.declarations(fresh, fresh_found[0]).items():
        if name not in declared:
            out = xmlpart.set_attribute(out, xmlpart.nodes(out)[0], name, uri)
    found = xmlpart.nodes(out)
    types = {n.get("id") for n in found if n.local == "shapetype"}
    numbers = [int(m) for n in found if n.local == "shape" for m in re.findall(r"_x0000_s(\d+)", n.get("id") or "")]
    blocks = vml.blocks(out)
    next_id = max(numbers, default=(blocks or [1])[0] * vml.BLOCK) + 1
    added = b"".join(fresh[n.start:n.end] for n in fresh_found if n.local == "shapetype" and n.get("id") not in types)
    for note in notes:
        added += _element(fresh, note.shape, id=f"_x0000_s{next_id}")
        next_id += 1
    out = xmlpart.append_child(out, found[0], added)
    wanted = sorted(set(blocks) | {n // vml.BLOCK for n in range(next_id - len(notes), next_id)})
    idmap = next((n for n in xmlpart.nodes(out) if n.local == "idmap"), None)
    if idmap is None or wanted == blocks:
        return out
    return xmlpart.set_attribute(out, idmap, "data", ",".join(str(b) for b in wanted))


def carry_sheet_comments(old: Package, parts: Parts, sheet_part: str, moves: Move) -> None:
    """After a record sheet was replaced under ``sheet_part``: its new comments and drawing
    become the old ones moved by ``moves`` plus the new ones (see :func:`carry`), the drawing
    numbered into shape-id blocks no other drawing of the workbook uses. Its threaded comments
    (Excel 365's conversations, kept by the import: see
    :func:`~regcert_xl.workbook.carried_parts.kept_parts`) move with their legacy notes and are
    linked from the new sheet again. A part that cannot be read as XML leaves every note and
    conversation on its old cell — lost or parted from its note, never."""
    was = {r.kind: r.target for r in old.rels(sheet_part) if not r.external}
    now = {r.kind: r.target for r in parse_rels(parts[rels_name(sheet_part)], sheet_part) if not r.external} \
        if rels_name(sheet_part) in parts else {}
    kinds = ("comments", "vmlDrawing")
    notes = all(k in was and was[k] in old.parts for k in kinds) and all(k in now for k in kinds)
    threads = [r for r in old.rels(sheet_part) if r.kind == THREADS and not r.external and r.target in parts]
    if not notes and not threads:
        return
    try:
        taken = cells_with_notes(parts[now["comments"]]) if "comments" in now else set()
        carried = None
        if notes:
            comments, drawing = carry(old.parts[was["comments"]], old.parts[was["vmlDrawing"]],
                                      parts[now["comments"]], parts[now["vmlDrawing"]], moves)
            others = vml.taken_blocks(parts[p] for p in parts if p.endswith(".vml") and p != now["vmlDrawing"])
            carried = comments, vml.renumber(drawing, others)[0]
        moved = {r.target: moved_threads(parts[r.target], moves, taken) for r in threads}
    except (xmlpart.ParseError, ValueError):
        carried = (old.parts[was["comments"]], old.parts[was["vmlDrawing"]]) if notes else None
        moved = {}
    if carried is not None:
        parts[now["comments"]], parts[now["vmlDrawing"]] = carried
    for rel in threads:
        if rel.target in moved:
            parts[rel.target] = moved[rel.target]
        add_relationship(parts, sheet_part, rel.type, rel.target)


THREADS = "threadedComment"  # the relationship kind of a sheet's threaded comments part


def moved_threads(data: bytes, move: Move, taken: set[Cell]) -> bytes:
    """A threaded comments part with each conversation (a comment and its replies share a cell)
    moved by ``move``; one whose cell regcert-xl's own note now takes goes, as its legacy note does."""
    edits = []
    for thread in (n for n in xmlpart.nodes(data) if n.local == "threadedComment" and n.depth == 1):
        target = move(cell_of(thread.get("ref") or ""))
        if target in taken:
            edits.append((thread.start, thread.end, b""))
        else:
            edits.append((thread.start, thread.open_end, _start_tag(data, thread, ref=ref_of(target))))
    return xmlpart.splice(data, edits)

"""Small XML parts (workbook.xml, relationships, content types, table parts) read with a real XML
parser and edited in place.

The parser (defusedxml: no DTDs, no entities) reports where each element starts and ends in the
bytes, so an edit replaces just the bytes of the element it changes: every other byte — namespace
declarations, ``mc:Ignorable`` prefixes, extensions we do not know — stays exactly as Excel wrote
it. Attribute values come decoded (``R&amp;D`` reads as ``R&D``) and any attribute order or quote
style is understood, which pattern matching over the text cannot promise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import overload

from defusedxml.ElementTree import DefusedXMLParser, ParseError

__all__ = ["Node", "ParseError", "nodes", "find", "splice", "remove", "append_child", "set_attribute",
           "set_attributes", "written_attributes", "start_tags", "element"]


@dataclass(frozen=True)
class Node:
    """One element: its name, decoded attributes and where its bytes are."""

    tag: str  # '{namespace}local'
    attrs: Mapping[str, str]
    start: int  # offset of its '<'
    open_end: int  # just past its start tag's '>'
    end: int  # just past its last '>' (its end tag, or the start tag when it is empty)
    depth: int  # the root is 0

    @property
    def local(self) -> str:
        return self.tag.rpartition("}")[2]

    @property
    def empty(self) -> bool:
        return self.open_end == self.end

    @overload
    def get(self, name: str) -> str | None: ...

    @overload
    def get(self, name: str, default: str) -> str: ...

    def get(self, name: str, default: str | None = None) -> str | None:
        """An attribute by its local name (unprefixed), or by '{namespace}local'."""
        if name in self.attrs:
            return self.attrs[name]
        for key, value in self.attrs.items():
            if key.rpartition("}")[2] == name:
                return value
        return default


def _tag_end(data: bytes, start: int) -> int:
    """Just past the '>' closing the tag that starts at ``start`` ('>' inside quotes skipped)."""
    quote = 0
    for i in range(start + 1, len(data)):
        c = data[i]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):  # " '
            quote = c
        elif c == 0x3E:  # >
            return i + 1
    raise ParseError("unclosed tag")


class _Spans:
    """Parser target recording each element's byte span."""

    def __init__(self, data: bytes):
        self.source = data
        self.parser: DefusedXMLParser | None = None
        self.open: list[tuple[str, dict[str, str], int, int]] = []
        self.found: list[tuple[int, Node]] = []
        self.order = 0

    def _at(self) -> int:
        assert self.parser is not None
        return self.parser.parser.CurrentByteIndex

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        at = self._at()
        self.open.append((tag, dict(attrs), at, self.order))
        self.order += 1

    def end(self, tag: str) -> None:
        name, attrs, start, order = self.open.pop()
        open_end = _tag_end(self.source, start)
        empty = self.source[open_end - 2:open_end] == b"/>"
        end = open_end if empty else _tag_end(self.source, self._at())
        self.found.append((order, Node(name, attrs, start, open_end, end, len(self.open))))

    def data(self, _text: str) -> None:
        pass

    def close(self) -> list[Node]:
        return [node for _, node in sorted(self.found, key=lambda pair: pair[0])]


def nodes(data: bytes) -> list[Node]:
    """Every element of the part, in document order. Raises ParseError on malformed XML and
    defusedxml's errors on DTDs or entities."""
    target = _Spans(data)
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    target.parser = parser
    parser.feed(data)
    return parser.close()


def start_tags(head: bytes) -> list[Node]:
    """The elements whose start tags are in ``head`` — the first bytes of a part too big to read
    whole, cut anywhere — in document order. Those not closed within ``head`` have ``end`` -1."""
    target = _Spans(head)
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    target.parser = parser
    with suppress(ParseError):  # cut inside a tag or a character reference: what came before stands
        parser.feed(head)
    unclosed = [(order, Node(tag, attrs, start, _tag_end(head, start), -1, depth))
                for depth, (tag, attrs, start, order) in enumerate(target.open)
                if _closes(head, start)]
    return [node for _, node in sorted(target.found + unclosed, key=lambda pair: pair[0])]


def _closes(data: bytes, start: int) -> bool:
    try:
        _tag_end(data, start)
    except ParseError:
        return False
    return True


def find(data: bytes | list[Node], *path: str) -> list[Node]:
    """Elements by the local names of their path from the root's children, e.g.
    ``find(workbook_xml, "sheets", "sheet")``; one name finds children of the root."""
    found = nodes(data) if isinstance(data, bytes) else data
    chain: list[Node] = []
    out = []
    for node in found:
        chain = chain[:node.depth]
        chain.append(node)
        if len(chain) == len(path) + 1 and [n.local for n in chain[1:]] == list(path):
            out.append(node)
    return out


def splice(data: bytes, edits: Iterable[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each (start, end, replacement) applied; spans must not overlap."""
    out, at = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < at:
            raise ValueError("overlapping edits")
        out += [data[at:start], replacement]
        at = end
    out.append(data[at:])
    return b"".join(out)


def remove(data: bytes, gone: Iterable[Node]) -> bytes:
    return splice(data, [(n.start, n.end, b"") for n in gone])


def append_child(data: bytes, parent: Node, xml: bytes) -> bytes:
    """``xml`` added as the last child of ``parent`` (an empty ``<x/>`` opened up for it)."""
    if not xml:
        return data
    if parent.empty:
        head = data[parent.start:parent.open_end - 2].rstrip()
        closing = b"</" + data[parent.start + 1:parent.open_end].split(None, 1)[0].rstrip(b"/>") + b">"
        return splice(data, [(parent.start, parent.end, head + b">" + xml + closing)])
    close_at = data.rindex(b"</", parent.open_end, parent.end)
    return splice(data, [(close_at, close_at, xml)])


def set_attribute(data: bytes, node: Node, name: str, value: str) -> bytes:
    """``node``'s start tag with attribute ``name`` (as written, e.g. ``codeName``) set to ``value``."""
    return set_attributes(data, node, {name: value})


def set_attributes(data: bytes, node: Node, values: Mapping[str, str]) -> bytes:
    """``node``'s start tag with each attribute (by name as written, e.g. ``o:spid``) set; the
    other attributes, their order and quoting stay as they were."""
    tag = data[node.start:node.open_end]
    for name, value in values.items():
        spans = _attribute_spans(tag)
        encoded = f"{name}={quoteattr(value)}".encode()
        if name in spans:
            start, end = spans[name]
            tag = tag[:start] + encoded + tag[end:]
        else:
            cut = len(tag) - (2 if tag.endswith(b"/>") else 1)
            tag = tag[:cut].rstrip() + b" " + encoded + tag[cut:]
    return splice(data, [(node.start, node.open_end, tag)])


def written_attributes(data: bytes, node: Node) -> dict[str, str]:
    """``node``'s attributes by their names as written (with any prefix, e.g. ``o:spid``) ->
    their values as written (character references not decoded; :meth:`Node.get` decodes)."""
    tag = data[node.start:node.open_end]
    return {name: tag[start:end].split(b"=", 1)[1].strip()[1:-1].decode()
            for name, (start, end) in _attribute_spans(tag).items()}


def _attribute_spans(tag: bytes) -> dict[str, tuple[int, int]]:
    """Attribute name as written -> its span (name through closing quote) in a start tag."""
    spans: dict[str, tuple[int, int]] = {}
    i = tag.find(b" ")
    while 0 < i < len(tag):
        while i < len(tag) and tag[i:i + 1].isspace():
            i += 1
        eq = tag.find(b"=", i)
        if eq < 0:
            break
        name = tag[i:eq].strip().decode()
        q = eq + 1
        while tag[q:q + 1].isspace():
            q += 1
        close = tag.index(tag[q:q + 1], q + 1)
        spans[name] = (i, close + 1)
        i = close + 1
    return spans


def element(name: str, attrs: Mapping[str, str] | None = None, text: str | None = None) -> bytes:
    """A new element, attributes escaped (``name`` as written, with its prefix if any)."""
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in (attrs or {}).items())
    if text is None:
        return f"<{name}{attributes}/>".encode()
    return f"<{name}{attributes}>{escape(text)}</{name}>".encode()


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """An attribute value in double quotes, escaped (line breaks and tabs kept as references)."""
    escaped = escape(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return f'"{escaped}"'


def declarations(data: bytes, node: Node) -> dict[str, str]:
    """The namespace declarations written on ``node``'s start tag (``xmlns:v`` -> its URI)."""
    tag = data[node.start:node.open_end]
    out = {}
    for name, (start, end) in _attribute_spans(tag).items():
        if name == "xmlns" or name.startswith("xmlns:"):
            value = tag[start:end].split(b"=", 1)[1].strip()[1:-1]
            out[name] = value.decode().replace("&amp;", "&").replace("&quot;", '"')
    return out

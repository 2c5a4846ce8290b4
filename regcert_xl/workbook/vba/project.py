"""A VBA project (MS-OVBA) as streams: read one, change its modules, write it back.

Written the source-only way MS-OVBA describes for writers (2.3.4.1): every module's source
at offset 0 with no compiled p-code, and a version-independent ``_VBA_PROJECT`` stream, so
Office compiles the project from source when it opens it. The records before the module list
(project information and references) are kept as they were.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from regcert_xl.workbook.vba.compression import compress, decompress

VERSION_INDEPENDENT = bytes.fromhex("cc61ffff000100")



def _records(d: bytes):
    i = 0
    while i < len(d):
        rid, size = struct.unpack_from("<HI", d, i)
        if rid == 0x0009:  # PROJECTVERSION: Reserved(4)=4 but payload is 6 bytes
            size = 6
        yield rid, d[i + 6 : i + 6 + size]
        i += 6 + size


def _rec(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


STANDARD, CLASS_OR_DOC = 0x0021, 0x0022


@dataclass
class Module:
    name: str
    source: str  # full stream-form source incl. "Attribute VB_..." header, CRLF
    type_id: int = STANDARD  # 0x21 procedural, 0x22 document/class
    kind: str = "Module"  # PROJECT stream keyword: Module | Class | Document
    docstring: bytes = b""
    docstring_unicode: bytes = b""
    help_context: int = 0
    readonly: bool = False
    private: bool = False


@dataclass
class Project:
    info_and_refs: bytes  # raw dir records before PROJECTMODULES, kept verbatim
    code_page: int
    modules: list[Module] = field(default_factory=list)
    project_text: str = ""  # PROJECT stream text (decoded with code page)

    @property
    def encoding(self) -> str:
        return f"cp{self.code_page}"

    def module(self, name: str) -> Module:
        for m in self.modules:
            if m.name.lower() == name.lower():
                return m
        raise KeyError(name)

    # ---------------- reading ----------------
    @classmethod
    def from_streams(cls, streams: dict[str, bytes]) -> Project:
        """streams: {'PROJECT': ..., 'VBA/dir': ..., 'VBA/<stream>': ...}"""
        d = decompress(streams["VBA/dir"])
        code_page = 1252
        prefix = bytearray()
        mods_raw: list[dict] = []
        cur: dict | None = None
        in_modules = False
        for rid, payload in _records(d):
            if not in_modules:
                if rid == 0x0003:
                    (code_page,) = struct.unpack("<H", payload)
                if rid == 0x000F:  # PROJECTMODULES
                    in_modules = True
                    continue
                if rid == 0x0009:
                    prefix += struct.pack("<HI", rid, 4) + payload
                else:
                    prefix += _rec(rid, payload)
                continue
            if rid in (0x0013, 0x0010):  # PROJECTCOOKIE / dir terminator
                continue
            if rid == 0x0019:
                cur = {"rec": {}}
                mods_raw.append(cur)
            if cur is None:
                continue
            cur["rec"].setdefault(rid, payload)
        enc = f"cp{code_page}"
        text = streams["PROJECT"].decode(enc)
        kinds = {}
        for line in text.split("\r\n"):
            for kw in ("Module", "Class", "Document", "BaseClass"):
                if line.startswith(kw + "="):
                    kinds[line[len(kw) + 1 :].split("/")[0].lower()] = kw
        modules = []
        for m in mods_raw:
            r = m["rec"]
            name = r[0x0019].decode(enc)
            stream = r[0x001A].decode(enc)
            (offset,) = struct.unpack("<I", r[0x0031])
            raw = streams[f"VBA/{stream}"]
            source = decompress(raw[offset:]).decode(enc)
            modules.append(
                Module(
                    name=name,
                    source=source,
                    type_id=STANDARD if 0x0021 in r else CLASS_OR_DOC,
                    kind=kinds.get(name.lower(), "Module"),
                    docstring=r.get(0x001C, b""),
                    docstring_unicode=r.get(0x0048, b""),
                    help_context=struct.unpack("<I", r.get(0x001E, b"\0\0\0\0"))[0],
                    readonly=0x0025 in r,
                    private=0x0028 in r,
                )
            )
        return cls(bytes(prefix), code_page, modules, text)

    # ---------------- editing ----------------
    def remove_module(self, name: str) -> None:
        m = self.module(name)
        self.modules.remove(m)

    def add_standard_module(self, name: str, bas_text: str) -> Module:
        src = bas_text.replace("\r\n", "\n").replace("\n", "\r\n")
        if not src.startswith("Attribute VB_Name"):
            src = f'Attribute VB_Name = "{name}"\r\n' + src
        m = Module(name=name, source=src, type_id=STANDARD, kind="Module")
        self.modules.append(m)
        return m

    def add_document_module_like(self, name: str, template: str) -> Module:
        """New sheet document module, header copied from an existing one."""
        t = self.module(template)
        header = "\r\n".join(
            line.replace(f'"{t.name}"', f'"{name}"')
            for line in t.source.split("\r\n")
            if line.startswith("Attribute VB_")
        )
        m = Module(name=name, source=header + "\r\n", type_id=CLASS_OR_DOC, kind="Document")
        self.modules.append(m)
        return m

    # ---------------- writing ----------------
    def dir_stream(self) -> bytes:
        enc = self.encoding
        out = bytearray(self.info_and_refs)
        out += _rec(0x000F, struct.pack("<H", len(self.modules)))
        out += _rec(0x0013, struct.pack("<H", 0xFFFF))
        for m in self.modules:
            nb = m.name.encode(enc)
            nu = m.name.encode("utf-16-le")
            out += _rec(0x0019, nb) + _rec(0x0047, nu)
            out += _rec(0x001A, nb) + _rec(0x0032, nu)
            out += _rec(0x001C, m.docstring) + _rec(0x0048, m.docstring_unicode)
            out += _rec(0x0031, struct.pack("<I", 0))  # source starts at 0: no p-code
            out += _rec(0x001E, struct.pack("<I", m.help_context))
            out += _rec(0x002C, struct.pack("<H", 0xFFFF))
            out += _rec(m.type_id, b"")
            if m.readonly:
                out += _rec(0x0025, b"")
            if m.private:
                out += _rec(0x0028, b"")
            out += _rec(0x002B, b"")
        out += _rec(0x0010, b"")
        return compress(bytes(out))

    def project_stream(self) -> bytes:
        lines = self.project_text.split("\r\n")
        decl = ("Module=", "Class=", "Document=", "BaseClass=", "Package=")
        first = next(i for i, line in enumerate(lines) if line.startswith(decl))
        kept = [line for line in lines if not line.startswith(decl)]
        new_decl = []
        for m in self.modules:
            if m.kind == "Document":
                new_decl.append(f"Document={m.name}/&H00000000")
            else:
                new_decl.append(f"{m.kind}={m.name}")
        kept[first:first] = new_decl
        # [Workspace] section: one line per module (optional but conventional)
        if "[Workspace]" in kept:
            ws = kept.index("[Workspace]")
            body = [line for line in kept[ws + 1 :] if line]
            names = {line.split("=")[0].lower(): line for line in body}
            kept = kept[: ws + 1] + [
                names.get(m.name.lower(), f"{m.name}=0, 0, 0, 0, C") for m in self.modules
            ] + [""]
        return "\r\n".join(kept).encode(self.encoding)

    def projectwm_stream(self) -> bytes:
        out = bytearray()
        for m in self.modules:
            out += m.name.encode(self.encoding) + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
        return bytes(out + b"\0\0")

    def to_streams(self) -> dict[str, bytes]:
        s = {
            "PROJECT": self.project_stream(),
            "PROJECTwm": self.projectwm_stream(),
            # MS-OVBA 2.3.4.1: version-independent header, no PerformanceCache
            "VBA/_VBA_PROJECT": VERSION_INDEPENDENT,
            "VBA/dir": self.dir_stream(),
        }
        for m in self.modules:
            s[f"VBA/{m.name}"] = compress(m.source.encode(self.encoding))
        return s

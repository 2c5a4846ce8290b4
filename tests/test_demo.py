"""`regcert-xl demo`: the full workbook from the bundled samples, with their known numbers."""

import json

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from regcert_xl.cli import main
from regcert_xl.reports import SHEET_NAMES
from regcert_xl.samples import SAMPLES_DIR


def test_demo_builds_the_full_workbook(tmp_path):
    out = tmp_path / "demo.xlsx"
    result = CliRunner().invoke(main, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "300 learners" in result.stderr
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == list(SHEET_NAMES)
    sample = json.loads((SAMPLES_DIR / "sample.json").read_text())
    start = dict(r[:2] for r in book.get_sheet_by_name("Start").to_python() if len(r) > 1)
    assert start["As-of date"] == "23/11/2026" == "/".join(reversed(sample["as_of"].split("-")))
    assert start["Learners"] == "300"
    overview = book.get_sheet_by_name("Overview").to_python()
    assert len(overview) == 4 + 300  # title, note, blank, header + one row per learner
    qualifications = book.get_sheet_by_name("Qualifications").to_python()
    assert len(qualifications) == 1 + 1245
    issues = book.get_sheet_by_name("Issues").to_python()[4:]
    codes = {r[1] for r in issues}
    assert {"ULN_INVALID", "ULN_TEMPORARY", "ULN_REPAIRED", "DATE_INVALID", "DATE_ORDER", "DATE_IN_FUTURE",
            "STATUS_UNKNOWN", "STATUS_MISSING_FIELD", "DUPLICATE_RECORD", "ORPHAN_ASSESSMENT", "EPAO_ID_INVALID",
            "RESULT_WITHOUT_DATE", "UNKNOWN_COLUMN"} <= codes

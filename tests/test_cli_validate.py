import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from regcert_xl.cli import main
from tests.conftest import QUAL_HEADER, ULN_B, assessment, csv_text, qual, write_csv

ISSUE_KEYS = ["severity", "code", "sheet", "row", "column", "value", "message", "action"]


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_clean_file_exits_0(tmp_path):
    q = write_csv(tmp_path / "q.csv", [qual()], QUAL_HEADER)
    a = write_csv(tmp_path / "a.csv", [assessment()])
    result = run("validate", "-q", str(q), "-a", str(a), "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "no errors" in result.output


def test_windows_1252_semicolon_uk_dates_en_dashes(tmp_path):
    rows = [qual(Qualification="EPA Assessment – Knowledge Test", **{"Last Name": "Brontë"}),
            qual(ULN=ULN_B, Status="Void – Malpractice", **{"Last Name": "O’Neil"}),
            qual(ULN="1000000044", Qualification="EPA Assessment – Observation", Status="Achieved",
                 **{"Achieved Date": "04/15/2026"}),
            qual(Qualification="EPA Assessment – Observation", Status="Achieved",
                 **{"Achieved Date": "14/01/2026"})]
    path = tmp_path / "export.csv"
    path.write_bytes(csv_text(rows, QUAL_HEADER, sep=";").encode("cp1252"))
    result = run("validate", "-q", str(path), "--as-of", "2026-11-23", "--format", "json")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert [list(i) for i in issues] == [ISSUE_KEYS] * len(issues)
    assert {(i["row"], i["column"], i["code"]) for i in issues} == {
        (4, "uln", "ULN_INVALID"), (4, "achieved_date", "DATE_INVALID"),
        (5, "achieved_date", "DATE_ORDER")}
    assert {i["sheet"] for i in issues} == {"export.csv"}


def test_csv_format(tmp_path):
    q = write_csv(tmp_path / "q.csv", [qual(Status="Pending")], QUAL_HEADER)
    result = run("validate", "-q", str(q), "--as-of", "2026-11-23", "--format", "csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == ",".join(ISSUE_KEYS)
    assert "STATUS_UNKNOWN" in result.stdout


def test_settings_file_and_bad_setting(tmp_path):
    q = write_csv(tmp_path / "q.csv", [qual(Status="Pending")], QUAL_HEADER)
    good = tmp_path / "good.toml"
    good.write_text('[statuses.status_labels]\non_hold = ["Pending"]\n')
    assert run("validate", "-q", str(q), "--settings", str(good), "--as-of", "2026-11-23").exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text("due_soon_days = -3\n")
    result = run("validate", "-q", str(q), "--settings", str(bad))
    assert result.exit_code == 2
    assert "setting 'due_soon_days'" in result.stderr
    beside = tmp_path / "regcert.toml"
    beside.write_text("no_such_setting = 1\n")
    result = run("validate", "-q", str(q))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"regcert-xl: {beside}: setting 'no_such_setting' is not a setting"


def _zip_bomb(path):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    return path


UNUSABLE = {
    "missing file": lambda p: p / "nope.csv",
    "not a workbook": lambda p: (p / "x.xlsx", (p / "x.xlsx").write_bytes(b"hello" * 100))[0],
    "no recognisable columns": lambda p: (p / "x.csv", (p / "x.csv").write_text("A,B\n1,2\n"))[0],
    "broken JSON": lambda p: (p / "x.json", (p / "x.json").write_text('{"value": [{"ULN": '))[0],
    "package too large": lambda p: _zip_bomb(p / "bomb.xlsx"),
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_unusable_input_exits_2_with_one_line(tmp_path, case):
    path = UNUSABLE[case](tmp_path)
    proc = subprocess.run([sys.executable, "-m", "regcert_xl", "validate", "-q", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and path.name in lines[0], proc.stderr


def test_bad_as_of_date(tmp_path):
    q = write_csv(tmp_path / "q.csv", [qual()], QUAL_HEADER)
    result = run("validate", "-q", str(q), "--as-of", "31/02/2026")
    assert result.exit_code == 2
    assert "as-of date '31/02/2026' is not a date" in result.stderr

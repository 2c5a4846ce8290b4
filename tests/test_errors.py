"""The error model: user errors exit 2 with one line; bugs exit 3 and say where the details went."""

import os
import stat

import pytest
from click.testing import CliRunner

from regcert_xl import api, cli
from regcert_xl.cli import main
from regcert_xl.model.errors import (
    MissingInput,
    UserError,
    WorkbookError,
    one_line,
    write_crash_report,
)
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import SettingsError
from tests.conftest import QUAL_HEADER, qual, write_csv


def test_every_user_error_is_a_user_error_and_one_line():
    for error in (UnusableInput.file("x.csv", "broken\nacross lines"), SettingsError("bad\r\nsetting"),
                  MissingInput("give\nit"), WorkbookError("open")):
        assert isinstance(error, UserError)
        assert "\n" not in str(error) and "\r" not in str(error)
        assert error.exit_code == 2
    assert not issubclass(UserError, ValueError)  # a bug's ValueError is never taken for the user's mistake


def test_one_line_cuts_long_text():
    assert one_line("a\nb") == "a ⏎ b"
    assert len(one_line("x" * 5000, limit=100)) == 100


def test_user_error_exits_2_with_one_line(tmp_path):
    result = CliRunner().invoke(main, ["flags", "-q", str(tmp_path / "nope.csv"), "--as-of", "not a date"])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_as_of_is_a_user_error(tmp_path):
    q = write_csv(tmp_path / "q.csv", [qual()], QUAL_HEADER)
    result = CliRunner().invoke(main, ["flags", "-q", str(q), "--as-of", "31/02/2026"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "regcert-xl: as-of date '31/02/2026' is not a date; use yyyy-mm-dd or dd/mm/yyyy"


def test_a_bug_exits_3_and_says_where_the_details_are(tmp_path, monkeypatch):
    monkeypatch.setenv("REGCERT_CRASH_DIR", str(tmp_path / "crashes"))
    monkeypatch.delenv("REGCERT_DEBUG", raising=False)

    def broken(*args, **kwargs):
        raise ValueError("ULN 1000000043 broke an internal invariant")

    monkeypatch.setattr(api, "evaluate", broken)
    q = write_csv(tmp_path / "q.csv", [qual()], QUAL_HEADER)
    result = CliRunner().invoke(main, ["flags", "-q", str(q), "--as-of", "2026-11-23"])
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "bug" in line and "ValueError" in line
    assert "1000000043" not in line  # the exception's text (which may hold personal data) stays in the report
    reports = list((tmp_path / "crashes").iterdir())
    assert len(reports) == 1 and str(reports[0]) in line
    assert "ULN 1000000043 broke an internal invariant" in reports[0].read_text()
    if os.name == "posix":
        assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600


def test_crash_report_that_cannot_be_written_returns_none(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REGCERT_CRASH_DIR", str(blocker))
    assert write_crash_report(RuntimeError("x"), "flags") is None


def test_exit_codes_are_the_documented_ones():
    assert (cli.EXIT_OK, cli.EXIT_UNUSABLE, cli.EXIT_FAILED) == (0, 2, 3)


@pytest.mark.parametrize("exc", [KeyError("qualification"), TypeError("x"), ValueError("x")])
def test_programming_errors_are_not_user_errors(exc):
    assert not isinstance(exc, UserError)

"""Two commands on one workbook at once never lose work: the second waits for the first, or
refuses with one line naming who holds the workbook. Run with real processes that overlap."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from regcert_xl.cli import main
from regcert_xl.workbook import lock
from tests.conftest import ULN_C, write_csv
from tests.small_book import HEADER, QUALS, build_small

# A child process running the CLI. With "pause", the command stops after reading the workbook
# and before saving it until the other command has ended (or PAUSE_AT_MOST seconds went by).
CHILD = """
import os, sys, time
from pathlib import Path
from regcert_xl.jobs import in_place as job
from regcert_xl.workbook import lock
from regcert_xl.cli import main

mode, signals, args = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
if mode == "pause":
    original = job.rewrite

    def paused(*a, **k):
        (signals / "read").touch()
        deadline = time.monotonic() + float(os.environ["PAUSE_AT_MOST"])
        while not (signals / "other-done").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return original(*a, **k)

    job.rewrite = paused
lock.LOCK_WAIT_SECONDS = float(os.environ.get("LOCK_WAIT", lock.LOCK_WAIT_SECONDS))
main(args)
"""
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def book(tmp_path):
    return build_small(tmp_path, snapshot=False)


def newer_export(folder: Path) -> Path:
    """The export again with a third learner added."""
    added = dict(QUALS[0], ULN=ULN_C, **{"Learner Reference": "L003", "First Name": "Cy"})
    return write_csv(folder / "newer.csv", [*QUALS, added], HEADER)


def child(folder: Path, mode: str, args: list[str], **env: str) -> subprocess.Popen:
    script = folder / "child.py"
    script.write_text(CHILD)
    return subprocess.Popen([sys.executable, str(script), mode, str(folder), *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **env})


def wait_for(path: Path, process: subprocess.Popen) -> None:
    while not path.exists():
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)


def learner_refs(book: Path) -> list[str]:
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Qualifications").to_python()
    return sorted({str(r[0]) for r in rows[1:]})


def overlap(book: Path, pause_at_most: str, lock_wait: str) -> tuple[subprocess.Popen, subprocess.Popen, str, str]:
    """A refresh that has read the workbook and not saved it yet, and an import started meanwhile."""
    folder = book.parent
    first = child(folder, "pause", ["refresh", str(book), "--no-snapshot"], PAUSE_AT_MOST=pause_at_most)
    wait_for(folder / "read", first)
    second = child(folder, "run", ["import", str(book), "-q", str(newer_export(folder))], LOCK_WAIT=lock_wait)
    _, second_err = second.communicate(timeout=300)
    (folder / "other-done").touch()
    _, first_err = first.communicate(timeout=300)
    return first, second, first_err, second_err


def test_an_import_during_a_refresh_waits_for_it_and_both_are_kept(book):
    first, second, first_err, second_err = overlap(book, pause_at_most="5", lock_wait="300")
    assert (first.returncode, second.returncode) == (0, 0), (first_err, second_err)
    assert learner_refs(book) == ["L001", "L002", "L003"]  # the import was not undone by the refresh
    assert not lock.lock_path(book).exists()


def test_an_import_during_a_refresh_refuses_with_one_line_naming_the_holder(book):
    first, second, first_err, second_err = overlap(book, pause_at_most="300", lock_wait="0.5")
    assert first.returncode == 0, first_err
    assert second.returncode == 2
    assert second_err.count("\n") == 1
    assert second_err.startswith(f"regcert-xl: small.xlsx is being updated by another regcert-xl command "
                                 f"(process {first.pid} on {socket.gethostname()} since ")
    assert second_err.endswith("): try again when it has finished (if none is running, "
                               "delete .~regcert-small.xlsx.lock beside it)\n")
    assert learner_refs(book) == ["L001", "L002"]  # refused, so the admin knows it is not in
    assert not lock.lock_path(book).exists()


def test_a_lock_left_by_a_process_that_died_is_taken_over(book):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock.lock_path(book).write_text(lock.Holder(int(dead.stdout), socket.gethostname(), "2026-01-01T09:00:00").text())
    result = CliRunner().invoke(main, ["refresh", str(book), "--no-snapshot"])
    assert result.exit_code == 0, result.output
    assert not lock.lock_path(book).exists()


def test_a_live_lock_from_another_computer_is_honoured(book, monkeypatch):
    monkeypatch.setattr(lock, "LOCK_WAIT_SECONDS", 0)
    lock.lock_path(book).write_text(lock.Holder(1, "OFFICE-PC", "2026-01-01T09:00:00").text())
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["import", str(book), "-q", str(newer_export(book.parent))])
    assert result.exit_code == 2
    assert result.stderr == ("regcert-xl: small.xlsx is being updated by another regcert-xl command (process 1 on "
                             "OFFICE-PC since 2026-01-01 09:00:00): try again when it has finished (if none is "
                             "running, delete .~regcert-small.xlsx.lock beside it)\n")
    assert book.read_bytes() == before
    assert lock.lock_path(book).exists()  # not ours to remove


def test_the_lock_is_shared_by_every_route_to_the_workbook(book):
    link = book.with_name("link.xlsx")
    link.symlink_to(book)
    assert lock.lock_path(link) == lock.lock_path(book) == book.with_name(".~regcert-small.xlsx.lock")
    with (lock.workbook_lock(book), pytest.raises(lock.WorkbookError, match="being updated by another"),
          lock.workbook_lock(link, wait=0)):
        pass


def test_the_excel_buttons_wait_for_a_command_working_on_the_same_file(tmp_path, monkeypatch):
    import xlwings as xw

    from regcert_xl import xl
    from tests import xlwings_standin as standin

    path = build_small(tmp_path, "small.xlsm", snapshot=False)
    fake = standin.Book(path)
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: fake))
    monkeypatch.setattr(lock, "LOCK_WAIT_SECONDS", 0)
    lock.lock_path(path).write_text(lock.Holder(1, "OFFICE-PC", "2026-01-01T09:00:00").text())
    for button in (xl.refresh, xl.import_export):
        button()
        prompt, options = fake.app.alerts[-1]
        assert options["mode"] == "critical"
        assert prompt.startswith("small.xlsm is being updated by another regcert-xl command (process 1 on OFFICE-PC")
    assert not [t for s in fake.sheets for t in s.tables if t.updates]

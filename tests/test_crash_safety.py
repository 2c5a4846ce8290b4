"""Crash safety: a refresh killed (SIGKILL, no clean-up possible) at random moments while it
saves never leaves a damaged workbook. After every kill the workbook is, byte for byte, either
the version before the refresh or the finished new one; the .bak beside it, when there is one,
is the version before; and the workbook opens and reads."""

import datetime as dt
import multiprocessing
import os
import random
import shutil
import signal
import time
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from regcert_xl import api
from regcert_xl.samples import demo_inputs

REFRESHED = dt.datetime(2026, 11, 23, 10, 0)
RUNS = 60


def refresh_and_report(book: str, connection) -> None:
    """The child: refresh, telling the parent when the save starts and when it is done."""

    class Report:
        def update(self, message: str, fraction: float) -> None:
            if message == "Saving":
                connection.send(("saving", time.perf_counter()))

    api.refresh_workbook(book, as_of="2026-11-23", snapshot=False, refreshed=REFRESHED, progress=Report())
    connection.send(("done", time.perf_counter()))


def run_child(book, kill_after: float | None):
    """Refresh ``book`` in a fresh process; with ``kill_after``, kill it that many seconds into
    the save. Returns how long the save took when it was let finish."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=refresh_and_report, args=(str(book), child))
    process.start()
    assert parent.poll(120), "the refresh never reached its save"
    _, saving_at = parent.recv()
    if kill_after is not None:
        time.sleep(kill_after)
        os.kill(process.pid, signal.SIGKILL)
        process.join(30)
        return None
    assert parent.poll(120)
    _, done_at = parent.recv()
    process.join(30)
    assert process.exitcode == 0
    return done_at - saving_at


def readable(book) -> bool:
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Qualifications").to_python()
    return len(rows) > 1


@pytest.mark.slow
def test_killing_a_refresh_mid_save_never_damages_the_workbook(tmp_path):
    quals, assessments, as_of = demo_inputs()
    original = tmp_path / "original.xlsx"
    api.build_workbook(quals, assessments, output=original, as_of="2026-11-20", snapshot=False, refreshed=REFRESHED)
    before = original.read_bytes()
    book, backup = tmp_path / "RegCert.xlsx", tmp_path / "RegCert.xlsx.bak"
    shutil.copyfile(original, book)
    save_seconds = run_child(book, None)  # a whole refresh: the reference new version
    after = book.read_bytes()
    assert after != before and backup.read_bytes() == before

    rng = random.Random(20261123)
    outcomes = {"before": 0, "after": 0}
    for _ in range(RUNS):
        shutil.copyfile(original, book)
        backup.unlink(missing_ok=True)
        run_child(book, rng.uniform(0, save_seconds * 1.2))
        now = book.read_bytes()
        assert now in (before, after), "the workbook is neither the old nor the new version"
        outcomes["before" if now == before else "after"] += 1
        if backup.exists():
            assert backup.read_bytes() == before
        if now == after:
            assert backup.exists(), "the new version is in place but the previous one was not kept"
        assert readable(book)
    # the kills landed on both sides of the moment the new file takes the old one's place
    assert outcomes["before"] > 0 and outcomes["after"] > 0, outcomes

"""The Excel buttons find and save the history as the command line does (jobs/history.py): no
store is made until a snapshot is saved, and the store a workbook names is the one they use."""

import datetime as dt

from regcert_xl import api, excel_bridge
from regcert_xl.jobs.settings import workbook_settings
from tests.small_book import build_small

NOW = dt.datetime(2026, 11, 30, 9, 0)


def test_a_button_makes_no_store_until_its_snapshot_is_saved(tmp_path):
    book = build_small(tmp_path, snapshot=False)
    store = tmp_path / "small.xlsx.history.sqlite"
    assert not store.exists()
    settings = workbook_settings(book)
    history = excel_bridge.history_for(str(book), settings)
    assert history is not None and not store.exists()  # a failing button would leave nothing
    ev = api.evaluate(tmp_path / "q.csv", tmp_path / "a.csv", as_of="2026-11-23")
    excel_bridge.save_snapshot(history, ev, "refresh", str(book))
    assert store.exists()
    assert store.stat().st_size > 0


def test_a_button_uses_the_store_the_command_line_made(tmp_path):
    book = build_small(tmp_path)
    store = tmp_path / "small.xlsx.history.sqlite"
    assert store.exists()
    history = excel_bridge.history_for(str(book), workbook_settings(book))
    assert history.url.endswith(store.name)


def test_a_workbook_never_saved_has_no_store(tmp_path):
    assert excel_bridge.history_for(None, workbook_settings(None)) is None

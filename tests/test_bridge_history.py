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


def test_a_button_and_the_learner_command_evaluate_a_workbook_alike_with_its_history(tmp_path):
    """One evaluation of a workbook's records in place (jobs.evaluating.evaluate_in_place): the
    Excel buttons and `learner --book` see the same flags, dated from the same store."""
    import pandas as pd

    from regcert_xl.jobs.learner import workbook_evaluation
    from regcert_xl.reports import flag_list
    from regcert_xl.workbook.manifest import workbook_manifest
    from tests.test_history import DAY1, DAY2, day1, day2, export

    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(export(tmp_path, "d1.csv", day1()), output=book, as_of=DAY1)
    api.import_export(book, export(tmp_path, "d2.csv", day2()), as_of=DAY2)
    settings = workbook_settings(book)
    tables = pd.read_excel(book, sheet_name=["Qualifications"], engine="calamine")
    button = excel_bridge.evaluate(tables, workbook_manifest(book).generated, settings, as_of="2026-11-01",
                                   history=excel_bridge.history_for(str(book), settings))
    command = workbook_evaluation(book, None, "2026-11-01", None, None)
    assert button.history.store == command.history.store == f"sqlite:///{tmp_path / 'RegCert.xlsx.history.sqlite'}"
    shown = ["uln", "qualification", "status", "flag", "due_date"]
    pd.testing.assert_frame_equal(flag_list.build(button)[shown], flag_list.build(command)[shown])
    chase = flag_list.build(button).query("flag == 'CERTIFICATE_OVERDUE'")
    assert chase["due_date"].tolist() == [pd.Timestamp("2026-10-23")]  # dated from when the store first saw the claim

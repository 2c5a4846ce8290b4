"""History (§7) and the round trip (§8): three exports over time into one workbook."""

import csv
import datetime as dt
import multiprocessing

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from regcert_xl import api
from regcert_xl.history import store as store_module
from regcert_xl.model.settings import UPLOAD_COLUMNS_DEFAULT
from tests.conftest import ULN_B, qual, write_csv
from tests.small_book import HEADER

ANN = {"Qualification Number": "ST0384-KT"}
BO = {"ULN": ULN_B, "Learner Reference": "L002", "First Name": "Bo", "Last Name": "Jones",
      "Qualification Number": "ST0384-KT"}
DAY1, DAY2, DAY3 = "2026-10-01", "2026-10-02", "2026-11-01"


def day1():
    return [qual(**ANN, Status="Achieved", **{"Achieved Date": "20/09/2026"}), qual(**BO)]


def day2():  # Ann's certificate claimed (the export has no claimed date); Bo at gateway
    return [qual(**ANN, Status="Certificate Claimed", **{"Achieved Date": "20/09/2026"}),
            qual(**BO, Status="Gateway Reached")]


def day3():  # no change for Ann; Bo moved back to Registered
    return [qual(**ANN, Status="Certificate Claimed", **{"Achieved Date": "20/09/2026"}), qual(**BO)]


def export(tmp_path, name, rows):
    return write_csv(tmp_path / name, rows, HEADER)


def rows_of(book, sheet):
    return CalamineWorkbook.from_path(str(book)).get_sheet_by_name(sheet).to_python()


@pytest.fixture
def timeline(tmp_path, store_url):
    """A workbook built on day 1, then the day 2 and day 3 exports imported."""
    book = tmp_path / "RegCert.xlsx"
    evs = {DAY1: api.build_workbook(export(tmp_path, "d1.csv", day1()), output=book, as_of=DAY1, store=store_url)}
    evs[DAY2] = api.import_export(book, export(tmp_path, "d2.csv", day2()), as_of=DAY2, store=store_url)[0]
    evs[DAY3] = api.import_export(book, export(tmp_path, "d3.csv", day3()), as_of=DAY3, store=store_url)[0]
    return book, store_url, evs


def test_three_snapshots_backward_move_and_dates_from_history(timeline):
    book, url, evs = timeline
    day3 = evs[DAY3]
    moves = day3.issues[day3.issues["code"] == "TRANSITION_BACKWARD"]
    assert moves["message"].tolist() == ["Status moved back from Gateway Reached to Registered since the previous export"]
    assert moves["row"].tolist() == [3]
    # Ann's claim was first seen on day 2 (the export never had a claimed date): 30 days on, overdue
    ann = day3.records.iloc[0]
    assert ann["flag"] == "CERTIFICATE_OVERDUE"
    assert ann["due_date"] == pd.Timestamp("2026-10-23") and ann["days_overdue"] == 9
    history = rows_of(book, "Status History")[3:]
    assert [r[3:6] for r in history] == [
        ["Gateway Reached", "Registered", dt.date(2026, 11, 1)],
        ["Registered", "Gateway Reached", dt.date(2026, 10, 2)],
        ["Achieved", "Certificate Claimed", dt.date(2026, 10, 2)]]
    snapshots = store_module.snapshot_list(store_module.open_store(url))
    assert snapshots["kind"].tolist() == ["build", "import", "import"]


def test_as_at_rebuild_equals_that_days_workbook(timeline, tmp_path):
    book, url, evs = timeline
    rebuilt = api.build_workbook(None, output=tmp_path / "asat.xlsx", as_at=DAY2, store=url)
    columns = ["uln", "qualification", "status", "flag", "rag", "action", "due_date", "days_overdue", "owner", "flags"]
    pd.testing.assert_frame_equal(rebuilt.records[columns].reset_index(drop=True),
                                  evs[DAY2].records[columns].reset_index(drop=True))
    assert rebuilt.as_of == pd.Timestamp(DAY2)
    start = dict(r[:2] for r in rows_of(tmp_path / "asat.xlsx", "Start") if len(r) > 1)
    assert start["As-of date"] == "02/10/2026"


def test_snapshot_is_idempotent(timeline):
    book, url, _ = timeline
    before = len(store_module.snapshot_list(store_module.open_store(url)))
    assert api.snapshot(book, store=url, as_of=DAY3).snapshot is None
    assert len(store_module.snapshot_list(store_module.open_store(url))) == before


def test_import_keeps_local_column_and_edit_and_reports_conflict(tmp_path, store_url):
    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(export(tmp_path, "d1.csv", day1()), output=book, as_of=DAY1, store=store_url)
    wb = openpyxl.load_workbook(book)
    q = wb["Qualifications"]
    q.cell(row=1, column=q.max_column + 1, value="Our Note")  # a local column
    q.cell(row=2, column=q.max_column, value="phone Ann's manager")
    q["N2"] = "R-LOCAL"  # a local edit the export will not touch
    q["J3"] = "Registered"  # Bo: a local edit...
    q["M3"] = dt.datetime(2026, 10, 1)
    wb.save(book)
    newer = day1()
    newer[1].update({"Registration Date": "03/10/2026"})  # ...that the export changes too
    ev, merged = api.import_export(book, export(tmp_path, "d2.csv", newer), as_of=DAY2, store=store_url)
    rows = rows_of(book, "Qualifications")
    header = rows[0]
    assert "Our Note" in header
    assert rows[1][header.index("Our Note")] == "phone Ann's manager"
    assert rows[1][header.index("Registration Number")] == "R-LOCAL"
    assert rows[2][header.index("Registration Date")] == dt.date(2026, 10, 3)  # the export overtook the edit
    assert merged.conflicts[["field", "workbook_value", "export_value"]].values.tolist() == [
        ["Registration Date", "2026-10-01", "2026-10-03"]]
    changes = rows_of(book, "Changes")[3:]
    conflict = [r for r in changes if r[6].startswith("Conflict")]
    assert [r[:6] for r in conflict] == [["Bo Jones", ULN_B, "EPA Assessment – Knowledge Test", "Registration Date",
                                          "2026-10-03", "2026-10-01"]]
    local = [r[3:6] for r in changes if r[6] == "Changed in the workbook"]
    assert ["Registration Number", "R-1", "R-LOCAL"] in local


def test_upload_file_columns_and_round_trip(tmp_path, store_url):
    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(export(tmp_path, "d1.csv", day1()), output=book, as_of=DAY1, store=store_url)
    wb = openpyxl.load_workbook(book)
    q = wb["Qualifications"]
    q["J2"] = "Certificate Claimed"
    q["Q2"] = dt.datetime(2026, 9, 25)
    q["W2" if q["W1"].value == "Postal Tracking Ref" else "T2"] = None
    q["J3"] = "Registration pending"  # an unknown status: kept out of the upload
    wb.save(book)
    files, kept_out = api.upload_file(book, tmp_path / "upload", store=store_url)
    assert [f.name for f in files] == ["upload-1.csv"]
    with files[0].open(encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == UPLOAD_COLUMNS_DEFAULT
    assert lines[1:] == [["ST0384-KT", "1000000043", "Certificate Claimed", "15/01/2026", "R-1", "20/09/2026",
                          "25/09/2026", "", "", ""]]
    assert kept_out["Reason"].str.startswith("Status 'Registration pending' is not recognised").tolist() == [True]
    report = api.validate(files[0], as_of=DAY2)
    assert report.counts["error"] == 0
    assert set(report.issues["code"]) <= {"STATUS_MISSING_FIELD"}  # (the upload carries no certificate dates it lacks)


def test_upload_is_split_under_the_size_limit(tmp_path):
    from regcert_xl.roundtrip.upload import write_upload

    frame = pd.DataFrame({"Qualification Number": [f"Q{i:05d}" for i in range(3000)], "Status": "=Registered"})
    files = write_upload(frame, tmp_path, max_bytes=10_000)
    assert len(files) > 5 and all(f.stat().st_size < 10_000 for f in files)
    back = pd.concat([pd.read_csv(f, dtype=str) for f in files], ignore_index=True)
    assert back["Qualification Number"].tolist() == frame["Qualification Number"].tolist()
    assert set(back["Status"]) == {"'=Registered"}


def _snapshot_many(url, who, n):
    import regcert_xl.history.store as s

    engine = s.open_store(url)
    for i in range(n):
        rows = pd.DataFrame({"identity": [f"{who}-{i}", "shared"], "content_hash": [f"{i:016x}", f"{who}{i:015x}"],
                             "status": ["Registered", "Registered"], "data": ["{}", "{}"]})
        s.save(engine, {"qualifications": rows}, as_of=dt.date(2026, 10, 1), kind="refresh", source=who,
               columns={"qualifications": []})


def test_two_users_snapshotting_at_once_do_not_corrupt_the_store(store_url):
    store_module.open_store(store_url)
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_snapshot_many, args=(store_url, who, 8)) for who in ("alice", "bob")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    engine = store_module.open_store(store_url)
    with engine.connect() as conn:
        versions = pd.read_sql("select identity, ended_snapshot from regcert_versions", conn)
    open_versions = versions[versions["ended_snapshot"].isna()]
    assert not open_versions["identity"].duplicated().any()
    assert len(store_module.snapshot_list(engine)) == 16


def test_store_from_a_newer_regcert_is_refused(store_url):
    from sqlalchemy import update

    from regcert_xl.model.issues import UnusableInput

    engine = store_module.open_store(store_url)
    with engine.begin() as conn:
        conn.execute(update(store_module.meta).values(value="99"))
    with pytest.raises(UnusableInput, match="written by a newer regcert-xl"):
        store_module.open_store(store_url)


def test_sqlite_store_is_private(tmp_path):
    import stat

    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(export(tmp_path, "d1.csv", day1()), output=book, as_of=DAY1)
    history = tmp_path / "RegCert.xlsx.history.sqlite"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600


def test_not_in_export_flag(tmp_path, store_url):
    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(export(tmp_path, "d1.csv", day1()), output=book, as_of=DAY1, store=store_url)
    ev, merged = api.import_export(book, export(tmp_path, "d2.csv", day1()[:1]), as_of=DAY2, store=store_url)
    assert merged.missing == 1
    assert ev.records["flags"].tolist()[1].split(", ")[0] == "NOT_IN_EXPORT"
    assert ev.records.iloc[1]["rag"] == "AMBER"



@pytest.mark.parametrize("local", [["call back", "ring Fri"], [3, "ring Fri"], [None, None]])
def test_stored_rows_read_back_as_the_same_records(tmp_path, local):
    """Text, dates (leap day), blanks and an admin's own column — text, numbers and text mixed,
    or empty — come back from the store exactly as they went in."""
    from regcert_xl.history.records import from_rows, to_rows
    from regcert_xl.model.settings import Settings
    from regcert_xl.read import read_table

    rows = [qual(**ANN, **{"Start Date": "29/02/2024", "Our Note": local[0]}),
            qual(**BO, **{"Registration Date": "", "Our Note": local[1]})]
    path = write_csv(tmp_path / "q.csv", rows, [*HEADER, "Our Note"])
    settings = Settings()
    table = read_table(path, "qualifications", settings)
    stored, headers = to_rows(table)
    back = from_rows(stored, headers, "qualifications", settings, "Stored")
    # the same content hash as stores written before hashing moved to Arrow (no spurious new versions)
    legacy = pd.util.hash_pandas_object(stored["data"].astype(object), index=False).map("{:016x}".format)
    assert stored["content_hash"].tolist() == legacy.tolist()
    pd.testing.assert_frame_equal(back.data, table.data)
    assert back.data["start_date"].tolist()[0] == pd.Timestamp("2024-02-29")
    assert [str(v) for v in back.extras.iloc[:, -1].tolist()] == [str(v) for v in table.extras.iloc[:, -1].tolist()]


def test_stored_rows_mixing_numbers_and_text_in_a_column_are_read():
    from regcert_xl.history.records import read_lines

    frame = read_lines(pd.Series(['{"Note":3,"Start":"2024-02-29T00:00:00.000"}', '{"Note":"ring Fri","Start":null}']))
    assert frame["Note"].tolist() == [3, "ring Fri"]
    assert frame["Start"].tolist()[0] == "2024-02-29T00:00:00.000" and pd.isna(frame["Start"].tolist()[1])


def test_a_build_stores_its_export_once_and_later_exports_follow(tmp_path, store_url):
    from regcert_xl.history.service import History
    from regcert_xl.model.settings import Settings

    def open_versions():
        with store_module.open_store(store_url).connect() as conn:
            frame = pd.read_sql("select stream from regcert_versions where ended_snapshot is null", conn)
        return frame["stream"].value_counts().to_dict()

    def export_statuses():
        return History.open(store_url).view(Settings()).export.data["status"].tolist()

    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(export(tmp_path, "d1.csv", day1()), output=book, as_of=DAY1, store=store_url)
    assert open_versions() == {"qualifications": 2}  # the export is those same records, not stored twice
    assert export_statuses() == ["Achieved", "Registered"]
    api.import_export(book, export(tmp_path, "d2.csv", day2()), as_of=DAY2, store=store_url)
    assert open_versions() == {"qualifications": 2, "export": 2}
    assert export_statuses() == ["Certificate Claimed", "Gateway Reached"]
    api.build_workbook(export(tmp_path, "d3.csv", day3()), output=book, as_of=DAY3, store=store_url, force=True)
    assert open_versions() == {"qualifications": 2}
    assert export_statuses() == ["Certificate Claimed", "Registered"]

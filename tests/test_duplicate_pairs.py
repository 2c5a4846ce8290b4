"""A learner × qualification pair that the export lists twice is compared with the previous
snapshot occurrence by occurrence: building again from the same exports reports no move, adds
no Status History row and no Changes row (the duplicate itself is still reported)."""

from python_calamine import CalamineWorkbook

from regcert_xl import api
from tests.conftest import ULN_B, qual, write_csv
from tests.small_book import HEADER

BO = {"ULN": ULN_B, "Learner Reference": "L002", "First Name": "Bo", "Last Name": "Jones"}
ROWS = [qual(Status="Achieved", **{"Achieved Date": "20/09/2026", "Qualification Number": "ST0384-KT"}),
        qual(**BO, Status="Gateway Reached"),
        qual(**BO, Status="Not Registered", **{"Registration Date": "", "Registration Number": ""})]  # the pair again


def table_rows(book, sheet: str, header: str) -> list[list]:
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(sheet).to_python()
    start = next(i for i, r in enumerate(rows) if r and r[0] == header)
    return [r for r in rows[start + 1:] if any(v not in ("", None) for v in r)]


def test_building_twice_from_exports_with_a_duplicate_pair_changes_nothing(tmp_path):
    export = write_csv(tmp_path / "q.csv", ROWS, HEADER)
    book = tmp_path / "RegCert.xlsx"
    first = api.build_workbook(export, output=book, as_of="2026-11-23", force=True)
    history_before = table_rows(book, "Status History", "Learner")
    changes_before = table_rows(book, "Changes", "Learner")
    codes_before = sorted(first.issues["code"])
    for _ in range(2):
        again = api.build_workbook(export, output=book, as_of="2026-11-23", force=True)
        assert sorted(again.issues["code"]) == codes_before
        assert "TRANSITION_BACKWARD" not in set(again.issues["code"])
        assert table_rows(book, "Status History", "Learner") == history_before
        assert table_rows(book, "Changes", "Learner") == changes_before
    assert "DUPLICATE_RECORD" in codes_before and changes_before == [] and history_before == []


def test_a_real_move_of_the_second_of_a_pair_is_still_seen(tmp_path):
    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(write_csv(tmp_path / "q1.csv", ROWS, HEADER), output=book, as_of="2026-11-23", force=True)
    moved = [*ROWS[:2], qual(**BO, Status="Registered")]
    ev = api.build_workbook(write_csv(tmp_path / "q2.csv", moved, HEADER), output=book, as_of="2026-11-24", force=True)
    assert "TRANSITION_BACKWARD" not in set(ev.issues["code"])
    history = table_rows(book, "Status History", "Learner")
    assert [(r[3], r[4]) for r in history] == [("Not Registered", "Registered")]

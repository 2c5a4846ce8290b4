"""Adding a field is one row in regcert_xl/model/fields.py: the readers match its spellings, parse
and check its kind, the workbook shows it under its label, and a setting can alias it."""

import pytest
from python_calamine import CalamineWorkbook

from regcert_xl import api
from regcert_xl.model import fields
from regcert_xl.model.fields import F, Kind
from tests.conftest import QUAL_HEADER, qual, write_csv

NEW_FIELD = F("funding_end_date", "Funding End Date", Kind.DATE, "Funded Until")


@pytest.fixture
def with_new_field(monkeypatch):
    monkeypatch.setitem(fields.FIELDS_BY_RECORD, "qualifications", (*fields.QUALIFICATION_FIELDS, NEW_FIELD))


def test_a_new_field_row_is_read_checked_and_shown(with_new_field, tmp_path):
    rows = [qual(**{"Funded Until": "31/07/2027"}), qual(**{"Funded Until": "31/02/2027"})]
    path = write_csv(tmp_path / "q.csv", rows, [*QUAL_HEADER, "Funded Until"])
    ev = api.evaluate(path, as_of="2026-11-23")
    frame = ev.context.qualifications.data
    assert str(frame["funding_end_date"].iloc[0])[:10] == "2027-07-31"
    bad = ev.issues.query("code == 'DATE_INVALID'")
    assert bad[["row", "column"]].values.tolist() == [[3, "funding_end_date"]]

    out = tmp_path / "book.xlsx"
    api.build_workbook(path, output=out, as_of="2026-11-23", snapshot=False)
    header = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Qualifications").to_python()[0]
    assert "Funded Until" in header or "Funding End Date" in header


def test_without_the_row_the_column_is_carried_as_the_users_own(tmp_path):
    path = write_csv(tmp_path / "q.csv", [qual(**{"Funded Until": "31/02/2027"})], [*QUAL_HEADER, "Funded Until"])
    ev = api.evaluate(path, as_of="2026-11-23")
    assert "funding_end_date" not in ev.context.qualifications.data
    assert ev.issues.query("code == 'DATE_INVALID'").empty

import xlsxwriter

from regcert_xl import api
from tests.conftest import AS_OF, QUAL_HEADER, ULN_A, found, qual


def test_epao_id_format(check):
    header = [*QUAL_HEADER, "EPAO ID"]
    issues = check([qual(**{"EPAO ID": "EPA0123"}), qual(**{"EPAO ID": "EPA12"}), qual(**{"EPAO ID": "epa0123"}),
                    qual(**{"EPAO ID": ""}), qual(**{"EPAO ID": "EPA01234"})], q_header=header)
    assert found(issues, codes={"EPAO_ID_INVALID"}) == {
        (3, "epao_id", "EPAO_ID_INVALID"), (4, "epao_id", "EPAO_ID_INVALID"), (6, "epao_id", "EPAO_ID_INVALID")}
    assert set(issues[issues["code"] == "EPAO_ID_INVALID"]["severity"]) == {"warning"}


def test_ukprn_is_an_epao_id_from_2026_27(check):
    """From 2026-27 the Assessment organisation ID may be the organisation's 8-digit UKPRN
    (10000000–19999999)."""
    header = [*QUAL_HEADER, "EPAO ID"]
    ids = ["10012345", "19999999", "10000000", "20012345", "1001234", "100123456", "00012345", "UKPRN10012345"]
    issues = check([qual(**{"EPAO ID": v}) for v in ids], q_header=header)
    rows = issues[issues["code"] == "EPAO_ID_INVALID"]
    assert sorted(zip(rows["row"].astype(int), rows["value"], strict=True)) == [
        (5, "20012345"), (6, "1001234"), (7, "100123456"), (8, "00012345"), (9, "UKPRN10012345")]
    assert rows["message"].iloc[0] == ("EPAO ID '20012345' is neither EPA followed by four digits (e.g. EPA0123) "
                                       "nor an 8-digit UKPRN (e.g. 10012345)")


def test_ukprn_typed_as_a_number_in_excel(tmp_path):
    path = tmp_path / "q.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Qualifications")
    sheet.write_row(0, 0, ["ULN", "Qualification", "Status", "EPAO ID"])
    sheet.write_row(1, 0, [ULN_A, "KT", "Not Registered", 10012345])
    book.close()
    issues = api.validate(path, as_of=AS_OF).issues
    assert found(issues, codes={"EPAO_ID_INVALID"}) == set()

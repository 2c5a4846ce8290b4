from tests.conftest import QUAL_HEADER, found, qual


def test_missing_required_columns_named_with_headers_found(check):
    header = [h for h in QUAL_HEADER if h != "Status"]
    issues = check([qual()], q_header=header)
    assert found(issues, codes={"MISSING_COLUMN"}) == {(1, "status", "MISSING_COLUMN")}
    message = issues.loc[issues["code"] == "MISSING_COLUMN", "message"].iloc[0]
    assert message.startswith("No Status column. Headers found: Learner Reference, ULN")


def test_no_identity_column(check):
    header = [h for h in QUAL_HEADER if h not in ("ULN", "Learner Reference")]
    issues = check([qual()], q_header=header)
    assert found(issues, codes={"MISSING_COLUMN"}) == {(1, "uln", "MISSING_COLUMN")}


def test_unknown_and_duplicate_columns(check):
    header = [*QUAL_HEADER, "Funding Band", "Qualification Status"]
    issues = check([qual(**{"Funding Band": "A", "Qualification Status": "Achieved"})], q_header=header)
    assert found(issues, codes={"UNKNOWN_COLUMN", "COLUMN_DUPLICATE"}) == {
        (1, None, "UNKNOWN_COLUMN"), (1, "status", "COLUMN_DUPLICATE")}
    dup = issues[issues["code"] == "COLUMN_DUPLICATE"].iloc[0]
    assert dup["severity"] == "warning"
    assert "the first ('Status') is used" in dup["message"]

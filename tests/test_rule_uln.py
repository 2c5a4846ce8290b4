from tests.conftest import ULN_B, found, qual


def test_uln_codes_with_exact_rows(check):
    issues = check([
        qual(),                                        # 2 fine
        qual(ULN="1000000044"),                        # 3 check digit
        qual(ULN="0123456789"),                        # 4 starts with 0
        qual(ULN="12345"),                             # 5 too short
        qual(ULN="9999999999"),                        # 6 temporary
        qual(ULN="1.000000043E9", Qualification="Q2"),  # 7 repaired
        qual(ULN=f"{ULN_B}.0", Qualification="Q3"),      # 8 repaired
        qual(ULN="1.00E+09"),                           # 9 digits lost
        qual(ULN="ABC1234567"),                         # 10 not digits
    ])
    assert found(issues, codes={"ULN_INVALID", "ULN_TEMPORARY", "ULN_REPAIRED"}) == {
        (3, "uln", "ULN_INVALID"), (4, "uln", "ULN_INVALID"), (5, "uln", "ULN_INVALID"),
        (6, "uln", "ULN_TEMPORARY"), (7, "uln", "ULN_REPAIRED"), (8, "uln", "ULN_REPAIRED"),
        (9, "uln", "ULN_INVALID"), (10, "uln", "ULN_INVALID")}
    by_row = issues.set_index("row")
    assert "starts with 0" in by_row.loc[4, "message"]
    assert "has 5 digits" in by_row.loc[5, "message"]
    assert by_row.loc[6, "severity"] == "warning"
    assert by_row.loc[7, "severity"] == "info"
    assert "repaired to 1000000043" in by_row.loc[7, "message"]

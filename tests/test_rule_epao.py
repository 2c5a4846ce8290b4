from tests.conftest import QUAL_HEADER, found, qual


def test_epao_id_format(check):
    header = [*QUAL_HEADER, "EPAO ID"]
    issues = check([qual(**{"EPAO ID": "EPA0123"}), qual(**{"EPAO ID": "EPA12"}), qual(**{"EPAO ID": "epa0123"}),
                    qual(**{"EPAO ID": ""}), qual(**{"EPAO ID": "EPA01234"})], q_header=header)
    assert found(issues, codes={"EPAO_ID_INVALID"}) == {
        (3, "epao_id", "EPAO_ID_INVALID"), (4, "epao_id", "EPAO_ID_INVALID"), (6, "epao_id", "EPAO_ID_INVALID")}
    assert set(issues[issues["code"] == "EPAO_ID_INVALID"]["severity"]) == {"warning"}

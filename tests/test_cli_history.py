"""The history and round-trip verbs from the command line."""

import json

from click.testing import CliRunner

from regcert_xl.cli import main
from tests.test_history import DAY1, DAY2, day1, day2, export


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_build_import_snapshot_upload_and_as_at(tmp_path):
    book = tmp_path / "RegCert.xlsx"
    store = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert run("build", "-q", export(tmp_path, "d1.csv", day1()), "-o", book, "--as-of", DAY1, "--store", store).exit_code == 0
    result = run("import", book, "-q", export(tmp_path, "d2.csv", day2()), "--as-of", DAY2, "--store", store)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Imported: 0 new records, 2 updated, 0 no longer in the export.")
    result = run("snapshot", book, "--store", store, "--as-of", DAY2)
    assert result.stderr.strip() == "Nothing has changed since the last snapshot: nothing saved."
    result = run("flags", "--store", store, "--as-at", DAY1, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["status"] for r in json.loads(result.stdout)] == ["Achieved", "Registered"]
    result = run("upload-file", book, "-o", tmp_path / "up", "--store", store)
    assert result.exit_code == 0 and "Wrote" in result.stderr
    assert (tmp_path / "up" / "upload-1.csv").read_text().splitlines() == [
        "Qualification Number,ULN,Status,Registration Date,Registration Number,Achieved Date,"
        "Certificate Claimed Date,Certificate Received Date,Certificate Sent Date,Postal Tracking Ref"]
    result = run("learner", "1234567899", "--book", book, "--as-of", DAY2, "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["details"][0] == {"Field": "Learner", "Value": "Bo Jones"}
    assert [q["Status"] for q in record["qualifications"]] == ["Gateway Reached"]


def test_as_at_without_a_store_is_a_clear_error(tmp_path):
    result = run("build", "--as-at", DAY1, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2
    assert "--as-at needs a history store" in result.stderr


def test_unknown_learner(tmp_path):
    q = export(tmp_path, "d1.csv", day1())
    result = run("learner", "1111111111", "-q", q)
    assert result.exit_code == 2 and "learner 1111111111 is not in the records" in result.stderr

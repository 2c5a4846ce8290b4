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


def test_learner_from_a_workbook_honours_store_and_as_at_and_shows_dates_and_rates(tmp_path):
    book = tmp_path / "RegCert.xlsx"
    store = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    run("build", "-q", export(tmp_path, "d1.csv", day1()), "-o", book, "--as-of", DAY1, "--store", store)
    run("import", book, "-q", export(tmp_path, "d2.csv", day2()), "--as-of", DAY2, "--store", store)

    def learner(uln, *more):
        result = run("learner", uln, "--book", book, "--format", "csv", *more)
        assert result.exit_code == 0, result.output
        return result.stdout

    # the store knows when Ann's claim was first seen (02/10/2026), so the chase is dated from it
    with_store = learner("1000000043", "--store", store, "--as-of", "2026-11-01")
    assert "Chase the certificate — due 23/10/2026, 9 days overdue" in with_store
    without = learner("1000000043", "--as-of", "2026-11-01")  # no store: no date to count from
    assert "Chase the certificate if it has not arrived,,Admin,CERTIFICATE_AWAITED" in without
    # as at day 1, Bo was Registered (today's sheet says Gateway Reached)
    at_day1 = learner("1234567899", "--store", store, "--as-at", DAY1)
    assert ",Registered," in at_day1 and "Gateway Reached" not in at_day1
    details = dict(line.split(",", 1) for line in with_store.splitlines()[1:11])
    assert details["% Complete"] == "0%" and details["Next Due Date"] == "23/10/2026"
    assert "00:00:00" not in with_store and "2026-" not in with_store


def test_flags_with_a_damaged_store_is_one_line(tmp_path):
    q = export(tmp_path, "d1.csv", day1())
    (tmp_path / "bad.sqlite").write_bytes(b"this is not a database, " * 100)
    for more in ([], ["--as-at", DAY1]):
        result = run("flags", "-q", q, "--store", f"sqlite:///{tmp_path / 'bad.sqlite'}", *more)
        assert result.exit_code == 2
        assert result.stderr == (f"regcert-xl: sqlite:///{tmp_path / 'bad.sqlite'}: the history store cannot be "
                                 "opened: file is not a database\n")


def test_flags_never_makes_a_store_it_is_given(tmp_path):
    q = export(tmp_path, "d1.csv", day1())
    missing = tmp_path / "typo.sqlite"
    for more in ([], ["--as-at", DAY1]):
        result = run("flags", "-q", q, "--store", f"sqlite:///{missing}", *more)
        assert result.exit_code == 2
        assert result.stderr == (f"regcert-xl: there is no history store at sqlite:///{missing} yet: "
                                 "build or refresh a workbook with it first\n")
        assert not missing.exists()


def test_evaluate_uses_a_store_only_when_given_one(tmp_path):
    """Exports are not a workbook: the settings' snapshot_store is not picked up by flags."""
    from regcert_xl import api
    from regcert_xl.model.settings import Settings

    (tmp_path / "bad.sqlite").write_bytes(b"this is not a database, " * 100)
    settings = Settings(snapshot_store=f"sqlite:///{tmp_path / 'bad.sqlite'}")
    ev = api.evaluate(export(tmp_path, "d1.csv", day1()), settings=settings, as_of=DAY1)
    assert ev.history is None and len(ev.records) == 2

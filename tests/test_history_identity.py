"""The workbook's identity (a GUID in its document properties) ties it to its history: a Save As
copy keeps its audit trail, a history the workbook names but that is gone is refused in one
line (``--new-history`` starts afresh), and a damaged store or a full disk is one line with no
SQL and no personal data, saying what became of the workbook."""

import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

from regcert_xl import api
from regcert_xl.cli import main
from regcert_xl.history import store
from regcert_xl.model.errors import UserError
from regcert_xl.workbook.manifest import workbook_manifest
from tests.conftest import ULN_A, ULN_B, write_csv
from tests.small_book import HEADER, QUALS, build_small

AS_OF = "2026-11-30"


def snapshots(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM regcert_snapshots").fetchone()[0]


@pytest.fixture
def book(tmp_path):
    return build_small(tmp_path)


def test_build_gives_an_identity_that_refresh_and_import_keep(book, tmp_path):
    made = workbook_manifest(book)
    assert made.id.startswith("{") and len(made.id) == 38
    assert made.history == str((tmp_path / "small.xlsx.history.sqlite").resolve())
    api.refresh_workbook(book, as_of=AS_OF)
    api.import_export(book, write_csv(tmp_path / "newer.csv", QUALS, HEADER), as_of=AS_OF)
    assert (workbook_manifest(book).id, workbook_manifest(book).history) == (made.id, made.history)
    template = api.template_workbook(tmp_path / "t.xlsm")
    assert workbook_manifest(template).id not in ("", made.id) and workbook_manifest(template).history == ""


def property_values(book) -> dict[str, str]:
    import zipfile

    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(book) as z:
        root = fromstring(z.read("docProps/custom.xml"))
    return {p.get("name"): p[0].text or "" for p in root}


def test_a_long_store_path_is_kept_in_pieces_excel_does_not_trim(tmp_path):
    """Excel trims a custom property value to 255 characters when it saves: a history store in a
    deep folder must survive that, and a later, shorter path must leave no piece behind."""
    from regcert_xl.workbook.manifest import HISTORY

    deep = tmp_path.joinpath(*["Exams team shared drive - registrations and certificates"] * 5)
    deep.mkdir(parents=True)
    book = build_small(deep)
    store_path = str((deep / "small.xlsx.history.sqlite").resolve())
    assert len(store_path) > 255
    values = property_values(book)
    assert max(len(v) for v in values.values()) <= 255
    assert values[HISTORY] + values[f"{HISTORY} (2)"] == store_path and f"{HISTORY} (3)" not in values
    assert workbook_manifest(book).history == store_path
    ev = api.refresh_workbook(book, as_of=AS_OF)  # the store is found through the joined path
    assert ev.history.store == f"sqlite:///{store_path}" and len(ev.history.previous_statuses) == 4
    assert workbook_manifest(book).history == store_path


@pytest.mark.parametrize("elsewhere", [False, True])
def test_a_save_as_copy_keeps_its_history(book, tmp_path, elsewhere):
    folder = tmp_path / "elsewhere" if elsewhere else tmp_path
    folder.mkdir(exist_ok=True)
    copy = folder / "Saved As.xlsx"
    shutil.copyfile(book, copy)
    ev = api.refresh_workbook(copy, as_of="2026-12-01")
    assert not (folder / "Saved As.xlsx.history.sqlite").exists()
    assert ev.history.store == f"sqlite:///{tmp_path / 'small.xlsx.history.sqlite'}"
    assert ev.history.previous_statuses is not None and len(ev.history.previous_statuses) == 4
    assert workbook_manifest(copy).id == workbook_manifest(book).id


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_lost_history_is_refused_until_new_history(book, tmp_path, how):
    history = tmp_path / "small.xlsx.history.sqlite"
    if how == "deleted":
        history.unlink()
    else:
        history.write_bytes(b"")
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["refresh", str(book), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert result.stderr == ("regcert-xl: small.xlsx: its history store small.xlsx.history.sqlite is missing or empty, "
                             "so its audit trail would start again without it: put the store back, give --store URL, "
                             "or start a new history with --new-history\n")
    assert book.read_bytes() == before and not (tmp_path / "small.xlsx.bak").exists()
    result = CliRunner().invoke(main, ["refresh", str(book), "--as-of", AS_OF, "--new-history"])
    assert result.exit_code == 0, result.output
    assert snapshots(history) == 1


def test_a_damaged_store_is_one_line_and_the_workbook_is_left_as_it_was(book, tmp_path):
    (tmp_path / "small.xlsx.history.sqlite").write_bytes(b"this is not a database, " * 100)
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["refresh", str(book), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.rstrip().endswith("small.xlsx was left as it was")
    assert "file is not a database" in result.stderr
    assert book.read_bytes() == before and not (tmp_path / "small.xlsx.bak").exists()


def test_a_full_disk_is_one_line_without_sql_or_learners_and_says_the_workbook_was_replaced(book, tmp_path,
                                                                                            monkeypatch):
    def full(*_args, **_kwargs):
        raise OperationalError(f"INSERT INTO regcert_versions (identity, data) VALUES ('{ULN_A}|st0384', "
                               f"'{{\"ULN\": \"{ULN_B}\", \"Learner Reference\": \"L002\"}}')",
                               {"identity": ULN_A}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(store, "_save_stream", full)
    before = book.read_bytes()
    with pytest.raises(UserError) as caught:
        api.refresh_workbook(book, as_of="2026-12-01")
    message = str(caught.value)
    assert message == (f"sqlite:///{tmp_path / 'small.xlsx.history.sqlite'}: database or disk is full; small.xlsx "
                       "was replaced by its new version (the previous one is its .bak), but this snapshot is not in "
                       "its history")
    assert not any(secret in message for secret in (ULN_A, ULN_B, "L002", "INSERT", "regcert_versions"))
    assert (tmp_path / "small.xlsx.bak").read_bytes() == before and book.read_bytes() != before

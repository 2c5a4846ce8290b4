"""Where workbooks are written: build never overwrites a workbook unasked, a workbook reached
through a link is updated where it lives, and typos or failed saves leave no stray files."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from regcert_xl.cli import main
from tests.conftest import ULN_C, write_csv
from tests.small_book import HEADER, QUALS, build_small


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def book(tmp_path):
    return build_small(tmp_path, snapshot=False)


def learner_refs(book: Path) -> list[str]:
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Qualifications").to_python()
    return sorted({str(r[0]) for r in rows[1:]})


def newer_export(folder: Path) -> Path:
    added = dict(QUALS[0], ULN=ULN_C, **{"Learner Reference": "L003", "First Name": "Cy"})
    return write_csv(folder / "newer.csv", [*QUALS, added], HEADER)


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*")}


# -- build -o onto an existing workbook -----------------------------------------------------------

def test_build_onto_an_existing_workbook_is_refused_pointing_to_refresh_and_import(book):
    before, files = book.read_bytes(), listing(book.parent)
    result = run("build", "-q", book.parent / "q.csv", "-o", book, "--no-snapshot")
    assert result.exit_code == 2
    assert result.stderr == (f"regcert-xl: {book} already exists: update it with regcert-xl refresh, or import a "
                             "newer export with regcert-xl import (--force replaces it, keeping small.xlsx.bak)\n")
    assert book.read_bytes() == before and listing(book.parent) == files


def test_build_force_replaces_the_workbook_keeping_the_old_one_as_bak(book):
    before = book.read_bytes()
    result = run("build", "-q", book.parent / "q.csv", "-o", book, "--no-snapshot", "--force")
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(" Previous version kept as small.xlsx.bak.\n")
    assert book.with_name("small.xlsx.bak").read_bytes() == before
    assert book.read_bytes() != before  # no assessments export this time: a new workbook


@pytest.mark.parametrize("force", [False, True])
def test_build_refuses_a_workbook_open_in_excel(book, force):
    book.with_name("~$small.xlsx").write_bytes(b"owner")
    before = book.read_bytes()
    result = run("build", "-q", book.parent / "q.csv", "-o", book, "--no-snapshot", *(["--force"] if force else []))
    assert result.exit_code == 2
    assert result.stderr == (f"regcert-xl: {book}: is open in Excel (~$small.xlsx exists): close it there and "
                             "try again\n")
    assert book.read_bytes() == before and not book.with_name("small.xlsx.bak").exists()


def test_template_onto_an_existing_workbook_is_refused(tmp_path):
    book = tmp_path / "RegCert.xlsm"
    book.write_bytes(b"the admin's workbook")
    result = run("template", "-o", book)
    assert result.exit_code == 2
    assert "already exists: update it with regcert-xl refresh" in result.stderr
    assert book.read_bytes() == b"the admin's workbook"


# -- a workbook reached through a symbolic link ---------------------------------------------------

def test_refresh_and_import_through_a_link_update_the_target_and_keep_the_link(book):
    folder = book.parent / "shortcuts"
    folder.mkdir()
    link = folder / "RegCert.xlsx"
    link.symlink_to(book)
    before = book.read_bytes()
    assert run("refresh", link, "--no-snapshot").exit_code == 0
    assert link.is_symlink() and link.resolve() == book
    assert book.read_bytes() != before  # the refresh time changed: the target was written
    result = run("import", link, "-q", newer_export(book.parent))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == book
    assert learner_refs(book) == ["L001", "L002", "L003"]
    assert not [p for p in listing(book.parent) if p.endswith(".tmp")]


def test_build_force_through_a_link_replaces_the_target(book):
    link = book.with_name("link.xlsx")
    link.symlink_to(book)
    assert run("build", "-q", book.parent / "q.csv", "-o", link, "--no-snapshot", "--force").exit_code == 0
    assert link.is_symlink() and learner_refs(book) == ["L001", "L002"]


# -- typos and failures leave no stray files ------------------------------------------------------

@pytest.mark.parametrize("command", [["refresh"], ["import", "-q", "newer.csv"], ["snapshot"],
                                     ["upload-file", "-o", "up"]])
def test_a_missing_workbook_leaves_nothing_behind(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    newer_export(tmp_path)
    files = listing(tmp_path)
    result = run(command[0], "missing.xlsx", *command[1:])
    assert result.exit_code == 2
    assert result.stderr == "regcert-xl: missing.xlsx: file not found\n"
    assert listing(tmp_path) == files  # no missing.xlsx.history.sqlite, no lock, no folder


def test_build_into_a_folder_that_does_not_exist_is_refused_and_creates_none(book):
    out = book.parent / "new" / "dir" / "x.xlsx"
    result = run("build", "-q", book.parent / "q.csv", "-o", out)
    assert result.exit_code == 2
    assert result.stderr == (f"regcert-xl: {out}: the folder {out.parent} does not exist: create it first, "
                             "or give another\n")
    assert not (book.parent / "new").exists()


@pytest.mark.parametrize("name", ["out.csv", "out", "out.xls"])
def test_build_to_a_name_that_is_not_a_workbook_is_refused(book, name):
    out = book.parent / name
    result = run("build", "-q", book.parent / "q.csv", "-o", out)
    assert result.exit_code == 2
    assert result.stderr == (f"regcert-xl: {out}: a workbook's name ends .xlsx or .xlsm: give a name like "
                             "out.xlsx\n")
    assert not out.exists() and not out.with_name(name + ".history.sqlite").exists()


@pytest.fixture
def save_refused(monkeypatch):
    """The file system refuses to put a new small.xlsx in place (as Windows does while another
    program holds the file), naming the hidden temporary file as the operating system does."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == "small.xlsx":
            raise PermissionError(13, "Permission denied", str(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("earlier_bak", [True, False])
def test_a_refresh_that_cannot_save_names_the_workbook_and_leaves_no_new_bak_or_store(book, save_refused, earlier_bak):
    bak = book.with_name("small.xlsx.bak")
    if earlier_bak:
        bak.write_bytes(b"the version before last")
    before, files = book.read_bytes(), listing(book.parent)
    for command in (["refresh", book], ["import", book, "-q", newer_export(book.parent)]):
        files = listing(book.parent)
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert result.stderr == f"regcert-xl: {book}: could not be saved (Permission denied): it is as it was\n"
        assert book.read_bytes() == before
        assert listing(book.parent) == files  # no .tmp, no new .bak, no history store, no lock
    assert bak.read_bytes() == b"the version before last" if earlier_bak else not bak.exists()

"""Where a command may write a workbook, checked before any work is done, so a typo or a
workbook open in Excel stops the command with one line and leaves nothing behind.

Every command that writes or rewrites a workbook (the CLI, the API and the Excel buttons) goes
through these checks: :func:`existing_workbook` for commands that update one in place (refresh,
import), :func:`new_workbook` for commands that write one (build, template, demo).
"""

from __future__ import annotations

from pathlib import Path

from regcert_xl.model.errors import WorkbookError
from regcert_xl.model.issues import UnusableInput

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def excel_owner_file(book: Path) -> Path | None:
    """Excel's ``~$`` owner file beside a workbook it has open (None when there is none)."""
    for owner in (book.with_name("~$" + book.name), book.with_name("~$" + book.name[2:])):
        if owner.exists():
            return owner
    return None


def ensure_closed(book: Path) -> None:
    """Refuse while Excel has the workbook open (it keeps a ~$ owner file beside it)."""
    owner = excel_owner_file(Path(book))
    if owner is not None:
        raise UnusableInput.file(book, f"is open in Excel ({owner.name} exists): close it there and try again")


def existing_workbook(book: str | Path) -> Path:
    """A workbook to update in place: it must be there already (nothing is made beside a typo)."""
    path = Path(book)
    if not path.exists():
        raise UnusableInput.file(path, "file not found")
    return path


def new_workbook(output: str | Path, *, force: bool = False, suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES) -> Path:
    """Where a command may write a new workbook: a workbook's name, in a folder that exists, not
    open in Excel, and — unless ``force`` — not over a workbook already there (its sheets,
    columns and comments would go: refresh and import keep them)."""
    path = Path(output)
    if path.suffix.lower() not in suffixes:
        raise UnusableInput.file(path, f"a workbook's name ends {' or '.join(suffixes)}: "
                                       f"give a name like {path.stem or 'RegCert'}{suffixes[0]}")
    if not path.parent.is_dir():
        raise UnusableInput.file(path, f"the folder {path.parent} does not exist: create it first, or give another")
    if path.is_dir():
        raise UnusableInput.file(path, "is a folder, not a file")
    ensure_closed(path)
    if path.exists() and not force:
        raise WorkbookError(f"{path} already exists: update it with regcert-xl refresh, or import a newer "
                            f"export with regcert-xl import (--force replaces it, keeping {path.name}.bak)")
    return path

"""The history side of every job, defined once: finding a workbook's store (by its identity),
reading it, saving a snapshot, and a store's failures said in one line. Used by the other jobs
(build, refresh, import, snapshot, upload-file, learner, evaluate) and by the Excel buttons
(regcert_xl.excel_bridge)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.model.errors import UserError
from regcert_xl.model.settings import Settings
from regcert_xl.progress import NoProgress, Progress


def save_snapshot(history, ev: Evaluation, progress: Progress | None, book: Path | None = None,
                   workbook_id: str = "", done: str = "was saved", **how) -> None:
    """Save the evaluation's records in the history store, saying so (it takes seconds on a big
    workbook, after the workbook itself is saved); the store is marked as ``workbook_id``'s."""
    shown = progress or NoProgress()
    shown.update("Saving the history snapshot", 0.9)
    with store_errors(book, f"{done}, but this snapshot is not in its history"):
        history = made(history)
        history.save_workbook(ev.context.qualifications, ev.context.assessments, as_of=ev.as_of, **how)
        if workbook_id:
            history.claim(workbook_id)


REPLACED = "was replaced by its new version (the previous one is its .bak)"


@contextmanager
def store_errors(book: Path | None, done: str) -> Iterator[None]:
    """A store that cannot be read or written, said in one line (the database's reason: no SQL,
    no records) with what became of the workbook (``done``)."""
    from regcert_xl.history.store import StoreFailed

    try:
        yield
    except StoreFailed as exc:
        raise UserError(f"{exc}; {book.name} {done}" if book is not None else exc) from None


def workbook_identity(book: Path, history, default_store: bool) -> tuple[str, str]:
    """The workbook's identity (kept; else its store's; else new) and the store that holds its
    audit trail when that is the default one beside it ("" otherwise)."""
    from regcert_xl.workbook.manifest import new_id, workbook_manifest

    manifest = workbook_manifest(book)
    found = (manifest.id if manifest else "") or (history.owner() if history is not None else None) or new_id()
    if history is not None and default_store and history.url.startswith("sqlite:///"):
        return found, history.url.removeprefix("sqlite:///")
    return found, manifest.history if manifest else ""


def identity_props(identity: tuple[str, str]) -> dict[str, str]:
    from regcert_xl.workbook.manifest import HISTORY, ID

    return {name: value for name, value in ((ID, identity[0]), (HISTORY, identity[1])) if value}


def read_history(history, settings: Settings, progress: Progress | None, at: float = 0.0,
                  book: Path | None = None):
    """The history view a build, refresh or import works from (``at``: how far along the work is)."""
    (progress or NoProgress()).update("Reading the history", at)
    with store_errors(book, "was left as it was"):
        return history.view(settings)


def view_of(history, settings: Settings, book: Path | None = None, progress: Progress | None = None,
            at: float = 0.0):
    """What the store says (None without a store); a store that cannot be read is one line
    saying the workbook was left as it was (see :func:`read_history` for ``progress``, ``at``)."""
    return read_history(history, settings, progress, at, book) if history is not None else None


def open_history(book: Path | None, settings: Settings, store: str | None, snapshot: bool, new_history: bool = False):
    """The history store for a workbook, or None. The default store is found by the workbook's
    identity (see :func:`~regcert_xl.history.service.locate_store`); one the workbook says it has
    but that is gone is refused unless ``new_history``. A SQLite store that does not exist yet is
    not made here: with ``snapshot`` an empty one stands in for it until the snapshot is saved
    (:func:`made`), so a typo or a failed command leaves no empty store behind; without, None.
    Store errors come out as one line saying the workbook was left as it was."""
    from dataclasses import replace as with_fields

    from regcert_xl.history.service import History, locate_store, store_url
    from regcert_xl.workbook.manifest import workbook_manifest

    with store_errors(book, "was left as it was"):
        url = store_url(None, settings, store)
        if url is None and book is not None:
            manifest = workbook_manifest(book)
            said = (manifest.id, manifest.history) if manifest is not None else ("", "")
            url = locate_store(book, *said, expected=bool(said[1]), new_history=new_history or not snapshot)
        if url is None:
            return None
        if not_made(url):
            return with_fields(History.open("sqlite://"), url=url) if snapshot else None
        return History.open(url)


def workbook_history(book: Path, settings: Settings, store: str | None, snapshot: bool, new_history: bool,
                     progress: Progress | None, at: float = 0.0):
    """What a build, refresh or import works from: the workbook's history store (or None, see
    :func:`open_history`), what it says (None without a store) and the workbook's identity
    (see :func:`workbook_identity`); ``at``: how far along the work is."""
    history = open_history(book, settings, store, snapshot, new_history)
    return history, view_of(history, settings, book, progress, at), workbook_identity(book, history, snapshot and not (store or settings.snapshot_store))


def not_made(url: str) -> bool:
    return url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()


def made(history):
    """The store itself, made now if an empty one stood in for it (see :func:`open_history`)."""
    from regcert_xl.history.service import History

    return History.open(history.url) if not_made(history.url) else history

"""The snapshot job: a workbook's records saved in its history store now, without refreshing it."""

from __future__ import annotations

from pathlib import Path

from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.jobs.history import made, open_history, store_errors
from regcert_xl.jobs.in_place import workbook_records
from regcert_xl.jobs.loading import DateArg
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.settings import Settings


def snapshot(book: Path, *, settings: Settings | str | Path | None = None, as_of: DateArg = None,
             store: str | None = None, new_history: bool = False):
    """Save a snapshot of ``book``'s records (see :func:`regcert_xl.api.snapshot`)."""
    resolved = workbook_settings(book, settings, [])
    q, a = workbook_records(book, resolved)
    history = open_history(book, resolved, store, snapshot=True, new_history=new_history)
    with store_errors(book, "was left as it was"):
        return made(history).save_workbook(q, a, as_of=as_of_timestamp(as_of), kind="snapshot", source=str(book))

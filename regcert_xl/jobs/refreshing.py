"""The refresh job: a workbook refreshed in place from the records on its own sheets
(:func:`regcert_xl.jobs.in_place.refresh_workbook`), with its history read first, its identity
kept and a snapshot saved after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.jobs.history import REPLACED, identity_props, save_snapshot, workbook_history
from regcert_xl.jobs.in_place import refresh_workbook
from regcert_xl.jobs.loading import DateArg
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.settings import Settings
from regcert_xl.progress import NoProgress, Part, Progress


def refresh(book: Path, *, settings: Settings | str | Path | None = None, as_of: DateArg = None,
            learner: str | None = None, store: str | None = None, snapshot: bool = True,
            progress: Progress | None = None, refreshed: dt.datetime | None = None,
            new_history: bool = False) -> Evaluation:
    """Refresh ``book`` in place (see :func:`regcert_xl.api.refresh_workbook`)."""
    resolved = workbook_settings(book, settings, [])
    history, view, identity = workbook_history(book, resolved, store, snapshot, new_history, progress)
    ev = refresh_workbook(book, as_of=as_of_timestamp(as_of), settings=resolved, learner=learner, refreshed=refreshed,
                          progress=Part(progress, 0.0, 0.9), history=view, props=identity_props(identity))
    if history is not None and snapshot:
        save_snapshot(history, ev, progress, book, identity[0], REPLACED, kind="refresh", source=str(book))
    (progress or NoProgress()).update("Done", 1.0)
    return ev

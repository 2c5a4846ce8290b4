"""The upload-file job: the learner system's "Import and Update" CSV for the edits made in a
workbook since the export its history store last took in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.jobs.evaluating import evaluate_in_place
from regcert_xl.jobs.history import open_history, view_of
from regcert_xl.jobs.in_place import workbook_records
from regcert_xl.jobs.loading import DateArg
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.errors import MissingInput
from regcert_xl.model.settings import Settings
from regcert_xl.roundtrip.upload import round_trip, upload_frame, write_upload


def upload_file(book: Path, output: Path, *, settings: Settings | str | Path | None = None,
                store: str | None = None, as_of: DateArg = None) -> tuple[list[Path], pd.DataFrame]:
    """The upload files for ``book`` (see :func:`regcert_xl.api.upload_file`)."""
    resolved = workbook_settings(book, settings, [])
    q, a = workbook_records(book, resolved)
    history = open_history(book, resolved, store, snapshot=False)
    if history is None:
        raise MissingInput(f"{book.name} has no history store yet, so there is no export to compare with: "
                           "build or import an export first")
    ev = evaluate_in_place(q, a, resolved, as_of_timestamp(as_of), view_of(history, resolved, book))
    trip = round_trip(ev)
    files = write_upload(upload_frame(ev, trip.upload), output, resolved.upload_max_bytes)
    return files, trip.kept_out

"""The Changes sheet (§5, §8): what the workbook says that the last imported export does not, field
by field, with whether each record can go into the upload file — and the conflicts of the last
import, where the export overtook an edit made here."""

from __future__ import annotations

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.reports.base import Report, Section, memo
from regcert_xl.roundtrip.upload import CHANGE_COLUMNS, round_trip


def build(ev: Evaluation) -> list[Section]:
    trip = memo(ev, "_round_trip", lambda e: [round_trip(e)])[0]
    exported = ev.history is not None and ev.history.export is not None
    note = ("Edits in the Qualifications sheet that the learner system does not have yet, compared with the last "
            "imported export. `regcert-xl upload-file` writes them as the system's Import and Update CSV; rows with "
            "errors are kept out (Upload says why).") if exported else (
        "No export has been imported into this workbook's history yet: build it from an export, or import one, "
        "and the edits made here will be listed.")
    return [Section("tblChanges", "Changes waiting to go back to the learner system",
                    trip.changes[CHANGE_COLUMNS].reset_index(drop=True), note=note)]


REPORT = Report("Changes", "Changes", build)

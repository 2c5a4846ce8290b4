"""The Changes sheet (§5, §8): records whose editable fields differ from the last imported
export. Until the round trip is in place the sheet explains itself and lists nothing."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluation import Evaluation
from regcert_xl.reports.base import Report, Section

COLUMNS = ["Learner", "ULN", "Qualification", "Field", "Export Value", "Workbook Value", "Status"]


def build(ev: Evaluation) -> list[Section]:
    del ev
    return [Section("tblChanges", "Changes waiting to go back to the learner system",
                    pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}),
                    note="Edits made in the Qualifications sheet that the learner system does not have yet "
                         "will be listed here, with the upload file built from them. Importing a newer "
                         "export into this workbook (regcert-xl import) fills this sheet.")]


REPORT = Report("Changes", "Changes", build)

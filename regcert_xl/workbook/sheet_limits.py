"""Excel's row limit: what a sheet can hold, and what a report that has more rows gets."""

from __future__ import annotations

from dataclasses import replace

from regcert_xl.model.issues import UnusableInput
from regcert_xl.reports.base import Section

EXCEL_ROWS = 1_048_576


def fit(section: Section, header_row: int, records_of: str | None = None) -> Section:
    """The section as it fits below a header on 0-based row ``header_row``. A report gets its
    first rows and a note saying so; records (``records_of``: the record sheet's name) are never
    cut: too many of them is an error."""
    free = max(EXCEL_ROWS - header_row - 1, 0)
    total = len(section.frame)
    if total <= free:
        return section
    if records_of is not None:
        raise UnusableInput.file(records_of, f"{total:,} records do not fit on one Excel sheet ({free:,} rows "
                                             "below the header at most): split the export (by start year, say) "
                                             "into workbooks that each hold a part")
    cut = (f"Showing the first {free:,} of {total:,} rows: an Excel sheet holds no more "
           "(regcert-xl validate and actions write every row to CSV).")
    return replace(section, frame=section.frame.iloc[:free], note=f"{section.note} {cut}".strip())

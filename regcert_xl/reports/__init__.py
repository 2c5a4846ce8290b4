"""Report builders: one per sheet, each ``build(evaluation) -> list[Section]``; the workbook's
sheets, in order, are :data:`REPORTS`."""

from regcert_xl.reports import (
    actions,
    changes,
    history_sheet,
    issues,
    learner,
    outcomes,
    overview,
    pipeline,
    records,
    settings_sheet,
    start,
)
from regcert_xl.reports.base import ColumnKind, Lookup, Report, Section

REPORTS: tuple[Report, ...] = (
    start.REPORT,
    records.QUALIFICATIONS,
    records.ASSESSMENTS,
    issues.REPORT,
    overview.REPORT,
    actions.REPORT,
    learner.REPORT,
    pipeline.REPORT,
    outcomes.REPORT,
    changes.REPORT,
    history_sheet.REPORT,
    settings_sheet.REPORT,
)
SHEET_NAMES = tuple(r.name for r in REPORTS)

__all__ = ["REPORTS", "SHEET_NAMES", "ColumnKind", "Lookup", "Report", "Section"]

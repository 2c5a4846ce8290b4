"""Validation rules, one small module each, vectorised over columns.

Each module declares ``CODES`` (the issue codes it can emit) and ``check(ctx)``, which yields
issue frames. :data:`RULES` is the list the validator runs, in order.
"""

from regcert_xl.rules import (
    assessment_values,
    columns,
    date_order,
    duplicates,
    epao,
    future_dates,
    odata_pages,
    orphans,
    required,
    status,
    text_length,
    uln,
    unreadable,
)

RULES = (columns, required, uln, unreadable, future_dates, date_order, status, duplicates, orphans,
         epao, assessment_values, text_length,
         odata_pages)

__all__ = ["RULES"]

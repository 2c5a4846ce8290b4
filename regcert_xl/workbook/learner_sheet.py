"""The Learner sheet: choose a learner in C3 and the record below follows, by formulas that
look the learner up on the Overview, Qualifications, Assessments and Actions sheets.

Each looked-up row has a hidden helper in column A: the sheet row of the n-th record of the
chosen learner, found by MATCH on the hidden 'Learner Key' column ('<learner>#<n>'). The
cells show INDEX of that row, blank when there is none. The values cached in the file are
those of the learner chosen when the workbook was built, so readers that do not calculate
see a complete record too.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import Worksheet

from regcert_xl.reports.base import ColumnKind, Lookup, Section
from regcert_xl.workbook.columns import colour_rules, column_formats, fitted_width, table_columns
from regcert_xl.workbook.sheet_xml import column_letter, excel_serial
from regcert_xl.workbook.styles import TABLE_STYLE, Styles

CHOOSER_ROW, CHOOSER_COL = 2, 2  # C3
FIRST_TABLE_COL = 1  # B; column A holds the helpers


def _cached(value: object) -> object:
    """The value Excel would show, as the formula's cached result."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp | np.datetime64):
        return excel_serial(value)
    if isinstance(value, np.integer | np.floating):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def _shown(source: str, helper: str) -> str:
    """INDEX of the source column at the helper's row, blank for none or blank."""
    cell = f"INDEX({source},{helper})"
    return f'=IF({helper}="","",IF({cell}="","",{cell}))'


def write_learner(ws: Worksheet, sections: list[Section], styles: Styles, layout, by_name) -> None:
    details = sections[0]
    ws.write_string(0, FIRST_TABLE_COL, "Learner record", styles.title)
    ws.write_string(CHOOSER_ROW, FIRST_TABLE_COL, "Learner (ULN or reference)", styles.label)
    chosen = details.lookup.chosen if details.lookup else None
    ws.write_string(CHOOSER_ROW, CHOOSER_COL, chosen or "", styles.chooser)
    ws.data_validation(CHOOSER_ROW, CHOOSER_COL, CHOOSER_ROW, CHOOSER_COL, {
        "validate": "list", "source": "=LearnerList", "error_type": "information",
        "error_title": "Not on the Overview", "error_message": "That learner is not on the Overview sheet.",
        "input_title": "Choose a learner", "input_message": "Pick a ULN (or type one); the record below follows.",
    })
    ws.write_string(CHOOSER_ROW + 1, FIRST_TABLE_COL, details.note, styles.note)
    row = CHOOSER_ROW + 3
    widths: dict[int, float] = {}
    for section in sections:
        lookup = section.lookup
        if lookup is None:
            continue
        ws.write_string(row, FIRST_TABLE_COL, section.title, styles.subtitle)
        header_row = row + 1
        if lookup.single:
            last = _details(ws, section, lookup, styles, layout, header_row)
        else:
            last = _rows(ws, section, lookup, styles, layout, header_row)
        layout.tables[section.table] = (ws.name, header_row + 1, [str(c) for c in section.frame.columns])
        for c, column in enumerate(section.frame.columns):
            col = FIRST_TABLE_COL + c
            widths[col] = max(widths.get(col, 0), fitted_width(str(column), section.frame[column], section.kind(column)))
        row = last + 3
    ws.set_column(0, 0, 4, None, {"hidden": True})
    for col, width in widths.items():
        ws.set_column(col, col, max(width, 14 if col == CHOOSER_COL else 0))
    ws.hide_gridlines(2)
    ws.freeze_panes(CHOOSER_ROW + 1, 0)


def _details(ws: Worksheet, section: Section, lookup: Lookup, styles: Styles, layout, header_row: int) -> int:
    first = header_row + 1
    helper = f"$A${first + 1}"
    key_range = layout.column_range("tblOverview", lookup.key_column)
    ws.write_formula(first, 0, f"=IFERROR(MATCH(LearnerChoice,{key_range},0),\"\")", None, "")
    overview_columns = layout.tables["tblOverview"][2]
    for i, (field, value) in enumerate(zip(section.frame["Field"], section.frame["Value"], strict=True)):
        r = first + i
        ws.write_string(r, FIRST_TABLE_COL, field, styles.label)
        fmt = styles.cell({"% Complete": ColumnKind.RATE, "Next Due Date": ColumnKind.DATE,
                           "Worst RAG": ColumnKind.RAG}.get(field, ColumnKind.TEXT))
        column = lookup.columns.get(field, field)
        if column not in overview_columns:  # the exports have no such column: nothing to look up
            ws.write_blank(r, FIRST_TABLE_COL + 1, None, fmt)
            continue
        source = layout.column_range("tblOverview", column)
        ws.write_formula(r, FIRST_TABLE_COL + 1, _shown(source, helper), fmt, _cached(value))
    last = first + len(section.frame) - 1
    _table(ws, section, styles, header_row, last)
    return last


def _rows(ws: Worksheet, section: Section, lookup: Lookup, styles: Styles, layout, header_row: int) -> int:
    source_table = {"Qualifications": "tblQualifications", "Assessments": "tblAssessments",
                    "Actions": "tblActions"}[lookup.sheet]
    if source_table not in layout.tables:
        return header_row + 1
    key_range = layout.column_range(source_table, lookup.key_column)
    formats = column_formats(section, styles)
    frame = section.frame
    for n in range(1, lookup.rows + 1):
        r = header_row + n
        helper = f"$A${r + 1}"
        ws.write_formula(r, 0, f'=IFERROR(MATCH(LearnerChoice&"#{n}",{key_range},0),"")', None, "")
        for c, column in enumerate(frame.columns):
            value = frame[column].iloc[n - 1] if n - 1 < len(frame) else None
            if column in lookup.columns:
                source = layout.column_range(source_table, lookup.columns[column])
                ws.write_formula(r, FIRST_TABLE_COL + c, _shown(source, helper), formats[c], _cached(value))
            else:  # a column of the learner sheet itself (Done): left for the user
                ws.write_blank(r, FIRST_TABLE_COL + c, None, styles.chooser)
    last = header_row + lookup.rows
    _table(ws, section, styles, header_row, last)
    return last


def _table(ws: Worksheet, section: Section, styles: Styles, header_row: int, last_row: int) -> None:
    columns = [str(c) for c in section.frame.columns]
    ws.add_table(header_row, FIRST_TABLE_COL, max(last_row, header_row + 1), FIRST_TABLE_COL + len(columns) - 1, {
        "name": section.table, "style": TABLE_STYLE, "autofilter": False,
        "columns": table_columns(section, styles),
    })
    colour_rules(ws, section, styles, header_row + 1, last_row, FIRST_TABLE_COL)
    ws.set_row(header_row, 30)


__all__ = ["write_learner", "column_letter"]

"""Sheets of small report tables stacked one below the other (Start, Pipeline, Outcomes,
Changes, Settings), each an Excel table with a title, a note and, where asked, a native chart."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from regcert_xl.reports.base import ColumnKind, Section
from regcert_xl.workbook.columns import colour_rules, column_formats, fitted_width, table_columns
from regcert_xl.workbook.sheet_limits import fit
from regcert_xl.workbook.sheet_xml import excel_serial
from regcert_xl.workbook.styles import TABLE_STYLE, Styles

GAP_ROWS = 2


def write_value(ws: Worksheet, row: int, col: int, value: object, fmt: Format) -> None:
    """One cell, by the value's type; text is always a string, never a formula."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, pd.Timestamp | np.datetime64):
        ws.write_number(row, col, excel_serial(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def write_table(ws: Worksheet, section: Section, styles: Styles, header_row: int, first_col: int = 0) -> int:
    """The section's table with its header at ``header_row``; returns the last row used."""
    frame = section.frame
    columns = [str(c) for c in frame.columns]
    formats = column_formats(section, styles)
    for r, record in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for c, value in enumerate(record):
            write_value(ws, r, first_col + c, value, formats[c])
    last_row = header_row + max(len(frame), 1)
    ws.add_table(header_row, first_col, last_row, first_col + len(columns) - 1, {
        "name": section.table, "style": TABLE_STYLE, "autofilter": True,
        "columns": table_columns(section, styles),
    })
    colour_rules(ws, section, styles, header_row + 1, header_row + len(frame), first_col)
    ws.set_row(header_row, 30)
    return last_row


def write_sections(ws: Worksheet, sections: list[Section], styles: Styles, layout, first_row: int = 0) -> int:
    """Stack the sections down the sheet; returns the next free row."""
    row = first_row
    widths: dict[int, float] = {}
    for i, whole in enumerate(sections):
        section = fit(whole, row + 2)  # below its title and note
        ws.write_string(row, 0, section.title, styles.title if i == 0 else styles.subtitle)
        row += 1
        if section.note:
            ws.write_string(row, 0, section.note, styles.note)
            row += 1
        header_row = row
        last_row = write_table(ws, section, styles, header_row)
        layout.tables[section.table] = (ws.name, header_row + 1, [str(c) for c in section.frame.columns])
        for c, column in enumerate(section.frame.columns):
            widths[c] = max(widths.get(c, 0), fitted_width(str(column), section.frame[column], section.kind(column)))
        if section.chart:
            _chart(ws, section, styles, header_row, len(section.frame.columns) + 1)
        row = last_row + 1 + GAP_ROWS
        if section.chart:
            row = max(row, header_row + 22)
    for c, width in widths.items():
        ws.set_column(c, c, width)
    ws.hide_gridlines(2)
    return row


def _chart(ws: Worksheet, section: Section, styles: Styles, header_row: int, col: int) -> None:
    spec = section.chart
    if spec is None:
        return
    frame = section.frame
    rows = len(frame) - (1 if spec.get("skip_last_row") else 0)
    if rows < 1:
        return
    chart_type = {"type": spec.get("type", "column")}
    if spec.get("stacked"):
        chart_type["subtype"] = "stacked"
    chart = styles.book.add_chart(chart_type)
    columns = list(frame.columns)
    cat = columns.index(spec["categories"])
    first, last = header_row + 1, header_row + rows
    for name in spec.get("values", []):
        if name not in columns:
            continue
        v = columns.index(name)
        if frame[name].iloc[:rows].fillna(0).sum() == 0 and spec.get("stacked"):
            continue
        chart.add_series({"name": [ws.name, header_row, v], "categories": [ws.name, first, cat, last, cat],
                          "values": [ws.name, first, v, last, v], "gap": 60})
    chart.set_title({"name": spec.get("title", section.title)})
    chart.set_legend({"position": "bottom"})
    if spec.get("percent"):
        axis = chart.set_x_axis if spec.get("type") == "bar" else chart.set_y_axis
        axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_size({"width": 760, "height": 420})
    ws.insert_chart(header_row, col, chart, {"object_position": 1})


__all__ = ["write_sections", "write_table", "write_value", "ColumnKind"]

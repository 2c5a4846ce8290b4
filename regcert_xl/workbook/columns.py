"""Per-column presentation shared by every sheet: widths fitted to content, cell formats by
column kind, RAG and flag colours as conditional formats, drop-down lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from regcert_xl.reports.base import ColumnKind, Section
from regcert_xl.workbook.styles import FLAG_RAG, SEVERITY_RAG, Styles

MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_BY_KIND = {ColumnKind.DATE: 11, ColumnKind.RATE: 8, ColumnKind.INT: 8, ColumnKind.ID: 7, ColumnKind.INPUT: 60}


def fitted_width(header: str, values: pd.Series, kind: ColumnKind) -> float:
    """Wide enough for the header's longest word and most values (95th percentile of lengths)."""
    header_width = max((len(w) for w in str(header).split()), default=4) + 2
    body: float
    if kind in WIDTH_BY_KIND:
        body = WIDTH_BY_KIND[kind]
    elif kind in (ColumnKind.FLAG, ColumnKind.RAG):  # bold, and short enough to show whole
        body = float(values.dropna().astype(str).str.len().max() or 0) * 1.15 + 1
    elif values.empty or values.isna().all():
        body = 0
    else:
        sample = values.dropna()
        if len(sample) > 20_000:
            sample = sample.sample(20_000, random_state=0)
        lengths = sample.astype(str).str.len()
        body = float(np.percentile(lengths, 95)) + 1 if len(lengths) else 0
    return float(min(max(header_width, body, MIN_WIDTH), MAX_WIDTH))


def column_formats(section: Section, styles: Styles) -> list[Format]:
    """One format per column; generated columns shaded, the first of them edged."""
    columns = list(section.frame.columns)
    start = columns.index(section.generated_from) if section.generated_from in columns else len(columns)
    return [styles.cell(section.kind(c), shaded=i >= start, first_generated=i == start)
            for i, c in enumerate(columns)]


def header_formats(section: Section, styles: Styles) -> list[Format]:
    columns = list(section.frame.columns)
    start = columns.index(section.generated_from) if section.generated_from in columns else len(columns)
    return [styles.header_generated if i >= start else styles.header for i in range(len(columns))]


# characters XML 1.0 cannot hold at all (XlsxWriter escapes them in cells, not in a table's column names)
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF], "\ufffd")


def table_columns(section: Section, styles: Styles) -> list[dict[str, object]]:
    """The table's columns for XlsxWriter's add_table: each header (a character XML cannot hold,
    as a status from an export may, shown as U+FFFD in the header cell and the table part alike)
    with its format."""
    return [{"header": str(c).translate(_NOT_XML), "header_format": h}
            for c, h in zip(section.frame.columns, header_formats(section, styles), strict=True)]


def _rules_for(section: Section, column: str, styles: Styles) -> dict[str, str] | None:
    kind = section.kind(column)
    if kind is ColumnKind.RAG:
        return {rag: rag for rag in styles.rag}
    if kind is ColumnKind.FLAG:
        return FLAG_RAG
    if column == "Severity":
        return SEVERITY_RAG
    return None


def colour_rules(ws: Worksheet, section: Section, styles: Styles, first_row: int, last_row: int,
                 first_col: int = 0) -> None:
    """Conditional formats: RAG cells by their value, flag cells by their flag's RAG, severity
    cells by severity — one set of rules per run of adjacent columns of the same kind."""
    if last_row < first_row:
        return
    runs: list[tuple[int, int, dict[str, str]]] = []
    for i, column in enumerate(section.frame.columns):
        rules = _rules_for(section, column, styles)
        if rules is None:
            continue
        col = first_col + i
        if runs and runs[-1][1] == col - 1 and runs[-1][2] is rules:
            runs[-1] = (runs[-1][0], col, rules)
        else:
            runs.append((col, col, rules))
    for start, end, rules in runs:
        for value, rag in rules.items():
            ws.conditional_format(first_row, start, last_row, end, {
                "type": "cell", "criteria": "==", "value": f'"{value}"', "format": styles.rag[rag]})


def validations(ws: Worksheet, section: Section, lists: dict[str, str], first_row: int, last_row: int) -> None:
    """Drop-down lists on the columns that take a known set of values."""
    columns = list(section.frame.columns)
    for header, list_name in section.choices.items():
        if header not in columns or list_name not in lists:
            continue
        col = columns.index(header)
        ws.data_validation(first_row, col, max(last_row, first_row), col, {
            "validate": "list", "source": f"={lists[list_name]}", "error_type": "warning",
            "error_title": "Not a known value",
            "error_message": f"This is not one of the known values for {header}. Keep it anyway?",
            "ignore_blank": True,
        })

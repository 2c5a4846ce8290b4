"""Frames to the terminal: a rich table, JSON or CSV. Dates in JSON are ISO, in tables and
CSV dd/mm/yyyy; CSV cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import datetime as dt
import json
from typing import IO

import pandas as pd
from rich.console import Console
from rich.table import Table as RichTable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RAG_STYLE = {"RED": "bold red", "AMBER": "yellow", "GREEN": "green", "BLUE": "blue", "GREY": "dim",
             "error": "bold red", "warning": "yellow", "info": "dim"}


def neutralise(values: pd.Series) -> pd.Series:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    text = values.astype("string")
    risky = text.str.startswith(FORMULA_START).fillna(False).astype(bool)
    return text.where(~risky, "'" + text)


def _dates_as(frame: pd.DataFrame, fmt: str) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.strftime(fmt)
        elif pd.api.types.is_object_dtype(out[c].dtype):
            stamps = out[c].map(lambda v: isinstance(v, dt.date))  # Timestamps, datetimes and dates
            if stamps.any():
                out.loc[stamps, c] = pd.to_datetime(out.loc[stamps, c]).dt.strftime(fmt)
    return out


def to_json(frame: pd.DataFrame) -> str:
    plain = _dates_as(frame, "%Y-%m-%d").astype(object)
    plain = plain.where(plain.notna(), None)
    return json.dumps(plain.to_dict("records"), ensure_ascii=False, indent=1, default=str)


def to_csv(frame: pd.DataFrame) -> str:
    plain = _dates_as(frame, "%d/%m/%Y")
    for c in plain.columns:
        if plain[c].dtype == object or pd.api.types.is_string_dtype(plain[c].dtype):
            plain[c] = neutralise(plain[c])
    return plain.to_csv(index=False, lineterminator="\n")


def print_table(frame: pd.DataFrame, title: str, console: Console, limit: int = 200,
                style_column: str | None = None) -> None:
    shown = _dates_as(frame.head(limit), "%d/%m/%Y").astype(object)
    shown = shown.where(shown.notna(), "")
    table = RichTable(title=title, show_lines=False, header_style="bold", expand=False)
    for c in frame.columns:
        table.add_column(str(c).replace("_", " ").title(), overflow="fold")
    for record in shown.itertuples(index=False):
        values = dict(zip(frame.columns, record, strict=True))
        style = RAG_STYLE.get(str(values.get(style_column))) if style_column else None
        table.add_row(*(str(v) for v in record), style=style)
    console.print(table)
    if len(frame) > limit:
        console.print(f"… and {len(frame) - limit:,} more rows: use --format csv or json for all of them.")


def emit(frame: pd.DataFrame, fmt: str, out: IO[str], *, title: str, console: Console,
         style_column: str | None = None, table_columns: list[str] | None = None) -> None:
    """Write ``frame`` as json or csv (every column), or as a table (``table_columns`` only)."""
    if fmt == "json":
        out.write(to_json(frame) + "\n")
    elif fmt == "csv":
        out.write(to_csv(frame))
    else:
        print_table(frame[table_columns or list(frame.columns)], title, console, style_column=style_column)

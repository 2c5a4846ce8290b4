"""What the Excel buttons do, without Excel: tables in as DataFrames, the core run, and the
updates to write back as plain data. :mod:`regcert_xl.xl` only moves these between Excel and
Python, so everything here is tested on files and frames."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation, evaluate_tables
from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.history.view import HistoryView
from regcert_xl.jobs import history as jobs_history
from regcert_xl.jobs import sheets as build
from regcert_xl.jobs.evaluating import evaluate_in_place
from regcert_xl.jobs.history import open_history, view_of
from regcert_xl.jobs.importing import import_records
from regcert_xl.jobs.loading import read_exports
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model import sheets as model_sheets
from regcert_xl.model.errors import MissingInput
from regcert_xl.model.settings import SETTINGS_FILE, Settings, overrides_from_rows, resolve_settings
from regcert_xl.model.table import Table
from regcert_xl.output import FORMULA_START
from regcert_xl.read.grid import RawTable
from regcert_xl.read.normalise import normalise
from regcert_xl.reports.base import Section, renamed_links
from regcert_xl.workbook.lock import workbook_lock

RECORD_TABLES = {"Qualifications": ("tblQualifications", "qualifications"),
                 "Assessments": ("tblAssessments", "assessments")}
GENERATED_NAME = "RegCertGenerated{sheet}"  # defined name holding the generated headers, '|'-separated


@dataclass
class TableUpdate:
    """Write ``frame`` into the Excel table ``table`` on ``sheet`` (resizing it)."""

    sheet: str
    table: str
    frame: pd.DataFrame


@dataclass
class ColumnsUpdate:
    """Write ``frame`` (no header) into ``sheet`` from row ``first_row``, column ``first_col`` (1-based)."""

    sheet: str
    first_row: int
    first_col: int
    frame: pd.DataFrame


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as Excel takes them through its object model: blanks as None, and text that Excel
    would run as a formula given an apostrophe so it stays text."""
    out = frame.astype(object).where(frame.notna(), None)
    for column in out.columns:
        values = out[column]
        text = values.map(lambda v: isinstance(v, str))
        if text.any():
            risky = text & values.where(text, "").astype(str).str.startswith(FORMULA_START)
            out.loc[risky, column] = "'" + values[risky].astype(str)
        stamps = values.map(lambda v: isinstance(v, pd.Timestamp))
        if stamps.any():
            out.loc[stamps, column] = values[stamps].map(lambda v: v.to_pydatetime())
        numbers = values.map(lambda v: isinstance(v, np.integer | np.floating))
        if numbers.any():
            out.loc[numbers, column] = values[numbers].map(lambda v: v.item())
    return out


def records_from_frame(frame: pd.DataFrame, record: str, sheet: str, settings: Settings,
                       generated: list[str]) -> Table:
    """A record sheet's table (as the DataFrame converter reads it) -> records, generated columns
    left out. Rows keep their sheet row numbers (header on row 1)."""
    keep = [c for c in frame.columns if str(c) not in set(generated)]
    cells = frame[keep].copy()
    cells.columns = range(len(keep))
    cells = cells.astype(object).where(cells.notna(), None).reset_index(drop=True)
    origin = pd.DataFrame({"sheet": sheet, "row": np.arange(2, 2 + len(cells))})
    from regcert_xl.read.grid import drop_blank_rows

    cells, origin = drop_blank_rows(cells, origin)
    raw = RawTable(sheet, [str(c) for c in keep], cells, origin, 1)
    return normalise(raw, record, settings)


def settings_from_frame(frame: pd.DataFrame | None, beside: str | None) -> Settings:
    """Settings in force: the Settings table, then regcert.toml beside the workbook, then defaults."""
    rows = [] if frame is None or frame.empty else list(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))
    return resolve_settings(None, beside=[Path(beside)] if beside else [], overrides=overrides_from_rows(rows))


def workbook_records(tables: dict[str, pd.DataFrame], generated: dict[str, list[str]],
                     settings: Settings) -> tuple[Table, Table | None]:
    q = records_from_frame(tables["Qualifications"], "qualifications", "Qualifications", settings,
                           generated.get("Qualifications", []))
    a = (records_from_frame(tables["Assessments"], "assessments", "Assessments", settings,
                            generated.get("Assessments", [])) if tables.get("Assessments") is not None else None)
    return q, a


def sheet_roles(sheet_tables: dict[str, list[str]]) -> dict[str, str]:
    """Each of regcert-xl's sheets (its own name -> the name it has now), found by its tables as
    the file commands find it, so a button works on a sheet the admin renamed (``sheet_tables``:
    every sheet -> the tables on it)."""
    homes = {table: sheet for sheet, tables in sheet_tables.items() for table in tables}
    return model_sheets.sheet_roles(homes, sheet_tables)


def tables_by_role(sheet_tables: dict[str, list[str]], roles: dict[str, str]) -> dict[str, list[str]]:
    """The tables on each of regcert-xl's sheets, under regcert-xl's names for them."""
    return {role: list(sheet_tables.get(name, [])) for role, name in roles.items()}


def history_for(book: str | None, settings: Settings):
    """The workbook's history store, found as the command line finds it (settings' store, else
    the one beside it or named by the workbook's identity), or None. A store that does not exist
    yet is made only when the snapshot is saved, so a button that fails leaves none behind."""
    path = Path(book) if book else None
    return open_history(path if path is not None and path.is_file() else None, settings, None, snapshot=True)


@contextmanager
def working_on(book: str | None) -> Iterator[None]:
    """Hold the saved workbook's lock while a button updates it, so a command-line refresh or
    import of the same file finishes first (or the button says who holds it); a workbook never
    saved has no file to lock."""
    path = Path(book) if book else None
    if path is None or not path.is_file():
        yield
        return
    with workbook_lock(path):
        yield


def evaluate(tables: dict[str, pd.DataFrame], generated: dict[str, list[str]], settings: Settings,
             as_of: dt.date | str | None = None, learner: str | None = None, history=None) -> Evaluation:
    q, a = workbook_records(tables, generated, settings)
    return evaluate_in_place(q, a, settings, as_of_timestamp(as_of), view_of(history, settings), learner)


def save_snapshot(history, ev: Evaluation, kind: str, source: str, export: Table | None = None,
                  conflicts: pd.DataFrame | None = None) -> None:
    if history is not None:
        jobs_history.save_snapshot(history, ev, None, kind=kind, source=source, export=export, conflicts=conflicts)


def import_paths(frame: pd.DataFrame | None) -> dict[str, str]:
    """The Start sheet's Import table: export -> path (blank paths left out)."""
    if frame is None or frame.empty:
        return {}
    out = {}
    for name, path in zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True):
        if isinstance(path, str) and path.strip():
            out[str(name)] = path.strip().strip('"')
    return out


def import_export(tables: dict[str, pd.DataFrame], generated: dict[str, list[str]], paths: dict[str, str],
                  settings: Settings, history, as_of: dt.date | str | None = None):
    """The Import export button's work: the exports named on the Start sheet merged into the
    workbook's records. Returns (evaluation, merge of the qualifications, new qualifications export)."""
    if not paths.get("Qualifications export"):
        raise MissingInput("Put the path of the qualifications export in the Import table on the Start sheet first.")
    new_q, new_a = read_exports(paths["Qualifications export"], paths.get("Assessments export") or None, settings)
    q, a = workbook_records(tables, generated, settings)
    view = view_of(history, settings)
    ev, merged = import_records(q, a, new_q, new_a, view if view is not None else HistoryView(), settings,
                                as_of_timestamp(as_of), import_paths=paths)
    return ev, merged, new_q


def updates(ev: Evaluation, sheet_tables: dict[str, list[str]], record_columns: dict[str, list[str]],
            only: set[str] | None = None, whole_records: bool = False,
            names: dict[str, str] | None = None) -> list[TableUpdate | ColumnsUpdate]:
    """What to write back: every generated table the workbook has (``sheet_tables``: sheet ->
    table names present), and the generated columns of the record sheets
    (``record_columns``: sheet -> its headers in order) — or, after an import
    (``whole_records``), the record tables whole. ``only`` limits it to some sheets. Sheets are
    regcert-xl's names; ``names`` (regcert-xl's name -> the admin's) makes links point at the
    sheets as the admin named them."""
    out: list[TableUpdate | ColumnsUpdate] = []
    for report, built in build.build_sections(ev):
        if only is not None and report.name not in only:
            continue
        sections = [renamed_links(s, names or {}) for s in built]
        if report.name in RECORD_TABLES:
            if whole_records:
                out += [TableUpdate(report.name, s.table, excel_safe(s.frame)) for s in sections
                        if s.table in set(sheet_tables.get(report.name, []))]
            else:
                out += _record_update(ev, report.name, sections, record_columns.get(report.name))
            continue
        if report.name == "Learner":
            continue  # formulas: it follows the chooser by itself
        present = set(sheet_tables.get(report.name, []))
        out += [TableUpdate(report.name, s.table, excel_safe(s.frame)) for s in sections if s.table in present]
    return out


def _record_update(ev: Evaluation, sheet: str, sections: list[Section], headers: list[str] | None) -> list[ColumnsUpdate]:
    if not sections or headers is None:
        return []
    section = sections[0]
    columns = list(section.frame.columns)
    generated = columns[columns.index(section.generated_from):]
    if not all(g in headers for g in generated):
        return []
    table = next(t for t in ev.context.tables() if t.label == sheet)
    last_row = int(table.origin["row"].max()) if len(table) else 1  # the table body ends here
    values = pd.DataFrame(index=range(2, last_row + 1), columns=generated, dtype=object)
    values.loc[table.origin["row"].to_numpy()] = section.frame[generated].to_numpy()
    first = headers.index(generated[0]) + 1
    return [ColumnsUpdate(sheet, 2, first, excel_safe(values))]


def learner_in_row(headers: list[object], values: list[object]) -> str | None:
    """The learner a row is about: its ULN, else its learner reference."""
    named = {str(h).strip().casefold(): v for h, v in zip(headers, values, strict=False) if h is not None}
    for key in ("uln", "learner ref", "learner reference"):
        value = named.get(key)
        if value not in (None, ""):
            return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    return None


def uln_valid(uln: object) -> bool:
    """A ULN that passes every rule (10 digits, not starting 0, DfE check digit)."""
    from regcert_xl.read.values import repair_ulns, uln_checks

    repaired = repair_ulns(pd.Series([uln], dtype=object)).values
    return bool(uln_checks(repaired)["check_ok"].iloc[0])


def book_settings(book: str | Path | None) -> Settings:
    """The settings in force for a saved workbook — its Settings sheet, then a regcert.toml
    beside it, then the defaults — read once per version of those files (path, modified time
    and size), so a worksheet function can ask for every cell."""
    if not book:
        return Settings()
    path = Path(book)
    return _book_settings(str(path), _stamp(path), _stamp(path.parent / SETTINGS_FILE))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


@functools.lru_cache(maxsize=8)
def _book_settings(path: str, stamp: tuple[int, int] | None, toml_stamp: tuple[int, int] | None) -> Settings:
    return workbook_settings(path) if stamp is not None else workbook_settings(None, beside=[Path(path)])


def flag_for(status: object, planned_end_date: object = None, planned_achieved_date: object = None,
             registration_date: object = None, achieved_date: object = None, claimed_date: object = None,
             received_date: object = None, sent_date: object = None, as_of: object = None,
             book: str | Path | None = None) -> str:
    """The flag of one qualification record from its status and dates (no assessments), under
    the settings of ``book`` (its Settings sheet, as last saved; defaults without a book).
    Answers are kept per workbook version and arguments: recalculating costs a lookup."""
    args = (status, planned_end_date, planned_achieved_date, registration_date, achieved_date, claimed_date,
            received_date, sent_date, as_of)
    version = (str(Path(book)), _stamp(Path(book)), _stamp(Path(book).parent / SETTINGS_FILE)) if book else None
    try:
        return _flag_cached(version, args)
    except TypeError:  # an argument that cannot be a key (a list): worked out without the cache
        return _flag(book_settings(book), args)


@functools.lru_cache(maxsize=100_000)
def _flag_cached(version: tuple | None, args: tuple) -> str:
    return _flag(_book_settings(*version) if version else Settings(), args)


def _flag(settings: Settings, args: tuple) -> str:
    from regcert_xl.read.normalise import concat_raw

    status, planned_end_date, planned_achieved_date, registration_date, achieved_date, claimed_date, \
        received_date, sent_date, as_of = args
    headers = ["ULN", "Qualification", "Status", "Planned End Date", "Planned Achieved Date", "Registration Date",
               "Registration Number", "Achieved Date", "Certificate Claimed Date", "Certificate Received Date",
               "Certificate Sent Date"]
    row = ["9999999999", "Qualification", status, planned_end_date, planned_achieved_date, registration_date,
           "-", achieved_date, claimed_date, received_date, sent_date]
    raw = RawTable("UDF", headers, pd.DataFrame([row], dtype=object), pd.DataFrame({"sheet": ["UDF"], "row": [2]}), 1)
    table = normalise(concat_raw([raw]), "qualifications", settings)
    ev = evaluate_tables(table, None, settings, as_of_timestamp(as_of))
    flags = ev.records["flags"].iloc[0].split(", ")
    return next((f for f in flags if f != "DATA_ERROR"), flags[0])

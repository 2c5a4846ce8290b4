"""A regcert-xl workbook read and rewritten in place, by a refresh (the file-level part of it;
the job around it is :mod:`regcert_xl.jobs.refreshing`) and by an import: the admin's records
read back from it, evaluated for the as-of date, and only what regcert-xl owns rewritten — the
generated sheets and the generated columns — keeping everything else (VBA project, buttons,
sheets the admin added, their defined names, their own columns, formats, comments, validation)
exactly as it is."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.jobs import sheets as build
from regcert_xl.jobs.evaluating import evaluate_in_place
from regcert_xl.model.fields import alias_index
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings
from regcert_xl.model.sheets import SHEET_TABLES
from regcert_xl.model.table import Table
from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import (
    Chunk,
    Package,
    Parts,
    Stream,
    ensure_default,
    rels_name,
    set_overrides,
)
from regcert_xl.ooxml.tables import find_sheets
from regcert_xl.progress import Progress, steps
from regcert_xl.read.grid import RawTable
from regcert_xl.read.guard import check_file, check_workbook_package
from regcert_xl.read.normalise import normalise
from regcert_xl.read.xlsx_reader import open_sheet, read_xlsx
from regcert_xl.reports.base import Section
from regcert_xl.workbook import package
from regcert_xl.workbook.carried_parts import carry_drawing, kept_parts
from regcert_xl.workbook.comments import CellMoves, carry_sheet_comments
from regcert_xl.workbook.destination import ensure_closed
from regcert_xl.workbook.manifest import CUSTOM_PART, Manifest, with_properties
from regcert_xl.workbook.record_patch import patch_chunks
from regcert_xl.workbook.styles_merge import merge_styles
from regcert_xl.workbook.transplant import Transplant, merge_defined_names, shared_strings
from regcert_xl.workbook.writer import RECORD_SHEETS, write_workbook

RECORDS = {"Qualifications": "qualifications", "Assessments": "assessments"}
OUR_NAMES_PREFIXES = ("List", "RegCertGenerated")
OUR_NAMES = {"LearnerList", "LearnerChoice"}
CHOOSER = (2, 2)  # Learner!C3
RENAMED_SHEETS = {"History": "Status History"}  # old generated sheet name -> new (Excel reserves "History")


def read_record_sheet(book: Path, sheet: str, manifest: Manifest, settings: Settings) -> tuple[Table, list[int]]:
    """The admin's records on a record sheet (generated columns left out) and where the
    generated columns are (0-based, in column order)."""
    record = RECORDS[sheet]
    raw = read_xlsx(book, record, alias_index(record, settings.column_aliases), manifest.sheet(sheet),
                    settings.max_sheet_cells)
    generated = set(manifest.generated.get(sheet, []))
    positions = [i for i, h in enumerate(raw.headers) if h in generated]
    missing = generated - {raw.headers[i] for i in positions}
    if missing:
        raise UnusableInput.file(book, f"the generated columns {', '.join(sorted(missing))} are missing from the "
                                       f"{sheet} sheet: build the workbook again with regcert-xl build")
    keep = [i for i in range(len(raw.headers)) if i not in positions]
    cells = raw.cells[[c for c in keep if c in raw.cells.columns]]
    user = RawTable(raw.label, [raw.headers[i] for i in keep], cells.set_axis(range(len(keep)), axis=1),
                    raw.origin, raw.header_row)
    return normalise(user, record, settings), positions


def chosen_learner(book: Path, sheet: str = "Learner") -> str | None:
    try:
        rows = open_sheet(book, CalamineWorkbook.from_path(str(book)), sheet).to_python(nrows=CHOOSER[0] + 1)
        value = rows[CHOOSER[0]][CHOOSER[1]]
    except Exception:  # no Learner sheet or an empty cell: the default learner is shown
        return None
    return str(value).strip() or None if value not in (None, "") else None


def open_workbook(book: Path, settings: Settings) -> tuple[Package, Manifest]:
    """A regcert-xl workbook that may be rewritten: closed in Excel, a sound package, ours. Its
    parts are read as they are needed: close the package when done (``with package:``)."""
    ensure_closed(book)
    check_workbook_package(book, check_file(book, settings), settings)
    old = Package.open(book, lazy=True)
    manifest = Manifest.read(old.parts.get(CUSTOM_PART))
    if manifest is not None:
        rename_old_sheets(old, manifest)
        manifest.names = find_sheets(old, SHEET_TABLES)
    problem = ("was not made by regcert-xl: make one with regcert-xl build or template" if manifest is None
               else missing_sheet(manifest))
    if problem or manifest is None:
        old.close()
        raise UnusableInput.file(book, problem or "was not made by regcert-xl")
    return old, manifest


def missing_sheet(manifest: Manifest) -> str | None:
    """Why the workbook cannot be refreshed when a record sheet is gone (renamed ones are found by
    their tables), else None."""
    if "Qualifications" not in manifest.names:
        return "has no Qualifications sheet to work from (no sheet holds the table tblQualifications)"
    if "Assessments" in manifest.generated and "Assessments" not in manifest.names:
        return ("has lost its Assessments sheet (no sheet holds the table tblAssessments): put it back, "
                "e.g. from the .bak, or build the workbook again")
    return None


def rename_old_sheets(old: Package, manifest: Manifest) -> None:
    """Generated sheets whose name changed take the new name, so the refresh replaces them in
    place (same position, same part) rather than adding a second sheet beside the old one."""
    for before, after in RENAMED_SHEETS.items():
        if before in manifest.sheets and before in old.sheets and after not in old.sheets:
            book = old.parts[old.workbook]
            sheet = next(n for n in xmlpart.find(book, "sheets", "sheet") if n.get("name") == before)
            old.parts[old.workbook] = xmlpart.set_attribute(book, sheet, "name", after)
            old.sheets = {after if name == before else name: part for name, part in old.sheets.items()}
            manifest.sheets = [after if name == before else name for name in manifest.sheets]


def read_workbook_records(book: Path, old: Package, manifest: Manifest, settings: Settings):
    """The admin's records on the workbook's sheets, with where the generated columns are."""
    q, q_positions = read_record_sheet(book, "Qualifications", manifest, settings)
    a, a_positions = (read_record_sheet(book, "Assessments", manifest, settings)
                      if "Assessments" in manifest.names and "Assessments" in manifest.generated else (None, []))
    return q, a, {"Qualifications": q_positions, "Assessments": a_positions}


def workbook_records(book: Path, settings: Settings):
    """The admin's qualification and assessment records read from a regcert-xl workbook (opened,
    checked and closed again), for commands that read the workbook without rewriting it."""
    old, manifest = open_workbook(book, settings)
    with old:
        q, a, _ = read_workbook_records(book, old, manifest, settings)
    return q, a


def import_paths(book: Path, sheet: str = "Start") -> dict[str, str]:
    """The export paths typed into the Start sheet's Import table (kept across refreshes)."""
    try:
        rows = open_sheet(book, CalamineWorkbook.from_path(str(book)), sheet).to_python()
    except Exception:  # no Start sheet: nothing typed
        return {}
    start = next((i for i, r in enumerate(rows) if r[:2] == ["Export", "Path"]), None)
    if start is None:
        return {}
    out = {}
    for row in rows[start + 1:]:
        if not row or row[0] in ("", None):
            break
        out[str(row[0])] = "" if row[1] in (None, "") else str(row[1])
    return out


def refresh_workbook(book: Path, *, as_of: pd.Timestamp, settings: Settings, learner: str | None = None,
                     refreshed: dt.datetime | None = None, progress: Progress | None = None,
                     history=None, props: dict[str, str] | None = None) -> Evaluation:
    """Refresh ``book`` in place (atomically, previous version kept as ``<book>.bak``); ``props``:
    document properties to set (the workbook's identity and history store)."""
    book = Path(book)
    with steps(progress, "Reading the workbook", "Working out flags", "Writing generated sheets",
               "Merging into the workbook", "Saving") as step:
        step.next()
        old, manifest = open_workbook(book, settings)
        with old:
            q, a, positions = read_workbook_records(book, old, manifest, settings)
            step.next()
            ev = evaluate_in_place(q, a, settings, as_of, history,
                                   learner or chosen_learner(book, manifest.sheet("Learner")), refreshed=refreshed,
                                   import_paths=import_paths(book, manifest.sheet("Start")))
            rewrite(book, old, ev, positions, step, names=manifest.names, props=props)
    return ev


def rewrite(book: Path, old: Package, ev: Evaluation, positions: dict[str, list[int]] | None, step,
            before: dict[str, Table | None] | None = None, names: dict[str, str] | None = None,
            props: dict[str, str] | None = None) -> None:
    """Write the evaluation into the workbook: generated sheets replaced, and the record sheets
    either patched (``positions`` of their generated columns) or, on import (None), rewritten.
    Big parts are streamed from the old and the fresh package into the new file, so memory does
    not grow with the workbook; both packages are closed before the new file takes the old one's
    place. ``before``: on import, the records the record sheets held (their comments follow them);
    ``names``: the sheets as the admin named them (regcert-xl's name -> theirs)."""
    sections = build.build_sections(ev)
    step.next()
    with tempfile.TemporaryDirectory(prefix="regcert-refresh-") as tmp:
        skip = RECORD_SHEETS if positions is not None else ()
        fresh_path = write_workbook(Path(tmp) / "fresh.xlsx", sections, ev.settings, skip_rows=skip, names=names)
        with Package.open(fresh_path, lazy=True) as fresh:
            step.next()
            parts = merge(old, fresh, ev, sections, positions, before, names)
            if props and CUSTOM_PART in parts:
                parts[CUSTOM_PART] = with_properties(parts[CUSTOM_PART], props)
            step.next()

            def write(target: Path) -> None:
                package.write_parts(target, parts, old.order)
                fresh.close()
                old.close()

            package.save_with_backup(book, write)


def merge(old: Package, fresh: Package, ev: Evaluation, sections,
          positions: dict[str, list[int]] | None, before: dict[str, Table | None] | None = None,
          names: dict[str, str] | None = None) -> Parts:
    """The old package's parts with regcert-xl's parts taken from the fresh one (record sheets
    patched in place when ``positions`` is given, else replaced too). The fresh sheets carry the
    names the admin gave them (``names``: regcert-xl's name -> theirs)."""
    names = names or {}
    parts = old.parts.copy()
    styles_part = next(r.target for r in old.rels(old.workbook) if r.kind == "styles")
    fresh_styles = next(r.target for r in fresh.rels(fresh.workbook) if r.kind == "styles")
    parts[styles_part], style_map = merge_styles(old.parts[styles_part], fresh.parts[fresh_styles])
    patching = positions is not None
    patched = {names.get(n, n) for n in RECORD_SHEETS} if patching else set()
    start = names.get("Start", "Start")
    replaced = {n for n in fresh.sheets if n != start and n not in patched}
    kept = set() if patching else {p for ours in RECORD_SHEETS if names.get(ours, ours) in old.sheets
                                   for p in kept_parts(old, old.sheets[names.get(ours, ours)])}
    graft = Transplant(old, parts, style_map, shared_strings(fresh), replaced, kept=kept)
    for name in fresh.sheets:
        if name in patched:
            continue
        if name not in old.sheets:
            graft.add_sheet(fresh, name)
        elif name == start:
            graft.replace_sheet_data(fresh, name)
        else:
            graft.replace_sheet(fresh, name)
    by_name = {report.name: built for report, built in sections}
    tables = {t.label: t for t in ev.context.tables()}
    for ours in RECORD_SHEETS:
        name = names.get(ours, ours)
        if name not in old.sheets or not by_name.get(ours) or ours not in tables:
            continue
        if not patching and before and name in fresh.sheets:
            moves = _comment_moves(old, name, before.get(ours), tables[ours], list(by_name[ours][0].frame.columns))
            carry_sheet_comments(old, parts, old.sheets[name], moves)
            carry_drawing(old, parts, old.sheets[name])
        elif patching and positions is not None and positions.get(ours):
            part = old.sheets[name]
            parts[part] = _patched_record_sheet(partial(old.parts.chunks, part), by_name[ours][0], positions[ours],
                                                tables[ours].origin["row"])
    fresh_names = (n.get("name") or "" for n in xmlpart.find(fresh.parts[fresh.workbook], "definedNames", "definedName"))
    our_names = OUR_NAMES | {n for n in fresh_names if n.startswith(OUR_NAMES_PREFIXES)}
    parts[old.workbook] = merge_defined_names(parts[old.workbook], fresh.parts[fresh.workbook], our_names,
                                              list(_sheet_order(parts[old.workbook])), list(fresh.sheets))
    _drop_calc_chain(old, parts, graft.removed)
    types = set_overrides(parts["[Content_Types].xml"], graft.removed, graft.added_types)
    parts["[Content_Types].xml"] = _ensure_defaults(types, fresh)
    return parts


def _comment_moves(old: Package, name: str, was: Table | None, now: Table, headers: list[str]) -> CellMoves:
    """Where the cells of a record sheet go when an import writes it afresh: each record's row
    to its new row (the workbook's records keep their order), each column to its header."""
    header_row = (was.header_row if was is not None else None) or 1
    try:
        top = open_sheet(old.path, CalamineWorkbook.from_path(str(old.path)), name).to_python(nrows=header_row)
        old_headers = ["" if v is None else str(v) for v in top[header_row - 1]]
    except Exception:  # an unreadable header row: columns stay where they were
        old_headers = []
    rows = {}
    if was is not None:
        count = min(len(was), len(now))
        rows = dict(zip((was.origin["row"].to_numpy()[:count] - 1).tolist(),
                        (now.origin["row"].to_numpy()[:count] - 1).tolist(), strict=True))
    rows[header_row - 1] = (now.header_row or 1) - 1
    return CellMoves(old_headers, headers, rows)


def _patched_record_sheet(chunks: Callable[[], Iterable[Chunk]], section: Section, positions: list[int],
                         rows: pd.Series) -> Stream:
    """The record sheet (its old bytes from ``chunks``) with its generated columns patched,
    produced block by block as it is written."""
    columns = list(section.frame.columns)
    generated = columns[columns.index(section.generated_from):]
    return Stream(lambda: patch_chunks(chunks(), positions, section.frame[generated],
                                       [section.kind(c) for c in generated], rows))


def _sheet_order(workbook_xml: bytes) -> list[str]:
    return [n.get("name") or "" for n in xmlpart.find(workbook_xml, "sheets", "sheet")]


def _drop_calc_chain(old: Package, parts: Parts, removed: set[str]) -> None:
    """Excel rebuilds its calculation chain; a stale one after cells changed makes it complain."""
    for rel in old.rels(old.workbook):
        if rel.kind == "calcChain":
            parts.pop(rel.target, None)
            removed.add(rel.target)
            book_rels = rels_name(old.workbook)
            data = parts[book_rels]
            parts[book_rels] = xmlpart.remove(data, [n for n in xmlpart.find(data, "Relationship")
                                                     if n.get("Id") == rel.id])


def _ensure_defaults(types: bytes, fresh: Package) -> bytes:
    for default in xmlpart.find(fresh.parts["[Content_Types].xml"], "Default"):
        types = ensure_default(types, default.get("Extension") or "", default.get("ContentType") or "")
    return types

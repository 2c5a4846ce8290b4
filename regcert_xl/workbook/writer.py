"""Write the report workbook: XlsxWriter lays out every sheet (formats, tables, conditional
formats, drop-downs, charts, protection); the rows of the big tables are then spliced into
the package as column-built XML (see :mod:`sheet_xml`), and the file is saved atomically."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from regcert_xl.model.settings import Settings
from regcert_xl.ooxml import xmlpart
from regcert_xl.progress import Progress, steps
from regcert_xl.reports.base import ColumnKind, Report, Section, quoted, renamed_links
from regcert_xl.workbook import package
from regcert_xl.workbook.columns import (
    colour_rules,
    column_formats,
    fitted_width,
    table_columns,
    validations,
)
from regcert_xl.workbook.learner_sheet import write_learner
from regcert_xl.workbook.manifest import Manifest
from regcert_xl.workbook.sections import write_sections
from regcert_xl.workbook.sheet_limits import EXCEL_ROWS, fit
from regcert_xl.workbook.sheet_xml import column_letter, hyperlinks_xml, rows_xml
from regcert_xl.workbook.styles import TABLE_STYLE, Styles

RECORD_SHEETS = ("Qualifications", "Assessments")
LISTING_SHEETS = ("Issues", "Overview", "Actions")
BOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                "nan_inf_to_errors": True}


@dataclass
class BulkRows:
    """Rows of a table that are spliced into the package after XlsxWriter has written it."""

    part: str
    section: Section
    first_row: int  # 1-based sheet row of the first data row
    last_col: int
    header_row: int  # 1-based

    @property
    def table_ref(self) -> str:
        """The table's full range (declared to XlsxWriter over two rows, see _bulk_sheet)."""
        last = self.first_row + max(len(self.section.frame), 1) - 1
        return f"A{self.header_row}:{column_letter(self.last_col)}{last}"


@dataclass
class Layout:
    """Where each table of the workbook landed: sheet, header row (1-based), columns."""

    tables: dict[str, tuple[str, int, list[str]]] = field(default_factory=dict)

    def column_range(self, table: str, column: str) -> str:
        """'Sheet'!$X:$X for a table's column."""
        sheet, _row, columns = self.tables[table]
        letter = column_letter(columns.index(column))
        return f"{quoted(sheet)}!${letter}:${letter}"

    def data_range(self, table: str, column: str, rows: int) -> str:
        sheet, header_row, columns = self.tables[table]
        letter = column_letter(columns.index(column))
        return f"{quoted(sheet)}!${letter}${header_row + 1}:${letter}${header_row + max(rows, 1)}"


def manifest_for(built: list[tuple[Report, list[Section]]]) -> Manifest:
    """What this workbook's regcert-xl owns: generated sheets and generated columns."""
    manifest = Manifest(sheets=[r.name for r, _ in built if r.name not in RECORD_SHEETS])
    for report, sections in built:
        first = sections[0].generated_from if sections else None
        if report.name in RECORD_SHEETS and first is not None:
            columns = [str(c) for c in sections[0].frame.columns]
            manifest.generated[report.name] = columns[columns.index(first):]
    return manifest


def write_workbook(path: Path, built: list[tuple[Report, list[Section]]], settings: Settings, *,
                   vba_project: bytes | None = None, progress: Progress | None = None,
                   skip_rows: tuple[str, ...] = (), created: dt.datetime | None = None,
                   names: dict[str, str] | None = None, identity: tuple[str, str] = ("", "")) -> Path:
    """Write every sheet to ``path`` (atomically). Sheets named in ``skip_rows`` get their
    layout but not their rows (a refresh patches those in place). ``created``: the time the
    workbook says it was made (the refresh time, so the same build gives the same bytes).
    ``names``: sheets the admin renamed (regcert-xl's name -> theirs), written under their name.
    ``identity``: the workbook's GUID and the history store that holds its audit trail."""
    path = Path(path)
    names = names or {}
    built = [(report, [renamed_links(s, names) for s in sections]) for report, sections in built]
    with tempfile.TemporaryDirectory(prefix="regcert-") as tmp:
        skeleton = Path(tmp) / ("skeleton.xlsm" if vba_project else "skeleton.xlsx")
        book = Workbook(str(skeleton), BOOK_OPTIONS)
        if vba_project:
            vba_file = Path(tmp) / "vbaProject.bin"
            vba_file.write_bytes(vba_project)
            book.add_vba_project(str(vba_file))
        styles = Styles(book)
        layout = Layout()
        bulk: list[BulkRows] = []
        by_name = {report.name: sections for report, sections in built}
        lists = _choice_names(by_name.get("Settings", []))
        with steps(progress, *(f"Laying out {r.name}" for r, _ in built), "Writing rows", "Saving") as step:
            for report, sections in built:
                step.next()
                ws = book.add_worksheet(names.get(report.name, report.name))
                if report.name in RECORD_SHEETS or report.name in LISTING_SHEETS:
                    bulk += _bulk_sheet(ws, report, sections, styles, layout, lists)
                elif report.name == "Learner":
                    write_learner(ws, sections, styles, layout, by_name)
                else:
                    write_sections(ws, sections, styles, layout, first_row=0)
                if report.name == "Start" and vba_project:
                    _buttons(ws, sections)
                _page_setup(ws, report.name)
                if report.protected:
                    ws.protect(settings.protect_password, {"autofilter": True, "sort": True,
                                                            "format_columns": True, "format_rows": True})
            _define_names(book, layout, by_name, names.get("Learner", "Learner"))
            manifest = manifest_for(built)
            manifest.id, manifest.history = identity
            manifest.write(book)
            book.set_properties({"title": "Registration & certification tracker", "author": "regcert-xl",
                                 "comments": "Built by regcert-xl from the learner system's exports.",
                                 **({"created": created} if created else {})})
            book.close()
            step.next()
            shown = [names.get(n, n) for n in skip_rows]
            skipped = {f"xl/worksheets/sheet{book.get_worksheet_by_name(n).index + 1}.xml" for n in shown
                       if book.get_worksheet_by_name(n) is not None}
            replace = {job.part: _splicer(job) for job in bulk if job.part not in skipped}
            replace |= _table_resizers(skeleton, {job.section.table: job.table_ref for job in bulk})
            step.next()
            with package.atomic_path(path) as target:
                package.rewrite(skeleton, target, replace)
    return path


def _buttons(ws: Worksheet, sections: list[Section]) -> None:
    """The macro buttons, to the right of the Start sheet's tables."""
    from regcert_xl.workbook.vba.template import template_spec

    col = max(len(s.frame.columns) for s in sections) + 1
    ws.write_string(2, col, "Run regcert-xl:")
    for i, button in enumerate(template_spec().buttons):
        ws.insert_button(3 + i * 3, col, {"macro": button.macro, "caption": button.caption,
                                          "description": button.tip, "width": 150, "height": 36})


def _page_setup(ws: Worksheet, name: str) -> None:
    """Printable: A4 landscape, one page wide, table headers repeated on every page."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer(f"&L{name}&RPage &P of &N")
    if name in RECORD_SHEETS:
        ws.repeat_rows(0)
    elif name in LISTING_SHEETS:
        ws.repeat_rows(3)


def _choice_names(settings_sections: list[Section]) -> dict[str, str]:
    """Defined names for the drop-down lists on the Settings sheet (tblValidValues)."""
    names = {}
    for section in settings_sections:
        if section.table != "tblValidValues":
            continue
        for column in section.frame.columns:
            names[column] = "List" + "".join(w.title() for w in column.split())
    return names


def _define_names(book: Workbook, layout: Layout, by_name: dict[str, list[Section]], learner_sheet: str) -> None:
    for section in by_name.get("Settings", []):
        if section.table != "tblValidValues" or section.table not in layout.tables:
            continue
        for column in section.frame.columns:
            count = int(section.frame[column].notna().sum())
            book.define_name("List" + "".join(w.title() for w in column.split()),
                             "=" + layout.data_range(section.table, column, count))
    if "tblOverview" in layout.tables:
        learners = min(len(by_name["Overview"][0].frame), EXCEL_ROWS - 4)  # as many as the sheet shows
        book.define_name("LearnerList", "=" + layout.data_range("tblOverview", "ULN", learners))
    book.define_name("LearnerChoice", f"={quoted(learner_sheet)}!$C$3")


def _bulk_sheet(ws: Worksheet, report: Report, sections: list[Section], styles: Styles, layout: Layout,
                lists: dict[str, str]) -> list[BulkRows]:
    if not sections:
        ws.write_string(0, 0, f"No {report.name.lower()} were given.", styles.note)
        return []
    header_row = 3 if report.name in LISTING_SHEETS else 0
    section = fit(sections[0], header_row, records_of=report.name if report.name in RECORD_SHEETS else None)
    frame = section.frame
    if report.name in LISTING_SHEETS:
        ws.write_string(0, 0, section.title, styles.title)
        ws.write_string(1, 0, section.note, styles.note)
    columns = [str(c) for c in frame.columns]
    n = len(frame)
    formats = column_formats(section, styles)
    # declared over header + one row: XlsxWriter checks and remembers a table cell by cell, which
    # at 100,000 rows costs seconds and gigabytes; the full range is set in the table part after
    ws.add_table(header_row, 0, header_row + 1, len(columns) - 1, {
        "name": section.table, "style": TABLE_STYLE, "autofilter": True,
        "columns": table_columns(section, styles),
    })
    for i, c in enumerate(columns):
        hidden = c == "Learner Key"
        ws.set_column(i, i, fitted_width(c, frame[c], section.kind(c)), formats[i], {"hidden": hidden})
    # the column right of the table carries the date format: dates in columns of other kinds (an
    # admin's own columns) take its style index, read back from the sheet XlsxWriter wrote
    ws.set_column(len(columns), len(columns), None, styles.cell(ColumnKind.DATE))
    ws.set_row(header_row, 30)
    freeze_cols = 3 if report.name == "Overview" else 0
    ws.freeze_panes(header_row + 1, freeze_cols)
    colour_rules(ws, section, styles, header_row + 1, header_row + n)
    validations(ws, section, lists, header_row + 1, header_row + max(n, 1))
    layout.tables[section.table] = (ws.name, header_row + 1, columns)
    if section.generated_from in columns and section.note and report.name in RECORD_SHEETS:
        ws.write_comment(header_row, columns.index(section.generated_from), section.note,
                         {"x_scale": 3, "y_scale": 2, "author": "regcert-xl"})
    return [BulkRows(f"xl/worksheets/sheet{ws.index + 1}.xml", section, header_row + 2, len(columns) - 1,
                     header_row + 1)]


def _table_resizers(skeleton: Path, refs: dict[str, str]) -> dict[str, package.PartWriter]:
    """Table parts given their full range (ref and autoFilter)."""
    out = {}
    with zipfile.ZipFile(skeleton) as z:
        for name in z.namelist():
            if not name.startswith("xl/tables/"):
                continue
            table = xmlpart.nodes(z.read(name))[0].get("name")
            if table in refs:
                out[name] = _resizer(refs[table])
    return out


def _resizer(ref: str) -> package.PartWriter:
    def resize(old: bytes) -> Iterator[bytes]:
        found = xmlpart.nodes(old)
        for node in [found[0], *xmlpart.find(found, "autoFilter")][::-1]:  # from the end: spans stay put
            old = xmlpart.set_attribute(old, node, "ref", ref)
        yield old

    return resize


def column_styles(sheet: bytes, count: int) -> list[int]:
    """The style index XlsxWriter gave each of the first ``count`` columns (their ``<col style>``)."""
    styles = [0] * count
    for col in xmlpart.find(sheet, "cols", "col"):
        for i in range(int(col.get("min", "1")) - 1, min(int(col.get("max", "0")), count)):
            styles[i] = int(col.get("style", "0"))
    return styles


def _splicer(job: BulkRows) -> package.PartWriter:
    def splice(old: bytes) -> Iterator[bytes]:
        section = job.section
        frame = section.frame
        kinds = [section.kind(c) for c in frame.columns]
        *styles, date_style = column_styles(old, job.last_col + 2)
        rows = rows_xml(frame, job.first_row, 0, styles, kinds, date_style)
        last = job.first_row + max(len(frame), 1) - 1
        links = _hyperlinks(section, job.first_row)
        return package.splice_rows(old, rows, f"A1:{column_letter(job.last_col)}{last}", links)

    return splice


def _hyperlinks(section: Section, first_row: int) -> bytes:
    frame = section.frame
    parts = []
    for column, target in section.links.items():
        if column not in frame.columns:
            continue
        letter = column_letter(list(frame.columns).index(column))
        refs = letter + pd.Series(range(first_row, first_row + len(frame)), index=frame.index).astype(str)
        values = frame[column].astype("string")
        targets = values if target is None else pd.Series(target, index=frame.index, dtype="string").where(values.notna())
        parts.append((refs, targets, values))
    if not parts:
        return b""
    refs = pd.concat([p[0] for p in parts])
    return hyperlinks_xml(refs, pd.concat([p[1] for p in parts]), pd.concat([p[2] for p in parts]))

"""The Excel buttons (xlwings RunPython): read the tables, run the core, write the results back.

Nothing is worked out here: :mod:`regcert_xl.excel_bridge` does that on plain frames. This
module only talks to Excel — through ``xw.Book.caller()``, the pandas converter and
``Table.update`` — shows progress in the status bar, and turns any problem into a message box
and a line on the Start sheet, never a traceback window.

Debug without the button: open the workbook in Excel and run ``python -m regcert_xl.xl BOOK``.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any

import pandas as pd
import xlwings as xw

from regcert_xl import excel_bridge as bridge
from regcert_xl.model.errors import MissingInput, UserError, WorkbookError, write_crash_report

TITLE = "regcert-xl"


class StatusBar:
    """Progress in Excel's status bar."""

    def __init__(self, book: xw.Book):
        self.app = book.app

    def update(self, message: str, fraction: float) -> None:
        self.app.status_bar = f"regcert-xl: {message}… {fraction:.0%}"

    def clear(self) -> None:
        self.app.status_bar = False


class Sheets:
    """regcert-xl's sheets in the calling workbook, found by their tables (so the admin may rename
    them), listed once per button: every listing is a round trip to Excel per sheet and table."""

    def __init__(self, book: xw.Book):
        self.book = book
        self.tables = {s.name: table_names(s) for s in book.sheets}  # every sheet -> its tables
        self.names = bridge.sheet_roles(self.tables)  # regcert-xl's name -> the sheet's name now

    def get(self, name: str) -> xw.Sheet | None:
        """regcert-xl's sheet ``name``, wherever the admin renamed it (None when it has none)."""
        found = self.names.get(name)
        return self.book.sheets[found] if found is not None else None


def button(action: Callable[[Sheets, StatusBar], str]) -> Callable[[], None]:
    """Run an action on the calling workbook; report the outcome as a message, never a traceback."""

    @functools.wraps(action)
    def run() -> None:
        book = xw.Book.caller()
        bar = StatusBar(book)
        app = book.app
        app.screen_updating = False
        sheets: Sheets | None = None
        try:
            sheets = Sheets(book)
            done = action(sheets, bar)
            write_status(sheets, done)
            app.alert(done, title=TITLE, mode="info")
        except UserError as exc:
            report(book, sheets, str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: the admin sees where the details went
            traceback.print_exc(file=sys.stderr)
            where = write_crash_report(exc, action.__name__)
            report(book, sheets, f"Something went wrong inside regcert-xl ({type(exc).__name__}). "
                   + (f"The details are in {where}." if where else "The details could not be saved."))
        finally:
            app.screen_updating = True
            bar.clear()

    return run


def report(book: xw.Book, sheets: Sheets | None, message: str) -> None:
    if sheets is not None:
        write_status(sheets, f"Problem: {message}")
    book.app.alert(message, title=TITLE, mode="critical")


def write_status(sheets: Sheets, text: str) -> None:
    """The Status line of the Start sheet's table."""
    start = sheets.get("Start")
    table = table_frame(start, "tblStart") if start is not None else None
    if start is None or table is None or "Item" not in table:
        return
    rows = list(table["Item"])
    body = start.tables["tblStart"].data_body_range
    if "Status" in rows and body is not None:
        body[rows.index("Status"), 1].value = text


def table_names(sheet: xw.Sheet) -> list[str]:
    return [t.name for t in sheet.tables]


def table_frame(sheet: xw.Sheet, name: str) -> pd.DataFrame | None:
    """An Excel table through xlwings' pandas converter (header row, no index)."""
    if name not in table_names(sheet):
        return None
    return sheet.tables[name].range.options(pd.DataFrame, index=False, header=True).value


def generated_headers(book: xw.Book) -> dict[str, list[str]]:
    out = {}
    for sheet in bridge.RECORD_TABLES:
        try:
            text = book.names[bridge.GENERATED_NAME.format(sheet=sheet)].refers_to
        except Exception:  # noqa: BLE001 - a workbook without the name has no generated columns there
            continue
        if text is None:
            continue
        out[sheet] = text.lstrip("=").strip('"').replace('""', '"').split("|")
    return out


def read_workbook(sheets: Sheets, bar: StatusBar):
    bar.update("Reading the records", 0.1)
    tables = {}
    for name, (table, _) in bridge.RECORD_TABLES.items():
        sheet = sheets.get(name)
        tables[name] = table_frame(sheet, table) if sheet is not None else None
    if tables["Qualifications"] is None:
        raise WorkbookError("This workbook has no Qualifications table (tblQualifications) to work from.")
    settings_sheet = sheets.get("Settings")
    settings_frame = table_frame(settings_sheet, "tblSettings") if settings_sheet is not None else None
    settings = bridge.settings_from_frame(settings_frame, sheets.book.fullname)
    return tables, settings


def changes(sheets: Sheets, ev, **which) -> list:
    """What to write back to the workbook's sheets, wherever the admin renamed them (see
    :func:`regcert_xl.excel_bridge.updates` for ``which``)."""
    return bridge.updates(ev, bridge.tables_by_role(sheets.tables, sheets.names), record_headers(sheets),
                          names=sheets.names, **which)


def write_back(sheets: Sheets, writes: list, bar: StatusBar) -> None:
    total = max(len(writes), 1)
    for i, item in enumerate(writes):
        name = sheets.names.get(item.sheet, item.sheet)
        bar.update(f"Writing {name}", 0.5 + 0.5 * i / total)
        sheet = sheets.book.sheets[name]
        if isinstance(item, bridge.ColumnsUpdate):
            sheet.range((item.first_row, item.first_col)).options(index=False, header=False).value = item.frame
        else:
            make_room(sheet, item)
            sheet.tables[item.table].update(item.frame, index=False)


def make_room(sheet: xw.Sheet, item: bridge.TableUpdate) -> None:
    """Tables stacked on a sheet must not run into each other: insert (or remove) whole rows
    below a table whose number of rows changes."""
    table = sheet.tables[item.table]
    body = table.data_body_range
    current = body.rows.count if body is not None else 1
    wanted = max(len(item.frame), 1)
    below = table.range.last_cell.row + 1
    if wanted > current:
        sheet.range(f"{below}:{below + wanted - current - 1}").insert("down")
    elif wanted < current:
        sheet.range(f"{below - (current - wanted)}:{below - 1}").delete("up")


def record_headers(sheets: Sheets) -> dict[str, list[str]]:
    out = {}
    for name, (table, _) in bridge.RECORD_TABLES.items():
        sheet = sheets.get(name)
        if sheet is not None and table in sheets.tables[sheet.name]:
            header = sheet.tables[table].header_row_range
            if header is not None:  # a table shown without its header row has none to read
                out[name] = list(header.value)
    return out


@button
def refresh(sheets: Sheets, bar: StatusBar) -> str:
    """The Refresh button: every flag, sheet and list worked out again; a snapshot saved."""
    book = sheets.book
    with bridge.working_on(book.fullname):
        tables, settings = read_workbook(sheets, bar)
        bar.update("Working out flags", 0.3)
        history = bridge.history_for(book.fullname, settings)
        ev = bridge.evaluate(tables, generated_headers(book), settings, learner=chosen(sheets), history=history)
        write_back(sheets, changes(sheets, ev), bar)
        bridge.save_snapshot(history, ev, "refresh", book.fullname)
    return summary(ev)


def summary(ev) -> str:
    counts = ev.issues["severity"].value_counts()
    return (f"Refreshed: {len(ev.records):,} records, {int(ev.hits['is_action'].sum()):,} open actions; "
            f"{int(counts.get('error', 0)):,} errors and {int(counts.get('warning', 0)):,} warnings on the Issues sheet.")


@button
def validate(sheets: Sheets, bar: StatusBar) -> str:
    """The Validate button: the Issues sheet, nothing else."""
    tables, settings = read_workbook(sheets, bar)
    bar.update("Checking the records", 0.3)
    ev = bridge.evaluate(tables, generated_headers(sheets.book), settings)
    write_back(sheets, changes(sheets, ev, only={"Issues"}), bar)
    counts = ev.issues["severity"].value_counts()
    return (f"{int(counts.get('error', 0)):,} errors, {int(counts.get('warning', 0)):,} warnings, "
            f"{int(counts.get('info', 0)):,} notes: see the Issues sheet.")


@button
def show_learner(sheets: Sheets, bar: StatusBar) -> str:
    """The Show learner button: the learner in the selected row, on the Learner sheet."""
    selection = sheets.book.selection
    learner = _learner_at(selection) if selection is not None else None
    if learner is None:
        raise MissingInput("Select a cell in a row of Overview, Actions, Qualifications or Assessments first.")
    sheet = sheets.get("Learner")
    if sheet is None:
        raise WorkbookError("This workbook has no Learner sheet (no sheet holds its tables, such as "
                            "tblLearnerDetails) to show the learner on.")
    sheet.range("C3").value = learner
    sheet.activate()
    return f"Showing learner {learner}."


def _learner_at(selection: xw.Range) -> str | None:
    """The learner of the table row the selection is in (None outside a table's rows)."""
    sheet = selection.sheet
    for name in table_names(sheet):
        table = sheet.tables[name]
        top, bottom = table.range.row, table.range.last_cell.row
        header = table.header_row_range
        if header is not None and top < selection.row <= bottom:
            headers = list(header.value)
            values = list(sheet.range((selection.row, table.range.column)).resize(1, len(headers)).value)
            return bridge.learner_in_row(headers, values)
    return None


@button
def import_export(sheets: Sheets, bar: StatusBar) -> str:
    """The Import export button: the newer export named on the Start sheet merged into this
    workbook (as `regcert-xl import` does): the record tables rewritten, everything refreshed."""
    book = sheets.book
    start = sheets.get("Start")
    paths = bridge.import_paths(table_frame(start, "tblImport") if start is not None else None)
    with bridge.working_on(book.fullname):
        tables, settings = read_workbook(sheets, bar)
        bar.update("Merging the export", 0.3)
        history = bridge.history_for(book.fullname, settings)
        ev, merged, export = bridge.import_export(tables, generated_headers(book), paths, settings, history)
        write_back(sheets, changes(sheets, ev, whole_records=True), bar)
        bridge.save_snapshot(history, ev, "import", paths.get("Qualifications export", ""), export=export,
                             conflicts=merged.conflicts)
    return merged.summary


def chosen(sheets: Sheets) -> str | None:
    sheet = sheets.get("Learner")
    if sheet is None:
        return None
    value = sheet.range("C3").value
    return None if value in (None, "") else str(int(value) if isinstance(value, float) else value)


# -- worksheet functions ---------------------------------------------------------------------

@xw.func
@xw.arg("uln")
def REGCERT_ULN_VALID(uln: Any) -> bool:  # noqa: N802 - Excel function names are upper case
    """TRUE when the ULN is 10 digits, does not start with 0 and passes the DfE check digit."""
    return bridge.uln_valid(uln)


@xw.func
def REGCERT_FLAG(status: Any, planned_end_date: Any = None, planned_achieved_date: Any = None,  # noqa: N802
                 registration_date: Any = None, achieved_date: Any = None, claimed_date: Any = None,
                 received_date: Any = None, sent_date: Any = None, as_of: Any = None, caller: Any = None) -> str:
    """The flag of one qualification record from its status and dates, under the calling
    workbook's settings (its Settings sheet as last saved), e.g.
    =REGCERT_FLAG(M2, O2, R2, P2, S2, T2, U2, V2, TODAY()). ``caller`` is filled in by xlwings
    (the calling cell) and is not an argument in Excel."""
    return bridge.flag_for(status, planned_end_date, planned_achieved_date, registration_date, achieved_date,
                           claimed_date, received_date, sent_date, as_of, book=caller_book(caller))


def caller_book(caller: Any) -> str | None:
    """The full path of the workbook a worksheet function is called from (None when unknown)."""
    try:
        return caller.sheet.book.fullname if caller is not None else None
    except Exception:  # noqa: BLE001 - no caller (a test, another host): the defaults apply
        return None


if __name__ == "__main__":  # debugging: python -m regcert_xl.xl PATH (with the workbook open in Excel)
    xw.Book(sys.argv[1] if len(sys.argv) > 1 else "RegCert.xlsm").set_mock_caller()
    refresh()

"""A stand-in for the part of xlwings the buttons use, filled from a real workbook file and
recording every call and assignment, so tests can run the entry points end to end and then
check each recorded use against the installed xlwings' real signatures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from regcert_xl.ooxml.opc import Package


@dataclass
class Recorder:
    calls: list[tuple[str, str, tuple, dict]] = field(default_factory=list)  # (class, member, args, kwargs)
    sets: list[tuple[str, str, object]] = field(default_factory=list)  # (class, property, value)

    def call(self, cls: str, member: str, *args, **kwargs) -> None:
        self.calls.append((cls, member, args, kwargs))

    def set(self, cls: str, member: str, value: object) -> None:
        self.sets.append((cls, member, value))


class App:
    def __init__(self, rec: Recorder):
        self._rec = rec
        self.alerts: list[tuple[str, dict]] = []
        self.statuses: list[object] = []

    @property
    def status_bar(self):
        return self.statuses[-1] if self.statuses else None

    @status_bar.setter
    def status_bar(self, value):
        self._rec.set("App", "status_bar", value)
        self.statuses.append(value)

    @property
    def screen_updating(self):
        return True

    @screen_updating.setter
    def screen_updating(self, value):
        self._rec.set("App", "screen_updating", value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self._rec.call("App", "alert", prompt, title=title, mode=mode)
        self.alerts.append((prompt, {"title": title, "mode": mode}))


class Rows:
    def __init__(self, n):
        self.count = n


class Range:
    """A rectangle of a sheet (1-based row and column)."""

    def __init__(self, sheet: Sheet, row: int, column: int, nrows: int = 1, ncols: int = 1, table: Table | None = None,
                 convert=None):
        self.sheet, self.row, self.column, self.nrows, self.ncols = sheet, row, column, nrows, ncols
        self._table, self._convert = table, convert

    @property
    def rows(self):
        return Rows(self.nrows)

    @property
    def last_cell(self):
        return Range(self.sheet, self.row + self.nrows - 1, self.column + self.ncols - 1)

    def options(self, convert=None, **options):
        self.sheet._rec.call("Range", "options", convert, **options)
        return Range(self.sheet, self.row, self.column, self.nrows, self.ncols, self._table, (convert, options))

    def resize(self, row_size=None, column_size=None):
        self.sheet._rec.call("Range", "resize", row_size, column_size)
        return Range(self.sheet, self.row, self.column, row_size or self.nrows, column_size or self.ncols)

    def __getitem__(self, key):
        r, c = key
        return Range(self.sheet, self.row + r, self.column + c)

    @property
    def value(self):
        if self._table is not None and self._convert and self._convert[0] is pd.DataFrame:
            return self._table.frame.copy()
        return self.sheet.read(self.row, self.column, self.nrows, self.ncols)

    @value.setter
    def value(self, value):
        self.sheet._rec.set("Range", "value", value)
        self.sheet.write(self.row, self.column, value)

    def insert(self, shift=None, copy_origin="format_from_left_or_above"):
        """Whole rows only (what the buttons insert): the rows below, tables included, move down."""
        self.sheet._rec.call("Range", "insert", shift)
        assert shift == "down" and self.ncols == 16384, "the stand-in inserts whole rows only"
        self.sheet.insert_rows(self.row, self.nrows)

    def delete(self, shift=None):
        """Whole rows only: the rows below, tables included, move up."""
        self.sheet._rec.call("Range", "delete", shift)
        assert shift == "up" and self.ncols == 16384, "the stand-in deletes whole rows only"
        self.sheet.delete_rows(self.row, self.nrows)


class Table:
    def __init__(self, sheet: Sheet, name: str, header_row: int, first_col: int, frame: pd.DataFrame):
        self.sheet, self.name, self.header_row, self.first_col, self.frame = sheet, name, header_row, first_col, frame
        self.updates: list[pd.DataFrame] = []

    @property
    def range(self):
        return Range(self.sheet, self.header_row, self.first_col, len(self.frame) + 1, self.frame.shape[1], table=self)

    @property
    def data_body_range(self):
        return Range(self.sheet, self.header_row + 1, self.first_col, max(len(self.frame), 1), self.frame.shape[1])

    @property
    def header_row_range(self):
        return Range(self.sheet, self.header_row, self.first_col, 1, self.frame.shape[1])

    def update(self, data, index=True):
        """As Excel does: the table resized to the data (header kept, body rewritten); a table
        that would run into another table on the sheet is an error, as it is in Excel."""
        self.sheet._rec.call("Table", "update", data, index=index)
        last = self.header_row + max(len(data), 1)
        for other in self.sheet._tables.values():
            if other is not self and other.header_row > self.header_row and other.header_row <= last:
                raise RuntimeError(f"{self.name} would run into {other.name} (row {other.header_row})")
        self.sheet.put(self.header_row + 1, self.first_col, [list(r) for r in data.itertuples(index=False)],
                       clear_rows=max(len(self.frame), len(data)), width=data.shape[1])
        self.updates.append(data)
        self.frame = data
        return self


class Sheet:
    def __init__(self, rec: Recorder, name: str, rows: list[list]):
        self._rec, self.name, self.rows = rec, name, [list(r) for r in rows]
        self._tables: dict[str, Table] = {}
        self.writes: list[tuple[int, int, object]] = []

    @property
    def tables(self):
        return Collection(self._tables)

    def range(self, cell1, cell2=None):
        self._rec.call("Sheet", "range", cell1, cell2)
        if isinstance(cell1, tuple):
            return Range(self, cell1[0], cell1[1])
        text = str(cell1)
        if ":" in text and text.replace(":", "").isdigit():
            first, last = (int(p) for p in text.split(":"))
            return Range(self, first, 1, last - first + 1, 16384)
        col = ord(text[0]) - 64
        return Range(self, int(text[1:]), col)

    def activate(self):
        self._rec.call("Sheet", "activate")

    def read(self, row, col, nrows, ncols):
        out = []
        for r in range(row, row + nrows):
            line = self.rows[r - 1] if r - 1 < len(self.rows) else []
            out.append([line[c - 1] if c - 1 < len(line) else None for c in range(col, col + ncols)])
        if nrows == 1 and ncols == 1:
            return out[0][0]
        return out[0] if nrows == 1 else out

    def write(self, row, col, value):
        self.writes.append((row, col, value))

    def put(self, row, col, values: list[list], clear_rows: int = 0, width: int = 0) -> None:
        """Cells set from ``row``, ``col`` (1-based); ``clear_rows`` rows of ``width`` blanked first."""
        for r in range(max(clear_rows, len(values))):
            line = values[r] if r < len(values) else [None] * width
            target = row - 1 + r
            while len(self.rows) <= target:
                self.rows.append([])
            cells = self.rows[target]
            cells += [None] * (col - 1 + max(width, len(line)) - len(cells))
            cells[col - 1:col - 1 + len(line)] = line
            for c in range(len(line), width):
                cells[col - 1 + c] = None

    def insert_rows(self, row: int, count: int) -> None:
        self.rows[row - 1:row - 1] = [[] for _ in range(count)]
        for table in self._tables.values():
            if table.header_row >= row:
                table.header_row += count

    def delete_rows(self, row: int, count: int) -> None:
        for table in self._tables.values():
            assert not row <= table.header_row < row + count, f"deleting rows {row}-{row + count - 1} hits {table.name}"
        del self.rows[row - 1:row - 1 + count]
        for table in self._tables.values():
            if table.header_row >= row + count:
                table.header_row -= count
            else:  # rows deleted from a table's body leave it shorter, as in Excel
                body = range(table.header_row + 1, table.header_row + 1 + len(table.frame))
                gone = [r - body.start for r in range(row, row + count) if r in body]
                table.frame = table.frame.drop(table.frame.index[gone]).reset_index(drop=True)


class Collection:
    def __init__(self, items: dict):
        self._items = items

    def __iter__(self):
        return iter(self._items.values())

    def __getitem__(self, key):
        return self._items[key] if isinstance(key, str) else list(self._items.values())[key]


class Name:
    def __init__(self, rec, refers_to):
        self._rec, self._refers_to = rec, refers_to

    @property
    def refers_to(self):
        return self._refers_to


class Book:
    """Filled from a workbook file: every sheet's cells, every table as a DataFrame."""

    def __init__(self, path: Path):
        self.recorder = Recorder()
        self.fullname = str(path)
        self.app = App(self.recorder)
        book = CalamineWorkbook.from_path(str(path))
        self._sheets = {name: Sheet(self.recorder, name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                        for name in book.sheet_names}
        package = Package.open(path)
        for name, part in package.sheets.items():
            for rel in package.rels(part):
                if rel.kind == "table":
                    self._add_table(name, package.parts[rel.target])
        import re

        names = re.findall(rb'<definedName name="([^"]+)"[^>]*>(.*?)</definedName>', package.parts[package.workbook])
        self._names = {n.decode(): Name(self.recorder, v.decode().replace("&quot;", '"')) for n, v in names}
        self.selection: Range | None = None

    def _add_table(self, sheet: str, xml: bytes) -> None:
        import re

        name = re.search(rb'\sname="([^"]+)"', xml).group(1).decode()
        ref = re.search(rb'\sref="([A-Z]+)(\d+):([A-Z]+)(\d+)"', xml)
        col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(ref.group(1).decode())))
        last_col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(ref.group(3).decode())))
        top, bottom = int(ref.group(2)), int(ref.group(4))
        grid = self._sheets[sheet].read(top, col, bottom - top + 1, last_col - col + 1)
        grid = [grid] if bottom == top else grid
        frame = pd.DataFrame(grid[1:], columns=grid[0]).replace("", None)
        self._sheets[sheet]._tables[name] = Table(self._sheets[sheet], name, top, col, frame)

    @property
    def sheets(self):
        return Collection(self._sheets)

    @property
    def names(self):
        return self._names

    def sheet(self, name) -> Sheet:
        return self._sheets[name]

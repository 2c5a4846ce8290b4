"""CSV exports: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252 (also mixed into
UTF-8), comma, semicolon, tab or pipe separated, CRLF or LF, title rows above the header."""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from regcert_xl.model.issues import UnusableInput
from regcert_xl.read.grid import (
    HEADER_SEARCH_ROWS,
    RawTable,
    drop_blank_rows,
    find_header_row,
    header_text,
)

DELIMITERS = (",", ";", "\t", "|")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 are read as Windows-1252 (Excel's 'CSV' on UK Windows)."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start:error.end]
    return chunk.decode("cp1252", errors="replace"), error.end


codecs.register_error("regcert_cp1252", _cp1252_fallback)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read as."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="regcert_cp1252"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="regcert_cp1252"), "windows-1252"


def read_csv(path: Path, data: bytes, aliases: dict[str, str]) -> RawTable:
    text, _encoding = decode(data)
    if "\x00" in text:
        raise UnusableInput.file(path, "the file contains NUL bytes: it is not a text CSV export")
    if not text.strip():
        raise UnusableInput.file(path, "the file has no rows")
    delimiter, header_index = _sniff(text, aliases)
    head_rows = _first_rows(text, delimiter, header_index + 1)
    headers = [header_text(h) for h in head_rows[header_index]] if len(head_rows) > header_index else []
    cells = _read_cells(path, text, delimiter, header_index, len(headers))
    # rows are records: the number Excel shows is the record's position after the header
    origin = pd.DataFrame({"sheet": path.name, "row": cells.index + header_index + 2})
    headers += [""] * (cells.shape[1] - len(headers))
    cells, origin = drop_blank_rows(cells, origin)
    return RawTable(path.name, headers, cells, origin, header_index + 1)


def _head(text: str, lines: int) -> str:
    """The first ``lines`` lines of ``text`` (found without splitting the whole file)."""
    end = 0
    for _ in range(lines):
        end = text.find("\n", end) + 1
        if end == 0:
            return text
    return text[:end]


@contextmanager
def _any_field_size() -> Iterator[None]:
    """Python's csv module refuses fields over 128 KB; an export's long notes are data."""
    previous = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _first_rows(text: str, delimiter: str, count: int) -> list[list[str]]:
    head = _head(text, max(count, HEADER_SEARCH_ROWS) * 2)
    try:
        with _any_field_size():
            return list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))[:count]
    except csv.Error:
        return []


def _sniff(text: str, aliases: dict[str, str]) -> tuple[str, int]:
    """The delimiter and header row that name the most fields; ties: most columns, then comma."""
    best: tuple[int, int, int] = (-1, -1, 0)
    choice = (",", 0)
    for rank, delimiter in enumerate(DELIMITERS):
        rows = _first_rows(text, delimiter, HEADER_SEARCH_ROWS)
        if not rows:
            continue
        index, score = find_header_row(rows, aliases)
        candidate = (score, len(rows[index]) if index < len(rows) else 0, -rank)
        if candidate > best:
            best, choice = candidate, (delimiter, index)
    return choice


def _read_cells(path: Path, text: str, delimiter: str, header_index: int, width: int) -> pd.DataFrame:
    """Every field of every record. A row wider than the header must not lose its extra
    fields: pandas only warns when it drops them, so that warning sends us to measure the
    widest row and read again."""
    width = max(width, 1)
    fast = _read_cells_arrow(text, delimiter, header_index, width)
    if fast is not None:
        return fast
    for _attempt in range(2):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                return pd.read_csv(
                    io.StringIO(text), sep=delimiter, header=None, skiprows=header_index + 1,
                    names=range(width), index_col=False, dtype=str, keep_default_na=False,
                    na_filter=False, skip_blank_lines=False, engine="c",
                )
        except pd.errors.ParserWarning:
            widest = _widest_row(text, delimiter, header_index)
            if widest is None:
                raise UnusableInput.file(path, "the CSV's rows cannot be split into fields: "
                                               "save it again as CSV from Excel") from None
            width = widest
        except pd.errors.EmptyDataError:
            return pd.DataFrame(columns=range(width), dtype=str)
        except (pd.errors.ParserError, ValueError, OverflowError, MemoryError) as exc:
            raise UnusableInput.file(path, f"the CSV cannot be read: {_first_line(exc)}") from None
    raise UnusableInput.file(path, "the CSV rows have inconsistent numbers of fields")


def _read_cells_arrow(text: str, delimiter: str, header_index: int, width: int) -> pd.DataFrame | None:
    """The same cells through Arrow's multi-threaded reader, when every record has exactly the
    header's width and no line is blank; None (use pandas') otherwise."""
    names = [str(i) for i in range(width)]
    data = text.encode("utf-8")
    # a block must hold the longest record: one huge cell means one block
    block = 1 << 20 if len(data) <= 1 << 20 or _longest_line(data) < 1 << 19 else len(data) + 1
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=header_index + 1, block_size=block),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    return frame.set_axis(range(width), axis=1)


def _longest_line(data: bytes) -> int:
    """The longest line in bytes (the longest gap between line ends), without splitting the text."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    return int(np.diff(ends, prepend=-1, append=len(data)).max()) if len(ends) else len(data)


def _widest_row(text: str, delimiter: str, header_index: int) -> int | None:
    with _any_field_size():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            return max((len(row) for i, row in enumerate(reader) if i > header_index), default=1)
        except csv.Error:  # rows the csv module cannot split either
            return None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

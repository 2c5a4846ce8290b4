"""Column-wise value parsing: dates, ULNs, text and whole numbers.

Every parser takes a column of raw cell values (strings from CSV/JSON; strings, numbers,
dates from workbooks) and returns the typed column plus the raw values it could not read
(reported, never silently blanked) or had to repair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from regcert_xl.model.frames import text_block

# Excel serial day numbers accepted as dates: 01/01/1950 .. 31/12/2099.
SERIAL_MIN, SERIAL_MAX = 18264, 73415
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")]
    )
    for m in names
}

_TIME = r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?)?"
_ZONE = r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"
_PATTERNS = {
    # yyyy-mm-dd (ISO; also / and . separators, which are unambiguous with a 4-digit year first)
    "iso": rf"^(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}{_ZONE}$",
    # dd/mm/yyyy, dd-mm-yy, dd.mm.yyyy: always day first, never US order
    "uk": rf"^(?P<d>\d{{1,2}})[-/.](?P<m>\d{{1,2}})[-/.](?P<y>\d{{4}}|\d{{2}}){_TIME}$",
    # 15 Apr 2026, 15-April-2026, 15 Apr 26
    "named": rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[-/ ]+(?P<mon>[A-Za-z]{{3,9}})\.?[-/ ,]+(?P<y>\d{{4}}|\d{{2}}){_TIME}$",
    # Excel serial day number, possibly with a time fraction
    "serial": r"^(?P<serial>\d{1,6}(?:\.\d+)?)$",
    # OData v2 /Date(ms)/
    "odata": r"^/Date\((?P<ms>-?\d+)(?:[+-]\d{4})?\)/$",
}


@dataclass
class Parsed:
    """A parsed column: typed ``values`` and the raw cells that could not be read or were repaired."""

    values: pd.Series
    invalid: pd.Series  # raw value where the cell was not blank but could not be read
    repaired: pd.Series | None = None  # raw value where the cell was repaired


def _is_text_dtype(raw: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(raw.dtype) and not pd.api.types.is_object_dtype(raw.dtype)


def blank_cells(raw: pd.Series) -> pd.Series:
    """Per cell: True where there is no value (missing, or text that is only spaces)."""
    if _is_text_dtype(raw):  # CSV, or a workbook column of text only
        return (raw.isna() | (raw.str.strip() == "")).astype(bool)
    obj = raw.astype(object)
    missing = obj.isna()
    if pd.api.types.infer_dtype(obj, skipna=True) not in ("string", "mixed", "mixed-integer", "empty"):
        return missing  # no text at all (numbers, dates, booleans)
    # .str on mixed values gives NaN for every non-text cell, so only text is stripped
    return (missing | obj.str.strip().eq("")).astype(bool)


def blank_frame(cells: pd.DataFrame) -> np.ndarray:
    """Per cell of a frame: True where there is no value, as a (rows, columns) array. Text
    columns are checked together in one Arrow pass; others (a workbook's mixed cells) each."""
    blank = np.zeros(cells.shape, dtype=bool)
    labels, text = text_block(cells)
    if labels:
        empty = pc.or_kleene(pc.is_null(text), pc.equal(pc.utf8_trim_whitespace(text), ""))
        where = cells.columns.get_indexer(labels)
        blank[:, where] = pc.fill_null(empty, True).to_numpy(zero_copy_only=False).reshape(len(labels), len(cells)).T
    done = set(labels)
    for i, label in enumerate(cells.columns):
        if label not in done:
            blank[:, i] = blank_cells(cells.iloc[:, i]).to_numpy()
    return blank


def _kinds(raw: pd.Series) -> pd.Series:
    """Per cell: 'text', 'number', 'datetime', 'date', 'bool' or 'other' (type names, C-level map)."""
    if _is_text_dtype(raw):
        return pd.Series("text", index=raw.index, dtype=object)
    types = raw.astype(object).map(type)
    names = types.map(
        {str: "text", float: "number", int: "number", np.float64: "number", np.int64: "number",
         bool: "bool", np.bool_: "bool", dt.datetime: "datetime", pd.Timestamp: "datetime",
         dt.date: "date"}
    )
    return names.fillna("other")


def _two_digit_year(y: pd.Series) -> pd.Series:
    # Excel's pivot: 00-29 -> 2000s, 30-99 -> 1900s
    return y.where(y >= 100, y + 2000).where((y >= 100) | (y < 30), y + 1900)


def _from_parts(y: pd.Series, m: pd.Series, d: pd.Series) -> pd.Series:
    parts = pd.DataFrame({"year": y, "month": m, "day": d}).astype("float64")
    ok = parts.notna().all(axis=1)
    ok &= parts["month"].between(1, 12) & parts["day"].between(1, 31)
    ok &= parts["year"].between(1900, 2199)
    out = pd.Series(pd.NaT, index=y.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = pd.to_datetime(parts[ok].astype("int64"), errors="coerce")
    return out


def parse_dates(raw: pd.Series) -> Parsed:
    """Read a column of dates in every accepted form; times are dropped.

    Accepted: yyyy-mm-dd (with optional time and zone: zoned times are taken in UK time),
    dd/mm/yyyy or dd-mm-yy (day first, never US order), ``15 Apr 2026``, Excel serial
    numbers, OData ``/Date(ms)/``, and real dates from workbooks. Blank cells stay blank.
    """
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if raw.empty:
        return Parsed(out, raw.iloc[0:0])
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values = raw.dt.tz_convert("Europe/London").dt.tz_localize(None) if raw.dt.tz else raw
        return Parsed(values.dt.normalize().astype("datetime64[ns]"), raw.iloc[0:0])

    blank = blank_cells(raw)
    kinds = _kinds(raw)
    obj = raw.astype(object)

    is_dt = kinds.isin(["datetime", "date"]) & ~blank
    if is_dt.any():
        out[is_dt] = pd.to_datetime(obj[is_dt], errors="coerce").dt.normalize()

    is_num = (kinds == "number") & ~blank
    if is_num.any():
        out[is_num] = _from_serial(pd.to_numeric(obj[is_num], errors="coerce"))

    is_text = (kinds == "text") & ~blank
    if is_text.any():
        text = raw[is_text] if _is_text_dtype(raw) else obj[is_text].astype(str)
        out[is_text] = _parse_text_dates(text.str.strip())

    invalid = ~blank & out.isna()
    return Parsed(out, raw[invalid])


def _from_serial(serial: pd.Series) -> pd.Series:
    ok = serial.between(SERIAL_MIN, SERIAL_MAX)
    out = pd.Series(pd.NaT, index=serial.index, dtype="datetime64[ns]")
    out[ok] = EXCEL_EPOCH + pd.to_timedelta(np.floor(serial[ok]), unit="D")
    return out


# Exact forms pandas reads in C (with the shape a value must have to be taken); anything they
# leave goes through the patterns below. The last is how the history store keeps dates.
_SHORT = r"\d{1,4}[/-]\d{1,2}[/-]\d{1,4}"
_FAST_FORMATS = (("%d/%m/%Y", _SHORT), ("%Y-%m-%d", _SHORT),
                 ("%Y-%m-%dT%H:%M:%S.%f", r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}"))


def _parse_text_dates(text: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    remaining = pd.Series(True, index=text.index)
    for fmt, shape in _FAST_FORMATS:
        if not remaining.any():
            return out
        fast = pd.to_datetime(text[remaining], format=fmt, errors="coerce").dt.normalize()
        hit = fast.notna() & text[remaining].str.fullmatch(shape).fillna(False)
        out[hit[hit].index] = fast[hit]
        remaining[hit[hit].index] = False
    for name, pattern in _PATTERNS.items():
        if not remaining.any():
            break
        subset = text[remaining]
        parts = subset.str.extract(pattern)
        hit = parts.iloc[:, 0].notna()
        if not hit.any():
            continue
        parts = parts[hit]
        if name == "serial":
            values = _from_serial(pd.to_numeric(parts["serial"], errors="coerce"))
        elif name == "odata":
            ms = pd.to_numeric(parts["ms"], errors="coerce")
            stamps = pd.to_datetime(ms, unit="ms", utc=True, errors="coerce")
            values = stamps.dt.tz_convert("Europe/London").dt.tz_localize(None).dt.normalize()
        else:
            y = pd.to_numeric(parts["y"], errors="coerce")
            y = _two_digit_year(y) if name != "iso" else y
            m = (parts["mon"].str.casefold().map(_MONTHS) if name == "named"
                 else pd.to_numeric(parts["m"], errors="coerce"))
            d = pd.to_numeric(parts["d"], errors="coerce")
            values = _from_parts(y, m, d)
            if name == "iso":
                zoned = parts["zone"].notna() & values.notna()
                if zoned.any():
                    values[zoned] = _zoned_local_dates(subset[hit][zoned])
        out[values.index] = values
        remaining[parts.index] = False
    return out


def _zoned_local_dates(text: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
    return stamps.dt.tz_convert("Europe/London").dt.tz_localize(None).dt.normalize()


def date_problem(raw: object) -> str:
    """Why a raw cell is not a date, in the user's words."""
    text = str(raw).strip()
    import re

    m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})", text)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        if month > 12 and day <= 12:
            return (f"'{text}' is not a date: dates are read day first (dd/mm/yyyy) "
                    f"and {month} is not a month — is it in US order?")
        return f"'{text}' is not a real date (dd/mm/yyyy)"
    if re.match(r"^\d+(\.\d+)?$", text):
        return f"'{text}' is not a date: as an Excel date number it is outside 1950–2099"
    return f"'{text}' is not a date; use dd/mm/yyyy"


# -- ULNs -------------------------------------------------------------------------------------

_ULN_WEIGHTS = np.arange(10, 1, -1)


def repair_ulns(raw: pd.Series) -> Parsed:
    """ULNs as 10-character text. Float and scientific forms with every digit present are
    repaired; a form whose digits were lost is left as it is (the ULN rule reports it)."""
    blank = blank_cells(raw)
    kinds = _kinds(raw)
    obj = raw.astype(object)
    out = pd.Series(pd.NA, index=raw.index, dtype="string")
    repaired = pd.Series(False, index=raw.index)

    is_num = (kinds == "number") & ~blank
    if is_num.any():
        nums = pd.to_numeric(obj[is_num], errors="coerce")
        integral = nums.notna() & (nums == np.floor(nums)) & (nums.abs() < 1e15)
        out[is_num] = nums.astype(object).astype(str)
        out[nums[integral].index] = nums[integral].astype("int64").astype(str)

    is_text = ~is_num & ~blank
    if is_text.any():
        text = (raw[is_text] if _is_text_dtype(raw) else obj[is_text].astype(str)).str.strip()
        out[is_text] = text
        text = text[~text.str.fullmatch(r"\d+")]  # all digits: nothing to repair
        text = text.str.lstrip("'").str.replace(r"\s+", "", regex=True)
        out[text.index] = text
        decimal = text.str.fullmatch(r"\d+\.0+")
        out[decimal[decimal].index] = text[decimal].str.replace(r"\.0+$", "", regex=True)
        repaired |= decimal.reindex(raw.index, fill_value=False)
        # 1.000000043E9: repairable only when the mantissa still holds every digit
        sci = text.str.extract(r"^(?P<int>[1-9])\.(?P<frac>\d+)[eE]\+?(?P<exp>\d{1,2})$").dropna()
        exact = sci[sci["frac"].str.len() == pd.to_numeric(sci["exp"])]
        if len(exact):
            out[exact.index] = exact["int"] + exact["frac"]
            repaired[exact.index] = True
    return Parsed(out, raw.iloc[0:0], raw[repaired])


def uln_checks(uln: pd.Series) -> pd.DataFrame:
    """Per ULN: shape_ok (10 digits, not starting 0), check_ok (DfE check digit), temporary."""
    text = uln.astype("string")
    present = text.notna() & (text != "")
    shape_ok = present & text.str.fullmatch(r"[1-9]\d{9}").fillna(False).astype(bool)
    check_ok = pd.Series(False, index=uln.index)
    if shape_ok.any():
        digits = np.frombuffer("".join(text[shape_ok].tolist()).encode("ascii"), dtype=np.uint8)
        digits = (digits - ord("0")).reshape(-1, 10).astype(np.int64)
        remainder = (digits[:, :9] @ _ULN_WEIGHTS) % 11
        check_ok[shape_ok] = (remainder != 0) & (digits[:, 9] == (10 - remainder) % 10)
    temporary = text == "9999999999"
    return pd.DataFrame({"present": present, "shape_ok": shape_ok, "check_ok": check_ok,
                         "temporary": temporary.fillna(False).astype(bool)})


# -- text and numbers -------------------------------------------------------------------------

def to_text(raw: pd.Series) -> pd.Series:
    """Trimmed text; whole numbers from workbooks lose their '.0'; dates become dd/mm/yyyy."""
    if _is_text_dtype(raw):
        text = raw.astype("string").str.strip()
        return text.where(text != "")
    blank = blank_cells(raw)
    kinds = _kinds(raw)
    obj = raw.astype(object)
    out = pd.Series(pd.NA, index=raw.index, dtype="string")
    is_text = (kinds == "text") & ~blank
    out[is_text] = obj[is_text].astype(str).str.strip()
    is_num = (kinds == "number") & ~blank
    if is_num.any():
        nums = pd.to_numeric(obj[is_num], errors="coerce")
        integral = nums == np.floor(nums)
        out[is_num] = nums.astype(str)
        out[nums[integral].index] = nums[integral].astype("int64").astype(str)
    is_date = kinds.isin(["datetime", "date"]) & ~blank
    if is_date.any():
        out[is_date] = obj[is_date].map(lambda v: v.strftime("%d/%m/%Y"))
    other = kinds.isin(["bool", "other"]) & ~blank
    if other.any():
        out[other] = obj[other].astype(str)
    return out


def to_int(raw: pd.Series) -> Parsed:
    """Whole numbers (Int64); anything else is invalid."""
    blank = blank_cells(raw)
    obj = raw.astype(object).where(~blank, None)
    is_text = _kinds(raw) == "text"
    obj[is_text] = obj[is_text].astype(str).str.strip()
    nums = pd.to_numeric(obj, errors="coerce")
    whole = nums.notna() & (nums == np.floor(nums)) & (nums >= 0) & (nums < 1e6)
    out = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    out[whole] = nums[whole].astype("int64")
    invalid = ~blank & ~whole
    return Parsed(out, raw[invalid])

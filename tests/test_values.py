import datetime as dt

import numpy as np
import pandas as pd
import pytest

from regcert_xl.read.values import (
    date_problem,
    parse_dates,
    repair_ulns,
    to_int,
    to_text,
    uln_checks,
)


def one(value):
    parsed = parse_dates(pd.Series([value], dtype=object))
    result = parsed.values.iloc[0]
    return None if pd.isna(result) else result.date()


@pytest.mark.parametrize("text, expected", [
    ("2026-04-15", dt.date(2026, 4, 15)),
    ("15/04/2026", dt.date(2026, 4, 15)),
    ("15-04-2026", dt.date(2026, 4, 15)),
    ("15.04.2026", dt.date(2026, 4, 15)),
    ("5/4/2026", dt.date(2026, 4, 5)),          # day first: 5 April, never 4 May
    ("01/02/26", dt.date(2026, 2, 1)),          # two-digit year, Excel's pivot
    ("01/02/45", dt.date(1945, 2, 1)),
    ("15 Apr 2026", dt.date(2026, 4, 15)),
    ("15-April-2026", dt.date(2026, 4, 15)),
    ("29/02/2024", dt.date(2024, 2, 29)),       # leap day
    ("2024-02-29", dt.date(2024, 2, 29)),
    ("15/04/2026 14:30", dt.date(2026, 4, 15)),
    ("2026-04-15T14:30:00", dt.date(2026, 4, 15)),
    ("2024-02-29T00:00:00.000", dt.date(2024, 2, 29)),  # how the history store keeps dates
    ("2026-04-15T14:30:00.250", dt.date(2026, 4, 15)),
    ("2026-04-14T23:00:00Z", dt.date(2026, 4, 15)),   # midnight BST, taken in UK time
    ("2026-01-14T23:00:00Z", dt.date(2026, 1, 14)),   # GMT in winter
    ("46127", dt.date(2026, 4, 15)),            # Excel serial as text
    ("46127.75", dt.date(2026, 4, 15)),
    ("/Date(1776211200000)/", dt.date(2026, 4, 15)),
    (46127.0, dt.date(2026, 4, 15)),            # serial from a workbook
    (dt.datetime(2026, 4, 15, 9, 0), dt.date(2026, 4, 15)),
    (dt.date(2026, 4, 15), dt.date(2026, 4, 15)),
])
def test_accepted_dates(text, expected):
    assert one(text) == expected
    if isinstance(text, str):  # the same as a text column (CSV, or a workbook column of text only)
        assert parse_dates(pd.Series([text, ""], dtype=str)).values.dt.date.tolist()[0] == expected


@pytest.mark.parametrize("text", ["04/15/2026", "31/02/2026", "29/02/2025", "30/02/2024", "2026-13-01",
                                  "2025-02-29T00:00:00.000", "00/01/2026", "soon", "3", "12.5", "TBC", True])
def test_unreadable_dates_are_reported_not_blanked(text):
    parsed = parse_dates(pd.Series([text], dtype=object))
    assert parsed.values.isna().all()
    assert parsed.invalid.tolist() == [text]


@pytest.mark.parametrize("blank", ["", "   ", None, np.nan])
def test_blank_dates_are_blank_not_invalid(blank):
    parsed = parse_dates(pd.Series([blank], dtype=object))
    assert parsed.values.isna().all()
    assert parsed.invalid.empty


def test_us_order_is_explained():
    assert "US order" in date_problem("04/15/2026")
    assert "not a real date" in date_problem("31/02/2026")


@pytest.mark.parametrize("raw, expected, repaired", [
    ("1000000043", "1000000043", False),
    (" 1000000043 ", "1000000043", False),
    ("1000000043.0", "1000000043", True),
    ("1.000000043E9", "1000000043", True),
    ("1.000000043e+09", "1000000043", True),
    (1000000043.0, "1000000043", False),        # a number cell is intact
    ("1.00E+09", "1.00E+09", False),            # digits lost: left for the rule to report
    ("0123456789", "0123456789", False),
])
def test_uln_repair(raw, expected, repaired):
    parsed = repair_ulns(pd.Series([raw], dtype=object))
    assert parsed.values.iloc[0] == expected
    assert (len(parsed.repaired) == 1) is repaired


def test_uln_check_digit():
    checks = uln_checks(pd.Series(["1000000043", "1000000044", "9999999999", "0123456789", "12345", None,
                                   "9000000000"]))
    assert checks["check_ok"].tolist() == [True, False, False, False, False, False, False]
    assert checks["temporary"].tolist() == [False, False, True, False, False, False, False]
    assert checks["shape_ok"].tolist() == [True, True, True, False, False, False, True]


def test_uln_check_digit_zero_when_remainder_ten():
    # 1000000070: 1*10 + 7*3 = 31, 31 mod 11 = 9, check 1 ... find one with r == 10
    prefix = next(p for p in (f"1{n:08d}" for n in range(1000))
                  if sum(int(d) * w for d, w in zip(p, range(10, 1, -1), strict=True)) % 11 == 10)
    assert uln_checks(pd.Series([prefix + "0"]))["check_ok"].iloc[0]
    assert not uln_checks(pd.Series([prefix + "1"]))["check_ok"].iloc[0]


def test_uln_remainder_zero_is_invalid():
    prefix = next(p for p in (f"1{n:08d}" for n in range(1000))
                  if sum(int(d) * w for d, w in zip(p, range(10, 1, -1), strict=True)) % 11 == 0)
    for last in range(10):
        assert not uln_checks(pd.Series([prefix + str(last)]))["check_ok"].iloc[0]


def test_text_and_int():
    assert to_text(pd.Series([" a ", 3.0, 12.5, None, dt.date(2024, 1, 2)], dtype=object)).tolist() == [
        "a", "3", "12.5", pd.NA, "02/01/2024"]
    parsed = to_int(pd.Series(["1", " 2 ", 3.0, "x", None, "2.5"], dtype=object))
    assert parsed.values.tolist() == [1, 2, 3, pd.NA, pd.NA, pd.NA]
    assert parsed.invalid.tolist() == ["x", "2.5"]

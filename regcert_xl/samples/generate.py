"""Realistic, seeded exports of a training provider's learner system (Aptem "Reg & Cert" style).

Used for the bundled demo data and for benchmarks (250,000 learners ≈ a million rows per
sheet). Everything is vectorised with numpy: learners are generated as arrays
(:mod:`~regcert_xl.samples.learners`), their qualification records planned on a learner ×
slot grid (:mod:`~regcert_xl.samples.records`), assessment histories played from scenarios
(:mod:`~regcert_xl.samples.events`) and, optionally, a handful of deliberate data problems
injected (:mod:`~regcert_xl.samples.problems`).

Python::

    from regcert_xl.samples.generate import build_sample, generate
    qualifications, assessments = generate(300, seed=7)
    build_sample(300).problems  # what was injected where

Command line::

    python -m regcert_xl.samples.generate --learners 300 --seed 7 --as-of 2026-11-23 --out DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from regcert_xl.samples.events import assessment_columns
from regcert_xl.samples.learners import make_learners
from regcert_xl.samples.problems import InjectedProblem, inject
from regcert_xl.samples.records import plan_records, qualification_columns

DEFAULT_AS_OF = dt.date(2026, 11, 23)
DEFAULT_SEED = 7
EXCEL_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows less the header
QUALIFICATIONS_FILE = "qualifications"
ASSESSMENTS_FILE = "assessments"
SAMPLE_INFO_FILE = "sample.json"
XLSX_CHUNK_ROWS = 20_000


@dataclass
class Sample:
    """Both exports and the deliberate problems they carry (empty without problems)."""

    qualifications: pd.DataFrame
    assessments: pd.DataFrame
    problems: list[InjectedProblem]


def build_sample(learners: int, seed: int = DEFAULT_SEED, as_of: dt.date = DEFAULT_AS_OF,
                 problems: bool = True) -> Sample:
    """Generate the qualification and assessment exports for ``learners`` learners."""
    if learners < 1:
        raise ValueError("learners must be at least 1")
    people = make_learners(learners, seed, as_of)
    plan = plan_records(people, seed)
    q_columns = qualification_columns(people, plan, as_of)
    q_learner = np.nonzero(plan.present)[0]
    a_columns, a_row = assessment_columns(people, plan, seed, as_of)
    injected: list[InjectedProblem] = []
    if problems:
        q_columns, a_columns, injected = inject(q_columns, q_learner, a_columns, q_learner[a_row],
                                                learners, seed, as_of)
    return Sample(_frame(q_columns), _frame(a_columns), injected)


def generate(learners: int, seed: int = DEFAULT_SEED, as_of: dt.date = DEFAULT_AS_OF,
             problems: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(qualifications, assessments) as the learner system exports them: every cell text
    (object columns of str), dates dd/mm/yyyy, blanks as empty strings."""
    sample = build_sample(learners, seed, as_of, problems)
    return sample.qualifications, sample.assessments


def injected_problems(learners: int, seed: int = DEFAULT_SEED,
                      as_of: dt.date = DEFAULT_AS_OF) -> list[InjectedProblem]:
    """The deliberate problems ``generate(learners, seed, as_of)`` injects, and where."""
    return build_sample(learners, seed, as_of, problems=True).problems


def _frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Text columns kept as object arrays: the cells share a few thousand distinct strings
    (labels, dates), so this is several times smaller than Arrow strings at a million rows."""
    return pd.DataFrame(columns, dtype=object, copy=False)


# -- writing -------------------------------------------------------------------------------------

def write(out_dir: Path, learners: int, seed: int = DEFAULT_SEED, as_of: dt.date = DEFAULT_AS_OF,
          fmt: str = "csv", problems: bool = True) -> tuple[Path, Path]:
    """Write ``qualifications`` and ``assessments`` (.csv or .xlsx) and ``sample.json``."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"format must be csv or xlsx, not {fmt!r}")
    qualifications, assessments = generate(learners, seed, as_of, problems)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    q_path = out_dir / f"{QUALIFICATIONS_FILE}.{fmt}"
    a_path = out_dir / f"{ASSESSMENTS_FILE}.{fmt}"
    writer = write_csv if fmt == "csv" else write_xlsx
    writer(qualifications, q_path, "Qualifications")
    writer(assessments, a_path, "Assessments")
    info = {"as_of": as_of.isoformat(), "learners": learners, "seed": seed}
    (out_dir / SAMPLE_INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return q_path, a_path


def write_csv(frame: pd.DataFrame, path: Path, sheet_name: str = "") -> None:
    """UTF-8 with BOM, comma separated, CRLF line ends: what Excel and the learner system write."""
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def write_xlsx(frame: pd.DataFrame, path: Path, sheet_name: str) -> None:
    """One sheet, every cell text (values starting '=' stay text, never formulas)."""
    import xlsxwriter

    if len(frame) > EXCEL_MAX_DATA_ROWS:
        raise ValueError(f"{sheet_name}: {len(frame):,} rows do not fit on an Excel sheet "
                         f"({EXCEL_MAX_DATA_ROWS:,} at most); write CSV instead")
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        sheet = book.add_worksheet(sheet_name)
        bold = book.add_format({"bold": True})
        for col, header in enumerate(frame.columns):
            sheet.set_column(col, col, max(10, min(40, len(header) + 4)))
        sheet.write_row(0, 0, list(frame.columns), bold)
        sheet.freeze_panes(1, 0)
        if len(frame):
            sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
        for first in range(0, len(frame), XLSX_CHUNK_ROWS):
            chunk = frame.iloc[first:first + XLSX_CHUNK_ROWS].to_numpy(dtype=object).tolist()
            for offset, values in enumerate(chunk):
                sheet.write_row(first + offset + 1, 0, values)


# -- command line --------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m regcert_xl.samples.generate",
        description="Write sample learner-system exports (qualifications and assessments).")
    parser.add_argument("--learners", type=int, default=300, help="number of learners (default 300)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 7)")
    parser.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat,
                        default=DEFAULT_AS_OF, help="the date the data describes, YYYY-MM-DD")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--format", dest="fmt", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--no-problems", dest="problems", action="store_false",
                        help="leave out the deliberate data problems")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.learners < 1:
        print("--learners must be at least 1", file=sys.stderr)
        return 2
    try:
        paths = write(args.out, args.learners, args.seed, args.as_of, args.fmt, args.problems)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

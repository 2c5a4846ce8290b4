"""Shared helpers: small exports written inline, validated, and asserted on as (row, column, code)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from regcert_xl import api

AS_OF = "2026-11-23"

QUAL_HEADER = ["Learner Reference", "ULN", "First Name", "Last Name", "Programme", "Employer",
               "Cohort", "Qualification", "Qualification Number", "Status", "Start Date",
               "Planned End Date", "Registration Date", "Registration Number",
               "Planned Achieved Date", "Achieved Date", "Certificate Claimed Date",
               "Certificate Received Date", "Certificate Sent Date"]
ASSESS_HEADER = ["ULN", "Qualification", "Assessment", "Type", "Attempt", "Assessment Date",
                 "Status", "Result", "Grade"]


def uln(prefix9: str) -> str:
    """A valid ULN from its first nine digits (DfE check digit appended)."""
    total = sum(int(d) * w for d, w in zip(prefix9, range(10, 1, -1), strict=True))
    r = total % 11
    assert r != 0, f"{prefix9} has no valid check digit"
    return prefix9 + str((10 - r) % 10)


ULN_A = uln("100000004")  # 1000000043
ULN_B = uln("123456789")
ULN_C = uln("200000002")


def qual(**overrides: str) -> dict[str, str]:
    """A clean Registered qualification record; override any header."""
    row = {"Learner Reference": "L001", "ULN": ULN_A, "First Name": "Ann", "Last Name": "Smith",
           "Programme": "Team Leader", "Employer": "Acme Ltd", "Cohort": "TL-2025-09",
           "Qualification": "EPA Assessment – Knowledge Test", "Qualification Number": "",
           "Status": "Registered", "Start Date": "01/09/2025", "Planned End Date": "31/08/2027",
           "Registration Date": "15/01/2026", "Registration Number": "R-1",
           "Planned Achieved Date": "31/07/2027", "Achieved Date": "", "Certificate Claimed Date": "",
           "Certificate Received Date": "", "Certificate Sent Date": ""}
    row.update(overrides)
    return row


def assessment(**overrides: str) -> dict[str, str]:
    row = {"ULN": ULN_A, "Qualification": "EPA Assessment – Knowledge Test",
           "Assessment": "Knowledge Test", "Type": "Attempt", "Attempt": "1",
           "Assessment Date": "01/10/2026", "Status": "Result Received", "Result": "Pass",
           "Grade": "Pass"}
    row.update(overrides)
    return row


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None, sep: str = ",") -> str:
    header = header or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=sep, lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None, *,
              sep: str = ",", encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(rows, header, sep).encode(encoding))
    return path


def found(issues, *, codes: set[str] | None = None, sheet: str | None = None) -> set[tuple]:
    """The (row, column, code) of issues, optionally only some codes or one sheet."""
    frame = issues
    if codes is not None:
        frame = frame[frame["code"].isin(codes)]
    if sheet is not None:
        frame = frame[frame["sheet"] == sheet]
    return {(None if r is None or r != r else int(r), c if isinstance(c, str) else None, code)
            for r, c, code in zip(frame["row"].astype(object), frame["column"], frame["code"], strict=True)}


@pytest.fixture
def check(tmp_path):
    """Validate inline records; returns the issue frame."""

    def run(quals: list[dict[str, str]], assessments: list[dict[str, str]] | None = None,
            as_of: str = AS_OF, q_header: list[str] | None = None,
            a_header: list[str] | None = None, **settings):
        q = write_csv(tmp_path / "q.csv", quals, q_header or QUAL_HEADER)
        a = write_csv(tmp_path / "a.csv", assessments, a_header or ASSESS_HEADER) if assessments else None
        from regcert_xl.model.settings import Settings

        report = api.validate(q, a, settings=Settings(**settings), as_of=as_of)
        return report.issues

    return run


@pytest.fixture
def flagged(tmp_path):
    """Evaluate inline records; returns the Evaluation."""

    def run(quals, assessments=None, as_of=AS_OF, previous=None, status_dates=None, q_header=None,
            a_header=None, **settings):
        from regcert_xl.model.settings import Settings

        q = write_csv(tmp_path / "q.csv", quals, q_header or QUAL_HEADER)
        a = write_csv(tmp_path / "a.csv", assessments, a_header or ASSESS_HEADER) if assessments else None
        p = write_csv(tmp_path / "prev.csv", previous, q_header or QUAL_HEADER) if previous else None
        return api.evaluate(q, a, settings=Settings(**settings), as_of=as_of, previous=p,
                            status_dates=status_dates)

    return run


def worst(ev, i=0):
    """(flag, rag, due dd/mm/yyyy or None, days_overdue or None, owner) of record i."""
    r = ev.records.iloc[i]
    due = None if r["due_date"] is None or r["due_date"] != r["due_date"] else r["due_date"].strftime("%d/%m/%Y")
    days = None if r["days_overdue"] is None or r["days_overdue"] is __import__("pandas").NA else int(r["days_overdue"])
    return r["flag"], r["rag"], due, days, r["owner"]


def all_flags(ev, i=0):
    return ev.records.iloc[i]["flags"].split(", ")


_pg_server: dict = {}


@pytest.fixture(scope="session")
def postgres_server():
    import shutil
    import tempfile

    from tests.postgres import start_server

    folder = Path(tempfile.mkdtemp(prefix="regcert-pg-"))  # not under pytest's root-only folder
    folder.chmod(0o755)
    url, stop = start_server(folder)
    yield url
    stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A fresh history store: a SQLite file, or a new database on the PostgreSQL test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    import sqlalchemy

    server = request.getfixturevalue("postgres_server")
    name = f"regcert_{abs(hash(request.node.nodeid)) % 10**9}"
    engine = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return server.rsplit("/", 1)[0] + "/" + name

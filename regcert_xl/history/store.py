"""The snapshot store (§7): record versions behind SQLAlchemy — a SQLite file beside the
workbook by default, any SQLAlchemy URL (PostgreSQL included) for a shared team store.

Versions, not copies: a snapshot stores only the records that are new or changed and closes the
ones that changed or went. A version is in force from the snapshot that first saw it until the
one that replaced it. Each snapshot is one transaction, serialised between users (SQLite:
BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock); saving the same records again
adds nothing. The schema is created and migrated by the code (``regcert_meta.schema_version``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from regcert_xl.model.errors import UserError
from regcert_xl.model.issues import UnusableInput

SCHEMA_VERSION = 1
LOCK_KEY = 0x5EC0_CE27  # PostgreSQL advisory lock for snapshots
CHUNK = 5_000

metadata = MetaData()
meta = Table("regcert_meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))
snapshots = Table(
    "regcert_snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("taken_at", DateTime, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("source", Text),
    Column("columns", Text),  # JSON: stream -> headers in order
)
versions = Table(
    "regcert_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("stream", String(16), nullable=False),  # qualifications | assessments | export
    Column("identity", Text, nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("status", Text),
    Column("data", Text, nullable=False),  # the record as the admin sees it, JSON
    Column("first_snapshot", Integer, ForeignKey("regcert_snapshots.id"), nullable=False),
    Column("ended_snapshot", Integer, ForeignKey("regcert_snapshots.id")),
    Index("ix_regcert_versions_open", "stream", "ended_snapshot"),
    Index("ix_regcert_versions_identity", "stream", "identity"),
)
conflicts = Table(
    "regcert_conflicts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot", Integer, ForeignKey("regcert_snapshots.id"), nullable=False),
    Column("identity", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("workbook_value", Text),
    Column("export_value", Text),
)

# version -> how to bring a store at that version up to the next one
MIGRATIONS: dict[int, object] = {}


class StoreFailed(UserError):
    """The store could not be read or written; ``reason`` is the database's own first line (no
    SQL, no values). The caller says what became of the workbook."""

    def __init__(self, store: str, reason: str):
        super().__init__(f"{store}: {reason}")
        self.store, self.reason = store, reason


def default_store(book: Path) -> str:
    return sqlite_url(Path(book).with_name(Path(book).name + ".history.sqlite"))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


WORKBOOK_ID = "workbook_id"  # regcert_meta: the identity of the workbook whose history this is


@dataclass(frozen=True)
class Peek:
    workbook_id: str | None
    snapshots: int


def peek(path: Path) -> Peek | None:
    """What a SQLite store file holds, read without changing it: None when there is no file or
    it is empty (no snapshot yet); StoreFailed when it is not a store at all."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        with closing(sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if snapshots.name not in tables:
                return None
            count = db.execute(f"SELECT COUNT(*) FROM {snapshots.name}").fetchone()[0]
            owner = db.execute(f"SELECT value FROM {meta.name} WHERE key = ?", (WORKBOOK_ID,)).fetchone() \
                if meta.name in tables else None
    except sqlite3.Error as exc:
        raise StoreFailed(path.name, _first_line(exc)) from None
    return Peek(owner[0] if owner else None, int(count)) if count else None


def owner(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(meta.c.value).where(meta.c.key == WORKBOOK_ID)).scalar()


def claim(engine: Engine, workbook_id: str) -> None:
    """Record whose history the store holds (once: a store shared by copies keeps the first)."""
    with engine.begin() as conn:
        if conn.execute(select(meta.c.value).where(meta.c.key == WORKBOOK_ID)).scalar() is None:
            conn.execute(insert(meta).values(key=WORKBOOK_ID, value=workbook_id))


@contextmanager
def failing_as(store: str) -> Iterator[None]:
    """Database errors as one line: the database's reason, never the SQL or its values."""
    try:
        yield
    except (DBAPIError, SQLAlchemyError, sqlite3.Error) as exc:
        raise StoreFailed(store, _first_line(exc)) from None


def open_store(url: str) -> Engine:
    """An engine on the store, schema created or migrated. Unusable URLs raise UnusableInput."""
    try:
        if url.startswith("sqlite:///"):
            _private_file(Path(url.removeprefix("sqlite:///")))
            engine = create_engine(url, connect_args={"timeout": 60})
            _sqlite_immediate(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        with engine.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
            _migrate(conn)
        return engine
    except (ArgumentError, NoSuchModuleError) as exc:
        raise UnusableInput.file(_safe(url), f"not a usable store URL ({exc})") from None
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise StoreFailed(_safe(url), f"the history store cannot be opened: {_first_line(exc)}") from None


def _safe(url: str) -> str:
    """A URL fit to print: the password is never shown."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "history store"


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _private_file(path: Path) -> None:
    """The store holds personal data: created readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def _sqlite_immediate(engine: Engine) -> None:
    """Write transactions take SQLite's write lock at BEGIN, so two refreshes queue, not clash."""

    @event.listens_for(engine, "connect")
    def _no_autobegin(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _migrate(conn: Connection) -> None:
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    if row is None:
        conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
        return
    version = int(row)
    if version > SCHEMA_VERSION:
        raise UnusableInput.file("history store", f"was written by a newer regcert-xl (schema {version}); upgrade regcert-xl")
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](conn)  # type: ignore[operator]
        version += 1
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=str(version)))


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")


@dataclass
class Saved:
    snapshot: int | None  # None: nothing had changed, nothing was saved
    added: int
    ended: int


class _NothingNew(Exception):
    """Raised inside a snapshot's transaction to roll it back when nothing had changed."""


def save(engine: Engine, streams: dict[str, pd.DataFrame | Iterable[pd.DataFrame]], *, as_of: dt.date, kind: str,
         source: str, columns: dict[str, list[str] | str], conflict_rows: pd.DataFrame | None = None,
         taken_at: dt.datetime | None = None) -> Saved:
    """Save a snapshot of ``streams`` (stream -> frame, or frames in chunks, of identity,
    content_hash, status, data). Chunks are planned and inserted one at a time, so memory does
    not grow with the records. Idempotent: when no stream changed (and there are no conflicts to
    record) the transaction is rolled back and nothing is saved."""
    taken_at = taken_at or dt.datetime.now().replace(microsecond=0)
    recorded = conflict_rows if conflict_rows is not None and not conflict_rows.empty else None
    try:
        with engine.begin() as conn:
            _lock(conn)
            had_any = conn.execute(select(snapshots.c.id).limit(1)).first() is not None
            snapshot = conn.execute(insert(snapshots).values(
                taken_at=taken_at, as_of=as_of, kind=kind, source=source[:1000], columns=json.dumps(columns)
            ).returning(snapshots.c.id)).scalar_one()
            added = ended = 0
            for name, chunks in streams.items():
                stream_added, stream_ended = _save_stream(conn, name, snapshot, chunks)
                added, ended = added + stream_added, ended + stream_ended
            if had_any and not added and not ended and recorded is None:
                raise _NothingNew
            if recorded is not None:
                conn.execute(insert(conflicts), [
                    {"snapshot": snapshot, "identity": i, "field": f, "workbook_value": w, "export_value": e}
                    for i, f, w, e in zip(recorded["identity"], recorded["field"],
                                          recorded["workbook_value"], recorded["export_value"], strict=True)])
    except _NothingNew:
        return Saved(None, 0, 0)
    return Saved(snapshot, added, ended)


def _save_stream(conn: Connection, stream: str, snapshot: int,
                 chunks: pd.DataFrame | Iterable[pd.DataFrame]) -> tuple[int, int]:
    """(versions added, versions closed) for one stream: each chunk's new and changed records
    inserted, changed ones closed; at the end, records no chunk had are closed too."""
    current = pd.read_sql(select(versions.c.id, versions.c.identity, versions.c.content_hash)
                          .where(versions.c.stream == stream, versions.c.ended_snapshot.is_(None)), conn)
    current = current.set_index("identity")
    repeated = current.index.duplicated()  # never written so, but if found: the extra ones are closed
    stray, current = current.loc[repeated, "id"].astype("int64").tolist(), current[~repeated]
    seen = pd.Series(False, index=current.index)
    added = ended = 0
    for rows in [chunks] if isinstance(chunks, pd.DataFrame) else chunks:
        old_id = current["id"].reindex(rows["identity"]).to_numpy()
        old_hash = current["content_hash"].reindex(rows["identity"]).to_numpy()
        known = pd.notna(old_id)
        changed = known & (old_hash != rows["content_hash"].to_numpy())
        seen[rows["identity"][known].to_numpy()] = True
        closing = old_id[changed].astype("int64").tolist()
        _close(conn, closing, snapshot)
        fresh = rows[~known | changed]
        if len(fresh):
            _insert_versions(conn, stream, snapshot, fresh)
        added, ended = added + len(fresh), ended + len(closing)
    gone = current.loc[~seen.to_numpy(), "id"].astype("int64").tolist() + stray
    _close(conn, gone, snapshot)
    return added, ended + len(gone)


def _close(conn: Connection, ids: list[int], snapshot: int) -> None:
    for start in range(0, len(ids), CHUNK):
        conn.execute(update(versions).where(versions.c.id.in_(ids[start:start + CHUNK])).values(ended_snapshot=snapshot))


def _insert_versions(conn: Connection, stream: str, snapshot: int, rows: pd.DataFrame) -> None:
    """New versions through the driver's executemany, in its own parameter style."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {versions.name} (stream, identity, content_hash, status, data, first_snapshot) "
           f"VALUES ({', '.join([mark] * 6)})")
    columns = [rows[c].astype(object).where(rows[c].notna(), None).to_numpy(dtype=object).tolist()
               for c in ("identity", "content_hash", "status", "data")]
    records = list(zip([stream] * len(rows), *columns, [snapshot] * len(rows), strict=True))
    for start in range(0, len(records), CHUNK * 4):
        conn.exec_driver_sql(sql, records[start:start + CHUNK * 4])


# -- reading -----------------------------------------------------------------------------

def snapshot_list(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.read_sql(select(snapshots).order_by(snapshots.c.id), conn)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def snapshot_at(engine: Engine, date: dt.date | pd.Timestamp) -> int | None:
    """The snapshot that shows how things stood on ``date``: the last one taken for a date on
    or before it."""
    with engine.connect() as conn:
        return conn.execute(select(snapshots.c.id).where(snapshots.c.as_of <= pd.Timestamp(date).date())
                            .order_by(snapshots.c.as_of.desc(), snapshots.c.id.desc()).limit(1)).scalar()


def snapshot_before(engine: Engine, snapshot: int) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(snapshots.c.id).where(snapshots.c.id < snapshot)
                            .order_by(snapshots.c.id.desc()).limit(1)).scalar()


def latest_snapshot(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(snapshots.c.id).order_by(snapshots.c.id.desc()).limit(1)).scalar()


def state(engine: Engine, stream: str, snapshot: int | None, with_data: bool = True) -> pd.DataFrame:
    """The versions of ``stream`` in force at ``snapshot`` (identity, status and, unless not
    wanted, data)."""
    chunks = list(state_chunks(engine, stream, snapshot, with_data))
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


def state_chunks(engine: Engine, stream: str, snapshot: int | None, with_data: bool = True,
                 size: int = 50_000) -> Generator[pd.DataFrame, None, None]:
    """:func:`state` ``size`` versions at a time (at least one frame, maybe empty)."""
    wanted = [versions.c.identity, versions.c.status] + ([versions.c.data] if with_data else [])
    if snapshot is None:
        yield pd.DataFrame(columns=[c.name for c in wanted])
        return
    query = select(*wanted).where(
        versions.c.stream == stream, versions.c.first_snapshot <= snapshot,
        (versions.c.ended_snapshot.is_(None)) | (versions.c.ended_snapshot > snapshot),
    ).order_by(versions.c.id)
    with engine.connect() as conn:
        empty = True
        for chunk in pd.read_sql(query, conn, chunksize=size):
            empty = False
            yield chunk
        if empty:
            yield pd.DataFrame(columns=[c.name for c in wanted])


def columns_at(engine: Engine, snapshot: int, stream: str) -> list[str] | None:
    """The headers of ``stream`` as of ``snapshot`` (from the latest snapshot that saved it)."""
    with engine.connect() as conn:
        rows = conn.execute(select(snapshots.c.columns).where(snapshots.c.id <= snapshot)
                            .order_by(snapshots.c.id.desc())).scalars()
        for text in rows:
            found = json.loads(text or "{}").get(stream)
            if found:
                return found
    return None


def status_timeline(engine: Engine, stream: str = "qualifications") -> pd.DataFrame:
    """Every version's identity, status and the as-of date and snapshot it was first seen in."""
    with engine.connect() as conn:
        frame = pd.read_sql(
            select(versions.c.identity, versions.c.status, versions.c.first_snapshot, snapshots.c.as_of,
                   snapshots.c.taken_at)
            .join(snapshots, snapshots.c.id == versions.c.first_snapshot)
            .where(versions.c.stream == stream).order_by(versions.c.identity, versions.c.first_snapshot), conn)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


SAME_AS = "export_same_as"  # in a snapshot's columns: its export was the records of this stream


def export_state(engine: Engine, upto: int | None) -> tuple[Generator[pd.DataFrame, None, None], list[str] | None]:
    """The last imported export in force at snapshot ``upto`` (its rows, in chunks, and headers).
    A build stores its export once, as the qualification records it saved (marked in its columns)."""
    if upto is None:
        return state_chunks(engine, "export", None), None
    with engine.connect() as conn:
        last = conn.execute(select(snapshots.c.id, snapshots.c.columns)
                            .where(snapshots.c.kind.in_(["import", "build"]), snapshots.c.id <= upto)
                            .order_by(snapshots.c.id.desc()).limit(1)).first()
    if last is not None and (same_as := json.loads(last.columns or "{}").get(SAME_AS)):
        return state_chunks(engine, same_as, last.id), columns_at(engine, last.id, same_as)
    return state_chunks(engine, "export", upto), columns_at(engine, upto, "export")


def last_conflicts(engine: Engine, upto: int | None = None) -> pd.DataFrame:
    """The conflicts of the most recent import (up to snapshot ``upto``); none if that import had none."""
    empty = pd.DataFrame(columns=["identity", "field", "workbook_value", "export_value"])
    with engine.connect() as conn:
        query = select(snapshots.c.id).where(snapshots.c.kind.in_(["import", "build"]))
        if upto is not None:
            query = query.where(snapshots.c.id <= upto)
        latest = conn.execute(query.order_by(snapshots.c.id.desc()).limit(1)).scalar()
        if latest is None:
            return empty
        return pd.read_sql(select(conflicts.c.identity, conflicts.c.field, conflicts.c.workbook_value,
                                  conflicts.c.export_value).where(conflicts.c.snapshot == latest), conn)

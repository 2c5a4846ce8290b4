"""Raw cells -> canonical :class:`Table`: headers mapped by alias, values parsed by kind,
unknown columns kept untouched in their original order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcert_xl.model.fields import Kind, alias_index, field_map, key
from regcert_xl.model.identity import add_identity
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Column, Table
from regcert_xl.read.grid import RawTable
from regcert_xl.read.sources import apply_profile, choose_profile
from regcert_xl.read.values import blank_frame, parse_dates, repair_ulns, to_int, to_text


def map_columns(headers: list[str], record: str, settings: Settings,
                profile_aliases: dict[str, tuple[str, ...]] | None = None) -> list[Column]:
    aliases = alias_index(record, profile_aliases, settings.column_aliases)
    taken: dict[str, str] = {}
    columns = []
    for position, header in enumerate(headers):
        name = aliases.get(key(header)) if header else None
        if name is not None and name in taken:
            columns.append(Column(header, None, position, duplicate_of=name))
        else:
            if name is not None:
                taken[name] = header
            columns.append(Column(header, name, position))
    return columns


def normalise(raw: RawTable, record: str, settings: Settings, source: str | None = None) -> Table:
    """Canonical records from raw cells, read as the export of ``source`` (a profile name;
    detected from the headers when None)."""
    profile = choose_profile(raw, record, source)
    raw = apply_profile(raw, profile, record, settings)
    columns = map_columns(raw.headers, record, settings, profile.aliases)
    cells = raw.cells
    # columns with neither a header nor a value are Excel's trailing emptiness, not data
    filled = _filled(cells, [c.position for c in columns if not (c.header or c.field)
                             and c.position not in raw.blank_columns and c.position in cells.columns])
    columns = [c for c in columns if c.header or c.field or c.position in filled]
    if not any(c.field for c in columns):
        found = ", ".join(repr(h) for h in raw.headers if h)[:300] or "none"
        raise UnusableInput.file(
            raw.label, f"no recognisable {record} columns; headers found: {found}"
        )
    fields = field_map(record)
    data: dict[str, pd.Series] = {}
    invalid: dict[str, pd.Series] = {}
    repaired: dict[str, pd.Series] = {}
    for c in columns:
        if c.field is None:
            continue
        values = cells[c.position] if c.position in cells.columns else pd.Series(None, index=cells.index, dtype=object)
        kind = fields[c.field].kind
        if kind is Kind.DATE:
            parsed = parse_dates(values)
        elif kind is Kind.ULN:
            parsed = repair_ulns(values)
        elif kind is Kind.INT:
            parsed = to_int(values)
        else:
            data[c.field] = to_text(values)
            continue
        data[c.field] = parsed.values
        if len(parsed.invalid):
            invalid[c.field] = parsed.invalid
        if parsed.repaired is not None and len(parsed.repaired):
            repaired[c.field] = parsed.repaired
    frame = add_identity(pd.DataFrame(data, index=cells.index))
    kept = [c.position for c in columns if c.field is None]
    extras = cells[[p for p in kept if p in cells.columns]]
    return Table(record, raw.label, frame, extras, columns, raw.origin.set_axis(cells.index),
                 invalid, repaired, raw.header_row, profile=profile.name, pages=raw.pages)


def _filled(cells: pd.DataFrame, positions: list[int]) -> set[int]:
    """Those of ``positions`` whose column holds at least one value (checked all at once)."""
    if not positions:
        return set()
    empty = blank_frame(cells[positions]).all(axis=0)
    return {positions[i] for i in np.flatnonzero(~empty)}


def concat_raw(tables: list[RawTable]) -> RawTable:
    """Several pages of one table as one: columns matched by header, in order of first sight."""
    if len(tables) == 1:
        return tables[0]
    headers: list[str] = []
    for t in tables:
        headers += [h for h in t.headers if h not in headers]
    frames = []
    for t in tables:
        named = t.cells.set_axis(t.headers, axis=1)
        named = named.loc[:, ~named.columns.duplicated()]
        frames.append(named.reindex(columns=headers))
    cells = pd.concat(frames, ignore_index=True).set_axis(range(len(headers)), axis=1)
    origin = pd.concat([t.origin for t in tables], ignore_index=True)
    label = " + ".join(t.label for t in tables)
    pages = tuple(page for t in tables for page in t.pages)
    return RawTable(label, headers, cells, origin, tables[0].header_row, odata_table=tables[0].odata_table, pages=pages)


def empty_table(record: str, settings: Settings, label: str) -> Table:
    """No records yet: every canonical column, in the order of the field table."""
    from regcert_xl.model.fields import FIELDS_BY_RECORD

    headers = [f.label for f in FIELDS_BY_RECORD[record] if f.name not in ("learner_name", "notes", "qualification_id")]
    raw = RawTable(label, headers, pd.DataFrame(columns=range(len(headers)), dtype=object),
                   pd.DataFrame({"sheet": pd.Series(dtype=object), "row": pd.Series(dtype="int64")}), 1)
    return normalise(raw, record, settings)

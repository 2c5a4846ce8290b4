"""A raw export read as its source system's profile says: codes translated to words and
derived columns (an ILR status from CompStatus + Outcome) added, column-wise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from regcert_xl.model.errors import MissingInput
from regcert_xl.model.fields import alias_index, field_map, key
from regcert_xl.model.profiles import PROFILES, Profile, derive, detect, named, translate
from regcert_xl.model.settings import Settings
from regcert_xl.read.grid import RawTable


def choose_profile(raw: RawTable, record: str, source: str | None) -> Profile:
    """The forced profile (``source``), else the one the headers match; MissingInput for a source
    that does not make this kind of record."""
    if source is None:
        return detect(raw.headers, record, raw.odata_table)
    profile = named(source, record)
    if profile is None:
        other = next(p.record for p in PROFILES if key(p.name) == key(source))
        raise MissingInput(f"'{source}' exports {other}, not {record}: give that file as --{other}")
    return profile


def apply_profile(raw: RawTable, profile: Profile, record: str, settings: Settings) -> RawTable:
    """``raw`` with the profile's value tables applied to its columns and its derived fields
    added as new columns (only where the export has no column for that field already)."""
    if not profile.values and not profile.derived:
        return raw
    index = alias_index(record, profile.aliases, settings.column_aliases)
    positions: dict[str, int] = {}
    for position, header in enumerate(raw.headers):
        name = index.get(key(header)) if header else None
        if name is not None:
            positions.setdefault(name, position)
    by_header = {key(h): i for i, h in reversed(list(enumerate(raw.headers))) if h}
    cells = raw.cells.copy()
    for name, table in profile.values.items():
        at = positions.get(name)
        if at is not None and at in cells.columns:
            cells[at] = translate(cells[at], table)
    headers = list(raw.headers)
    labels = field_map(record)
    for rule in profile.derived:
        if rule.field in positions or not all(key(s) in by_header for s in rule.sources):
            continue
        sources = [_cells(raw.cells, by_header[key(s)]) for s in rule.sources]
        at = len(headers)
        cells[at] = derive(rule, sources)
        headers.append(labels[rule.field].label)
        positions[rule.field] = at
    return replace(raw, headers=headers, cells=cells)


def _cells(cells: pd.DataFrame, position: int) -> pd.Series:
    return cells[position] if position in cells.columns else pd.Series(None, index=cells.index, dtype=object)


def forced_sources(source: str | Sequence[str] | None, given: Sequence[str]) -> dict[str, str | None]:
    """Per kind of record given (``given``: "qualifications", "assessments"), the source forced for
    it by ``source`` (names, as --source gives them; None: detect). MissingInput for an unknown name,
    or one for a kind of export that was not given."""
    names = [source] if isinstance(source, str) else list(source or [])
    out: dict[str, str | None] = dict.fromkeys(given)
    for name in names:
        kinds = [r for r in ("qualifications", "assessments") if named(name, r) is not None]
        usable = [r for r in kinds if r in out]
        if not usable:
            raise MissingInput(f"'{name}' exports {' or '.join(kinds)}: give that file as --{kinds[0]}")
        for r in usable:
            out[r] = name
    return out

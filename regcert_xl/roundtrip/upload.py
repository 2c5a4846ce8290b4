"""The path back into the learner system (§8): what the workbook says that the last imported
export does not (the Changes sheet), and the system's "Import and Update" CSV for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.history.records import identities
from regcert_xl.model.fields import QUALIFICATION_FIELDS, alias_index, key
from regcert_xl.model.identity import LEARNER_KEY, LEARNER_NAME, QUAL_KEY, paired_keys
from regcert_xl.model.issues import fill
from regcert_xl.model.lifecycle import resolve_statuses
from regcert_xl.model.settings import Settings, SettingsError
from regcert_xl.model.table import Table
from regcert_xl.output import neutralise

EDITABLE = [f for f in QUALIFICATION_FIELDS if f.editable]
CHANGE_COLUMNS = ["Learner", "ULN", "Qualification", "Field", "Export Value", "Workbook Value", "Status", "Upload"]


def _comparable(table: Table, name: str, settings) -> pd.Series:
    values = table.column(name)
    if name == "status":
        resolved = resolve_statuses(values, settings)
        return resolved["status_name"].astype("string").fillna(values.astype("string").str.strip())
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%d/%m/%Y").astype("string")
    text = values.astype("string").str.strip()
    return text.where(text != "")


def _shown(table: Table, name: str) -> pd.Series:
    values = table.column(name)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%d/%m/%Y").astype(object).where(values.notna(), "")
    return values.astype("string").fillna("").astype(object)


def _keyed(table: Table) -> pd.Index:
    """Records by learner, qualification and occurrence: a repeated pair is matched in order."""
    return paired_keys(table.data[LEARNER_KEY], table.data[QUAL_KEY])


@dataclass
class RoundTrip:
    changes: pd.DataFrame  # CHANGE_COLUMNS, plus the record index of the workbook row (_record)
    upload: pd.Index  # workbook record indexes that go into the upload file
    kept_out: pd.DataFrame  # Learner, ULN, Qualification, Reason


def round_trip(ev: Evaluation) -> RoundTrip:
    q = ev.context.qualifications
    export = ev.history.export if ev.history is not None else None
    records = ev.records
    who = pd.DataFrame({"Learner": records[LEARNER_NAME].astype(object), "ULN": records.get("uln"),
                        "Qualification": records.get("qualification")}, index=records.index)
    errors = ev.issues[(ev.issues["severity"] == "error") & (ev.issues["_record"] == "qualifications")
                       & ev.issues["_index"].notna()]
    first_error = errors.drop_duplicates("_index").set_index("_index")["message"]
    if export is None:
        return RoundTrip(pd.DataFrame(columns=[*CHANGE_COLUMNS, "_record"]), pd.Index([]),
                         pd.DataFrame(columns=["Learner", "ULN", "Qualification", "Reason"]))
    ours = _keyed(q)
    theirs = _keyed(export)
    position = pd.Series(np.arange(len(theirs)), index=theirs)
    position = position[~position.index.duplicated()]
    at = pd.Series(ours.map(position), index=q.data.index) if len(theirs) else pd.Series(np.nan, index=q.data.index)
    in_export = at.notna()
    frames = []
    changed_any = pd.Series(False, index=q.data.index)
    for f in EDITABLE:
        if not (q.has(f.name) or export.has(f.name)):
            continue
        mine = _comparable(q, f.name, ev.settings)
        base = _comparable(export, f.name, ev.settings)
        theirs_value = pd.Series(base.to_numpy()[at.fillna(0).astype(int)], index=q.data.index).where(in_export)
        differs = in_export & (mine.fillna("") != theirs_value.fillna("")).astype(bool)
        if not differs.any():
            continue
        changed_any |= differs
        shown_export = pd.Series(_shown(export, f.name).to_numpy()[at.fillna(0).astype(int)], index=q.data.index)
        frames.append(who[differs].assign(**{
            "Field": f.label, "Export Value": shown_export[differs], "Workbook Value": _shown(q, f.name)[differs],
            "Status": "Changed in the workbook", "_record": q.data.index[differs]}))
    blocked = first_error.reindex(q.data.index)
    number = q.column("qualification_number").astype("string").str.strip()
    unmatched = number.isna() | (number == "")
    blocked = blocked.where(blocked.notna() | ~unmatched,
                            "no Qualification Number, so the learner system cannot match the record")
    refused = _status_refused(ev)
    blocked = blocked.where(blocked.notna() | refused.isna(), refused)
    eligible = changed_any & blocked.isna()
    upload = q.data.index[eligible]
    kept_out = who[changed_any & blocked.notna()].assign(Reason=blocked[changed_any & blocked.notna()])
    not_there = who[~in_export].assign(Field="(whole record)", **{"Export Value": "", "Workbook Value": ""},
                                       Status="Not in the latest export: cannot be uploaded", _record=q.data.index[~in_export])
    frames.append(not_there)
    frames.append(_conflicts(ev, who))
    changes = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else (
        pd.DataFrame(columns=[*CHANGE_COLUMNS, "_record"]))
    upload_flag = pd.Series("Yes", index=changes.index, dtype=object)
    upload_flag[~changes["_record"].isin(upload)] = "No"
    reasons = changes["_record"].map(blocked)
    upload_flag[reasons.notna() & changes["Status"].eq("Changed in the workbook")] = "No: " + reasons.dropna()
    changes["Upload"] = upload_flag
    return RoundTrip(changes[[*CHANGE_COLUMNS, "_record"]], upload, kept_out.reset_index(drop=True))


def _conflicts(ev: Evaluation, who: pd.DataFrame) -> pd.DataFrame:
    history = ev.history
    if history is None or history.conflicts.empty:
        return pd.DataFrame(columns=[*CHANGE_COLUMNS, "_record"])
    q = ev.context.qualifications
    ids = pd.Series(q.data.index, index=identities(q).to_numpy())
    ids = ids[~ids.index.duplicated()]
    c = history.conflicts
    record = c["identity"].map(ids)
    rows = who.reindex(record.dropna().astype("int64").to_numpy())
    present = record.notna().to_numpy()
    return pd.DataFrame({
        "Learner": rows["Learner"].to_numpy(), "ULN": rows["ULN"].to_numpy(),
        "Qualification": rows["Qualification"].to_numpy(), "Field": c["field"][present].to_numpy(),
        "Export Value": c["export_value"][present].to_numpy(), "Workbook Value": c["workbook_value"][present].to_numpy(),
        "Status": "Conflict: the export changed this too, so the sheet now has the export's value; yours is shown here",
        "_record": record.dropna().astype("int64").to_numpy()})


# -- the upload file ------------------------------------------------------------------------

def accepted_statuses(settings: Settings) -> pd.Series:
    """Canonical status -> the spelling the learner system's import accepts (``upload_statuses``;
    the first entry for a status wins). Empty when the setting is blank (no check)."""
    accepted = pd.Series(settings.upload_statuses, dtype=object)
    canonical = resolve_statuses(accepted, settings)["status_name"].astype(object)
    spelling = pd.Series(accepted.to_numpy(), index=canonical.fillna(accepted).to_numpy())
    return spelling[~spelling.index.duplicated()]


def _status_refused(ev: Evaluation) -> pd.Series:
    """Per record, why its status cannot go in the upload (NA: it can): the status is not one
    the learner system's import accepts, and the upload carries the status."""
    q = ev.context.qualifications
    aliases = alias_index("qualifications", ev.settings.column_aliases)
    none = pd.Series(pd.NA, index=q.data.index, dtype=object)
    if not ev.settings.upload_statuses or "status" not in {aliases.get(key(h)) for h in ev.settings.upload_columns}:
        return none
    accepted = accepted_statuses(ev.settings)
    canonical = resolve_statuses(q.column("status"), ev.settings)["status_name"].astype(object)
    refused = canonical.notna() & ~canonical.isin(accepted.index)
    if not refused.any():
        return none
    reason = fill("the learner system's import does not accept the status '{s}' (it accepts {ok}): "
                  "set it in the learner system by hand, or map it in settings (upload_statuses)",
                  s=canonical[refused], ok=", ".join(ev.settings.upload_statuses))
    return none.where(~refused, reason)


def upload_frame(ev: Evaluation, rows: pd.Index) -> pd.DataFrame:
    """The upload's columns (settings.upload_columns, in order) for the given records."""
    q = ev.context.qualifications
    aliases = alias_index("qualifications", ev.settings.column_aliases)
    out = pd.DataFrame(index=rows)
    spelling = accepted_statuses(ev.settings) if ev.settings.upload_statuses else _system_spelling(ev)
    for header in ev.settings.upload_columns:
        name = aliases.get(key(header))
        if name is None:
            raise SettingsError(f"setting 'upload_columns': '{header}' is not a qualification field")
        values = q.column(name).loc[rows]
        if name == "status":
            canonical = resolve_statuses(values, ev.settings)["status_name"]
            out[header] = canonical.map(spelling).fillna(canonical).fillna(values.astype("string")).astype(object)
        elif pd.api.types.is_datetime64_any_dtype(values.dtype):
            out[header] = values.dt.strftime("%d/%m/%Y").fillna("")
        else:
            out[header] = values.astype("string").fillna("")
    return out


def _system_spelling(ev: Evaluation) -> pd.Series:
    """Each status in the spelling the learner system's own export uses most."""
    export = ev.history.export if ev.history is not None else None
    if export is None or not export.has("status"):
        return pd.Series(dtype=object)
    raw = export.data["status"].astype("string").str.strip()
    canonical = resolve_statuses(raw, ev.settings)["status_name"]
    pairs = pd.DataFrame({"canonical": canonical, "raw": raw}).dropna()
    if pairs.empty:
        return pd.Series(dtype=object)
    counts = pairs.value_counts().reset_index().drop_duplicates("canonical")
    return counts.set_index("canonical")["raw"]


def write_upload(frame: pd.DataFrame, folder: Path, max_bytes: int, stem: str = "upload") -> list[Path]:
    """The upload as CSV files under ``max_bytes`` each (UTF-8, CRLF, header on each); values a
    spreadsheet could run as formulas are neutralised."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{stem}-*.csv"):
        old.unlink()
    safe = frame.apply(neutralise)
    header = safe.iloc[0:0].to_csv(index=False, lineterminator="\r\n")
    lines = pd.Series(safe.to_csv(index=False, header=False, lineterminator="\r\n").split("\r\n")[:-1] if len(safe)
                      else [], dtype=object)
    sizes = lines.str.encode("utf-8").str.len() + 2 if len(lines) else pd.Series(dtype="int64")
    room = max_bytes - len(header.encode("utf-8")) - 1
    if len(lines) and sizes.max() > room:
        raise SettingsError(f"setting 'upload_max_bytes': a single row is larger than {max_bytes:,} bytes")
    part = _parts(sizes.to_numpy(), room)
    paths = []
    for n in range(int(part.max()) + 1 if len(part) else 1):
        path = folder / f"{stem}-{n + 1}.csv"
        body = "".join(line + "\r\n" for line in lines[part == n]) if len(part) else ""
        path.write_text(header + body, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def _parts(sizes: np.ndarray, room: int) -> np.ndarray:
    """File number per row, in order, every file within ``room`` bytes: rows are bucketed by
    where they end, with buckets one largest row narrower than the room."""
    if len(sizes) == 0:
        return np.zeros(0, dtype=int)
    width = max(room - int(sizes.max()), 1)
    return (np.cumsum(sizes) - 1) // width

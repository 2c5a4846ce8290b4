"""Settings: one pydantic model, every field with its default and what it means (§6).

Lookup order, as xlwings does it: the workbook's Settings sheet, then a ``regcert.toml``
beside the workbook (or the inputs), then these defaults. The build writes the sheet from the
settings in force, so every row on it applies; regcert.toml shapes a new workbook and fills in
settings the sheet does not list. Invalid settings are a clear
error naming the key (:class:`SettingsError`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from regcert_xl.model.errors import UserError
from regcert_xl.model.fields import FIELDS_BY_RECORD

SETTINGS_FILE = "regcert.toml"

LOCAL_CATEGORIES = ("on_hold", "withdrawn", "void", "not_achieved", "external")
DEFAULT_STATUS_LABELS: dict[str, list[str]] = {
    "on_hold": ["Deferred", "Extended", "Break in Learning"],
    "withdrawn": ["Withdrawn"],
    "void": ["Void", "Void – Malpractice"],
    "not_achieved": ["Not Achieved", "Failed", "No Attempt", "Partially Achieved"],
    "external": ["Taken Elsewhere", "Other Awarding Body"],
}

UPLOAD_COLUMNS_DEFAULT = [
    "Qualification Number", "ULN", "Status", "Registration Date", "Registration Number",
    "Achieved Date", "Certificate Claimed Date", "Certificate Received Date",
    "Certificate Sent Date", "Postal Tracking Ref",
]

# The statuses Aptem's "Import and Update" accepts, spelled as it spells them.
UPLOAD_STATUSES_DEFAULT = [
    "Not registered", "Registered", "Achieved", "Certificate Claimed", "Certificate Received",
    "Certificate Sent", "Exempt", "Registration Not Required",
]


class SettingsError(UserError):
    """A setting that cannot be used; the message (one line) names the key."""


class Settings(BaseModel):
    """Everything an administrator can change. Defaults are the product's defaults."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # -- columns ---------------------------------------------------------------------------
    column_aliases: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Extra header spellings per field, e.g. {uln = [\"Learner ULN No\"]}.",
    )

    # -- statuses --------------------------------------------------------------------------
    status_aliases: dict[str, str] = Field(
        default_factory=dict,
        description="Extra labels for lifecycle statuses, e.g. {\"Booked for EPA\" = \"Registered\"}.",
    )
    status_labels: dict[str, list[str]] = Field(
        default_factory=lambda: dict(DEFAULT_STATUS_LABELS),
        description="Local status labels by category: on_hold, withdrawn, void, not_achieved, external. "
                    "A category you give replaces that category's labels; the others keep theirs "
                    "(give e.g. void = [] to have none).",
    )
    registration_not_required: list[str] = Field(
        default_factory=lambda: ["Gateway sign-off", "Readiness", "Mock"],
        description="Qualification titles containing any of these are internal stages: no registration needed.",
    )
    complete_statuses: list[str] = Field(
        default_factory=lambda: ["Certificate Sent"],
        description="Statuses that count a component as complete (with certificate tracking off, Achieved and later).",
    )
    certificate_tracking: bool = Field(
        True, description="Track certificate claim, receipt and dispatch after achievement."
    )

    # -- flag thresholds -------------------------------------------------------------------
    registration_lead_months: int = Field(
        6, ge=0, le=60, description="Register this many months before the planned end date."
    )
    due_soon_days: int = Field(30, ge=0, le=365, description="An action due within this many days is AMBER.")
    result_wait_days: int = Field(28, ge=0, le=365, description="Chase a result this many days after the assessment.")
    claim_within_days: int = Field(20, ge=0, le=365, description="Claim the certificate within this many days of achievement.")
    certificate_wait_days: int = Field(21, ge=0, le=365, description="Chase a certificate not received this many days after the claim.")
    send_within_days: int = Field(14, ge=0, le=365, description="Send the certificate within this many days of receipt.")

    # -- assessments -----------------------------------------------------------------------
    pass_results: list[str] = Field(
        default_factory=lambda: ["Pass", "Merit", "Distinction", "Passed", "Competent", "Pass with Excellence",
                                 "Credit"],
        description="Results that count as a pass.",
    )
    fail_results: list[str] = Field(
        default_factory=lambda: ["Fail", "Referred", "No Attempt", "Absent", "Failed", "Not Yet Competent",
                                 "No-show", "Unsuccessful"],
        description="Results that count as a fail (a resit is needed).",
    )
    void_results: list[str] = Field(
        default_factory=lambda: ["Void"], description="Results that do not count as an attempt."
    )
    grade_points: dict[str, int] = Field(
        default_factory=lambda: {"Fail": 0, "Pass": 1, "Merit": 2, "Distinction": 3},
        description="Points per grade, used for the provisional overall grade.",
    )
    overall_grade_rule: Literal["lowest", "average"] = Field(
        "lowest",
        description="How component grades combine into the provisional overall grade: lowest, or average of points rounded down.",
    )
    prerequisite_patterns: list[str] = Field(
        default_factory=lambda: ["Functional Skills", "English", "Maths"],
        description="Qualification titles containing these must be achieved (or exempt) before gateway.",
    )

    # -- components ------------------------------------------------------------------------
    component_prefixes: list[str] = Field(
        default_factory=list,
        description="Prefixes removed from titles to name components; empty = the prefix shared before a dash.",
    )
    components_order: list[str] = Field(
        default_factory=list, description="Order of component columns on Overview (others follow, A–Z)."
    )

    # -- workbook, history, upload ---------------------------------------------------------
    protect_password: str = Field("", description="Password for generated sheets (blank = protected without a password).")
    snapshot_store: str = Field("", description="SQLAlchemy URL of the snapshot store; blank = a SQLite file beside the workbook.")
    upload_columns: list[str] = Field(
        default_factory=lambda: list(UPLOAD_COLUMNS_DEFAULT),
        description="Columns of the Import and Update upload file, in order.",
    )
    upload_statuses: list[str] = Field(
        default_factory=lambda: list(UPLOAD_STATUSES_DEFAULT),
        description="Statuses the learner system's import accepts, in its spelling (Aptem's by default); a record "
                    "whose status is not one of them is kept out of the upload. Blank = no check.",
    )
    upload_max_bytes: int = Field(2_000_000, ge=10_000, description="Upload files are split below this size.")

    # -- input limits ----------------------------------------------------------------------
    max_input_mb: int = Field(512, ge=1, description="Refuse input files larger than this (MB).")
    max_unpacked_mb: int = Field(4096, ge=1, description="Refuse workbooks whose parts unpack to more than this (MB).")
    max_compression_ratio: int = Field(250, ge=10, description="Refuse workbook parts packed more tightly than this (zip bombs).")
    max_sheet_cells: int = Field(50_000_000, ge=1_000, description="Refuse a sheet whose used area (first to last "
                                 "row, times first to last column) holds more cells than this.")

    @field_validator("column_aliases")
    @classmethod
    def _known_fields(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        known = {f.name for fields in FIELDS_BY_RECORD.values() for f in fields}
        for name in value:
            if name not in known:
                raise ValueError(f"{name!r} is not a field; fields are {', '.join(sorted(known))}")
        return value

    @field_validator("status_labels")
    @classmethod
    def _known_categories(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for category in value:
            if category not in LOCAL_CATEGORIES:
                raise ValueError(f"{category!r} is not a category; categories are {', '.join(LOCAL_CATEGORIES)}")
        return {**DEFAULT_STATUS_LABELS, **value}

    @field_validator("status_aliases")
    @classmethod
    def _known_statuses(cls, value: dict[str, str]) -> dict[str, str]:
        from regcert_xl.model.lifecycle import STATUSES

        names = [s.name for s in STATUSES]
        for label, target in value.items():
            if target not in names:
                raise ValueError(f"{label!r} maps to {target!r}, which is not one of {', '.join(names)}")
        return value

    @field_validator("overall_grade_rule", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


def describe_settings() -> list[tuple[str, str, str]]:
    """(key, default as text, description) for every setting, in declaration order."""
    defaults = Settings()
    return [
        (name, format_value(getattr(defaults, name)), field.description or "")
        for name, field in Settings.model_fields.items()
    ]


def format_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{k} = {format_value(v) if not isinstance(v, list) else ', '.join(map(str, v))}"
            for k, v in value.items()
        )
    return str(value)


def settings_from_mapping(data: dict[str, Any], source: str) -> Settings:
    """Validate a mapping of settings; errors name the source and the key."""
    try:
        return Settings(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key_path = ".".join(str(p) for p in first["loc"]) or "?"
        if first["type"] == "extra_forbidden":
            raise SettingsError(f"{source}: setting '{key_path}' is not a setting") from None
        message = first["msg"].removeprefix("Value error, ").replace("Input should be", "should be")
        got = first.get("input")
        shown = f" (got {got!r})" if isinstance(got, str | int | float | bool) else ""
        raise SettingsError(f"{source}: setting '{key_path}': {message}{shown}") from None


def load_settings_file(path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: settings file not found") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: settings file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    return settings_from_mapping(_flatten_tables(data), str(path))


# Settings files may group keys under tables ([thresholds], [statuses] …) for readability.
_GROUPS = ("columns", "statuses", "thresholds", "assessments", "components", "workbook", "history",
           "upload", "limits")


def _flatten_tables(data: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in data.items():
        if k in _GROUPS and isinstance(v, dict):
            flat.update(v)
        else:
            flat[k] = v
    return flat


def resolve_settings(explicit: Path | None = None, beside: list[Path] | None = None,
                     overrides: dict[str, Any] | None = None) -> Settings:
    """The settings in force. ``overrides`` (the workbook's Settings sheet) come first, then the
    first regcert.toml beside the given paths, then the defaults. An ``explicit`` file is a
    choice made for this run: the keys it names win over the sheet as well."""
    if explicit is not None:
        chosen = load_settings_file(explicit)
        named = {key: getattr(chosen, key) for key in chosen.model_fields_set}
        return settings_from_mapping(Settings().model_dump() | (overrides or {}) | named, str(explicit))
    settings = Settings()
    for p in beside or []:
        candidate = Path(p).parent / SETTINGS_FILE
        if candidate.is_file():
            settings = load_settings_file(candidate)
            break
    if overrides:
        settings = settings_from_mapping(settings.model_dump() | overrides, "Settings sheet")
    return settings


def parse_value(name: str, text: object) -> Any:
    """A value as shown on the Settings sheet (:func:`format_value`) back to its setting's type.

    Lists are 'a; b; c'; mappings 'key = a, b; key2 = c' (a list per key) or 'key = value'.
    """
    value = _parse_shape(name, text)
    try:
        return TypeAdapter(_annotation(name)).validate_python(value)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].replace("Input should be", "should be")
        raise SettingsError(f"Settings sheet: setting '{name}': {message} (got {text!r})") from None


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _annotation(name: str) -> Any:
    """The setting's declared type, e.g. ``dict[str, list[str]]`` (a type form, not a class)."""
    if name not in Settings.model_fields:
        raise SettingsError(f"Settings sheet: '{name}' is not a setting")
    return Settings.model_fields[name].annotation


def _parse_shape(name: str, text: object) -> Any:
    annotation = _annotation(name)
    origin = getattr(annotation, "__origin__", None)
    raw = "" if _is_blank(text) else str(text).strip()
    if isinstance(text, bool) or annotation is bool:
        return text if isinstance(text, bool) else raw.casefold() in ("true", "yes", "1", "on")
    if origin is list:
        return [part.strip() for part in raw.split(";") if part.strip()]
    if origin is dict:
        value_type = annotation.__args__[1]
        out: dict[str, Any] = {}
        for item in (part for part in raw.split(";") if part.strip()):
            if "=" not in item:
                raise SettingsError(f"Settings sheet: setting '{name}': '{item.strip()}' should be 'key = value'")
            key, value = (side.strip() for side in item.split("=", 1))
            if getattr(value_type, "__origin__", None) is list:
                out[key] = [v.strip() for v in value.split(",") if v.strip()]
            else:
                out[key] = value
        return out
    if isinstance(text, float) and text == text and text.is_integer():
        return int(text)
    return raw if not isinstance(text, int | float) or raw == "" else text


def overrides_from_rows(rows: list[tuple[object, object]]) -> dict[str, Any]:
    """(setting, value) pairs from a Settings sheet -> every setting the sheet lists, as it is there.

    The sheet is written from the settings in force, so each row is what applies to the workbook,
    whether or not it equals the default: a value set back to its default on the sheet still wins
    over a regcert.toml beside the workbook. Settings the sheet does not list are left to the file.
    """
    out: dict[str, Any] = {}
    for name, shown in rows:
        if name is None or str(name).strip() == "":
            continue
        key = str(name).strip()
        out[key] = parse_value(key, shown)
    return out

"""The settings in force for a job: one lookup for the CLI, the Python API and the Excel glue."""

from __future__ import annotations

from pathlib import Path

from regcert_xl.model.settings import Settings, overrides_from_rows, resolve_settings


def workbook_settings(book: str | Path | None, explicit: Settings | str | Path | None = None,
                      beside: list[Path] | None = None) -> Settings:
    """Settings in force for a workbook: its Settings sheet, then the given file or a
    regcert.toml beside the workbook or the exports, then the defaults."""
    if isinstance(explicit, Settings):
        return explicit
    places = ([Path(book)] if book else []) + list(beside or [])
    overrides = {}
    if book and Path(book).exists():
        from regcert_xl.read.settings_sheet import settings_rows

        overrides = overrides_from_rows(settings_rows(Path(book)))
    return resolve_settings(Path(explicit) if explicit else None, beside=places, overrides=overrides)

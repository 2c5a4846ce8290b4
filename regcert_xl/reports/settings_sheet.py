"""The Settings sheet (§5, §6): every setting in force, its default and what it means.
The Value column is editable; a refresh reads it back (Settings sheet first, then
regcert.toml, then defaults)."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluation import Evaluation
from regcert_xl.model.settings import Settings, describe_settings, format_value
from regcert_xl.reports.base import Report, Section


def frame(settings: Settings) -> pd.DataFrame:
    rows = [(key, format_value(getattr(settings, key)), default, meaning)
            for key, default, meaning in describe_settings()]
    return pd.DataFrame(rows, columns=["Setting", "Value", "Default", "Meaning"])


def build(ev: Evaluation) -> list[Section]:
    return [Section("tblSettings", "Settings in force", frame(ev.settings),
                    note="Change a Value and refresh. Lists are separated by ';', mappings written "
                         "'key = a, b; key2 = c'. A value that is not valid stops the refresh with a message "
                         "naming the setting.")]


REPORT = Report("Settings", "Settings", build, protected=False)

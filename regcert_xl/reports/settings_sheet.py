"""The Settings sheet (§5, §6): every setting in force, its default and what it means.
The Value column is editable; a refresh reads it back (Settings sheet first, then
regcert.toml, then defaults)."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.model.settings import Settings, describe_settings, format_value
from regcert_xl.model.vocab import choice_lists
from regcert_xl.reports.base import Report, Section


def frame(settings: Settings) -> pd.DataFrame:
    rows = [(key, format_value(getattr(settings, key)), default, meaning)
            for key, default, meaning in describe_settings()]
    return pd.DataFrame(rows, columns=["Setting", "Value", "Default", "Meaning"])


def valid_values(settings: Settings) -> pd.DataFrame:
    """The drop-down lists side by side, one column each."""
    lists = choice_lists(settings)
    length = max(len(v) for v in lists.values())
    return pd.DataFrame({name: values + [None] * (length - len(values)) for name, values in lists.items()})


def build(ev: Evaluation) -> list[Section]:
    return [
        Section("tblSettings", "Settings in force", frame(ev.settings),
                note="Change a Value and refresh. Lists are separated by ';', mappings written "
                     "'key = a, b; key2 = c'. A value that is not valid stops the refresh with a message "
                     "naming the setting."),
        Section("tblValidValues", "Values offered in drop-down lists", valid_values(ev.settings),
                note="Statuses and results offered by the drop-downs on the Qualifications and Assessments "
                     "sheets (other values are allowed after a warning)."),
    ]


REPORT = Report("Settings", "Settings", build, protected=False)

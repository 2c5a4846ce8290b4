"""Settings: defaults, a file, the Settings sheet's text form, and clear errors naming the key."""

import pytest

from regcert_xl.model.settings import (
    Settings,
    SettingsError,
    format_value,
    load_settings_file,
    overrides_from_rows,
    parse_value,
    resolve_settings,
)


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_survives_the_settings_sheet(name):
    value = getattr(Settings(), name)
    assert parse_value(name, format_value(value)) == value


def test_sheet_rows_give_every_listed_setting_even_at_its_default():
    rows = [("due_soon_days", 14), ("status_labels", "on_hold = Deferred, Paused; withdrawn = Withdrawn"),
            ("certificate_tracking", "true"), ("pass_results", "Pass; Merit; Distinction; Passed; Competent"),
            (None, "ignored")]
    assert overrides_from_rows(rows) == {
        "due_soon_days": 14, "status_labels": {"on_hold": ["Deferred", "Paused"], "withdrawn": ["Withdrawn"]},
        "certificate_tracking": True, "pass_results": ["Pass", "Merit", "Distinction", "Passed", "Competent"]}


def test_resolution_order(tmp_path):
    export = tmp_path / "q.csv"
    export.write_text("x")
    (tmp_path / "regcert.toml").write_text("due_soon_days = 10\nresult_wait_days = 7\n")
    settings = resolve_settings(None, beside=[export], overrides={"due_soon_days": 21})
    assert (settings.due_soon_days, settings.result_wait_days) == (21, 7)


@pytest.mark.parametrize("text, message", [
    ("due_soon_days = -1", "setting 'due_soon_days': should be greater than or equal to 0 (got -1)"),
    ("colour = 'blue'", "setting 'colour' is not a setting"),
    ("[thresholds]\nclaim_within_days = 'soon'", "setting 'claim_within_days': should be a valid integer"),
    ('status_aliases = {"Booked" = "Nowhere"}', "setting 'status_aliases': 'Booked' maps to 'Nowhere'"),
    ('column_aliases = {postcode = ["PC"]}', "setting 'column_aliases': 'postcode' is not a field"),
    ("due_soon_days = ", "not valid TOML"),
])
def test_invalid_settings_name_the_key(tmp_path, text, message):
    path = tmp_path / "regcert.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as caught:
        load_settings_file(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_bad_sheet_mapping():
    with pytest.raises(SettingsError, match="'grade_points': 'Pass' should be 'key = value'"):
        parse_value("grade_points", "Pass; Merit = 2")

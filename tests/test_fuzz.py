"""Fuzzing the readers and the settings loader with hypothesis: random and mutated CSV, OData
JSON, workbook packages, TOML settings files and Settings-sheet values. Whatever comes in, the
answer is a table, or UnusableInput / SettingsError with a one-line message — never another
exception.

Bounded in CI (``FUZZ_EXAMPLES``, default 150 per target); run longer by hand, e.g.
``FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py``. A crash found becomes an explicit example
below (``@example``), so it is tried first on every run from then on.
"""

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings, SettingsError, load_settings_file, parse_value
from regcert_xl.read import read_table
from tests.corpus import HEADER, RECORD, _xlsx

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
pytestmark = pytest.mark.slow

GOOD_CSV = (",".join(HEADER) + "\r\n" + ",".join(RECORD) + "\r\n").encode()


def answer(path: Path, record: str = "qualifications") -> None:
    """Read the file; only a table or a one-line refusal is a right answer."""
    try:
        table = read_table(path, record)
    except UnusableInput as exc:
        assert "\n" not in str(exc) and path.name in str(exc)
        return
    assert len(table.data) == len(table.origin)


def _good_xlsx(tmp: Path) -> bytes:
    return _xlsx(tmp / "seed.xlsx", [HEADER, RECORD]).read_bytes()


mutations = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=12)


def mutate(data: bytes, edits: list[tuple[float, int]], cut: float | None) -> bytes:
    out = bytearray(data)
    for where, byte in edits:
        if out:
            out[int(where * (len(out) - 1))] = byte
    return bytes(out[: int(cut * len(out))] if cut is not None else out)


@FUZZ
@given(data=st.binary(max_size=4000), edits=mutations, cut=st.none() | st.floats(0, 1))
@example(data=b"", edits=[], cut=None)
@example(data=b'"', edits=[], cut=None)
@example(data=b"ULN\r\n\x00", edits=[], cut=None)
def test_csv_bytes(tmp_path, data, edits, cut):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data or mutate(GOOD_CSV, edits, cut))
    answer(path)


@FUZZ
@given(edits=mutations, cut=st.none() | st.floats(0, 1), text=st.text(max_size=200))
@example(edits=[(0.90234375, 1)], cut=None, text="000\x80\x80\x80\x80\x80\x80\x80𐀀𐀀")  # found: csv.Error escaped
def test_csv_mutated_around_a_good_export(tmp_path, edits, cut, text):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(mutate(GOOD_CSV + text.encode("utf-8", "surrogatepass")[:200], edits, cut))
    answer(path)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                      max_size=4),
                           max_leaves=20)


@FUZZ
@given(page=json_values, rows=st.lists(st.dictionaries(st.sampled_from(["ULN", "QualificationTitle", "Status",
                                                                       "RegistrationDate", "x"]), json_values,
                                                      max_size=5), max_size=4), edits=mutations,
       cut=st.none() | st.floats(0, 1))
def test_odata_json(tmp_path, page, rows, edits, cut):
    document = json.dumps({"@odata.context": "https://x/$metadata#AwardingBodyQualifications", "value": rows,
                           "extra": page}).encode()
    path = tmp_path / "fuzz.json"
    path.write_bytes(mutate(document, edits, cut))
    answer(path)


@FUZZ
@given(edits=mutations, cut=st.none() | st.floats(0.05, 1))
def test_workbook_bytes(tmp_path, edits, cut):
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(mutate(_good_xlsx(tmp_path), edits, cut))
    answer(path)


@FUZZ
@given(part=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml",
                             "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"]),
       edits=mutations, cut=st.none() | st.floats(0, 1), insert=st.text(max_size=60))
def test_workbook_parts(tmp_path, part, edits, cut, insert):
    """A sound zip whose XML inside is damaged: the parser, not the zip, meets the damage."""
    good = _good_xlsx(tmp_path)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                middle = len(data) // 2
                data = mutate(data[:middle] + insert.encode("utf-8", "surrogatepass") + data[middle:], edits, cut)
            dst.writestr(info.filename, data)
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(out.getvalue())
    answer(path)


SETTINGS_SEED = """due_soon_days = 14
registration_lead_months = 3
[statuses]
status_labels = { on_hold = ["On Hold", "Suspended"], withdrawn = ["Withdrawn"] }
status_aliases = { "Booked for EPA" = "Registered" }
[columns]
column_aliases = { uln = ["Unique Learner Number"] }
"""


def test_the_settings_seed_is_a_valid_settings_file(tmp_path):
    """Mutations start from a file that loads, so they explore near-valid settings, not just
    the first error."""
    path = tmp_path / "regcert.toml"
    path.write_text(SETTINGS_SEED, encoding="utf-8")
    loaded = load_settings_file(path)
    assert (loaded.due_soon_days, loaded.registration_lead_months) == (14, 3)
    assert loaded.status_labels["on_hold"] == ["On Hold", "Suspended"]
    assert loaded.status_labels["withdrawn"] == ["Withdrawn"]
    assert loaded.status_aliases == {"Booked for EPA": "Registered"}
    assert loaded.column_aliases == {"uln": ["Unique Learner Number"]}


@FUZZ
@given(text=st.text(max_size=300), edits=mutations, cut=st.none() | st.floats(0, 1), raw=st.binary(max_size=200))
@example(text="", edits=[], cut=None, raw=b"\xff\xfe")
def test_settings_file(tmp_path, text, edits, cut, raw):
    path = tmp_path / "regcert.toml"
    seed = (SETTINGS_SEED + text).encode("utf-8", "surrogatepass")
    path.write_bytes(mutate(seed, edits, cut) + (raw if len(raw) % 3 == 0 else b""))
    try:
        loaded = load_settings_file(path)
    except SettingsError as exc:
        assert "\n" not in str(exc).strip() and str(path) in str(exc)
        return
    assert isinstance(loaded, Settings)


@FUZZ
@given(name=st.sampled_from(sorted(Settings.model_fields)) | st.text(max_size=20),
       value=st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=80))
@example(name="grade_points", value="0\n0")  # found: a message over two lines
@example(name="\n", value=None)
def test_settings_sheet_values(name, value):
    try:
        parse_value(name, value)
    except SettingsError as exc:
        assert "\n" not in str(exc).strip()

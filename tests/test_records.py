"""The pydantic record models cover every canonical field and carry unknown columns along."""

import datetime as dt

from regcert_xl.model.fields import FIELDS_BY_RECORD
from regcert_xl.model.records import MODELS, to_models
from regcert_xl.read import read_table
from tests.conftest import QUAL_HEADER, qual, write_csv


def test_models_have_every_field():
    for record, fields in FIELDS_BY_RECORD.items():
        assert {f.name for f in fields} == set(MODELS[record].model_fields), record


def test_records_as_models(tmp_path):
    path = write_csv(tmp_path / "q.csv", [qual(**{"Funding Band": "007"})], [*QUAL_HEADER, "Funding Band"])
    [record] = to_models(read_table(path, "qualifications"))
    assert record.uln == "1000000043"
    assert record.registration_date == dt.date(2026, 1, 15)
    assert record.achieved_date is None
    assert record.model_extra == {"Funding Band": "007"}

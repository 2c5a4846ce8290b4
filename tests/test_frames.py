"""The column-wise helpers the core is built on: exact values, blanks and the edges."""

import pandas as pd

from regcert_xl.model.frames import join_groups, lookup, on_distinct
from regcert_xl.model.identity import LEARNER_KEY
from regcert_xl.model.issues import fill
from regcert_xl.model.linking import link_learner_keys
from regcert_xl.reports.learner import _max_per_learner


def test_fill_joins_text_numbers_and_blanks_per_row():
    who = pd.Series(["Ann", None, "Bo"], index=[10, 11, 12], dtype="string[pyarrow]")
    row = pd.Series([2, 3, None], index=[10, 11, 12], dtype="Int64")
    out = fill("Learner {who} (row {r}) {x}", who=who, r=row, x="!")
    assert out.tolist() == ["Learner Ann (row 2) !", "Learner  (row 3) !", "Learner Bo (row ) !"]
    assert out.index.tolist() == [10, 11, 12] and out.dtype == object


def test_fill_takes_object_columns_and_scalars():
    assert fill("{a}-{b}", a=pd.Series(["q", 3, None], dtype=object), b=1.5).tolist() == ["q-1.5", "3-1.5", "-1.5"]
    assert fill("no series {a}", a=7) == "no series 7"
    assert fill("{a}", a=pd.Series([], dtype=object)).tolist() == []


def test_on_distinct_spreads_back_with_blanks():
    values = pd.Series(["a", "b", None, "a", "a", "b"], index=list("uvwxyz"), dtype="string[pyarrow]")
    out = on_distinct(values, lambda s: s.str.upper())
    assert out.index.tolist() == list("uvwxyz")
    assert out.tolist()[:2] == ["A", "B"] and pd.isna(out["w"]) and out.tolist()[3:] == ["A", "A", "B"]


def test_join_groups_in_order_and_unique():
    values = pd.Series(["x", "y", "x", None, "z"])
    keys = pd.Series(["k1", "k1", "k1", "k2", "k3"])
    assert join_groups(values, keys).to_dict() == {"k1": "x, y, x", "k3": "z"}
    assert join_groups(values, keys, unique=True).to_dict() == {"k1": "x, y", "k3": "z"}


def test_lookup_first_match_and_na():
    found = lookup(pd.Series(["b", "c", None, "a"]), pd.Series(["a", "b", "b"]), pd.Series([10, 20, 30]))
    assert found[0] == 20 and found[3] == 10
    assert pd.isna(found[1]) and pd.isna(found[2])


def test_max_rows_per_learner_from_the_record_keys():
    keys = pd.Series(["111#1", "111#2", "222#1", None, "L#9#1", "L#9#2", "L#9#3"], dtype="string[pyarrow]")
    assert _max_per_learner(keys) == 3
    assert _max_per_learner(pd.Series([None], dtype="string[pyarrow]")) == 1
    assert _max_per_learner(pd.Series([f"a#{n}" for n in range(1, 500)])) == 200  # at most MAX_ROWS


def test_assessments_by_learner_reference_take_the_ulns_of_the_qualifications():
    quals = pd.DataFrame({"learner_ref": [" l001", "L002", None], LEARNER_KEY: ["1000000043", "REF:l002", "9"]})
    assessments = pd.DataFrame({"learner_ref": ["L001 ", "l002", "L404", None],
                                LEARNER_KEY: ["REF:l001", "REF:l002", "REF:l404", "1234567890"]},
                               index=[5, 6, 7, 8])
    keys = link_learner_keys(assessments, quals)
    assert keys.to_dict() == {5: "1000000043", 6: "REF:l002", 7: "REF:l404", 8: "1234567890"}

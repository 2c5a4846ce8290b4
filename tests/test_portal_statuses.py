"""EPAO portals' status words (epaPRO, ACE360) are recognised by default, as data."""

import pandas as pd
import pytest

from regcert_xl.model.lifecycle import PORTAL_LABELS, resolve_statuses
from regcert_xl.model.settings import Settings
from tests.conftest import found, qual

EXPECTED = [
    # label, status shown, category, rank
    ("On-programme", "Registered", "active", 1),
    ("Suspended", "Suspended", "on_hold", None),
    ("Cancelled", "Cancelled", "withdrawn", None),
    ("Withdrawn", "Withdrawn", "withdrawn", None),
    ("Completed", "Achieved", "active", 3),
    ("Certified", "Certificate Claimed", "active", 4),
    ("Back Into Learning", "Registered", "active", 1),
    ("Retake Review", "Gateway Reached", "active", 2),
    ("Pending Results", "Gateway Reached", "active", 2),
    ("Entered", "Registered", "active", 1),
    ("Pending Certification", "Achieved", "active", 3),
    ("Certificate Authorised", "Certificate Claimed", "active", 4),
    ("Certificate Rejected", "Achieved", "active", 3),
    ("Certificate Printed", "Certificate Received", "active", 5),
    ("Gateway Rejected", "Registered", "active", 1),
]


@pytest.mark.parametrize("label, status, category, rank", EXPECTED)
def test_portal_word_resolves(label, status, category, rank):
    resolved = resolve_statuses(pd.Series([label, label.upper(), label.replace("-", " ")]), Settings())
    assert resolved["status_name"].tolist() == [status] * 3
    assert resolved["category"].tolist() == [category] * 3
    assert resolved["rank"].tolist() == [pd.NA if rank is None else rank] * 3


def test_every_portal_word_is_tested_and_documented():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert [p.label for p in PORTAL_LABELS] == [e[0] for e in EXPECTED]
    assert {p.system for p in PORTAL_LABELS} == {"epaPRO", "ACE360"}
    undocumented = [p.label for p in PORTAL_LABELS if f"| {p.system} | {p.label} | " not in readme]
    assert undocumented == []


def test_portal_words_are_not_status_unknown(check):
    done = {"Achieved Date": "01/06/2026", "Certificate Claimed Date": "02/06/2026",
            "Certificate Received Date": "03/06/2026"}
    issues = check([qual(Status=e[0], **done) for e in EXPECTED])
    assert found(issues, codes={"STATUS_UNKNOWN"}) == set()


def test_settings_override_a_portal_word():
    settings = Settings(status_aliases={"Certified": "Certificate Received"},
                        status_labels={"on_hold": ["Entered"]})
    resolved = resolve_statuses(pd.Series(["Certified", "Entered"]), settings)
    assert resolved["status_name"].tolist() == ["Certificate Received", "Entered"]
    assert resolved["category"].tolist() == ["active", "on_hold"]


def test_portal_words_drive_flags(flagged):
    from tests.conftest import ULN_B, ULN_C, worst

    ev = flagged([qual(Status="Suspended"), qual(Status="Cancelled", ULN=ULN_B, **{"Learner Reference": "L2"}),
                  qual(Status="Certificate Rejected", ULN=ULN_C,
                       **{"Achieved Date": "01/06/2026", "Learner Reference": "L3"})])
    assert worst(ev, 0)[:2] == ("ON_HOLD", "GREY")
    assert worst(ev, 1)[:2] == ("CLOSED", "GREY")
    assert worst(ev, 2)[:2] == ("CLAIM_OVERDUE", "RED")

"""The small known input behind the workbook tests: two learners, four records, five events."""

from pathlib import Path

from regcert_xl import api
from tests.conftest import ASSESS_HEADER, QUAL_HEADER, ULN_B, assessment, qual, write_csv

HEADER = [*QUAL_HEADER, "Notes From Tutor"]
INJECTION = '=HYPERLINK("http://evil.example","click")'
BO = {"ULN": ULN_B, "Learner Reference": "L002", "First Name": "Bo", "Last Name": "Jones"}

QUALS = [
    qual(**{"Notes From Tutor": INJECTION}),
    qual(Qualification="EPA Assessment – Observation", Status="Achieved",
         **{"Achieved Date": "02/11/2026", "Notes From Tutor": "007"}),
    qual(**BO, Status="Not Registered",
         **{"Registration Date": "", "Registration Number": "", "Planned End Date": "31/08/2026",
            "Start Date": "01/09/2024", "Planned Achieved Date": "31/07/2026"}),
    qual(**BO, Qualification="EPA Assessment – Observation", Status="Certificate Sent",
         **{"Achieved Date": "01/06/2026", "Certificate Claimed Date": "05/06/2026",
            "Certificate Received Date": "20/06/2026", "Certificate Sent Date": "25/06/2026"}),
]
EVENTS = [
    assessment(Attempt="1", Result="Fail", Grade="", **{"Assessment Date": "01/10/2026"}),
    assessment(Attempt="2", Type="Resit", Status="Booked", Result="", Grade="", **{"Assessment Date": "15/12/2026"}),
    assessment(Qualification="EPA Assessment – Observation", Assessment="Observation", Result="Merit", Grade="Merit",
               **{"Assessment Date": "01/10/2026"}),
    assessment(ULN=ULN_B, Qualification="EPA Assessment – Observation", Assessment="Observation", Result="Distinction",
               Grade="Distinction", **{"Assessment Date": "01/05/2026"}),
    assessment(ULN=ULN_B, Type="Mock", Attempt="", Result="Fail", Grade="", **{"Assessment Date": "01/06/2026"}),
]


def build_small(folder: Path, name: str = "small.xlsx", **options) -> Path:
    q = write_csv(folder / "q.csv", QUALS, HEADER)
    a = write_csv(folder / "a.csv", EVENTS, ASSESS_HEADER)
    out = folder / name
    api.build_workbook(q, a, output=out, as_of="2026-11-23", **options)
    return out

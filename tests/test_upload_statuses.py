"""The upload file carries only statuses the learner system's import accepts (upload_statuses)."""

import csv

import openpyxl

from regcert_xl import api
from regcert_xl.model.settings import Settings
from tests.conftest import ULN_A, ULN_C, qual
from tests.test_history import ANN, BO, DAY1, export

CY = {"ULN": ULN_C, "Learner Reference": "L003", "First Name": "Cy", "Last Name": "Lee",
      "Qualification Number": "ST0384-KT"}


def _book(tmp_path, toml: str = ""):
    if toml:
        (tmp_path / "regcert.toml").write_text(toml, encoding="utf-8")
    book = tmp_path / "RegCert.xlsx"
    store = f"sqlite:///{tmp_path / 'h.sqlite'}"
    rows = [qual(**ANN, Status="Registered"), qual(**BO, Status="Registered"),
            qual(**CY, Status="Registered")]
    api.build_workbook(export(tmp_path, "d1.csv", rows), output=book, as_of=DAY1, store=store)
    wb = openpyxl.load_workbook(book)
    q = wb["Qualifications"]
    status = [c.column_letter for c in q[1] if c.value == "Status"][0]
    q[f"{status}2"] = "Gateway Reached"  # Ann: Aptem's import has no such status
    q[f"{status}3"] = "Not Registered"   # Bo: written as Aptem spells it
    q[f"{status}4"] = "Withdrawn"        # Cy: a local label
    wb.save(book)
    return book, store


def _upload(tmp_path, book, store):
    files, kept_out = api.upload_file(book, tmp_path / "up", store=store)
    with files[0].open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh)), kept_out


def test_statuses_the_import_does_not_accept_are_kept_out_with_a_reason(tmp_path):
    book, store = _book(tmp_path)
    lines, kept_out = _upload(tmp_path, book, store)
    assert [(r[1], r[2]) for r in lines[1:]] == [(BO["ULN"], "Not registered")]
    accepted = ("Not registered, Registered, Achieved, Certificate Claimed, Certificate Received, "
                "Certificate Sent, Exempt, Registration Not Required")
    assert kept_out[["Learner", "Reason"]].values.tolist() == [
        ["Ann Smith", f"the learner system's import does not accept the status 'Gateway Reached' (it accepts "
                      f"{accepted}): set it in the learner system by hand, or map it in settings (upload_statuses)"],
        ["Cy Lee", f"the learner system's import does not accept the status 'Withdrawn' (it accepts "
                   f"{accepted}): set it in the learner system by hand, or map it in settings (upload_statuses)"]]


def test_the_accepted_list_is_a_setting(tmp_path):
    book, store = _book(tmp_path, '[upload]\nupload_statuses = ["NOT REGISTERED", "Gateway Reached", "Withdrawn"]\n')
    lines, kept_out = _upload(tmp_path, book, store)
    assert [(r[1], r[2]) for r in lines[1:]] == [
        (ULN_A, "Gateway Reached"), (BO["ULN"], "NOT REGISTERED"),
        (ULN_C, "Withdrawn")]
    assert kept_out.empty


def test_blank_accepted_list_checks_nothing(tmp_path):
    book, store = _book(tmp_path, "[upload]\nupload_statuses = []\n")
    lines, kept_out = _upload(tmp_path, book, store)
    assert [r[2] for r in lines[1:]] == ["Gateway Reached", "Not Registered", "Withdrawn"]
    assert kept_out.empty


def test_accepted_statuses_map_canonical_names_to_the_systems_spelling():
    from regcert_xl import api as _  # noqa: F401  (import order: the API first)
    from regcert_xl.roundtrip.upload import accepted_statuses

    spelling = accepted_statuses(Settings())
    assert spelling.to_dict() == {
        "Not Registered": "Not registered", "Registered": "Registered", "Achieved": "Achieved",
        "Certificate Claimed": "Certificate Claimed", "Certificate Received": "Certificate Received",
        "Certificate Sent": "Certificate Sent", "Exempt": "Exempt",
        "Registration Not Required": "Registration Not Required"}
    assert accepted_statuses(Settings(upload_statuses=["Cert Sent", "Sent"])).to_dict() == {
        "Certificate Sent": "Cert Sent"}

"""OData pages given without the page their @odata.nextLink points to: ODATA_PAGES_MISSING."""

import json

import pandas as pd

from regcert_xl import api
from regcert_xl.model.table import ODataPage
from regcert_xl.rules.odata_pages import skip_of, unfollowed
from tests.conftest import AS_OF, ULN_A, ULN_B, ULN_C

FEED = "https://tenant.aptem.co.uk/odata/1.0/AwardingBodyQualifications"


def _page(path, ulns, next_link=None, count=None):
    document = {"@odata.context": "https://x/odata/$metadata#AwardingBodyQualifications"}
    if count is not None:
        document["@odata.count"] = count
    document["value"] = [{"ULN": u, "QualificationTitle": "EPA KT", "Status": "Not Registered"} for u in ulns]
    if next_link:
        document["@odata.nextLink"] = next_link
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _missing(issues):
    rows = issues[issues["code"] == "ODATA_PAGES_MISSING"]
    return list(zip(rows["severity"], rows["sheet"], rows["value"], strict=True))


def test_a_page_with_a_next_link_given_alone_is_reported(tmp_path):
    p1 = _page(tmp_path / "page1.json", [ULN_A], f"{FEED}?$skip=1")
    issues = api.validate([p1], as_of=AS_OF).issues
    assert _missing(issues) == [("warning", "page1.json", f"{FEED}?$skip=1")]
    row = issues[issues["code"] == "ODATA_PAGES_MISSING"].iloc[0]
    assert row["message"] == (
        f"page1.json ends with @odata.nextLink but the page it points to was not given, so records are missing: "
        f"fetch {FEED}?$skip=1 (then each page's @odata.nextLink in turn, until a page has none) and give every "
        "page, repeating --qualifications")
    assert row["action"] == ("Fetch each @odata.nextLink URL in turn until a page has none, and give every page "
                             "(repeat --qualifications / --assessments).")
    assert row["row"] is pd.NA


def test_every_page_given_in_any_order_is_not_reported(tmp_path):
    p1 = _page(tmp_path / "page1.json", [ULN_A], f"{FEED}?$skip=1")
    p2 = _page(tmp_path / "page2.json", [ULN_B], f"{FEED}?$skip=2")
    p3 = _page(tmp_path / "page3.json", [ULN_C])
    assert _missing(api.validate([p3, p1, p2], as_of=AS_OF).issues) == []
    assert _missing(api.validate([p1], as_of=AS_OF).issues) == [("warning", "page1.json", f"{FEED}?$skip=1")]
    # the middle page missing: without @odata.count the last page may as well start at record 1
    # (a two-page feed looks just the same), so only a page that gives the count tells
    assert _missing(api.validate([p1, p3], as_of=AS_OF).issues) == []
    p3_counted = _page(tmp_path / "page3.json", [ULN_C], count=3)
    assert _missing(api.validate([p1, p3_counted], as_of=AS_OF).issues) == [
        ("warning", "page1.json", f"{FEED}?$skip=1")]
    # the last page missing
    assert _missing(api.validate([p1, p2], as_of=AS_OF).issues) == [("warning", "page2.json", f"{FEED}?$skip=2")]


def test_a_page_without_next_link_is_not_reported(tmp_path):
    assert _missing(api.validate([_page(tmp_path / "all.json", [ULN_A, ULN_B])], as_of=AS_OF).issues) == []


def test_fewer_records_than_the_count_is_reported_on_the_counting_page(tmp_path):
    # the count places the last page at record 4: page 1's opaque link cannot be followed by it
    p1 = _page(tmp_path / "page1.json", [ULN_A], "https://x/odata/Quals?$skiptoken=opaqueA", count=5)
    p2 = _page(tmp_path / "page2.json", [ULN_B])
    assert _missing(api.validate([p1, p2], as_of=AS_OF).issues) == [
        ("warning", "page1.json", "https://x/odata/Quals?$skiptoken=opaqueA")]
    p1_full = _page(tmp_path / "page1.json", [ULN_A], "https://x/odata/Quals?$skiptoken=opaqueA", count=2)
    assert _missing(api.validate([p1_full, p2], as_of=AS_OF).issues) == []
    # no link left open, yet fewer records than the count
    alone = _page(tmp_path / "last.json", [ULN_A, ULN_B], count=5)
    issues = api.validate([alone], as_of=AS_OF).issues
    assert _missing(issues) == [("warning", "last.json", None)]
    assert issues[issues["code"] == "ODATA_PAGES_MISSING"]["message"].iloc[0] == (
        "last.json says the feed holds 5 records (@odata.count) but the pages given hold 2, so pages are "
        "missing: fetch every page (follow each @odata.nextLink until a page has none) and give them all, "
        "repeating --qualifications")


def test_skip_of_reads_numbers_from_skip_and_skiptoken():
    assert skip_of(f"{FEED}?$skip=200") == 200
    assert skip_of(f"{FEED}?$filter=x&$skiptoken=300") == 300
    assert skip_of(f"{FEED}?$skiptoken=abc123") is None
    assert skip_of(None) is None


def test_unfollowed_pages():
    def page(name, rows, link=None, count=None):
        return ODataPage(name, rows, link, count)

    numbered = (page("a", 100, "u?$skip=100"), page("b", 100, "u?$skip=200"), page("c", 40))
    assert unfollowed(numbered) == []
    assert unfollowed(numbered[::2]) == []  # c may start at 100: a two-page feed looks the same
    assert [p.file for p in unfollowed(numbered[:1])] == ["a"]
    assert [p.file for p in unfollowed(numbered[:2])] == ["b"]
    # with the count, the last page is placed (start 240 - 40 = 200): without b, a's link is open
    assert [p.file for p in unfollowed((page("a", 100, "u?$skip=100"), page("c", 40, count=240)))] == ["a"]
    opaque = (page("a", 10, "u?$skiptoken=X"), page("b", 10, "u?$skiptoken=Y"), page("c", 3))
    assert unfollowed(opaque) == []
    assert [p.file for p in unfollowed(opaque[:2])] == ["b"]
    assert [p.file for p in unfollowed(opaque[:1])] == ["a"]

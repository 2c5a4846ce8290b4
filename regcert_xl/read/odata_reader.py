"""OData JSON pages (``{"value": [...]}``) from the learner system's feed.

The two Aptem tables are recognised from ``@odata.context`` (or the file name), so a page of
assessment history given as qualifications is refused with a clear message. Each page's
``@odata.nextLink`` and ``@odata.count`` are kept (:class:`ODataPage`) so that a page given
without the page after it can be reported (rule ``odata_pages``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.table import ODataPage
from regcert_xl.read.grid import RawTable

# longest first: the history table's name contains the qualifications table's name
ODATA_TABLES = {
    "AwardingBodyQualificationsAssessmentHistory": "assessments",
    "AwardingBodyQualifications": "qualifications",
}
TABLE_FOR_RECORD = {record: table for table, record in ODATA_TABLES.items()}


def odata_table(context: str) -> str | None:
    """The record kind named by an @odata.context URL or a file name, if any."""
    lowered = context.replace(" ", "").lower()
    for name, record in ODATA_TABLES.items():
        if name.lower() in lowered:
            return record
    return None


def read_odata(path: Path, data: bytes, record: str) -> RawTable:
    try:
        document = json.loads(data.decode("utf-8-sig"))
        json.dumps(document, ensure_ascii=False).encode("utf-8")  # a lone surrogate escape is no character
    except UnicodeEncodeError:
        raise UnusableInput.file(path, "the JSON holds a broken character escape (a lone \\uD800-\\uDFFF): "
                                       "export the page again") from None
    except UnicodeDecodeError:
        raise UnusableInput.file(path, "the JSON is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UnusableInput.file(path, f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise UnusableInput.file(path, "the JSON is nested too deeply") from None
    paging: dict = {}
    if isinstance(document, dict) and isinstance(document.get("value"), list):
        rows, paging = document["value"], document
        named = odata_table(str(document.get("@odata.context", ""))) or odata_table(path.name)
    elif isinstance(document, list):
        rows, named = document, odata_table(path.name)
    else:
        raise UnusableInput.file(path, 'not an OData page: expected {"value": [...]}')
    if named is not None and named != record:
        raise UnusableInput.file(
            path, f"holds {named} (OData table {TABLE_FOR_RECORD[named]}) but was given as {record}"
        )
    if not all(isinstance(r, dict) for r in rows):
        raise UnusableInput.file(path, 'not an OData page: every item of "value" must be a record object')
    table = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
    table = table[[c for c in table.columns if not str(c).startswith("@odata.")]]
    for column in table.columns:
        nested = table[column].map(type).isin([dict, list])
        if nested.any():
            table.loc[nested, column] = table.loc[nested, column].map(lambda v: json.dumps(v, ensure_ascii=False))
    headers = [str(c) for c in table.columns]
    cells = table.set_axis(range(len(headers)), axis=1)
    origin = pd.DataFrame({"sheet": path.name, "row": range(1, len(rows) + 1)})
    return RawTable(path.name, headers, cells, origin, None, odata_table=TABLE_FOR_RECORD[named] if named else None,
                    pages=(_page(path, len(rows), paging),))


def _page(path: Path, rows: int, document: dict) -> ODataPage:
    link = document.get("@odata.nextLink")
    count = document.get("@odata.count")
    return ODataPage(path.name, rows, str(link) if isinstance(link, str) and link.strip() else None,
                     int(count) if isinstance(count, int | str) and str(count).strip().isdigit() else None)

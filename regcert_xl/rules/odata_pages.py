"""OData pages given without the page their ``@odata.nextLink`` points to (§2: several pages).

A server that pages its feed ends every page but the last with ``@odata.nextLink``; the pages
themselves do not say which URL they were fetched from, so whether the page after one was given
is worked out from what the pages do say:

- A next link whose query holds a number (``$skip=200`` or ``$skiptoken=200``) points to the page
  that starts at record 200. A page with such a link and *n* records starts at 200 − *n*; the last
  page (no next link) starts at ``@odata.count`` − *n* when a page gives the count. A link is
  followed when a page given starts where it points.
- The other pages (opaque ``$skiptoken``, or the last page without a count) could start anywhere:
  each can follow one link not yet followed, except the one that must be the first page (unless a
  page is known to start at 0); an opaque link may also be followed by a placed page no numbered
  link points to. Numbered links are taken as followed from the furthest back (the last page
  follows the highest), opaque ones in the order the pages were given. So a middle page missing is
  told only where the numbers (or the count) place the pages: without them, pages 1 and 3 of three
  look just like a whole feed of two.
- Every link left unfollowed is a warning ODATA_PAGES_MISSING on that page's file. With no link
  unfollowed but fewer records than ``@odata.count``, the warning names the page giving the count.

So one page with a next link alone is always reported; the whole chain given (in any order) is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from regcert_xl.model.issues import issue_frame
from regcert_xl.model.table import ODataPage
from regcert_xl.rules.base import Context

CODES = ("ODATA_PAGES_MISSING",)

SKIP_PARAMETERS = ("$skip", "$skiptoken", "skip", "skiptoken")


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    for table in ctx.tables():
        if not table.pages:
            continue
        option = f"--{table.record}"
        problems = [(page, _link_message(page, option)) for page in unfollowed(table.pages)]
        if not problems:
            problems = _short_of_count(table.pages, option)
        if problems:
            yield issue_frame("ODATA_PAGES_MISSING", pd.Series([p.file for p, _ in problems], dtype=object),
                              pd.Series([None] * len(problems), dtype="Int64"),
                              pd.Series([m for _, m in problems], dtype=object),
                              values=pd.Series([p.next_link for p, _ in problems], dtype=object),
                              record=table.record)


def skip_of(link: str | None) -> int | None:
    """The record a next link points to, where its query says it with a number."""
    if not link:
        return None
    query = parse_qs(urlsplit(link).query)
    for name in SKIP_PARAMETERS:
        for value in query.get(name, []):
            if value.strip().isdigit():
                return int(value)
    return None


def unfollowed(pages: tuple[ODataPage, ...]) -> list[ODataPage]:
    """The pages whose next link is followed by no page given (see the module's docstring)."""
    count = max((p.count for p in pages if p.count is not None), default=None)
    skips = [skip_of(p.next_link) for p in pages]
    starts = [skip - p.rows if skip is not None else
              count - p.rows if p.next_link is None and count is not None else None
              for p, skip in zip(pages, skips, strict=True)]
    known = {s for s in starts if s is not None}
    numbered = [i for i, skip in enumerate(skips) if skip is not None and skip not in known]
    opaque = [i for i, (p, skip) in enumerate(zip(pages, skips, strict=True)) if p.next_link and skip is None]
    # pages that may follow a link: those that could start anywhere (but the first page), and, for
    # opaque links only, placed pages that no numbered link points to
    anywhere = sum(s is None for s in starts) - (0 if 0 in known else 1)
    placed = sum(s is not None and s != 0 and s not in skips for s in starts)
    # opaque links are followed in the order given, numbered ones from the furthest back
    from_placed = min(placed, len(opaque))
    left_opaque = opaque[from_placed:]
    followed = max(anywhere, 0)
    left_opaque, followed = left_opaque[followed:], max(followed - len(left_opaque), 0)
    numbered.sort(key=lambda i: -(skips[i] or 0))
    return [pages[i] for i in sorted(left_opaque + numbered[followed:])]


def _link_message(page: ODataPage, option: str) -> str:
    return (f"{page.file} ends with @odata.nextLink but the page it points to was not given, so records "
            f"are missing: fetch {page.next_link} (then each page's @odata.nextLink in turn, until a page "
            f"has none) and give every page, repeating {option}")


def _short_of_count(pages: tuple[ODataPage, ...], option: str) -> list[tuple[ODataPage, str]]:
    counted = [p for p in pages if p.count is not None]
    if not counted:
        return []
    page = max(counted, key=lambda p: p.count or 0)
    given = sum(p.rows for p in pages)
    if given >= (page.count or 0):
        return []
    return [(page, f"{page.file} says the feed holds {page.count:,} records (@odata.count) but the pages "
                   f"given hold {given:,}, so pages are missing: fetch every page (follow each @odata.nextLink "
                   f"until a page has none) and give them all, repeating {option}")]

"""Component names: the qualification title with the shared prefix removed (§4, §5), so
"EPA Assessment – Knowledge Test" is the component "Knowledge Test"."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcert_xl.model.identity import norm_key
from regcert_xl.model.settings import Settings

_SPLIT = r"^(?P<prefix>.+?)\s+[–—-]+\s+(?P<rest>\S.*)$"


def component_names(titles: pd.Series, settings: Settings) -> pd.DataFrame:
    """Per title: ``component`` (the name to show) and ``prefix`` (what was removed, or NA).

    With ``component_prefixes`` in settings those are removed (case and dashes ignored);
    otherwise a prefix before a dash that two or more different titles share is removed.
    """
    text = titles.astype("string").str.strip()
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    named = _name_distinct(pd.Series(uniques, dtype="string"), settings).reset_index(drop=True)
    take = np.where(codes < 0, 0, codes)
    component = named["component"].to_numpy(dtype=object)[take] if len(named) else np.full(len(text), None)
    prefix = named["prefix"].to_numpy(dtype=object)[take] if len(named) else np.full(len(text), None)
    out = pd.DataFrame({"component": component, "prefix": prefix}, index=titles.index)
    out.loc[codes < 0, ["component", "prefix"]] = None
    out["component"] = out["component"].astype("string").fillna(text)
    out["prefix"] = out["prefix"].astype("string")
    return out


def _name_distinct(text: pd.Series, settings: Settings) -> pd.DataFrame:
    out = pd.DataFrame({"component": text, "prefix": pd.Series(pd.NA, index=text.index, dtype="string")})
    if settings.component_prefixes:
        keys = norm_key(text).fillna("")
        for prefix in settings.component_prefixes:
            pkey = norm_key(pd.Series([prefix])).iloc[0]
            if not isinstance(pkey, str):
                continue
            hit = keys.str.startswith(pkey) & out["prefix"].isna() & (keys != pkey)
            if hit.any():
                out.loc[hit, "component"] = text[hit].map(lambda t, p=prefix: _strip_prefix(t, p))
                out.loc[hit, "prefix"] = prefix
        return out
    parts = text.str.extract(_SPLIT)
    distinct = pd.DataFrame({"prefix": norm_key(parts["prefix"]), "title": norm_key(text)}).dropna()
    shared = distinct.drop_duplicates().groupby("prefix")["title"].nunique()
    shared = set(shared[shared >= 2].index)
    hit = norm_key(parts["prefix"]).isin(shared).fillna(False).astype(bool)
    out.loc[hit, "component"] = parts.loc[hit, "rest"].str.strip()
    out.loc[hit, "prefix"] = parts.loc[hit, "prefix"]
    return out


def _strip_prefix(title: str, prefix: str) -> str:
    """Remove ``prefix`` from the start of ``title`` matching loosely, and the dash after it."""
    wanted = norm_key(pd.Series([prefix])).iloc[0]
    for cut in range(1, len(title) + 1):
        if norm_key(pd.Series([title[:cut]])).iloc[0] == wanted:
            rest = title[cut:].lstrip(" –—-:")
            return rest or title
    return title

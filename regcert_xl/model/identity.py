"""Who a record is about (§2 Identity), as derived columns on a canonical frame.

A learner is their ULN, or their learner reference where the ULN is blank; a qualification
record is learner × qualification (its number where present, else its normalised title).
"""

from __future__ import annotations

import pandas as pd

from regcert_xl.model.frames import on_distinct

LEARNER_KEY = "_learner_key"
QUAL_KEY = "_qual_key"
TITLE_KEY = "_title_key"
LEARNER_NAME = "_learner_name"


def _blank_to_na(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    return text.where(text.str.strip() != "")


def norm_key(values: pd.Series) -> pd.Series:
    """Case, spacing, punctuation and dashes ignored; blank stays NA (worked out once per
    distinct value: titles and statuses repeat)."""
    def key_of(distinct: pd.Series) -> pd.Series:
        text = distinct.astype("string").str.casefold().str.replace(r"[\W_]+", "", regex=True)
        return text.where(text != "")

    return on_distinct(values.astype("string"), key_of).astype("string")


OCCURRENCE = "_occurrence"


def paired_keys(learner: pd.Series, qualification: pd.Series) -> pd.MultiIndex:
    """(learner, qualification, n) per record, n counting repeats of the same pair in order
    (1, 2, …): records are compared with earlier ones occurrence by occurrence, so a repeated
    pair that has not changed is never seen to move."""
    frame = pd.DataFrame({"learner": learner.to_numpy(), "qualification": qualification.to_numpy()})
    n = frame.groupby(["learner", "qualification"], dropna=False, sort=False).cumcount() + 1
    return pd.MultiIndex.from_arrays([learner.to_numpy(), qualification.to_numpy(), n.to_numpy()],
                                     names=[LEARNER_KEY, QUAL_KEY, OCCURRENCE])


def learner_keys(data: pd.DataFrame) -> pd.Series:
    uln = _blank_to_na(data["uln"]) if "uln" in data else pd.Series(pd.NA, index=data.index, dtype="string")
    ref = _blank_to_na(data["learner_ref"]) if "learner_ref" in data else pd.Series(pd.NA, index=data.index, dtype="string")
    return uln.fillna("REF:" + ref.str.strip().str.casefold())


def learner_names(data: pd.DataFrame) -> pd.Series:
    """Learner Name where given, else First Name + Last Name."""
    blank = pd.Series(pd.NA, index=data.index, dtype="string")
    full = _blank_to_na(data.get("learner_name", blank))
    first = _blank_to_na(data.get("first_name", blank)).fillna("")
    last = _blank_to_na(data.get("last_name", blank)).fillna("")
    joined = (first + " " + last).str.strip()
    return full.fillna(joined.where(joined != ""))


def qualification_labels(data: pd.DataFrame) -> pd.Series:
    """What a qualification is called on reports: its title, else its qualification number
    (an export such as Aptem's Import and Update CSV carries the number only), else the
    learner system's record ID."""
    blank = pd.Series(pd.NA, index=data.index, dtype="string")
    title = _blank_to_na(data["qualification"]) if "qualification" in data else blank
    number = _blank_to_na(data["qualification_number"]) if "qualification_number" in data else blank
    ident = _blank_to_na(data["qualification_id"]) if "qualification_id" in data else blank
    return title.str.strip().fillna(number.str.strip()).fillna(ident.str.strip())


def add_identity(data: pd.DataFrame) -> pd.DataFrame:
    """The frame with learner key, qualification key, title key and display name added."""
    out = data.copy()
    out[LEARNER_KEY] = learner_keys(data)
    out[LEARNER_NAME] = learner_names(data)
    title = norm_key(data["qualification"]) if "qualification" in data else pd.Series(pd.NA, index=data.index, dtype="string")
    number = norm_key(data["qualification_number"]) if "qualification_number" in data else None
    out[TITLE_KEY] = title
    out[QUAL_KEY] = number.fillna(title) if number is not None else title
    return out

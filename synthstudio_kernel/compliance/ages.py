"""Safe Harbor (C) in the released output: ages over 89, and birth years that state one, in one
"90 or older" category.

A DP synthesizer draws ages and birth years from the declared range, so a sample may state ages
over 89 even when the training input held none. :func:`top_code_ages` aggregates them in a
synthetic sample before release (an age above 89 becomes 90, read "90 or older"; a birth year
at or before ``reference_year - 90`` becomes that year), and the HIPAA packet's replay scan
counts what is left.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from ..pii.hipaa import MAX_SAFE_HARBOR_AGE

#: The value that stands for "90 or older" in an age column.
TOP_AGE = MAX_SAFE_HARBOR_AGE + 1


def age_columns(pii: dict[str, Any] | None) -> tuple[list[str], list[str]]:
    """The columns of a PII apply record whose released values can state an age: ages kept as
    numbers, and dates of birth kept as years."""
    ages, births = [], []
    for c in (pii or {}).get("columns") or []:
        if c.get("action") in ("drop", "pseudonymize"):
            continue
        method = str((c.get("detail") or {}).get("method") or "")
        if c.get("entity") == "AGE" and "bands" not in method:
            ages.append(c["column"])
        elif c.get("entity") == "DATE_OF_BIRTH" and c.get("action") == "generalize" and "year" in method:
            births.append(c["column"])
    return ages, births


def top_code_ages(synthetic: pd.DataFrame, model_or_run: Any, *, reference_year: int | None = None) -> pd.DataFrame:
    """A copy of ``synthetic`` whose ages over 89 read 90 ("90 or older") and whose birth years
    at or before ``reference_year - 90`` (this year by default) read that year. The columns come
    from the run's PII record (ages kept as numbers, dates of birth kept as years)."""
    from ..privacy.ledger import get_ledger
    from .sources import read_source

    source = read_source(model_or_run, ledger=get_ledger())
    ages, births = age_columns(source.pii)
    year = reference_year or datetime.now(UTC).year
    out = synthetic.copy()
    for column in ages:
        if column in out.columns:
            values = pd.to_numeric(out[column], errors="coerce")
            out[column] = out[column].where(~(values > MAX_SAFE_HARBOR_AGE), TOP_AGE)
    for column in births:
        if column in out.columns:
            values = pd.to_numeric(out[column], errors="coerce")
            out[column] = out[column].where(~(values < year - TOP_AGE), year - TOP_AGE)
    return out

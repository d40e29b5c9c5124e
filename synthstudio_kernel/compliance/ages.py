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


def age_kind(column: dict[str, Any]) -> str | None:
    """``"age"`` for an age kept as a number, ``"birth_year"`` for a date of birth kept as a year
    (one column of a PII apply record), else None: the released values that can state an age."""
    if column.get("action") in ("drop", "pseudonymize"):
        return None
    method = str((column.get("detail") or {}).get("method") or "")
    if column.get("entity") == "AGE" and "bands" not in method:
        return "age"
    if column.get("entity") == "DATE_OF_BIRTH" and column.get("action") == "generalize" and "year" in method:
        return "birth_year"
    return None


def age_columns(pii: dict[str, Any] | None) -> tuple[list[str], list[str]]:
    """The columns of a PII apply record whose released values can state an age: ages kept as
    numbers, and dates of birth kept as years."""
    columns = (pii or {}).get("columns") or []
    kinds = [(c["column"], age_kind(c)) for c in columns]
    return [c for c, k in kinds if k == "age"], [c for c, k in kinds if k == "birth_year"]


def over_89(values: pd.Series, kind: str, year: int) -> pd.Series:
    """Where ``values`` state an age over 89 outside the one "90 or older" category (90 for ages,
    ``year - 90`` for birth years): ages over 89 other than 90, birth years before ``year - 90``
    (``kind`` is ``"age"`` or ``"birth_year"``)."""
    numbers = pd.to_numeric(values, errors="coerce")
    if kind == "age":
        return (numbers > MAX_SAFE_HARBOR_AGE) & (numbers != TOP_AGE)
    return numbers < year - TOP_AGE


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
    for kind, columns, top in (("age", ages, TOP_AGE), ("birth_year", births, year - TOP_AGE)):
        for column in columns:
            if column in out.columns:
                out[column] = out[column].where(~over_89(out[column], kind, year), top)
    return out

"""Replay the input's direct identifiers against the synthetic output.

Only counts come out: how many distinct identifier values were searched, in how many synthetic
cells, and how many matched; and how many synthetic cells state an age over 89 (Safe Harbor (C)).
No value is returned or logged. Owner-only (internal) facts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

#: Shorter values (initials, small numbers) match by chance; they are not searched.
MIN_LENGTH = 4


def _texts(series: pd.Series) -> set[str]:
    return {str(v).strip().lower() for v in series.dropna().tolist() if len(str(v).strip()) >= MIN_LENGTH}


def ages_over_89(
    synthetic: pd.DataFrame, *, age_columns: list[str], birth_year_columns: list[str], reference_year: int
) -> dict[str, int]:
    """Per column, how many synthetic cells state an age over 89 outside the one "90 or older"
    category (:func:`~synthstudio_kernel.compliance.ages.over_89`). Safe Harbor (C) wants them in
    that category."""
    from .ages import over_89

    kinds = [*((c, "age") for c in age_columns), *((c, "birth_year") for c in birth_year_columns)]
    return {c: int(over_89(synthetic[c], kind, reference_year).sum()) for c, kind in kinds if c in synthetic.columns}


def replay_scan(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    *,
    fresh_keys: list[str] | None = None,
    age_columns: list[str] | None = None,
    birth_year_columns: list[str] | None = None,
    reference_year: int | None = None,
) -> dict[str, Any]:
    """Counts of the raw input's direct-identifier values found anywhere in ``synthetic``.
    ``fresh_keys``: key columns the synthesizer fills with new keys (they look like keys by design).
    ``age_columns`` / ``birth_year_columns``: columns whose synthetic values are checked for ages
    over 89 (Safe Harbor (C)) as of ``reference_year`` (this year by default)."""
    from ..pii import scan_pii

    direct = scan_pii(real).direct
    values: set[str] = set()
    for column in direct:
        values |= _texts(real[column])
    cells = 0
    matches = 0
    for column in synthetic.columns:
        texts = synthetic[column].dropna().map(lambda v: str(v).strip().lower())
        cells += len(texts)
        matches += int(texts.isin(values).sum())
    year = reference_year or datetime.now(UTC).year
    return {
        "columns": list(direct),
        "identifier_values": len(values),
        "synthetic_cells": cells,
        "cells_matching": matches,
        "synthetic_direct": [c for c in scan_pii(synthetic).direct if c not in set(fresh_keys or ())],
        "fresh_key_columns": [c for c in fresh_keys or () if c in synthetic.columns],
        "min_length": MIN_LENGTH,
        "ages_over_89": ages_over_89(
            synthetic,
            age_columns=list(age_columns or ()),
            birth_year_columns=list(birth_year_columns or ()),
            reference_year=year,
        ),
        "reference_year": year,
    }

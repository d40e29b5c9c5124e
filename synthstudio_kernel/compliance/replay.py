"""Replay the input's direct identifiers against the synthetic output.

Only counts come out: how many distinct identifier values were searched, in how many synthetic
cells, and how many matched. No value is returned or logged. Owner-only (internal) facts.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: Shorter values (initials, small numbers) match by chance; they are not searched.
MIN_LENGTH = 4


def _texts(series: pd.Series) -> set[str]:
    return {str(v).strip().lower() for v in series.dropna().tolist() if len(str(v).strip()) >= MIN_LENGTH}


def replay_scan(real: pd.DataFrame, synthetic: pd.DataFrame, *, fresh_keys: list[str] | None = None) -> dict[str, Any]:
    """Counts of the raw input's direct-identifier values found anywhere in ``synthetic``.
    ``fresh_keys``: key columns the synthesizer fills with new keys (they look like keys by design)."""
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
    return {
        "columns": list(direct),
        "identifier_values": len(values),
        "synthetic_cells": cells,
        "cells_matching": matches,
        "synthetic_direct": [c for c in scan_pii(synthetic).direct if c not in set(fresh_keys or ())],
        "fresh_key_columns": [c for c in fresh_keys or () if c in synthetic.columns],
        "min_length": MIN_LENGTH,
    }

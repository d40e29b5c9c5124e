"""The release boundary: what a training run gives away, and what stays with the owner.

A DP run **releases** exactly:

- the model weights (trained on clipped, noised gradients, or fitted to noisy marginals);
- metadata that is *declared public* (the schema: column names, dtypes, kinds from dtypes
  or declared by the user; bounds and categories given in ``public_bounds`` / ``categories``;
  the row count, which the DP-SGD and marginal analyses treat as public) or *estimated
  under DP* (noisy bounds, category sets, histograms, marginals), all charged to ε;
- the privacy report (ε, δ, the mechanisms and their noise, all functions of public
  quantities);
- samples drawn from the model (post-processing).

Nothing else derived from the private rows leaves the owner's ledger. Facts therefore
have two audiences, one schema (:data:`RELEASED_RUN_FIELDS`, :data:`INTERNAL_FACTS`):

- *released* facts travel with the artifact, the samples and reports meant for sharing;
- *internal* facts (exact distinct counts from the safety checks, PII apply counts, raw
  losses, the content fingerprint) stay in the ledger's record of the run, for the owner,
  the expert and the auditor.

:func:`json_safe` is the one JSON sanitizer every fact passes through.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

#: Run-record fields that travel with a model (everything else is the owner's).
RELEASED_RUN_FIELDS: tuple[str, ...] = (
    "id",
    "dataset_name",
    "method",
    "params",
    "seed",
    "timings",
    "versions",
    "status",
    "privacy",
    "facts",
    "device",
    "dataset_rows",
    "created_at",
    "finished_at",
)
#: Fact keys that are functions of the private rows outside any mechanism: ledger only.
INTERNAL_FACTS: tuple[str, ...] = ("safety", "pii", "training_internal", "dataset_version", "early_stopping")
#: Released fields that are functions of the row count (declared public); a neighbouring
#: table with one more row changes exactly these, and the mechanisms' outputs.
ROW_COUNT_FIELDS: tuple[str, ...] = (
    "dataset_rows",
    "rows",
    "sample_rate",
    "noise_multiplier",
    "steps",
    "planned_steps",
    "steps_per_epoch",
    "delta",
    "epsilon",
    "selection_delta",
    "threshold",
)
#: Synthesizer attributes never saved with a model: they are private-row functions.
INTERNAL_ATTRIBUTES: tuple[str, ...] = ("training_internal", "_trainer", "plan_internal")

_TABULAR = ("DataFrame", "Series", "ndarray", "Index", "Tensor")


def json_safe(value: Any, *, strict: str | None = None) -> Any:
    """Plain JSON: numpy/torch scalars become numbers, NaN/inf None, tuples and sets lists,
    enums their values, dates ISO strings. With ``strict`` (what is being stored), tables,
    arrays and unknown objects are refused with a ValueError naming it; without, arrays
    become lists and unknown objects their ``str``."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Enum):
        return json_safe(value.value, strict=strict)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "item") and callable(value.item) and getattr(value, "shape", None) == ():
        return json_safe(value.item(), strict=strict)  # numpy / torch scalar
    if type(value).__name__ in _TABULAR:
        if strict:
            raise ValueError(f"{strict} contains a {type(value).__name__}")
        return [json_safe(v) for v in value.tolist()] if hasattr(value, "tolist") else str(value)
    if isinstance(value, Mapping):
        return {str(k): json_safe(v, strict=strict) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [json_safe(v, strict=strict) for v in items]
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if strict:
        raise ValueError(f"{strict} contains a {type(value).__name__}, which cannot be stored as JSON")
    return str(value)


def released_run(run: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a run record that may travel with a model: no internal facts."""
    out = {k: json_safe(run[k]) for k in RELEASED_RUN_FIELDS if k in run}
    out["facts"] = {k: v for k, v in (out.get("facts") or {}).items() if k not in INTERNAL_FACTS}
    out["guarantee"] = run.get("guarantee", "dp" if run.get("privacy") else "none")
    return out


def released_dataset_info(dataset: Any, kinds: Mapping[str, str]) -> dict[str, Any]:
    """The schema a model keeps: column names, dtypes, the kinds it was trained with, row count."""
    return {
        "rows": int(dataset.n_rows),
        "columns": list(dataset.columns),
        "kinds": dict(kinds),
        "dtypes": dict(dataset.dtypes),
    }

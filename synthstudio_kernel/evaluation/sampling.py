"""Subsampling of large tables, with every size used written down.

The expensive parts of an evaluation (distances, attacks, model fits) run on
bounded random subsamples; :class:`SampleLimits` holds the bounds and
:class:`SampleLog` records, per step, how many rows were available and how many
were used, so that the scorecard can state it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class SampleLimits:
    """Upper bounds on the rows each evaluation step looks at (per table)."""

    #: SDMetrics quality and diagnostic reports.
    fidelity_rows: int = 30_000
    #: Training rows for each utility model (real and synthetic alike).
    utility_train_rows: int = 30_000
    #: Real test rows the utility models are scored on.
    utility_test_rows: int = 20_000
    #: Synthetic and holdout rows whose distance to the closest record is measured.
    dcr_query_rows: int = 2_000
    #: Training (or synthetic) rows searched for the closest record.
    reference_rows: int = 30_000
    #: Members and non-members each, for the membership-inference attacks.
    mia_rows: int = 1_000
    #: Synthetic and reference rows the classifier-based attack trains on (each).
    mia_classifier_rows: int = 5_000
    #: Training rows (the attacked population) and synthetic rows (the attacker's data) for Anonymeter, each.
    anonymeter_rows: int = 20_000
    #: Holdout rows Anonymeter uses as its control set.
    anonymeter_control_rows: int = 2_000
    #: Attacks per Anonymeter evaluator.
    anonymeter_attacks: int = 300
    #: Rows used for the plots' aggregates (histograms, association matrices).
    plot_rows: int = 5_000

    def __post_init__(self) -> None:
        from ..errors import ConfigError

        for name, value in asdict(self).items():
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"SampleLimits.{name} must be a positive integer.")

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class SampleLog:
    """Which rows each step used: one record per (step, table)."""

    records: list[dict[str, Any]] = field(default_factory=list)

    def note(self, step: str, table: str, available: int, used: int) -> None:
        self.records.append({"step": step, "table": table, "rows_available": int(available), "rows_used": int(used)})

    @property
    def subsampled(self) -> bool:
        return any(r["rows_used"] < r["rows_available"] for r in self.records)

    def to_list(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.records]


def subsample(
    frame: pd.DataFrame,
    n: int,
    *,
    seed: int,
    log: SampleLog | None = None,
    step: str = "",
    table: str = "",
) -> pd.DataFrame:
    """At most ``n`` rows of ``frame`` drawn without replacement (all rows when it is small).

    The index is reset; when ``log`` is given, the sizes are recorded under ``step``/``table``.
    """
    used = frame if len(frame) <= n else frame.sample(n=n, random_state=seed)
    if log is not None:
        log.note(step, table, len(frame), len(used))
    return used.reset_index(drop=True)


def split_rows(frame: pd.DataFrame, first: int, *, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shuffle ``frame`` and cut it in two: ``first`` rows and the rest (indices reset)."""
    shuffled = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return shuffled.iloc[:first].reset_index(drop=True), shuffled.iloc[first:].reset_index(drop=True)

"""Which column the utility evaluation predicts, and whether that is classification or regression.

When the user names no target, the first rule that yields a suitable column wins:

1. a column whose name reads like an outcome (:data:`TARGET_WORDS`, e.g. ``income``,
   ``default``, ``label``), preferring classification targets;
2. the last column;
3. the first binary column.

A column suits classification when it has 2 to :data:`MAX_CLASSES` classes (numeric
columns too, when they hold at most 10 distinct integers or exactly 2 values), and
regression when it is numeric with more than 10 distinct values.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .tables import MISSING, EvalTables

TARGET_WORDS: tuple[str, ...] = (
    "target", "label", "class", "outcome", "income", "default", "churn", "churned", "fraud",
    "response", "survived", "diagnosis", "readmitted", "approved", "y", "result", "salary", "charges", "price",
)  # fmt: skip
MAX_CLASSES = 20
#: Numeric columns with at most this many distinct integers are treated as classes.
MAX_INTEGER_CLASSES = 10


@dataclass(frozen=True)
class TargetChoice:
    """The target column (None when none fits), its task and why it was chosen."""

    column: str | None
    task: str | None  # "classification" | "regression" | None
    inferred: bool
    reason: str
    n_classes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def target_values(tables: EvalTables, column: str, frame: pd.DataFrame) -> pd.Series:
    """Non-missing target values of ``frame`` (categorical sentinel and NaN dropped)."""
    values = frame[column]
    if tables.roles[column] == "categorical":
        return values[values != MISSING]
    return values.dropna()


def task_of(tables: EvalTables, column: str) -> tuple[str | None, int | None, str]:
    """(task, number of classes, explanation) for ``column`` as a target."""
    values = target_values(tables, column, tables.real)
    distinct = int(values.nunique())
    if distinct < 2:
        return None, None, "it holds fewer than 2 distinct values"
    if tables.roles[column] == "categorical":
        if distinct > MAX_CLASSES:
            return None, None, f"it has {distinct} categories (more than {MAX_CLASSES})"
        return "classification", distinct, f"it has {distinct} classes"
    numbers = values.to_numpy(dtype="float64")
    integers = bool(np.all(np.mod(numbers, 1) == 0))
    if distinct == 2 or (integers and distinct <= MAX_INTEGER_CLASSES):
        return "classification", distinct, f"it holds {distinct} distinct numeric codes"
    if distinct > MAX_INTEGER_CLASSES:
        return "regression", None, "it is numeric with many distinct values"
    return None, None, f"it holds only {distinct} distinct non-integer values"


def choose_target(tables: EvalTables, target: str | None = None) -> TargetChoice:
    """The user's ``target`` (validated) or an inferred one; see the module docstring."""
    if target is not None:
        return _given(tables, target)
    named = [c for c in tables.columns if _reads_like_target(c)]
    for wanted in ("classification", "regression"):
        for column in named:
            task, n, why = task_of(tables, column)
            if task == wanted:
                return TargetChoice(column, task, True, f"{column!r}: its name reads like an outcome and {why}.", n)
    last = tables.columns[-1]
    task, n, why = task_of(tables, last)
    if task is not None:
        return TargetChoice(last, task, True, f"{last!r}: the last column, and {why}.", n)
    for column in tables.categorical:
        task, n, why = task_of(tables, column)
        if task == "classification" and n == 2:
            return TargetChoice(column, task, True, f"{column!r}: the first binary column.", n)
    return TargetChoice(
        None,
        None,
        True,
        "No column suits a prediction target (no outcome-like name, and the last column "
        f"cannot be used because {why}); pass target=... to choose one.",
    )


def _given(tables: EvalTables, target: str) -> TargetChoice:
    if target in tables.excluded:
        raise ConfigError(f"Target column {target!r} cannot be used: {tables.excluded[target]}.")
    if target not in tables.roles:
        raise ConfigError(f"Target column {target!r} is not in the real table; pass one of its column names.")
    task, n, why = task_of(tables, target)
    if task is None:
        raise ConfigError(f"Target column {target!r} cannot be predicted: {why}. Choose another column.")
    return TargetChoice(target, task, False, f"{target!r}: chosen by the user; {why}.", n)


def _reads_like_target(column: str) -> bool:
    tokens = [t for t in re.split(r"[^a-z0-9]+", column.lower()) if t]
    words = set(TARGET_WORDS)
    return bool(tokens) and (any(t in words for t in tokens) or "".join(tokens) in words)

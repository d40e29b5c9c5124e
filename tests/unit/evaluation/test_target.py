"""Target choice: explicit, inferred by name, last column, binary fallback, none."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.errors import ConfigError
from synthstudio_kernel.evaluation.tables import prepare_tables
from synthstudio_kernel.evaluation.target import choose_target


def _tables(frame: pd.DataFrame):
    return prepare_tables(frame, frame)


@pytest.mark.parametrize(
    ("sample", "column", "task"),
    [
        ("adult", "income", "classification"),
        ("german_credit", "default", "classification"),
        ("insurance", "charges", "regression"),
    ],
)
def test_outcome_names_are_recognised(sample: str, column: str, task: str) -> None:
    # Setup
    frame = load_sample(sample).head(500)

    # Run
    choice = choose_target(_tables(frame))

    # Assert
    assert (choice.column, choice.task, choice.inferred) == (column, task, True)
    assert column in choice.reason and "name" in choice.reason


def test_last_column_is_used_when_no_name_matches() -> None:
    # Setup
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.random(100), "b": rng.choice(["x", "y", "z"], 100)})

    # Run
    choice = choose_target(_tables(frame))

    # Assert
    assert (choice.column, choice.task, choice.n_classes) == ("b", "classification", 3)
    assert "last column" in choice.reason


def test_first_binary_column_when_the_last_is_unsuitable() -> None:
    # Setup: the last column has too many categories for a target.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "kind": rng.choice(["p", "q"], 200),
            "size": rng.random(200),
            "city": rng.choice([f"c{i}" for i in range(40)], 200),
        }
    )

    # Run
    choice = choose_target(_tables(frame))

    # Assert
    assert (choice.column, choice.task) == ("kind", "classification")


def test_no_suitable_column_is_said_not_guessed() -> None:
    # Setup: the last column has 3 distinct non-integer values; no categorical column.
    frame = pd.DataFrame({"a": np.arange(30) * 1.5, "b": [0.5, 1.5, 2.25] * 10})

    # Run
    choice = choose_target(_tables(frame))

    # Assert
    assert choice.column is None and choice.task is None
    assert "target=" in choice.reason


def test_explicit_target_is_validated() -> None:
    # Setup
    frame = load_sample("customer_data").head(200)
    tables = _tables(frame)

    # Run / Assert
    assert choose_target(tables, "gender").inferred is False
    with pytest.raises(ConfigError, match="identifier"):
        choose_target(tables, "email")
    with pytest.raises(ConfigError, match="not in the real table"):
        choose_target(tables, "nope")

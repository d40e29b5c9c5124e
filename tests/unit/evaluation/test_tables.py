"""prepare_tables: alignment, exclusions, conversions, missing values as a category."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import Dataset
from synthstudio_kernel.errors import DataError
from synthstudio_kernel.evaluation.tables import MISSING, prepare_tables


def _real() -> pd.DataFrame:
    n = 40
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "age": np.linspace(20, 60, n),
            "city": ["a", "b", None, "c"] * (n // 4),
            "flag": [True, False] * (n // 2),
            "seen": pd.date_range("2024-01-01", periods=n, freq="D"),
            "code": [1, 2, 3, 4] * (n // 4),
        }
    )


def test_identifiers_are_left_out_with_a_reason() -> None:
    # Run
    tables = prepare_tables(_real(), _real())

    # Assert
    assert "id" not in tables.columns
    assert "identifier" in tables.excluded["id"]
    assert tables.summary()["columns_excluded"] == [{"column": "id", "reason": tables.excluded["id"]}]


def test_roles_and_conversions() -> None:
    # Run
    tables = prepare_tables(_real(), _real())

    # Assert
    assert tables.roles == {
        "age": "numeric",
        "city": "categorical",
        "flag": "categorical",
        "seen": "numeric",
        "code": "numeric",
    }
    assert tables.real["seen"].dtype == np.float64
    assert tables.real["seen"].iloc[1] - tables.real["seen"].iloc[0] == pytest.approx(86_400.0)
    assert set(tables.real["flag"]) == {"true", "false"}
    assert "timestamps" in tables.conversions["seen"]


def test_missing_categories_become_their_own_category() -> None:
    # Run
    tables = prepare_tables(_real(), _real())

    # Assert
    assert (tables.real["city"] == MISSING).sum() == 10
    assert tables.real["city"].isna().sum() == 0


def test_synthetic_values_are_aligned_to_the_real_encoding() -> None:
    # Setup: the synthetic table stores booleans as strings and numbers as text.
    real = _real()
    synthetic = real.copy()
    synthetic["flag"] = synthetic["flag"].map({True: "True", False: "False"})
    synthetic["age"] = synthetic["age"].astype(str)
    synthetic["extra"] = 1

    # Run
    tables = prepare_tables(real, synthetic)

    # Assert
    assert (tables.synthetic["flag"] == tables.real["flag"]).all()
    assert np.allclose(tables.synthetic["age"], tables.real["age"])
    assert tables.extra_synthetic_columns == ["extra"]


def test_categorical_codes_match_across_int_and_float_storage() -> None:
    # Setup: a numeric-coded category (overridden kind), float in the synthetic table.
    real = Dataset.from_frame(_real(), {"code": "categorical"})
    synthetic = _real().astype({"code": "float64"})

    # Run
    tables = prepare_tables(real, synthetic)

    # Assert
    assert tables.roles["code"] == "categorical"
    assert set(tables.synthetic["code"]) == set(tables.real["code"]) == {"1", "2", "3", "4"}


def test_missing_columns_are_named_in_the_error() -> None:
    # Setup
    synthetic = _real().drop(columns=["age", "city"])

    # Run / Assert
    with pytest.raises(DataError, match="lacks 2 column"):
        prepare_tables(_real(), synthetic)
    with pytest.raises(DataError, match="holdout"):
        prepare_tables(_real(), _real(), synthetic)


def test_inputs_must_be_tables_with_rows() -> None:
    with pytest.raises(DataError, match="DataFrame"):
        prepare_tables(_real(), [1, 2, 3])  # type: ignore[arg-type]
    with pytest.raises(DataError, match="at least 2"):
        prepare_tables(_real(), _real().head(1))


def test_a_table_of_identifiers_only_cannot_be_evaluated() -> None:
    frame = pd.DataFrame({"id": np.arange(30), "email": [f"user{i}@example.org" for i in range(30)]})
    with pytest.raises(DataError, match="No column can be evaluated"):
        prepare_tables(frame, frame)

"""Fidelity details: SDMetrics per-column and per-pair detail, diagnostics, our validity checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthstudio_kernel.evaluation.fidelity import fidelity_report, sdmetrics_metadata
from synthstudio_kernel.evaluation.sampling import SampleLimits, SampleLog
from synthstudio_kernel.evaluation.tables import prepare_tables


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, n)
    return pd.DataFrame(
        {
            "x": x,
            "y": 2 * x + rng.normal(0, 1, n),
            "colour": rng.choice(["red", "green", "blue"], n),
            "size": np.where(x > 50, "big", "small"),
        }
    )


def _report(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict:
    return fidelity_report(prepare_tables(real, synthetic), limits=SampleLimits(), log=SampleLog(), seed=0)


def test_metadata_marks_numbers_numerical_and_the_rest_categorical() -> None:
    tables = prepare_tables(_frame(50, 0), _frame(50, 1))
    columns = sdmetrics_metadata(tables)["tables"]["table"]["columns"]
    assert columns == {
        "x": {"sdtype": "numerical"},
        "y": {"sdtype": "numerical"},
        "colour": {"sdtype": "categorical"},
        "size": {"sdtype": "categorical"},
    }


def test_per_column_and_per_pair_detail_point_at_the_broken_relation() -> None:
    # Setup: same marginals, but y no longer follows x.
    real = _frame(1_000, 0)
    synthetic = _frame(1_000, 1)
    synthetic["y"] = synthetic["y"].sample(frac=1.0, random_state=0).to_numpy()

    # Run
    report = _report(real, synthetic)
    quality = report["details"]["quality"]

    # Assert
    assert {c["column"] for c in quality["column_shapes"]["columns"]} == {"x", "y", "colour", "size"}
    assert all(c["score"] > 0.9 for c in quality["column_shapes"]["columns"])
    pairs = {tuple(p["columns"]): p for p in quality["column_pair_trends"]["pairs"]}
    assert len(pairs) == 6
    assert pairs[("x", "y")]["real_correlation"] > 0.95
    assert abs(pairs[("x", "y")]["synthetic_correlation"]) < 0.2
    assert pairs[("x", "y")]["score"] < 0.6 and pairs[("x", "y")]["contributes"]
    assert quality["worst_pairs"][0] == ["x", "y"]


def test_diagnostics_find_new_categories_out_of_range_values_and_invalid_rows() -> None:
    # Setup
    real = _frame(400, 0)
    synthetic = _frame(400, 1)
    synthetic.loc[:39, "colour"] = "purple"  # 10% unknown category
    synthetic.loc[40:59, "x"] = 1_000.0  # 5% above the real maximum

    # Run
    diagnostics = _report(real, synthetic)["details"]["diagnostics"]

    # Assert
    new = {n["column"]: n for n in diagnostics["new_categories"]}
    assert new["colour"]["new_categories"] == 1 and new["colour"]["share_of_rows"] == 0.1
    bounds = {b["column"]: b for b in diagnostics["out_of_bounds"]}
    assert 0.05 <= bounds["x"]["share_above"] <= 0.07  # plus any natural overshoot
    assert diagnostics["row_validity"] <= 0.85
    adherence = {a["column"]: a for a in diagnostics["adherence"]}
    assert adherence["colour"]["metric"] == "CategoryAdherence" and adherence["colour"]["score"] < 1
    assert adherence["x"]["metric"] == "BoundaryAdherence" and adherence["x"]["score"] < 1


def test_missing_rates_compare_categorical_missing_as_a_category() -> None:
    # Setup
    real = _frame(200, 0)
    synthetic = _frame(200, 1)
    synthetic.loc[:49, "colour"] = None

    # Run
    diagnostics = _report(real, synthetic)["details"]["diagnostics"]

    # Assert
    rates = {m["column"]: m for m in diagnostics["missing_rates"]}
    assert rates["colour"] == {"column": "colour", "real": 0.0, "synthetic": 0.25}


def test_a_column_without_synthetic_values_counts_as_zero() -> None:
    # Setup
    real = _frame(300, 0)
    synthetic = _frame(300, 1)
    synthetic["y"] = np.nan

    # Run
    report = _report(real, synthetic)
    quality = report["details"]["quality"]

    # Assert
    assert quality["unscored_columns"] == ["y"]
    assert quality["column_shapes"]["score"] <= 0.76  # three columns near 1, one at 0
    assert quality["sdmetrics_score"] > report["score"]  # SDMetrics alone would drop the column
    assert "no synthetic values" in report["summary"]

"""Utility: TSTR vs TRTR on classification and regression, edge cases stated."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.evaluation.sampling import SampleLimits, SampleLog
from synthstudio_kernel.evaluation.tables import prepare_tables
from synthstudio_kernel.evaluation.utility import utility_report


def _run(real, synthetic, holdout=None, target=None, small: SampleLimits | None = None) -> dict:
    tables = prepare_tables(real, synthetic, holdout)
    return utility_report(tables, target=target, limits=small or SampleLimits(), log=SampleLog(), seed=0)


def test_regression_reports_r2_and_mae_for_both_families() -> None:
    # Setup
    insurance = load_sample("insurance")
    train, holdout = insurance.iloc[:1000], insurance.iloc[1000:]

    # Run
    report = _run(train, train, holdout)

    # Assert
    details = report["details"]
    assert details["target"]["column"] == "charges" and details["primary_metric"] == "r2"
    assert [m["family"] for m in details["models"]] == ["gradient_boosting", "linear"]
    for model in details["models"]:
        assert set(model["trtr"]) == {"r2", "mae"}
        assert model["trtr"]["r2"] > 0.6
        assert model["score"] >= 0.95  # the same rows: all the skill is kept
    assert details["test_set"] == "holdout"


def test_multiclass_target_uses_macro_auroc() -> None:
    # Setup: three classes driven by x.
    rng = np.random.default_rng(0)
    x = rng.normal(size=900)
    frame = pd.DataFrame(
        {"x": x, "noise": rng.normal(size=900), "grade": np.select([x < -0.5, x < 0.5], ["low", "mid"], "high")}
    )

    # Run
    report = _run(frame.iloc[:600], frame.iloc[:600], frame.iloc[600:], target="grade")

    # Assert
    gb = report["details"]["models"][0]
    assert report["details"]["target"]["n_classes"] == 3
    assert gb["trtr"]["roc_auc"] > 0.95 and 0 < gb["trtr"]["f1_macro"] <= 1 and 0 < gb["trtr"]["accuracy"] <= 1


def test_a_single_synthetic_class_gives_a_chance_level_model_and_a_note() -> None:
    # Setup
    adult = load_sample("adult").head(1_500)
    train, holdout = adult.iloc[:1000], adult.iloc[1000:]
    synthetic = train[train["income"] == "<=50K"]

    # Run
    report = _run(train, synthetic, holdout)

    # Assert
    for model in report["details"]["models"]:
        assert model["tstr"]["roc_auc"] == 0.5
        assert model["score"] == 0.0
    assert any("single target class" in note for note in report["details"]["notes"])


def test_without_holdout_a_split_is_used_and_the_optimism_is_stated() -> None:
    # Setup
    adult = load_sample("adult").head(1_200)

    # Run
    report = _run(adult, adult)

    # Assert
    details = report["details"]
    assert details["test_set"].startswith("split of real")
    assert details["rows"]["test"] == 300
    assert any("optimistic" in note for note in details["notes"])


def test_no_usable_target_means_no_score_and_a_reason() -> None:
    # Setup
    frame = pd.DataFrame({"a": np.arange(40) * 1.5, "b": [0.5, 1.5, 2.25, 3.5] * 10})

    # Run
    report = _run(frame, frame)

    # Assert
    assert report["score"] is None
    assert report["details"]["models"] == []
    assert "not measured" in report["summary"].lower()


def test_training_rows_are_capped_and_logged() -> None:
    # Setup
    adult = load_sample("adult").head(3_000)
    log = SampleLog()
    tables = prepare_tables(adult.iloc[:2000], adult.iloc[:2000], adult.iloc[2000:])

    # Run
    report = utility_report(tables, target=None, limits=SampleLimits(utility_train_rows=500), log=log, seed=0)

    # Assert
    assert report["details"]["rows"]["train_real"] == 500 and report["details"]["rows"]["train_synthetic"] == 500
    assert {"step": "utility", "table": "real", "rows_available": 2000, "rows_used": 500} in log.to_list()

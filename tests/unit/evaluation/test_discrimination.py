"""The scorecard tells a copy, fresh real rows and noise apart (issue: tests that discriminate)."""

from __future__ import annotations

from synthstudio_kernel.evaluation import Scorecard, evaluate


def test_copy_of_training_data_scores_top_fidelity_and_utility(cards: dict[str, Scorecard]) -> None:
    # Setup
    copy = cards["copy"]

    # Assert
    assert copy.scores["fidelity"] >= 0.97
    assert copy.scores["utility"] is not None and copy.scores["utility"] >= 0.9


def test_copy_of_training_data_fails_privacy(cards: dict[str, Scorecard]) -> None:
    # Setup
    details = cards["copy"].privacy["details"]

    # Assert
    assert details["exact_copies"]["synthetic_rate"] >= 0.99
    assert details["membership_inference"]["distance_attack"]["auc"] >= 0.95
    assert details["membership_inference"]["max_auc"] >= 0.95
    assert details["proximity"]["synthetic_share"] >= 0.95
    assert cards["copy"].scores["privacy"] <= 0.2
    assert {v["status"] for v in cards["copy"].verdicts.values()} == {"fail"}


def test_uniform_noise_scores_low_fidelity_and_utility(cards: dict[str, Scorecard]) -> None:
    # Setup
    noise, copy = cards["noise"], cards["copy"]

    # Assert
    assert noise.scores["fidelity"] <= 0.7
    assert noise.scores["fidelity"] <= copy.scores["fidelity"] - 0.25
    assert noise.scores["utility"] is not None and noise.scores["utility"] <= 0.35
    for model in noise.utility["details"]["models"]:
        assert model["tstr"]["roc_auc"] < model["trtr"]["roc_auc"] - 0.2


def test_uniform_noise_leaks_nothing(cards: dict[str, Scorecard]) -> None:
    # Setup
    details = cards["noise"].privacy["details"]

    # Assert
    assert details["exact_copies"]["synthetic_rate"] == 0.0
    assert details["membership_inference"]["max_auc"] <= 0.6
    assert cards["noise"].scores["privacy"] >= 0.85


def test_holdout_as_synthetic_lands_between_copy_and_noise_on_privacy(cards: dict[str, Scorecard]) -> None:
    # Setup
    copy, fresh, noise = (cards[k].scores["privacy"] for k in ("copy", "holdout", "noise"))
    details = cards["holdout"].privacy["details"]

    # Assert
    assert copy + 0.2 < fresh < noise - 0.1
    assert details["membership_inference"]["max_auc"] <= 0.65
    assert 0.3 <= details["proximity"]["synthetic_share"] <= 0.7
    assert 0.35 <= details["closer_share"]["share"] <= 0.65


def test_holdout_as_synthetic_is_faithful_and_useful(cards: dict[str, Scorecard]) -> None:
    # Setup
    fresh = cards["holdout"]

    # Assert
    assert fresh.scores["fidelity"] >= 0.85
    assert fresh.scores["utility"] is not None and fresh.scores["utility"] >= 0.7
    assert fresh.verdict("internal_testing") == "pass"
    assert fresh.verdict("public_release") == "fail"  # real people's rows must not be published


def test_scores_are_reproducible_with_the_same_seed(adult_split, cards: dict[str, Scorecard], small) -> None:
    # Run
    again = evaluate(adult_split["train"], adult_split["fresh"], holdout=adult_split["holdout"], limits=small)

    # Assert
    assert again.scores == cards["holdout"].scores

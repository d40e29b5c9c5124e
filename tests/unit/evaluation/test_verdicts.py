"""Verdicts per use case against the documented thresholds."""

from __future__ import annotations

import pytest

from synthstudio_kernel.evaluation.verdicts import USE_CASES, Facts, all_verdicts, verdict

GOOD = Facts(fidelity=0.9, utility=0.9, privacy=0.9, excess_copy_rate=0.0, membership_auc=0.51, has_holdout=True)


def test_good_data_passes_every_use_case() -> None:
    assert {name: v["status"] for name, v in all_verdicts(GOOD).items()} == {
        "internal_testing": "pass",
        "partner_sharing": "pass",
        "public_release": "pass",
    }


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"fidelity": 0.7}, {"partner_sharing", "public_release"}),
        ({"privacy": 0.7}, {"public_release"}),
        ({"privacy": 0.2}, {"internal_testing", "partner_sharing", "public_release"}),
        ({"membership_auc": 0.58}, {"public_release"}),
        ({"excess_copy_rate": 0.005}, {"public_release"}),
        ({"utility": 0.65}, {"partner_sharing"}),
    ],
)
def test_each_threshold_fails_the_use_cases_it_should(change: dict, failing: set[str]) -> None:
    # Run
    verdicts = all_verdicts(Facts(**{**GOOD.__dict__, **change}))

    # Assert
    assert {name for name, v in verdicts.items() if v["status"] == "fail"} == failing
    for name in failing:
        assert verdicts[name]["summary"].startswith("Not suitable")


def test_without_holdout_sharing_verdicts_are_undetermined() -> None:
    # Run
    verdicts = all_verdicts(Facts(**{**GOOD.__dict__, "has_holdout": False, "membership_auc": None}))

    # Assert
    assert verdicts["internal_testing"]["status"] == "pass"
    for name in ("partner_sharing", "public_release"):
        assert verdicts[name]["status"] == "undetermined"
        assert "holdout" in verdicts[name]["summary"]


def test_missing_utility_is_skipped_with_a_note() -> None:
    result = verdict(USE_CASES["partner_sharing"], Facts(**{**GOOD.__dict__, "utility": None}))
    check = next(c for c in result["checks"] if c["name"] == "utility")
    assert result["status"] == "pass" and check["status"] == "skipped"


def test_formal_dp_guarantee_lowers_the_public_release_privacy_bar() -> None:
    # Setup
    realistic = {**GOOD.__dict__, "privacy": 0.7}

    # Run
    without = verdict(USE_CASES["public_release"], Facts(**realistic))
    with_dp = verdict(USE_CASES["public_release"], Facts(**{**realistic, "dp_epsilon": 1.0}))
    loose_dp = verdict(USE_CASES["public_release"], Facts(**{**realistic, "dp_epsilon": 8.0}))

    # Assert
    assert without["status"] == "fail"
    assert with_dp["status"] == "pass"
    assert "formal DP guarantee" in next(c for c in with_dp["checks"] if c["name"] == "privacy")["message"]
    assert loose_dp["status"] == "fail"


def test_without_holdout_a_fidelity_failure_still_fails() -> None:
    verdicts = all_verdicts(Facts(**{**GOOD.__dict__, "has_holdout": False, "membership_auc": None, "fidelity": 0.5}))
    assert verdicts["partner_sharing"]["status"] == "fail"
    assert {c["name"] for c in verdicts["partner_sharing"]["checks"]} == {"fidelity", "utility", "holdout"}

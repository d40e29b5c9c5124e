"""Verdicts per use case against the documented thresholds."""

from __future__ import annotations

import pytest

from synthstudio_kernel.evaluation.verdicts import USE_CASES, Facts, all_verdicts, verdict

GOOD = Facts(
    fidelity=0.9,
    utility=0.9,
    privacy=0.9,
    excess_copy_rate=0.0,
    membership_auc=0.51,
    has_holdout=True,
    dp_epsilon=1.0,
    guarantee="differential privacy",
)


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
        ({"privacy": 0.55}, {"partner_sharing", "public_release"}),
        ({"guarantee": "none", "dp_epsilon": None}, {"public_release"}),
        ({"dp_epsilon": 5.0}, {"public_release"}),
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
    # Setup: realistic rows, as close to training records as real neighbours are.
    realistic = {**GOOD.__dict__, "privacy": 0.7}
    public = USE_CASES["public_release"]

    # Run
    with_dp = verdict(public, Facts(**realistic))
    unlinked = verdict(public, Facts(**{**realistic, "guarantee": "unknown", "dp_epsilon": None}))
    no_dp = verdict(public, Facts(**{**realistic, "guarantee": "none", "dp_epsilon": None}))
    loose_dp = verdict(public, Facts(**{**realistic, "dp_epsilon": 8.0}))

    # Assert
    assert with_dp["status"] == "pass"
    assert "formal DP guarantee" in next(c for c in with_dp["checks"] if c["name"] == "privacy")["message"]
    assert unlinked["status"] == no_dp["status"] == loose_dp["status"] == "fail"
    assert "no formal privacy guarantee" in no_dp["summary"]


def test_public_release_of_unlinked_data_is_undetermined_at_best() -> None:
    result = verdict(
        USE_CASES["public_release"], Facts(**{**GOOD.__dict__, "guarantee": "unknown", "dp_epsilon": None})
    )
    assert result["status"] == "undetermined"
    assert "not linked to a ledger run" in result["summary"]


def test_without_holdout_a_fidelity_failure_still_fails() -> None:
    verdicts = all_verdicts(Facts(**{**GOOD.__dict__, "has_holdout": False, "membership_auc": None, "fidelity": 0.5}))
    assert verdicts["partner_sharing"]["status"] == "fail"
    assert {c["name"] for c in verdicts["partner_sharing"]["checks"]} == {"fidelity", "utility", "holdout"}

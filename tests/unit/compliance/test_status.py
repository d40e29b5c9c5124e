"""Compliance status of a run: badges built only from the facts the ledger holds."""

from __future__ import annotations

import pytest

from synthstudio_kernel.compliance import CHECKS, compliance_status
from synthstudio_kernel.schema import validate


def level(epsilon: float) -> dict[str, str]:
    name = "strong" if epsilon <= 1 else "moderate" if epsilon <= 5 else "weak"
    return {"name": name, "label": name, "range": "test range", "meaning": f"test level for ε {epsilon}"}


def dp_run(**overrides):
    run = {
        "id": "a" * 32,
        "dataset_id": 1,
        "dataset_name": "adult",
        "method": "dp-tvae",
        "status": "succeeded",
        "private": True,
        "guarantee": "differential-privacy",
        "epsilon_target": 3.0,
        "epsilon_spent": 2.95,
        "delta": 1e-5,
        "params": {"epochs": 3},
        "accounting": {"accountant": "rdp", "steps": 120, "noise_multiplier": 1.1, "sample_rate": 0.01},
        "facts": {},
        "started_at": "2026-01-01T00:00:00+00:00",
        "finished_at": "2026-01-01T00:01:00+00:00",
    }
    run.update(overrides)
    return run


BUDGET = {"dataset": "adult", "total": 10.0, "spent": 2.95, "reserved": 0.0, "remaining": 7.05}


def statuses(result) -> dict[str, str]:
    return {badge.check: badge.status for badge in result.badges}


def test_nothing_recorded_beyond_the_ledger_is_shown_as_unknown_never_invented():
    # Run
    result = compliance_status(dp_run(), budget=BUDGET, privacy_level=level)
    # Assert
    assert statuses(result) == {
        "formal-privacy": "pass",
        "budget": "pass",
        "safety-checks": "unknown",
        "identifiers": "unknown",
        "evaluation": "unknown",
    }
    assert result.status == "unknown"
    assert result.known == 2 and result.unknown == 3
    assert "3 not known (Safety checks, Identifiers, Evaluation)" in result.summary
    validate(result.to_dict(), "ComplianceStatus")


def test_formal_privacy_reasons_quote_the_accounting_and_the_level():
    result = compliance_status(dp_run(), budget=BUDGET, privacy_level=level)
    reasons = " ".join(result.badge("formal-privacy").reasons)
    assert "ε = 2.95, δ = 1e-05 (target ε 3)" in reasons
    assert "RDP accountant (120 steps, noise multiplier 1.1, sample rate 0.01)" in reasons
    assert "Privacy level moderate (test range): test level for ε 2.95." in reasons
    assert result.privacy_level == {
        "name": "moderate",
        "label": "moderate",
        "range": "test range",
        "meaning": "test level for ε 2.95",
    }


def test_the_default_privacy_level_is_the_privacy_packages():
    result = compliance_status(dp_run(epsilon_spent=0.5, epsilon_target=1.0), budget=BUDGET)
    assert result.privacy_level == {
        "name": "very_strong",
        "label": "very strong",
        "range": "ε < 1",
        "meaning": "suitable for clinical and genomic data",
    }
    validate(result.to_dict(), "ComplianceStatus")


def test_a_method_without_guarantee_fails_formal_privacy_and_has_no_budget_badge():
    run = dp_run(
        method="ctgan",
        private=False,
        guarantee="none",
        epsilon_target=None,
        epsilon_spent=None,
        delta=None,
        accounting=None,
    )
    result = compliance_status(run, budget=BUDGET, privacy_level=level)
    assert statuses(result)["formal-privacy"] == "fail"
    assert "ctgan gives no formal privacy guarantee" in result.badge("formal-privacy").reasons[0]
    assert result.badge("budget") is None  # nothing is charged: not applicable, not "unknown"
    assert result.badge("safety-checks") is None
    assert result.privacy_level is None
    assert result.status == "fail"


def test_a_run_still_training_has_an_unknown_epsilon_and_a_reservation():
    run = dp_run(status="reserved", epsilon_spent=None, finished_at=None)
    budget = {**BUDGET, "spent": 0.0, "reserved": 3.0, "remaining": 7.0}
    result = compliance_status(run, budget=budget, privacy_level=level)
    assert statuses(result)["formal-privacy"] == "unknown"
    assert "not known yet" in result.badge("formal-privacy").reasons[0]
    assert "ε 3 is reserved while the run trains." in result.badge("budget").reasons
    assert result.privacy_level is None


def test_overspending_fails():
    result = compliance_status(dp_run(epsilon_spent=3.5), budget=BUDGET, privacy_level=level)
    assert statuses(result)["formal-privacy"] == "fail"
    assert "exceeds the target" in result.badge("formal-privacy").reasons[0]
    over = {**BUDGET, "spent": 10.5, "remaining": 0.0}
    assert statuses(compliance_status(dp_run(), budget=over, privacy_level=level))["budget"] == "fail"
    used_up = {**BUDGET, "spent": 10.0, "remaining": 0.0}
    assert statuses(compliance_status(dp_run(), budget=used_up, privacy_level=level))["budget"] == "warn"


@pytest.mark.parametrize(
    ("safety", "expected"),
    [
        (
            {"ok": True, "errors": [], "warnings": [], "checks": [{"name": "delta", "status": "ok", "message": ""}]},
            "pass",
        ),
        ({"ok": True, "errors": [], "warnings": ["Only 3 epochs."], "checks": []}, "warn"),
        ({"ok": False, "errors": ["delta must be below 1/n."], "warnings": [], "checks": []}, "fail"),
    ],
)
def test_safety_checks_follow_the_recorded_report(safety, expected):
    result = compliance_status(dp_run(facts={"safety": safety}), budget=BUDGET, privacy_level=level)
    badge = result.badge("safety-checks")
    assert badge.status == expected
    if expected != "pass":
        assert badge.reasons == tuple(safety["errors"] or safety["warnings"])


@pytest.mark.parametrize(
    ("columns", "expected", "phrase"),
    [
        ([{"column": "age", "identifier": "none"}], "pass", "no direct or quasi-identifiers in 1 columns"),
        ([{"column": "email", "identifier": "direct", "action": "drop"}], "pass", "email (drop)"),
        (
            [{"column": "email", "identifier": "direct", "action": "keep"}],
            "fail",
            "Direct identifiers kept in the training data: email",
        ),
        ([{"column": "zip", "identifier": "quasi", "action": "keep"}], "warn", "Quasi-identifiers kept: zip"),
        ([{"column": "email", "identifier": "direct"}], "unknown", "how they were handled was not recorded"),
    ],
)
def test_identifiers_come_from_the_pii_facts(columns, expected, phrase):
    result = compliance_status(dp_run(facts={"pii": {"columns": columns}}), budget=BUDGET, privacy_level=level)
    badge = result.badge("identifiers")
    assert badge.status == expected
    assert phrase in " ".join(badge.reasons)


def test_synthesized_identifiers_count_as_handled_only_under_a_dp_guarantee():
    pii = {"columns": [{"column": "zip", "identifier": "quasi", "action": "synthesize"}]}
    dp = compliance_status(dp_run(facts={"pii": pii}), budget=BUDGET, privacy_level=level)
    plain = compliance_status(
        dp_run(
            facts={"pii": pii}, private=False, guarantee="none", epsilon_target=None, epsilon_spent=None, delta=None
        ),
        privacy_level=level,
    )
    assert dp.badge("identifiers").status == "pass"
    assert "covered by the run's differential-privacy guarantee" in " ".join(dp.badge("identifiers").reasons)
    assert plain.badge("identifiers").status == "warn"


def test_unscanned_columns_are_named_and_warned_about():
    pii = {"columns": [{"column": "age", "identifier": "none", "action": "keep"}], "unscanned_columns": ["notes"]}
    badge = compliance_status(dp_run(facts={"pii": pii}), budget=BUDGET, privacy_level=level).badge("identifiers")
    assert badge.status == "warn"
    assert "Not scanned: notes." in badge.reasons


def test_without_pii_facts_the_safety_layers_identifier_scan_is_used():
    safety = {
        "ok": True,
        "errors": [],
        "warnings": [],
        "checks": [{"name": "identifiers", "status": "ok", "message": "no direct identifiers found by the PII scan"}],
    }
    badge = compliance_status(dp_run(facts={"safety": safety}), budget=BUDGET, privacy_level=level).badge("identifiers")
    assert badge.status == "pass"
    assert badge.reasons[0] == "Safety checks: no direct identifiers found by the PII scan."


def test_evaluation_scores_are_graded_against_the_evaluation_thresholds():
    # Setup: fidelity above every use case's minimum, utility between, privacy below all
    evaluation = {
        "fidelity": 0.9,
        "utility": 0.55,
        "privacy": 0.1,
        "exact_copy_rate": 0.002,
        "verdicts": {"internal_testing": "fail"},
    }
    # Run
    result = compliance_status(dp_run(facts={"evaluation": evaluation}), budget=BUDGET, privacy_level=level)
    # Assert
    assert result.badge("evaluation") is None
    assert statuses(result)["fidelity"] == "pass"
    assert statuses(result)["utility"] == "warn"
    assert statuses(result)["privacy-risk"] == "fail"
    assert "0.20% of synthetic rows exactly copy a real row." in result.badge("privacy-risk").reasons
    assert "internal testing: fail" in result.badge("fidelity").reasons[-1]
    validate(result.to_dict(), "ComplianceStatus")


def test_missing_utility_is_unknown_with_its_reason():
    evaluation = {"fidelity": 0.9, "utility": None, "privacy": 0.9}
    result = compliance_status(dp_run(facts={"evaluation": evaluation}), budget=BUDGET, privacy_level=level)
    assert result.badge("utility").status == "unknown"
    assert "no prediction target" in result.badge("utility").reasons[0]


def test_all_known_and_passing_reads_pass():
    facts = {
        "safety": {"ok": True, "errors": [], "warnings": [], "checks": []},
        "pii": {"columns": [{"column": "age", "identifier": "none"}]},
        "evaluation": {"fidelity": 0.95, "utility": 0.9, "privacy": 0.95},
    }
    result = compliance_status(dp_run(facts=facts), budget=BUDGET, privacy_level=level)
    assert result.status == "pass"
    assert result.summary == "All 7 checks pass."
    assert "<table>" in result._repr_html_()


def test_checks_are_a_registry():
    assert list(CHECKS) == ["formal-privacy", "budget", "safety-checks", "identifiers", "evaluation"]

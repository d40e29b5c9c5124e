"""One vocabulary: one run's privacy level, guarantee and status read the same in the safety
checks, the privacy report, the evaluation, the compliance badges and the sidebar payload."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from synthstudio_kernel.compliance import compliance_status
from synthstudio_kernel.evaluation.render import _guarantee_words
from synthstudio_kernel.privacy.accounting import Mechanism
from synthstudio_kernel.privacy.ledger.records import LedgerRun
from synthstudio_kernel.privacy.levels import (
    format_epsilon,
    guarantee_text,
    level_text,
    privacy_level,
    status_text,
)
from synthstudio_kernel.privacy.report import privacy_report
from synthstudio_kernel.schema import validate
from synthstudio_kernel.server.payloads import run_report_page, run_summary
from synthstudio_kernel.training.safety import validate_config

#: What the accountant returns for a target of ε = 1: a hair under it, printed as "1" everywhere.
SPENT = 0.99997


def _run(status: str = "succeeded", epsilon: float | None = SPENT, **facts: object) -> LedgerRun:
    mechanisms = [Mechanism("dp-sgd", 1.1, 0.01, 120)]
    accounting = {
        "epsilon": epsilon,
        "delta": 1e-5,
        "noise_multiplier": 1.1,
        "sample_rate": 0.01,
        "steps": 120,
        "accountant": "rdp",
        "mechanisms": [m.to_dict() for m in mechanisms],
    }
    return LedgerRun(
        id="a" * 32,
        dataset_id=1,
        dataset_name="insurance",
        method="dp-tvae",
        status=status,
        private=True,
        epsilon_target=1.0,
        epsilon_spent=epsilon,
        delta=1e-5,
        accounting=accounting,
        facts=dict(facts),
    )


def test_epsilon_is_read_as_it_is_shown():
    assert format_epsilon(SPENT) == "1"
    assert privacy_level(SPENT).name == "strong" and privacy_level(0.994).name == "very_strong"
    assert level_text(1.0) == "strong (1 ≤ ε ≤ 5): suitable for healthcare and financial records"
    assert guarantee_text(SPENT, 1e-5) == "(ε = 1, δ = 1e-05)-differential privacy"


def test_one_run_reads_the_same_everywhere():
    # Setup
    level = level_text(SPENT)
    run = _run()
    frame = pd.DataFrame({"a": range(2000), "b": [i % 7 for i in range(2000)]})
    privacy = dict(run.accounting or {}, target_epsilon=1.0, planned_steps=120, preprocessing_epsilon=0.0)
    model = SimpleNamespace(run=SimpleNamespace(id=run.id, method=run.method, privacy=privacy))

    # Run: every view of the same run
    check = validate_config(frame, method="dp-tvae", epsilon=1.0, epochs=2, batch_size=100, force=True)
    report = privacy_report(model).to_html()
    evaluation = _guarantee_words({"guarantee": "differential privacy", "epsilon": SPENT, "delta": 1e-5})
    badges = " ".join(" ".join(b.reasons) for b in compliance_status(run).badges)
    sidebar = run_summary(run)

    # Assert: the same phrase, never a repeated word
    epsilon_check = next(c for c in check.to_dict()["checks"] if c["name"] == "epsilon")
    assert level in epsilon_check["message"]
    assert level.replace("≤", "&le;") in report or level in report
    assert level in evaluation and level in badges
    assert sidebar["words"]["level"] == level
    assert sidebar["words"]["guarantee"] == guarantee_text(SPENT, 1e-5)
    for text in (epsilon_check["message"], report, evaluation, badges):
        assert "strong: strong" not in text and "very strong" not in text
    validate(sidebar, "RunSummary")


@pytest.mark.parametrize("status", ["failed", "stopped", "refused"])
def test_failed_stopped_and_refused_runs_never_read_as_a_pass(status: str):
    # Run
    summary = run_summary(_run(status, epsilon=0.4 if status != "refused" else None))

    # Assert
    assert summary["words"]["status_text"] == status_text(status, charged=summary["epsilon_spent"], target=1.0)
    assert summary["compliance"]["status"] != "pass"
    assert all(b["status"] != "pass" for b in summary["compliance"]["badges"])
    if status != "refused":
        assert "ε 0.4 charged" in summary["words"]["status_text"]
    validate(summary, "RunSummary")


def test_the_run_report_is_a_self_contained_page(monkeypatch):
    # Setup: a stand-in ledger; the framework badges (built from a real ledger in the route
    # tests) are given, so that this test reads the page only
    from synthstudio_kernel.server import payloads

    run = _run(notebook={"variable": "model"}, evaluation={"fidelity": 0.8, "utility": 0.7, "privacy": 0.9})
    ledger = SimpleNamespace(get_run=lambda _id: run, budget=lambda *_a, **_k: None)
    given = {"frameworks": [{"label": "HIPAA", "state": "missing", "reasons": ["no Expert Determination attested"]}]}
    monkeypatch.setattr(payloads, "frameworks_payload", lambda _ledger, _run_id: given)

    # Run
    page = run_report_page(ledger, run.id)

    # Assert
    assert page.startswith("<!DOCTYPE html>") and "<meta charset='utf-8'>" in page and "<title>" in page
    for fact in ("insurance", "dp-tvae (model)", "(ε = 1, δ = 1e-05)-differential privacy", "Synth Studio"):
        assert fact in page
    assert "fidelity 0.80" in page and level_text(SPENT) in page
    assert "no Expert Determination attested" in page

"""The HIPAA packet against must-holds 1 and 3, read from a real run (scan -> apply -> DP
training -> evaluation): tool version and data hash on every measurement, ZIP and age rules,
the synthetic output's ages over 89, free text, and the Expert Determination packet."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.compliance import framework_badges, set_by, top_code_ages
from synthstudio_kernel.compliance.example_data import HEALTHCARE_PUBLIC, healthcare_table
from synthstudio_kernel.evaluation.sampling import SampleLimits
from synthstudio_kernel.privacy.ledger import close_ledgers

SMALL = {"compress_dims": (16,), "decompress_dims": (16,), "embedding_dim": 8, "batch_size": 100}
LIMITS = SampleLimits(anonymeter_attacks=30, anonymeter_rows=300, mia_rows=80)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import torch

    torch.set_num_threads(1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYNTHSTUDIO_HOME", str(tmp_path_factory.mktemp("hipaa-audit")))
        mp.delenv("SYNTHSTUDIO_DB_URL", raising=False)
        raw = healthcare_table(n=420, seed=11)
        cleaned = ss.scan_pii(raw).apply(raw)
        train, holdout = cleaned.iloc[:350].copy(), cleaned.iloc[350:].copy()
        ss.register_dataset(train, "audit", total_epsilon=6.0)
        model = ss.train(train, method="dp-tvae", epsilon=3.0, dataset="audit", epochs=1, **SMALL, **HEALTHCARE_PUBLIC)
        synthetic = model.sample(150, seed=0)
        scorecard = ss.evaluate(train, synthetic, holdout=holdout, limits=LIMITS)
        yield {"raw": raw, "model": model, "synthetic": synthetic, "scorecard": scorecard}
    close_ledgers()


def _claims(report: Any) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in report.to_dict()["claims"]}


def _aged(synthetic: Any) -> Any:
    """The sample with ages over 89 stated in it: two ages above 90, one birth year of 1925."""
    out = synthetic.copy()
    out.loc[out.index[:2], "age"] = 97
    out.loc[out.index[2], "dob"] = 1925
    return out


def test_every_measurement_shows_its_tool_version_and_data_hash(run: dict[str, Any]) -> None:
    # Run
    report = ss.compliance_report(run["model"], "hipaa", scorecard=run["scorecard"])
    doc, text, page = report.to_dict(), report.to_markdown(), report.to_html()
    shown = {cid for block in doc["sections"][0]["blocks"] for cid in block["claims"] or []}

    # Assert: in the JSON, and in both renderings, beside the claim
    measured = [c for c in doc["claims"] if c["status"] == "MEASURED"]
    assert len(measured) >= 10
    for c in measured:
        assert c["tool_version"].startswith("synthstudio_kernel ") and len(c["data_hash"]) == 64, c["id"]
        if c["id"] in shown:
            [line] = [ln for ln in text.splitlines() if ln.startswith(f"| {c['label']} | MEASURED")]
            assert c["tool_version"] in line and c["data_hash"][:16] in line, c["id"]
            assert c["data_hash"][:16] in page
    checklist = doc["sections"][0]["blocks"][0]
    assert doc["subject"]["input_hash"][:16] in checklist["text"] and "synthstudio_kernel" in checklist["text"]


def test_zip_rule_and_age_rules_are_stated(run: dict[str, Any]) -> None:
    # Run
    claims = _claims(ss.compliance_report(run["model"], "hipaa"))

    # Assert
    zip_rule = claims["hipaa.safe_harbor.B"]["statement"]
    assert "first 3 digits" in zip_rule and "more than 20,000 people" in zip_rule and "set to 000" in zip_rule
    dates = claims["hipaa.safe_harbor.C"]
    assert "dob: date to its year" in dates["statement"]
    # The declared ranges (age up to 100, birth years from 1920) let DP samples state ages over 89:
    # without a scan of the output, the packet says so and asks for the 90+ category
    assert dates["value"]["check_before_release"] == ["dob", "age"]
    assert dates["outcome"] == "synthetic output needs a check before release"
    assert dates["statement"].count("aggregate them into one 90+ category before release") == 2


def test_the_replay_scan_counts_ages_over_89_in_the_output_and_top_coding_clears_them(run: dict[str, Any]) -> None:
    # Setup
    aged = _aged(run["synthetic"])

    # Run
    before = _claims(ss.compliance_report(run["model"], "hipaa", real=run["raw"], synthetic=aged))
    released = top_code_ages(aged, run["model"])
    after = _claims(ss.compliance_report(run["model"], "hipaa", real=run["raw"], synthetic=released))

    # Assert
    counts = before["hipaa.replay"]["value"]["ages_over_89"]
    assert counts["age"] >= 2 and counts["dob"] >= 1
    assert "age(s) over 89 to aggregate" in before["hipaa.replay"]["outcome"]
    assert before["hipaa.safe_harbor.C"]["value"]["check_before_release"] == ["dob", "age"]
    assert after["hipaa.replay"]["value"]["ages_over_89"] == {"age": 0, "dob": 0}
    assert after["hipaa.safe_harbor.C"]["value"]["check_before_release"] == []
    assert after["hipaa.safe_harbor.C"]["outcome"] == "removed or transformed before training"
    assert (
        released["age"].max() <= 90 and released["dob"].min() >= after["hipaa.replay"]["value"]["reference_year"] - 90
    )
    assert after["hipaa.replay"]["value"]["cells_matching"] == 0


def test_free_text_kept_is_marked_not_certifiable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup: clinical notes without identifiers: the scan keeps them as free text
    monkeypatch.setenv("SYNTHSTUDIO_HOME", str(tmp_path))
    close_ledgers()
    rng = random.Random(0)
    phrases = [
        "Patient stable after treatment, follow up advised in two weeks.",
        "Reports mild pain; continue current medication and rest.",
        "Admitted for observation, discharged next morning without complications.",
    ]
    table = healthcare_table(n=120, seed=2)[["age", "sex", "diagnosis", "charges"]].copy()
    table["notes"] = [f"{rng.choice(phrases)} {rng.choice(phrases)}" for _ in range(len(table))]
    cleaned = ss.scan_pii(table).apply(table)
    model = ss.train(cleaned, method="gaussian-copula", seed=0)

    # Run
    report = ss.compliance_report(model, "hipaa")
    claims = _claims(report)

    # Assert
    assert claims["hipaa.free_text"]["value"] == ["notes"]
    assert "not certifiable" in claims["hipaa.free_text"]["statement"]
    assert "not certifiable" in report.to_markdown()
    close_ledgers()


def test_the_expert_determination_packet_holds_what_the_expert_needs(run: dict[str, Any], tmp_path: Path) -> None:
    # Setup: a threshold set by a named person, an export to a recipient, and the determination
    mine = set_by("reidentification_risk", 0.05, who="Dr. Ada Expert", on="2026-11-30", why="public release")
    shared = tmp_path / "synthetic.csv"
    top_code_ages(run["synthetic"], run["model"]).to_csv(shared, index=False)
    ss.log_export(run["model"], recipient="Research Partner Inc.", contract="DUA-2026-017", files=[shared])
    ss.attest(
        run["model"],
        framework="hipaa",
        claim="expert_determination",
        who="Dr. Ada Expert",
        role="Statistician",
        statement="Risk very small for the named recipient under the data use agreement.",
        expires="2099-12-31",
    )

    # Run
    report = ss.compliance_report(
        run["model"], "hipaa", scorecard=run["scorecard"], thresholds={"reidentification_risk": mine}
    )
    doc, claims = report.to_dict(), _claims(report)
    packet = next(b for b in doc["sections"][0]["blocks"] if b["title"] == "Expert Determination packet")
    form = next(b for b in doc["sections"][0]["blocks"] if b["title"].startswith("Attestation fields"))

    # Assert: DP parameters, risks with intervals, DCR and exact matches, threshold and who set it,
    # recipients (recorded and attested), expiry and the attestation fields
    for cid in ("dp.epsilon", "dp.delta", "dp.accountant", "dp.mechanisms", "dp.unit", "budget"):
        assert cid in packet["claims"] and claims[cid]["status"] in ("MEASURED", "CONFIGURED"), cid
    for cid in ("eval.singling_out", "eval.linkability", "eval.inference"):
        assert len(claims[cid]["value"]["ci"]) == 2 and claims[cid]["threshold"]["value"] == 0.05, cid
    assert claims["eval.dcr"]["status"] == "MEASURED" and claims["eval.exact_copies"]["status"] == "MEASURED"
    assert claims["hipaa.threshold"]["value"]["source"].startswith("set by Dr. Ada Expert on 2026-11-30")
    assert claims["hipaa.exports"]["status"] == "CONFIGURED"
    assert "Research Partner Inc. under DUA-2026-017" in claims["hipaa.exports"]["statement"]
    determination = claims["hipaa.expert_determination"]
    assert determination["status"] == "ATTESTED" and determination["attestation"]["expires_at"].startswith("2099-12-31")
    assert {"Recipients", "Conditions of use", "Expiry of the determination"} <= set(form["form"])
    # The narrative names each attestation once, by what it attests
    [line] = [p for p in doc["narrative"] if p.startswith("Attested by people")]
    assert len(re.findall("Dr. Ada Expert", line)) == 1 and "Expert Determination" in line
    # and the sidebar shows HIPAA attested through the Expert Determination route
    hipaa = next(f for f in framework_badges(run["model"].run.id)["frameworks"] if f["framework"] == "hipaa")
    assert hipaa["state"] == "attested"


def test_ages_over_89_kept_against_the_advice_remain_in_the_checklist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Setup: a table with ages over 89; the advice (5-year bands, 90+) is overridden
    monkeypatch.setenv("SYNTHSTUDIO_HOME", str(tmp_path))
    close_ledgers()
    table = healthcare_table(n=120, seed=4)[["age", "sex", "diagnosis", "charges"]].copy()
    table.loc[table.index[:5], "age"] = [91, 94, 97, 90, 99]
    scan = ss.scan_pii(table)
    kept = scan.apply(table, actions={"age": "synthesize"})
    banded = scan.apply(table)

    # Run
    kept_claim = _claims(ss.compliance_report(ss.train(kept, method="gaussian-copula", seed=0), "hipaa"))
    banded_claim = _claims(ss.compliance_report(ss.train(banded, method="gaussian-copula", seed=0), "hipaa"))

    # Assert
    c = kept_claim["hipaa.safe_harbor.C"]
    assert c["value"]["remaining_in_training_input"] == ["age"] and c["outcome"] == "present in the training input"
    assert "ages over 89 found by the scan and kept" in c["statement"]
    b = banded_claim["hipaa.safe_harbor.C"]
    assert (
        b["value"]["remaining_in_training_input"] == [] and "5 age(s) over 89 put in the 90+ category" in b["statement"]
    )
    close_ledgers()

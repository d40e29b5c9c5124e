"""Compliance reports from real runs: scan -> apply -> DP training -> evaluation -> reports.

Every record is made by its real producer (scan_pii, apply, train, evaluate, the ledger); no
hand-built dicts. One small DP run is shared by the module.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.compliance import framework_badges, set_by
from synthstudio_kernel.compliance.example_data import HEALTHCARE_PUBLIC, healthcare_table
from synthstudio_kernel.compliance.facts import canonical_json
from synthstudio_kernel.errors import ConfigError
from synthstudio_kernel.evaluation.sampling import SampleLimits
from synthstudio_kernel.privacy.ledger import close_ledgers, get_ledger, runlog

BANNED = re.compile(r"\bcompliant\b|\banonymous\b|de-?identified", re.IGNORECASE)
SMALL = {"compress_dims": (32,), "decompress_dims": (32,), "embedding_dim": 8, "batch_size": 100}
LIMITS = SampleLimits(anonymeter_attacks=40, anonymeter_rows=400, mia_rows=100)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("compliance-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYNTHSTUDIO_HOME", str(path))
        mp.delenv("SYNTHSTUDIO_DB_URL", raising=False)
        yield path
    close_ledgers()


@pytest.fixture(scope="module")
def run(home: Path) -> dict[str, Any]:
    """The whole flow once, each record from its real producer."""
    import torch

    torch.set_num_threads(1)
    raw = healthcare_table(n=420, seed=3)
    scan = ss.scan_pii(raw)
    cleaned = scan.apply(raw)
    train, holdout = cleaned.iloc[:340].copy(), cleaned.iloc[340:].copy()
    ss.register_dataset(train, "clinic", total_epsilon=8.0)
    model = ss.train(train, method="dp-tvae", epsilon=3.0, dataset="clinic", epochs=2, **SMALL, **HEALTHCARE_PUBLIC)
    synthetic = model.sample(200, seed=0)
    scorecard = ss.evaluate(train, synthetic, holdout=holdout, limits=LIMITS)
    return {"raw": raw, "scan": scan, "model": model, "synthetic": synthetic, "scorecard": scorecard}


@pytest.fixture(scope="module")
def hipaa(run: dict[str, Any]) -> Any:
    return ss.compliance_report(
        run["model"], "hipaa", scorecard=run["scorecard"], real=run["raw"], synthetic=run["synthetic"]
    )


def _claims(report: Any) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in report.to_dict()["claims"]}


def _rendered(report: Any) -> list[str]:
    return [report.to_html(), report.to_markdown(), report.to_json()]


def test_following_the_advice_trains_and_the_run_carries_the_records(run: dict[str, Any]) -> None:
    # Assert: train was not refused, and the apply record travelled into the ledger run
    ledger_run = get_ledger().get_run(run["model"].run.id)
    assert ledger_run.status == "succeeded" and ledger_run.private
    assert set(ledger_run.facts["pii"]["dropped"]) == {"name", "ssn", "phone"}
    assert ledger_run.facts["pii"]["pseudonymized"] == ["patient_id"]


def test_hipaa_safe_harbor_checklist_from_the_scan_and_the_transforms(hipaa: Any, run: dict[str, Any]) -> None:
    # Setup
    doc = hipaa.to_dict()
    [checklist] = [b for b in doc["sections"][0]["blocks"] if b["title"].startswith("Safe Harbor checklist")]
    rows = {row[0]: row for row in checklist["table"]["rows"]}

    # Assert
    assert list(rows) == [f"({letter})" for letter in "ABCDEFGHIJKLMNOPQR"]
    assert rows["(A)"][2] == "name" and "removed" in rows["(A)"][3]
    assert rows["(G)"][2] == "ssn" and "removed" in rows["(G)"][3]
    assert "dob" in rows["(C)"][2] and "year" in rows["(C)"][3]
    assert rows["(B)"][2] == "zip" and "3 digits" in rows["(B)"][3] and "20,000" in rows["(B)"][3]
    assert rows["(R)"][2] == "patient_id" and "surrogate" in rows["(R)"][3]
    assert rows["(E)"][3] == "none found by the scan"
    claims = _claims(hipaa)
    assert claims["hipaa.safe_harbor.A"]["status"] == "MEASURED"
    assert claims["hipaa.safe_harbor.A"]["data_hash"] == doc["subject"]["input_hash"]


def test_hipaa_values_come_from_the_real_records(hipaa: Any, run: dict[str, Any]) -> None:
    # Setup
    claims = _claims(hipaa)
    privacy = run["model"].privacy_report().to_dict()
    anonymeter = run["scorecard"].to_dict()["privacy"]["details"]["anonymeter"]

    # Assert
    assert claims["dp.epsilon"]["value"] == pytest.approx(privacy["epsilon"])
    assert claims["dp.delta"]["value"] == pytest.approx(privacy["delta"])
    assert claims["dp.accountant"]["value"]["accountant"] == privacy["accountant"]
    assert claims["eval.singling_out"]["value"]["risk"] == pytest.approx(anonymeter["singling_out"]["risk"])
    assert claims["eval.singling_out"]["value"]["ci"] == pytest.approx(anonymeter["singling_out"]["ci"])
    assert claims["eval.singling_out"]["threshold"]["source"].startswith("re-identification risk 0.09")
    assert claims["hipaa.threshold"]["status"] == "CONFIGURED"
    replay = claims["hipaa.replay"]
    assert replay["status"] == "MEASURED" and replay["audience"] == "internal"
    assert replay["value"]["cells_matching"] == 0 and replay["value"]["identifier_values"] > 300
    assert replay["value"]["synthetic_direct"] == []
    assert claims["hipaa.expert_determination"]["status"] == "NOT ASSESSED"
    assert hipaa.audience == "internal" and "internal: contains owner-only facts" in hipaa.to_html()


def test_gdpr_risks_with_intervals_baseline_warning_dpia_and_art25(run: dict[str, Any]) -> None:
    # Run
    report = ss.compliance_report(run["model"], "gdpr", scorecard=run["scorecard"])
    claims = _claims(report)
    anonymeter = run["scorecard"].to_dict()["privacy"]["details"]["anonymeter"]

    # Assert
    for cid, key in (("eval.singling_out", "singling_out"), ("eval.linkability", "linkability")):
        assert claims[cid]["status"] == "MEASURED" and len(claims[cid]["value"]["ci"]) == 2
        warned = "did no better than its baseline" in claims[cid]["statement"]
        assert warned == (anonymeter[key]["better_than_baseline"] is False)
    assert claims["eval.membership"]["status"] == "MEASURED"
    assert claims["eval.dcr"]["value"]["ratio_median"] == pytest.approx(
        run["scorecard"].to_dict()["privacy"]["details"]["dcr"]["ratio_median"]
    )
    assert claims["gdpr.necessity"]["status"] == "NOT ASSESSED"
    assert claims["gdpr.dp_by_default"]["value"] is True
    assert claims["gdpr.scan_before_training"]["status"] == "MEASURED"
    dpia = next(b for b in report.to_dict()["sections"][0]["blocks"] if b["title"].startswith("DPIA"))
    assert {"gdpr.processing", "gdpr.necessity", "pii.treatment"} <= set(dpia["claims"])


def test_ccpa_drafts_need_attestation_and_exports_are_logged(run: dict[str, Any], tmp_path: Path) -> None:
    # Setup
    model = run["model"]
    before = _claims(ss.compliance_report(model, "ccpa"))
    shared = tmp_path / "synthetic.csv"
    run["synthetic"].to_csv(shared, index=False)

    # Run
    ss.attest(
        model.run,
        framework="ccpa",
        claim="public_commitment",
        who="Pat Privacy",
        role="Chief Privacy Officer",
        statement="Commitment published on the privacy page.",
        expires=(datetime.now(UTC) + timedelta(days=90)).date(),
    )
    ss.log_export(model, recipient="Research Partner Inc.", contract="DUA-2026-017", files=[shared])
    after = _claims(ss.compliance_report(model, "ccpa"))

    # Assert
    assert before["ccpa.public_commitment"]["status"] == "NOT ASSESSED"
    assert before["ccpa.exports"]["status"] == "NOT ASSESSED"
    assert after["ccpa.public_commitment"]["status"] == "ATTESTED"
    assert after["ccpa.public_commitment"]["attestation"]["who"] == "Pat Privacy"
    assert after["ccpa.contract_clause"]["status"] == "NOT ASSESSED"
    [export] = after["ccpa.exports"]["value"]
    assert export["details"] == {"recipient": "Research Partner Inc.", "contract": "DUA-2026-017"}
    assert export["outputs"]["files"]["synthetic.csv"] == hashlib.sha256(shared.read_bytes()).hexdigest()


def test_soc2_evidence_map_and_run_log(run: dict[str, Any]) -> None:
    # Run
    report = ss.compliance_report(run["model"], "soc2")
    doc = report.to_dict()
    claims = _claims(report)

    # Assert
    table = doc["sections"][0]["blocks"][0]["table"]
    criteria = [row[0] for row in table["rows"]]
    assert {"CC7.2", "CC8.1", "C1.1"} <= set(criteria)
    assert dict(zip(criteria, (row[3] for row in table["rows"]), strict=True))["CC6.1"] == "NOT ASSESSED"
    assert claims["runlog"]["status"] == "MEASURED" and claims["runlog"]["value"]["ok"] is True
    assert "auditor" in doc["sections"][0]["intro"]


def test_no_report_claims_a_legal_status_on_its_own(run: dict[str, Any]) -> None:
    # Run
    reports = [
        ss.compliance_report(run["model"], f, scorecard=run["scorecard"])
        for f in ("hipaa", "gdpr", "ccpa", "soc2", "all")
    ]
    reports.append(ss.model_card(run["model"], scorecard=run["scorecard"]))

    # Assert
    for report in reports:
        for text in _rendered(report):
            assert not BANNED.search(text), BANNED.search(text)


def test_not_assessed_where_nothing_was_recorded(home: Path) -> None:
    # Setup: a non-DP run on a table never scanned, never evaluated
    frame = healthcare_table(n=120, seed=9)[["age", "sex", "diagnosis", "charges"]]
    model = ss.train(frame, method="gaussian-copula")

    # Run
    claims = _claims(ss.compliance_report(model, "all"))

    # Assert
    assert claims["dp.guarantee"]["value"] == "none"
    assert "dp.epsilon" not in claims
    assert claims["pii.treatment"]["status"] == "NOT ASSESSED"
    assert claims["hipaa.safe_harbor.A"]["status"] == "NOT ASSESSED"
    for cid in ("eval.scores", "eval.singling_out", "eval.linkability", "eval.inference", "eval.membership"):
        assert claims[cid]["status"] == "NOT ASSESSED", cid
    assert claims["hipaa.replay"]["status"] == "NOT ASSESSED"
    badges = framework_badges(model.run.id)["frameworks"]
    assert {b["state"] for b in badges} == {"missing"}
    assert all(b["reasons"][0].startswith("No formal privacy guarantee (gaussian-copula)") for b in badges)


def test_released_reports_and_model_cards_hold_no_owner_only_facts(run: dict[str, Any]) -> None:
    # Run
    released = ss.compliance_report(run["model"], "all", scorecard=run["scorecard"], audience="released")
    card = ss.model_card(run["model"], scorecard=run["scorecard"], audience="released")
    owners_card = ss.model_card(run["model"], scorecard=run["scorecard"])

    # Assert
    for report in (released, card):
        doc = report.to_dict()
        assert doc["audience"] == "released" and all(c["audience"] == "released" for c in doc["claims"])
        assert "pii.apply_counts" not in _claims(report) and "owner-only facts" not in report.to_html()
    assert "pii.apply_counts" not in _claims(owners_card)  # a card never holds the apply counts
    with pytest.raises(ConfigError, match="internal report"):
        ss.compliance_report(run["model"], "hipaa", audience="released", real=run["raw"], synthetic=run["synthetic"])
    with pytest.raises(ConfigError, match="'released'"):
        ss.model_card(run["model"], audience="public")


EVALUATION = ("eval.scores", "eval.singling_out", "eval.linkability", "eval.inference", "eval.membership", "eval.dcr")


def test_the_scorecard_is_marked_as_internal_evaluation_results(run: dict[str, Any], hipaa: Any) -> None:
    # Run
    card = ss.model_card(run["model"], scorecard=run["scorecard"])

    # Assert: the figures are there for the owner and the expert, each marked, with the boundary stated
    for report in (hipaa, card):
        doc, claims = report.to_dict(), _claims(report)
        assert doc["internal_evaluation"]["withheld"] is False
        assert doc["internal_evaluation"]["note"].startswith(
            "Internal evaluation results: computed on the private rows outside the DP guarantee"
        )
        for cid in EVALUATION:
            if cid in claims:
                assert claims[cid]["audience"] == "internal" and claims[cid]["details"]["internal_evaluation"], cid
                assert cid in doc["internal_evaluation"]["claims"]
        page, text = report.to_html(), report.to_markdown()
        assert "Internal evaluation results" in page and "INTERNAL EVALUATION" in page
        assert "not for publication" in page and "not for publication" in text and "(INTERNAL EVALUATION)" in text
    assert "not for publication" in " ".join(hipaa.to_dict()["narrative"])
    assert _claims(card)["eval.scores"]["value"]["privacy"] == pytest.approx(run["scorecard"].scores["privacy"])


def test_released_card_and_report_omit_the_scorecard_and_say_what_was_withheld(run: dict[str, Any]) -> None:
    # Setup: the figures as the internal card prints them
    internal = _claims(ss.model_card(run["model"], scorecard=run["scorecard"]))
    shown = [internal[c]["statement"] for c in EVALUATION if internal[c]["status"] == "MEASURED"]
    assert len(shown) >= 4

    # Run
    card = ss.model_card(run["model"], scorecard=run["scorecard"], audience="released")
    report = ss.compliance_report(run["model"], "hipaa", scorecard=run["scorecard"], audience="released")

    # Assert
    for released in (card, report):
        doc, claims = released.to_dict(), _claims(released)
        assert not any(cid in claims for cid in EVALUATION)
        assert doc["internal_evaluation"]["withheld"] is True
        for text in _rendered(released):
            assert all(statement not in text for statement in shown)
        assert "Internal evaluation results withheld" in released.to_html()
        assert "withheld from this released document" in " ".join(doc["narrative"])
        assert "were not assessed" not in " ".join(doc["narrative"])
    blocks = {b["title"]: b for b in card.to_dict()["sections"][0]["blocks"]}
    assert "Singling out" in blocks["Quantitative analyses"]["withheld"]
    assert blocks["Metrics"]["withheld"] == ["Scorecard"] and blocks["Differential privacy"]["withheld"] is None
    assert "dp.epsilon" in _claims(card) and "budget" in _claims(card)


def test_model_card_sections_and_dp_fields(run: dict[str, Any]) -> None:
    # Run
    card = ss.model_card(run["model"], scorecard=run["scorecard"])
    doc = card.to_dict()
    titles = [b["title"] for b in doc["sections"][0]["blocks"]]

    # Assert
    for title in ("Model details", "Intended use", "Factors", "Metrics", "Evaluation data", "Training data",
                  "Quantitative analyses", "Ethical considerations", "Caveats and recommendations"):  # fmt: skip
        assert title in titles
    claims = _claims(card)
    assert claims["dp.unit"]["status"] == "CONFIGURED" and claims["dp.mechanisms"]["value"]
    assert claims["budget"]["value"]["total"] == 8.0
    assert claims["eval.scores"]["value"]["privacy"] == pytest.approx(run["scorecard"].scores["privacy"])


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?(?:e-?\d+)?", text))


def test_every_number_in_the_narrative_is_in_the_facts(hipaa: Any, run: dict[str, Any]) -> None:
    # Setup
    doc = hipaa.to_dict()
    facts = canonical_json({k: v for k, v in doc.items() if k != "narrative"})

    # Run
    numbers = _numbers(" ".join(doc["narrative"]))

    # Assert
    assert numbers, doc["narrative"]
    missing = {n for n in numbers if n not in facts}
    assert missing == set(), (missing, doc["narrative"])


def test_html_is_a_self_contained_page_and_escapes_attested_text(run: dict[str, Any]) -> None:
    # Setup
    ss.attest(
        run["model"],
        framework="gdpr",
        claim="purpose",
        who="<script>alert(1)</script>",
        role="Controller",
        statement="Purpose: research & <b>testing</b>.",
        expires="2099-12-31",
    )

    # Run
    report = ss.compliance_report(run["model"], "gdpr")
    page = report.to_html()

    # Assert
    assert page.startswith("<!doctype html>") and '<meta charset="utf-8">' in page and "<title>" in page
    assert "<style>" in page and "clinic" in page and "dp-tvae" in page and "ε = " in page
    assert report.to_dict()["generated_at"][:10] in page and ss.__version__ in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;b&gt;testing" in page
    assert _claims(report)["gdpr.purpose"]["status"] == "ATTESTED"


def test_the_facts_document_is_hashed_and_saved(run: dict[str, Any], tmp_path: Path) -> None:
    # Setup
    report = ss.compliance_report(run["model"], "soc2")
    doc = report.to_dict()
    body = {k: v for k, v in doc.items() if k != "sha256"}

    # Run
    paths = report.save(tmp_path)
    saved = json.loads(paths["json"].read_text())
    [entry] = [e for e in runlog.entries(get_ledger(), run_id=run["model"].run.id, kind="report")][-1:]

    # Assert
    assert doc["sha256"] == hashlib.sha256(canonical_json(body).encode()).hexdigest()
    assert saved["sha256"] == doc["sha256"] and paths["html"].exists() and paths["md"].exists()
    assert entry.outputs["facts_sha256"] == doc["sha256"]
    assert entry.outputs["files"]["html"] == hashlib.sha256(paths["html"].read_bytes()).hexdigest()
    assert ss.verify_run_log().ok


def test_a_threshold_set_by_a_person_is_named(run: dict[str, Any]) -> None:
    # Run
    mine = set_by("reidentification_risk", 0.05, who="Dr. Ada Expert", on="2026-11-30", why="public release")
    claims = _claims(ss.compliance_report(run["model"], "hipaa", thresholds={"reidentification_risk": mine}))

    # Assert
    assert claims["hipaa.threshold"]["value"]["source"].startswith("set by Dr. Ada Expert on 2026-11-30")
    assert claims["eval.singling_out"]["threshold"]["value"] == 0.05


def test_sidebar_badges_payload(run: dict[str, Any], hipaa: Any) -> None:
    # Setup: the HIPAA report above kept the scorecard's privacy evidence in the ledger
    from synthstudio_kernel.schema import validate

    # Run
    payload = framework_badges(run["model"].run.id)

    # Assert
    validate(payload, "FrameworkBadges")
    states = {f["framework"]: f for f in payload["frameworks"]}
    assert [f["label"] for f in payload["frameworks"]] == ["HIPAA", "GDPR", "CCPA", "SOC 2"]
    assert states["hipaa"]["state"] == "measured"  # evidence recorded (kept from the scorecard), no expert yet
    assert any("Expert Determination ('expert_determination')" in r for r in states["hipaa"]["reasons"])
    assert all(f["reasons"] for f in payload["frameworks"])
    json.dumps(payload)


def test_an_attestation_turns_its_badge_to_attested_and_invalidates_the_cache(
    run: dict[str, Any], hipaa: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Setup: count the real builds behind the cache
    from synthstudio_kernel.compliance import badges

    builds: list[str] = []
    real_build = badges.build_badges
    monkeypatch.setattr(badges, "build_badges", lambda run_id, **kw: builds.append(run_id) or real_build(run_id, **kw))
    run_id = run["model"].run.id
    badges.clear_cache()
    before = {f["framework"]: f for f in framework_badges(run_id)["frameworks"]}
    again = {f["framework"]: f for f in framework_badges(run_id)["frameworks"]}

    # Run
    ss.attest(
        run["model"],
        framework="hipaa",
        claim="expert_determination",
        who="Dr. Ada Expert",
        role="Statistician (Expert Determination)",
        statement="Risk very small for the named recipients.",
        expires="2099-12-31",
    )
    after = {f["framework"]: f for f in framework_badges(run_id)["frameworks"]}

    # Assert: cached while nothing changed, rebuilt once the attestation is stored
    assert builds == [run_id, run_id]
    assert again == before and before["hipaa"]["state"] == "measured"
    assert after["hipaa"]["state"] == "attested" and after["hipaa"]["attested"] == before["hipaa"]["attested"] + 1
    assert any("Dr. Ada Expert" in r and "2099-12-31" in r for r in after["hipaa"]["reasons"])
    assert after["soc2"]["state"] == before["soc2"]["state"] != "attested"


def test_a_void_guarantee_fails_every_badge(home: Path) -> None:
    # Setup: a DP run that failed after its preprocessing was charged (as the ledger records it)
    import uuid

    ledger = get_ledger()
    ss.register_dataset(healthcare_table(n=60, seed=5)[["age", "charges"]], "clinic-failed", total_epsilon=4.0)
    run_id = uuid.uuid4().hex
    ledger.reserve(run_id=run_id, dataset_id="clinic-failed", epsilon=1.0, delta=1e-5, method="dp-tvae", params={})
    ledger.settle(run_id=run_id, epsilon_spent=0.1, status="failed", accounting={"error": "out of memory"})

    # Run
    payload = framework_badges(run_id)

    # Assert
    assert [f["state"] for f in payload["frameworks"]] == ["fail"] * 4
    assert all(f["reasons"][0].startswith("Run failed") for f in payload["frameworks"])


def test_notebook_output_is_a_scoped_fragment(hipaa: Any) -> None:
    # Run
    fragment = hipaa._repr_html_()

    # Assert: no page-level tags, and every style rule is scoped to the report's own div
    assert fragment.lstrip().startswith('<div class="ssc">') and "<!doctype" not in fragment and "<body" not in fragment
    style = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    selectors = [rule.split("{")[0] for rule in style.split("}") if rule.strip()]
    assert selectors and all(all(s.strip().startswith(".ssc") for s in sel.split(",")) for sel in selectors)


def test_no_raw_hash_of_the_table_leaves_the_ledger(run: dict[str, Any], tmp_path: Path) -> None:
    # Setup
    fingerprint = get_ledger().get_dataset("clinic").fingerprint

    # Run
    texts = [*_rendered(ss.compliance_report(run["model"], "all")), *_rendered(ss.model_card(run["model"]))]
    texts.append(json.dumps([e.to_dict() for e in runlog.entries(get_ledger())]))

    # Assert
    assert all(fingerprint not in text for text in texts)
    assert ss.compliance_report(run["model"], "soc2").to_dict()["subject"]["input_hash"] == runlog.keyed_hash(
        get_ledger(), fingerprint
    )

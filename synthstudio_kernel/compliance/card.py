"""Model cards (Mitchell et al. 2019, "Model Cards for Model Reporting") with the DP fields and
the scorecard. A model card travels with the model: it is built from released facts only."""

from __future__ import annotations

from typing import Any

from .claims import Claim, not_assessed
from .facts import Context


def build(ctx: Context, claims: dict[str, Claim]) -> tuple[list[Claim], dict[str, Any]]:
    s = ctx.source
    new: list[Claim] = [
        Claim(
            "card.details",
            "Model details",
            "CONFIGURED",
            f"{s.method} synthesizer trained {s.finished_at or s.started_at}; run {s.run_id}; versions "
            + (", ".join(f"{k} {v}" for k, v in sorted(s.versions.items())) or "not recorded")
            + ".",
            value={"method": s.method, "run_id": s.run_id, "versions": s.versions, "params": s.params},
            source="run record",
        ),
        ctx.attestation_claim(
            "gdpr",
            "purpose",
            "Intended use",
            "No intended use was attested. Synthetic tables for analysis, testing and sharing under the stated "
            "privacy guarantee; not for decisions about individuals.",
        ),
        not_assessed(
            "card.factors",
            "Factors",
            "Subgroup performance (by age, sex, region ...) was not evaluated separately; DP noise affects small "
            "groups most.",
        ),
        Claim(
            "card.training_data",
            "Training data",
            "CONFIGURED",
            f"Dataset {s.dataset} (keyed input hash in the header); identifiers treated as recorded under PII.",
            value={"dataset": s.dataset},
            source="ledger",
        ),
    ]
    section = {
        "framework": "model-card",
        "title": "Model card",
        "intro": "Sections after Mitchell et al. (2019), with the differential-privacy fields and the scorecard.",
        "blocks": [
            {"title": "Model details", "claims": ["card.details", "run.method"]},
            {"title": "Intended use", "claims": ["gdpr.purpose"]},
            {"title": "Factors", "claims": ["card.factors"]},
            {
                "title": "Metrics",
                "text": "Fidelity (SDMetrics quality), utility (train-synthetic-test-real), privacy (attacks and distances), each in [0, 1], 1 best.",
                "claims": ["eval.scores"],
            },
            {
                "title": "Evaluation data",
                "claims": ["eval.scores"],
                "text": "A holdout of real rows the model never saw is the yardstick for utility and every privacy attack.",
            },
            {"title": "Training data", "claims": ["card.training_data", "pii.scan", "pii.treatment"]},
            {
                "title": "Quantitative analyses",
                "claims": [
                    "eval.singling_out",
                    "eval.linkability",
                    "eval.inference",
                    "eval.membership",
                    "eval.dcr",
                    "eval.exact_copies",
                ],
            },
            {
                "title": "Differential privacy",
                "claims": [
                    "dp.guarantee",
                    "dp.epsilon",
                    "dp.delta",
                    "dp.accountant",
                    "dp.mechanisms",
                    "dp.unit",
                    "budget",
                ],
            },
            {
                "title": "Ethical considerations",
                "text": "Synthetic rows are not real people, but models can memorise rare records; the privacy guarantee and the measured risks above bound this. Do not use the data to make decisions about individuals.",
            },
            {
                "title": "Caveats and recommendations",
                "claims": [c for c in ("safety.identifiers", "runlog") if c in claims],
            },
        ],
    }
    return new, section

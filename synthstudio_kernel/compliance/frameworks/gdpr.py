"""GDPR: singling out, linkability and inference (WP29 Opinion 05/2014; Anonymeter's three
evaluators), membership inference and DCR, a DPIA annex per Art. 35(7), and Art. 25 evidence."""

from __future__ import annotations

from typing import Any

from ..claims import Claim, not_assessed
from ..facts import Context


def build(ctx: Context, claims: dict[str, Claim]) -> tuple[list[Claim], dict[str, Any]]:
    s = ctx.source
    new: list[Claim] = []
    new.append(
        Claim(
            "gdpr.dp_by_default",
            "Art. 25: differential privacy on",
            "CONFIGURED",
            f"Trained with {s.method}, a differentially private method (ε {claims['dp.epsilon'].display})."
            if s.private and "dp.epsilon" in claims
            else f"Trained with {s.method}, which has no formal privacy guarantee.",
            value=s.private,
            source="ledger run",
        )
    )
    scan = claims.get("pii.scan")
    check = claims.get("safety.identifiers")
    if scan is not None and scan.status == "MEASURED" and check is not None and check.status == "MEASURED":
        new.append(
            ctx.measured(
                "gdpr.scan_before_training",
                "Art. 25: PII scan before training",
                "The training table carried a PII treatment record, and the identifier check ran before training "
                f"({check.value}).",
                value={"pii_record": True, "identifier_check": check.value},
                source="run facts (pii, safety)",
            )
        )
    else:
        new.append(
            not_assessed(
                "gdpr.scan_before_training",
                "Art. 25: PII scan before training",
                "No PII treatment record or identifier check was recorded for the run.",
            )
        )
    new.append(
        Claim(
            "gdpr.processing",
            "Art. 35(7)(a) Systematic description of the processing",
            "CONFIGURED",
            f"Synthetic data generation from dataset {s.dataset!s} with {s.method}"
            + (
                f" under (ε {claims['dp.epsilon'].display}, δ {claims['dp.delta'].display})-differential privacy"
                if s.private and "dp.epsilon" in claims
                else ""
            )
            + f"; trained {s.finished_at or s.started_at}.",
            value={"dataset": s.dataset, "method": s.method, "private": s.private},
            source="ledger run",
        )
    )
    new.append(
        ctx.attestation_claim(
            "gdpr",
            "purpose",
            "Art. 35(7)(a) Purposes and legitimate interest",
            "The controller has not attested the purposes of the processing.",
        )
    )
    new.append(
        ctx.attestation_claim(
            "gdpr",
            "necessity",
            "Art. 35(7)(b) Necessity and proportionality",
            "The controller has not attested necessity and proportionality.",
        )
    )
    new.append(
        ctx.attestation_claim(
            "gdpr",
            "dpo_review",
            "DPO review of the residual risk",
            "No data protection officer has attested a review of the measured risks.",
        )
    )
    section = {
        "framework": "gdpr",
        "title": "GDPR — identifiability of the synthetic data",
        "intro": (
            "Whether data still relates to an identifiable person is judged on three risks (Article 29 Working Party, "
            "Opinion 05/2014): singling out, linkability and inference. Anonymeter measures each as the attack's excess "
            "success over a control set, with a 95% confidence interval; an attack no better than its baseline is "
            "flagged. The controller and the DPO judge the result; the tool does not."
        ),
        "blocks": [
            {
                "title": "Singling out, linkability, inference (Anonymeter)",
                "claims": ["eval.singling_out", "eval.linkability", "eval.inference"],
            },
            {
                "title": "Membership inference and distances",
                "claims": ["eval.membership", "eval.dcr", "eval.exact_copies"],
            },
            {
                "title": "DPIA annex (Art. 35(7))",
                "claims": [
                    "gdpr.processing",
                    "gdpr.purpose",
                    "gdpr.necessity",
                    "eval.singling_out",
                    "eval.linkability",
                    "eval.inference",
                    "dp.epsilon",
                    "dp.unit",
                    "pii.treatment",
                    "safety.identifiers",
                    "gdpr.dpo_review",
                ],
                "text": "(c) risks to the rights and freedoms of data subjects: the measured attack risks; "
                "(d) measures: differential privacy, PII treatment and the checks before training.",
            },
            {
                "title": "Art. 25: data protection by design and by default",
                "claims": ["gdpr.dp_by_default", "gdpr.scan_before_training"],
            },
        ],
    }
    return new, section

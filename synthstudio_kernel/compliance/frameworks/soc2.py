"""SOC 2: an evidence map from Trust Services Criteria to what the tool records.

SOC 2 is an auditor's opinion on an organisation's controls, never a property of a tool: the map
says which records an auditor can sample, backed by the hash-chained run log and its verifier.
"""

from __future__ import annotations

from typing import Any

from ..claims import Claim
from ..facts import Context

#: The one claim a person makes here: an auditor reviewed this run's evidence (it is not the opinion).
AUDITOR_REVIEW = (
    "auditor_review",
    "Auditor's review of this run's evidence",
    "No auditor has attested a review of this run's evidence (ss.attest(run, framework='soc2', "
    "claim='auditor_review', ...)). The SOC 2 opinion itself covers the organisation, not this tool.",
)

#: criterion -> (what it asks, what the tool records, claim ids that hold the record)
EVIDENCE_MAP: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "CC2.1",
        "Relevant, quality information supports internal control",
        "versioned, hashed facts documents per run",
        ("runlog",),
    ),
    (
        "CC3.2",
        "Risks are identified and analysed",
        "measured privacy risks with confidence intervals and thresholds",
        ("eval.singling_out", "eval.membership"),
    ),
    ("CC4.1", "Controls are evaluated", "pre-training safety checks and their outcome", ("safety.identifiers",)),
    ("CC6.1", "Logical access to information assets", "not recorded by the tool (organisation's access controls)", ()),
    ("CC7.2", "System operations are monitored", "append-only, hash-chained run log with a verifier", ("runlog",)),
    (
        "CC8.1",
        "Changes are authorised and tracked",
        "library versions and configuration in every run-log entry",
        ("runlog", "run.method"),
    ),
    (
        "C1.1",
        "Confidential information is identified and protected",
        "PII scan and the transforms applied before training",
        ("pii.scan", "pii.treatment"),
    ),
    (
        "PI1.4",
        "Outputs are complete and accurate",
        "output hashes and ε spent per run, the budget ledger",
        ("dp.epsilon", "budget"),
    ),
    (
        "P4.3",
        "Personal information is disposed of / minimised",
        "columns dropped or generalized before training",
        ("pii.treatment",),
    ),
)


def build(ctx: Context, claims: dict[str, Claim]) -> tuple[list[Claim], dict[str, Any]]:
    review = ctx.attestation_claim("soc2", *AUDITOR_REVIEW)
    rows = []
    for criterion, asks, records, ids in EVIDENCE_MAP:
        statuses = sorted({claims[i].status for i in ids if i in claims}) or ["NOT ASSESSED"]
        rows.append([criterion, asks, records, ", ".join(statuses)])
    section = {
        "framework": "soc2",
        "title": "SOC 2 — evidence map",
        "evidence_claims": sorted({i for *_, ids in EVIDENCE_MAP for i in ids}),
        "intro": (
            "SOC 2 is an independent auditor's opinion on an organisation's controls. No tool holds it. This map "
            "lists which Trust Services Criteria the tool's records can serve as evidence for; the auditor decides."
        ),
        "blocks": [
            {
                "title": "Criterion → what the tool records",
                "table": {"columns": ["Criterion", "Asks", "Tool records", "Status"], "rows": rows},
            },
            {
                "title": "Run log",
                "claims": ["runlog"],
                "text": "Verify it any time: python -m synthstudio_kernel.compliance.verify",
            },
            {"title": "Auditor's review", "claims": ["soc2.auditor_review"]},
        ],
    }
    return [review], section

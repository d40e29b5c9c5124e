"""CCPA / CPRA, Cal. Civ. Code §1798.140(m): obligation (1) from measurements; drafts of the
public commitment (2) and the contract clause (3), each needing attestation; the export log."""

from __future__ import annotations

from typing import Any

from ..claims import Claim, not_assessed
from ..facts import Context

PUBLIC_COMMITMENT = (
    "DRAFT — {business} maintains and uses the synthetic dataset '{dataset}' only in a form that cannot reasonably "
    "be used to infer information about, or otherwise be linked to, a particular consumer or household, and will "
    "not attempt to reidentify it, except to test that its measures work."
)
CONTRACT_CLAUSE = (
    "DRAFT — Recipient shall not attempt to reidentify, or link to any consumer or household, the synthetic data "
    "received from {business} (run {run}); shall not disclose it to third parties unless they accept these same "
    "terms; and shall notify {business} of any reidentification without delay."
)


def build(ctx: Context, claims: dict[str, Claim]) -> tuple[list[Claim], dict[str, Any]]:
    s = ctx.source
    measures = [
        claims[k] for k in ("dp.epsilon", "pii.treatment", "eval.singling_out", "eval.membership") if k in claims
    ]
    measured = [c for c in measures if c.status in ("MEASURED", "CONFIGURED")]
    new: list[Claim] = []
    if measured:
        new.append(
            ctx.measured(
                "ccpa.measures",
                "(m)(1) Reasonable measures",
                "Technical measures recorded for this run: "
                + "; ".join(f"{c.label} ({c.status})" for c in measured)
                + ".",
                value=[c.id for c in measured],
                source="claims of this report",
            )
        )
    else:
        new.append(not_assessed("ccpa.measures", "(m)(1) Reasonable measures", "No technical measure was recorded."))
    new.append(
        ctx.attestation_claim(
            "ccpa",
            "public_commitment",
            "(m)(2) Public commitment",
            "Not published or not attested: adapt the draft below, publish it, then record it with "
            "ss.attest(run, framework='ccpa', claim='public_commitment', ...).",
        )
    )
    new.append(
        ctx.attestation_claim(
            "ccpa",
            "contract_clause",
            "(m)(3) Contractual obligations of recipients",
            "Not attested: put the draft clause in every recipient's contract, then attest it "
            "(claim='contract_clause').",
        )
    )
    exports = ctx.exports
    rows = [
        [
            e["logged_at"],
            e["user"],
            str(e["details"].get("recipient")),
            str(e["details"].get("contract")),
            str(len(e["outputs"].get("files") or {})),
        ]
        for e in exports
    ]
    new.append(
        Claim(
            "ccpa.exports",
            "Export log",
            "MEASURED",
            f"{len(exports)} export(s) of this run's outputs are logged with recipient and contract reference.",
            value=[{k: e[k] for k in ("seq", "logged_at", "user", "details", "outputs")} for e in exports],
            tool_version="synthstudio_kernel run log",
            data_hash=ctx.run_log.get("verification", {}).get("head") or "none",
            source="ledger run_log (kind export)",
        )
        if exports
        else not_assessed(
            "ccpa.exports",
            "Export log",
            "No export of this run was logged: use ss.log_export(run, recipient=..., contract=..., files=[...]).",
        )
    )
    section = {
        "framework": "ccpa",
        "title": "CCPA — Cal. Civ. Code §1798.140(m)",
        "intro": (
            "The statute asks for three things together: (1) reasonable measures so the information cannot be "
            "associated with a consumer or household, (2) a public commitment to keep it that way and not to "
            "reidentify it, and (3) contracts binding every recipient to the same. The tool can only measure (1)."
        ),
        "blocks": [
            {"title": "(1) Reasonable measures", "claims": ["ccpa.measures", *[c.id for c in measures]]},
            {
                "title": "(2) Public commitment",
                "claims": ["ccpa.public_commitment"],
                "draft": PUBLIC_COMMITMENT.format(business="[Business name]", dataset=s.dataset),
            },
            {
                "title": "(3) Contract clause",
                "claims": ["ccpa.contract_clause"],
                "draft": CONTRACT_CLAUSE.format(business="[Business name]", run=s.run_id[:12]),
            },
            {
                "title": "Export log",
                "claims": ["ccpa.exports"],
                "table": {"columns": ["Time", "User", "Recipient", "Contract", "Files"], "rows": rows}
                if rows
                else None,
            },
        ],
    }
    return new, section

"""The sidebar's compliance badges: per framework, whether its evidence is measured, attested
or missing, with the reasons (for the hover text). Built from the same facts as the reports,
released facts only (the sidebar may be shown to anyone at the screen).

``framework_badges(run_id)`` returns a JSON-safe payload that the server route can return as is.
"""

from __future__ import annotations

from typing import Any

#: Claims that must be attested by a person for each framework, beside what the tool measures.
ATTESTATIONS = {
    "hipaa": ("hipaa.expert_determination", "hipaa.actual_knowledge", "hipaa.recipients"),
    "gdpr": ("gdpr.purpose", "gdpr.necessity", "gdpr.dpo_review"),
    "ccpa": ("ccpa.public_commitment", "ccpa.contract_clause"),
    "soc2": (),
}


#: Claims whose absence is no gap in the evidence (an owner-only replay scan; no export yet).
OPTIONAL = frozenset({"hipaa.replay", "ccpa.exports"})


def framework_badges(run_id: str, *, ledger: Any = None) -> dict[str, Any]:
    """``{"run_id", "frameworks": [{framework, state, measured, attested, missing, reasons}]}``.

    ``state``: ``"attested"`` when every human claim is attested, ``"measured"`` when the tool's
    measurements are there but attestations are missing, ``"missing"`` when measurements are.
    """
    from .api import compliance_report

    report = compliance_report(run_id, "all", audience="released", ledger=ledger)
    doc = report.to_dict()
    claims = {c["id"]: c for c in doc["claims"]}
    out = []
    for section in doc["sections"]:
        name = section["framework"]
        ids = {cid for block in section["blocks"] for cid in block.get("claims") or []} & set(claims)
        human = set(ATTESTATIONS.get(name, ()))
        tool = ids - human
        measured = sorted(i for i in tool if claims[i]["status"] in ("MEASURED", "CONFIGURED"))
        missing = sorted(i for i in ids if claims[i]["status"] == "NOT ASSESSED")
        attested = sorted(i for i in ids if claims[i]["status"] == "ATTESTED")
        if any(claims[i]["status"] == "NOT ASSESSED" for i in tool - OPTIONAL):
            state = "missing"
        elif human and human <= set(attested):
            state = "attested"
        else:
            state = "measured"
        reasons = [f"{claims[i]['label']}: {claims[i]['statement']}" for i in missing][:6]
        if not reasons:
            reasons = [f"{len(measured)} measured or configured, {len(attested)} attested."]
        out.append(
            {
                "framework": name,
                "state": state,
                "measured": len(measured),
                "attested": len(attested),
                "missing": len(missing),
                "reasons": reasons,
            }
        )
    return {"run_id": run_id, "facts_sha256": doc["sha256"], "frameworks": out}

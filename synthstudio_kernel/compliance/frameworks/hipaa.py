"""HIPAA (45 CFR 164.514): the Safe Harbor checklist (A)-(R) per column, a replay scan of the
synthetic output, and an Expert Determination packet with the fields the expert fills in."""

from __future__ import annotations

from typing import Any

from ...pii.hipaa import RESTRICTED_ZIP3, SAFE_HARBOR
from ..claims import Claim, not_assessed
from ..facts import Context

LETTERS = "ABCDEFGHIJKLMNOPQR"


def _treatment(column: dict[str, Any]) -> tuple[str, bool]:
    """What happened to a column, and whether the identifier is gone from the training input."""
    action = column.get("action")
    entity = column.get("entity")
    detail = column.get("detail") or {}
    if entity == "FREE_TEXT" and action != "drop":
        return "free text kept: not certifiable by the tool (review every value by hand)", False
    if action == "drop":
        return "removed (column dropped)", True
    if action == "pseudonymize":
        kind = detail.get("surrogate") or "random secret, not kept"
        return f"replaced by a surrogate key ({kind}); 164.514(c) applies to re-identification codes", True
    if entity == "AGE" and action != "generalize" and column.get("recommended") != "generalize":
        return (
            f"no age over 89 found by the scan; {'kept as is' if action == 'keep' else 'released only as DP-synthetic values'}",
            True,
        )
    if action == "generalize":
        method = str(detail.get("method") or "generalized")
        if "ZIP" in method:
            return (
                f"{method}; the {len(RESTRICTED_ZIP3)} prefixes whose areas held 20,000 people or fewer "
                "(2000 Census) set to 000",
                True,
            )
        return method, True
    if action == "synthesize":
        return "kept in the training input; released only as DP-synthetic values", False
    return "kept as is", False


def safe_harbor(ctx: Context) -> tuple[list[Claim], list[list[str]]]:
    pii = ctx.source.pii
    claims: list[Claim] = []
    rows: list[list[str]] = []
    columns = (pii or {}).get("columns") or []
    for letter, ident in zip(LETTERS, SAFE_HARBOR, strict=True):
        cid = f"hipaa.safe_harbor.{letter}"
        label = f"({letter}) {ident.name}"
        if pii is None:
            claims.append(not_assessed(cid, label, "No PII scan and treatment was recorded for the training table."))
            rows.append([f"({letter})", ident.name, "—", "no scan recorded", "NOT ASSESSED"])
            continue
        found = [c for c in columns if c.get("hipaa_number") == ident.number]
        if not found:
            claims.append(
                ctx.measured(
                    cid, label, "No column of this kind was found by the PII scan.", value=[], source="apply record"
                )
            )
            rows.append([f"({letter})", ident.name, "—", "none found by the scan", "MEASURED"])
            continue
        treated = [(c["column"], *_treatment(c)) for c in found]
        remaining = [name for name, _, gone in treated if not gone]
        statement = "; ".join(f"{name}: {text}" for name, text, _ in treated) + "."
        claims.append(
            ctx.measured(
                cid,
                label,
                statement,
                value={"columns": [t[0] for t in treated], "remaining_in_training_input": remaining},
                outcome="present in the training input" if remaining else "removed or transformed before training",
                source="apply record",
            )
        )
        rows.append(
            [f"({letter})", ident.name, ", ".join(t[0] for t in treated), "; ".join(t[1] for t in treated), "MEASURED"]
        )
    return claims, rows


def replay_claim(ctx: Context) -> Claim:
    replay = ctx.replay
    if replay is None:
        return not_assessed(
            "hipaa.replay",
            "Real identifiers in the synthetic output",
            "Not scanned: pass real=<the raw input> and synthetic=<a sample> to replay the input's identifiers.",
        )
    found = replay["cells_matching"]
    return ctx.measured(
        "hipaa.replay",
        "Real identifiers in the synthetic output",
        f"{replay['identifier_values']} distinct values from {len(replay['columns'])} direct-identifier column(s) of the "
        f"input were searched in {replay['synthetic_cells']} cells of the synthetic output: {found} cell(s) matched; "
        f"the scan of the synthetic output itself found {len(replay['synthetic_direct'])} direct-identifier column(s).",
        value=replay,
        outcome="no real identifier found" if found == 0 and not replay["synthetic_direct"] else "identifiers found",
        source="replay scan at report time",
        audience="internal",
    )


def build(ctx: Context, claims: dict[str, Claim]) -> tuple[list[Claim], dict[str, Any]]:
    new, rows = safe_harbor(ctx)
    free_text = [
        c["column"]
        for c in ((ctx.source.pii or {}).get("columns") or [])
        if c.get("entity") == "FREE_TEXT" and c.get("action") != "drop"
    ]
    new.append(
        ctx.measured(
            "hipaa.free_text",
            "Free-text columns",
            f"Free-text column(s) kept: {', '.join(free_text)}; they are not certifiable by the tool."
            if free_text
            else "No free-text column was kept in the training input.",
            value=free_text,
            source="apply record",
        )
        if ctx.source.pii
        else not_assessed("hipaa.free_text", "Free-text columns", "No PII scan was recorded.")
    )
    new.append(replay_claim(ctx))
    new.append(
        ctx.attestation_claim(
            "hipaa",
            "actual_knowledge",
            "(b)(2)(ii) No actual knowledge",
            "The covered entity has not attested that it has no actual knowledge that the remaining information "
            "could identify an individual: ss.attest(run, framework='hipaa', claim='actual_knowledge', ...).",
        )
    )
    limit = ctx.threshold("reidentification_risk")
    new.append(
        Claim(
            "hipaa.threshold",
            "Risk threshold for the Expert Determination",
            "CONFIGURED",
            f"Re-identification risk threshold {limit.value} ({limit.source}; version {limit.version}). "
            "The rule sets no number: the expert decides.",
            value=limit.to_dict(),
            source="thresholds",
        )
    )
    new.append(
        ctx.attestation_claim(
            "hipaa",
            "expert_determination",
            "Expert Determination (164.514(b)(1))",
            "No expert has attested a determination for this run; the packet below is the evidence for one.",
        )
    )
    new.append(
        ctx.attestation_claim(
            "hipaa",
            "recipients",
            "Recipients, conditions and expiry",
            "Recipients, conditions of use and expiry have not been attested.",
        )
    )
    section = {
        "framework": "hipaa",
        "title": "HIPAA — 45 CFR 164.514",
        "intro": (
            "Two routes exist. Safe Harbor (164.514(b)(2)) removes the 18 identifiers (A)–(R) and requires no actual "
            "knowledge of re-identification; Expert Determination (164.514(b)(1)) needs a qualified expert to find the "
            "risk very small. This packet lists what the tool measured and configured; it does not decide either route."
        ),
        "blocks": [
            {
                "title": "Safe Harbor checklist (A)–(R), per column",
                "table": {"columns": ["Item", "Identifier", "Columns", "Treatment", "Status"], "rows": rows},
            },
            {
                "title": "Safe Harbor: remaining checks",
                "claims": ["hipaa.free_text", "hipaa.replay", "safety.identifiers", "hipaa.actual_knowledge"],
            },
            {
                "title": "Expert Determination packet",
                "text": "Evidence for a qualified expert: the DP parameters, measured attack risks with confidence "
                "intervals, distances and exact matches, the threshold and its source, and the attestation fields.",
                "claims": [
                    "dp.epsilon",
                    "dp.delta",
                    "dp.accountant",
                    "dp.unit",
                    "eval.singling_out",
                    "eval.linkability",
                    "eval.inference",
                    "eval.membership",
                    "eval.dcr",
                    "eval.exact_copies",
                    "hipaa.threshold",
                    "hipaa.recipients",
                    "hipaa.expert_determination",
                ],
            },
            {
                "title": "Attestation fields (filled in by the expert)",
                "form": [
                    "Expert name",
                    "Qualifications (education, experience in statistical disclosure control)",
                    "Methods and data considered",
                    "Determination (risk very small for the anticipated recipients, and why)",
                    "Recipients",
                    "Conditions of use",
                    "Expiry of the determination",
                    "Date and signature",
                ],
            },
        ],
    }
    return new, section

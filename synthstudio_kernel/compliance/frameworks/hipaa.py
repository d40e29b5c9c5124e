"""HIPAA (45 CFR 164.514): the Safe Harbor checklist (A)-(R) per column, a replay scan of the
synthetic output, and an Expert Determination packet with the fields the expert fills in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ...pii.hipaa import MAX_SAFE_HARBOR_AGE, RESTRICTED_ZIP3, SAFE_HARBOR
from ..ages import age_kind
from ..claims import Claim, not_assessed
from ..facts import TOOL, Context

LETTERS = "ABCDEFGHIJKLMNOPQR"


def _age_release(column: dict[str, Any], bounds: dict[str, Any], year: int, replay: dict[str, Any] | None) -> str:
    """Whether the released (DP-synthetic) values of an age or birth-year column can state an age
    over 89, from the declared range; the replay scan's count when it ran. Empty when they cannot."""
    name = column["column"]
    bound = bounds.get(name)
    counted = ((replay or {}).get("ages_over_89") or {}).get(name)
    if column.get("entity") == "AGE":
        if bound is not None and float(bound[1]) <= MAX_SAFE_HARBOR_AGE + 1:  # 90 reads "90 or older"
            return ""
        why = f"the declared range reaches {bound[1]}" if bound is not None else "its range was estimated under DP"
    else:
        if bound is not None and float(bound[0]) >= year - MAX_SAFE_HARBOR_AGE - 1:
            return ""
        why = (
            f"the declared range starts at {bound[0]}, before {year - MAX_SAFE_HARBOR_AGE - 1}, the birth year that "
            f"stands for 90 or older in {year}"
            if bound is not None
            else "its range was estimated under DP"
        )
    if counted == 0:
        return f"; the released range allows ages over 89 ({why}): the replay scan found none in the sample checked"
    found = "" if counted is None else f"; the replay scan found {counted} such synthetic value(s)"
    return (
        f"; synthetic values may state an age over 89 ({why}){found}: aggregate them into one 90+ category "
        "before release (synthstudio_kernel.compliance.top_code_ages)"
    )


def _treatment(
    column: dict[str, Any], bounds: dict[str, Any], year: int, replay: dict[str, Any] | None
) -> tuple[str, bool]:
    """What happened to a column, and whether the identifier is gone from the training input."""
    action = column.get("action")
    entity = column.get("entity")
    detail = column.get("detail") or {}
    release = _age_release(column, bounds, year, replay) if age_kind(column) else ""
    if entity == "FREE_TEXT" and action != "drop":
        return "free text kept: not certifiable by the tool (review every value by hand)", False
    if action == "drop":
        return "removed (column dropped)", True
    if action == "pseudonymize":
        kind = detail.get("surrogate") or "random secret, not kept"
        return f"replaced by a surrogate key ({kind}); 164.514(c) applies to re-identification codes", True
    if entity == "AGE" and action != "generalize" and column.get("recommended") == "generalize":
        return (
            "ages over 89 found by the scan and kept: Safe Harbor (C) wants them in one 90+ category "
            "(apply the recommended age bands)",
            False,
        )
    if entity == "AGE" and action != "generalize":
        kept = "kept as is" if action == "keep" else "released only as DP-synthetic values"
        return f"no age over 89 found by the scan; {kept}{release}", True
    if action == "generalize":
        method = str(detail.get("method") or "generalized")
        if "ZIP" in method:
            return (
                f"{method}: 164.514(b)(2)(i)(B) keeps the initial 3 digits only where all ZIP codes sharing them hold "
                f"more than 20,000 people; the {len(RESTRICTED_ZIP3)} prefixes at or under 20,000 (HHS list, 2000 "
                "Census) set to 000",
                True,
            )
        if "bands" in method:
            over = detail.get("top_coded_90_plus")
            return f"{method} ({over if over is not None else 'n/a'} age(s) over 89 put in the 90+ category)", True
        return method + release, True
    if action == "synthesize":
        return "kept in the training input; released only as DP-synthetic values", False
    return "kept as is", False


def safe_harbor(ctx: Context) -> tuple[list[Claim], list[list[str]]]:
    pii = ctx.source.pii
    claims: list[Claim] = []
    rows: list[list[str]] = []
    columns = (pii or {}).get("columns") or []
    bounds = dict(ctx.source.params.get("public_bounds") or {})
    year = int((ctx.replay or {}).get("reference_year") or datetime.now(UTC).year)
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
        treated = [(c["column"], *_treatment(c, bounds, year, ctx.replay)) for c in found]
        remaining = [name for name, _, gone in treated if not gone]
        checks = [name for name, text, _ in treated if "before release" in text]
        statement = "; ".join(f"{name}: {text}" for name, text, _ in treated) + "."
        claims.append(
            ctx.measured(
                cid,
                label,
                statement,
                value={
                    "columns": [t[0] for t in treated],
                    "remaining_in_training_input": remaining,
                    "check_before_release": checks,
                },
                outcome="present in the training input"
                if remaining
                else "synthetic output needs a check before release"
                if checks
                else "removed or transformed before training",
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
    old_ages = replay.get("ages_over_89") or {}
    over = sum(old_ages.values())
    ages = (
        f" Ages over 89 stated by the synthetic output outside the 90+ category (ages above 90, birth years before "
        f"{replay.get('reference_year', 0) - MAX_SAFE_HARBOR_AGE - 1}): {over} cell(s) in "
        f"{', '.join(old_ages)}; Safe Harbor (C) wants them in one 90+ category."
        if old_ages
        else ""
    )
    return ctx.measured(
        "hipaa.replay",
        "Real identifiers in the synthetic output",
        f"{replay['identifier_values']} distinct values from {len(replay['columns'])} direct-identifier column(s) of the "
        f"input were searched in {replay['synthetic_cells']} cells of the synthetic output: {found} cell(s) matched; "
        f"the scan of the synthetic output itself found {len(replay['synthetic_direct'])} direct-identifier column(s)."
        + ages,
        value=replay,
        outcome=("no real identifier found" if found == 0 and not replay["synthetic_direct"] else "identifiers found")
        + (f"; {over} age(s) over 89 to aggregate" if over else ""),
        source="replay scan at report time",
        audience="internal",
    )


def recipients_claim(ctx: Context) -> Claim:
    """Who actually received this run's outputs, from the run log's export entries."""
    if not ctx.exports:
        return not_assessed(
            "hipaa.exports",
            "Recipients recorded in the export log",
            "No export of this run's outputs was logged: ss.log_export(run, recipient=..., contract=...).",
        )
    shown = "; ".join(
        f"{(e.get('details') or {}).get('recipient')} under {(e.get('details') or {}).get('contract')} "
        f"({str(e.get('logged_at'))[:10]})"
        for e in ctx.exports
    )
    return Claim(
        "hipaa.exports",
        "Recipients recorded in the export log",
        "CONFIGURED",
        f"Outputs of this run were sent to: {shown}.",
        value=[e.get("details") for e in ctx.exports],
        source="run log (export entries)",
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
    new.append(recipients_claim(ctx))
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
                "text": (
                    f"Each row is a MEASURED claim (hipaa.safe_harbor.A–R) from the PII scan and the transforms "
                    f"applied: {TOOL}; data {ctx.input_hash[:16]} (keyed input hash)."
                    if ctx.source.pii
                    else None
                ),
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
                    "dp.mechanisms",
                    "dp.unit",
                    "budget",
                    "eval.singling_out",
                    "eval.linkability",
                    "eval.inference",
                    "eval.membership",
                    "eval.dcr",
                    "eval.exact_copies",
                    "hipaa.threshold",
                    "hipaa.exports",
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

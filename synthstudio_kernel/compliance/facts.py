"""The facts document: a versioned, hashed JSON of claims built only from what was recorded.

:func:`build_context` reads a run through :mod:`.sources`, the ledger's attestations and run log,
and :func:`common_claims` turns the records into claims (DP run, budget, PII scan and treatment,
safety checks, evaluation, run log). Frameworks (:mod:`.frameworks`) add their own claims and
sections over the same context. :class:`FactsDocument` is what templates render.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import __version__
from .claims import Audience, Claim, Status, fmt, not_assessed, pct
from .sources import RunSource
from .thresholds import THRESHOLDS_VERSION, Threshold, threshold

SCHEMA = "synthstudio.compliance-facts"
SCHEMA_VERSION = "1.0"
TOOL = f"synthstudio_kernel {__version__}"
INTERNAL_NOTE = "internal: contains owner-only facts"
#: The release boundary of the scorecard: it is computed on the private rows and no DP mechanism
#: accounted for it, so its figures are internal evaluation results, never published.
INTERNAL_EVALUATION_NOTE = (
    "Internal evaluation results: computed on the private rows outside the DP guarantee; "
    "for the data owner and the expert, not for publication."
)


@dataclass
class Context:
    """Everything a framework may read to build its claims."""

    source: RunSource
    input_hash: str
    attestations: list[dict[str, Any]]
    run_log: dict[str, Any]
    audience: Audience = "internal"
    thresholds: dict[str, Threshold] = field(default_factory=dict)
    replay: dict[str, Any] | None = None
    exports: list[dict[str, Any]] = field(default_factory=list)

    def threshold(self, name: str) -> Threshold:
        return threshold(name, self.thresholds)

    def measured(self, claim_id: str, label: str, statement: str, *, tools: str = "", **kw: Any) -> Claim:
        """A MEASURED claim on this run's input (tool version and keyed input hash filled in)."""
        return Claim(
            claim_id,
            label,
            "MEASURED",
            statement,
            tool_version=TOOL + (f"; {tools}" if tools else ""),
            data_hash=kw.pop("data_hash", None) or self.input_hash,
            **kw,
        )

    def attested(self, framework: str, claim: str) -> dict[str, Any] | None:
        """The newest current attestation of ``claim`` under ``framework`` (None if none)."""
        found = [
            a for a in self.attestations if a["framework"] == framework and a["claim"] == claim and not a.get("expired")
        ]
        return found[-1] if found else None

    def attestation_claim(self, framework: str, claim: str, label: str, missing: str) -> Claim:
        """A claim only a person can make: ATTESTED from the newest current attestation, else NOT
        ASSESSED with ``missing`` as the reason. ``details["attestable"]`` marks it as a person's claim."""
        record = self.attested(framework, claim)
        if record is None:
            found = not_assessed(f"{framework}.{claim}", label, missing)
            found.details["attestable"] = True
            return found
        return Claim(
            f"{framework}.{claim}",
            label,
            "ATTESTED",
            record["statement"],
            attestation={k: record[k] for k in ("who", "role", "attested_at", "expires_at", "evidence", "entry_hash")},
            details={"attestable": True},
        )


@dataclass
class FactsDocument:
    """Claims and sections of one report; ``to_dict()`` is the hashed JSON."""

    kind: str
    title: str
    subject: dict[str, Any]
    claims: list[Claim]
    sections: list[dict[str, Any]]
    audience: Audience
    frameworks: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)
    #: ``{"note", "claims": [ids], "withheld": bool}`` when the scorecard's figures were measured:
    #: listed (internal document) or withheld (released document); None otherwise.
    internal_evaluation: dict[str, Any] | None = None
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def claim(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)

    def body(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "kind": self.kind,
            "title": self.title,
            "generated_at": self.generated_at,
            "tool": {"name": "synthstudio_kernel", "version": __version__},
            "thresholds_version": THRESHOLDS_VERSION,
            "audience": self.audience,
            "audience_note": INTERNAL_NOTE if self.audience == "internal" else "released: no owner-only facts",
            "frameworks": list(self.frameworks),
            "subject": self.subject,
            "claims": [c.to_dict() for c in self.claims],
            "sections": self.sections,
            "narrative": list(self.narrative),
            "internal_evaluation": self.internal_evaluation,
        }

    @property
    def sha256(self) -> str:
        return hashlib.sha256(canonical_json(self.body()).encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "sha256": self.sha256}


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def subject(ctx: Context) -> dict[str, Any]:
    s = ctx.source
    return {
        "run_id": s.run_id,
        "dataset": s.dataset,
        "input_hash": ctx.input_hash,
        "input_hash_kind": "HMAC-SHA256 of the dataset fingerprint, keyed with a secret kept in the ledger",
        "method": s.method,
        "guarantee": "differential privacy" if s.private else "none (no formal guarantee)",
        "epsilon": s.epsilon_spent,
        "delta": s.delta,
        "status": s.status,
        "trained_at": s.finished_at or s.started_at,
        "versions": s.versions,
    }


# -- common claims ----------------------------------------------------------------------------------


def dp_claims(ctx: Context) -> list[Claim]:
    s = ctx.source
    claims = [
        Claim(
            "run.method", "Synthesizer", "CONFIGURED", f"Trained with {s.method}.", value=s.method, source="ledger run"
        )
    ]
    if not s.private:
        claims.append(
            Claim(
                "dp.guarantee",
                "Formal privacy guarantee",
                "CONFIGURED",
                f"{s.method} has no formal privacy guarantee (not differentially private).",
                value="none",
                source="ledger run",
            )
        )
        return claims
    eps = s.epsilon_spent
    claims += [
        ctx.measured(
            "dp.epsilon",
            "ε spent",
            f"The privacy accountant ({s.privacy('accountant') or 'unrecorded'}) computed ε = {fmt(eps, 4)} from the "
            f"steps that ran (target {fmt(s.epsilon_target, 4)}).",
            value=eps,
            display=fmt(eps, 4),
            source="ledger run (settled ε) and privacy report",
        ),
        Claim(
            "dp.delta",
            "δ",
            "CONFIGURED",
            f"δ = {fmt(s.delta, 3)}.",
            value=s.delta,
            display=fmt(s.delta, 3),
            source="ledger run",
        ),
        Claim(
            "dp.accountant",
            "Accountant",
            "CONFIGURED",
            f"Privacy accounting with the {s.privacy('accountant') or 'unrecorded'} accountant; "
            f"noise multiplier {fmt(s.privacy('noise_multiplier'))}, sample rate {fmt(s.privacy('sample_rate'))}, "
            f"{s.privacy('steps')} steps; preprocessing ε {fmt(s.privacy('preprocessing_epsilon'))}.",
            value={
                "accountant": s.privacy("accountant"),
                "noise_multiplier": s.privacy("noise_multiplier"),
                "sample_rate": s.privacy("sample_rate"),
                "steps": s.privacy("steps"),
                "preprocessing_epsilon": s.privacy("preprocessing_epsilon"),
                "max_grad_norm": s.privacy("max_grad_norm"),
            },
            source="privacy report / ledger accounting",
        ),
        Claim(
            "dp.mechanisms",
            "Mechanisms",
            "CONFIGURED",
            "Mechanisms composed in this run: "
            + (", ".join(f"{m.get('label')} ({m.get('steps')} steps)" for m in s.mechanisms) or "not itemised")
            + ".",
            value=s.mechanisms,
            source="ledger accounting",
        ),
    ]
    unit = s.unit_of_privacy
    claims.append(
        Claim(
            "dp.unit",
            "Unit of privacy",
            "CONFIGURED",
            unit
            or "One row of the training table (add or remove one row): DP-SGD bounds each Poisson-sampled row's "
            "gradient and preprocessing counts rows. A person with several rows is protected at a weaker level "
            "(group privacy).",
            value=unit or "row",
            source="privacy report" if unit else "synthesizer design (not recorded per run)",
        )
    )
    return claims


def budget_claims(ctx: Context) -> list[Claim]:
    b = ctx.source.budget or {}
    if not b:
        return [not_assessed("budget", "Dataset budget", "No budget was recorded for the run's dataset.")]
    return [
        Claim(
            "budget",
            "Dataset privacy budget",
            "CONFIGURED",
            f"Dataset {b.get('dataset')!s}: total ε {fmt(b.get('total'), 4)}, spent {fmt(b.get('spent'), 4)}, "
            f"remaining {fmt(b.get('remaining'), 4)} over {b.get('private_runs')} DP run(s) (sequential composition).",
            value={k: b.get(k) for k in ("total", "spent", "remaining", "private_runs", "non_private_runs")},
            source="ledger",
        )
    ]


def pii_claims(ctx: Context) -> list[Claim]:
    pii = ctx.source.pii
    if not pii:
        return [
            not_assessed(
                "pii.treatment",
                "PII scan and treatment",
                "No PII treatment was recorded for the training table: run ss.scan_pii(df).apply(df) before training.",
            )
        ]
    cols = pii.get("columns") or []
    direct = [c["column"] for c in cols if c.get("identifier") == "direct"]
    quasi = [c["column"] for c in cols if c.get("identifier") == "quasi"]
    remaining = (pii.get("safe_harbor") or {}).get("identifiers_remaining") or []
    claims = [
        ctx.measured(
            "pii.scan",
            "PII scan",
            f"The scan found {len(direct)} direct identifier column(s) and {len(quasi)} quasi-identifier column(s) "
            f"in {len(cols)} scanned column(s).",
            tools=str((pii.get("scan") or {}).get("engine") or "presidio-analyzer"),
            value={"direct": direct, "quasi": quasi, "direct_count": len(direct), "scanned": len(cols)},
            source="apply record (DataFrame.attrs) attached to the run",
        ),
        ctx.measured(
            "pii.treatment",
            "Transforms applied",
            f"Dropped {len(pii.get('dropped') or [])}, pseudonymized {len(pii.get('pseudonymized') or [])}, "
            f"generalized {len(pii.get('generalized') or [])} column(s); {len(remaining)} Safe Harbor "
            "identifier column(s) kept for DP synthesis only.",
            value={k: pii.get(k) for k in ("dropped", "pseudonymized", "generalized", "synthesize", "kept")},
            source="apply record attached to the run",
        ),
    ]
    if ctx.audience == "internal":
        counts = {c["column"]: c.get("detail") for c in cols if c.get("detail")}
        claims.append(
            ctx.measured(
                "pii.apply_counts",
                "Apply counts (owner-only)",
                "Per-column counts from applying the transforms (values top-coded, set to 000, unparsed).",
                value=counts,
                source="apply record",
                audience="internal",
            )
        )
    return claims


def safety_claims(ctx: Context) -> list[Claim]:
    safety = ctx.source.safety
    if not safety:
        return [
            not_assessed("safety.identifiers", "Identifier check before training", "No safety checks were recorded.")
        ]
    check = next((c for c in safety.get("checks") or [] if c.get("name") == "identifiers"), None)
    if check is None:
        return [
            not_assessed("safety.identifiers", "Identifier check before training", "The identifier check did not run.")
        ]
    return [
        ctx.measured(
            "safety.identifiers",
            "Identifier check before training",
            f"Pre-training identifier check: {check.get('status')} — {check.get('message')}.",
            value=check.get("status"),
            source="safety facts of the run",
        )
    ]


def _risk_claim(ctx: Context, claim_id: str, label: str, attack: Mapping[str, Any] | None, name: str) -> Claim:
    if not attack:
        return not_assessed(
            claim_id, label, "No Anonymeter result was recorded: pass the scorecard of ss.evaluate(..., holdout=...)."
        )
    risk = attack.get("risk", attack.get("max_risk"))
    ci = attack.get("ci") or [None, None]
    limit = ctx.threshold("reidentification_risk")
    upper = ci[1] if ci and ci[1] is not None else risk
    baseline = attack.get("better_than_baseline")
    warning = (
        " Anonymeter warns that the attack did no better than its baseline: the figure is not evidence of safety or "
        "of risk."
        if baseline is False
        else ""
    )
    return ctx.measured(
        claim_id,
        label,
        f"{name} risk {fmt(risk)} (95% CI {fmt(ci[0])}–{fmt(ci[1])}), excess over the control set, compared with "
        f"{limit.value} on the upper bound.{warning}",
        tools="anonymeter",
        value={"risk": risk, "ci": ci, "better_than_baseline": baseline, "n_attacks": attack.get("n_attacks")},
        display=fmt(risk),
        threshold=limit.to_dict(),
        outcome=limit.check(upper),
        source="scorecard privacy details",
    )


def evaluation_claims(ctx: Context) -> list[Claim]:
    s = ctx.source
    if s.scorecard is None and s.evaluation_summary is None:
        reason = "The synthetic data of this run was not evaluated: run ss.evaluate(real, synthetic, holdout=...)."
        return [
            not_assessed("eval.scores", "Scorecard", reason),
            not_assessed("eval.singling_out", "Singling out", reason),
            not_assessed("eval.linkability", "Linkability", reason),
            not_assessed("eval.inference", "Inference", reason),
            not_assessed("eval.membership", "Membership inference", reason),
            not_assessed("eval.dcr", "Distance to closest record", reason),
            not_assessed("eval.exact_copies", "Exact copies", reason),
        ]
    scores = {k: s.score(k) for k in ("fidelity", "utility", "privacy")}
    claims = [
        ctx.measured(
            "eval.scores",
            "Scorecard",
            "Fidelity {}, utility {}, privacy {} (each in [0, 1], 1 best); holdout {}.".format(
                fmt(scores["fidelity"]),
                fmt(scores["utility"]),
                fmt(scores["privacy"]),
                "used" if s.holdout_used else "not used",
            ),
            tools="sdmetrics; anonymeter; scikit-learn",
            value=scores,
            source="scorecard" if s.scorecard else "evaluation facts in the ledger",
        )
    ]
    details = s.privacy_details
    anonymeter = details.get("anonymeter") or {}
    claims.append(_risk_claim(ctx, "eval.singling_out", "Singling out", anonymeter.get("singling_out"), "Singling-out"))
    claims.append(_risk_claim(ctx, "eval.linkability", "Linkability", anonymeter.get("linkability"), "Linkability"))
    inference = anonymeter.get("inference") or {}
    worst = max(inference.get("secrets") or [], key=lambda x: x.get("risk") or 0.0, default=None)
    inference_claim = _risk_claim(ctx, "eval.inference", "Inference", worst, "Worst attribute-inference")
    if worst is not None:
        inference_claim.details["secrets"] = [
            {"secret": x.get("secret"), "risk": x.get("risk"), "ci": x.get("ci")}
            for x in inference.get("secrets") or []
        ]
    claims.append(inference_claim)
    mia = details.get("membership_inference") or {}
    auc = mia.get("max_auc", (s.evaluation_summary or {}).get("membership_auc"))
    limit = ctx.threshold("membership_auc")
    claims.append(
        ctx.measured(
            "eval.membership",
            "Membership inference",
            f"Best membership-inference attack AUC {fmt(auc)} (0.5 is chance), compared with {limit.value}.",
            tools="scikit-learn",
            value={"auc": auc, "auc_lower": mia.get("max_auc_lower")},
            display=fmt(auc),
            threshold=limit.to_dict(),
            outcome=limit.check(auc),
            source="scorecard",
        )
        if auc is not None
        else not_assessed(
            "eval.membership",
            "Membership inference",
            "No membership-inference result was recorded (it needs a holdout).",
        )
    )
    dcr = (details.get("dcr") or {}).get("ratio_median")
    limit = ctx.threshold("dcr_ratio")
    claims.append(
        ctx.measured(
            "eval.dcr",
            "Distance to closest record",
            f"Median distance to the closest training record, synthetic ÷ holdout: {fmt(dcr)}; "
            f"{pct((details.get('closer_share') or {}).get('share'))} of synthetic rows are closer to training than to "
            "holdout rows (0.5 is ideal).",
            value={"ratio_median": dcr, "closer_share": (details.get("closer_share") or {}).get("share")},
            display=fmt(dcr),
            threshold=limit.to_dict(),
            outcome=limit.check(dcr),
            source="scorecard",
        )
        if dcr is not None
        else not_assessed(
            "eval.dcr", "Distance to closest record", "No distance-to-closest-record result was recorded."
        )
    )
    copies = (details.get("exact_copies") or {}).get("excess_rate", (s.evaluation_summary or {}).get("exact_copy_rate"))
    limit = ctx.threshold("exact_match_share")
    claims.append(
        ctx.measured(
            "eval.exact_copies",
            "Exact copies",
            f"Share of synthetic rows identical to a training row beyond the holdout's own duplicates: {pct(copies)}.",
            value=copies,
            display=pct(copies),
            threshold=limit.to_dict(),
            outcome=limit.check(copies),
            source="scorecard",
        )
        if copies is not None
        else not_assessed("eval.exact_copies", "Exact copies", "No exact-match result was recorded.")
    )
    return claims


def mark_internal_evaluation(claims: list[Claim]) -> list[Claim]:
    """The scorecard's measured figures are internal evaluation results (audience ``internal``,
    ``details["internal_evaluation"]``); a NOT ASSESSED claim holds nothing from the rows and stays."""
    for c in claims:
        if c.status == "MEASURED":
            c.audience = "internal"
            c.details["internal_evaluation"] = True
    return claims


def runlog_claims(ctx: Context) -> list[Claim]:
    log = ctx.run_log
    verification = log.get("verification") or {}
    if not log.get("entries"):
        return [not_assessed("runlog", "Run log", "This run has no entry in the run log.")]
    return [
        Claim(
            "runlog",
            "Hash-chained run log",
            "MEASURED",
            f"The run log holds {len(log['entries'])} entry(ies) for this run; the chain of "
            f"{verification.get('entries')} entries verifies {'intact' if verification.get('ok') else 'BROKEN'}.",
            value=verification,
            tool_version=TOOL,
            data_hash=verification.get("head"),
            source="ledger run_log (verify_run_log)",
            outcome="chain intact" if verification.get("ok") else "chain broken",
        )
    ]


def attestation_claims(ctx: Context) -> list[Claim]:
    out = []
    for a in ctx.attestations:
        status: Status = "NOT ASSESSED" if a.get("expired") else "ATTESTED"
        claim = Claim(
            f"attestation.{a['id'][:12]}",
            f"{a['framework'].upper()} attestation: {a['claim']}",
            status,
            a["statement"] if status == "ATTESTED" else f"Expired on {a['expires_at']}: {a['statement']}",
            attestation={k: a[k] for k in ("who", "role", "attested_at", "expires_at", "evidence", "entry_hash")},
        )
        out.append(claim)
    return out


def common_claims(ctx: Context) -> list[Claim]:
    return [
        *dp_claims(ctx),
        *budget_claims(ctx),
        *pii_claims(ctx),
        *safety_claims(ctx),
        *mark_internal_evaluation(evaluation_claims(ctx)),
        *runlog_claims(ctx),
        *attestation_claims(ctx),
    ]

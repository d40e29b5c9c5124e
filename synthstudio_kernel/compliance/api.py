"""Public entry points: ``compliance_report``, ``model_card``, ``attest``, ``log_export``,
``verify_run_log``. Facts first (a hashed JSON built from the records), then fixed templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError
from .claims import Audience, Claim
from .facts import INTERNAL_EVALUATION_NOTE, Context, FactsDocument, common_claims, subject
from .narrative import narrative
from .report import Report
from .sources import RunSource, read_source
from .thresholds import Threshold

FRAMEWORK_CHOICES = ("hipaa", "gdpr", "ccpa", "soc2", "all")
#: Every block of a section has these keys (None when unused), so templates and readers see one shape.
_BLOCK_KEYS = ("title", "text", "draft", "table", "claims", "form", "withheld")
_TITLES = {
    "hipaa": "HIPAA evidence packet",
    "gdpr": "GDPR evidence packet",
    "ccpa": "CCPA evidence packet",
    "soc2": "SOC 2 evidence map",
    "all": "Compliance evidence (HIPAA, GDPR, CCPA, SOC 2)",
}


def _ledger(ledger: Any) -> Any:
    if ledger is not None:
        return ledger
    from ..privacy.ledger import get_ledger

    return get_ledger()


def _run_id(model_or_run: Any) -> str:
    if isinstance(model_or_run, str):
        return model_or_run
    run = getattr(model_or_run, "run", None)
    if run is not None and hasattr(run, "id"):
        return str(run.id)
    if hasattr(model_or_run, "id"):
        return str(model_or_run.id)
    raise ConfigError("Pass a trained model, a run (model.run) or a run id.")


def _context(
    model_or_run: Any,
    *,
    ledger: Any,
    scorecard: Any,
    audience: Audience,
    thresholds: Mapping[str, Threshold] | None,
    real: pd.DataFrame | None,
    synthetic: pd.DataFrame | None,
) -> Context:
    from ..privacy.ledger import attestations as attest_store
    from ..privacy.ledger import runlog

    source: RunSource = read_source(model_or_run, ledger=ledger, scorecard=scorecard)
    evidence = source.evidence_to_store()
    if evidence is not None:  # later reports and the sidebar read it by run id
        from .sources import EVIDENCE_KEY

        ledger.attach_facts(source.run_id, EVIDENCE_KEY, evidence)
    runlog.sync_runs(ledger)
    verification = runlog.verify_run_log(ledger).to_dict()
    run_entries = [e.to_dict() for e in runlog.entries(ledger, run_id=source.run_id)]
    replay = None
    if (real is None) != (synthetic is None):
        raise ConfigError(
            "Pass both real= (the raw input) and synthetic= (a sample) to replay identifiers, or neither."
        )
    if real is not None and synthetic is not None:
        if audience != "internal":
            raise ConfigError(
                "The replay scan reads the raw input: it belongs in an internal report (audience='internal')."
            )
        from .ages import age_columns
        from .replay import replay_scan

        ages, births = age_columns(source.pii)
        replay = replay_scan(
            real,
            synthetic,
            fresh_keys=(source.pii or {}).get("pseudonymized") or [],
            age_columns=ages,
            birth_year_columns=births,
        )
    return Context(
        source=source,
        input_hash=runlog.keyed_hash(ledger, source.fingerprint or source.run_id),
        attestations=[a.to_dict() for a in attest_store.attestations(ledger, run_id=source.run_id)],
        run_log={"verification": verification, "entries": run_entries},
        audience=audience,
        thresholds=dict(thresholds or {}),
        replay=replay,
        exports=[e for e in run_entries if e["kind"] == "export"],
    )


def _document(kind: str, title: str, ctx: Context, builders: Sequence[tuple[str, Any]]) -> FactsDocument:
    claims: dict[str, Claim] = {c.id: c for c in common_claims(ctx)}
    sections = []
    for _name, build in builders:
        new, section = build(ctx, claims)
        for c in new:
            claims.setdefault(c.id, c)
        section["blocks"] = [{key: block.get(key) for key in _BLOCK_KEYS} for block in section["blocks"]]
        sections.append(section)
    evaluation = [cid for cid, c in claims.items() if c.details.get("internal_evaluation")]
    if ctx.audience == "released":
        # The release boundary: owner-only facts and the internal evaluation results stay out;
        # each block says which of its results were withheld, and why.
        for section in sections:
            for block in section["blocks"]:
                held = [claims[cid].label for cid in block.get("claims") or [] if cid in evaluation]
                block["withheld"] = list(dict.fromkeys(held)) or None
        claims = {k: c for k, c in claims.items() if c.audience == "released"}
    internal_evaluation = (
        {"note": INTERNAL_EVALUATION_NOTE, "claims": evaluation, "withheld": ctx.audience == "released"}
        if evaluation
        else None
    )
    return FactsDocument(
        kind=kind,
        title=title,
        subject=subject(ctx),
        claims=list(claims.values()),
        sections=sections,
        audience=ctx.audience,
        frameworks=[n for n, _ in builders],
        narrative=narrative(
            claims,
            dataset=ctx.source.dataset,
            method=ctx.source.method,
            withheld=bool(internal_evaluation and internal_evaluation["withheld"]),
        ),
        internal_evaluation=internal_evaluation,
    )


def compliance_report(
    model_or_run: Any,
    framework: str = "all",
    *,
    scorecard: Any = None,
    audience: Audience = "internal",
    thresholds: Mapping[str, Threshold] | None = None,
    real: pd.DataFrame | None = None,
    synthetic: pd.DataFrame | None = None,
    ledger: Any = None,
) -> Report:
    """The evidence packet of a run under ``framework`` ("hipaa", "gdpr", "ccpa", "soc2" or "all").

    Built only from recorded facts: the ledger run (ε, δ, accounting, PII record, safety checks,
    evaluation summary), the model's run record and privacy report, the scorecard when passed
    (for Anonymeter risks with intervals), attestations and the run log. ``audience="internal"``
    (the default, for the owner, the expert and the auditor) may include owner-only facts and the
    scorecard's figures, marked as internal evaluation results (computed on the private rows
    outside the DP guarantee; not for publication); ``"released"`` (a report meant to be shared)
    leaves both out and says, block by block, which results were withheld. ``real``/``synthetic``
    replay the raw input's identifiers against a synthetic sample (internal only).
    """
    from .frameworks import FRAMEWORKS

    if framework not in FRAMEWORK_CHOICES:
        raise ConfigError(f"framework must be one of {', '.join(FRAMEWORK_CHOICES)}, not {framework!r}.")
    if audience not in ("internal", "released"):
        raise ConfigError("audience must be 'internal' or 'released'.")
    ledger = _ledger(ledger)
    ctx = _context(
        model_or_run,
        ledger=ledger,
        scorecard=scorecard,
        audience=audience,
        thresholds=thresholds,
        real=real,
        synthetic=synthetic,
    )
    names = list(FRAMEWORKS) if framework == "all" else [framework]
    doc = _document("compliance-report", _TITLES[framework], ctx, [(n, FRAMEWORKS[n]) for n in names])

    def on_save(report: Report, paths: dict[str, Path]) -> None:
        from ..privacy.ledger import runlog

        runlog.append(
            ledger,
            kind="report",
            run_id=ctx.source.run_id,
            outputs={"facts_sha256": report.sha256, "files": {k: runlog.file_sha256(p) for k, p in paths.items()}},
            details={"framework": framework, "audience": audience},
        )

    return Report(doc, on_save=on_save)


def model_card(
    model_or_run: Any, *, scorecard: Any = None, audience: Audience = "internal", ledger: Any = None
) -> Report:
    """A model card (Mitchell et al. 2019 sections, DP fields, scorecard) of a run.

    ``audience="internal"`` (the default) is the owner's card: the scorecard's figures (fidelity,
    utility, Anonymeter risks, membership inference, DCR, exact copies) are there, each marked as an
    internal evaluation result, since they were computed on the private rows outside the DP
    guarantee and are meant for the data owner and the expert, not for publication.
    ``audience="released"`` is the card to publish with the model: only released facts (the DP
    fields, the budget, the PII treatment, attestations, the run log); every section whose figures
    were withheld says so. Owner-only facts (PII apply counts) are in neither card.
    """
    from . import card

    if audience not in ("internal", "released"):
        raise ConfigError("audience must be 'internal' (the owner's card) or 'released' (the card to publish).")
    ledger = _ledger(ledger)
    ctx = _context(
        model_or_run,
        ledger=ledger,
        scorecard=scorecard,
        audience=audience,
        thresholds=None,
        real=None,
        synthetic=None,
    )
    doc = _document("model-card", f"Model card — {ctx.source.method}", ctx, [("model-card", card.build)])
    if audience == "internal":  # a card holds no owner-only facts; the evaluation stays, marked
        doc.claims = [c for c in doc.claims if c.audience == "released" or c.details.get("internal_evaluation")]
    return Report(doc)


def attest(
    run: Any,
    *,
    framework: str,
    who: str,
    role: str,
    statement: str,
    expires: date | datetime | str,
    claim: str = "general",
    evidence: Sequence[Any] | Mapping[str, str] | None = None,
    ledger: Any = None,
) -> dict[str, Any]:
    """Record a person's attestation about ``run`` in the ledger (shown in every report of it)."""
    from ..privacy.ledger import attestations as attest_store

    record = attest_store.attest(
        _ledger(ledger),
        _run_id(run),
        framework=framework,
        who=who,
        role=role,
        statement=statement,
        expires=expires,
        claim=claim,
        evidence=evidence,
    )
    return record.to_dict()


def log_export(
    run: Any, *, recipient: str, contract: str, files: Sequence[str | Path] = (), ledger: Any = None
) -> dict[str, Any]:
    """Log that a run's outputs went to ``recipient`` under ``contract`` (file hashes recorded)."""
    from ..privacy.ledger import runlog

    if not recipient or not contract:
        raise ConfigError("An export needs the recipient and the contract reference.")
    ledger = _ledger(ledger)
    run_id = _run_id(run)
    if ledger.get_run(run_id) is None:
        raise ConfigError(f"Run {run_id[:12]} is not in the ledger.")
    hashes = {}
    for f in files:
        path = Path(f)
        if not path.is_file():
            raise ConfigError(f"Exported file {str(path)!r} does not exist.")
        hashes[path.name] = runlog.file_sha256(path)
    entry = runlog.append(
        ledger,
        kind="export",
        run_id=run_id,
        outputs={"files": hashes},
        details={"recipient": recipient, "contract": contract},
    )
    return entry.to_dict()


def verify_run_log(ledger: Any = None) -> Any:
    """Check the run log's hash chain; ``str(result)`` says intact or where it breaks."""
    from ..privacy.ledger import runlog

    ledger = _ledger(ledger)
    runlog.sync_runs(ledger)
    return runlog.verify_run_log(ledger)

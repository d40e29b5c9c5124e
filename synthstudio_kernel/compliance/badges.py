"""The sidebar's compliance badges: per framework, whether its evidence is measured, attested,
missing, or void, with the reasons (for the hover text). Built from the same facts as the
reports; what it shows holds no figure (the sidebar may be shown to anyone at the screen):
states, counts, the labels and reasons of what was not assessed, and who attested what.

``framework_badges(run_id)`` returns a JSON-safe payload (``FrameworkBadges`` of
``schema/api.schema.json``) that the server route returns as is. Building it builds the whole
facts document, so results are cached per run and ledger: the key holds a digest of everything
the badges read (the run row with its facts, the dataset budget, the run's attestations and the
run-log head), so a new attestation, a settled or re-evaluated run or another charge on the
dataset invalidates it; entries also lapse after :data:`CACHE_TTL_S` seconds (an attestation's
expiry, a run-log row changed in the middle of the chain).
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError

#: Display names, in the order the sidebar shows them.
LABELS = {"hipaa": "HIPAA", "gdpr": "GDPR", "ccpa": "CCPA", "soc2": "SOC 2"}


@dataclass(frozen=True)
class Route:
    """One way to the ``attested`` state: the human claims it needs, and a condition on the
    tool's claims (e.g. Safe Harbor: every identifier removed before training)."""

    name: str
    claims: tuple[str, ...]
    condition: Callable[[Mapping[str, dict[str, Any]]], bool] | None = None


def _safe_harbor_met(claims: Mapping[str, dict[str, Any]]) -> bool:
    items = [c for cid, c in claims.items() if cid.startswith("hipaa.safe_harbor.")]
    return bool(items) and all(
        c["status"] == "MEASURED"
        and not (c.get("value") or {}).get("remaining_in_training_input")
        and not (c.get("value") or {}).get("check_before_release")
        for c in items
    )


#: Per framework, the routes to ``attested`` (any one suffices). HIPAA has two legal routes
#: (164.514(b)(1) Expert Determination, (b)(2) Safe Harbor); CCPA (m)(2) and (3) both need a
#: person; GDPR needs the DPO's review of the residual risk; SOC 2 is an auditor's opinion.
ROUTES: dict[str, tuple[Route, ...]] = {
    "hipaa": (
        Route("Expert Determination", ("hipaa.expert_determination",)),
        Route("Safe Harbor", ("hipaa.actual_knowledge",), _safe_harbor_met),
    ),
    "gdpr": (Route("DPO review", ("gdpr.dpo_review",)),),
    "ccpa": (Route("(m)(2) and (m)(3)", ("ccpa.public_commitment", "ccpa.contract_clause")),),
    "soc2": (Route("auditor review", ("soc2.auditor_review",)),),
}

#: Claims whose absence is no gap in the evidence (an owner-only replay scan; no export yet).
OPTIONAL = frozenset({"hipaa.replay", "hipaa.exports", "ccpa.exports"})

#: At most this many reasons per badge (the hover text stays readable).
MAX_REASONS = 8
CACHE_TTL_S = 300.0
CACHE_SIZE = 512

_cache: OrderedDict[tuple[str, str, str], tuple[float, dict[str, Any]]] = OrderedDict()
_lock = threading.Lock()


def _void(doc: Mapping[str, Any], claims: Mapping[str, dict[str, Any]]) -> list[str]:
    """Why the run's guarantee is void (empty when it holds or there is none to void)."""
    from ..privacy.levels import NOT_PASS, status_text

    subject = doc["subject"]
    why = []
    if subject.get("status") in NOT_PASS:
        why.append(f"Run {status_text(str(subject['status']), charged=subject.get('epsilon'))}.")
    eps = claims.get("dp.epsilon", {}).get("value")
    target = (doc.get("_run") or {}).get("epsilon_target")
    if isinstance(eps, int | float) and isinstance(target, int | float) and eps > target + 1e-9:
        why.append(f"ε spent {eps:.4g} exceeds the target {target:.4g}: the stated guarantee does not hold.")
    runlog = claims.get("runlog") or {}
    if runlog.get("outcome") == "chain broken":
        why.append("The run log's hash chain is broken: the recorded evidence cannot be trusted.")
    return why


def _badge(name: str, ids: set[str], claims: Mapping[str, dict[str, Any]], void: list[str]) -> dict[str, Any]:
    routes = ROUTES.get(name, ())
    human = {i for i in ids if (claims[i].get("details") or {}).get("attestable")}
    human |= {c for r in routes for c in r.claims} & ids
    tool = ids - human
    status = {i: claims[i]["status"] for i in ids}
    measured = sorted(i for i in tool if status[i] in ("MEASURED", "CONFIGURED"))
    attested = sorted(i for i in ids if status[i] == "ATTESTED")
    missing = sorted(i for i in ids if status[i] == "NOT ASSESSED")
    gaps = sorted(i for i in tool - OPTIONAL if status[i] == "NOT ASSESSED")
    done = [
        r
        for r in routes
        if all(status.get(c) == "ATTESTED" for c in r.claims) and (r.condition is None or r.condition(claims))
    ]
    if void:
        state = "fail"
    elif done:
        state = "attested"
    elif gaps:
        state = "missing"
    else:
        state = "measured"
    reasons: list[str] = list(void)
    if (claims.get("dp.guarantee") or {}).get("value") == "none":
        method = (claims.get("run.method") or {}).get("value")
        reasons.append(f"No formal privacy guarantee ({method}): the evidence rests on the measurements alone.")
    for r in done:
        who = "; ".join(
            f"{claims[c]['attestation']['who']} ({claims[c]['attestation']['role']}), expires "
            f"{str(claims[c]['attestation']['expires_at'])[:10]}"
            for c in r.claims
        )
        reasons.append(f"Attested ({r.name}): {who}.")
    if not done and routes:
        ways = " or ".join(f"{r.name} ({', '.join(repr(c.split('.', 1)[1]) for c in r.claims)})" for r in routes)
        reasons.append(f"Awaiting attestation: {ways}, with ss.attest(run, framework={name!r}, claim=...).")
    by_reason: dict[str, list[str]] = {}
    for i in gaps:  # one line per cause: "not evaluated" covers six claims
        by_reason.setdefault(claims[i]["statement"], []).append(claims[i]["label"])
    reasons += [f"Not measured: {', '.join(labels)}: {why}" for why, labels in by_reason.items()]
    reasons += [f"Not attested: {claims[i]['label']}." for i in sorted(human) if status[i] == "NOT ASSESSED"]
    if len(reasons) >= MAX_REASONS:
        reasons = [*reasons[: MAX_REASONS - 2], f"… and {len(reasons) - MAX_REASONS + 2} more (open the report)."]
    reasons.append(f"{len(measured)} measured or configured, {len(attested)} attested, {len(missing)} not assessed.")
    return {
        "framework": name,
        "label": LABELS.get(name, name.upper()),
        "state": state,
        "measured": len(measured),
        "attested": len(attested),
        "missing": len(missing),
        "reasons": reasons,
    }


def build_badges(run_id: str, *, ledger: Any) -> dict[str, Any]:
    """``{"run_id", "facts_sha256", "frameworks": [{framework, label, state, measured, attested,
    missing, reasons}]}`` without the cache.

    ``state``: ``"fail"`` when the run's guarantee is void (failed, stopped or refused run, ε over
    its target, broken run log); ``"attested"`` when one route's human claims are attested (and
    its condition holds); ``"missing"`` when a measurement the framework needs was not recorded;
    ``"measured"`` when every measurement is there and an attestation is pending.
    """
    from .api import compliance_report

    # The internal document, so that the scorecard's evidence counts; only states, labels, NOT
    # ASSESSED reasons and attestations (who, role, expiry) leave it: no figure of the evaluation.
    report = compliance_report(run_id, "all", audience="internal", ledger=ledger)
    doc = report.to_dict()
    claims = {c["id"]: c for c in doc["claims"]}
    run = ledger.get_run(run_id)
    void = _void({**doc, "_run": {"epsilon_target": run.epsilon_target if run else None}}, claims)
    out = []
    for section in doc["sections"]:
        name = section["framework"]
        if name not in LABELS:
            continue
        ids = {cid for block in section["blocks"] for cid in block.get("claims") or []}
        ids = (ids | set(section.get("evidence_claims") or ())) & set(claims)
        out.append(_badge(name, ids, claims, void))
    return {"run_id": run_id, "facts_sha256": doc["sha256"], "frameworks": out}


def revision(run_id: str, *, ledger: Any) -> str:
    """A digest of everything the badges of ``run_id`` read; raises ``ConfigError`` for an unknown run."""
    from sqlalchemy import select

    from ..privacy.ledger.attestations import attestations
    from ..privacy.ledger.audit_models import RunLogRow
    from ..privacy.ledger.engine import read_session
    from .facts import canonical_json

    run = ledger.get_run(run_id)
    if run is None:
        raise ConfigError(f"Run {str(run_id)[:12]} is not in the privacy ledger.")
    budget = ledger.budget(run.dataset_id, run_limit=0)
    with read_session(ledger.engine) as s:
        head = s.execute(select(RunLogRow.seq, RunLogRow.entry_hash).order_by(RunLogRow.seq.desc()).limit(1)).first()
    state = {
        "run": run.to_dict(),
        "budget": [budget.total, budget.spent, budget.reserved],
        "attestations": [(a.id, a.expires_at, a.expired()) for a in attestations(ledger, run_id=run_id)],
        "runlog": list(head) if head else None,
    }
    return hashlib.sha256(canonical_json(state).encode("utf-8")).hexdigest()


def framework_badges(run_id: str, *, ledger: Any = None) -> dict[str, Any]:
    """The badges of ``run_id`` (see :func:`build_badges`), cached until what they read changes."""
    if ledger is None:
        from ..privacy.ledger import get_ledger

        ledger = get_ledger()
    where = str(getattr(ledger, "url", id(ledger)))
    key = (where, run_id, revision(run_id, ledger=ledger))
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < CACHE_TTL_S:
            _cache.move_to_end(key)
            return copy.deepcopy(hit[1])
    payload = build_badges(run_id, ledger=ledger)
    # Building may append the run's own log entry: store under the state it leaves behind.
    after = (where, run_id, revision(run_id, ledger=ledger))
    with _lock:
        for k in {key, after}:
            _cache[k] = (now, payload)
            _cache.move_to_end(k)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return copy.deepcopy(payload)


def clear_cache() -> None:
    """Forget every cached badge set (tests; a ledger replaced under the same URL)."""
    with _lock:
        _cache.clear()

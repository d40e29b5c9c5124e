"""Column verdicts: the best-scoring candidate (see :mod:`.scoring`) becomes the column's
entity, confidence, identifier class, HIPAA identifier and recommendation, with the evidence
behind it (match rate and its 95% interval, checksum validity) and masked examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .codes import code_system
from .context import name_hints
from .entities import ENTITIES, Evidence
from .evidence import ColumnEvidence
from .hipaa import HipaaIdentifier, hipaa_identifier
from .masking import masked_examples
from .policy import recommend
from .sampling import wilson_interval
from .scoring import Candidate, candidates


@dataclass
class ColumnVerdict:
    """What a scan concluded about one column. Holds no raw values."""

    column: str
    entity: str | None
    confidence: float
    identifier: str
    hipaa: HipaaIdentifier | None
    recommendation: str
    reason: str
    allowed_actions: tuple[str, ...]
    basis: str
    evidence: dict[str, Any] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    text_entities: dict[str, dict[str, int]] | None = None
    notes: list[str] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe record (the DESIGN.md shape plus details)."""
        return {
            "column": self.column,
            "entity": self.entity,
            "confidence": round(self.confidence, 3),
            "identifier": self.identifier,
            "hipaa": self.hipaa.name if self.hipaa else None,
            "hipaa_number": self.hipaa.number if self.hipaa else None,
            "recommendation": self.recommendation,
            "reason": self.reason,
            "allowed_actions": list(self.allowed_actions),
            "detected_by": self.basis,
            "evidence": self.evidence,
            "examples": list(self.examples),
            "text_entities": self.text_entities,
            "notes": list(self.notes),
            "alternatives": list(self.alternatives),
        }


def classify(ev: ColumnEvidence) -> ColumnVerdict:
    """The verdict for one column."""
    sample = ev.sample
    found = candidates(ev)
    best = found[0] if found else None
    spec = ENTITIES[best.entity] if best else None
    text_entities = _text_entities(ev)
    identifier: str = spec.identifier if spec else "none"
    hipaa = hipaa_identifier(spec.hipaa) if spec else None
    if spec is not None and spec.name == "FREE_TEXT":
        identifier, hipaa = _text_identifier(text_entities)
    rec = recommend(
        spec,
        max_number=sample.max_value,
        text_found=(text_entities or {}).get("rows") if identifier != "none" else None,
        datetime_column=sample.family == "datetime",
    )
    return ColumnVerdict(
        column=sample.name,
        entity=spec.name if spec else None,
        confidence=best.confidence if best else _none_confidence(ev),
        identifier=identifier,
        hipaa=hipaa,
        recommendation=rec.action,
        reason=rec.reason,
        allowed_actions=rec.allowed,
        basis=best.basis if best else "no recognizer matched and the name suggests nothing sensitive",
        evidence=_evidence_facts(ev, best),
        examples=_examples(ev, best),
        text_entities=text_entities,
        notes=_notes(ev, best),
        alternatives=[{"entity": c.entity, "confidence": round(c.confidence, 3)} for c in found[1:4]],
    )


def _none_confidence(ev: ColumnEvidence) -> float:
    """Confidence that nothing sensitive is there: the upper bound of any format's match rate."""
    worst = max((p.strong_rows for p in ev.patterns.values()), default=0)
    n = ev.sample.n_text
    if not n:
        return 0.5
    return round(1 - wilson_interval(worst, n)[1], 3)


def _text_entities(ev: ColumnEvidence) -> dict[str, dict[str, int]] | None:
    if ev.text is None:
        return None
    return {"texts": {"sampled": ev.text.texts}, "occurrences": dict(ev.text.occurrences), "rows": dict(ev.text.rows)}


def _text_identifier(text_entities: dict[str, dict[str, int]] | None) -> tuple[str, HipaaIdentifier | None]:
    rows = (text_entities or {}).get("rows", {})
    direct = sorted((e for e in rows if e in ENTITIES and ENTITIES[e].identifier == "direct"), key=lambda e: -rows[e])
    quasi = [e for e in rows if e in ENTITIES and ENTITIES[e].identifier == "quasi"]
    if direct:
        return "direct", hipaa_identifier(ENTITIES[direct[0]].hipaa)
    if quasi:
        return "quasi", hipaa_identifier(ENTITIES[quasi[0]].hipaa)
    return "none", None


def _evidence_facts(ev: ColumnEvidence, best: Candidate | None) -> dict[str, Any]:
    sample = ev.sample
    facts: dict[str, Any] = {
        "rows": sample.n_rows,
        "non_null": sample.n_non_null,
        "sampled": sample.n_sampled,
        "distinct": sample.n_distinct,
        "distinct_exact": sample.distinct_exact,
        "uniqueness": round(sample.distinct_share, 4),
        "value_type": sample.family,
        "name_hints": {k: round(v, 2) for k, v in name_hints(sample.name).items()},
    }
    if best is not None and best.rows is not None and best.total:
        lo, hi = wilson_interval(best.rows, best.total)
        facts["match_rate"] = round(best.rows / best.total, 4)
        facts["match_ci95"] = [round(lo, 4), round(hi, 4)]
        facts["match_sample"] = best.total
    pattern = ev.patterns.get(best.entity) if best else None
    if pattern is not None:
        facts["format_match_rate"] = round(pattern.rate, 4)
        facts["format_match_ci95"] = [round(x, 4) for x in pattern.interval()]
        if pattern.checksum:
            valid = pattern.checksum_valid_rate
            facts["checksum"] = pattern.checksum
            facts["checksum_valid_rate"] = None if valid is None else round(valid, 4)
            facts["checksum_checked"] = pattern.checked_rows
    return facts


def _examples(ev: ColumnEvidence, best: Candidate | None) -> list[str]:
    pattern = ev.patterns.get(best.entity) if best else None
    values = pattern.matched if pattern is not None and pattern.matched else ev.sample.values
    return masked_examples(values[:50])


def _notes(ev: ColumnEvidence, best: Candidate | None) -> list[str]:
    sample = ev.sample
    notes: list[str] = []
    for why, n in sorted(sample.skipped.items()):
        notes.append(f"{n} sampled value(s) skipped: {why} (not text).")
    if sample.truncated:
        notes.append(f"{sample.truncated} very long value(s) were cut before scanning.")
    if sample.n_non_null == 0:
        notes.append("The column has no values; the verdict rests on its name only.")
    if not sample.distinct_exact:
        notes.append("Distinct count estimated on a random subset of the rows.")
    codes = code_system(ev)
    if codes is not None and (best is None or ENTITIES[best.entity].identifier != "direct"):
        notes.append(
            f"{100 * codes[1]:.0f}% of sampled values are {codes[0]} codes: a classification of care or trade, "
            "not a number that identifies a person."
        )
    hints = name_hints(sample.name)
    for entity, weight in hints.items():
        if weight >= 0.8 and (best is None or best.entity != entity) and sample.n_text:
            spec = ENTITIES.get(entity)
            if spec is not None and spec.evidence in (Evidence.PATTERN, Evidence.CONTEXT):
                notes.append(f"The name suggests {spec.label}, but the sampled values do not fit it.")
    return notes


def failed_verdict(name: str, exc: Exception) -> ColumnVerdict:
    """The verdict of a column whose scan raised: unknown, to be reviewed by hand (the error's
    type only: its message may quote values)."""
    return ColumnVerdict(
        column=name,
        entity=None,
        confidence=0.0,
        identifier="none",
        hipaa=None,
        recommendation="keep",
        reason="The column could not be scanned; review it by hand before sharing.",
        allowed_actions=("drop", "pseudonymize", "synthesize", "keep"),
        basis=f"scan failed ({type(exc).__name__})",
        notes=[f"Scanning failed with {type(exc).__name__}; the verdict is unknown."],
    )

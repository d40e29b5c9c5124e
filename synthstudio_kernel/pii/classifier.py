"""Column verdicts: combine value evidence, the column name and uniqueness into one entity,
a confidence, an identifier class, a HIPAA identifier and a recommendation.

Each entity is scored by the scorer of its evidence kind (a registry); the best-scoring
accepted candidate wins. Confidence combines a value signal ``v`` and a name signal ``c``
as ``1 - (1 - v) * (1 - c)``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .context import name_hints
from .domains import domain_fit
from .entities import ENTITIES, EntitySpec, Evidence
from .evidence import ColumnEvidence, PatternEvidence
from .hipaa import HipaaIdentifier, hipaa_identifier
from .masking import masked_examples
from .policy import recommend
from .sampling import wilson_interval

#: How much a column-name hint of weight 1 counts.
CONTEXT_WEIGHT = 0.8
#: A candidate needs at least this confidence to become the verdict.
MIN_CONFIDENCE = 0.5
#: Name hints below this weight never decide on their own.
MIN_HINT = 0.5


@dataclass
class Candidate:
    """One entity a column might hold."""

    entity: str
    confidence: float
    basis: str  # how it was recognized (no values)
    rows: int | None = None  # sampled rows supporting it
    total: int | None = None  # sampled rows looked at
    hint: float = 0.0


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


def _combine(value_signal: float, hint: float) -> float:
    return 1 - (1 - min(max(value_signal, 0.0), 0.99)) * (1 - CONTEXT_WEIGHT * hint)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# ---------------------------------------------------------------- scorers per evidence kind


def _score_pattern(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    p: PatternEvidence | None = ev.patterns.get(spec.name)
    options: list[Candidate] = []
    if p is not None and p.rows:
        valid = p.checksum_valid_rate
        quality = 0.95 if valid is None else (0.97 if valid >= 0.9 else 0.85)
        checksum_ok = valid is not None and valid >= 0.95 and ev.sample.n_distinct >= 20
        # bare whole numbers are ambiguous: without a name, only a checksum makes them e.g. card numbers
        bare_numbers = ev.sample.whole_numbers or ev.sample.family == "numeric-text"
        if p.strong_rate >= 0.5 and (not bare_numbers or hint >= MIN_HINT or checksum_ok):
            basis = f"{_pct(p.strong_rate)} of sampled values have the format"
            options.append(
                Candidate(spec.name, _combine(p.strong_rate * quality, hint), basis, p.strong_rows, p.total, hint)
            )
        if hint >= MIN_HINT and p.rate >= 0.5 and (spec.domain != "code" or _person_level(ev)):
            basis = f"column name, and {_pct(p.rate)} of sampled values fit the format"
            options.append(Candidate(spec.name, _combine(p.rate * 0.6, hint), basis, p.rows, p.total, hint))
        if checksum_ok and p.rate >= 0.8:
            basis = f"{_pct(p.rate)} of sampled values fit the format and {_pct(valid or 0.0)} pass the checksum"
            options.append(Candidate(spec.name, _combine(p.rate * 0.85, hint), basis, p.rows, p.total, hint))
    if spec.name == "DATE" and ev.sample.family == "datetime":
        n = ev.sample.n_text
        options.append(Candidate("DATE", _combine(0.75, hint), "a datetime column", n, n, hint))
    if spec.domain != "any":
        fallback = _score_context(spec, ev, hint)
        if fallback is not None:
            options.append(fallback)
    return max(options, key=lambda c: c.confidence, default=None)


def _person_level(ev: ColumnEvidence) -> bool:
    """Enough distinct values to tell people apart: at least 1% of rows, or 1,000 values.
    A code with fewer (an operating-certificate or facility number) describes an organization."""
    sample = ev.sample
    return sample.n_distinct >= min(1_000, max(2, 0.01 * sample.n_non_null))


def _score_context(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    if hint < MIN_HINT:
        return None
    if spec.identifier == "direct" and spec.domain == "code" and not _person_level(ev):
        return None
    fit = domain_fit(spec.domain, ev)
    if fit < 0.8:
        return None
    total = ev.sample.n_text
    return Candidate(
        spec.name,
        _combine(0.5 * fit, hint),
        f"column name, and {_pct(fit)} of sampled values fit",
        round(fit * total),
        total,
        hint,
    )


def _score_vocabulary(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    rate = ev.vocabulary.get(spec.name, 0.0)
    total = ev.sample.n_text
    if hint >= MIN_HINT:
        fit = domain_fit(spec.domain, ev)
        needs_words = spec.name in ("STATE", "COUNTRY") and hint < 0.8
        if rate >= 0.3 or (fit >= 0.8 and not needs_words):
            signal = max(rate, 0.5 * fit)
            return Candidate(
                spec.name,
                _combine(signal * 0.9, hint),
                f"column name; {_pct(rate)} of sampled values are known {spec.label} words",
                round(rate * total),
                total,
                hint,
            )
        return None
    few_values = ev.sample.n_distinct <= 30 or spec.name == "ORGANIZATION"
    if rate >= 0.8 and few_values and not ev.is_text:
        return Candidate(
            spec.name,
            0.85 * rate,
            f"{_pct(rate)} of sampled values are known {spec.label} words",
            round(rate * total),
            total,
        )
    return None


def _score_dictionary(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    names = ev.names
    if names is None or ev.is_text:
        return None
    total = ev.sample.n_text
    known = max(names.dictionary, names.full)
    organizations = ev.vocabulary.get("ORGANIZATION", 0.0)
    # a strong name ("first_name") needs name-shaped values; a vague one ("name") also known names
    vague = hint < 0.8 and names.full < 0.3 and names.dictionary < 0.5
    if hint >= MIN_HINT and names.shaped >= 0.7 and organizations < 0.5 and not vague:
        return Candidate(
            spec.name,
            _combine(0.4 + 0.5 * known, hint),
            f"column name; values are name-shaped, {_pct(names.dictionary)} hold a known first or last name",
            round(names.dictionary * total),
            total,
            hint,
        )
    many = ev.sample.n_distinct >= 20
    if many and names.full >= 0.5 and organizations < names.full:
        return Candidate(
            spec.name,
            0.9 * names.full,
            f"{_pct(names.full)} of sampled values are first-and-last-name pairs",
            round(names.full * total),
            total,
        )
    if (
        ev.sample.n_distinct >= 50
        and names.dictionary >= 0.6
        and names.shaped >= 0.9
        and max(ev.vocabulary.values(), default=0.0) < 0.5
    ):
        return Candidate(
            spec.name,
            0.75 * names.dictionary,
            f"{_pct(names.dictionary)} of sampled values are known first or last names",
            round(names.dictionary * total),
            total,
        )
    return None


_SHAPE = re.compile(r"[A-Za-z]+|\d+")


def _shape(value: str) -> str:
    return _SHAPE.sub(lambda m: "A" if m.group()[0].isalpha() else "9" * min(len(m.group()), 12), value.strip())


def _score_key(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    sample = ev.sample
    if sample.family in ("float", "boolean", "datetime", "timedelta", "empty") and not sample.integral:
        return None
    if ev.is_text or not sample.n_text:
        return None
    share = sample.distinct_share
    code = domain_fit("code", ev) if not sample.whole_numbers else 1.0
    uuid = ev.patterns.get("ID")
    if uuid is not None and uuid.rate >= 0.9:
        return Candidate("ID", _combine(0.85, hint), "UUIDs", uuid.rows, uuid.total, hint)
    if hint >= 0.85 and code >= 0.8:
        return Candidate("ID", _combine(0.5, hint), "column name of a person or record key", hint=hint)
    if hint >= MIN_HINT and code >= 0.8 and share >= 0.5:
        return Candidate(
            "ID", _combine(0.3 + 0.4 * share, hint), f"column name; {_pct(share)} of values distinct", hint=hint
        )
    if sample.n_non_null < 50 or share < 0.98:
        return None
    if sample.whole_numbers and (sample.monotonic or sample.consecutive):
        return Candidate("ID", 0.7, "distinct whole numbers in sequence on every row (a row key)")
    if sample.family in ("string", "mixed") and code >= 0.95:
        shapes: Counter[str] = Counter()
        for value, count in zip(sample.values, sample.counts, strict=True):
            shapes[_shape(value)] += count
        top = shapes.most_common(1)[0][1] / sample.n_text
        if top >= 0.9:
            return Candidate("ID", 0.7, "distinct codes of one shape on every row (a record key)")
    return None


def _score_text(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    if not ev.is_text:
        return None
    return Candidate("FREE_TEXT", _combine(0.6, hint), "free text (several words per value)", hint=hint)


SCORERS: dict[Evidence, Callable[[EntitySpec, ColumnEvidence, float], Candidate | None]] = {
    Evidence.PATTERN: _score_pattern,
    Evidence.CONTEXT: _score_context,
    Evidence.VOCABULARY: _score_vocabulary,
    Evidence.DICTIONARY: _score_dictionary,
    Evidence.KEY: _score_key,
    Evidence.TEXT: _score_text,
}


# ---------------------------------------------------------------- verdict


def candidates(ev: ColumnEvidence) -> list[Candidate]:
    """Every accepted candidate, best first."""
    hints = name_hints(ev.sample.name)
    names = set(hints) | set(ev.patterns) | set(ev.vocabulary) | {"PERSON_NAME", "ID", "FREE_TEXT", "DATE"}
    found: list[Candidate] = []
    for name in names:
        spec = ENTITIES.get(name)
        if spec is None:
            continue
        hint = hints.get(name, 0.0)
        scorer = _name_only if ev.sample.n_text == 0 else SCORERS[spec.evidence]
        cand = scorer(spec, ev, hint)
        if cand is not None and cand.confidence >= MIN_CONFIDENCE:
            found.append(cand)
    order = list(ENTITIES)
    found.sort(key=lambda c: (-(c.confidence + 0.05 * c.hint), order.index(c.entity)))
    return _prefer_specific(found)


#: A generic entity gives way to a more specific one that is also accepted.
REFINEMENTS: dict[str, tuple[str, ...]] = {
    "DATE": ("DATE_OF_BIRTH", "DATE_OF_DEATH", "PERSON_DATE", "BIRTH_YEAR"),
    "ID": ("MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "NPI", "US_SSN", "UK_NHS", "UK_NINO", "DEVICE_ID", "USERNAME"),
    "PHONE": ("FAX",),
}
#: ...when its confidence is at least this.
REFINE_MIN_CONFIDENCE = 0.6


def _prefer_specific(found: list[Candidate]) -> list[Candidate]:
    if not found:
        return found
    specific = [
        c
        for c in found[1:]
        if c.entity in REFINEMENTS.get(found[0].entity, ()) and c.confidence >= REFINE_MIN_CONFIDENCE
    ]
    if specific:
        chosen = specific[0]
        found.remove(chosen)
        # the generic format evidence supports the specific reading too
        chosen.confidence = max(chosen.confidence, found[0].confidence)
        found.insert(0, chosen)
    return found


def _name_only(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    """No readable values (empty column or only binary): the name and binary content decide."""
    if spec.domain == "blob" and hint >= MIN_HINT and domain_fit("blob", ev) >= 0.8:
        return Candidate(spec.name, _combine(0.5, hint), "column name; binary content", hint=hint)
    if hint >= 0.8:
        return Candidate(spec.name, 0.5 * hint + 0.1, "column name only (no values to check)", hint=hint)
    return None


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
    hints = name_hints(sample.name)
    for entity, weight in hints.items():
        if weight >= 0.8 and (best is None or best.entity != entity) and sample.n_text:
            spec = ENTITIES.get(entity)
            if spec is not None and spec.evidence in (Evidence.PATTERN, Evidence.CONTEXT):
                notes.append(f"The name suggests {spec.label}, but the sampled values do not fit it.")
    return notes

"""Scoring: how strongly each entity fits a column, one scorer per kind of evidence (a registry).

Confidence combines a value signal ``v`` and a name signal ``c`` as ``1 - (1 - v) * (1 - c)``;
a candidate needs :data:`MIN_CONFIDENCE`. A generic entity (DATE, ID, PHONE) gives way to a
more specific one that is also accepted (date of birth, medical record number, fax).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .codes import code_system
from .context import key_relation, name_hints
from .domains import domain_fit
from .entities import ENTITIES, EntitySpec, Evidence
from .evidence import ColumnEvidence, PatternEvidence

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


def _combine(value_signal: float, hint: float) -> float:
    return 1 - (1 - min(max(value_signal, 0.0), 0.99)) * (1 - CONTEXT_WEIGHT * hint)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


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
        return _score_year_of(spec, ev, hint)
    total = ev.sample.n_text
    return Candidate(
        spec.name,
        _combine(0.5 * fit, hint),
        f"column name, and {_pct(fit)} of sampled values fit",
        round(fit * total),
        total,
        hint,
    )


#: Dates whose year alone (what Safe Harbor keeps) is recognized as a year of that date.
_PERSON_DATES = ("DATE_OF_BIRTH", "DATE_OF_DEATH", "PERSON_DATE")


def _score_year_of(spec: EntitySpec, ev: ColumnEvidence, hint: float) -> Candidate | None:
    """A person's date reduced to its year (e.g. by apply's ``year`` generalizer)."""
    if spec.name not in _PERSON_DATES:
        return None
    fit = domain_fit("year", ev)
    if fit < 0.95:
        return None
    total = ev.sample.n_text
    return Candidate(
        "DATE_YEAR", _combine(0.5 * fit, hint), "column name of a date; values are years", total, total, hint
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
    if _decimal_amounts(sample.values):
        return None  # amounts read as text ("1234.56"): measurements, not keys
    share = sample.distinct_share
    code = domain_fit("code", ev) if not sample.whole_numbers else 1.0
    relation = key_relation(sample.name)
    uuid = ev.patterns.get("ID")
    if relation == "party":
        return _party_key(ev, code, uuid)
    if uuid is not None and uuid.rate >= 0.9:
        basis = "UUIDs" + ("; the column name names the person" if relation == "subject" else "")
        return Candidate("ID", _combine(0.85, hint), basis, uuid.rows, uuid.total, hint)
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


_DECIMAL = re.compile(r"\s*[-+]?\d*\.\d+(?:[eE][-+]?\d+)?\s*|\s*[-+]?\d+\s*")


def _decimal_amounts(values: list[str]) -> bool:
    """Every value a decimal number, and most with a fractional part (amounts, measurements)."""
    looked = values[:200]
    if not looked or not all(_DECIMAL.fullmatch(v) for v in looked):
        return False
    return sum("." in v for v in looked) >= 0.5 * len(looked)


def _party_key(ev: ColumnEvidence, code: float, uuid: PatternEvidence | None) -> Candidate | None:
    """A key named after a provider, payer or organization: a related party, not the person."""
    sample = ev.sample
    if uuid is not None and uuid.rate >= 0.9:
        return Candidate("RELATED_KEY", 0.8, "UUIDs; the column name names a provider, payer or organization")
    if code >= 0.8 and (sample.distinct_share >= 0.5 or _SHAPED_ID.search(sample.name.lower())):
        return Candidate(
            "RELATED_KEY", 0.7, "key-shaped codes; the column name names a provider, payer or organization"
        )
    return None


_SHAPED_ID = re.compile(r"(?:^|[^a-z])(?:id|uuid|guid|key|no|num|number|nbr|code)$")


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
    if found and code_system(ev) is not None:
        # clinical / commercial codes have the shapes of SSNs and phone numbers: only a clear name keeps those
        found = [c for c in found if ENTITIES[c.entity].identifier != "direct" or c.hint >= 0.8]
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

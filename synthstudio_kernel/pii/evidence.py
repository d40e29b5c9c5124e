"""Value evidence for one column: which entity formats its sampled values match (whole-value
matches, row-weighted), checksum validity among the matches, name-dictionary and vocabulary
hit rates, and, for free text, the entities found inside the text."""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import name_hints
from .recognizers.checksums import CHECKSUMS, checksum_for
from .recognizers.names import NameStats, name_stats
from .recognizers.vocabulary import vocabulary_rates
from .sampling import ColumnSample, wilson_interval
from .text import TextEvidence

#: A match from a pattern scoring at least this is a "strong" format (usable without name context).
STRONG_SCORE = 0.3
#: A match counts as a whole-value match when it covers this share of the stripped value.
FULL_COVERAGE = 0.85
#: Mean words per value from which a text column is treated as free text.
TEXT_MIN_WORDS = 4.0
#: Characters of free text analyzed per column.
TEXT_CHAR_BUDGET = 200_000

_TEXT_FAMILIES = ("string", "mixed", "binary")
_ENGINE_FAMILIES = ("string", "mixed", "binary", "integer", "numeric-text")


@dataclass
class PatternEvidence:
    """Whole-value matches of one entity's formats on a column's sample."""

    entity: str
    rows: int = 0
    strong_rows: int = 0
    total: int = 0
    checksum: str | None = None
    checked_rows: int = 0
    valid_rows: int = 0
    matched: list[str] = field(default_factory=list, repr=False)  # raw values: never exported

    @property
    def rate(self) -> float:
        return self.rows / self.total if self.total else 0.0

    @property
    def strong_rate(self) -> float:
        return self.strong_rows / self.total if self.total else 0.0

    @property
    def checksum_valid_rate(self) -> float | None:
        return self.valid_rows / self.checked_rows if self.checked_rows else None

    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.rows, self.total)


@dataclass
class ColumnEvidence:
    sample: ColumnSample
    patterns: dict[str, PatternEvidence] = field(default_factory=dict)
    names: NameStats | None = None
    vocabulary: dict[str, float] = field(default_factory=dict)
    text: TextEvidence | None = None
    is_text: bool = False


def is_free_text(sample: ColumnSample) -> bool:
    """Strings of several words on average."""
    return sample.family in _TEXT_FAMILIES and sample.n_text > 0 and sample.mean_tokens >= TEXT_MIN_WORDS


def gather(sample: ColumnSample) -> ColumnEvidence:
    """All value evidence for ``sample``."""
    evidence = ColumnEvidence(sample=sample, is_text=is_free_text(sample))
    if sample.n_text == 0:
        return evidence
    if sample.family in _TEXT_FAMILIES:
        evidence.names = name_stats(sample.values, sample.counts)
        evidence.vocabulary = vocabulary_rates(sample.values, sample.counts)
    if sample.family in _ENGINE_FAMILIES or sample.whole_numbers:
        _pattern_evidence(evidence)
    return evidence


def _pattern_evidence(evidence: ColumnEvidence) -> None:
    from .engine import analyze_cells, analyze_texts

    sample = evidence.sample
    values, counts = sample.values, sample.counts
    if evidence.is_text:
        values, counts = _within_budget(values, counts)
        hits = analyze_texts(values)
        evidence.text = TextEvidence(texts=int(sum(counts)))
    else:
        hits = analyze_cells(values, entities=_worth_looking_for(sample))
    total = int(sum(counts))
    found: dict[str, PatternEvidence] = {}
    for value, count, matches in zip(values, counts, hits, strict=True):
        length = len(value.strip()) or 1
        whole: dict[str, float] = {}
        for m in matches:
            if m.end - m.start >= FULL_COVERAGE * length:
                whole[m.entity] = max(whole.get(m.entity, 0.0), m.score)
        for entity, score in whole.items():
            ev = found.setdefault(entity, PatternEvidence(entity=entity, total=total))
            ev.rows += count
            ev.strong_rows += count if score >= STRONG_SCORE else 0
            if len(ev.matched) < 200:
                ev.matched.append(value)
            _check(ev, value, count)
        if evidence.text is not None:
            evidence.text.add(matches, count)
    evidence.patterns = found


def _worth_looking_for(sample: ColumnSample) -> set[str] | None:
    """Bare whole numbers match many weak formats; only a name hint or a checksum can make one
    of them a verdict, so only those entities are looked for (None: look for everything)."""
    if not (sample.whole_numbers or sample.family == "numeric-text"):
        return None
    return set(name_hints(sample.name)) | set(CHECKSUMS) | {"DATE"}


def _check(ev: PatternEvidence, value: str, count: int) -> None:
    registered = checksum_for(ev.entity)
    if registered is None:
        return
    ev.checksum, check = registered
    verdict = check(value.strip())
    if verdict is None:
        return
    ev.checked_rows += count
    ev.valid_rows += count if verdict else 0


def _within_budget(values: list[str], counts: list[int]) -> tuple[list[str], list[int]]:
    kept_values: list[str] = []
    kept_counts: list[int] = []
    used = 0
    for value, count in zip(values, counts, strict=True):
        if used + len(value) > TEXT_CHAR_BUDGET and kept_values:
            break
        kept_values.append(value)
        kept_counts.append(count)
        used += len(value)
    return kept_values, kept_counts

"""Free-text columns: how often each entity type occurs inside the text.

Only hits from formats strong enough to stand alone count (weak formats such as "any 9
digits" would flood text with false hits); person names need a dictionary pair such as
"Maria Lopez" or a title plus a known name ("Dr. Patel").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

#: A hit needs at least this score to count inside text.
TEXT_MIN_SCORE = 0.3
#: Person names inside text need at least this score.
TEXT_NAME_SCORE = 0.45


@dataclass
class TextEvidence:
    """Entities found inside free text (counts only, never the text)."""

    texts: int = 0  # sampled texts analyzed
    occurrences: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # texts mentioning the entity at least once

    def add(self, matches: Sequence, count: int = 1) -> None:
        """Count the hits of one text that occurs ``count`` times in the sample."""
        seen: Counter[str] = Counter(m.entity for m in _outermost(matches))
        for entity, n in seen.items():
            self.occurrences[entity] = self.occurrences.get(entity, 0) + n * count
            self.rows[entity] = self.rows.get(entity, 0) + count

    def to_dict(self) -> dict[str, object]:
        return {"texts": self.texts, "occurrences": dict(self.occurrences), "rows": dict(self.rows)}


def _outermost(matches: Sequence) -> list:
    """Hits above their threshold, minus those inside a longer hit (the domain inside an email,
    the same date found by two recognizers)."""
    strong = [m for m in matches if m.score >= (TEXT_NAME_SCORE if m.entity == "PERSON_NAME" else TEXT_MIN_SCORE)]
    from .entities import ENTITIES

    order = {name: i for i, name in enumerate(ENTITIES)}
    kept: list = []
    # longest first; on equal spans the registry order decides (a phone number before a
    # 10-digit NHS number that happens to pass mod 11)
    for m in sorted(strong, key=lambda m: (-(m.end - m.start), order.get(m.entity, len(order)), -m.score)):
        if not any(k.start <= m.start and m.end <= k.end for k in kept):
            kept.append(m)
    return kept


def count_entities(texts: Sequence[str]) -> TextEvidence:
    """Entity counts over ``texts`` (each analyzed whole, with every recognizer)."""
    from .engine import analyze_texts

    evidence = TextEvidence(texts=len(texts))
    for matches in analyze_texts([str(t) for t in texts]):
        evidence.add(matches)
    return evidence

"""Facts: one recorded figure (or statement) with where it comes from.

Answers are written from facts only. :class:`Citations` hands out a fact's text and
remembers that it was used, so that an answer's ``facts`` are exactly the ones it cites.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .numbers import numbers_in, parse


@dataclass(frozen=True)
class Fact:
    """A cited fact: ``text`` is how answers write it; ``source`` says where it was recorded
    (a run id, a scorecard field, a ledger row, the knowledge base)."""

    key: str
    label: str
    text: str
    source: str
    value: Any = None

    def numbers(self) -> list[float]:
        """The numbers this fact allows an answer to write."""
        out = [parse(t) for t in numbers_in(self.text)]
        if isinstance(self.value, int | float) and not isinstance(self.value, bool):
            out.append(float(self.value))
        return out

    def to_dict(self) -> dict[str, Any]:
        value = (
            self.value if isinstance(self.value, str | int | float | bool) or self.value is None else str(self.value)
        )
        return {"key": self.key, "label": self.label, "text": self.text, "source": self.source, "value": value}

    def to_html(self) -> str:
        return (
            f"<li><b>{html.escape(self.label)}</b>: {html.escape(self.text)} "
            f"<span style='opacity:.7'>({html.escape(self.source)})</span></li>"
        )


@dataclass
class Citations:
    """The facts an answer has used so far, in order of first use."""

    facts: dict[str, Fact] = field(default_factory=dict)

    def cite(self, fact: Fact) -> str:
        """Record ``fact`` and return its text for the answer."""
        self.facts.setdefault(fact.key, fact)
        return fact.text

    def add(self, facts: list[Fact]) -> None:
        for fact in facts:
            self.facts.setdefault(fact.key, fact)

    def all(self) -> list[Fact]:
        return list(self.facts.values())

    def numbers(self) -> list[float]:
        return [n for fact in self.facts.values() for n in fact.numbers()]

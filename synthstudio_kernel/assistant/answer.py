"""The Answer of ``ss.ask``: text, the facts it cites (with sources) and suggestions."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .facts import Fact


@dataclass(frozen=True)
class Suggestion:
    """What to try next, why, and the fact that triggered it (see :mod:`.rules`)."""

    rule: str
    text: str
    reason: str
    fact: Fact
    threshold: Fact | None = None

    def facts(self) -> list[Fact]:
        return [self.fact] + ([self.threshold] if self.threshold else [])

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "text": self.text,
            "reason": self.reason,
            "fact": self.fact.to_dict(),
            "threshold": self.threshold.to_dict() if self.threshold else None,
        }

    def line(self) -> str:
        return f"{self.text} — {self.reason}"


@dataclass
class Answer:
    """A grounded answer. ``text`` is the deterministic answer unless an LLM rephrased it and the
    number check accepted the rephrasing (then ``deterministic_text`` keeps the original)."""

    question: str
    intent: str
    text: str
    facts: list[Fact] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    context: str = ""
    deterministic_text: str = ""
    phrasing: dict[str, Any] = field(default_factory=lambda: {"used": False})

    def all_facts(self) -> list[Fact]:
        """The cited facts and the suggestions' triggering facts."""
        seen: dict[str, Fact] = {f.key: f for f in self.facts}
        for s in self.suggestions:
            for f in s.facts():
                seen.setdefault(f.key, f)
        return list(seen.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "intent": self.intent,
            "text": self.text,
            "deterministic_text": self.deterministic_text or self.text,
            "context": self.context,
            "facts": [f.to_dict() for f in self.facts],
            "suggestions": [s.to_dict() for s in self.suggestions],
            "phrasing": dict(self.phrasing),
        }

    def to_markdown(self) -> str:
        """For the chat: the answer, the suggestions and the cited facts with their sources."""
        parts = [self.text]
        if self.suggestions:
            parts.append("**Suggestions**\n" + "\n".join(f"- {s.line()}" for s in self.suggestions))
        if self.facts:
            parts.append("**Facts cited**\n" + "\n".join(f"- {f.label}: {f.text} _({f.source})_" for f in self.facts))
        if self.context:
            parts.append(f"_About: {self.context}_")
        return "\n\n".join(parts)

    def __str__(self) -> str:
        lines = [self.text]
        if self.suggestions:
            lines += ["", "Suggestions:"] + [f"  - {s.line()}" for s in self.suggestions]
        if self.facts:
            lines += ["", "Facts cited:"] + [f"  - {f.label}: {f.text} ({f.source})" for f in self.facts]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Answer {self.intent}: {self.text[:80]!r}…>"

    def _repr_html_(self) -> str:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in self.text.split("\n\n"))
        out = [f"<div class='synthstudio-answer'><b>Synth Studio assistant</b>{body}"]
        if self.suggestions:
            items = "".join(
                f"<li>{html.escape(s.text)} <i>({html.escape(s.reason)})</i></li>" for s in self.suggestions
            )
            out.append(f"<p><b>Suggestions</b></p><ul>{items}</ul>")
        if self.facts:
            out.append("<details><summary>Facts cited</summary><ul>")
            out.append("".join(f.to_html() for f in self.facts))
            out.append("</ul></details>")
        if self.context:
            out.append(f"<p style='opacity:.7'>About: {html.escape(self.context)}</p>")
        if self.phrasing.get("used"):
            out.append(f"<p style='opacity:.7'>Phrased by {html.escape(str(self.phrasing.get('model')))}.</p>")
        out.append("</div>")
        return "".join(out)

"""The Synth Studio assistant: answers quality questions from recorded facts, offline.

``ss.ask(question, context=None) -> Answer`` routes the question to an intent (a TF-IDF
router over a shipped question bank), gathers the facts it needs from the scorecard, the
privacy report, the PII report and the ledger (through :mod:`.adapter`), writes a
deterministic answer citing each fact with its source, and adds the suggestions whose
rules fire (:mod:`.rules`). An LLM, when configured, may only rephrase it (:mod:`.phrasing`).

No Jupyter import here; names load lazily so that :mod:`.memory` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .answer import Answer, Suggestion
    from .engine import ask
    from .facts import Fact
    from .rules import suggestions_for

_LAZY = {
    "ask": ".engine",
    "Answer": ".answer",
    "Suggestion": ".answer",
    "Fact": ".facts",
    "suggestions_for": ".rules",
}

__all__ = ["Answer", "Fact", "Suggestion", "ask", "suggestions_for"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

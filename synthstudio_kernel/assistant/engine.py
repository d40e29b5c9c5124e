"""``ask(question, context=None) -> Answer``: route, gather evidence, write, suggest, maybe phrase."""

from __future__ import annotations

import re
from typing import Any

from ..errors import ConfigError
from . import context as contexts
from . import phrasing, router, rules
from .answer import Answer
from .answers import Query, load_writers
from .context import Evidence
from .facts import Citations
from .knowledge import find_metrics

#: Intents whose answers list the suggestions that fire (explanations and help do not).
SUGGESTING = frozenset(
    {"scores", "verdict", "columns", "utility_low", "epsilon", "privacy_risk", "budget", "compare", "next_steps", "pii"}
)
_USE_CASE_WORDS = {
    "partner_sharing": ("partner", "share", "sharing", "vendor", "external", "third part", "collaborat", "hand over"),
    "public_release": ("public", "publish", "release", "open data", "website", "everyone"),
    "internal_testing": ("internal", "testing", "test environment", "development", "in-house", "dev "),
}
_RUN_ID = re.compile(r"\b[0-9a-f]{8,32}\b")
_DEFINITION = re.compile(r"\b(mean|means|meaning|explain|define|definition|measure|measures|interpret|stand for)\b")
MAX_QUESTION = 2000


def ask(question: str, context: Any = None, *, use_memory: bool = True, phrase: bool | None = None) -> Answer:
    """Answer ``question`` from the recorded facts.

    ``context`` is None (the kernel's latest model, scorecard and dataset, else the ledger's
    latest evaluated run), a TrainedModel, a Scorecard, a PIIReport, a run id or a dataset name.
    ``phrase`` asks the configured LLM (see :mod:`.phrasing`) to rephrase the answer; None
    follows the configuration (off by default). The answer's numbers always come from its facts.
    """
    if not isinstance(question, str) or not question.strip():
        raise ConfigError("Ask a question in words, e.g. ss.ask('Is this good enough to share with partners?').")
    if len(question) > MAX_QUESTION:
        raise ConfigError(f"The question is longer than {MAX_QUESTION} characters; ask it in a shorter form.")
    if context is None:
        context = _named_context(question)
    ev = contexts.resolve(context, use_memory=use_memory)
    query = parse(question, ev)
    cite = Citations()
    text = load_writers()[query.intent](query, ev, cite)
    suggestions = rules.suggestions(ev) if query.intent in SUGGESTING else []
    answer = Answer(
        question=question,
        intent=query.intent,
        text=text,
        facts=cite.all(),
        suggestions=suggestions,
        context=ev.describe(),
        deterministic_text=text,
    )
    return phrasing.maybe_phrase(answer, enabled=phrase)


def parse(question: str, ev: Evidence) -> Query:
    """Route ``question`` and pick out what it names."""
    lower = question.lower()
    columns = _known_columns(ev)
    named_columns = tuple(c for c in columns if re.search(rf"(?<!\w){re.escape(c.lower())}(?!\w)", lower))
    datasets = tuple(d for d in _dataset_names() if re.search(rf"(?<!\w){re.escape(d.lower())}(?!\w)", lower))
    extra = frozenset(w for name in (*columns, *datasets) for w in router.normalise(name).split())
    route = router.route(question, extra_words=extra)
    metrics = tuple(find_metrics(question))
    intent = route.intent
    if intent == "scores" and named_columns:
        intent = "columns"
    if metrics and (intent in ("unknown", "help") or (intent == "scores" and _DEFINITION.search(lower))):
        intent = "metric"
    use_cases = tuple(u for u, words in _USE_CASE_WORDS.items() if any(w in lower for w in words))
    return Query(
        text=question,
        intent=intent,
        use_cases=use_cases,
        metrics=metrics,
        columns=named_columns,
        run_ids=tuple(_RUN_ID.findall(lower)),
        datasets=datasets,
    )


def _named_context(question: str) -> str | None:
    """A run id or the one dataset the question names, when the ledger knows it."""
    lower = question.lower()
    ids = _RUN_ID.findall(lower)
    if len(ids) == 1:
        runs = [r for r in contexts.ledger_runs(limit=200) if r.id.startswith(ids[0])]
        if len(runs) == 1:
            return str(runs[0].id)
    datasets = [d for d in _dataset_names() if re.search(rf"(?<!\w){re.escape(d.lower())}(?!\w)", lower)]
    return datasets[0] if len(datasets) == 1 else None


def _known_columns(ev: Evidence) -> list[str]:
    fidelity = (ev.scorecard or {}).get("fidelity") or {}
    names = [c["column"] for c in fidelity.get("columns", [])]
    names += [c for p in fidelity.get("pairs", []) for c in p["columns"]]
    return sorted(set(names), key=len, reverse=True)


def _dataset_names() -> list[str]:
    return [b["dataset"] for b in contexts.all_budgets()]

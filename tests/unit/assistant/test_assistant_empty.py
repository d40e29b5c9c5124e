"""With nothing recorded (empty kernel memory, empty ledger), every intent answers honestly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.assistant import memory, router
from synthstudio_kernel.assistant.numbers import numbers_in, ungrounded
from synthstudio_kernel.errors import ConfigError


@pytest.fixture(autouse=True)
def _empty(synth_home: Path) -> Iterator[None]:
    kept = {kind: memory.history(kind) for kind in memory.KINDS}
    memory.forget()
    yield
    memory.forget()
    for kind, objects in kept.items():
        for obj in objects:
            memory.remember(kind, obj)


@pytest.mark.parametrize("intent", sorted(router.bank()))
def test_every_intent_answers_without_a_recorded_figure_when_nothing_is_recorded(intent: str) -> None:
    question = router.bank()[intent][0]
    answer = ss.ask(question)
    assert answer.text
    # Only the knowledge base (what a metric means) may be cited, and only its numbers written.
    assert all(f.source.startswith("knowledge base") for f in answer.facts), answer.facts
    assert ungrounded(answer.text, [n for f in answer.facts for n in f.numbers()]) == [], answer.text
    assert answer.suggestions == []
    if not answer.facts:
        assert numbers_in(answer.text) == []


def test_bad_questions_and_contexts_are_user_errors() -> None:
    with pytest.raises(ConfigError, match="Ask a question in words"):
        ss.ask("   ")
    with pytest.raises(ConfigError, match="cannot use a list as context"):
        ss.ask("What is the fidelity score?", context=[1, 2])
    with pytest.raises(ConfigError, match="No run or dataset named"):
        ss.ask("What is the fidelity score?", context="missing-run")

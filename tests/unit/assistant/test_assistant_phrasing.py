"""Optional LLM phrasing: a fake model's reply is used only when every number is in the facts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from synthstudio_kernel.assistant import phrasing
from synthstudio_kernel.assistant.answer import Answer
from synthstudio_kernel.assistant.facts import Fact


def _answer() -> Answer:
    facts = [
        Fact("score.fidelity", "Fidelity score", "0.81", "scorecard of run 3f9a0c12ab41 · scores.fidelity", 0.8123),
        Fact("privacy.epsilon", "ε (whole pipeline)", "ε = 1.0", "privacy report of run 3f9a0c12ab41", 0.999),
    ]
    text = "Fidelity is 0.81 and the run spent ε = 1.0."
    return Answer("How good is it?", "scores", text, facts=facts, deterministic_text=text)


@pytest.fixture(autouse=True)
def _off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(phrasing.ENV_MODEL, raising=False)
    phrasing.configure()
    yield
    phrasing.configure()


def test_off_by_default() -> None:
    assert phrasing.configured() == (None, None)
    answer = phrasing.maybe_phrase(_answer())
    assert answer.text == "Fidelity is 0.81 and the run spent ε = 1.0." and answer.phrasing == {"used": False}


def test_a_reply_with_an_invented_number_is_rejected() -> None:
    sent: list[list[dict[str, str]]] = []

    def fake(messages: list[dict[str, str]]) -> str:
        sent.append(messages)
        return "Fidelity is a solid 0.81, about 92% of what real data would give, with ε = 1.0."

    phrasing.configure(model="fake", complete=fake)
    answer = phrasing.maybe_phrase(_answer())
    assert answer.text == answer.deterministic_text
    assert answer.phrasing["used"] is False and "92%" in answer.phrasing["reason"]
    assert len(sent) == 1


def test_a_faithful_reply_is_used() -> None:
    phrasing.configure(model="fake", complete=lambda m: "The data is quite faithful (81%), and its ε is 1.0.")
    answer = phrasing.maybe_phrase(_answer())
    assert answer.text == "The data is quite faithful (81%), and its ε is 1.0."
    assert answer.phrasing == {"used": True, "model": "fake"}
    assert "Phrased by fake" in answer._repr_html_()


def test_a_failing_model_leaves_the_deterministic_answer() -> None:
    def broken(messages: list[dict[str, str]]) -> str:
        raise TimeoutError("no network")

    answer = phrasing.maybe_phrase(_answer(), enabled=True, complete=broken, model="broken")
    assert answer.text == answer.deterministic_text
    assert answer.phrasing["reason"] == "the model call failed (TimeoutError)"


def test_what_is_sent_is_the_question_the_answer_and_the_facts() -> None:
    messages = phrasing.build_messages(_answer())
    assert [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    assert "Question: How good is it?" in user
    assert "Fidelity is 0.81 and the run spent ε = 1.0." in user
    assert "- Fidelity score: 0.81 (source: scorecard of run 3f9a0c12ab41 · scores.fidelity)" in user
    assert "do not add" in messages[0]["content"]

"""The offline router on paraphrases that are not in its question bank."""

from __future__ import annotations

import pytest

from synthstudio_kernel.assistant import router

PARAPHRASES = [
    ("Is the data fit to hand over to our research partners?", "verdict"),
    ("Would it be acceptable to post this dataset on a public website?", "verdict"),
    ("Which attributes are reproduced worst?", "columns"),
    ("which pair of features lost its correlation", "columns"),
    ("Why are the prediction models so weak on the synthetic data?", "utility_low"),
    ("did we lose the minority class", "utility_low"),
    ("What does the DCR ratio tell me?", "metric"),
    ("What's the meaning of the noise multiplier?", "metric"),
    ("In plain English, what does an epsilon of 1 promise?", "epsilon"),
    ("How well protected are the people in my training data by this model?", "epsilon"),
    ("Could someone work out whether a patient was in the training set?", "privacy_risk"),
    ("How much privacy budget does the claims dataset have left?", "budget"),
    ("How many further training runs can the remaining epsilon pay for?", "budget"),
    ("Compare the two most recent runs", "compare"),
    ("Is my second model an improvement over the first one?", "compare"),
    ("What would you recommend I do to improve things?", "next_steps"),
    ("Which columns hold personal identifiers?", "pii"),
    ("Tell me the fidelity", "scores"),
    ("Is the generated table any good?", "scores"),
    ("What sort of questions do you answer?", "help"),
    ("What is the capital of France?", "unknown"),
    ("Who won the football match yesterday?", "unknown"),
    ("Book me a table for two tonight", "unknown"),
]


def test_paraphrases_are_not_in_the_bank() -> None:
    known = {router.normalise(q) for examples in router.bank().values() for q in examples}
    assert not [q for q, _ in PARAPHRASES if router.normalise(q) in known]


@pytest.mark.parametrize(("question", "intent"), PARAPHRASES)
def test_paraphrase_routes_to_its_intent(question: str, intent: str) -> None:
    assert router.route(question).intent == intent


def test_every_intent_has_examples_and_a_writer() -> None:
    from synthstudio_kernel.assistant.answers import load_writers

    writers = load_writers()
    assert set(router.bank()) | {router.UNKNOWN} == set(writers)
    assert all(len(examples) >= 5 for examples in router.bank().values())

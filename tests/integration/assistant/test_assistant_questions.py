"""A bank of questions about one recorded session: right intent, right numbers, no invented number.

The expected figures are read from the real producers (the Scorecard, the privacy report, the
ledger's budget, the PII report) and formatted here, independently of the assistant.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.assistant import router
from synthstudio_kernel.assistant.numbers import ungrounded
from synthstudio_kernel.errors import ConfigError

Expect = Callable[[Any], list[str]]


def _score(name: str) -> Expect:
    return lambda r: [f"{r.card.scores[name]:.2f}"]


def _detail(*path: str, fmt: str = "{:.2f}", card: str = "card") -> Expect:
    def get(r: Any) -> list[str]:
        node: Any = getattr(r, card).to_dict()
        for key in path:
            node = node[key]
        return [fmt.format(node)]

    return get


def _verdict(use_case: str) -> Expect:
    return lambda r: [r.card.verdict(use_case)]


def _worst_column(r: Any) -> list[str]:
    columns = r.card.to_dict()["fidelity"]["details"]["quality"]["column_shapes"]["columns"]
    worst = min((c for c in columns if c["score"] is not None), key=lambda c: c["score"])
    return [worst["column"], f"{worst['score']:.2f}"]


def _column(name: str) -> Expect:
    def get(r: Any) -> list[str]:
        columns = r.card.to_dict()["fidelity"]["details"]["quality"]["column_shapes"]["columns"]
        return [name, f"{next(c['score'] for c in columns if c['column'] == name):.2f}"]

    return get


def _worst_pair(r: Any) -> list[str]:
    pairs = [
        p
        for p in r.card.to_dict()["fidelity"]["details"]["quality"]["column_pair_trends"]["pairs"]
        if p["contributes"] and p["score"] is not None
    ]
    if not pairs:
        return ["No column pair"]
    worst = min(pairs, key=lambda p: p["score"])
    return [f"{worst['columns'][0]} × {worst['columns'][1]}", f"{worst['score']:.2f}"]


def _budget(field: str) -> Expect:
    return lambda r: [f"ε {getattr(ss.budget('insurance'), field):.3g}"]


def _dp(field: str, fmt: str = "{:.3g}") -> Expect:
    return lambda r: [fmt.format(r.dp_model.privacy_report().to_dict()[field])]


def _odds(r: Any) -> list[str]:
    return [f"e^ε = {math.exp(r.dp_model.privacy_report().epsilon):.3g}"]


def _direct_identifiers(r: Any) -> list[str]:
    return [r.pii.direct[0]]


def _words(*words: str) -> Expect:
    return lambda r: list(words)


def _lost_class(r: Any) -> list[str]:
    classes = r.lost_card.to_dict()["utility"]["details"]["classes"]
    return [f"{classes['synthetic']} of {classes['real']} real target classes", "smoker"]


def _compare(r: Any) -> list[str]:
    return [f"{r.card.scores['fidelity']:.2f}", f"{r.lost_card.scores['fidelity']:.2f}"]


def _run_id(r: Any) -> str:
    return str(r.model.run.id[:12])


# (question, context, intent, expected figures); context: None, "dp", "lost", "run", "dataset".
# Paraphrases marked (P) are not in the router's bank (checked below).
BANK: list[tuple[str, str | None, str, Expect]] = [
    ("Is this good enough to share with partners?", None, "verdict", _verdict("partner_sharing")),
    ("Could we hand this table over to an outside research group?", None, "verdict", _verdict("partner_sharing")),  # P
    (
        "Can I publish it on our open data portal, and if not, why?",
        None,
        "verdict",
        lambda r: [r.card.verdict("public_release"), "formal guarantee"],
    ),  # P
    ("Is the synthetic table ready for a public release?", None, "verdict", _verdict("public_release")),  # P
    ("What is the fidelity score?", None, "scores", _score("fidelity")),
    (
        "Give me the headline numbers of the latest evaluation",
        None,
        "scores",
        lambda r: [f"{r.card.scores[n]:.2f}" for n in ("fidelity", "utility", "privacy")],
    ),  # P
    ("How trustworthy are the generated rows overall?", None, "scores", _score("fidelity")),  # P
    ("Which columns differ most?", None, "columns", _worst_column),
    ("Which attributes are reproduced worst by the generator?", None, "columns", _worst_column),  # P
    ("Which pairs of variables lost their relationship?", None, "columns", _worst_pair),  # P
    ("How well is the bmi column reproduced?", None, "columns", _column("bmi")),  # P
    ("Why is utility low?", None, "utility_low", _score("utility")),
    (
        "Why are prediction models weaker when trained on the synthetic rows?",
        None,
        "utility_low",
        _score("utility"),
    ),  # P
    (
        "What does the membership inference AUC mean?",
        None,
        "metric",
        _detail("privacy", "details", "membership_inference", "max_auc"),
    ),
    ("Explain the DCR ratio to me", None, "metric", _detail("privacy", "details", "dcr", "ratio_median")),  # P
    ("What is TVComplement?", None, "metric", _words("total variation")),  # P
    (
        "How should I interpret the closer-to-train share?",
        None,
        "metric",
        _detail("privacy", "details", "closer_share", "share"),
    ),  # P
    ("What does Anonymeter's singling out risk mean?", None, "metric", _words("Anonymeter")),  # P
    ("What is a quasi-identifier?", None, "metric", _words("in combination")),  # P
    ("What does the noise multiplier measure?", "dp", "metric", _dp("noise_multiplier")),  # P
    ("Is there a privacy risk?", None, "privacy_risk", _score("privacy")),
    (
        "Could an attacker work out whether someone's record was used for training?",
        None,
        "privacy_risk",
        _detail("privacy", "details", "membership_inference", "max_auc"),
    ),  # P
    ("Did the generator memorise any real rows?", None, "privacy_risk", _score("privacy")),  # P
    ("How much budget is left?", None, "budget", _budget("remaining")),
    ("How many more training runs can the insurance dataset afford?", None, "budget", _budget("remaining")),  # P
    ("How much epsilon has been used up on insurance so far?", None, "budget", _budget("spent")),  # P
    (
        "What's the remaining privacy budget for insurance and what does it allow?",
        None,
        "budget",
        lambda r: [f"ε {ss.budget('insurance').remaining:.3g}", f"ε {ss.budget('insurance').total:.3g}"],
    ),  # P
    ("What should I try next?", None, "next_steps", _words("the facts suggest")),
    ("Any advice on making the synthetic data more useful?", None, "next_steps", _words("the facts suggest")),  # P
    ("Which columns contain personal identifiers?", None, "pii", _direct_identifiers),  # P
    ("Does my data still have names or emails in it?", None, "pii", _direct_identifiers),  # P
    ("What can you do?", None, "help", _words("I can answer about")),
    ("What is the weather in Lisbon?", None, "unknown", _words("I can answer about")),
    ("Who won the world cup?", None, "unknown", _words("I can answer about")),
    ("Please write me a poem about cats", None, "unknown", _words("I can answer about")),
    ("What does epsilon mean here?", "dp", "epsilon", lambda r: [*_dp("epsilon")(r), *_odds(r)]),
    ("Explain this model's privacy guarantee in everyday language", "dp", "epsilon", _odds),  # P
    ("What does δ mean for this run?", "dp", "epsilon", lambda r: ["δ = 1e-05", "1 in 100,000"]),  # P
    ("How private is this model?", "dp", "epsilon", _dp("meaning", fmt="{}")),
    ("What protection level does the DP model reach?", "dp", "epsilon", _dp("meaning", fmt="{}")),  # P
    ("What does epsilon mean here?", None, "epsilon", _words("no formal privacy guarantee")),
    ("Why is utility low?", "lost", "utility_low", _lost_class),
    ("Did the synthetic data drop one of the outcome classes?", "lost", "utility_low", _lost_class),  # P
    ("What is the fidelity of run {run}?", None, "scores", _score("fidelity")),
    ("Compare the last two runs", None, "compare", _compare),
    ("How does the newest scorecard stack up against the previous one?", None, "compare", _compare),  # P
]


def _context(r: Any, name: str | None) -> Any:
    return {None: None, "dp": r.dp_model, "lost": r.lost_card, "dataset": "insurance"}[name]


def test_the_bank_is_large_and_holds_paraphrases_the_router_never_saw() -> None:
    known = {router.normalise(q) for examples in router.bank().values() for q in examples}
    fresh = [q for q, *_ in BANK if router.normalise(q) not in known]
    assert len(BANK) >= 40
    assert len(fresh) >= 25, fresh


@pytest.mark.parametrize(("question", "context", "intent", "expect"), BANK, ids=[f"{i:02d}" for i in range(len(BANK))])
def test_answer_has_the_right_intent_and_numbers_and_no_invented_number(
    recorded: Any, question: str, context: str | None, intent: str, expect: Expect
) -> None:
    # Setup
    question = question.replace("{run}", _run_id(recorded))

    # Run
    answer = ss.ask(question, context=_context(recorded, context))

    # Assert
    assert answer.intent == intent, (question, answer.intent, answer.text)
    for figure in expect(recorded):
        assert figure in answer.text, (question, figure, answer.text)
    allowed = [n for fact in answer.all_facts() for n in fact.numbers()]
    written = answer.text + "\n" + "\n".join(s.line() for s in answer.suggestions)
    assert ungrounded(written, allowed) == [], (question, written)
    if intent not in ("help", "unknown"):
        assert answer.facts and all(f.source for f in answer.facts)
    else:
        assert answer.facts == [] and answer.suggestions == []


def test_answers_render_with_their_facts_and_suggestions(recorded: Any) -> None:
    answer = ss.ask("Why can't I release this publicly?")
    page = answer._repr_html_()
    data = answer.to_dict()
    assert "Facts cited" in page and "Suggestions" in page
    assert data["facts"] and data["suggestions"]
    assert {"key", "label", "text", "source", "value"} <= set(data["facts"][0])
    assert any(s["rule"] == "no_guarantee" for s in data["suggestions"])
    assert "Facts cited" in answer.to_markdown()


def test_context_can_be_a_model_a_scorecard_a_run_id_or_a_dataset(recorded: Any) -> None:
    run_id = recorded.model.run.id
    by_model = ss.ask("What is the fidelity score?", context=recorded.model)
    by_card = ss.ask("What is the fidelity score?", context=recorded.card)
    by_run = ss.ask("What is the fidelity score?", context=run_id)
    by_dataset = ss.ask("How much budget is left?", context="insurance")
    expected = f"{recorded.card.scores['fidelity']:.2f}"
    assert all(expected in a.text for a in (by_model, by_card, by_run))
    assert "ledger" in by_run.facts[-1].source or "ledger" in " ".join(f.source for f in by_run.facts)
    assert f"ε {ss.budget('insurance').remaining:.3g}" in by_dataset.text
    with pytest.raises(ConfigError, match="No run or dataset"):
        ss.ask("What is the fidelity score?", context="no-such-thing")


def test_every_reported_field_has_a_plain_language_explanation(recorded: Any) -> None:
    from synthstudio_kernel.assistant.knowledge import metrics

    covered = " ".join(" ".join(m.fields) for m in metrics().values())
    privacy = recorded.card.to_dict()["privacy"]["details"]
    names = [c["name"] for c in privacy["components"]]
    names += [k for k in recorded.dp_model.privacy_report().to_dict() if k not in ("method", "run_id", "guarantee")]
    names += [
        k
        for k in recorded.pii.to_dict()["columns"][0]
        if k not in ("column", "examples", "notes", "text_entities", "alternatives")
    ]
    names += list(recorded.card.to_dict()["fidelity"]["details"]["diagnostics"])
    missing = [n for n in names if n not in covered]
    assert missing == []
    for m in metrics().values():
        assert m.direction and m.range and m.typical and m.meaning


def test_the_ledger_keeps_what_the_persona_reads(recorded: Any) -> None:
    from synthstudio_kernel.assistant import adapter
    from synthstudio_kernel.evaluation.ledger_link import DIGEST_KEY
    from synthstudio_kernel.privacy.ledger import get_ledger

    ledger = get_ledger()
    run = ledger.get_run(recorded.model.run.id)
    dp_run = ledger.get_run(recorded.dp_model.run.id)
    assert run is not None and dp_run is not None
    digest = run.facts[DIGEST_KEY]
    assert digest["scores"] == recorded.card.scores
    assert digest["verdicts"]["partner_sharing"]["status"] == recorded.card.verdict("partner_sharing")
    assert digest["utility"]["classes"]["missing"] == 0
    assert DIGEST_KEY not in dp_run.facts  # never evaluated
    rebuilt = adapter.ledger_privacy_view(dp_run)
    report = recorded.dp_model.privacy_report().to_dict()
    assert rebuilt["epsilon"] == pytest.approx(report["epsilon"])
    assert rebuilt["noise_multiplier"] == report["noise_multiplier"] and rebuilt["level"] == report["level"]
    assert adapter.ledger_privacy_view(run)["guarantee"] == "none"


def test_a_run_evaluated_before_digests_existed_still_answers(recorded: Any) -> None:
    from synthstudio_kernel.assistant import adapter

    compact = recorded.card.ledger_facts()
    view = adapter._compact_view(compact)
    assert view["scores"]["fidelity"] == recorded.card.scores["fidelity"]
    answer = ss.ask("Which columns differ most?", context=view)
    assert "no per-column scores" in answer.text

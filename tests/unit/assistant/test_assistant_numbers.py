"""The number check: what counts as a figure taken from the facts."""

from __future__ import annotations

import pytest

from synthstudio_kernel.assistant.facts import Fact
from synthstudio_kernel.assistant.numbers import fmt_share, grounded, numbers_in, ungrounded


def test_numbers_are_found_but_run_ids_and_words_are_not() -> None:
    text = "Run 3f9a0c12ab: fidelity 0.80, ε = 1.5, δ = 1e-05, 12.5% copies, 1,234 rows; e^ε = 4.48."
    assert numbers_in(text) == ["0.80", "1.5", "1e-05", "12.5%", "1,234", "4.48"]


@pytest.mark.parametrize(
    ("token", "ok"),
    [("0.80", True), ("0.8", True), ("80%", True), ("80.2%", True), ("0.802", True), ("0.81", False), ("1", False),
     ("81%", False), ("3", False), ("1e-05", True), ("0.00001", True), ("2.5", False)],
)  # fmt: skip
def test_grounded_accepts_roundings_of_a_fact_and_nothing_else(token: str, ok: bool) -> None:
    assert grounded(token, [0.8017, 1e-05]) is ok


def test_a_fact_written_as_a_percentage_grounds_its_share() -> None:
    fact = Fact("x", "Excess copies", fmt_share(0.0342), "crafted", 0.0342)
    assert fact.text == "3.4%"
    assert ungrounded("3.4% of rows, that is 0.034 of them", fact.numbers()) == []
    assert ungrounded("about 4% of rows", fact.numbers()) == ["4%"]

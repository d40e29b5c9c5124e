"""Drill-down (one column, one pair), side-by-side comparison, and the incomplete privacy score."""

from __future__ import annotations

from synthstudio_kernel.evaluation.drilldown import column_html, pair_html
from synthstudio_kernel.evaluation.render import _summary
from synthstudio_kernel.evaluation.scorecard import Scorecard


def test_one_column_shows_its_score_and_real_vs_synthetic_plot(cards: dict[str, Scorecard]) -> None:
    # Setup
    card = next(iter(cards.values()))
    column = card.data["columns_evaluated"][0]

    # Run
    html = column_html(card, column)

    # Assert
    assert column in html and "data:image/png;base64," in html and "role='img'" in html
    assert "Column shape" in html


def test_one_pair_shows_real_and_synthetic_association(cards: dict[str, Scorecard]) -> None:
    card = next(iter(cards.values()))
    a, b = card.data["columns_evaluated"][:2]
    html = pair_html(card, a, b)
    assert f"{a} × {b}" in html and "<th>Real</th><th>Synthetic</th>" in html


def test_two_runs_side_by_side(cards: dict[str, Scorecard]) -> None:
    # Setup
    first, second = list(cards.values())[:2]

    # Run
    comparison = first.compare(second, labels=["run 1", "run 2"])
    html = comparison._repr_html_()

    # Assert
    assert "<th>run 1</th><th>run 2</th>" in html and "Fidelity" in html and "Column shapes" in html
    assert set(comparison.to_dict()) == {"run 1", "run 2"}
    assert comparison.to_dict()["run 2"]["scores"] == second.scores


def test_a_privacy_score_with_unmeasured_parts_is_marked_incomplete(
    no_holdout_card: Scorecard, cards: dict[str, Scorecard]
) -> None:
    # Run
    partial = _summary(no_holdout_card)
    complete = _summary(next(iter(cards.values())))

    # Assert: without a holdout some parts are not measured: a hatched bar, no green one
    assert "incomplete" in partial and "parts not measured" in partial
    assert "class='bar incomplete'" in partial
    assert "incomplete" not in complete

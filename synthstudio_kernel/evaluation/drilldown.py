"""Drill-down and comparison views of scorecards: one column or one pair, real vs synthetic,
and two runs side by side. HTML only from aggregates the scorecard already holds."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING, Any

from .render import _meter, _n, _table, wrapped

if TYPE_CHECKING:  # pragma: no cover
    from .scorecard import Scorecard


def column_html(card: Scorecard, column: str) -> str:
    """One column: its shape score and metric, and its real vs synthetic distribution."""
    from .plots import render_distributions

    shapes = card.fidelity["details"]["quality"]["column_shapes"]["columns"]
    shape = next((c for c in shapes if c["column"] == column), None)
    item = next((d for d in card.plot_data.get("distributions", []) if d["column"] == column), None)
    parts = [f"<h3>{escape(column)}</h3>"]
    if shape:
        parts.append(f"<p>Column shape ({escape(shape['metric'])}): {_meter(shape['score'])}</p>")
    if item is not None:
        png = render_distributions([item], per_row=1)
        parts.append(f"<img alt='{escape(column)}: real vs synthetic' src='data:image/png;base64,{png}'>")
    else:
        parts.append("<p class='muted'>No plot for this column (not evaluated or not plotted).</p>")
    return wrapped("".join(parts))


def pair_html(card: Scorecard, a: str, b: str) -> str:
    """One pair: its trend score and the association in real vs synthetic data."""
    pairs = card.fidelity["details"]["quality"]["column_pair_trends"]["pairs"]
    pair = next((p for p in pairs if set(p["columns"]) == {a, b}), None)
    association = card.plot_data.get("association") or {}
    columns = list(association.get("columns") or [])
    rows: list[list[str]] = []
    if a in columns and b in columns:
        i, j = columns.index(a), columns.index(b)
        real, synth = association["real"][i][j], association["synthetic"][i][j]
        diff = None if real is None or synth is None else abs(real - synth)
        rows.append(["Association (|r|, Cramér's V or η)", _n(real), _n(synth), _n(diff)])
    if pair is not None:
        rows.append(["Correlation (SDMetrics)", _n(pair["real_correlation"]), _n(pair["synthetic_correlation"]), ""])
    head = f"<h3>{escape(a)} × {escape(b)}</h3>"
    if pair is not None:
        head += f"<p>Pair trend ({escape(pair['metric'])}): {_meter(pair['score'])}</p>"
    if not rows:
        return wrapped(head + "<p class='muted'>This pair was not evaluated.</p>")
    return wrapped(head + _table(["Measure", "Real", "Synthetic", "|Difference|"], rows))


def comparison_html(cards: Mapping[str, Scorecard]) -> str:
    """Two (or more) scorecards side by side: scores, verdicts and the worst columns."""
    labels = list(cards)
    rows = [
        [escape(name.title()), *(_meter(card.scores.get(name)) for card in cards.values())]
        for name in ("fidelity", "utility", "privacy")
    ]
    use_cases: list[str] = []
    for card in cards.values():
        use_cases += [u for u in card.verdicts if u not in use_cases]
    for use_case in use_cases:
        cells = []
        for card in cards.values():
            status = (card.verdicts.get(use_case) or {}).get("status", "—")
            cells.append(f"<span class='{escape(status)}'>{escape(status)}</span>")
        label = next(c.verdicts[use_case]["label"] for c in cards.values() if use_case in c.verdicts)
        rows.append([escape(label), *cells])
    columns: dict[str, list[Any]] = {}
    for k, card in enumerate(cards.values()):
        for c in card.fidelity["details"]["quality"]["column_shapes"]["columns"]:
            columns.setdefault(c["column"], [None] * len(cards))[k] = c["score"]
    worst = sorted(columns.items(), key=lambda kv: min((s for s in kv[1] if s is not None), default=2))[:10]
    shape_rows = [[escape(col), *(_meter(s) for s in scores)] for col, scores in worst]
    header = ["", *(escape(label) for label in labels)]
    return wrapped(
        "<h2>Scorecards side by side</h2>"
        + _table(header, rows)
        + "<h3>Column shapes (worst first, up to 10)</h3>"
        + _table(["Column", *(escape(label) for label in labels)], shape_rows)
    )


class Comparison:
    """Scorecards side by side; renders itself in a notebook."""

    def __init__(self, cards: Mapping[str, Scorecard]) -> None:
        self.cards = dict(cards)

    def to_dict(self) -> dict[str, Any]:
        return {label: {"scores": card.scores, "verdicts": card.verdicts} for label, card in self.cards.items()}

    def _repr_html_(self) -> str:
        return comparison_html(self.cards)


def compare(*cards: Scorecard, labels: list[str] | None = None) -> Comparison:
    """Compare scorecards of two or more runs (labels default to "A", "B", …)."""
    names = labels or [chr(ord("A") + i) for i in range(len(cards))]
    if len(names) != len(cards):
        raise ValueError("give one label per scorecard")
    return Comparison(dict(zip(names, cards, strict=True)))

"""Evaluation panel: the scorecard in tabs (summary, fidelity, utility, privacy, method),
with its plots, and a progress bar for the running evaluation. Thin over the core."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ...evaluation.drilldown import column_html, pair_html
from ...evaluation.render import fragment, wrapped
from ...evaluation.scorecard import Scorecard
from .progress import StepProgress
from .static import static_bundle

_STEP_LABELS = {
    "preparing": "Preparing the tables",
    "fidelity": "Fidelity: SDMetrics quality and diagnostics",
    "utility": "Utility: training models on real and synthetic data",
    "privacy": "Privacy: distances, membership inference, Anonymeter",
    "plots": "Plots",
    "verdicts": "Verdicts",
    "done": "Done",
}


class EvaluationPanel(widgets.Tab):
    """A tab per scorecard section (the plots are embedded images), with the scorecard's
    static HTML beside the widget view (what a saved notebook shows after a reload)."""

    def __init__(self, scorecard: Scorecard, **kwargs: Any) -> None:
        self.scorecard = scorecard
        sections = scorecard.sections()
        children: list[widgets.Widget] = [widgets.HTML(value=wrapped(html)) for html in sections.values()]
        children.append(self._drilldown())
        super().__init__(children=children, titles=(*sections, "Drill-down"), **kwargs)

    def _drilldown(self) -> widgets.VBox:
        """Pick one column (its distribution, real vs synthetic) or one pair (its association)."""
        columns = list(self.scorecard.data.get("columns_evaluated") or [])
        wide = {"description_width": "initial"}
        self.column_picker = widgets.Dropdown(options=columns, description="Column", style=wide)
        self.pair_a = widgets.Dropdown(options=columns, description="Pair", style=wide)
        self.pair_b = widgets.Dropdown(options=columns, value=columns[1] if len(columns) > 1 else None)
        self.column_view = widgets.HTML()
        self.pair_view = widgets.HTML()
        self.column_picker.observe(lambda _c: self._show_column(), names="value")
        self.pair_a.observe(lambda _c: self._show_pair(), names="value")
        self.pair_b.observe(lambda _c: self._show_pair(), names="value")
        self._show_column()
        self._show_pair()
        return widgets.VBox(
            [self.column_picker, self.column_view, widgets.HBox([self.pair_a, self.pair_b]), self.pair_view]
        )

    def _show_column(self) -> None:
        column = self.column_picker.value
        self.column_view.value = column_html(self.scorecard, column) if column else ""

    def _show_pair(self) -> None:
        a, b = self.pair_a.value, self.pair_b.value
        self.pair_view.value = pair_html(self.scorecard, a, b) if a and b and a != b else ""

    def __repr__(self) -> str:
        return repr(self.scorecard)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        data, meta = static_bundle(super(), fragment(self.scorecard), **kwargs)
        data["text/plain"] = repr(self.scorecard)
        return data, meta


def evaluation_panel(scorecard: Scorecard) -> EvaluationPanel:
    """A tab per scorecard section; the plots are embedded images."""
    return EvaluationPanel(scorecard)


class EvaluationProgress(StepProgress):
    """A progress bar whose :meth:`update` is ``evaluate``'s ``progress`` callback."""

    def __init__(self) -> None:
        super().__init__("Evaluating", _STEP_LABELS)

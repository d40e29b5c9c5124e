"""Evaluation panel: the scorecard in tabs (summary, fidelity, utility, privacy, method),
with its plots, and a progress bar for the running evaluation. Thin over the core."""

from __future__ import annotations

import ipywidgets as widgets

from ...evaluation.render import wrapped
from ...evaluation.scorecard import Scorecard

_STEP_LABELS = {
    "preparing": "Preparing the tables",
    "fidelity": "Fidelity: SDMetrics quality and diagnostics",
    "utility": "Utility: training models on real and synthetic data",
    "privacy": "Privacy: distances, membership inference, Anonymeter",
    "plots": "Plots",
    "verdicts": "Verdicts",
    "done": "Done",
}


def evaluation_panel(scorecard: Scorecard) -> widgets.Tab:
    """A tab per scorecard section; the plots are embedded images."""
    sections = scorecard.sections()
    children = [widgets.HTML(value=wrapped(html)) for html in sections.values()]
    tab = widgets.Tab(children=children)
    tab.titles = tuple(sections)
    return tab


class EvaluationProgress:
    """A progress bar whose :meth:`update` is ``evaluate``'s ``progress`` callback."""

    def __init__(self) -> None:
        self.bar = widgets.IntProgress(value=0, min=0, max=1, description="Evaluating")
        self.label = widgets.Label(value="")
        self.widget = widgets.HBox([self.bar, self.label])

    def update(self, step: str, done: int, total: int) -> None:
        self.bar.max = max(total, 1)
        self.bar.value = min(done, self.bar.max)
        self.label.value = _STEP_LABELS.get(step, step)

    def close(self) -> None:
        self.widget.close()

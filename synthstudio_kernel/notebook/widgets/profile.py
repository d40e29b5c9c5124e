"""The profile panel: ipywidgets tabs (Overview, Columns, Outliers, Correlations) over a Profile.

Thin: every piece of HTML comes from ``synthstudio_kernel.profiling.html``. Outside a
live widget frontend (static HTML export, GitHub) the panel falls back to the profile's
own HTML rendering.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ...profiling import Profile
from ...profiling import html as render
from ...theme import ROOT
from .static import static_bundle

TAB_TITLES = ("Overview", "Columns", "Outliers", "Correlations")


def _html(content: str) -> widgets.HTML:
    return widgets.HTML(f'<style>{render.CSS}</style><div class="{ROOT} ss-profile">{content}</div>')


class ProfilePanel(widgets.Tab):
    """Tabs over one Profile; ``include_values=False`` hides category labels and min/max."""

    def __init__(self, profile: Profile, include_values: bool = True, **kwargs: Any) -> None:
        self.profile = profile
        self.include_values = include_values
        self.column_picker = widgets.Dropdown(
            options=list(profile.columns), description="Column", style={"description_width": "initial"}
        )
        self.column_detail = _html(self._detail(self.column_picker.value))
        self.column_picker.observe(self._on_column, names="value")
        self.measure_picker = widgets.Dropdown(
            options=[(title, key) for key, (title, _, _) in render.MEASURES.items()],
            value="associations",
            description="Measure",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="max-content", min_width="420px"),
        )
        self.heatmap = _html(render.heatmap_html(profile, "associations"))
        self.measure_picker.observe(self._on_measure, names="value")
        children = [
            _html(render.overview_html(profile)),
            widgets.VBox([_html(render.columns_html(profile, include_values)), self.column_picker, self.column_detail]),
            _html(render.outliers_html(profile)),
            widgets.VBox([self.measure_picker, self.heatmap, _html(render.strongest_pairs_html(profile))]),
        ]
        super().__init__(children=children, titles=TAB_TITLES, **kwargs)

    def _detail(self, name: str | None) -> str:
        return render.column_detail_html(self.profile, name, self.include_values) if name else ""

    def _on_column(self, change: dict[str, Any]) -> None:
        self.column_detail.value = _html(self._detail(change["new"])).value

    def _on_measure(self, change: dict[str, Any]) -> None:
        self.heatmap.value = _html(render.heatmap_html(self.profile, change["new"])).value

    def __repr__(self) -> str:
        return f"{self.profile!r} (panel: {', '.join(TAB_TITLES)})"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        return static_bundle(super(), render.render_fragment(self.profile, self.include_values), **kwargs)


def profile_panel(profile: Profile, include_values: bool = True) -> ProfilePanel:
    """Build the panel for ``profile``."""
    return ProfilePanel(profile, include_values=include_values)

"""The training chart's pieces: round ticks, one panel per quantity, nothing non-finite drawn."""

from __future__ import annotations

import itertools
import math

import pytest

from synthstudio_kernel.notebook.widgets.chart import nice_ticks, panel_svg, training_chart


@pytest.mark.parametrize(
    ("low", "high"),
    [(0.0, 1.0), (0.013, 0.41), (2.5, 2.5), (-3.2, 7.9), (120.0, 980.0), (1e-5, 3e-5)],
)
def test_ticks_are_round_and_cover_the_range(low: float, high: float):
    ticks = nice_ticks(low, high)
    steps = {round(b - a, 12) for a, b in itertools.pairwise(ticks)}
    assert ticks[0] <= low and ticks[-1] >= high and 3 <= len(ticks) <= 7
    assert len(steps) == 1
    mantissa = next(iter(steps)) / 10 ** math.floor(math.log10(next(iter(steps))))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))


def test_each_quantity_has_its_own_scale():
    # Run: a loss near 100 and one near 0.1 must not share an axis
    chart = training_chart({"loss": [120.0, 90.0, 80.0], "reconstruction": [0.3, 0.2, 0.1]}, [0.2, 0.4, 0.6])

    # Assert
    big, small, eps = chart.split("<svg")[1:]
    assert ">80<" in big or ">100<" in big
    assert ">0.1<" in small and ">100<" not in small
    assert "ε spent" in eps and ">0<" in eps


def test_no_data_gives_nothing_and_non_finite_values_are_skipped():
    assert training_chart({}, []) == ""
    svg = panel_svg("loss", {"loss": [float("nan"), 2.0, float("inf"), 1.0]})
    assert "nan" not in svg and "inf" not in svg and svg.count("<polyline") == 1


def test_progress_shows_elapsed_time_and_an_eta():
    from synthstudio_kernel.notebook.widgets.progress import StepProgress, eta_suffix

    assert eta_suffix(100.0, 0, 4, now=110.0) == ""
    assert eta_suffix(100.0, 1, 4, now=110.0) == " · step 1/4 · 10 s elapsed · ETA 30 s"
    assert "ETA" not in eta_suffix(100.0, 4, 4, now=140.0)
    bar = StepProgress("Evaluating", {"fidelity": "Fidelity"})
    bar.update("fidelity", 2, 5)
    assert (bar.bar.value, bar.bar.max) == (2, 5) and bar.label.value.startswith("Fidelity · step 2/5")

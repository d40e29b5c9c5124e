"""The live training chart: small multiples in inline SVG, one per quantity, each with its own
labelled y axis, epoch ticks on the x axis and a legend line.

One scale per quantity, so a loss is never hidden under another one; ε spent gets its own
panel (its target as a dashed line). A DP run that reports no losses (the release boundary
keeps un-noised losses out of view) still shows ε over the epochs. Colours come from the
themed palette (``theme.py``), so the chart reads in JupyterLab Light and Dark and in a
static export.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

#: Panel geometry (px).
WIDTH, HEIGHT = 300, 150
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 22, 34
SERIES = ("var(--ss-series1)", "var(--ss-series2)", "var(--ss-series3)", "var(--ss-series4)")
FALLBACK = ("#1f77b4", "#c2410c", "#2e7d32", "#7e3fb0")
CSS = (
    ".ss-chart{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0}"
    ".ss-chart svg{background:var(--ss-bg);border:1px solid var(--ss-border);border-radius:4px}"
    ".ss-chart .axis{stroke:var(--ss-fg-muted);stroke-width:1}"
    ".ss-chart .grid{stroke:var(--ss-border);stroke-width:1}"
    ".ss-chart text{fill:var(--ss-fg);font-size:11px;font-family:inherit}"
    ".ss-chart .ss-chart-note{color:var(--ss-fg-muted);font-size:12px}"
)


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About ``count`` round tick values covering [low, high] (1, 2, 2.5 or 5 × 10^k apart)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 12))
    return ticks


def _label(value: float) -> str:
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.1e}"
    return f"{value:.4g}"


def panel_svg(
    title: str,
    series: Mapping[str, Sequence[float]],
    *,
    x_label: str = "epoch",
    y_label: str = "",
    reference: tuple[str, float] | None = None,
    first_color: int = 0,
) -> str:
    """One panel: the series over 1..n on a shared y scale, with axes, ticks and a legend."""
    points = {
        name: [(i + 1, float(v)) for i, v in enumerate(values) if math.isfinite(v)] for name, values in series.items()
    }
    ys = [y for pts in points.values() for _, y in pts] + ([reference[1]] if reference else [])
    n = max((len(values) for values in series.values()), default=0)
    if not ys or n == 0:
        return ""
    low, high = min(ys), max(ys)
    if title.startswith("ε"):
        low = 0.0
    yticks = nice_ticks(low, high)
    y0, y1 = yticks[0], yticks[-1]
    xticks = nice_ticks(1, max(n, 2), count=min(6, max(n, 2)))
    xticks = [t for t in xticks if float(t).is_integer() and 1 <= t <= max(n, 2)] or [1]
    x_hi = max(n, 2)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + (x - 1) / (x_hi - 1) * plot_w

    def sy(y: float) -> float:
        return TOP + plot_h - (y - y0) / ((y1 - y0) or 1.0) * plot_h

    parts = [
        f"<text x='{LEFT}' y='14' font-weight='600'>{html.escape(title)}</text>",
        f"<line class='axis' x1='{LEFT}' y1='{TOP}' x2='{LEFT}' y2='{TOP + plot_h}'/>",
        f"<line class='axis' x1='{LEFT}' y1='{TOP + plot_h}' x2='{LEFT + plot_w}' y2='{TOP + plot_h}'/>",
    ]
    for t in yticks:
        y = sy(t)
        parts.append(f"<line class='grid' x1='{LEFT}' y1='{y:.1f}' x2='{LEFT + plot_w}' y2='{y:.1f}'/>")
        parts.append(f"<text x='{LEFT - 4}' y='{y + 3.5:.1f}' text-anchor='end'>{_label(t)}</text>")
    for t in xticks:
        x = sx(t)
        parts.append(f"<line class='axis' x1='{x:.1f}' y1='{TOP + plot_h}' x2='{x:.1f}' y2='{TOP + plot_h + 4}'/>")
        parts.append(f"<text x='{x:.1f}' y='{TOP + plot_h + 15}' text-anchor='middle'>{int(t)}</text>")
    parts.append(
        f"<text x='{LEFT + plot_w / 2:.1f}' y='{HEIGHT - 3}' text-anchor='middle'>{html.escape(x_label)}</text>"
    )
    if y_label:
        parts.append(
            f"<text transform='translate(11,{TOP + plot_h / 2:.1f}) rotate(-90)' text-anchor='middle'>"
            f"{html.escape(y_label)}</text>"
        )
    if reference is not None:
        y = sy(reference[1])
        parts.append(
            f"<line x1='{LEFT}' y1='{y:.1f}' x2='{LEFT + plot_w}' y2='{y:.1f}' stroke='var(--ss-bad,#cf222e)' "
            "stroke-dasharray='4 3' stroke-width='1.2'/>"
        )
    legend = []
    for index, (name, pts) in enumerate(points.items()):
        k = (first_color + index) % len(SERIES)
        color = f"{SERIES[k].removesuffix(')')},{FALLBACK[k]})"
        if len(pts) == 1:
            x, y = pts[0]
            parts.append(f"<circle cx='{sx(x):.1f}' cy='{sy(y):.1f}' r='2.5' fill='{color}'/>")
        elif pts:
            coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
            parts.append(f"<polyline fill='none' stroke='{color}' stroke-width='1.8' points='{coords}'/>")
        last = f" {_label(pts[-1][1])}" if pts else ""
        legend.append((color, f"{name}{last}"))
    if reference is not None:
        legend.append(("var(--ss-bad,#cf222e)", f"{reference[0]} {_label(reference[1])}"))
    x = LEFT + plot_w
    for color, text in reversed(legend):
        width = 7 * len(text) + 14
        x -= width
        parts.append(f"<rect x='{x:.0f}' y='6' width='9' height='9' fill='{color}'/>")
        parts.append(f"<text x='{x + 12:.0f}' y='14'>{html.escape(text)}</text>")
    label = f"{title}: " + "; ".join(f"{name} over {len(v)} epochs" for name, v in series.items())
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' role='img' "
        f"aria-label='{html.escape(label)}'>{''.join(parts)}</svg>"
    )


def training_chart(
    losses: Mapping[str, Sequence[float]],
    epsilon: Sequence[float] = (),
    *,
    target_epsilon: float | None = None,
) -> str:
    """Small multiples: one panel per loss (own scale) and one for ε spent over the epochs."""
    panels = [
        panel_svg(name, {name: values}, y_label="loss", first_color=i)
        for i, (name, values) in enumerate(losses.items())
        if any(math.isfinite(v) for v in values)
    ]
    if epsilon:
        reference = ("target", float(target_epsilon)) if target_epsilon else None
        panels.append(panel_svg("ε spent", {"ε": epsilon}, y_label="ε", reference=reference, first_color=3))
    body = "".join(p for p in panels if p)
    if not losses and epsilon:
        body += (
            "<p class='ss-chart-note'>No losses shown: this DP run reports only the privacy spent "
            "(un-noised losses stay inside the ledger).</p>"
        )
    if not body:
        return ""
    return f"<style>{CSS}</style><div class='ss-chart'>{body}</div>"

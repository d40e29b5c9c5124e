"""HTML rendering of a Profile: self-contained (inline CSS and SVG, no scripts or external assets).

The notebook panel reuses the section renderers (one per tab); ``render_page`` makes a
standalone document and ``render_fragment`` the notebook's rich output.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from ..data.tables import distinct_estimate_note
from ..theme import CSS as THEME_CSS
from ..theme import ROOT
from .statistics import CategoricalStats, ColumnStats, DatetimeStats, NumericStats, TextStats

if TYPE_CHECKING:  # pragma: no cover
    from .profile import Profile

CSS = (
    THEME_CSS
    + """
.ss-ui.ss-profile{max-width:1200px}
.ss-ui.ss-profile h2{font-size:18px;margin:8px 0}.ss-ui.ss-profile h3{font-size:15px;margin:16px 0 6px}
.ss-ui.ss-profile table{border-collapse:collapse;margin:4px 0 10px}
.ss-ui.ss-profile th,.ss-ui.ss-profile td{border:1px solid var(--ss-border);padding:3px 7px;text-align:right;vertical-align:top}
.ss-ui.ss-profile th{background:var(--ss-bg-alt);text-align:left}.ss-ui.ss-profile td.l{text-align:left}
.ss-ui.ss-profile .muted{color:var(--ss-fg-muted)}.ss-ui.ss-profile .warn{color:var(--ss-warn);font-weight:600}
.ss-ui.ss-profile ul{margin:4px 0 10px 18px;padding:0}
.ss-ui.ss-profile .kpi{display:inline-block;margin:0 18px 8px 0}.ss-ui.ss-profile .kpi b{display:block;font-size:17px}
.ss-ui.ss-profile table.heat td{width:38px;text-align:center;font-size:11px;border:1px solid var(--ss-bg)}
.ss-ui.ss-profile table.heat td.na{background:var(--ss-bg-alt)}
.ss-ui.ss-profile table.heat th.rot{height:90px;white-space:nowrap;vertical-align:bottom;font-weight:normal}
.ss-ui.ss-profile table.heat th.rot div{transform:rotate(-60deg);width:30px;transform-origin:left bottom;margin-left:14px}
.ss-ui.ss-profile svg rect.bar{fill:var(--ss-series1)}
""".strip()
)

#: heatmap measure -> (title, signed, matrix getter)
MEASURES: dict[str, tuple[str, bool, Callable[[Profile], pd.DataFrame]]] = {
    "associations": ("All pairs: |Spearman|, Cramér's V, η", False, lambda p: p.correlations.associations()),
    "pearson": ("Pearson (numeric)", True, lambda p: p.correlations.pearson),
    "spearman": ("Spearman (numeric)", True, lambda p: p.correlations.spearman),
    "cramers_v": ("Cramér's V (categorical)", False, lambda p: p.correlations.cramers_v),
    "eta": ("η correlation ratio (categorical → numeric)", False, lambda p: p.correlations.eta),
}


def render_page(profile: Profile, include_values: bool = True) -> str:
    """A standalone HTML document (doctype, charset, title, inline styles, a header of facts)."""
    from datetime import UTC, datetime

    from ..theme import page

    title = f"Profile of {profile.name}" if profile.name else "Profile"
    meta = {
        "dataset": profile.name or "unnamed table",
        "shape": f"{profile.n_rows:,} rows × {profile.n_columns} columns",
        "model": "none (a profile of the real table)",
        "ε": "not applicable: a profile is for the data owner, not for release",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    return page(title, _body(profile, include_values), extra_css=CSS, meta=meta)


def render_fragment(profile: Profile, include_values: bool = True) -> str:
    """The notebook's rich output: all sections in one scrollable block."""
    return f"<style>{CSS}</style>{_body(profile, include_values)}"


def _body(profile: Profile, include_values: bool) -> str:
    parts = [
        overview_html(profile),
        "<h3>Columns</h3>",
        columns_html(profile, include_values),
        outliers_html(profile),
        heatmap_html(profile, "associations"),
        strongest_pairs_html(profile),
    ]
    return f'<div class="{ROOT} ss-profile">{"".join(parts)}</div>'


# --- sections (also used by the notebook panel) ---------------------------------------


def overview_html(profile: Profile) -> str:
    o = profile.overview
    title = escape(f"Profile of {profile.name}" if profile.name else "Profile")
    kpis = [
        ("rows", f"{profile.n_rows:,}"),
        ("columns", f"{profile.n_columns:,}"),
        ("missing cells", f"{o['missing_cells']:,} ({_pct(o['missing_cells_share'])})"),
        ("duplicate rows", f"{o['duplicate_rows']:,} ({_pct(o['duplicate_rows_share'])})"),
        ("memory", _bytes(o["memory_bytes"])),
        ("warnings", str(len(profile.warnings))),
    ]
    kinds = ", ".join(f"{n} {escape(k)}" for k, n in o["kind_counts"].items())
    sizes = profile.sample_sizes
    sampling = (
        f"Statistics and univariate outliers use all {sizes['rows']:,} rows; correlations use "
        f"{sizes['correlations']:,} rows and the Isolation Forest {sizes['isolation_forest']:,} rows "
        f"(uniform sample, seed {profile.seed})."
    )
    if "text_lengths" in sizes:
        sampling += f" Text lengths use up to {sizes['text_lengths']:,} values per column."
    if "sampling" in o:  # a table by reference: what is exact and what comes from the engine's sample
        sampling = table_sampling_text(profile)
    return (
        f"<h2>{title}</h2>"
        + "".join(f'<span class="kpi"><b>{escape(v)}</b><span class="muted">{k}</span></span>' for k, v in kpis)
        + f'<p class="muted">Kinds: {kinds}. {escape(sampling)} Computed in {profile.timings["total"]:.2f} s.</p>'
        + warnings_html(profile)
    )


def table_sampling_text(profile: Profile) -> str:
    """What a profile of a table by reference computed exactly and what from its sample, with the bounds."""
    o = profile.overview
    info = o["sampling"]
    n, rows = int(info["sample_rows"]), profile.n_rows
    text = (
        f"Table by reference ({o.get('engine', 'engine')}): counts, missing and distinct values, mean, std, "
        f"min, max, zeros, negatives and top categories are exact over all {rows:,} rows."
    )
    if n < rows:
        text += (
            f" Quantiles, histograms, skew, kurtosis, text lengths, outliers, correlations and duplicate rows come "
            f"from a uniform sample of {n:,} rows drawn in the engine (seed {info['seed']}): any quantile's rank "
            f"is within ±{100 * float(info['quantile_rank_error_95']):.2f} percentage points at 95% (DKW)."
        )
        margin = profile.sampling_errors.get("correlations")
        if margin:
            text += f" Correlations are within about ±{margin:.3f} at 95%."
    estimated = info.get("distinct_estimated")
    if estimated:
        text += " " + distinct_estimate_note(len(estimated["columns"]), float(estimated["relative_std_error"]))
    return text


def warnings_html(profile: Profile) -> str:
    if not profile.warnings:
        return "<h3>Warnings</h3><p>No warnings.</p>"
    items = "".join(
        f'<li><span class="warn">{escape(w.code)}</span>: {escape(w.message)}'
        + (f' <span class="muted">(threshold: {escape(w.threshold)})</span>' if w.threshold else "")
        + "</li>"
        for w in profile.warnings
    )
    return f"<h3>Warnings ({len(profile.warnings)})</h3><ul>{items}</ul>"


def columns_html(profile: Profile, include_values: bool = True) -> str:
    head = ["column", "kind", "missing", "unique", "mean", "std", "median", "IQR", "skew", "distribution / top"]
    rows = []
    for s in profile.columns.values():
        mean = std = median = iqr = skew = ""
        if isinstance(s, NumericStats):
            mean, std, median = _num(s.mean), _num(s.std), _num(s.quantiles["median"])
            iqr, skew = _num(s.iqr), _num(s.skew)
        rows.append(
            [
                _l(escape(s.name)),
                _l(s.kind.value),
                f"{s.missing:,} ({_pct(s.missing_share)})",
                f"{s.unique:,}",
                mean,
                std,
                median,
                iqr,
                skew,
                _l(_distribution(s, include_values)),
            ]
        )
    return _table(head, rows)


def column_detail_html(profile: Profile, name: str, include_values: bool = True) -> str:
    """Every statistic of one column (and its outlier fences when numeric)."""
    s = profile.columns[name]
    record = s.to_dict(include_values)
    skip = {"name", "histogram", "top", "top_counts"}
    cells = [[_l(escape(k)), _fmt(v)] for k, v in record.items() if k not in skip]
    parts = [
        f"<h3>{escape(name)} <span class='muted'>({s.kind.value})</span></h3>",
        _table(["statistic", "value"], cells),
    ]
    if isinstance(s, NumericStats):
        parts.append(_histogram_svg(s.histogram_counts, width=360, height=80))
    if isinstance(s, CategoricalStats):
        parts.append(_top_table(s, include_values))
    if name in profile.outliers:
        o = profile.outliers[name]
        parts.append(
            "<p>"
            + escape(
                f"IQR fences [{_num(o.iqr.lower)}, {_num(o.iqr.upper)}]: {o.iqr.count:,} outliers; "
                f"robust z (|z| > {o.z_threshold}) bounds [{_num(o.robust_z.lower)}, {_num(o.robust_z.upper)}]: "
                f"{o.robust_z.count:,} outliers."
            )
            + "</p>"
        )
    return "".join(parts)


def outliers_html(profile: Profile) -> str:
    head = [
        "column",
        "IQR lower",
        "IQR upper",
        "IQR outliers",
        "robust-z lower",
        "robust-z upper",
        "robust-z outliers",
        "scale",
    ]
    rows = [
        [
            _l(escape(o.column)),
            _num(o.iqr.lower),
            _num(o.iqr.upper),
            f"{o.iqr.count:,} ({_pct(o.iqr.share)})",
            _num(o.robust_z.lower),
            _num(o.robust_z.upper),
            f"{o.robust_z.count:,} ({_pct(o.robust_z.share)})",
            _l(o.scale_kind),
        ]
        for o in profile.outliers.values()
    ]
    f = profile.multivariate
    if f.skipped:
        forest = f"Isolation Forest not run: {escape(f.skipped)}."
    else:
        lo, hi = f.share_ci95
        drivers = ", ".join(escape(d) for d in f.drivers) or "none"
        forest = (
            f"Isolation Forest over {len(f.columns)} numeric columns, {f.sample_size:,} sampled rows: "
            f"<b>{f.count:,}</b> rows ({_pct(f.share)}, 95% CI {_pct(lo)}–{_pct(hi)}) have an anomaly score "
            f"above {f.threshold} ({f.n_estimators} trees, seed {f.seed}, missing values imputed with the median). "
            f"Most unusual columns among them: {drivers}."
        )
    rule = (
        '<p class="muted">IQR: outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR]. Robust z: |x − median| / scale &gt; 3.5, '
        "scale = 1.4826·MAD (or 1.2533·mean absolute deviation when MAD is 0).</p>"
    )
    table = _table(head, rows) if rows else "<p>No numeric columns.</p>"
    return f"<h3>Outliers</h3>{table}{rule}<h3>Multivariate outliers</h3><p>{forest}</p>"


def heatmap_html(profile: Profile, measure: str = "associations") -> str:
    """A colored matrix of one measure (see :data:`MEASURES`)."""
    title, signed, getter = MEASURES[measure]
    matrix = getter(profile)
    c = profile.correlations
    if c.sample_size < profile.n_rows:
        margin = profile.sampling_errors.get("correlations")
        rows = f"a uniform sample of {c.sample_size:,} of {profile.n_rows:,} rows"
        rows += f" (sampling error about ±{margin:.3f} at 95% near 0, less for strong pairs)" if margin else ""
    else:
        rows = f"all {c.sample_size:,} rows"
    corrected = "bias-corrected (Bergsma 2013)" if c.bias_corrected else "uncorrected"
    note = f"Computed on {rows}; rows missing either value are left out of a pair. Cramér's V is {corrected}."
    excluded = "".join(f"<li>{escape(n)}: {escape(r)}</li>" for n, r in c.excluded.items())
    excluded_html = f"<p class='muted'>Not correlated:</p><ul class='muted'>{excluded}</ul>" if excluded else ""
    if matrix.empty:
        return f"<h3>Correlations: {escape(title)}</h3><p>No pairs to show for this measure.</p>{excluded_html}"
    head = "".join(
        f'<th class="rot"><div title="{escape(str(col))}">{escape(_short(str(col)))}</div></th>'
        for col in matrix.columns
    )
    body = []
    for index, row in matrix.iterrows():
        cells = "".join(_heat_cell(v, signed) for v in row.to_numpy(dtype=float))
        body.append(f'<tr><th title="{escape(str(index))}">{escape(_short(str(index), 24))}</th>{cells}</tr>')
    return (
        f"<h3>Correlations: {escape(title)}</h3>"
        f'<table class="heat"><tr><th></th>{head}</tr>{"".join(body)}</table>'
        f'<p class="muted">{escape(note)}</p>{excluded_html}'
    )


def strongest_pairs_html(profile: Profile, limit: int = 10) -> str:
    pairs = [p for p in profile.correlations.pairs() if p["strength"] is not None][:limit]
    if not pairs:
        return ""
    rows = [[_l(escape(p["a"])), _l(escape(p["b"])), _l(_measure_name(p)), _num(p["strength"], 3)] for p in pairs]
    return "<h3>Strongest associations</h3>" + _table(["column", "column", "measure", "strength"], rows)


# --- helpers -------------------------------------------------------------------------


def _measure_name(pair: dict[str, object]) -> str:
    if pair["type"] == "numeric":
        return f"Pearson {_num(pair['pearson'], 3)}, Spearman {_num(pair['spearman'], 3)}"  # type: ignore[arg-type]
    return "Cramér's V" if pair["type"] == "categorical" else "η"


def _distribution(s: ColumnStats, include_values: bool) -> str:
    if isinstance(s, NumericStats):
        return _histogram_svg(s.histogram_counts)
    if isinstance(s, CategoricalStats):
        shown = s.top[:3]
        labels = (
            ", ".join(f"{escape(_short(label, 18))} ({_pct(count / s.count)})" for label, count in shown)
            if include_values
            else ", ".join(_pct(count / s.count) for _, count in shown)
        )
        return labels + (" …" if s.unique > 3 else "")
    if isinstance(s, DatetimeStats):
        span = f"{_num(s.span_days)} days" if s.span_days is not None else ""
        return escape(f"{s.min} → {s.max} ({span})") if include_values else escape(span)
    if isinstance(s, TextStats) and s.length_mean is not None:
        return escape(f"mean length {s.length_mean:.1f}")
    return ""


def _top_table(s: CategoricalStats, include_values: bool) -> str:
    rows = [
        [_l(escape(label) if include_values else f"#{i + 1}"), f"{count:,}", _pct(count / s.count)]
        for i, (label, count) in enumerate(s.top)
    ]
    if s.other:
        rows.append([_l("other"), f"{s.other:,}", _pct(s.other / s.count)])
    return _table(["category", "count", "share"], rows)


def _histogram_svg(counts: Iterable[int], width: int = 120, height: int = 28) -> str:
    values = list(counts)
    if not values or max(values) == 0:
        return ""
    top, bar = max(values), width / len(values)
    rects = "".join(
        f'<rect x="{i * bar:.1f}" y="{height - max(1.0, height * c / top):.1f}" width="{max(bar - 1, 1):.1f}" '
        f'height="{max(1.0, height * c / top):.1f}" class="bar" fill="#4c78a8"/>'
        for i, c in enumerate(values)
    )
    return f'<svg width="{width}" height="{height}" role="img" aria-label="histogram">{rects}</svg>'


#: (scale, value >= 0) -> full-strength color: red positive, blue negative, blue for [0, 1] measures.
_PALETTE = {
    ("signed", True): (178, 24, 43),
    ("signed", False): (33, 102, 172),
    ("unsigned", True): (8, 81, 156),
    ("unsigned", False): (8, 81, 156),
}


def _heat_cell(value: float, signed: bool) -> str:
    if math.isnan(value):
        return '<td class="na">·</td>'
    strength = min(1.0, abs(value))
    rgb = _PALETTE[("signed" if signed else "unsigned", value >= 0)]
    mix = tuple(round(255 + (c - 255) * strength) for c in rgb)
    fg = readable_text_on(mix)
    return f'<td style="background:rgb{mix};color:{fg}" title="{value:.3f}">{value:.2f}</td>'


def readable_text_on(rgb: tuple[int, ...]) -> str:
    """White or near-black text, whichever contrasts more with the background ``rgb`` (WCAG)."""

    def channel(c: int) -> float:
        c /= 255  # type: ignore[assignment]
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    dark = 0.0137  # relative luminance of #1f2328
    return "#ffffff" if 1.05 / (lum + 0.05) > (lum + 0.05) / (dark + 0.05) else "#1f2328"


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{th}</tr>{body}</table>"


def _l(content: str) -> str:
    return f'<td class="l">{content}</td>'


def _fmt(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return escape(str(value if value is not None else "—"))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return _num(value)
    return escape(str(value))


def _num(value: float | None, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.{digits - 1}e}"
    return f"{value:,.{digits}g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _pct(share: float) -> str:
    return f"{100 * share:.1f}%" if share >= 0.001 or share == 0 else "<0.1%"


def _bytes(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

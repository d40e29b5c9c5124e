"""HTML for the scorecard: a self-contained page, a notebook fragment and per-tab sections.

Every name from the data (column names) is escaped; no table values appear.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from ..theme import CSS as THEME_CSS
from ..theme import ROOT
from ..theme import page as theme_page

if TYPE_CHECKING:  # pragma: no cover
    from .scorecard import Scorecard

_STYLE = (
    THEME_CSS
    + """
.ssc{max-width:1100px}
.ssc h2{font-size:18px;margin:8px 0}.ssc h3{font-size:15px;margin:14px 0 6px}
.ssc table{border-collapse:collapse;margin:6px 0 10px}
.ssc th,.ssc td{border:1px solid var(--ss-border);padding:3px 8px;text-align:left;vertical-align:top}
.ssc th{background:var(--ss-bg-alt)}.ssc td.n{text-align:right;font-variant-numeric:tabular-nums}
.ssc .cards{display:flex;gap:12px;flex-wrap:wrap}
.ssc .card{border:1px solid var(--ss-border);border-radius:8px;padding:10px 14px;min-width:180px}
.ssc .big{font-size:28px;font-weight:600}.ssc .bar{height:6px;background:var(--ss-track);border-radius:3px;margin-top:6px}
.ssc .bar>span{display:block;height:6px;border-radius:3px}
.ssc .bar.incomplete>span{background:repeating-linear-gradient(45deg,var(--ss-fg-muted) 0 4px,transparent 4px 8px)}
.ssc .meter{display:inline-block;width:90px;height:8px;background:var(--ss-track);border-radius:4px;margin-right:6px}
.ssc .meter>span{display:block;height:8px;border-radius:4px}
.ssc .pass{color:var(--ss-good);font-weight:600}.ssc .fail{color:var(--ss-bad);font-weight:600}
.ssc .undetermined,.ssc .unknown,.ssc .skipped,.ssc .incomplete-label{color:var(--ss-warn);font-weight:600}
.ssc .muted{color:var(--ss-fg-muted)}.ssc img{max-width:100%;background:#ffffff;border-radius:4px}
.ssc details{margin:6px 0}.ssc summary{cursor:pointer}
""".strip()
)


def page(card: Scorecard) -> str:
    """A self-contained HTML document of the scorecard."""
    body = "".join(
        f"<section>{html}</section>" if name == "Summary" else f"<section><h2>{escape(name)}</h2>{html}</section>"
        for name, html in sections(card).items()
    )
    run = card.run or {}
    meta = {
        "dataset": str(run.get("dataset") or "not linked to a ledger dataset"),
        "model": str(run.get("method") or "unknown"),
        "ε": f"{run['epsilon']:.3g}" if run.get("epsilon") is not None else "no formal guarantee or unknown",
        "created": str(card.created_at),
    }
    return theme_page("Synthetic data scorecard", f"<div class='ssc'>{body}</div>", extra_css=_STYLE, meta=meta)


def fragment(card: Scorecard) -> str:
    parts = sections(card)
    summary = parts.pop("Summary")
    folded = "".join(
        f"<details><summary><b>{escape(name)}</b></summary>{html}</details>" for name, html in parts.items()
    )
    return f"<style>{_STYLE}</style><div class='{ROOT} ssc'><h2>Synthetic data scorecard</h2>{summary}{folded}</div>"


def sections(card: Scorecard) -> dict[str, str]:
    images = card.images()
    return {
        "Summary": _summary(card),
        "Fidelity": _fidelity(card, images),
        "Utility": _utility(card),
        "Privacy": _privacy(card, images),
        "Method": _method(card),
    }


# --- sections ------------------------------------------------------------------------------


def _summary(card: Scorecard) -> str:
    cards = "".join(_score_card(name.title(), getattr(card, name)) for name in ("fidelity", "utility", "privacy"))
    rows = [
        [escape(v["label"]), f"<span class='{v['status']}'>{escape(v['status'])}</span>", escape(v["summary"])]
        for v in card.verdicts.values()
    ]
    run = card.run
    guarantee = (
        f"Run {escape(str(run.get('run_id')))}: {escape(_guarantee_words(run))}"
        if run.get("status") == "found"
        else "No ledger run linked to this synthetic table."
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in card.notes)
    return (
        f"<div class='cards'>{cards}</div><h3>Verdicts</h3>"
        + _table(["Use case", "Verdict", "Why"], rows)
        + f"<p class='muted'>{guarantee}</p>"
        + (f"<h3>Notes</h3><ul>{notes}</ul>" if notes else "")
    )


def _score_card(title: str, section: dict[str, Any]) -> str:
    score = section.get("score")
    shown = "n/a" if score is None else f"{score:.2f}"
    width = 0 if score is None else round(100 * score)
    components = (section.get("details") or {}).get("components") or []
    missing = [c for c in components if not c.get("measured", True)]
    if missing and score is not None:
        return (
            f"<div class='card'><div class='muted'>{escape(title)}</div><div class='big'>{shown}"
            f" <span class='incomplete-label' style='font-size:13px'>incomplete</span></div>"
            f"<div class='bar incomplete' title='{len(missing)} of {len(components)} parts not measured'>"
            f"<span style='width:{width}%'></span></div>"
            f"<div class='muted' style='max-width:300px'>{len(missing)} of {len(components)} parts not measured "
            f"({escape(', '.join(str(c.get('label', c.get('name'))) for c in missing))}). "
            f"{escape(section.get('summary', ''))}</div></div>"
        )
    return (
        f"<div class='card'><div class='muted'>{escape(title)}</div><div class='big'>{shown}</div>"
        f"<div class='bar'><span style='width:{width}%;background:{_score_color(score)}'></span></div>"
        f"<div class='muted' style='max-width:300px'>{escape(section.get('summary', ''))}</div></div>"
    )


def _score_color(score: float | None) -> str:
    if score is None:
        return "var(--ss-fg-muted)"
    return "var(--ss-good)" if score >= 0.8 else "var(--ss-warn)" if score >= 0.6 else "var(--ss-bad)"


def _meter(score: float | None) -> str:
    """A small bar for one score in [0, 1] with its value beside it."""
    if score is None:
        return "<span class='muted'>—</span>"
    width = round(100 * max(0.0, min(1.0, float(score))))
    return (
        f"<span class='meter' role='img' aria-label='score {score:.3f}'>"
        f"<span style='width:{width}%;background:{_score_color(score)}'></span></span>{score:.3f}"
    )


def _fidelity(card: Scorecard, images: dict[str, str]) -> str:
    quality = card.fidelity["details"]["quality"]
    diagnostics = card.fidelity["details"]["diagnostics"]
    columns = sorted(quality["column_shapes"]["columns"], key=lambda c: 2 if c["score"] is None else c["score"])
    shapes = _table(
        ["Column", "Metric", "Score (worst first)"],
        [[escape(c["column"]), escape(c["metric"]), _meter(c["score"])] for c in columns],
    )
    pairs = sorted(
        quality["column_pair_trends"]["pairs"],
        key=lambda p: (not p["contributes"], p["score"] if p["score"] is not None else 2),
    )
    pair_rows = [
        [escape(" × ".join(p["columns"])), escape(p["metric"]), _n(p["score"]), _n(p["real_correlation"]),
         _n(p["synthetic_correlation"]), _n(p["real_association"]), "yes" if p["contributes"] else "no"]
        for p in pairs[:25]
    ]  # fmt: skip
    validity = _table(
        ["Column", "Check", "Score"],
        [[escape(a["column"]), escape(a["metric"]), _n(a["score"])] for a in diagnostics["adherence"]],
    )
    new = [n for n in diagnostics["new_categories"] if n["new_categories"]]
    new_rows = [[escape(n["column"]), str(n["new_categories"]), _pct(n["share_of_rows"])] for n in new]
    return (
        f"<p>{escape(card.fidelity['summary'])}</p>"
        f"<p>Column shapes {_n(quality['column_shapes']['score'])} · column pair trends "
        f"{_n(quality['column_pair_trends']['score'])} ({quality['column_pair_trends']['pairs_contributing']} pairs pass "
        "SDMetrics' real-association threshold and count) · diagnostic score "
        f"{_n(diagnostics['score'])} · rows fully valid {_pct(diagnostics['row_validity'])}</p>"
        + _image(images, "distributions", "Per-column distributions, real vs synthetic")
        + _image(images, "association", "Association differences")
        + f"<h3>Per-column scores</h3>{shapes}"
        + "<details><summary>Column pairs (worst first, up to 25)</summary>"
        + _table(["Pair", "Metric", "Score", "Real r", "Synthetic r", "Real association", "Counts"], pair_rows)
        + "</details>"
        + f"<details><summary>Boundary and category adherence</summary>{validity}</details>"
        + (
            "<h3>New categories</h3>" + _table(["Column", "New categories", "Share of synthetic rows"], new_rows)
            if new_rows
            else "<p>No synthetic category is unknown to the real data.</p>"
        )
    )


def _utility(card: Scorecard) -> str:
    details = card.utility["details"]
    target = details.get("target", {})
    head = f"<p>{escape(card.utility['summary'])}</p>"
    if not details.get("models"):
        return head
    primary = details["primary_metric"]
    metrics = list(details["models"][0]["trtr"])
    rows = []
    for model in details["models"]:
        for metric in metrics:
            rows.append(
                [escape(model["label"]), escape(metric), _n(model["trtr"][metric]), _n(model["tstr"][metric]),
                 _n(model["ratio"][metric]), _n(model["score"]) if metric == primary else ""]
            )  # fmt: skip
    notes = "".join(f"<li>{escape(n)}</li>" for n in details.get("notes", []))
    return (
        head
        + f"<p>Target: <b>{escape(str(target.get('column')))}</b> ({escape(str(target.get('task')))}). "
        + f"{escape(target.get('reason', ''))}</p>"
        + f"<p class='muted'>Rows: {details['rows']['train_real']} real and {details['rows']['train_synthetic']} synthetic "
        + f"training rows; {details['rows']['test']} real test rows ({escape(details['test_set'])}).</p>"
        + _table(["Model", "Metric", "Train real (TRTR)", "Train synthetic (TSTR)", "Ratio", "Skill kept"], rows)
        + (f"<ul>{notes}</ul>" if notes else "")
    )


def _privacy(card: Scorecard, images: dict[str, str]) -> str:
    d = card.privacy["details"]
    components = _table(
        ["Component", "Value", "Safety", "Weight", "What it measures"],
        [
            [escape(c["label"]), _n(c["value"]), _n(c["safety"]) if c["measured"] else "<span class='unknown'>not measured</span>",
             f"{c['weight']:.2f}", escape(c["explanation"])]
            for c in d["components"]
        ],
    )  # fmt: skip
    dcr, nndr, prox = d["dcr"], d["nndr"], d["proximity"]
    hold = dcr.get("holdout") or {}
    distance_rows = [
        ["DCR median", _n(dcr["synthetic"]["median"]), _n(hold.get("median"))],
        ["DCR 5th percentile", _n(dcr["synthetic"]["p05"]), _n(hold.get("p05"))],
        ["Share at distance 0", _pct(dcr["synthetic"]["share_zero"]), _pct(hold.get("share_zero"))],
        ["NNDR median", _n(nndr["synthetic"]["median"]), _n((nndr.get("holdout") or {}).get("median"))],
        ["Proximity share", _pct(prox["synthetic_share"]), _pct(prox.get("holdout_share"))],
    ]
    extra = f"DCR ratio (median synthetic ÷ median holdout): {_n(dcr.get('ratio_median'))}. "
    if d.get("closer_share"):
        extra += f"Synthetic rows closer to train than to holdout: {_pct(d['closer_share']['share'])} (0.5 is ideal). "
    mia = d.get("membership_inference")
    mia_html = (
        "<p>Membership inference AUC: distance attack "
        f"{_n(mia['distance_attack'].get('auc'))}, classifier attack {_n(mia['classifier_attack'].get('auc'))} "
        f"({mia['members']} members vs {mia['non_members']} non-members; 0.5 = chance).</p>"
        if mia
        else ""
    )
    missing = "".join(f"<li>{escape(m['reason'])}</li>" for m in d.get("not_measured", []))
    return (
        f"<p>{escape(card.privacy['summary'])}</p>"
        + components
        + f"<p class='muted'>Score = {escape(d['method'])}.</p>"
        + "<h3>Distances to the closest training record</h3>"
        + _table(["Measure", "Synthetic", "Holdout (reference)"], distance_rows)
        + f"<p>{escape(extra)}</p>"
        + _image(images, "dcr", "DCR histograms")
        + mia_html
        + "<h3>Anonymeter</h3>"
        + _anonymeter(d["anonymeter"])
        + (f"<h3>Not measured</h3><ul>{missing}</ul>" if missing else "")
    )


def _anonymeter(a: dict[str, Any]) -> str:
    rows = [_risk_row("Singling out", a["singling_out"]), _risk_row("Linkability", a["linkability"])]
    rows += [_risk_row(f"Inference of {s['secret']}", s) for s in a["inference"]["secrets"]]
    return (
        f"<p class='muted'>Risk = {escape(a['risk_kind'])}, {round(100 * a['confidence_level'])}% confidence intervals; "
        f"{a['rows']['train']} training, {a['rows']['synthetic']} synthetic rows.</p>"
        + _table(["Attack", "Risk", "CI", "Attack success", "Baseline success", "Control success"], rows)
    )


def _risk_row(label: str, r: dict[str, Any]) -> list[str]:
    if r.get("risk") is None:
        return [
            escape(label),
            "<span class='unknown'>not measured</span>",
            escape(r.get("not_measured", "")),
            "",
            "",
            "",
        ]
    control = r.get("control_rate")
    return [
        escape(label),
        _n(r["risk"]),
        f"[{_n(r['ci'][0])}, {_n(r['ci'][1])}]",
        _n(r["attack_rate"]["value"]),
        _n(r["baseline_rate"]["value"]),
        _n(control["value"]) if control else "—",
    ]


def _method(card: Scorecard) -> str:
    data = card.data
    excluded = [[escape(e["column"]), escape(e["reason"])] for e in data.get("columns_excluded", [])]
    sampling = [
        [escape(s["step"]), escape(s["table"]), str(s["rows_available"]), str(s["rows_used"])] for s in card.sampling
    ]
    thresholds = [
        [escape(t["label"]), _n(t["min_fidelity"]), _n(t["min_utility"]), _threshold_privacy(t),
         _pct(t["max_excess_copy_rate"]), _n(t["max_membership_auc"]), "yes" if t["requires_holdout"] else "no",
         f"ε ≤ {t['dp_epsilon_relief']:g}" if t.get("requires_dp") else "—"]
        for t in card.thresholds.values()
    ]  # fmt: skip
    timings = ", ".join(f"{escape(k)} {v:.1f} s" for k, v in card.timings.items())
    versions = ", ".join(f"{escape(k)} {escape(v)}" for k, v in card.versions.items())
    return (
        f"<p>{data['real_rows']} real, {data['synthetic_rows']} synthetic and "
        f"{data['holdout_rows'] if data['holdout_rows'] is not None else 'no'} holdout rows; "
        f"{len(data['columns_evaluated'])} columns evaluated.</p>"
        + ("<h3>Columns left out</h3>" + _table(["Column", "Reason"], excluded) if excluded else "")
        + "<h3>Thresholds</h3>"
        + _table(
            [
                "Use case",
                "Fidelity ≥",
                "Utility ≥",
                "Privacy ≥",
                "Excess copies ≤",
                "MIA AUC ≤",
                "Holdout",
                "DP guarantee",
            ],
            thresholds,
        )
        + "<h3>Subsamples</h3>"
        + _table(["Step", "Table", "Rows available", "Rows used"], sampling)
        + f"<p class='muted'>Seed {card.seed}. Timings: {timings}. Versions: {versions}. Created {escape(card.created_at)}.</p>"
    )


# --- helpers ------------------------------------------------------------------------------


def _guarantee_words(run: dict[str, Any]) -> str:
    """The run's guarantee and level in the words of ``privacy.levels``."""
    from ..privacy.levels import guarantee_text, level_text

    if run.get("guarantee") != "differential privacy" or run.get("epsilon") is None:
        return guarantee_text(None)
    eps = float(run["epsilon"])
    return f"{guarantee_text(eps, run.get('delta'))}; privacy level {level_text(eps)}"


def _threshold_privacy(t: dict[str, Any]) -> str:
    if t.get("min_privacy_with_dp") is None:
        return _n(t["min_privacy"])
    return f"{_n(t['min_privacy'])} ({_n(t['min_privacy_with_dp'])} with DP ε ≤ {t['dp_epsilon_relief']:g})"


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(content: str) -> str:
    numeric = content[:1].isdigit() or (content[:1] == "-" and content[1:2].isdigit())
    return f"<td class='n'>{content}</td>" if numeric else f"<td>{content}</td>"


def _image(images: dict[str, str], name: str, title: str) -> str:
    if name not in images:
        return ""
    return f"<h3>{escape(title)}</h3><img alt='{escape(title)}' src='data:image/png;base64,{images[name]}'>"


def _n(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}"


def _pct(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.2%}" if 0 < abs(value) < 0.01 else f"{value:.1%}"


def wrapped(html: str) -> str:
    """``html`` inside the scorecard's styled container (for widgets that show one section)."""
    return f"<style>{_STYLE}</style><div class='{ROOT} ssc'>{html}</div>"

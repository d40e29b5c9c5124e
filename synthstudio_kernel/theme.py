"""One palette for every HTML output: JupyterLab's CSS variables, with fallbacks outside Lab.

Every renderer (profile, scorecard, privacy report, PII, budget, the notebook panels) styles
itself with the ``--ss-*`` custom properties defined here, under the class :data:`ROOT`. Inside
JupyterLab they resolve to the theme's variables (``--jp-content-font-color1`` …), so Light and
Dark both read well; in a static page (nbviewer, GitHub, a saved report) the fallbacks give a
light palette, and a standalone page follows ``prefers-color-scheme``.

Status colours are used for text only where they keep a 4.5:1 contrast on the theme's
background: JupyterLab's own ``--jp-success-color1`` and ``--jp-warn-color1`` do not on white,
so the status text colours are set per theme (``body[data-jp-theme-light=false]``).
"""

from __future__ import annotations

#: The class every rendered block carries (with its own class) to get the palette.
ROOT = "ss-ui"

_LIGHT = (
    "--ss-good:#1a7f37;--ss-bad:#cf222e;--ss-warn:#8a5a00;--ss-info:#0a58ca;"
    "--ss-series1:#1f77b4;--ss-series2:#c2410c;--ss-series3:#2e7d32;--ss-series4:#7e3fb0;"
)
_DARK = (
    "--ss-good:#4ac26b;--ss-bad:#ff7b72;--ss-warn:#d29922;--ss-info:#79b8ff;"
    "--ss-series1:#6cb6ff;--ss-series2:#f0883e;--ss-series3:#57c26a;--ss-series4:#d2a8ff;"
)

CSS = (
    f".{ROOT}{{"
    "--ss-fg:var(--jp-content-font-color1,#1f2328);"
    "--ss-fg-muted:var(--jp-content-font-color2,#57606a);"
    "--ss-bg:var(--jp-layout-color0,#ffffff);"
    "--ss-bg-alt:var(--jp-layout-color2,#f3f4f6);"
    "--ss-border:var(--jp-border-color2,#d0d7de);"
    "--ss-track:var(--jp-layout-color3,#e5e7eb);"
    f"{_LIGHT}"
    "color:var(--ss-fg);font-family:var(--jp-ui-font-family,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);"
    "font-size:13px;line-height:1.4}"
    f"body[data-jp-theme-light='false'] .{ROOT}{{{_DARK}}}"
    f".{ROOT} a{{color:var(--ss-info)}}"
    f".{ROOT} .ss-good{{color:var(--ss-good)}}.{ROOT} .ss-bad{{color:var(--ss-bad)}}"
    f".{ROOT} .ss-warn{{color:var(--ss-warn)}}.{ROOT} .ss-muted{{color:var(--ss-fg-muted)}}"
    f".{ROOT} table{{border-collapse:collapse}}"
    f".{ROOT} th{{background:var(--ss-bg-alt);color:var(--ss-fg)}}"
    f".{ROOT} th,.{ROOT} td{{border-color:var(--ss-border)}}"
    f".{ROOT} svg text{{fill:var(--ss-fg)}}"
)

#: A standalone page (a saved report): its own background, light or dark by the reader's setting.
PAGE_CSS = (
    "html{color-scheme:light dark}"
    f"body{{margin:0;padding:16px 24px;background:#ffffff}}"
    f"@media (prefers-color-scheme: dark){{body{{background:#0d1117}}"
    f".{ROOT}{{--ss-fg:#e6edf3;--ss-fg-muted:#9da7b3;--ss-bg:#0d1117;--ss-bg-alt:#161b22;"
    f"--ss-border:#30363d;--ss-track:#30363d;{_DARK}}}}}"
)


def style_tag() -> str:
    """``<style>`` with the palette, for a notebook fragment."""
    return f"<style>{CSS}</style>"


def page(title: str, body: str, *, extra_css: str = "", meta: dict[str, str] | None = None) -> str:
    """A self-contained HTML document: doctype, charset, title, inline styles, the palette and
    a header of facts (dataset, model, ε, date, tool version…) when ``meta`` is given."""
    from html import escape

    from ._version import __version__

    facts = dict(meta or {})
    facts.setdefault("Synth Studio", __version__)
    header = "".join(
        f"<span><span class='ss-muted'>{escape(key)}</span> {escape(value)}</span>" for key, value in facts.items()
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta name='generator' content='Synth Studio {escape(__version__)}'>"
        f"<title>{escape(title)}</title><style>{PAGE_CSS}{CSS}{extra_css}"
        f".ss-page-meta{{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0 0 12px;font-size:12px}}</style></head>"
        f"<body><main class='{ROOT}'><h1 style='font-size:20px;margin:4px 0 6px'>{escape(title)}</h1>"
        f"<div class='ss-page-meta'>{header}</div>{body}</main></body></html>"
    )

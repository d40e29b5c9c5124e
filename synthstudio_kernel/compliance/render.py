"""Fixed Jinja2 templates (autoescaped) render a facts document to HTML and Markdown."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: (selector, declarations): rendered as is for a page, scoped under ``.ssc`` inside a notebook.
_RULES: tuple[tuple[str, str], ...] = (
    ("body", "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;"
             "color:#1d2939;line-height:1.45"),
    ("h1", "font-size:1.6em"),
    ("h2", "border-bottom:2px solid #d0d5dd;padding-bottom:4px"),
    ("table", "border-collapse:collapse;width:100%;margin:.5em 0"),
    ("td,th", "border-bottom:1px solid #e4e7ec;padding:4px 8px;text-align:left;vertical-align:top;font-size:.92em"),
    (".st", "border-radius:4px;padding:0 6px;color:#fff;font-size:.8em;white-space:nowrap"),
    (".MEASURED", "background:#175cd3"),
    (".CONFIGURED", "background:#6941c6"),
    (".ATTESTED", "background:#067647"),
    (".NOT-ASSESSED", "background:#98a2b3"),
    (".meta td", "border:none;padding:2px 8px"),
    (".draft", "background:#fffaeb;border-left:4px solid #f79009;padding:6px 10px"),
    (".internal", "background:#fef3f2;border:1px solid #fda29b;padding:6px 10px"),
    (".INTERNAL-EVALUATION", "background:#b42318"),
    (".withheld", "background:#f2f4f7;border-left:4px solid #667085;padding:6px 10px"),
    ("code", "font-size:.85em"),
)  # fmt: skip


def _style(scope: str | None) -> str:
    rules = []
    for selector, body in _RULES:
        if scope is not None:
            selector = ",".join(scope if s == "body" else f"{scope} {s}" for s in selector.split(","))
        rules.append(f"{selector}{{{body}}}")
    return "".join(rules)


STYLE = _style(None)


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("synthstudio_kernel.compliance", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["status_class"] = lambda s: str(s).replace(" ", "-")
    return env


def _md_escape(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_html(doc: dict[str, Any], *, fragment: bool = False) -> str:
    """A self-contained HTML page (doctype, charset, title, inline styles); ``fragment=True`` gives
    a ``<div>`` with styles scoped to it, for notebook output (a page's styles would restyle the notebook)."""
    claims = {c["id"]: c for c in doc["claims"]}
    style = _style(".ssc") if fragment else STYLE
    return _env().get_template("report.html.j2").render(doc=doc, claims=claims, style=style, fragment=fragment)


def render_markdown(doc: dict[str, Any]) -> str:
    claims = {c["id"]: c for c in doc["claims"]}
    env = _env().overlay(autoescape=False)
    env.filters["md"] = _md_escape
    return env.get_template("report.md.j2").render(doc=doc, claims=claims)

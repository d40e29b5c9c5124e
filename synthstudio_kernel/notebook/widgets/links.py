"""Paths printed in the notebook are links: a written report opens with one click."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any


def link_html(path: str | os.PathLike[str], prefix: str = "") -> str:
    """``prefix`` and a link to ``path`` (relative to the kernel's working directory when it is
    inside it, which is how JupyterLab resolves links in outputs)."""
    target = Path(path).resolve()
    try:
        href = target.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        href = target.as_uri()
    return f"{html.escape(prefix)}<a href='{html.escape(href)}' target='_blank' rel='noopener'>{html.escape(str(target))}</a>"


def show_link(path: str | os.PathLike[str], prefix: str = "") -> Any:
    """Display ``prefix`` + a link to ``path`` (text/plain keeps the full path for consoles)."""
    from IPython.display import display

    display({"text/html": link_html(path, prefix), "text/plain": f"{prefix}{Path(path).resolve()}"}, raw=True)

"""Report: a rendered facts document (HTML, Markdown, JSON), savable to a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .facts import FactsDocument
from .render import render_html, render_markdown


class Report:
    """A compliance report or model card. ``to_dict()`` is the hashed facts document."""

    def __init__(self, document: FactsDocument, *, on_save: Any = None) -> None:
        self.document = document
        self._on_save = on_save

    @property
    def sha256(self) -> str:
        return self.document.sha256

    @property
    def audience(self) -> str:
        return self.document.audience

    def claim(self, claim_id: str) -> dict[str, Any]:
        return self.document.claim(claim_id).to_dict()

    def to_dict(self) -> dict[str, Any]:
        return self.document.to_dict()

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)

    def to_html(self) -> str:
        return render_html(self.to_dict())

    def to_markdown(self) -> str:
        return render_markdown(self.to_dict())

    def _repr_html_(self) -> str:
        return render_html(self.to_dict(), fragment=True)

    def save(self, directory: str | Path, *, stem: str | None = None) -> dict[str, Path]:
        """Write ``<stem>.json``, ``.html`` and ``.md`` into ``directory``; returns the paths."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        name = (
            stem
            or f"{self.document.kind}-{'-'.join(self.document.frameworks) or 'all'}-{self.document.subject['run_id'][:8]}"
        )
        paths = {
            "json": out / f"{name}.json",
            "html": out / f"{name}.html",
            "md": out / f"{name}.md",
        }
        paths["json"].write_text(self.to_json(), encoding="utf-8")
        paths["html"].write_text(self.to_html(), encoding="utf-8")
        paths["md"].write_text(self.to_markdown(), encoding="utf-8")
        if self._on_save is not None:
            self._on_save(self, paths)
        return paths

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for c in self.document.claims:
            counts[c.status] = counts.get(c.status, 0) + 1
        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        return f"Report({self.document.title!r}, run={self.document.subject['run_id'][:12]}, {summary})"

"""The Scorecard: three scores, their details, and verdicts per use case.

``Scorecard.to_dict()`` is the stable, documented input of the compliance reports, the
assistant and the sidebar. Its JSON schema ships next to this module
(``scorecard.schema.json``, see :func:`schema`); the top level is::

    schema_version  "1.0" (a breaking change bumps the major number)
    kind            "synthstudio.scorecard"
    created_at      ISO 8601 UTC timestamp
    seed            seed of every random step
    scores          {"fidelity": s, "utility": s | null, "privacy": s}
    fidelity        {"score": s, "summary": str, "details": {"quality": ..., "diagnostics": ...}}
    utility         {"score": s | null, "summary": str, "details": {"target": ..., "models": [...], ...}}
    privacy         {"score": s, "summary": str, "details": {"components": [...], "exact_copies": ...,
                     "dcr": ..., "nndr": ..., "proximity": ..., "closer_share": ... | null,
                     "membership_inference": ... | null, "anonymeter": ..., "not_measured": [...]}}
    verdicts        {use case: {"status": "pass" | "fail" | "undetermined", "label", "summary", "checks": [...]}}
    thresholds      {use case: the thresholds its verdict applied}
    data            sizes, evaluated / excluded columns and their roles
    sampling        [{"step", "table", "rows_available", "rows_used"}]: every subsample taken
    run             the ledger run of the synthetic table ({"run_id", "status", "guarantee", "epsilon", ...})
    notes           plain-language caveats
    timings         seconds per step
    versions        library versions used

Scores are in [0, 1] with 1 best; ``utility.score`` is null when no target could be
evaluated. The dictionary holds aggregates only (scores, rates, distances, column
names), never a value from the tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1.0"
KIND = "synthstudio.scorecard"
SCORE_NAMES = ("fidelity", "utility", "privacy")


@dataclass
class Scorecard:
    """Result of :func:`synthstudio_kernel.evaluation.evaluate`."""

    fidelity: dict[str, Any]
    utility: dict[str, Any]
    privacy: dict[str, Any]
    verdicts: dict[str, dict[str, Any]]
    thresholds: dict[str, dict[str, Any]]
    data: dict[str, Any]
    sampling: list[dict[str, Any]]
    run: dict[str, Any]
    notes: list[str]
    timings: dict[str, float]
    versions: dict[str, str]
    created_at: str
    seed: int
    #: Aggregates behind the plots (histograms, shares of common categories, association
    #: matrices, binned distances). Kept out of ``to_dict`` because it names categories.
    plot_data: dict[str, Any] = field(default_factory=dict, repr=False)
    _images: dict[str, str] | None = field(default=None, repr=False, compare=False)

    # -- reading ---------------------------------------------------------------------------

    @property
    def scores(self) -> dict[str, float | None]:
        """{"fidelity": s, "utility": s or None, "privacy": s}."""
        return {name: getattr(self, name)["score"] for name in SCORE_NAMES}

    def verdict(self, use_case: str) -> str:
        """ "pass", "fail" or "undetermined" for a use case (e.g. "public_release")."""
        if use_case not in self.verdicts:
            from ..errors import ConfigError

            raise ConfigError(f"Unknown use case {use_case!r}; choose one of: {', '.join(self.verdicts)}.")
        return str(self.verdicts[use_case]["status"])

    def ledger_facts(self) -> dict[str, Any]:
        """The compact record attached to the ledger run under "evaluation"."""
        return jsonsafe(
            {
                **self.scores,
                "verdicts": {name: v["status"] for name, v in self.verdicts.items()},
                "target": self.utility["details"].get("target", {}).get("column"),
                "holdout": self.data.get("holdout_rows") is not None,
                "exact_copy_rate": self.privacy["details"]["exact_copies"]["synthetic_rate"],
                "membership_auc": (self.privacy["details"].get("membership_inference") or {}).get("max_auc"),
                "schema_version": SCHEMA_VERSION,
                "evaluated_at": self.created_at,
            }
        )

    # -- serialising -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (aggregates only); see the module docstring for its shape."""
        return jsonsafe(
            {
                "schema_version": SCHEMA_VERSION,
                "kind": KIND,
                "created_at": self.created_at,
                "seed": self.seed,
                "scores": self.scores,
                "fidelity": self.fidelity,
                "utility": self.utility,
                "privacy": self.privacy,
                "verdicts": self.verdicts,
                "thresholds": self.thresholds,
                "data": self.data,
                "sampling": self.sampling,
                "run": self.run,
                "notes": self.notes,
                "timings": self.timings,
                "versions": self.versions,
            }
        )

    def compare(self, *others: Scorecard, labels: list[str] | None = None) -> Any:
        """This scorecard beside ``others`` (another run's scorecard): scores, verdicts, columns."""
        from .drilldown import compare

        return compare(self, *others, labels=labels)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def images(self) -> dict[str, str]:
        """The plots as base64 PNGs (rendered once, then cached)."""
        if self._images is None:
            from .plots import render_all

            self._images = render_all(self.plot_data) if self.plot_data else {}
        return self._images

    def sections(self) -> dict[str, str]:
        """HTML fragments per tab: "Summary", "Fidelity", "Utility", "Privacy", "Method"."""
        from .render import sections

        return sections(self)

    def to_html(self) -> str:
        """A self-contained HTML page (plots embedded as base64 PNG)."""
        from .render import page

        return page(self)

    def _repr_html_(self) -> str:
        from .render import fragment

        return fragment(self)

    def save(self, directory: str | Path, *, stem: str = "scorecard") -> dict[str, str]:
        """Write ``<stem>.html`` and ``<stem>.json`` into ``directory`` (created); returns their paths."""
        from ..fileio import prepare_folder, write_text

        folder = prepare_folder(directory, what="the scorecard")
        html_path, json_path = folder / f"{stem}.html", folder / f"{stem}.json"
        write_text(html_path, self.to_html(), what="the scorecard")
        write_text(json_path, self.to_json(), what="the scorecard")
        return {"html": str(html_path), "json": str(json_path)}

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={'n/a' if v is None else f'{v:.3f}'}" for k, v in self.scores.items())
        verdicts = ", ".join(f"{k}={v['status']}" for k, v in self.verdicts.items())
        return f"Scorecard({parts}; {verdicts})"


def schema() -> dict[str, Any]:
    """The JSON schema of :meth:`Scorecard.to_dict`."""
    text = resources.files(__package__).joinpath("scorecard.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def jsonsafe(value: Any) -> Any:
    """Plain JSON (:func:`synthstudio_kernel.release.json_safe`), without keys that start with ``_``."""
    from ..release import json_safe

    return json_safe(_public_keys(value))


def _public_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _public_keys(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list | tuple):
        return [_public_keys(v) for v in value]
    return value

"""RunRecord: what a training run was (data fingerprint, method, parameters, seed) and how it went."""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..release import json_safe, released_run

#: Run statuses, as the ledger knows them.
STATUSES = ("created", "running", "succeeded", "failed", "stopped", "refused")


@dataclass
class RunRecord:
    """One training run. ``privacy`` holds DP accounting facts (None for non-DP methods)."""

    id: str
    dataset_fingerprint: str
    dataset_name: str | None
    method: str
    params: dict[str, Any]
    seed: int | None
    timings: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    status: str = "created"
    privacy: dict[str, Any] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    device: str = "cpu"
    dataset_rows: int | None = None
    dataset_id: str | None = None
    created_at: str = field(default_factory=lambda: _now())
    finished_at: str | None = None

    @classmethod
    def start(
        cls,
        *,
        dataset_fingerprint: str,
        method: str,
        params: Mapping[str, Any],
        seed: int | None,
        dataset_name: str | None = None,
        dataset_rows: int | None = None,
        device: str = "cpu",
    ) -> RunRecord:
        """A new run with a fresh id (uuid4 hex), status ``"running"``."""
        return cls(
            id=uuid.uuid4().hex,
            dataset_fingerprint=dataset_fingerprint,
            dataset_name=dataset_name,
            method=method,
            params=json_safe(dict(params)),
            seed=seed,
            status="running",
            device=device,
            dataset_rows=dataset_rows,
        )

    def finish(self, status: str, *, timings: Mapping[str, float] | None = None, **facts: Any) -> None:
        """Close the run with ``status`` and merge timings and facts."""
        if status not in STATUSES:
            raise ValueError(f"Unknown run status {status!r}.")
        self.status = status
        self.finished_at = _now()
        self.timings.update({k: float(v) for k, v in (timings or {}).items()})
        self.facts.update(json_safe(facts))

    @property
    def guarantee(self) -> str:
        """``"dp"`` with a formal (ε, δ) guarantee, else ``"none"``."""
        return "dp" if self.privacy else "none"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe; holds no data values (the owner's view: the fingerprint is included)."""
        data = json_safe(asdict(self))
        data["guarantee"] = self.guarantee
        return data

    def released(self) -> dict[str, Any]:
        """What travels with the model (:mod:`synthstudio_kernel.release`): no fingerprint, no internal facts."""
        return released_run(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunRecord:
        names = {f.name for f in fields(cls)}
        # A released record (a loaded model) carries no fingerprint: the ledger keeps it.
        return cls(**{"dataset_fingerprint": "", **{k: v for k, v in data.items() if k in names}})

    def _repr_html_(self) -> str:
        rows = [
            ("run", self.id[:12]),
            ("method", self.method),
            ("status", self.status),
            ("dataset", self.dataset_name or "unregistered table"),
            ("rows", "" if self.dataset_rows is None else f"{self.dataset_rows:,}"),
            ("seed", "none" if self.seed is None else str(self.seed)),
            ("device", self.device),
            ("fit time", f"{self.timings['fit_s']:.2f} s" if "fit_s" in self.timings else ""),
            ("privacy", "ε = {:.3g}".format(self.privacy["epsilon"]) if self.privacy else "no formal guarantee"),
        ]
        cells = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        return f"<table class='synthstudio-run'>{cells}</table>"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

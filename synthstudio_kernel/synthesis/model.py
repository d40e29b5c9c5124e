"""TrainedModel: a fitted synthesizer with its run record; samples, saves and reports itself."""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.attrs import RUN_ID as RUN_ID_ATTR
from ..errors import ArtifactError
from .base import Synthesizer
from .run import RunRecord


class TrainedModel:
    """What :func:`synthstudio_kernel.train` returns.

    ``model.sample(1000)`` draws rows, ``model.save(path)`` writes an artifact that
    :func:`synthstudio_kernel.load_model` reads back, ``model.run`` describes the run.
    """

    def __init__(self, synthesizer: Synthesizer, run: RunRecord) -> None:
        self.synthesizer = synthesizer
        self.run = run

    # --- facts ------------------------------------------------------------------
    @property
    def method(self) -> str:
        return self.run.method

    @property
    def columns(self) -> list[str]:
        info = self.synthesizer.dataset_info or {}
        return list(info.get("columns", []))

    @property
    def device(self) -> str:
        return self.synthesizer.device

    @property
    def supports_conditions(self) -> bool:
        return self.synthesizer.supports_conditions

    def categories(self, column: str) -> list[Any]:
        """The values the model can generate for a categorical column (for conditions)."""
        from ..errors import ConfigError

        known = self.synthesizer.known_categories(column)
        if known is None:
            raise ConfigError(f"Column {column!r} has no category list in this model.")
        return known

    # --- actions ----------------------------------------------------------------
    def sample(self, n: int, conditions: Mapping[str, Any] | None = None, seed: int | None = None) -> pd.DataFrame:
        """Draw ``n`` synthetic rows, optionally only rows with ``conditions`` (categorical values).

        The frame's ``attrs["synthstudio_run_id"]`` names the run that produced it.
        """
        frame = self.synthesizer.sample(n, conditions=conditions, seed=seed)
        frame.attrs[RUN_ID_ATTR] = self.run.id
        return frame

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model atomically to ``path``; returns the path written."""
        from .artifact import write_artifact

        if not self.synthesizer.fitted:
            raise ArtifactError("Only a trained model can be saved.")
        return write_artifact(path, self.synthesizer, self.run.released())

    def to(self, device: str) -> TrainedModel:
        """Move the model to ``device`` (``"cpu"``, ``"cuda"``, ``"auto"``) for sampling."""
        self.synthesizer.to_device(device)
        return self

    def privacy_report(self) -> Any:
        """The privacy report: (ε, δ) and accounting for DP methods, "no formal guarantee" otherwise."""
        from ..privacy.report import privacy_report

        return privacy_report(self)

    # --- display ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (no data values)."""
        info = self.synthesizer.dataset_info or {}
        return {
            "method": self.method,
            "run": self.run.to_dict(),
            "columns": list(info.get("columns", [])),
            "kinds": dict(info.get("kinds", {})),
            "training": dict(self.synthesizer.training),
            "supports_conditions": self.supports_conditions,
            "guarantee": self.run.guarantee,
        }

    def __repr__(self) -> str:
        guarantee = "DP" if self.run.privacy else "no formal privacy guarantee"
        return f"<TrainedModel {self.method} run={self.run.id[:12]} status={self.run.status} ({guarantee})>"

    def _repr_html_(self) -> str:
        title = f"<b>Synth Studio model</b> · {html.escape(self.method)}"
        note = "" if self.run.privacy else "<p><i>No formal privacy guarantee (non-DP method).</i></p>"
        return f"<div class='synthstudio-model'>{title}{self.run._repr_html_()}{note}</div>"


def load_model(path: str | os.PathLike[str], *, device: str = "cpu") -> TrainedModel:
    """Read a model written by :meth:`TrainedModel.save` (onto the CPU unless ``device`` says otherwise)."""
    from .artifact import read_artifact

    header, content = read_artifact(path)
    synthesizer = content["synthesizer"]
    if not isinstance(synthesizer, Synthesizer):
        raise ArtifactError(f"{Path(path).name!r} does not hold a Synth Studio synthesizer.")
    synthesizer.to_device(device)
    run = RunRecord.from_dict(content.get("run") or header.get("run") or {})
    return TrainedModel(synthesizer, run)

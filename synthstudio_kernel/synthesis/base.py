"""The Synthesizer base class: public fit/sample wrap validation, seeding, callbacks,
timing and version stamps; subclasses implement ``_fit`` and ``_sample`` only."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pandas as pd

from ..data import ColumnKind, Dataset, as_dataset
from ..errors import ConfigError, DataError
from .events import EpochCallback, TrainingControl
from .seeding import seeded


class FitContext:
    """What a subclass's ``_fit`` gets besides the data: callbacks, stop control, device."""

    def __init__(
        self,
        callbacks: Sequence[EpochCallback] = (),
        control: TrainingControl | None = None,
        device: str = "cpu",
    ) -> None:
        self.callbacks = list(callbacks)
        self.control = control or TrainingControl()
        self.device = device
        self.started = time.perf_counter()


class Synthesizer(ABC):
    """Base of every method. Capabilities are declared, not discovered by failing."""

    #: Registry name, e.g. ``"gaussian-copula"``.
    name: ClassVar[str] = ""
    #: ``sample(conditions=...)`` on categorical values is supported.
    supports_conditions: ClassVar[bool] = False
    #: Trained with a formal (ε, δ) guarantee.
    supports_dp: ClassVar[bool] = False
    #: Torch devices the method can train on.
    devices: ClassVar[tuple[str, ...]] = ("cpu",)

    def __init__(self, *, seed: int | None = None, **params: Any) -> None:
        self.seed = seed
        self.params: dict[str, Any] = self.validate_params(dict(params))
        self.dataset_info: dict[str, Any] | None = None
        self.timings: dict[str, float] = {}
        self.versions: dict[str, str] = {}
        self._fitted = False

    # --- hooks for subclasses -------------------------------------------------
    @classmethod
    def validate_params(cls, params: dict[str, Any]) -> dict[str, Any]:
        """Check and complete the method's parameters; raise ConfigError if invalid."""
        return params

    @abstractmethod
    def _fit(self, dataset: Dataset, context: FitContext) -> None:
        """Learn from ``dataset``; call the context's callbacks after each epoch."""

    @abstractmethod
    def _sample(self, n: int, conditions: Mapping[str, Any] | None) -> pd.DataFrame:
        """Draw ``n`` rows, honouring ``conditions`` if the method supports them."""

    def library_versions(self) -> dict[str, str]:
        """Versions of the libraries this method relies on (stamped into artifacts)."""
        from .. import __version__

        return {"synthstudio_kernel": __version__, "pandas": pd.__version__}

    # --- template methods -----------------------------------------------------
    def fit(
        self,
        data: pd.DataFrame | Dataset,
        *,
        callbacks: Sequence[EpochCallback] = (),
        control: TrainingControl | None = None,
        device: str = "cpu",
    ) -> Synthesizer:
        """Validate ``data``, then train under the synthesizer's seed."""
        dataset = as_dataset(data)
        context = FitContext(callbacks, control, device)
        started = time.perf_counter()
        with seeded(self.seed):
            self._fit(dataset, context)
        self.timings["fit_s"] = time.perf_counter() - started
        self.versions = self.library_versions()
        self.dataset_info = {
            "fingerprint": dataset.fingerprint,
            "rows": dataset.n_rows,
            "columns": dataset.columns,
            "kinds": {c: k.value for c, k in dataset.kinds.items()},
        }
        self._fitted = True
        return self

    def sample(self, n: int, *, conditions: Mapping[str, Any] | None = None, seed: int | None = None) -> pd.DataFrame:
        """Draw ``n`` synthetic rows; the same seed gives the same rows."""
        if not self._fitted:
            raise ConfigError("This synthesizer has not been trained yet; call fit() first.")
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ConfigError(f"The number of rows to sample must be a positive integer, got {n!r}.")
        if conditions:
            self._check_conditions(conditions)
        started = time.perf_counter()
        with seeded(self.seed if seed is None else seed):
            frame = self._sample(n, dict(conditions) if conditions else None)
        self.timings["last_sample_s"] = time.perf_counter() - started
        return frame

    def _check_conditions(self, conditions: Mapping[str, Any]) -> None:
        if not self.supports_conditions:
            raise ConfigError(f"Method {self.name!r} does not support conditional sampling.")
        assert self.dataset_info is not None
        kinds = self.dataset_info["kinds"]
        for column in conditions:
            if column not in kinds:
                raise DataError(f"Condition on unknown column {column!r}.")
            if kinds[column] not in (ColumnKind.CATEGORICAL.value, ColumnKind.BOOLEAN.value):
                raise ConfigError(f"Conditions are supported on categorical columns only; {column!r} is {kinds[column]}.")

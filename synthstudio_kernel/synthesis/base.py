"""The Synthesizer base class: public fit/sample wrap validation, seeding, callbacks,
timing and version stamps; subclasses implement ``_fit`` and ``_sample`` only."""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pandas as pd

from ..data import ColumnKind, Dataset, as_dataset
from ..errors import ConfigError, DataError
from .devices import resolve_device
from .events import EpochCallback, EpochEvent, TrainingControl, emit
from .seeding import derive_seed, seeded

_CONDITION_KINDS = (ColumnKind.CATEGORICAL.value, ColumnKind.BOOLEAN.value)
_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0", "f"})


class FitContext:
    """What a subclass's ``_fit`` gets besides the data: callbacks, stop control, device.

    Training loops call :meth:`begin_epochs` once before their first epoch and
    :meth:`epoch_end` after each one; ``epoch_end`` returns True when they should stop.
    """

    def __init__(
        self,
        callbacks: Sequence[EpochCallback] = (),
        control: TrainingControl | None = None,
        device: str = "cpu",
    ) -> None:
        # The tracker comes first so that loops emitting events themselves are tracked too.
        self.callbacks: list[EpochCallback] = [self._track, *callbacks]
        self.control = control or TrainingControl()
        self.device = device
        self.started = time.perf_counter()
        self.epochs_planned: int | None = None
        self.epochs_completed = 0
        self.last_losses: dict[str, float] = {}
        self._loop_started: float | None = None

    def begin_epochs(self, epochs: int) -> None:
        """Mark the start of the epoch loop (ETA counts from here, not from preprocessing)."""
        self.epochs_planned = int(epochs)
        self._loop_started = time.perf_counter()

    def epoch_end(
        self,
        epoch: int,
        epochs: int,
        losses: Mapping[str, float],
        *,
        epsilon: float | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> bool:
        """Report a finished epoch (1-based) to every callback; True means stop now."""
        now = time.perf_counter()
        loop_start = self._loop_started if self._loop_started is not None else self.started
        per_epoch = (now - loop_start) / max(epoch, 1)
        clean = {str(k): float(v) for k, v in losses.items()}
        event = EpochEvent(
            epoch=int(epoch),
            epochs=int(epochs),
            losses=clean,
            elapsed_s=now - self.started,
            eta_s=max(per_epoch * (epochs - epoch), 0.0),
            epsilon=None if epsilon is None else float(epsilon),
            extra=dict(extra or {}),
        )
        return emit(self.callbacks, event, self.control)

    def _track(self, event: EpochEvent) -> None:
        self.epochs_planned = event.epochs
        self.epochs_completed = event.epoch
        self.last_losses = dict(event.losses)

    def summary(self) -> dict[str, Any]:
        """JSON-safe facts about how training went (epochs run, why it stopped)."""
        stopped = (
            self.control.stop_requested
            and self.epochs_planned is not None
            and self.epochs_completed < self.epochs_planned
        )
        return {
            "epochs_planned": self.epochs_planned,
            "epochs_completed": self.epochs_completed if self.epochs_planned is not None else None,
            "stopped_early": bool(stopped),
            "stop_reason": self.control.stop_reason if stopped else None,
            "final_losses": dict(self.last_losses),
            "device": self.device,
        }


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
    #: Name of the held-out loss in ``EpochEvent.losses`` (None: no early stopping on held-out data).
    heldout_loss: ClassVar[str | None] = None

    def __init__(self, *, seed: int | None = None, **params: Any) -> None:
        self.seed = _check_seed(seed)
        self.params: dict[str, Any] = self.validate_params(dict(params))
        self.dataset_info: dict[str, Any] | None = None
        self.timings: dict[str, float] = {}
        self.versions: dict[str, str] = {}
        self.training: dict[str, Any] = {}
        self.device = "cpu"
        self._fitted = False
        self._sample_calls = 0

    # --- hooks for subclasses -------------------------------------------------
    @classmethod
    def validate_params(cls, params: dict[str, Any]) -> dict[str, Any]:
        """Check and complete the method's parameters; raise ConfigError if invalid."""
        return params

    @abstractmethod
    def _fit(self, dataset: Dataset, context: FitContext) -> None:
        """Learn from ``dataset``; call ``context.epoch_end`` after each epoch."""

    @abstractmethod
    def _sample(self, n: int, conditions: Mapping[str, Any] | None) -> pd.DataFrame:
        """Draw ``n`` rows, honouring ``conditions`` if the method supports them."""

    def _to_device(self, device: str) -> None:  # noqa: B027 - optional hook, a no-op for CPU-only methods
        """Move the trained model's tensors to ``device`` (torch methods override)."""

    def known_categories(self, column: str) -> list[Any] | None:
        """Values the model can generate for a categorical ``column`` (None: unknown)."""
        return None

    def library_versions(self) -> dict[str, str]:
        """Versions of the libraries this method relies on (stamped into artifacts)."""
        from .. import __version__

        return {"synthstudio_kernel": __version__, "pandas": pd.__version__}

    # --- template methods -----------------------------------------------------
    @property
    def fitted(self) -> bool:
        return self._fitted

    @property
    def uses_torch(self) -> bool:
        """Methods that can run on CUDA are torch methods: seeding must include torch."""
        return "cuda" in self.devices

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
        device = resolve_device(device, self.devices, self.name)
        context = FitContext(callbacks, control, device)
        started = time.perf_counter()
        with seeded(self.seed, with_torch=self.uses_torch):
            self._fit(dataset, context)
        self.timings["fit_s"] = time.perf_counter() - started
        self.device = device
        self.training = context.summary()
        self.versions = self.library_versions()
        self.dataset_info = {
            "fingerprint": dataset.fingerprint,
            "rows": dataset.n_rows,
            "columns": dataset.columns,
            "kinds": {c: k.value for c, k in dataset.kinds.items()},
            "dtypes": dataset.dtypes,
        }
        self._fitted = True
        self._sample_calls = 0
        return self

    def sample(self, n: int, *, conditions: Mapping[str, Any] | None = None, seed: int | None = None) -> pd.DataFrame:
        """Draw ``n`` synthetic rows.

        With ``seed`` the rows are fixed by it. Without, a model trained with a seed gives a
        reproducible sequence (1st call, 2nd call, ...), and one trained without a seed gives fresh rows.
        """
        if not self._fitted:
            raise ConfigError("This synthesizer has not been trained yet; call fit() first.")
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ConfigError(f"The number of rows to sample must be a positive integer, got {n!r}.")
        checked = self._check_conditions(conditions) if conditions else None
        if seed is not None:
            effective: int | None = _check_seed(seed)
        elif self.seed is not None:
            effective = derive_seed(self.seed, "sample", self._sample_calls)
        else:
            effective = None
        self._sample_calls += 1
        started = time.perf_counter()
        with seeded(effective, with_torch=self.uses_torch):
            frame = self._sample(n, checked)
        self.timings["last_sample_s"] = time.perf_counter() - started
        return frame

    def to_device(self, device: str) -> Synthesizer:
        """Move a trained model to another device (``"cpu"``, ``"cuda"``, ``"auto"``)."""
        resolved = resolve_device(device, self.devices, self.name)
        self._to_device(resolved)
        self.device = resolved
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_sample_calls"] = 0  # a loaded model restarts its sampling sequence
        return state

    # --- conditions -----------------------------------------------------------
    def _check_conditions(self, conditions: Mapping[str, Any]) -> dict[str, Any]:
        if not self.supports_conditions:
            raise ConfigError(f"Method {self.name!r} does not support conditional sampling.")
        assert self.dataset_info is not None
        kinds = self.dataset_info["kinds"]
        dtypes = self.dataset_info.get("dtypes", {})
        checked: dict[str, Any] = {}
        for column, value in conditions.items():
            column = str(column)
            if column not in kinds:
                raise DataError(f"Condition on unknown column {column!r}; the model has: {', '.join(kinds)}.")
            if kinds[column] not in _CONDITION_KINDS:
                raise ConfigError(
                    f"Conditions are supported on categorical columns only; {column!r} is {kinds[column]}."
                )
            checked[column] = _coerce(column, value, dtypes.get(column, "object"))
            known = self.known_categories(column)
            if known is None:
                continue
            match = _match_known(checked[column], known)
            if match is _MISSING:
                raise ConfigError(
                    f"The condition value for {column!r} is not one of the {len(known)} categories the model "
                    f"learned; list them with model.categories({column!r})."
                )
            checked[column] = match
        return checked


def _check_seed(seed: Any) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer, got {seed!r}.")
    return int(seed)


def _coerce(column: str, value: Any, dtype: str) -> Any:
    """Convert a condition value (often a string typed in a magic) to the column's dtype."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ConfigError(f"The condition on {column!r} must be a value, not missing.")
    kind = dtype.lower()
    try:
        if kind.startswith(("int", "uint")):
            number = float(value)
            if not number.is_integer():
                raise ValueError
            return int(number)
        if kind.startswith("float"):
            return float(value)
        if kind.startswith("bool"):
            if isinstance(value, bool):
                return value
            word = str(value).strip().lower()
            if word in _TRUE_WORDS:
                return True
            if word in _FALSE_WORDS:
                return False
            raise ValueError
    except (TypeError, ValueError):
        raise ConfigError(f"The condition on {column!r} must be a {kind} value.") from None
    return value


_MISSING = object()


def _match_known(value: Any, known: Sequence[Any]) -> Any:
    """The known category equal to ``value`` (or with the same text), else ``_MISSING``."""
    for candidate in known:
        if candidate == value and type(candidate) is type(value):
            return candidate
    for candidate in known:
        if str(candidate) == str(value):
            return candidate
    return _MISSING

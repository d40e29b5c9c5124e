"""``train`` and ``load_model``: the public entry points of synthesis.

``train`` = :func:`plan_training` (everything is validated before the data is touched:
method, parameters, device, early stopping) + :meth:`TrainingJob.run` (fit, then record
the run in the privacy ledger). DP methods are handed whole to
:func:`synthstudio_kernel.privacy.pipeline.train_private`, which also charges the budget.
The ``%%dp_train`` magic uses the two steps to show the validated configuration first.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..data import Dataset, as_dataset
from ..data.attrs import PII_RECORD as PII_ATTR
from ..errors import ConfigError
from ..logs import warn_on_failure
from . import registry
from .base import Synthesizer
from .callbacks import EarlyStopping
from .devices import resolve_device
from .events import STOP_USER, EpochCallback, TrainingControl
from .model import TrainedModel, load_model
from .run import RunRecord, json_safe

__all__ = ["TrainingJob", "load_model", "plan_training", "train"]

_log = logging.getLogger(__name__)

#: Share of rows held out for the held-out loss when early stopping is asked without one.
DEFAULT_VALIDATION_SPLIT = 0.1


def train(
    df: pd.DataFrame | Dataset,
    method: str = "gaussian-copula",
    *,
    epsilon: float | None = None,
    delta: float | None = None,
    dataset: str | None = None,
    seed: int | None = None,
    device: str = "cpu",
    callbacks: Sequence[EpochCallback] = (),
    control: TrainingControl | None = None,
    force: bool = False,
    **params: Any,
) -> TrainedModel:
    """Train ``method`` on ``df`` and return the model with its run record.

    ``params`` are the method's own (e.g. ``epochs``, ``batch_size``); ``early_stopping``
    (``True``, a patience or ``{patience, min_delta}``) adds an :class:`EarlyStopping`
    callback for methods with a held-out loss. ``dataset`` names a registered dataset of
    the privacy ledger. ``epsilon``/``delta`` apply to DP methods only.
    ``device`` is ``"cpu"``, ``"cuda"`` or ``"auto"`` (CUDA when available).
    """
    job = plan_training(
        df, method, epsilon=epsilon, delta=delta, dataset=dataset, seed=seed, device=device, force=force, **params
    )
    return job.run(callbacks=callbacks, control=control)


def plan_training(
    df: pd.DataFrame | Dataset,
    method: str = "gaussian-copula",
    *,
    epsilon: float | None = None,
    delta: float | None = None,
    dataset: str | None = None,
    seed: int | None = None,
    device: str = "cpu",
    force: bool = False,
    **params: Any,
) -> TrainingJob:
    """Check a training request without touching the data's values; raises ConfigError/DataError."""
    cls = registry.get(method)
    data = as_dataset(df)
    pii = data.attrs.get(PII_ATTR)
    job = TrainingJob(
        method_cls=cls,
        dataset=data,
        dataset_name=dataset,
        seed=seed,
        device=device,
        epsilon=epsilon,
        delta=delta,
        force=force,
        params=dict(params),
        pii=json_safe(pii) if pii else None,
    )
    if cls.supports_dp:
        job.config = {**cls.validate_params(dict(params)), "epsilon": epsilon, "delta": delta}
        return job
    if epsilon is not None or delta is not None:
        raise ConfigError(
            f"Method {cls.name!r} has no formal privacy guarantee, so epsilon/delta do not apply; "
            "use dp-ctgan or dp-tvae for differential privacy."
        )
    job.callbacks = _early_stopping(cls, job.params)
    job.synthesizer = cls(seed=seed, **job.params)
    job.device = resolve_device(device, cls.devices, cls.name)
    job.config = dict(job.synthesizer.params)
    if job.callbacks:
        job.config["early_stopping"] = {k: v for k, v in job.callbacks[0].to_dict().items() if k != "best"}
    return job


@dataclass
class TrainingJob:
    """A validated training request; :meth:`run` trains it once."""

    method_cls: type[Synthesizer]
    dataset: Dataset
    dataset_name: str | None
    seed: int | None
    device: str
    epsilon: float | None
    delta: float | None
    force: bool
    params: dict[str, Any]
    pii: Any = None
    #: The full configuration after validation, defaults included (what the panel shows).
    config: dict[str, Any] = field(default_factory=dict)
    callbacks: list[EarlyStopping] = field(default_factory=list)
    synthesizer: Synthesizer | None = None

    @property
    def method(self) -> str:
        return self.method_cls.name

    @property
    def private(self) -> bool:
        return bool(self.method_cls.supports_dp)

    @property
    def epochs(self) -> int | None:
        value = self.config.get("epochs")
        return int(value) if isinstance(value, int) else None

    def run(self, callbacks: Sequence[EpochCallback] = (), control: TrainingControl | None = None) -> TrainedModel:
        """Train and return the model (the ledger records the run)."""
        if self.private:
            return self._run_private(callbacks, control)
        synthesizer = self.synthesizer
        if synthesizer is None or synthesizer.fitted:
            raise ConfigError("A training job runs once; plan a new one to train again.")
        self._check_user_stoppers(callbacks, synthesizer)
        from ..privacy.ledger import get_ledger

        ledger = get_ledger()
        record = ledger.resolve_dataset(
            fingerprint=self.dataset.fingerprint, rows=self.dataset.n_rows, name=self.dataset_name
        )
        run = RunRecord.start(
            dataset_fingerprint=self.dataset.fingerprint,
            dataset_name=record.name,
            dataset_rows=self.dataset.n_rows,
            method=self.method,
            params=synthesizer.params,
            seed=self.seed,
            device=self.device,
        )
        run.dataset_id = str(record.id)
        control = control or TrainingControl()
        try:
            synthesizer.fit(self.dataset, callbacks=[*self.callbacks, *callbacks], control=control, device=self.device)
        except BaseException as exc:
            run.finish("failed", error=type(exc).__name__)
            with warn_on_failure(_log, "record the failed run in the ledger"):  # the original error matters more
                ledger.record_run(
                    run_id=run.id, dataset_id=record.id, method=self.method, params=run.params, status="failed"
                )
            raise
        training = synthesizer.training
        stopped = training.get("stopped_early") and training.get("stop_reason") == STOP_USER
        status = "stopped" if stopped else "succeeded"
        run.versions = dict(synthesizer.versions)
        facts: dict[str, Any] = {"training": training, **_unmodelled_facts(synthesizer)}
        if self.callbacks:
            facts["early_stopping"] = self.callbacks[0].to_dict()
        run.finish(status, timings=synthesizer.timings, **facts)
        ledger.record_run(run_id=run.id, dataset_id=record.id, method=self.method, params=run.params, status=status)
        if self.pii:
            ledger.attach_facts(run.id, "pii", self.pii)
            run.facts["pii"] = self.pii
        return TrainedModel(synthesizer, run)

    def _check_user_stoppers(self, callbacks: Sequence[EpochCallback], synthesizer: Synthesizer) -> None:
        if not any(isinstance(c, EarlyStopping) for c in callbacks):
            return
        if self.method_cls.heldout_loss is None:
            raise ConfigError(f"Method {self.method!r} reports no held-out loss, so EarlyStopping cannot be used.")
        if "validation_split" in synthesizer.params and not synthesizer.params["validation_split"]:
            raise ConfigError(
                "EarlyStopping needs a held-out loss: set validation_split (e.g. 0.1) or pass early_stopping=... "
                "to train() instead of the callback."
            )

    def _run_private(self, callbacks: Sequence[EpochCallback], control: TrainingControl | None) -> TrainedModel:
        from ..privacy.pipeline import train_private

        result: TrainedModel = train_private(
            self.dataset,
            self.method_cls,
            epsilon=self.epsilon,
            delta=self.delta,
            dataset_name=self.dataset_name,
            seed=self.seed,
            device=self.device,
            callbacks=tuple(callbacks),
            control=control,
            force=self.force,
            params=dict(self.params),
        )
        return result


def _early_stopping(cls: type[Synthesizer], params: dict[str, Any]) -> list[EarlyStopping]:
    """Turn ``early_stopping=...`` into a callback; make sure a held-out loss is computed."""
    config = params.pop("early_stopping", None)
    if config is None or config is False:
        return []
    stopper = EarlyStopping.from_config(config)
    if cls.heldout_loss is None:
        raise ConfigError(
            f"Method {cls.name!r} reports no held-out loss, so early stopping is not available; "
            "set epochs instead (tvae supports early stopping)."
        )
    stopper.monitor = cls.heldout_loss
    if not params.get("validation_split"):
        params["validation_split"] = DEFAULT_VALIDATION_SPLIT
    return [stopper]


def _unmodelled_facts(synthesizer: Any) -> dict[str, Any]:
    unmodelled = getattr(synthesizer, "_unmodelled", None)
    return {"unmodelled_columns": dict(unmodelled)} if unmodelled else {}

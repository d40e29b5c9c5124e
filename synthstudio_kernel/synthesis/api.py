"""``train`` and ``load_model``: the public entry points of synthesis.

``train`` builds the method from the registry, validates everything before touching
the data, fits, and records the run in the privacy ledger. DP methods are handed whole
to :func:`synthstudio_kernel.privacy.pipeline.train_private`, which also charges the
dataset's budget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..data import Dataset, as_dataset
from ..errors import ConfigError
from . import registry
from .callbacks import EarlyStopping
from .devices import resolve_device
from .events import STOP_USER, EpochCallback, TrainingControl
from .model import TrainedModel, load_model
from .run import RunRecord, json_safe

__all__ = ["load_model", "train"]

#: Share of rows held out for the held-out loss when early stopping is asked without one.
DEFAULT_VALIDATION_SPLIT = 0.1
PII_ATTR = "synthstudio_pii"


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
    """
    cls = registry.get(method)
    data = as_dataset(df)
    if cls.supports_dp:
        from ..privacy.pipeline import train_private

        result: TrainedModel = train_private(
            data,
            cls,
            epsilon=epsilon,
            delta=delta,
            dataset_name=dataset,
            seed=seed,
            device=device,
            callbacks=tuple(callbacks),
            control=control,
            force=force,
            params=dict(params),
        )
        return result
    if epsilon is not None or delta is not None:
        raise ConfigError(
            f"Method {cls.name!r} has no formal privacy guarantee, so epsilon/delta do not apply; "
            "use dp-ctgan or dp-tvae for differential privacy."
        )
    callbacks = _with_early_stopping(cls, list(callbacks), params)
    synthesizer = cls(seed=seed, **params)
    device = resolve_device(device, cls.devices, cls.name)

    from ..privacy.ledger import get_ledger

    ledger = get_ledger()
    record = ledger.resolve_dataset(fingerprint=data.fingerprint, rows=data.n_rows, name=dataset)
    run = RunRecord.start(
        dataset_fingerprint=data.fingerprint,
        dataset_name=record.name,
        dataset_rows=data.n_rows,
        method=cls.name,
        params=synthesizer.params,
        seed=seed,
        device=device,
    )
    run.dataset_id = str(record.id)
    control = control or TrainingControl()
    try:
        synthesizer.fit(data, callbacks=callbacks, control=control, device=device)
    except BaseException as exc:
        run.finish("failed", error=type(exc).__name__)
        with contextlib.suppress(Exception):  # the original error matters more
            ledger.record_run(run_id=run.id, dataset_id=record.id, method=cls.name, params=run.params, status="failed")
        raise
    training = synthesizer.training
    stopped = training.get("stopped_early") and training.get("stop_reason") == STOP_USER
    status = "stopped" if stopped else "succeeded"
    run.versions = dict(synthesizer.versions)
    run.finish(status, timings=synthesizer.timings, training=training, **_unmodelled_facts(synthesizer))
    ledger.record_run(run_id=run.id, dataset_id=record.id, method=cls.name, params=run.params, status=status)
    pii = getattr(df, "attrs", {}).get(PII_ATTR) if isinstance(df, pd.DataFrame) else None
    if pii:
        facts = json_safe(pii)
        ledger.attach_facts(run.id, "pii", facts)
        run.facts["pii"] = facts
    return TrainedModel(synthesizer, run)


def _with_early_stopping(cls: type[Any], callbacks: list[EpochCallback], params: dict[str, Any]) -> list[EpochCallback]:
    """Turn ``early_stopping=...`` into a callback and make sure a held-out loss is computed."""
    config = params.pop("early_stopping", None)
    if config is not None and config is not False:
        callbacks.append(EarlyStopping.from_config(config))
    stoppers = [c for c in callbacks if isinstance(c, EarlyStopping)]
    if not stoppers:
        return callbacks
    if cls.heldout_loss is None:
        raise ConfigError(
            f"Method {cls.name!r} reports no held-out loss, so early stopping is not available; "
            "set epochs instead (tvae supports early stopping)."
        )
    for stopper in stoppers:
        stopper.monitor = cls.heldout_loss
    if not params.get("validation_split"):
        params["validation_split"] = DEFAULT_VALIDATION_SPLIT
    return callbacks


def _unmodelled_facts(synthesizer: Any) -> dict[str, Any]:
    unmodelled = getattr(synthesizer, "_unmodelled", None)
    return {"unmodelled_columns": dict(unmodelled)} if unmodelled else {}

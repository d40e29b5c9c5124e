"""One run lifecycle for every method: check, (reserve), fit, (recompute), record.

``train`` = :func:`plan_training` (checks that read no data value: method, parameters,
device, early stopping) + :meth:`TrainingJob.run`. The ``%%dp_train`` magic uses the two
steps to show the validated configuration first. Orchestration sits here, above
``synthesis`` (the methods) and ``privacy`` (accounting, planning, preprocessing, ledger).

A run goes through its :class:`Charging`:

- :class:`NoCharge` (methods without a formal guarantee): the run is recorded in the
  ledger, nothing is charged.
- :class:`DPCharge` (DP methods), the three safety layers around the ledger:
  1. **validate** (:func:`.safety.validate_config`), refusing with every reason at once (a
     refusal is recorded, nothing charged);
  2. **plan** the noise for the exact mechanisms from public quantities only, then
     **reserve** the target ε on a *named* dataset in one transaction;
  3. **train**; then recompute ε from the mechanisms that actually ran and refuse to release
     a model above its target. The ledger is **settled** with the composition of the
     mechanisms the run executed, itemised: a run that fails after its preprocessing is
     charged its preprocessing, a stopped run the steps it took.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..arguments import parse_bool
from ..assistant.memory import remember
from ..data import ColumnKind, Dataset, as_dataset
from ..data.attrs import PII_RECORD as PII_ATTR
from ..errors import ConfigError, PrivacyError
from ..logs import warn_on_failure
from ..release import json_safe
from ..synthesis import registry
from ..synthesis.base import Synthesizer
from ..synthesis.callbacks import EarlyStopping
from ..synthesis.devices import resolve_device
from ..synthesis.events import STOP_USER, EpochCallback, TrainingControl
from ..synthesis.model import TrainedModel
from ..synthesis.run import RunRecord

__all__ = ["TrainingJob", "plan_training", "train"]

_log = logging.getLogger(__name__)

#: Share of rows held out for the held-out loss when early stopping is asked without one.
DEFAULT_VALIDATION_SPLIT = 0.1
#: Recomputed ε may exceed the target by this much (float noise), no more.
EPSILON_TOLERANCE = 1e-9


def train(
    df: pd.DataFrame | Dataset,
    method: str = "gaussian-copula",
    *,
    epsilon: float | None = None,
    delta: float | None = None,
    dataset: str | None = None,
    seed: int | None = None,
    device: str = "cpu",
    kinds: Mapping[str, str | ColumnKind] | None = None,
    callbacks: Sequence[EpochCallback] = (),
    control: TrainingControl | None = None,
    force: bool = False,
    **params: Any,
) -> TrainedModel:
    """Train ``method`` on ``df`` and return the model with its run record.

    ``params`` are the method's own (e.g. ``epochs``, ``batch_size``); ``early_stopping``
    (``True``, a patience or ``{patience, min_delta}``) adds an :class:`EarlyStopping`
    callback for methods with a held-out loss. ``dataset`` names the ledger dataset the run
    is charged to (required for DP methods unless this table is registered; a new name is
    registered with the default budget). ``kinds`` declares column kinds (DP methods use
    declared kinds, else the dtypes', never value-based guesses). ``epsilon``/``delta``
    apply to DP methods only. ``device`` is ``"cpu"``, ``"cuda"`` or ``"auto"``.
    """
    job = plan_training(
        df,
        method,
        epsilon=epsilon,
        delta=delta,
        dataset=dataset,
        seed=seed,
        device=device,
        kinds=kinds,
        force=force,
        **params,
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
    kinds: Mapping[str, str | ColumnKind] | None = None,
    force: bool = False,
    **params: Any,
) -> TrainingJob:
    """Check a training request without touching the data's values; raises ConfigError/DataError."""
    cls = registry.get(method)
    data = as_dataset(df, kinds)
    pii = data.attrs.get(PII_ATTR)
    job = TrainingJob(
        method_cls=cls,
        dataset=data,
        dataset_name=dataset,
        seed=seed,
        device=device,
        epsilon=epsilon,
        delta=delta,
        force=parse_bool(force, "force"),
        params=dict(params),
        pii=json_safe(pii) if pii else None,
    )
    if cls.supports_dp:
        job.dataset = data.with_schema_kinds()
        job.config = {**cls.validate_params(dict(params)), "epsilon": epsilon, "delta": delta}
        job.device = resolve_device(device, cls.devices, cls.name)
        return job
    if epsilon is not None or delta is not None:
        raise ConfigError(
            f"Method {cls.name!r} has no formal privacy guarantee, so epsilon/delta do not apply; "
            f"use one of {', '.join(registry.dp_methods())} for differential privacy."
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
    _ran: bool = False

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

    def validate(self) -> Any:
        """The DP safety checks (layer 1) as a SafetyReport; a refusal is recorded in the ledger and raised."""
        if not self.private:
            raise ConfigError(f"Method {self.method!r} has no formal guarantee: there are no DP checks to run.")
        return DPCharge(self).validate()

    def run(self, callbacks: Sequence[EpochCallback] = (), control: TrainingControl | None = None) -> TrainedModel:
        """Train and return the model; the ledger records the run (and charges it, for DP)."""
        if self._ran:
            raise ConfigError("A training job runs once; plan a new one to train again.")
        self._ran = True
        charging: Charging = DPCharge(self) if self.private else NoCharge(self)
        synthesizer = charging.begin(callbacks)
        run = charging.run
        try:
            synthesizer.fit(
                self.dataset,
                callbacks=[*self.callbacks, *callbacks],
                control=control or TrainingControl(),
                device=self.device,
            )
        except BaseException as exc:
            with warn_on_failure(_log, "record the failed run in the ledger"):  # the original error matters more
                charging.fail(exc)
            raise
        status = charging.succeed()
        run.versions = dict(synthesizer.versions)
        run.finish(status, timings=synthesizer.timings, training=synthesizer.training, **charging.released_facts())
        charging.record_internal()
        model = TrainedModel(synthesizer, run)
        remember("model", model)  # the assistant's default context (see assistant.memory)
        return model


class Charging:
    """How a run meets the ledger: begin (before the data is read), fail, succeed."""

    def __init__(self, job: TrainingJob) -> None:
        from ..privacy.ledger import get_ledger

        self.job = job
        self.ledger = get_ledger()
        self.run: RunRecord
        self.internal: dict[str, Any] = {}

    def _start_run(self, synthesizer: Synthesizer, dataset_name: str, dataset_id: int, params: Any) -> RunRecord:
        job = self.job
        run = RunRecord.start(
            dataset_fingerprint=job.dataset.fingerprint,
            dataset_name=dataset_name,
            dataset_rows=job.dataset.n_rows,
            method=job.method,
            params=params,
            seed=job.seed,
            device=job.device,
        )
        run.dataset_id = str(dataset_id)
        self.run = run
        return run

    def begin(self, callbacks: Sequence[EpochCallback]) -> Synthesizer:
        raise NotImplementedError

    def fail(self, exc: BaseException) -> None:
        raise NotImplementedError

    def succeed(self) -> str:
        raise NotImplementedError

    def released_facts(self) -> dict[str, Any]:
        """Facts that travel with the model (see :mod:`synthstudio_kernel.release`)."""
        return {}

    def record_internal(self) -> None:
        """The owner's facts (PII apply counts, safety checks with exact counts): ledger only."""
        if self.job.pii:
            self.internal["pii"] = self.job.pii
        for key, facts in self.internal.items():
            with warn_on_failure(_log, f"attach the {key} record to the run"):
                self.ledger.attach_facts(self.run.id, key, facts)


class NoCharge(Charging):
    """Methods without a formal guarantee: recorded, never charged."""

    def begin(self, callbacks: Sequence[EpochCallback]) -> Synthesizer:
        job = self.job
        synthesizer = job.synthesizer
        assert synthesizer is not None
        _check_user_stoppers(job, callbacks, synthesizer)
        record = self.ledger.resolve_dataset(
            fingerprint=job.dataset.fingerprint, rows=job.dataset.n_rows, name=job.dataset_name
        )
        self._record_id = record.id
        self._start_run(synthesizer, record.name, record.id, synthesizer.params)
        return synthesizer

    def fail(self, exc: BaseException) -> None:
        self.run.finish("failed", error=type(exc).__name__)
        self.ledger.record_run(
            run_id=self.run.id,
            dataset_id=self._record_id,
            method=self.job.method,
            params=self.run.params,
            status="failed",
        )

    def succeed(self) -> str:
        synthesizer = self.job.synthesizer
        assert synthesizer is not None
        training = synthesizer.training
        stopped = training.get("stopped_early") and training.get("stop_reason") == STOP_USER
        status = "stopped" if stopped else "succeeded"
        self.ledger.record_run(
            run_id=self.run.id,
            dataset_id=self._record_id,
            method=self.job.method,
            params=self.run.params,
            status=status,
        )
        return status

    def released_facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        unmodelled = getattr(self.job.synthesizer, "_unmodelled", None)
        if unmodelled:
            facts["unmodelled_columns"] = dict(unmodelled)
        if self.job.callbacks:
            self.internal["early_stopping"] = self.job.callbacks[0].to_dict()
        return facts


class DPCharge(Charging):
    """DP methods: validate, reserve on a named dataset, charge what ran."""

    def validate(self) -> Any:
        """Layer 1: the safety report; a refusal is recorded in the ledger (nothing charged), then raised."""
        from .safety import validate_config

        job = self.job
        report = validate_config(
            job.dataset,
            method=job.method,
            epsilon=job.epsilon,
            delta=job.delta,
            force=job.force,
            dataset=job.dataset_name,
            **job.params,
        )
        self.safety = _safety_facts(report.to_dict())
        if not report.ok:
            self._record_refusal(json_safe(_ledger_params(job.params)))
            report.raise_if_refused()
        return report

    def begin(self, callbacks: Sequence[EpochCallback]) -> Synthesizer:
        job = self.job
        params = dict(job.params)
        self.validate()
        public_params = json_safe(_ledger_params(params))
        assert job.epsilon is not None
        record, note = self.ledger.resolve_private_dataset(
            fingerprint=job.dataset.fingerprint, rows=job.dataset.n_rows, name=job.dataset_name
        )
        if note:
            self.internal["dataset_version"] = {"note": note}
        from ..privacy.planning import resolve_delta

        self.delta = resolve_delta(job.delta, job.dataset.n_rows)
        synthesizer = job.method_cls(seed=job.seed, **params)
        plan = synthesizer.make_plan(job.dataset, epsilon=float(job.epsilon), delta=self.delta)  # type: ignore[attr-defined]
        synthesizer.attach_plan(plan)  # type: ignore[attr-defined]
        self.plan = plan
        job.synthesizer = synthesizer
        run = self._start_run(synthesizer, record.name, record.id, public_params)
        self.ledger.reserve(
            run_id=run.id,
            dataset_id=record.id,
            epsilon=float(job.epsilon),
            delta=self.delta,
            method=job.method,
            params=public_params,
        )
        synthesizer.reservation = run.id  # type: ignore[attr-defined]
        self.internal["safety"] = self.safety
        return synthesizer

    def _executed(self) -> tuple[float, dict[str, Any]]:
        """ε of the mechanisms the run executed, and their itemised list."""
        synthesizer: Any = self.job.synthesizer
        accountant = synthesizer.spent
        spent = accountant.epsilon(delta=self.delta) if accountant.mechanisms else 0.0
        return spent, accountant.to_dict()

    def fail(self, exc: BaseException) -> None:
        synthesizer: Any = self.job.synthesizer
        spent, executed = self._executed()
        status = "stopped" if isinstance(exc, KeyboardInterrupt) else "failed"
        self.ledger.settle(
            run_id=self.run.id,
            epsilon_spent=spent if math.isfinite(spent) else float(self.job.epsilon or 0.0),
            status=status,
            accounting={
                "plan": self.plan.to_dict(),
                "executed": executed,
                "error": type(exc).__name__,
                "data_touched": bool(synthesizer.data_touched),
                "charged": "the mechanisms that ran" if synthesizer.data_touched else "nothing (data not touched)",
            },
        )
        self.run.finish(status, error=type(exc).__name__)
        self.record_internal()

    def succeed(self) -> str:
        # Layer 3: recompute from what actually ran; never release a model over its target.
        job = self.job
        synthesizer: Any = job.synthesizer
        target = float(job.epsilon or 0.0)
        spent, executed = self._executed()
        privacy = dict(synthesizer.privacy or {})
        recorded = privacy.get("epsilon")
        if (
            not math.isfinite(spent)
            or spent > target + EPSILON_TOLERANCE
            or recorded is None
            or not math.isclose(float(recorded), spent, rel_tol=1e-9, abs_tol=1e-12)
        ):
            self.ledger.settle(
                run_id=self.run.id,
                epsilon_spent=max(spent if math.isfinite(spent) else target, target),
                status="failed",
                accounting={**privacy, "executed": executed, "refused_release": True},
            )
            raise PrivacyError(
                f"Training spent epsilon={spent:.4g}, above its target {target:g} (or not what it recorded); the "
                "model is not released (the run is charged)."
            )
        status = "stopped" if synthesizer.stopped_early else "succeeded"
        self.ledger.settle(
            run_id=self.run.id, epsilon_spent=spent, status=status, accounting={**privacy, "executed": executed}
        )
        self.run.privacy = privacy
        return status

    def _record_refusal(self, params: Mapping[str, Any]) -> None:
        """Record a refused DP run (nothing charged); a failure to record it is logged, not raised."""
        import uuid

        job = self.job
        epsilon, delta = job.epsilon, job.delta
        with warn_on_failure(_log, "record the refused run in the ledger"):
            named = self.ledger.find_dataset(job.dataset_name) if job.dataset_name else None
            record = named or self.ledger.resolve_dataset(fingerprint=job.dataset.fingerprint, rows=job.dataset.n_rows)
            run_id = uuid.uuid4().hex
            valid = isinstance(epsilon, int | float) and not isinstance(epsilon, bool)
            target = float(epsilon) if valid and math.isfinite(epsilon) and epsilon > 0 else None  # type: ignore[arg-type,operator]
            dlt = float(delta) if isinstance(delta, float) and 0 < delta < 1 else None
            self.ledger.record_run(
                run_id=run_id,
                dataset_id=record.id,
                method=job.method,
                params=params,
                status="refused",
                epsilon=target,
                delta=dlt,
            )
            self.ledger.attach_facts(run_id, "safety", self.safety)


def _ledger_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters for the ledger and run record: declared categories by count, not by value."""
    out = dict(params)
    categories = out.get("categories")
    if isinstance(categories, Mapping):
        out["categories"] = {str(c): f"{len(v)} declared values" for c, v in categories.items()}
    return out


def _safety_facts(report: Mapping[str, Any]) -> dict[str, Any]:
    """The safety report without the plan's bulky preprocessing detail."""
    return {k: report[k] for k in ("ok", "forced", "errors", "warnings", "checks")}


def _check_user_stoppers(job: TrainingJob, callbacks: Sequence[EpochCallback], synthesizer: Synthesizer) -> None:
    if not any(isinstance(c, EarlyStopping) for c in callbacks):
        return
    if job.method_cls.heldout_loss is None:
        raise ConfigError(f"Method {job.method!r} reports no held-out loss, so EarlyStopping cannot be used.")
    if "validation_split" in synthesizer.params and not synthesizer.params["validation_split"]:
        raise ConfigError(
            "EarlyStopping needs a held-out loss: set validation_split (e.g. 0.1) or pass early_stopping=... "
            "to train() instead of the callback."
        )


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

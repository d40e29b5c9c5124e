"""DP training end to end: the three safety layers around the budget ledger.

``ss.train(df, method="dp-tvae", epsilon=...)`` lands here (via ``synthesis.api``):

1. **validate** (:func:`.safety.validate_config`): refuse with every reason at once; a
   refused run is recorded in the ledger with nothing charged;
2. **plan** (:mod:`.planning`): calibrate the noise multiplier for the exact number of
   steps, then **reserve** the target ε in the ledger in one transaction;
3. **train** with Poisson sampling, reporting ε spent after every epoch and never taking
   a step the plan did not pay for;
4. **recompute** ε from the steps actually taken and refuse to release a model above its
   target; **settle** the ledger with what was spent.

A run that fails after touching the data is charged its whole reservation: the failure
itself may depend on the data in ways the accountant does not cover, so it never costs
less than what was put at risk. A run that fails before (e.g. a bad parameter) is charged
nothing.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from ..data import Dataset
from ..synthesis.base import Synthesizer

if TYPE_CHECKING:  # pragma: no cover
    from ..synthesis.dp.base import DPSynthesizer
from ..data.attrs import PII_RECORD as PII_ATTR
from ..errors import PrivacyError
from ..logs import warn_on_failure
from .planning import resolve_delta
from .safety import validate_config

_log = logging.getLogger(__name__)

#: Recomputed ε may exceed the target by this much (float noise), no more.
EPSILON_TOLERANCE = 1e-9


def train_private(
    dataset: Dataset,
    method_cls: type[Synthesizer],
    *,
    epsilon: float | None,
    delta: float | None,
    dataset_name: str | None,
    seed: int | None,
    device: str,
    callbacks: Sequence[Any],
    control: Any,
    force: bool,
    params: Mapping[str, Any],
) -> Any:
    """Validate, reserve, train, recompute and settle; return the released TrainedModel."""
    from ..synthesis.model import TrainedModel
    from ..synthesis.run import RunRecord, json_safe
    from .ledger import get_ledger

    params = dict(params)
    method = str(method_cls.name)
    report = validate_config(
        dataset, method=method, epsilon=epsilon, delta=delta, force=force, dataset=dataset_name, **params
    )
    ledger = get_ledger()
    public_params = json_safe(_ledger_params(params))
    if not report.ok:
        _record_refusal(ledger, dataset, dataset_name, method, public_params, epsilon, delta, report.to_dict())
        report.raise_if_refused()
    assert epsilon is not None
    record = ledger.resolve_dataset(fingerprint=dataset.fingerprint, rows=dataset.n_rows, name=dataset_name)
    dlt = resolve_delta(delta, dataset.n_rows)
    synthesizer = cast("DPSynthesizer", method_cls(seed=seed, **params))
    plan = synthesizer.make_plan(dataset, epsilon=float(epsilon), delta=dlt)
    synthesizer.attach_plan(plan)
    run = RunRecord.start(
        dataset_fingerprint=dataset.fingerprint,
        dataset_name=record.name,
        dataset_rows=dataset.n_rows,
        method=method,
        params=public_params,
        seed=seed,
        device=device,
    )
    run.dataset_id = str(record.id)
    ledger.reserve(
        run_id=run.id, dataset_id=record.id, epsilon=float(epsilon), delta=dlt, method=method, params=public_params
    )
    ledger.attach_facts(run.id, "safety", _safety_facts(report.to_dict()))
    try:
        synthesizer.fit(dataset, callbacks=callbacks, control=control, device=device)
    except BaseException as exc:
        charged = float(epsilon) if synthesizer.data_touched else 0.0
        status = "stopped" if isinstance(exc, KeyboardInterrupt) else "failed"
        # The original error matters more; an unsettled reservation keeps counting as spent.
        with warn_on_failure(_log, "settle the failed run in the ledger"):
            ledger.settle(
                run_id=run.id,
                epsilon_spent=charged,
                status=status,
                accounting={
                    **plan.to_dict(),
                    "error": type(exc).__name__,
                    "data_touched": synthesizer.data_touched,
                    "charged": "whole reservation" if charged else "nothing (data not touched)",
                },
            )
        raise
    # Layer 3: recompute from what actually ran; never release a model over its target.
    privacy = dict(synthesizer.privacy or {})
    spent = plan.accountant(synthesizer.steps_taken).epsilon(delta=dlt)
    if not math.isfinite(spent) or spent > float(epsilon) + EPSILON_TOLERANCE or privacy.get("epsilon") != spent:
        charged = spent if math.isfinite(spent) else float(epsilon)
        ledger.settle(
            run_id=run.id,
            epsilon_spent=max(charged, float(epsilon)),
            status="failed",
            accounting={**privacy, "refused_release": True},
        )
        raise PrivacyError(
            f"Training spent epsilon={spent:.4g}, above its target {float(epsilon):g}; the model is not released "
            "(the run is charged)."
        )
    status = "stopped" if synthesizer.stopped_early else "succeeded"
    ledger.settle(run_id=run.id, epsilon_spent=spent, status=status, accounting=privacy)
    run.versions = dict(synthesizer.versions)
    run.privacy = privacy
    run.finish(
        status, timings=synthesizer.timings, training=synthesizer.training, safety=_safety_facts(report.to_dict())
    )
    pii = dataset.attrs.get(PII_ATTR)
    if pii:
        with warn_on_failure(_log, "attach the PII record to the run"):
            ledger.attach_facts(run.id, "pii", json_safe(pii))
            run.facts["pii"] = json_safe(pii)
    return TrainedModel(synthesizer, run)


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


def _record_refusal(
    ledger: Any,
    dataset: Dataset,
    dataset_name: str | None,
    method: str,
    params: Mapping[str, Any],
    epsilon: Any,
    delta: Any,
    report: Mapping[str, Any],
) -> None:
    """Record a refused DP run (nothing charged); a failure to record it is logged, not raised."""
    import uuid

    with warn_on_failure(_log, "record the refused run in the ledger"):
        record = ledger.resolve_dataset(fingerprint=dataset.fingerprint, rows=dataset.n_rows, name=dataset_name)
        run_id = uuid.uuid4().hex
        target = float(epsilon) if isinstance(epsilon, int | float) and math.isfinite(epsilon) and epsilon > 0 else None
        dlt = float(delta) if isinstance(delta, float) and 0 < delta < 1 else None
        ledger.record_run(
            run_id=run_id,
            dataset_id=record.id,
            method=method,
            params=params,
            status="refused",
            epsilon=target,
            delta=dlt,
        )
        ledger.attach_facts(run_id, "safety", _safety_facts(report))

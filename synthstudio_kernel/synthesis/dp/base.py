"""Shared base of the DP synthesizers: DP preprocessing, the DP-SGD epoch loop, accounting.

A subclass builds its networks (``_build``), runs one epoch of DP-SGD steps
(``_train_epoch``) and turns network outputs into raw rows (``_generate``). The base
does the rest, identically for every DP method:

1. preprocessing under DP (:mod:`synthstudio_kernel.privacy.preprocessing`), then the
   DP-safe transformer (post-processing only);
2. the epoch loop: ε spent so far in every ``EpochEvent``, a hard stop before any step
   that the plan did not pay for, and the user's stop request honoured after an epoch;
3. the privacy facts of what actually ran (``self.privacy``), recomputed from the steps
   taken, which the pipeline checks against the target before releasing the model.

Every random draw of the mechanisms (preprocessing noise, Poisson sampling, DP-SGD noise)
comes from the run's secret noise source (:mod:`synthstudio_kernel.privacy.randomness`);
``seed`` only fixes sampling from the released model. No raw loss leaves the training loop:
epoch events carry ε spent, steps and the noise level, so a user's Stop is post-processing.

Training goes through :func:`synthstudio_kernel.train`, which reserves the budget in the
ledger and charges what ran; ``fit`` refuses to run without that reservation.
"""

from __future__ import annotations

import math
import time
from abc import abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ...data import Dataset
from ...errors import ConfigError, DataError, PrivacyError
from ...privacy.accounting import ACCOUNTANT_NAME, RDPAccountant
from ...privacy.planning import TrainingPlan, make_plan, resolve_delta
from ...privacy.preprocessing import DEFAULT_PREPROCESSING_SHARE, run_preprocessing
from ...privacy.randomness import NoiseSource
from ..base import FitContext, Synthesizer
from ..seeding import draw_seed
from .sgd import GRAD_SAMPLE_MODES
from .transformer import DPTransformer

#: Parameters every DP method accepts (defaults); subclasses add their own.
COMMON_DEFAULTS: dict[str, Any] = {
    "epochs": 30,
    "batch_size": 500,
    "max_grad_norm": 1.0,
    "preprocessing_share": DEFAULT_PREPROCESSING_SHARE,
    "public_bounds": None,
    "categories": None,
    "grad_sample_mode": "ghost",
    "marginal_calibration": True,
    # Debugging only: seeded noise, so the run has no privacy guarantee (marked everywhere).
    "insecure_reproducible_noise": False,
}
#: Conditional sampling gives up after this many generated batches.
MAX_CONDITION_ROUNDS = 50


def _positive_int(params: dict[str, Any], key: str) -> None:
    value = params[key]
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ConfigError(f"{key} must be a positive integer, got {value!r}.")
    params[key] = int(value)


def _positive_float(params: dict[str, Any], key: str) -> None:
    value = params[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{key} must be a positive number, got {value!r}.")
    params[key] = float(value)


def _dims(params: dict[str, Any], key: str) -> None:
    value = params[key]
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    try:
        dims = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a list of layer sizes, got {value!r}.") from None
    if not dims or any(d < 1 for d in dims):
        raise ConfigError(f"{key} must be a non-empty list of positive layer sizes.")
    params[key] = dims


class DPSynthesizer(Synthesizer):
    """Base of DP-TVAE and DP-CTGAN."""

    supports_dp: ClassVar[bool] = True
    supports_conditions: ClassVar[bool] = True
    devices: ClassVar[tuple[str, ...]] = ("cpu", "cuda")
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("epochs", "batch_size")
    FLOAT_PARAMS: ClassVar[tuple[str, ...]] = ("max_grad_norm",)
    DIM_PARAMS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, seed: int | None = None, **params: Any) -> None:
        super().__init__(seed=seed, **params)
        self.plan: TrainingPlan | None = None
        self.privacy: dict[str, Any] | None = None
        self.transformer: DPTransformer | None = None
        self.data_touched = False
        self.steps_taken = 0
        self.stopped_early = False
        self._preprocessing_ran = False
        self._trainer: Any = None

    # --- parameters ---------------------------------------------------------------------
    @classmethod
    def validate_params(cls, params: dict[str, Any]) -> dict[str, Any]:
        defaults = {**COMMON_DEFAULTS, **cls.DEFAULTS}
        unknown = sorted(set(params) - set(defaults))
        if unknown:
            raise ConfigError(
                f"Unknown parameter(s) for {cls.name}: {', '.join(unknown)}; accepted: {', '.join(sorted(defaults))}."
            )
        merged = {**defaults, **{k: v for k, v in params.items() if v is not None}}
        for key in cls.INT_PARAMS:
            _positive_int(merged, key)
        for key in cls.FLOAT_PARAMS:
            _positive_float(merged, key)
        for key in cls.DIM_PARAMS:
            _dims(merged, key)
        share = merged["preprocessing_share"]
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share < 1:
            raise ConfigError(f"preprocessing_share must be a number in (0, 1), got {share!r}.")
        if merged["grad_sample_mode"] not in GRAD_SAMPLE_MODES:
            raise ConfigError(f"grad_sample_mode must be one of {', '.join(GRAD_SAMPLE_MODES)}.")
        for key in ("public_bounds", "categories"):
            if merged[key] is not None and not isinstance(merged[key], Mapping):
                raise ConfigError(f"{key} must be a mapping from column names, got {type(merged[key]).__name__}.")
        if not isinstance(merged["insecure_reproducible_noise"], bool):
            raise ConfigError("insecure_reproducible_noise must be true or false.")
        return merged

    # --- privacy plan -------------------------------------------------------------------
    def attach_plan(self, plan: TrainingPlan) -> None:
        """Use ``plan`` (made and checked by the training lifecycle) for the next fit."""
        self.plan = plan

    def make_plan(self, dataset: Dataset, *, epsilon: float, delta: float | None) -> TrainingPlan:
        """Layer 2 for this method's parameters: calibrate the noise for the exact steps."""
        p = self.params
        return make_plan(
            dataset,
            epsilon=epsilon,
            delta=resolve_delta(delta, dataset.n_rows),
            batch_size=p["batch_size"],
            epochs=p["epochs"],
            max_grad_norm=p["max_grad_norm"],
            preprocessing_share=p["preprocessing_share"],
            public_bounds=p["public_bounds"],
            categories=p["categories"],
        )

    # --- subclass hooks -------------------------------------------------------------------
    @abstractmethod
    def _build(self, rows: Any, plan: TrainingPlan, device: str, noise: NoiseSource) -> Any:
        """Create networks and the PrivateTrainer; return the trainer."""

    @abstractmethod
    def _train_epoch(self, trainer: Any, plan: TrainingPlan, device: str) -> None:
        """Run one epoch of DP-SGD steps (never past ``plan.steps``)."""

    @abstractmethod
    def _finish(self, trainer: Any) -> None:
        """Keep the trained networks (on CPU, without Opacus hooks)."""

    @abstractmethod
    def _generate(self, n: int, cond: tuple[int, int] | None) -> np.ndarray:
        """``n`` raw network outputs, optionally with a categorical one-hot position forced."""

    # --- template -------------------------------------------------------------------------
    @property
    def reproducible_noise(self) -> bool:
        """True when the run used seeded (debugging) noise: no privacy guarantee."""
        return bool(self.params["insecure_reproducible_noise"])

    @property
    def spent(self) -> RDPAccountant:
        """The mechanisms this run has executed so far (what the ledger charges)."""
        plan = self.plan
        if plan is None or not self.data_touched:
            return RDPAccountant()
        accountant = RDPAccountant.of(plan.preprocessing.mechanisms())
        steps = self._trainer.steps if self._trainer is not None else self.steps_taken
        if steps:
            accountant.add_dpsgd(noise_multiplier=plan.noise_multiplier, sample_rate=plan.sample_rate, steps=steps)
        return accountant

    def _fit(self, dataset: Dataset, context: FitContext) -> None:
        import torch

        plan = self.plan
        if plan is None:
            raise ConfigError(
                f"{self.name} needs a privacy plan: train it with ss.train(df, method={self.name!r}, epsilon=...)."
            )
        if plan.n_rows != dataset.n_rows:
            raise PrivacyError("The privacy plan was made for a table with a different number of rows.")
        device = context.device
        noise = self.noise_source()
        self.data_touched = True  # from here on the run must be charged
        meta = self._release_metadata(dataset, plan, noise)
        self.transformer = DPTransformer(meta)
        rows = torch.from_numpy(self.transformer.encode(dataset.frame))
        trainer = self._build(rows, plan, device, noise)
        self._trainer = trainer
        del rows
        context.begin_epochs(plan.epochs)
        started = time.perf_counter()
        epochs_run = 0
        for epoch in range(1, plan.epochs + 1):
            if trainer.steps >= plan.steps:
                break
            self._train_epoch(trainer, plan, device)
            epochs_run = epoch
            self.steps_taken = trainer.steps
            stop = context.epoch_end(
                epoch,
                plan.epochs,
                {},  # raw losses are functions of the private rows: never released
                epsilon=plan.epsilon_after(trainer.steps),
                extra={"steps": trainer.steps, "noise_multiplier": plan.noise_multiplier},
            )
            if stop and epoch < plan.epochs:
                self.stopped_early = True
                break
        self.steps_taken = trainer.steps
        self._finish(trainer)
        self._trainer = None
        self.timings["epoch_s"] = (time.perf_counter() - started) / max(epochs_run, 1)
        self.privacy = privacy_facts(
            plan,
            steps=trainer.steps,
            metadata=meta.summary(),
            method=self.name,
            reproducible_noise=self.reproducible_noise,
        )

    def noise_source(self) -> NoiseSource:
        """The secret noise of this run (seeded only under ``insecure_reproducible_noise``)."""
        from ...privacy.randomness import noise_source

        if self.reproducible_noise:
            return noise_source(reproducible_seed=0 if self.seed is None else self.seed)
        return noise_source()

    def _release_metadata(self, dataset: Dataset, plan: TrainingPlan, noise: NoiseSource) -> Any:
        """The DP preprocessing release (charged in the plan). A distributed run overrides this
        so that one process releases and the others receive the same metadata."""
        return run_preprocessing(dataset, plan.preprocessing, noise=noise)

    def known_categories(self, column: str) -> list[Any] | None:
        return self.transformer.known_categories(column) if self.transformer is not None else None

    def _sample(self, n: int, conditions: Mapping[str, Any] | None) -> pd.DataFrame:
        assert self.transformer is not None
        rng = np.random.default_rng(draw_seed())
        calibrate = bool(self.params["marginal_calibration"])
        if not conditions:
            return self.transformer.decode(self._generate(n, None), rng=rng, calibrate=calibrate)
        transformer = self.transformer
        codes = {c: transformer.category_code(c, v) for c, v in conditions.items()}
        first, (span, code) = next(iter(codes.items()))
        forced = (span.start, code) if self.conditions_in_generator else None
        fixed = {first: code} if self.conditions_in_generator else {}
        wanted = {c: transformer.category_value(c, pos) for c, (_, pos) in codes.items() if c not in fixed}
        batch = max(2 * n, 1000)
        parts: list[pd.DataFrame] = []
        have = 0
        for _ in range(MAX_CONDITION_ROUNDS):
            frame = transformer.decode(self._generate(batch, forced), rng=rng, calibrate=calibrate, fixed=fixed)
            mask = np.ones(len(frame), dtype=bool)
            for column, value in wanted.items():
                mask &= _equals(frame[column], value)
            parts.append(frame[mask])
            have += int(mask.sum())
            if have >= n:
                break
        if have < n:
            raise DataError(
                "These conditions are too rare under the trained model to sample the requested rows; "
                "ask for fewer rows or fewer conditions."
            )
        return pd.concat(parts, ignore_index=True).iloc[:n].reset_index(drop=True)

    #: Whether ``_generate`` can force a category (CTGAN's conditional vector); else rejection only.
    conditions_in_generator: ClassVar[bool] = False

    def library_versions(self) -> dict[str, str]:
        import opacus
        import torch

        return {**super().library_versions(), "torch": torch.__version__, "opacus": opacus.__version__}


def _equals(series: pd.Series, value: Any) -> np.ndarray:
    if value is None:
        return series.isna().to_numpy()
    return (series == value).to_numpy(dtype=bool)


def privacy_facts(
    plan: TrainingPlan, *, steps: int, metadata: dict[str, Any], method: str, reproducible_noise: bool = False
) -> dict[str, Any]:
    """What the run spent, recomputed from what actually ran (the record that is reported)."""
    from ...privacy.randomness import VOID_REPRODUCIBLE

    accountant = plan.accountant(steps)
    epsilon = accountant.epsilon(delta=plan.delta)
    return {
        "guarantee": "dp",
        "void": VOID_REPRODUCIBLE if reproducible_noise else None,
        "noise": "reproducible (seeded)" if reproducible_noise else "secure (OS entropy, ChaCha20)",
        "method": method,
        "epsilon": float(epsilon),
        "delta": float(plan.delta),
        "target_epsilon": float(plan.target_epsilon),
        "noise_multiplier": float(plan.noise_multiplier),
        "sample_rate": float(plan.sample_rate),
        "steps": int(steps),
        "planned_steps": int(plan.steps),
        "epochs": int(plan.epochs),
        "batch_size": int(plan.batch_size),
        "max_grad_norm": float(plan.max_grad_norm),
        "rows": int(plan.n_rows),
        "accountant": ACCOUNTANT_NAME,
        "preprocessing_epsilon": float(plan.preprocessing_epsilon),
        "preprocessing_share": float(plan.preprocessing.epsilon_budget / plan.target_epsilon),
        "preprocessing": {**plan.preprocessing.to_dict(), "released": metadata},
        "public": plan.preprocessing.public_metadata(),
        "mechanisms": accountant.to_dict()["mechanisms"],
    }

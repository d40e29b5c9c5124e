"""Layer 2: a DP training plan, with the noise calibrated for the exact number of steps.

A plan fixes everything the accountant needs before any data value is read: the
preprocessing releases and their noise, the Poisson sample rate, the number of DP-SGD
steps and the noise multiplier that makes the whole composition meet the target ε.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..data import Dataset
from ..errors import ConfigError, PrivacyError
from .accounting import ACCOUNTANT_NAME, CalibrationError, RDPAccountant, calibrate_dpsgd
from .preprocessing import DEFAULT_PREPROCESSING_SHARE, PreprocessingPlan, plan_preprocessing

#: Default δ is min(DEFAULT_DELTA, 1 / (DELTA_ROWS_FACTOR · n)).
DEFAULT_DELTA = 1e-5
DELTA_ROWS_FACTOR = 10


def default_delta(n_rows: int) -> float:
    """δ = min(1e-5, 1/(10·n)): well below 1/n, the probability of exposing one row outright."""
    return min(DEFAULT_DELTA, 1.0 / (DELTA_ROWS_FACTOR * max(int(n_rows), 1)))


def steps_per_epoch(sample_rate: float) -> int:
    """Poisson batches per epoch, as Opacus' sampler draws them: ``int(1 / sample_rate)``."""
    return max(int(1 / sample_rate), 1)


@dataclass(frozen=True)
class TrainingPlan:
    """Everything the accountant needs, fixed before training."""

    target_epsilon: float
    delta: float
    n_rows: int
    batch_size: int
    epochs: int
    sample_rate: float
    steps_per_epoch: int
    steps: int
    noise_multiplier: float
    max_grad_norm: float
    preprocessing: PreprocessingPlan

    def accountant(self, steps: int | None = None) -> RDPAccountant:
        """Preprocessing composed with ``steps`` DP-SGD steps (all planned steps by default)."""
        acc = RDPAccountant.of(self.preprocessing.mechanisms())
        taken = self.steps if steps is None else int(steps)
        if taken:
            acc.add_dpsgd(noise_multiplier=self.noise_multiplier, sample_rate=self.sample_rate, steps=taken)
        return acc

    def epsilon_after(self, steps: int) -> float:
        """ε of the pipeline once ``steps`` DP-SGD steps have run."""
        return self.accountant(steps).epsilon(delta=self.delta)

    @property
    def preprocessing_epsilon(self) -> float:
        return self.preprocessing.epsilon(delta=self.delta)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target_epsilon": float(self.target_epsilon),
            "delta": float(self.delta),
            "rows": int(self.n_rows),
            "batch_size": int(self.batch_size),
            "epochs": int(self.epochs),
            "sample_rate": float(self.sample_rate),
            "steps_per_epoch": int(self.steps_per_epoch),
            "steps": int(self.steps),
            "noise_multiplier": float(self.noise_multiplier),
            "max_grad_norm": float(self.max_grad_norm),
            "accountant": ACCOUNTANT_NAME,
            "preprocessing": self.preprocessing.to_dict(),
        }


def resolve_delta(delta: float | None, n_rows: int) -> float:
    """The δ to use: the default when None; ConfigError when not a probability."""
    if delta is None:
        return default_delta(n_rows)
    if isinstance(delta, bool) or not isinstance(delta, int | float) or not math.isfinite(delta) or not 0 < delta < 1:
        raise ConfigError(f"delta must be a number in (0, 1), got {delta!r}.")
    return float(delta)


def make_plan(
    dataset: Dataset,
    *,
    epsilon: float,
    delta: float,
    batch_size: int,
    epochs: int,
    max_grad_norm: float = 1.0,
    preprocessing_share: float = DEFAULT_PREPROCESSING_SHARE,
    public_bounds: Mapping[str, Sequence[Any]] | None = None,
    categories: Mapping[str, Sequence[Any]] | None = None,
) -> TrainingPlan:
    """Plan preprocessing, sampling and steps, then calibrate DP-SGD's noise to ``epsilon``.

    Raises PrivacyError when no noise level reaches ``epsilon`` for this many steps.
    """
    n = dataset.n_rows
    sample_rate = batch_size / n
    if not 0 < sample_rate <= 1:
        raise ConfigError(f"batch_size must be between 1 and the number of rows ({n}), got {batch_size}.")
    pre = plan_preprocessing(
        dataset,
        target_epsilon=epsilon,
        delta=delta,
        share=preprocessing_share,
        public_bounds=public_bounds,
        categories=categories,
    )
    per_epoch = steps_per_epoch(sample_rate)
    steps = per_epoch * int(epochs)
    try:
        sigma = calibrate_dpsgd(
            target_epsilon=epsilon, delta=delta, sample_rate=sample_rate, steps=steps, prior=pre.mechanisms()
        )
    except CalibrationError:
        raise PrivacyError(
            f"No noise level keeps {steps} DP-SGD steps within epsilon={epsilon:g}; "
            "train fewer epochs, use a smaller batch, or raise epsilon."
        ) from None
    return TrainingPlan(
        target_epsilon=float(epsilon),
        delta=float(delta),
        n_rows=n,
        batch_size=int(batch_size),
        epochs=int(epochs),
        sample_rate=float(sample_rate),
        steps_per_epoch=per_epoch,
        steps=steps,
        noise_multiplier=float(sigma),
        max_grad_norm=float(max_grad_norm),
        preprocessing=pre,
    )

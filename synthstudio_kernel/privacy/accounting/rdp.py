"""RDP accountant for a whole DP pipeline: Gaussian releases, subsampled-Gaussian DP-SGD
and thresholded partition selection, composed and converted to one (ε, δ).

The Rényi-DP curves come from Opacus' analysis functions
(``opacus.accountants.analysis.rdp``); this module composes them and adds what
Opacus' own accountant does not cover:

- plain Gaussian mechanisms (noisy histograms and counts in preprocessing): the sampled
  Gaussian mechanism with sampling rate 1, whose RDP is ``α / (2 z²)``;
- thresholded releases over an unknown domain (categories found in the data): with
  noise ``N(0, σ²)`` and threshold ``τ`` a key absent from the neighbouring dataset is
  released with probability at most ``δ_sel = P[N(0, σ²) ≥ τ]``. The pipeline is then
  ``δ_sel``-close in total variation to a pure Gaussian pipeline, which gives
  ``(ε, δ_rdp + e^ε · δ_sel)``-DP (hybrid argument; the ``e^ε`` covers the direction
  where the extra key is on the far side).

The row count is treated as public, as in Opacus (sample rate = batch size / rows).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

#: Rényi orders searched for the best conversion (Opacus' defaults plus a few large ones).
DEFAULT_ORDERS: tuple[float, ...] = (
    *(1 + x / 10.0 for x in range(1, 100)),
    *(float(a) for a in range(12, 64)),
    80.0,
    128.0,
)
#: Integer orders only: the fast (vectorised) curve used while searching noise levels.
INTEGER_ORDERS: tuple[float, ...] = tuple(o for o in DEFAULT_ORDERS if o == int(o) and o >= 2)
ACCOUNTANT_NAME = "rdp"
#: Fractions of the remaining δ tried for the RDP conversion when selection δ is present.
_DELTA_SPLITS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)


@dataclass(frozen=True)
class Mechanism:
    """One entry of the composition: ``steps`` runs of a (subsampled) Gaussian mechanism.

    ``noise_multiplier`` is the noise standard deviation divided by the L2 sensitivity;
    ``sample_rate`` is 1.0 for a mechanism that sees every row (no subsampling).
    ``selection_delta`` is the total-variation slack of a thresholded release (0 if none).
    """

    label: str
    noise_multiplier: float
    sample_rate: float = 1.0
    steps: int = 1
    selection_delta: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "noise_multiplier": float(self.noise_multiplier),
            "sample_rate": float(self.sample_rate),
            "steps": int(self.steps),
            "selection_delta": float(self.selection_delta),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Mechanism:
        return cls(
            label=str(data["label"]),
            noise_multiplier=float(data["noise_multiplier"]),
            sample_rate=float(data.get("sample_rate", 1.0)),
            steps=int(data.get("steps", 1)),
            selection_delta=float(data.get("selection_delta", 0.0)),
        )


def check_mechanism(*, noise_multiplier: float, sample_rate: float, steps: int) -> None:
    """Raise ValueError for parameters the RDP analysis cannot handle."""
    if not math.isfinite(noise_multiplier) or noise_multiplier <= 0:
        raise ValueError("noise_multiplier must be a positive finite number")
    if not math.isfinite(sample_rate) or not 0 < sample_rate <= 1:
        raise ValueError("sample_rate must be in (0, 1]")
    if isinstance(steps, bool) or int(steps) != steps or steps < 0:
        raise ValueError("steps must be a non-negative integer")


def mechanism_rdp(
    *, noise_multiplier: float, sample_rate: float, steps: int, orders: Sequence[float] = DEFAULT_ORDERS
) -> np.ndarray:
    """RDP curve (one value per order) of ``steps`` runs of the sampled Gaussian mechanism.

    RDP composes additively, so the one-step curve is computed once and scaled.
    """
    check_mechanism(noise_multiplier=noise_multiplier, sample_rate=sample_rate, steps=steps)
    if steps == 0:
        return np.zeros(len(orders))
    key = tuple(float(o) for o in orders)
    if sample_rate == 1.0:  # the plain Gaussian mechanism: α / (2σ²) at every order (as Opacus computes it)
        return np.asarray(key, dtype=float) / (2 * float(noise_multiplier) ** 2) * int(steps)
    if all(o >= 2 and o == int(o) for o in key):
        unit = integer_order_rdp(noise_multiplier=noise_multiplier, sample_rate=sample_rate, orders=key)
        return unit * int(steps)
    return np.asarray(_unit_rdp(float(noise_multiplier), float(sample_rate), key), dtype=float) * int(steps)


def integer_order_rdp(*, noise_multiplier: float, sample_rate: float, orders: Sequence[float]) -> np.ndarray:
    """One-step RDP of the sampled Gaussian mechanism at integer orders, vectorised.

    Same formula as Opacus' ``_compute_log_a_for_int_alpha`` (Mironov et al. 2019, §3.3):
    ``log A_α = logsumexp_i [log C(α, i) + i log q + (α−i) log(1−q) + (i²−i)/(2σ²)]``.
    Used to search noise levels quickly; reported values use Opacus' own functions.
    """
    from scipy.special import gammaln, logsumexp

    alphas = np.asarray(orders, dtype=float)
    if not np.all(alphas == np.round(alphas)) or np.any(alphas < 2):
        raise ValueError("integer_order_rdp needs integer orders >= 2")
    q, sigma = float(sample_rate), float(noise_multiplier)
    if q == 1.0:
        return alphas / (2 * sigma**2)
    i = np.arange(int(alphas.max()) + 1, dtype=float)[None, :]
    a = alphas[:, None]
    with np.errstate(invalid="ignore"):
        terms = (
            gammaln(a + 1)
            - gammaln(i + 1)
            - gammaln(np.maximum(a - i, 0) + 1)
            + i * np.log(q)
            + (a - i) * np.log1p(-q)
            + (i * i - i) / (2 * sigma**2)
        )
    terms = np.where(i <= a, terms, -np.inf)
    return np.asarray(logsumexp(terms, axis=1) / (alphas - 1), dtype=float)


@lru_cache(maxsize=4096)
def _unit_rdp(noise_multiplier: float, sample_rate: float, orders: tuple[float, ...]) -> tuple[float, ...]:
    from opacus.accountants.analysis import rdp as opacus_rdp

    values = opacus_rdp.compute_rdp(q=sample_rate, noise_multiplier=noise_multiplier, steps=1, orders=list(orders))
    return tuple(float(v) for v in values)


def rdp_to_dp(*, rdp: np.ndarray, delta: float, orders: Sequence[float] = DEFAULT_ORDERS) -> tuple[float, float]:
    """Convert an RDP curve to (ε, best order) at ``delta`` (Balle et al. 2020, via Opacus)."""
    from opacus.accountants.analysis import rdp as opacus_rdp

    if not 0 < delta < 1:
        raise ValueError("delta must be in (0, 1)")
    if not np.any(rdp):
        return 0.0, float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "optimal order is the largest alpha": the bound stays valid
        eps, order = opacus_rdp.get_privacy_spent(orders=list(orders), rdp=rdp, delta=delta)
    return float(max(eps, 0.0)), float(order)


class RDPAccountant:
    """Composition of every mechanism that touched the private data.

    >>> acc = RDPAccountant()
    >>> acc.add_gaussian(noise_multiplier=50.0, label="histograms")
    >>> acc.add_dpsgd(noise_multiplier=1.1, sample_rate=0.01, steps=1000)
    >>> round(acc.epsilon(delta=1e-5), 2) > 0
    True
    """

    name = ACCOUNTANT_NAME

    def __init__(self, *, orders: Sequence[float] = DEFAULT_ORDERS) -> None:
        self.orders = tuple(float(o) for o in orders)
        self.mechanisms: list[Mechanism] = []

    # --- adding mechanisms ----------------------------------------------------
    def add(self, mechanism: Mechanism) -> None:
        """Append one mechanism, merging it with the previous one when identical."""
        check_mechanism(
            noise_multiplier=mechanism.noise_multiplier, sample_rate=mechanism.sample_rate, steps=mechanism.steps
        )
        if not 0 <= mechanism.selection_delta < 1:
            raise ValueError("selection_delta must be in [0, 1)")
        last = self.mechanisms[-1] if self.mechanisms else None
        if (
            last is not None
            and last.label == mechanism.label
            and last.noise_multiplier == mechanism.noise_multiplier
            and last.sample_rate == mechanism.sample_rate
            and last.selection_delta == 0
            and mechanism.selection_delta == 0
        ):
            self.mechanisms[-1] = Mechanism(
                last.label, last.noise_multiplier, last.sample_rate, last.steps + mechanism.steps
            )
            return
        self.mechanisms.append(mechanism)

    def add_gaussian(
        self, *, noise_multiplier: float, count: int = 1, label: str = "gaussian", selection_delta: float = 0.0
    ) -> None:
        """``count`` Gaussian releases with noise ``noise_multiplier`` × L2 sensitivity."""
        self.add(Mechanism(label, noise_multiplier, 1.0, count, selection_delta))

    def add_dpsgd(self, *, noise_multiplier: float, sample_rate: float, steps: int = 1) -> None:
        """``steps`` DP-SGD steps with Poisson sampling at ``sample_rate``."""
        self.add(Mechanism("dp-sgd", noise_multiplier, sample_rate, steps))

    def copy(self) -> RDPAccountant:
        other = RDPAccountant(orders=self.orders)
        other.mechanisms = list(self.mechanisms)
        return other

    # --- queries ----------------------------------------------------------------
    @property
    def selection_delta(self) -> float:
        return float(sum(m.selection_delta for m in self.mechanisms))

    def rdp(self) -> np.ndarray:
        """The composed RDP curve over ``self.orders``."""
        total = np.zeros(len(self.orders))
        for m in self.mechanisms:
            total = total + mechanism_rdp(
                noise_multiplier=m.noise_multiplier, sample_rate=m.sample_rate, steps=m.steps, orders=self.orders
            )
        return total

    def get_privacy_spent(self, *, delta: float) -> tuple[float, float]:
        """(ε, best Rényi order) of everything composed so far at total ``delta``."""
        if not math.isfinite(delta) or not 0 < delta < 1:
            raise ValueError("delta must be in (0, 1)")
        curve = self.rdp()
        slack = self.selection_delta
        if slack == 0:
            return rdp_to_dp(rdp=curve, delta=delta, orders=self.orders)
        best = (math.inf, float("nan"))
        for split in _DELTA_SPLITS:
            delta_rdp = (delta - slack) * split if delta > slack else 0.0
            if delta_rdp <= 0:
                break
            eps, order = rdp_to_dp(rdp=curve, delta=delta_rdp, orders=self.orders)
            # Total δ is δ_rdp + e^ε δ_sel; accept the split only when it fits.
            if delta_rdp + math.exp(min(eps, 700.0)) * slack <= delta and eps < best[0]:
                best = (eps, order)
        return best

    def epsilon(self, *, delta: float) -> float:
        """ε spent so far at total ``delta`` (``inf`` when ``delta`` cannot cover the selection slack)."""
        return self.get_privacy_spent(delta=delta)[0]

    # --- state --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"accountant": self.name, "mechanisms": [m.to_dict() for m in self.mechanisms]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RDPAccountant:
        """Rebuild an accountant from :meth:`to_dict` output, validating every entry."""
        if data.get("accountant", ACCOUNTANT_NAME) != ACCOUNTANT_NAME:
            raise ValueError(f"not an RDP accountant state: {data.get('accountant')!r}")
        acc = cls()
        for entry in data.get("mechanisms", []):
            acc.add(Mechanism.from_dict(entry))
        return acc

    @classmethod
    def of(cls, mechanisms: Iterable[Mechanism]) -> RDPAccountant:
        acc = cls()
        for m in mechanisms:
            acc.add(m)
        return acc


def gaussian_epsilon(*, noise_multiplier: float, count: int, delta: float) -> float:
    """ε of ``count`` Gaussian releases with the given noise multiplier at ``delta``."""
    acc = RDPAccountant()
    acc.add_gaussian(noise_multiplier=noise_multiplier, count=count)
    return acc.epsilon(delta=delta)


def dpsgd_epsilon(*, noise_multiplier: float, sample_rate: float, steps: int, delta: float) -> float:
    """ε of DP-SGD alone (what Opacus' RDPAccountant reports for the same history)."""
    acc = RDPAccountant()
    acc.add_dpsgd(noise_multiplier=noise_multiplier, sample_rate=sample_rate, steps=steps)
    return acc.epsilon(delta=delta)

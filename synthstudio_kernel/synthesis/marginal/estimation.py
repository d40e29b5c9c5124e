"""Private-PGM estimation: the graphical model whose marginals best fit noisy measurements.

Minimises ``Σ_m ½ Σ_cells ((μ_C − y_m) / σ_m)²`` over the marginals ``μ`` of an
exponential-family model on the junction tree of the measured cliques, by entropic mirror
descent (McKenna et al. 2019): the log-potential of each measured clique moves against the
gradient with respect to its marginal, with an Armijo line search. Everything here is
post-processing of DP measurements.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .factor import Domain, Factor
from .graphical import IMPOSSIBLE, GraphicalModel, JunctionTree

#: Relative loss improvement under which an iteration counts as flat (three in a row stop).
TOLERANCE = 1e-7


@dataclass
class Measurement:
    """Noisy counts ``y`` over the cells of ``attrs``, with noise ``sigma`` (scalar or per cell;
    ``inf`` marks an unmeasured cell)."""

    attrs: tuple[str, ...]
    y: np.ndarray
    sigma: np.ndarray | float
    label: str = "measure"

    def weights(self) -> np.ndarray:
        sigma = np.broadcast_to(np.asarray(self.sigma, dtype=float), self.y.shape)
        return np.where(np.isfinite(sigma), 1.0 / np.square(sigma), 0.0)


class Estimator:
    """Fits (and re-fits, warm-started) a graphical model to a growing list of measurements."""

    def __init__(self, domain: Domain, total: float, zeros: Mapping[str, Sequence[int]] | None = None) -> None:
        self.domain = domain
        self.total = float(total)
        self.zeros = {a: tuple(int(i) for i in cells) for a, cells in (zeros or {}).items() if len(cells)}
        self.theta: dict[tuple[str, ...], Factor] = {}
        self.step: float | None = None
        self.model: GraphicalModel | None = None

    def fit(self, measurements: Sequence[Measurement], *, iters: int) -> GraphicalModel:
        """Run ``iters`` mirror-descent steps from the current potentials; return the model."""
        grouped = _group(self.domain, measurements)
        for clique, (_y, w) in grouped.items():  # structural zeros are known: no loss there
            for axis, attr in enumerate(clique):
                cells = self.zeros.get(attr)
                if cells:
                    index: list[Any] = [slice(None)] * len(clique)
                    index[axis] = list(cells)
                    w[tuple(index)] = 0.0
        cliques = list(grouped)
        tree = JunctionTree.build(self.domain, cliques)
        base = [np.zeros(self.domain.shape(c)) for c in tree.cliques]
        for attr, cells in self.zeros.items():  # structural zeros: cells the model never produces
            home = tree.home([attr])
            assert home is not None
            mask = np.zeros(self.domain.sizes[self.domain.index(attr)])
            mask[list(cells)] = IMPOSSIBLE
            base[home] = base[home] + Factor(self.domain, (attr,), mask).expand(tree.cliques[home])
        for clique in cliques:
            if clique not in self.theta:
                self.theta[clique] = self._initial(clique, grouped[clique])
        homes = {c: tree.home(c) for c in self.theta}
        into = {c: Factor.zeros(self.domain, c).expand(tree.cliques[homes[c]]).shape for c in self.theta}  # type: ignore[index]
        out_axes = {
            c: tuple(k for k, a in enumerate(tree.cliques[homes[c]]) if a not in set(c))  # type: ignore[index]
            for c in cliques
        }

        def oracle(theta: Mapping[tuple[str, ...], Factor]) -> tuple[GraphicalModel, dict[tuple[str, ...], np.ndarray]]:
            pots = list(base)
            for clique, factor in theta.items():
                home = homes[clique]
                assert home is not None
                pots[home] = pots[home] + factor.values.reshape(into[clique])
            model = GraphicalModel(tree, pots, self.total)
            beliefs = model.calibrate()
            mu = {c: beliefs[homes[c]].sum(axis=out_axes[c]) * self.total for c in cliques}  # type: ignore[index]
            return model, mu

        def loss(mu: Mapping[tuple[str, ...], np.ndarray]) -> tuple[float, dict[tuple[str, ...], np.ndarray]]:
            value, grads = 0.0, {}
            for clique, (y, w) in grouped.items():
                diff = mu[clique] - y
                value += 0.5 * float(np.sum(w * diff * diff))
                grads[clique] = w * diff
            return value, grads

        theta = dict(self.theta)
        model, mu = oracle(theta)
        current, grad = loss(mu)
        w_ref = max(float(w.max()) for _, w in grouped.values())
        step = 1.0

        def direction(mu: Mapping[tuple[str, ...], np.ndarray], grad: Mapping[tuple[str, ...], np.ndarray]) -> dict:
            # Diagonal Newton scaling: a cell's log-potential moves by its relative error
            # (IPF-like, fast for small cells), damped for less trusted measurements.
            return {c: -grad[c] / (w_ref * np.maximum(mu[c], 1.0)) for c in cliques}

        d = direction(mu, grad)
        flat = 0
        for _ in range(int(iters)):
            step = min(step * 2.0, 1.0)
            slope = sum(float(np.sum(grad[c] * d[c])) for c in cliques)
            for _ in range(30):
                trial = {c: _shift(f, d.get(c), step) for c, f in theta.items()}
                model_t, mu_t = oracle(trial)
                value, grad_t = loss(mu_t)
                if value <= current + 1e-4 * step * slope + 1e-12 * abs(current):
                    break
                step *= 0.5
            else:
                break  # no step improves: converged to numerical precision
            improvement = current - value
            theta, model, mu, current, grad = trial, model_t, mu_t, value, grad_t
            d = direction(mu, grad)
            flat = flat + 1 if improvement <= TOLERANCE * max(current, 1.0) else 0
            if flat >= 3:
                break  # converged
        self.theta, self.step, self.model = theta, step, model
        return model

    def _initial(self, clique: tuple[str, ...], measured: tuple[np.ndarray, np.ndarray]) -> Factor:
        """Start a one-way clique at its noisy marginal (an independent model); others at zero."""
        y, w = measured
        if len(clique) != 1:
            return Factor.zeros(self.domain, clique)
        counts = np.where(w > 0, np.clip(y, 0.0, None), np.nan)
        fill = np.nanmean(counts) if np.any(np.isfinite(counts)) else 1.0
        counts = np.where(np.isnan(counts), fill, counts)
        floor = max(1e-3, 0.5 * float(np.nanmin(np.where(counts > 0, counts, np.nan)))) if np.any(counts > 0) else 1.0
        return Factor(self.domain, clique, np.log(np.maximum(counts, floor)))


def _shift(factor: Factor, direction: np.ndarray | None, scale: float) -> Factor:
    if direction is None:
        return factor
    return Factor(factor.domain, factor.attrs, factor.values + scale * direction)


def _group(domain: Domain, measurements: Sequence[Measurement]) -> dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]]:
    """Measurements of the same clique combined into one weighted measurement."""
    sums: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
    for m in measurements:
        attrs = domain.canonical(m.attrs)
        if attrs != tuple(m.attrs):
            raise ValueError("measurement attributes must be in domain order")
        w = m.weights()
        wy = np.where(w > 0, w * m.y, 0.0)
        if attrs in sums:
            a, b = sums[attrs]
            sums[attrs] = (a + wy, b + w)
        else:
            sums[attrs] = (wy, w)
    return {c: (np.divide(wy, w, out=np.zeros_like(w), where=w > 0), w) for c, (wy, w) in sums.items()}

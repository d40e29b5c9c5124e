"""Factors: arrays over a few attributes, one axis per attribute, axes in domain order.

Because every factor keeps its attributes in the domain's order, two factors broadcast
against each other after a reshape (no transposes), which keeps belief propagation and
marginal queries short and fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


def logsumexp(values: np.ndarray, axis: tuple[int, ...] | None = None) -> np.ndarray:
    """log(sum(exp(values))) over ``axis``, stable (a lean version of scipy's)."""
    top = np.max(values, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    out = np.log(np.sum(np.exp(values - top), axis=axis, keepdims=True)) + top
    return np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


@dataclass(frozen=True)
class Domain:
    """Attribute names and their numbers of cells (the order is the canonical axis order)."""

    attrs: tuple[str, ...]
    sizes: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.attrs) != len(self.sizes) or len(set(self.attrs)) != len(self.attrs):
            raise ValueError("a domain needs distinct attributes, one size each")
        object.__setattr__(self, "_position", {a: i for i, a in enumerate(self.attrs)})

    def index(self, attr: str) -> int:
        return self._position[attr]  # type: ignore[attr-defined, no-any-return]

    def canonical(self, attrs: Iterable[str]) -> tuple[str, ...]:
        """``attrs`` (deduplicated) in domain order."""
        position = self._position  # type: ignore[attr-defined]
        wanted = set(attrs)
        unknown = [a for a in wanted if a not in position]
        if unknown:
            raise KeyError(f"unknown attribute(s): {sorted(unknown)}")
        return tuple(sorted(wanted, key=position.__getitem__))

    def shape(self, attrs: Sequence[str]) -> tuple[int, ...]:
        position = self._position  # type: ignore[attr-defined]
        return tuple(self.sizes[position[a]] for a in attrs)

    def size(self, attrs: Sequence[str]) -> int:
        return int(np.prod(self.shape(attrs), dtype=np.int64))


class Factor:
    """Values over ``attrs`` (in domain order); log or linear space is up to the caller."""

    __slots__ = ("attrs", "domain", "values")

    def __init__(self, domain: Domain, attrs: Sequence[str], values: np.ndarray) -> None:
        self.domain = domain
        self.attrs = tuple(attrs)
        if self.attrs != domain.canonical(self.attrs):
            raise ValueError("factor attributes must be in domain order")
        self.values = np.asarray(values, dtype=float).reshape(domain.shape(self.attrs))

    @classmethod
    def zeros(cls, domain: Domain, attrs: Sequence[str]) -> Factor:
        attrs = domain.canonical(attrs)
        return cls(domain, attrs, np.zeros(domain.shape(attrs)))

    def expand(self, attrs: Sequence[str]) -> np.ndarray:
        """The values broadcastable over ``attrs`` (a superset in domain order)."""
        mine = set(self.attrs)
        return self.values.reshape([self.domain.sizes[self.domain.index(a)] if a in mine else 1 for a in attrs])

    def _union(self, other: Factor) -> tuple[str, ...]:
        return self.domain.canonical((*self.attrs, *other.attrs))

    def __add__(self, other: Factor) -> Factor:
        attrs = self._union(other)
        return Factor(
            self.domain, attrs, np.broadcast_to(self.expand(attrs) + other.expand(attrs), self.domain.shape(attrs))
        )

    def __sub__(self, other: Factor) -> Factor:
        attrs = self._union(other)
        return Factor(
            self.domain, attrs, np.broadcast_to(self.expand(attrs) - other.expand(attrs), self.domain.shape(attrs))
        )

    def __mul__(self, other: Factor) -> Factor:
        attrs = self._union(other)
        return Factor(
            self.domain, attrs, np.broadcast_to(self.expand(attrs) * other.expand(attrs), self.domain.shape(attrs))
        )

    def divide(self, other: Factor) -> Factor:
        """Elementwise ratio, 0 where the divisor is 0 (conditional tables)."""
        attrs = self._union(other)
        num = np.broadcast_to(self.expand(attrs), self.domain.shape(attrs))
        den = np.broadcast_to(other.expand(attrs), self.domain.shape(attrs))
        out = np.divide(num, den, out=np.zeros(num.shape), where=den > 0)
        return Factor(self.domain, attrs, out)

    def _axes_out(self, keep: Iterable[str]) -> tuple[int, ...]:
        kept = set(keep)
        return tuple(i for i, a in enumerate(self.attrs) if a not in kept)

    def sum(self, keep: Iterable[str]) -> Factor:
        """Sum out every attribute not in ``keep``."""
        keep = tuple(keep)
        attrs = tuple(a for a in self.attrs if a in set(keep))
        return Factor(self.domain, attrs, self.values.sum(axis=self._axes_out(keep)))

    def logsumexp(self, keep: Iterable[str]) -> Factor:
        """Log-sum-exp out every attribute not in ``keep`` (log space)."""
        keep = tuple(keep)
        attrs = tuple(a for a in self.attrs if a in set(keep))
        axes = self._axes_out(keep)
        values = logsumexp(self.values, axis=axes) if axes else self.values
        return Factor(self.domain, attrs, np.asarray(values))

    def copy(self) -> Factor:
        return Factor(self.domain, self.attrs, self.values.copy())

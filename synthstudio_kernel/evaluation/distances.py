"""Mixed-type (Gower-like) distance between rows, and nearest-record search.

The distance between two rows is the mean over columns of a per-column distance in
[0, 1]: for numeric columns ``|a - b| / range`` (range taken from the real table,
capped at 1 for values outside it; 0 when both are missing, 1 when only one is); for
categorical columns 0 when equal and 1 otherwise (missing is a category).

>>> import pandas as pd
>>> enc = MixedEncoder(["x"], ["c"]).fit(pd.DataFrame({"x": [0.0, 10.0], "c": ["a", "b"]}))
>>> q = enc.transform(pd.DataFrame({"x": [5.0], "c": ["a"]}))
>>> r = enc.transform(pd.DataFrame({"x": [0.0, 10.0], "c": ["a", "a"]}))
>>> nearest(q, r, k=2)[0].round(3).tolist()
[[0.25, 0.25]]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Cells (query rows x reference rows) computed at once; bounds memory to ~64 MB of float32.
CHUNK_CELLS = 16_000_000


@dataclass
class Encoded:
    """Rows ready for distance computations: scaled numbers and integer category codes."""

    numeric: np.ndarray  # float32 (n, p): value / range, NaN for missing
    categorical: np.ndarray  # int32 (n, q)

    def __len__(self) -> int:
        return int(self.numeric.shape[0])

    @property
    def n_columns(self) -> int:
        return int(self.numeric.shape[1] + self.categorical.shape[1])

    def take(self, index: np.ndarray) -> Encoded:
        return Encoded(self.numeric[index], self.categorical[index])


class MixedEncoder:
    """Encodes frames for :func:`nearest`; ranges come from the frame given to :meth:`fit`."""

    def __init__(self, numeric: Sequence[str], categorical: Sequence[str]) -> None:
        self.numeric = list(numeric)
        self.categorical = list(categorical)
        self._offsets: np.ndarray | None = None
        self._ranges: np.ndarray | None = None
        self._codes: dict[str, dict[object, int]] = {}

    def fit(self, reference: pd.DataFrame) -> MixedEncoder:
        values = reference[self.numeric].to_numpy(dtype="float64") if self.numeric else np.empty((len(reference), 0))
        with warnings.catch_warnings():  # an all-missing column has no range: it gets range 1 below
            warnings.simplefilter("ignore", RuntimeWarning)
            low = np.nanmin(values, axis=0) if values.size else np.zeros(0)
            high = np.nanmax(values, axis=0) if values.size else np.zeros(0)
        low = np.where(np.isfinite(low), low, 0.0)
        span = np.where(np.isfinite(high - low) & (high - low > 0), high - low, 1.0)
        self._offsets, self._ranges = low, span
        self._codes = {c: {} for c in self.categorical}
        return self

    def transform(self, frame: pd.DataFrame) -> Encoded:
        if self._offsets is None or self._ranges is None:
            raise RuntimeError("MixedEncoder.fit must be called before transform")
        if self.numeric:
            raw = frame[self.numeric].to_numpy(dtype="float64")
            numeric = ((raw - self._offsets) / self._ranges).astype("float32")
        else:
            numeric = np.empty((len(frame), 0), dtype="float32")
        codes = np.empty((len(frame), len(self.categorical)), dtype="int32")
        for j, col in enumerate(self.categorical):
            vocab = self._codes[col]
            codes[:, j] = [vocab.setdefault(v, len(vocab)) for v in frame[col].to_numpy(dtype=object)]
        return Encoded(numeric, codes)


def nearest(
    query: Encoded, reference: Encoded, *, k: int = 1, exclude: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Distances (n, k) to the ``k`` closest reference rows and their positions (n, k), ascending.

    ``exclude[i]`` (optional) is a reference position that query row ``i`` must skip (itself,
    for leave-one-out distances), or -1.
    """
    n, m = len(query), len(reference)
    if m < k:
        raise ValueError(f"need at least {k} reference rows, got {m}")
    dist = np.empty((n, k), dtype="float64")
    where = np.empty((n, k), dtype="int64")
    step = max(1, CHUNK_CELLS // max(m, 1))
    for start in range(0, n, step):
        stop = min(n, start + step)
        block = distance_matrix(query.take(np.arange(start, stop)), reference)
        if exclude is not None:
            rows = np.arange(stop - start)
            skip = exclude[start:stop]
            has = skip >= 0
            block[rows[has], skip[has]] = np.inf
        if k == 1:
            best = block.argmin(axis=1)
            dist[start:stop, 0] = block[np.arange(stop - start), best]
            where[start:stop, 0] = best
            continue
        part = np.argpartition(block, k - 1, axis=1)[:, :k] if k < m else np.tile(np.arange(m), (stop - start, 1))
        part_d = np.take_along_axis(block, part, axis=1)
        order = np.argsort(part_d, axis=1, kind="stable")
        dist[start:stop] = np.take_along_axis(part_d, order, axis=1)
        where[start:stop] = np.take_along_axis(part, order, axis=1)
    return dist, where


def distance_matrix(query: Encoded, reference: Encoded) -> np.ndarray:
    """Full (n, m) matrix of mixed-type distances (float32)."""
    total = np.zeros((len(query), len(reference)), dtype="float32")
    buffer = np.empty_like(total)
    for j in range(query.numeric.shape[1]):
        q = query.numeric[:, j][:, None]
        r = reference.numeric[:, j][None, :]
        np.subtract(q, r, out=buffer)
        np.abs(buffer, out=buffer)
        if not (_within_unit(q) and _within_unit(r)):  # values outside the real range: cap at 1
            np.minimum(buffer, 1.0, out=buffer)
        q_nan, r_nan = np.isnan(q), np.isnan(r)
        if q_nan.any() or r_nan.any():
            buffer[np.broadcast_to(q_nan, buffer.shape) ^ np.broadcast_to(r_nan, buffer.shape)] = 1.0
            buffer[np.broadcast_to(q_nan, buffer.shape) & np.broadcast_to(r_nan, buffer.shape)] = 0.0
        total += buffer
    small, large = _split_by_cardinality(query, reference)
    if small:
        # Matching categories counted with one matrix product over one-hot codes.
        q_hot = _one_hot(query.categorical, reference.categorical, small)
        r_hot = _one_hot(reference.categorical, query.categorical, small)
        total += len(small)
        total -= q_hot @ r_hot.T
    for j in large:
        total += query.categorical[:, j][:, None] != reference.categorical[:, j][None, :]
    total /= max(query.n_columns, 1)
    return total


def _within_unit(values: np.ndarray) -> bool:
    """All non-missing values lie in [0, 1] (so no difference can exceed 1)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanmin(values, initial=np.inf), np.nanmax(values, initial=-np.inf)
    return bool(low >= 0.0 and high <= 1.0) or not np.isfinite(low)


#: Categorical columns with at most this many codes are compared through one-hot products.
ONE_HOT_MAX_CODES = 256


def _split_by_cardinality(query: Encoded, reference: Encoded) -> tuple[list[int], list[int]]:
    small: list[int] = []
    large: list[int] = []
    for j in range(query.categorical.shape[1]):
        top = max(int(query.categorical[:, j].max(initial=0)), int(reference.categorical[:, j].max(initial=0)))
        (small if top < ONE_HOT_MAX_CODES else large).append(j)
    return small, large


def _one_hot(codes: np.ndarray, other: np.ndarray, columns: list[int]) -> np.ndarray:
    widths = [max(int(codes[:, j].max(initial=0)), int(other[:, j].max(initial=0))) + 1 for j in columns]
    out = np.zeros((codes.shape[0], sum(widths)), dtype="float32")
    offset = 0
    rows = np.arange(codes.shape[0])
    for j, width in zip(columns, widths, strict=True):
        out[rows, offset + codes[:, j]] = 1.0
        offset += width
    return out

"""DP-safe data transformer: encodes rows for the networks using only DP-released metadata.

Fitting is pure post-processing of :class:`~synthstudio_kernel.privacy.preprocessing.DPMetadata`
(no data value is read), so it costs no privacy. Encoding per column:

- categorical: one-hot over the released categories (plus ``"other"`` for the ones that
  were folded away);
- numeric / datetime: a one-hot "mode" over the released point masses (exact values such
  as 0 or missing) plus one continuous mode, and a scalar in [-1, 1]: the value's position
  in the DP histogram CDF of the continuous part (a quantile transform from DP quantiles,
  instead of CTGAN's Gaussian mixtures fitted on raw data).

Decoding samples each softmax span and maps the scalar back through the DP inverse CDF.
With ``calibrate=True`` (the default for unconditional sampling) the softmax spans are
shifted so that the batch matches the released noisy frequencies and the continuous values
are rank-mapped onto the DP quantiles: the model keeps the dependence between columns while
the marginals come from what preprocessing already released (post-processing, no extra cost).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...data import ColumnKind
from ...errors import ConfigError
from ...privacy.preprocessing import (
    MISSING,
    OTHER,
    CategoricalStats,
    DPMetadata,
    NumericStats,
    _key,
    cdf,
    inverse_cdf,
    normalise,
    numeric_values,
)
from ..surrogates import surrogate_column

#: Rounds of logit shifting used to match the released frequencies.
_CALIBRATION_ROUNDS = 30


@dataclass(frozen=True)
class Span:
    """A slice of the encoded row: ``softmax`` (one-hot) or ``tanh`` (a scalar in [-1, 1])."""

    column: str
    kind: str  # "softmax" | "tanh"
    start: int
    end: int
    categorical: bool = False  # a categorical column's one-hot (conditional vectors use these)

    @property
    def dim(self) -> int:
        return self.end - self.start


class _Categorical:
    def __init__(self, stats: CategoricalStats) -> None:
        self.stats = stats
        self.values: list[Any] = [*stats.categories, *([OTHER] if stats.has_other else [])]
        self.index = {v: i for i, v in enumerate(stats.categories)}
        self.target = normalise(np.asarray(stats.counts, dtype=float))
        self.fallback = int(len(self.values) - 1 if stats.has_other else int(np.argmax(self.target)))

    @property
    def dim(self) -> int:
        return len(self.values)

    def encode(self, series: pd.Series) -> np.ndarray:
        lookup = {k: i for k, i in self.index.items() if k is not MISSING}
        found = series.map(lookup).to_numpy(dtype=float)  # NaN: missing or not a kept category
        missing_code = self.index.get(MISSING, self.fallback)
        codes = np.where(series.isna().to_numpy(), missing_code, np.where(np.isnan(found), self.fallback, found))
        codes = codes.astype(np.int64)
        out = np.zeros((len(series), self.dim), dtype=np.float32)
        out[np.arange(len(series)), codes] = 1.0
        return out

    def decode(self, codes: np.ndarray) -> pd.Series:
        values = [None if v is MISSING else v for v in self.values]
        dtype = self.stats.dtype
        series = pd.Series(np.array(values, dtype=object)[codes], dtype=object)
        if dtype == "bool" and not series.isna().any() and OTHER not in set(series):
            return series.astype(bool)
        return series


class _Numeric:
    def __init__(self, stats: NumericStats) -> None:
        self.stats = stats
        self.spikes = list(stats.spikes)
        finite_spikes = [s for s in self.spikes if s is not MISSING]
        self.has_continuous = stats.continuous_count > 0 or not finite_spikes
        self.n_modes = len(self.spikes) + int(self.has_continuous)
        self.edges = np.asarray(stats.edges, dtype=float)
        counts = np.asarray(stats.counts, dtype=float)
        if counts.sum() <= 0:  # nothing released outside the spikes: spread evenly
            counts = np.ones_like(counts)
        self.counts = counts
        mode_counts = [*stats.spike_counts, *([stats.continuous_count] if self.has_continuous else [])]
        self.target = normalise(np.asarray(mode_counts, dtype=float))
        self.median = float(inverse_cdf(self.edges, self.counts, np.array([0.5]))[0])
        self.spike_index = {float(s): i for i, s in enumerate(self.spikes) if s is not MISSING}
        self.missing_mode = next((i for i, s in enumerate(self.spikes) if s is MISSING), None)

    @property
    def mode_dim(self) -> int:
        return self.n_modes if self.n_modes > 1 else 0

    @property
    def scalar_dim(self) -> int:
        return 1 if self.has_continuous else 0

    @property
    def continuous_mode(self) -> int:
        return len(self.spikes)

    def encode(self, series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        low, high = self.stats.bounds
        raw = numeric_values(series, datetime=self.stats.datetime)
        missing = np.isnan(raw)
        values = np.clip(np.where(missing, self.median, raw), low, high)
        modes = np.full(len(values), self.continuous_mode, dtype=np.int64)
        if not self.has_continuous and self.spike_index:
            # No continuous part was released: every value goes to its nearest point mass.
            points = np.array(list(self.spike_index))
            nearest = np.abs(values[:, None] - points[None, :]).argmin(axis=1)
            modes = np.array(list(self.spike_index.values()), dtype=np.int64)[nearest]
        for value, index in self.spike_index.items():
            modes[(values == value) & ~missing] = index
        if self.missing_mode is not None:
            modes[missing] = self.missing_mode
        elif not self.has_continuous:
            modes[missing] = 0
        onehot = np.zeros((len(values), self.mode_dim), dtype=np.float32)
        if self.mode_dim:
            onehot[np.arange(len(values)), modes] = 1.0
        scalar = np.zeros((len(values), self.scalar_dim), dtype=np.float32)
        if self.scalar_dim:
            cont = modes == self.continuous_mode
            scalar[cont, 0] = 2.0 * cdf(self.edges, self.counts, values[cont]) - 1.0
        return onehot, scalar

    def decode(
        self, modes: np.ndarray, scalar: np.ndarray | None, *, calibrate: bool, rng: np.random.Generator
    ) -> pd.Series:
        out = np.full(len(modes), np.nan)
        for i, spike in enumerate(self.spikes):
            if spike is not MISSING:
                out[modes == i] = float(spike)
        if self.has_continuous and scalar is not None:
            cont = modes == self.continuous_mode
            u = (np.clip(scalar[cont], -1.0, 1.0) + 1.0) / 2.0
            if calibrate and cont.any():
                # Keep the model's order, take the values from the DP distribution: sorted
                # uniform draws handed out by rank.
                ranks = np.argsort(np.argsort(u, kind="stable"), kind="stable")
                u = np.sort(rng.random(len(u)))[ranks]
            out[cont] = inverse_cdf(self.edges, self.counts, u)
        return self._restore(out)

    def _restore(self, values: np.ndarray) -> pd.Series:
        stats = self.stats
        if stats.datetime:
            stamps = pd.to_datetime(np.where(np.isnan(values), np.nan, np.round(values * 1e9)), unit="ns")
            return pd.Series(stamps)
        if stats.integer:
            rounded = np.round(values)
            if np.isnan(rounded).any():
                return pd.Series(rounded).astype("Int64")
            # pandas' extension dtypes (nullable "Int64", "UInt8", ...) have no numpy dtype
            return pd.Series(rounded).astype(pd.api.types.pandas_dtype(stats.dtype))
        return pd.Series(values)


class DPTransformer:
    """Encodes a frame into a float matrix and decodes network outputs back to rows."""

    def __init__(self, meta: DPMetadata) -> None:
        self.meta = meta
        self.columns = list(meta.columns)
        self._categorical = {c: _Categorical(s) for c, s in meta.categorical.items()}
        self._numeric = {c: _Numeric(s) for c, s in meta.numeric.items()}
        self.spans: list[Span] = []
        self._layout: dict[str, tuple[Span | None, Span | None]] = {}
        start = 0
        for column in meta.columns:
            if column in self._categorical:
                dim = self._categorical[column].dim
                span = Span(column, "softmax", start, start + dim, categorical=True)
                self.spans.append(span)
                self._layout[column] = (span, None)
                start += dim
            elif column in self._numeric:
                enc = self._numeric[column]
                mode_span = scalar_span = None
                if enc.mode_dim:
                    mode_span = Span(column, "softmax", start, start + enc.mode_dim)
                    self.spans.append(mode_span)
                    start += enc.mode_dim
                if enc.scalar_dim:
                    scalar_span = Span(column, "tanh", start, start + 1)
                    self.spans.append(scalar_span)
                    start += 1
                self._layout[column] = (mode_span, scalar_span)
        self.output_dim = start

    # --- layout helpers used by the networks ----------------------------------------------
    @property
    def categorical_spans(self) -> list[Span]:
        return [s for s in self.spans if s.categorical]

    def scalar_masks(self) -> list[tuple[Span, Span | None, int]]:
        """For each scalar span: its column's mode span and the continuous mode's offset in it."""
        out = []
        for column, (mode_span, scalar_span) in self._layout.items():
            if scalar_span is not None:
                out.append((scalar_span, mode_span, self._numeric[column].continuous_mode))
        return out

    def category_code(self, column: str, value: Any) -> tuple[Span, int]:
        """The one-hot span and position of ``value`` in a categorical column (for conditions)."""
        if column not in self._categorical:
            raise ConfigError(f"Conditions need a categorical column the model knows; {column!r} is not one.")
        encoder = self._categorical[column]
        key = _key(value)
        if key in encoder.index:
            code = encoder.index[key]
        elif key == OTHER and encoder.stats.has_other:
            code = encoder.dim - 1
        else:
            raise ConfigError(
                f"The condition on {column!r} asks for a value the model does not know: categories "
                "below the DP threshold were folded into 'other'. Declare the column's categories as "
                "public metadata to keep every value."
            )
        span = self._layout[column][0]
        assert span is not None
        return span, code

    def known_categories(self, column: str) -> list[Any] | None:
        """Values decoding can write for a categorical column (None for other columns)."""
        if column not in self._categorical:
            return None
        return [None if v is MISSING else v for v in self._categorical[column].values]

    def category_value(self, column: str, code: int) -> Any:
        """The value that decoding writes for one-hot position ``code`` of a categorical column."""
        value = self._categorical[column].values[code]
        return None if value is MISSING else value

    def frequencies(self, column: str) -> np.ndarray:
        """Released (noisy) frequencies of a categorical column's one-hot values."""
        return self._categorical[column].target.copy()

    # --- encode / decode ------------------------------------------------------------------------
    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        """The rows as a float32 matrix laid out by ``spans``."""
        parts: list[np.ndarray] = []
        for column in self.meta.columns:
            if column in self._categorical:
                parts.append(self._categorical[column].encode(frame[column]))
            elif column in self._numeric:
                onehot, scalar = self._numeric[column].encode(frame[column])
                parts.extend([onehot, scalar])
        if not parts:
            return np.zeros((len(frame), 0), dtype=np.float32)
        return np.concatenate(parts, axis=1).astype(np.float32)

    def decode(
        self,
        raw: np.ndarray,
        *,
        rng: np.random.Generator,
        calibrate: bool = True,
        fixed: Mapping[str, int] | None = None,
    ) -> pd.DataFrame:
        """Rows from network outputs: logits for softmax spans, pre-tanh values for scalars.

        ``fixed`` maps categorical columns to a forced code (conditional sampling); their
        spans are not calibrated.
        """
        fixed = dict(fixed or {})
        n = raw.shape[0]
        data: dict[str, pd.Series] = {}
        for column in self.columns:
            if column in self._categorical:
                span = self._layout[column][0]
                assert span is not None
                enc = self._categorical[column]
                if column in fixed:
                    codes = np.full(n, fixed[column], dtype=np.int64)
                else:
                    codes = _sample_codes(raw[:, span.start : span.end], enc.target if calibrate else None, rng)
                data[column] = enc.decode(codes)
            elif column in self._numeric:
                enc_n = self._numeric[column]
                mode_span, scalar_span = self._layout[column]
                if mode_span is not None:
                    modes = _sample_codes(
                        raw[:, mode_span.start : mode_span.end], enc_n.target if calibrate else None, rng
                    )
                else:
                    modes = np.zeros(n, dtype=np.int64)
                scalar = np.tanh(raw[:, scalar_span.start]) if scalar_span is not None else None
                data[column] = enc_n.decode(modes, scalar, calibrate=calibrate, rng=rng)
            elif column in self.meta.identifiers:
                data[column] = surrogate_column(ColumnKind.IDENTIFIER.value, self.meta.identifiers[column], n, rng)
            else:  # free text: not learned, left empty
                data[column] = surrogate_column(ColumnKind.TEXT.value, "object", n, rng)
        frame = pd.DataFrame(data, columns=self.columns)
        return frame

    def to_dict(self) -> dict[str, Any]:
        """Layout summary (no values)."""
        return {"output_dim": self.output_dim, "spans": len(self.spans), **self.meta.summary()}


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def calibrated_probabilities(logits: np.ndarray, target: np.ndarray | None) -> np.ndarray:
    """Row-wise softmax, shifted per column of the span so that the batch mean matches ``target``."""
    logits = np.asarray(logits, dtype=np.float64)
    if target is None or len(logits) == 0:
        return _softmax(logits)
    goal = np.clip(np.asarray(target, dtype=np.float64), 1e-9, None)
    goal = goal / goal.sum()
    bias = np.zeros(logits.shape[1])
    probs = _softmax(logits)
    for _ in range(_CALIBRATION_ROUNDS):
        mean = np.clip(probs.mean(axis=0), 1e-12, None)
        step = np.log(goal / mean)
        if np.max(np.abs(step)) < 1e-3:
            break
        bias = np.clip(bias + step, -50.0, 50.0)
        probs = _softmax(logits + bias)
    return probs


def _sample_codes(logits: np.ndarray, target: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    probs = calibrated_probabilities(logits, target)
    cum = np.cumsum(probs, axis=1)
    draws = rng.random((len(probs), 1)) * cum[:, -1:]
    return np.minimum((draws > cum).sum(axis=1), probs.shape[1] - 1).astype(np.int64)

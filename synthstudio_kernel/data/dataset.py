"""Dataset: a validated DataFrame with column kinds and a content fingerprint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from ..errors import DataError
from .fingerprint import fingerprint
from .kinds import ColumnKind, infer_kind, kind_from_dtype
from .queries import CountSource
from .validation import validate_frame


@dataclass(frozen=True)
class Dataset:
    """A table plus what Synth Studio knows about its columns.

    Build it with :meth:`from_frame` (validates and infers kinds) or :func:`as_dataset`.
    """

    frame: pd.DataFrame
    kinds: Mapping[str, ColumnKind]
    name: str | None = None
    #: Columns whose kind the user declared (the rest were inferred from values).
    declared: frozenset[str] = frozenset()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        kinds: Mapping[str, ColumnKind | str] | None = None,
        *,
        name: str | None = None,
        min_rows: int = 2,
    ) -> Dataset:
        """Validate ``frame``, infer each column's kind and apply the user's overrides."""
        frame = validate_frame(frame, min_rows=min_rows)
        overrides = {str(k): ColumnKind.parse(v) for k, v in (kinds or {}).items()}
        columns = {str(c) for c in frame.columns}
        unknown = sorted(set(overrides) - columns)
        if unknown:
            raise DataError(f"Kind given for unknown column(s): {', '.join(map(repr, unknown))}.")
        inferred = {str(c): overrides.get(str(c)) or infer_kind(frame[c]) for c in frame.columns}
        return cls(frame=frame, kinds=inferred, name=name, declared=frozenset(overrides))

    @cached_property
    def fingerprint(self) -> str:
        """Content hash, independent of row and column order."""
        return fingerprint(self.frame)

    @property
    def n_rows(self) -> int:
        return int(self.frame.shape[0])

    @property
    def n_columns(self) -> int:
        return int(self.frame.shape[1])

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    @property
    def source(self) -> Any:
        """What profiling and the PII scan read: the frame (a table by reference for TableDataset)."""
        return self.frame

    @property
    def dtypes(self) -> dict[str, str]:
        """Type name of each column."""
        return {str(c): str(t) for c, t in self.frame.dtypes.items()}

    def dtype_of(self, column: str) -> Any:
        """The pandas dtype of one column (for a table by reference: the dtype its engine type maps to)."""
        return self.frame[column].dtype

    @property
    def attrs(self) -> dict[Any, Any]:
        """The frame's ``attrs`` (e.g. what a PII scan applied)."""
        return self.frame.attrs

    def count_source(self) -> CountSource:
        """Count queries over this table (the only way marginal methods read rows); a
        TableDataset answers them in its engine (DuckDB, Spark)."""
        from .queries import PandasCountSource

        return PandasCountSource(self.frame)

    def columns_of(self, *kinds: ColumnKind) -> list[str]:
        """Names of the columns whose kind is one of ``kinds``, in table order."""
        return [c for c in self.columns if self.kinds[c] in kinds]

    def with_kinds(self, kinds: Mapping[str, ColumnKind | str]) -> Dataset:
        """A copy with some column kinds declared (the others keep their declared or inferred kinds)."""
        declared = {c: self.kinds[c] for c in self.declared}
        data = Dataset.from_frame(self.frame, {**declared, **kinds}, name=self.name)
        return data

    def with_schema_kinds(self) -> Dataset:
        """A copy whose undeclared kinds come from dtypes alone (what DP methods train with)."""
        kinds = {c: self.kinds[c] if c in self.declared else kind_from_dtype(self.frame[c]) for c in self.columns}
        data = Dataset(frame=self.frame, kinds=kinds, name=self.name, declared=self.declared)
        if "fingerprint" in self.__dict__:
            data.__dict__["fingerprint"] = self.fingerprint
        return data

    def guessed_kinds(self) -> dict[str, ColumnKind]:
        """Undeclared columns whose value-based kind differs from their dtype's (suggestions only)."""
        guesses = {c: infer_kind(self.frame[c]) for c in self.columns if c not in self.declared}
        return {c: k for c, k in guesses.items() if k != kind_from_dtype(self.frame[c])}

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (no values)."""
        return {
            "name": self.name,
            "rows": self.n_rows,
            "columns": self.n_columns,
            "kinds": {c: k.value for c, k in self.kinds.items()},
            "fingerprint": self.fingerprint,
        }


def as_dataset(
    data: pd.DataFrame | Dataset | Any,
    kinds: Mapping[str, ColumnKind | str] | None = None,
    *,
    name: str | None = None,
    min_rows: int = 2,
) -> Dataset:
    """Wrap a DataFrame (validated) or return a Dataset, applying kind overrides.

    A table by reference (``ss.table(...)``) becomes a TableDataset that keeps its rows in the engine.
    """
    from .tables import TableRef

    if isinstance(data, TableRef):
        return data.dataset(kinds, name=name)
    if isinstance(data, Dataset):
        return data.with_kinds(kinds) if kinds else data
    return Dataset.from_frame(data, kinds, name=name, min_rows=min_rows)  # type: ignore[arg-type]

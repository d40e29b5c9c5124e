"""TableDataset: a :class:`~synthstudio_kernel.data.dataset.Dataset` over a table by reference.

Everything that only needs the schema, the row count, the fingerprint or count queries
(budget registration, validation, marginal methods through :meth:`count_source`) works
without loading rows. Code that needs the rows themselves (DP-SGD methods, ``.frame``)
loads them on first use, and refuses above :data:`~synthstudio_kernel.data.tables.DEFAULT_FRAME_LIMIT`
rows with a message that points to the marginal methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import pandas as pd

from ..errors import DataError
from .dataset import Dataset
from .kinds import ColumnKind
from .queries import CountSource
from .tables import DEFAULT_FRAME_LIMIT, TableRef


class TableDataset(Dataset):
    """A Dataset whose rows stay in their engine until something asks for ``frame``."""

    table: TableRef
    frame_limit: int

    def __init__(self, table: TableRef, *, name: str | None = None, frame_limit: int = DEFAULT_FRAME_LIMIT) -> None:
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "kinds", table.kinds)
        object.__setattr__(self, "name", name or table.name)
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "frame_limit", int(frame_limit))

    @property  # type: ignore[override]
    def frame(self) -> pd.DataFrame:
        """All rows as a pandas frame (loaded once; refused for tables above ``frame_limit`` rows)."""
        cached = self._cache.get("frame")
        if cached is None:
            if self.n_rows > self.frame_limit:
                raise DataError(
                    f"The table has {self.n_rows:,} rows, more than the {self.frame_limit:,} this step would load "
                    "into the kernel; use dp-mst or dp-aim, which send count queries to the engine, or train on "
                    "a sample: ss.table(...).sample(n)."
                )
            cached = self.table.to_pandas(limit=None)
            self._cache["frame"] = cached
        return cached

    @property
    def source(self) -> Any:
        """What profiling and the PII scan read: the table by reference."""
        return self.table

    def count_source(self) -> CountSource:
        """Count queries answered in the table's engine."""
        return self.table.count_source()

    def with_schema_kinds(self) -> Dataset:
        """Itself: a table's kinds already come from its engine's column types (or declarations)."""
        return self

    def guessed_kinds(self) -> dict[str, ColumnKind]:
        """None: guessing kinds from values would read rows; declare kinds=... instead."""
        return {}

    @cached_property
    def fingerprint(self) -> str:
        return self.table.fingerprint

    @property
    def n_rows(self) -> int:
        return self.table.n_rows

    @property
    def n_columns(self) -> int:
        return self.table.n_columns

    @property
    def columns(self) -> list[str]:
        return self.table.columns

    @property
    def dtypes(self) -> dict[str, str]:
        return self.table.dtypes

    def dtype_of(self, column: str) -> Any:
        return self.table.pandas_dtype(column)

    @property
    def attrs(self) -> dict[Any, Any]:
        return {}

    def with_kinds(self, kinds: Mapping[str, ColumnKind | str]) -> Dataset:
        return TableDataset(self.table.with_kinds(kinds), name=self.name, frame_limit=self.frame_limit)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "engine": self.table.engine}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TableDataset):
            return NotImplemented
        return self.fingerprint == other.fingerprint and dict(self.kinds) == dict(other.kinds)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __repr__(self) -> str:
        return f"TableDataset(name={self.name!r}, engine={self.table.engine!r}, columns={self.n_columns})"

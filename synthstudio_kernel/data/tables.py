"""Tables by reference: name data where it lives and ask the engine for counts.

``ss.table(source)`` wraps

- a pandas DataFrame (the default engine: the rows are already in the kernel);
- Parquet or CSV files, a path, a glob or a list of them, through **DuckDB** (embedded,
  out of core: the default for files);
- a Spark DataFrame, or files read by Spark (``engine="spark"``).

A :class:`TableRef` knows its schema (column names, engine types and the column kinds
those types imply: kinds come from types alone, never from values; declare others with
``kinds=``), its row count, a content fingerprint computed in the engine, a
:class:`~synthstudio_kernel.data.queries.CountSource` whose group-by counts run in the
engine, exact per-column facts (non-null and distinct counts, numeric ranges) and seeded
samples for profiling. Only aggregates and explicit samples cross into the kernel.

Engines register themselves in :data:`ENGINES` (name -> opener); pyspark and duckdb are
imported only when a table of theirs is opened.
"""

from __future__ import annotations

import hashlib
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from os import PathLike
from typing import Any

import pandas as pd

from ..errors import ConfigError, DataError
from .kinds import ColumnKind
from .queries import CountSource

#: Rows that :meth:`TableRef.to_pandas` loads at most unless told otherwise.
DEFAULT_FRAME_LIMIT = 5_000_000
#: Rows profiling and the PII scan sample from a table by reference by default.
DEFAULT_SAMPLE_ROWS = 100_000


@dataclass(frozen=True)
class ColumnFacts:
    """Exact whole-column aggregates computed in the engine (no values, only counts and ranges).

    ``min``/``max``/``mean``/``std``/``zeros``/``negatives``/``integral`` are set for
    numeric columns only (``std`` is the sample standard deviation, ddof=1).
    """

    name: str
    rows: int
    non_null: int
    distinct: int
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    zeros: int | None = None
    negatives: int | None = None
    integral: bool | None = None
    #: False when ``distinct`` is an estimate (Spark above SPARK_EXACT_DISTINCT_ROWS: HyperLogLog++,
    #: relative standard error ``distinct_rsd``).
    distinct_exact: bool = True
    distinct_rsd: float | None = None

    @property
    def missing(self) -> int:
        return self.rows - self.non_null

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class TableRef(ABC):
    """A table named by reference: schema, counts and samples come from its engine."""

    engine: str = ""

    def __init__(self, *, name: str | None = None, kinds: Mapping[str, ColumnKind | str] | None = None) -> None:
        self.name = name
        self._kind_overrides = {str(k): ColumnKind.parse(v) for k, v in (kinds or {}).items()}
        unknown = sorted(set(self._kind_overrides) - set(self.columns))
        if unknown:
            raise DataError(f"Kind given for unknown column(s): {', '.join(map(repr, unknown))}.")
        if not self.columns:
            raise DataError("The table has no columns.")

    # --- schema ----------------------------------------------------------------------
    @property
    @abstractmethod
    def columns(self) -> list[str]:
        """Column names in table order."""

    @property
    @abstractmethod
    def dtypes(self) -> dict[str, str]:
        """Engine type name of each column."""

    @abstractmethod
    def _kind_of_type(self, column: str) -> ColumnKind:
        """The kind an engine type implies (types only, never values)."""

    def family_of(self, column: str) -> str:
        """``bool``, ``int``, ``float``, ``temporal``, ``string`` or ``other``: the engine type's family."""
        raise NotImplementedError

    def pandas_dtype(self, column: str) -> Any:
        """The pandas dtype a column of this engine type becomes (what code written for frames checks)."""
        import numpy as np

        return {
            "bool": np.dtype(bool),
            "int": np.dtype("int64"),
            "float": np.dtype("float64"),
            "temporal": np.dtype("datetime64[ns]"),
        }.get(self.family_of(column), np.dtype(object))

    @property
    def kinds(self) -> dict[str, ColumnKind]:
        """Column kinds: from engine types, with the declared ``kinds=`` applied."""
        return {c: self._kind_overrides.get(c) or self._kind_of_type(c) for c in self.columns}

    def with_kinds(self, kinds: Mapping[str, ColumnKind | str]) -> TableRef:
        """The same table with some column kinds declared."""
        import copy

        other = copy.copy(self)
        other._kind_overrides = {**self._kind_overrides, **{str(k): ColumnKind.parse(v) for k, v in kinds.items()}}
        unknown = sorted(set(other._kind_overrides) - set(self.columns))
        if unknown:
            raise DataError(f"Kind given for unknown column(s): {', '.join(map(repr, unknown))}.")
        return other

    # --- column selection (pushed down into the engine) ------------------------------------
    def select(self, columns: Sequence[str] | str) -> TableRef:
        """The same table with only ``columns``, in that order.

        The selection is a projection in the engine: DuckDB and Spark push it into the file
        scan, so the other columns are never read (nor profiled, scanned, fingerprinted or
        learned). The fingerprint is that of the selected columns alone.
        """
        names = self._checked_names("select", columns)
        if not names:
            raise DataError("Select at least one column.")
        return self._projected(names)

    def drop(self, columns: Sequence[str] | str) -> TableRef:
        """The same table without ``columns`` (see :meth:`select`), e.g. the direct identifiers a
        PII scan found: ``table.drop(ss.scan_pii(table).direct)``."""
        dropped = set(self._checked_names("drop", columns))
        keep = [c for c in self.columns if c not in dropped]
        if not keep:
            raise DataError("Dropping these columns would leave none; keep at least one.")
        return self if len(keep) == len(self.columns) else self._projected(keep)

    def _checked_names(self, option: str, columns: Sequence[str] | str) -> list[str]:
        if isinstance(columns, str):
            columns = [columns]
        if not isinstance(columns, Sequence) or not all(isinstance(c, str) for c in columns):
            raise ConfigError(f"{option} takes a list of column names.")
        names = list(columns)
        unknown = [c for c in names if c not in self.columns]
        if unknown:
            raise DataError(
                f"Unknown column(s) {', '.join(map(repr, unknown))}; the table has: {', '.join(map(repr, self.columns))}."
            )
        repeated = sorted({c for c in names if names.count(c) > 1})
        if repeated:
            raise ConfigError(f"Column(s) named more than once: {', '.join(map(repr, repeated))}.")
        return names

    def _projected(self, names: list[str]) -> TableRef:
        """A copy over ``names`` only: remembered facts of those columns are kept, the fingerprint is not."""
        import copy

        other = copy.copy(self)
        other.__dict__.pop("fingerprint", None)
        facts = self.__dict__.get("_facts")
        if facts is not None:
            other.__dict__["_facts"] = {c: f for c, f in facts.items() if c in names}
        other._kind_overrides = {c: k for c, k in self._kind_overrides.items() if c in names}
        other._project(names)
        return other

    @abstractmethod
    def _project(self, names: list[str]) -> None:
        """Narrow this (freshly copied) table's engine view to ``names``, in that order."""

    # --- counts ------------------------------------------------------------------------
    @cached_property
    def n_rows(self) -> int:
        """The exact number of rows (counted in the engine, once)."""
        return self._count_rows()

    @property
    def n_columns(self) -> int:
        return len(self.columns)

    @abstractmethod
    def _count_rows(self) -> int: ...

    @abstractmethod
    def count_source(self) -> CountSource:
        """Count queries answered by the engine (group-by counts, value counts)."""

    def column_facts(self, columns: Sequence[str] | None = None) -> dict[str, ColumnFacts]:
        """Exact non-null and distinct counts (and numeric ranges/moments) per column, in one
        engine pass (remembered: profiling and the PII scan of one table share it)."""
        names = list(columns or self.columns)
        unknown = [c for c in names if c not in self.columns]
        if unknown:
            raise DataError(f"Unknown column(s): {', '.join(map(repr, unknown))}.")
        cache: dict[str, ColumnFacts] = self.__dict__.setdefault("_facts", {})
        missing = [c for c in names if c not in cache]
        if missing:
            cache.update(self._column_facts(missing))
        return {c: cache[c] for c in names}

    @abstractmethod
    def _column_facts(self, columns: list[str]) -> dict[str, ColumnFacts]: ...

    # --- fingerprint -----------------------------------------------------------------
    @cached_property
    def fingerprint(self) -> str:
        """Content hash, independent of row and column order (see :meth:`_fingerprint`)."""
        return self._fingerprint()

    @abstractmethod
    def _fingerprint(self) -> str: ...

    # --- rows into the kernel (profiling, small tables) ------------------------------
    @abstractmethod
    def _head(self, limit: int) -> pd.DataFrame: ...

    @abstractmethod
    def _sample(self, n: int, seed: int) -> pd.DataFrame: ...

    def to_pandas(self, limit: int | None = DEFAULT_FRAME_LIMIT) -> pd.DataFrame:
        """Load the table (its first ``limit`` rows in engine order) into a pandas frame.

        Refuses when the table has more than ``limit`` rows and ``limit`` was left at its
        default, so that a 10⁸-row table is never pulled into the kernel by accident; pass
        ``limit=None`` to load everything.
        """
        if limit is None:
            return self._head(self.n_rows)
        _check_count("limit", limit)
        return self._head(limit)

    def sample(self, n: int = DEFAULT_SAMPLE_ROWS, *, seed: int = 0) -> pd.DataFrame:
        """A uniform random sample of ``n`` rows without replacement (all rows when fewer),
        drawn in the engine (reservoir sampling in DuckDB, Bernoulli then a cut in Spark)."""
        _check_count("n", n)
        if n >= self.n_rows:
            return self._head(self.n_rows)
        return self._sample(n, seed)

    # --- descriptions ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (no values)."""
        return {
            "name": self.name,
            "engine": self.engine,
            "rows": self.n_rows,
            "columns": self.n_columns,
            "dtypes": self.dtypes,
            "kinds": {c: k.value for c, k in self.kinds.items()},
            "fingerprint": self.fingerprint,
        }

    def dataset(self, kinds: Mapping[str, ColumnKind | str] | None = None, *, name: str | None = None) -> Any:
        """A :class:`~synthstudio_kernel.data.table_dataset.TableDataset` over this table."""
        from .table_dataset import TableDataset

        return TableDataset(self.with_kinds(kinds) if kinds else self, name=name)

    def __repr__(self) -> str:
        label = f" {self.name}" if self.name else ""
        return f"<TableRef{label} ({self.engine}): {self.n_columns} columns>"


def _check_count(option: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{option} must be a positive whole number, got {value!r}.")


def digest(engine: str, dtypes: Mapping[str, str], parts: Sequence[Any]) -> str:
    """SHA-256 over the engine tag, the sorted column names with their types and aggregates."""
    h = hashlib.sha256(f"synthstudio-table-fingerprint/{engine}/v1".encode())
    for name in sorted(dtypes):
        h.update(name.encode("utf-8") + b"\x00" + str(dtypes[name]).encode("utf-8") + b"\x01")
    for part in parts:
        h.update(str(part).encode("ascii") + b"\x02")
    return h.hexdigest()


def distinct_estimate_note(columns: int, rsd: float) -> str:
    """The sentence every report of a table by reference gives its estimated distinct counts."""
    return (
        f"Distinct counts of {columns} column(s) are HyperLogLog++ estimates computed in the engine "
        f"(relative standard error {rsd:.1%})."
    )


def finite_or_none(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# --- pandas: today's default ----------------------------------------------------------
class PandasTable(TableRef):
    """A DataFrame already in the kernel. Kinds and the fingerprint are today's (see
    :class:`~synthstudio_kernel.data.dataset.Dataset`); counts use :class:`PandasCountSource`."""

    engine = "pandas"

    def __init__(
        self, frame: pd.DataFrame, *, name: str | None = None, kinds: Mapping[str, ColumnKind | str] | None = None
    ) -> None:
        from .dataset import Dataset

        self._dataset = Dataset.from_frame(frame, kinds, name=name, min_rows=1)
        super().__init__(name=name, kinds=kinds)

    @property
    def frame(self) -> pd.DataFrame:
        return self._dataset.frame

    @property
    def columns(self) -> list[str]:
        return self._dataset.columns

    @property
    def dtypes(self) -> dict[str, str]:
        return {str(c): str(t) for c, t in self.frame.dtypes.items()}

    def _kind_of_type(self, column: str) -> ColumnKind:
        return self._dataset.kinds[column]

    def pandas_dtype(self, column: str) -> Any:
        return self.frame[column].dtype

    def _count_rows(self) -> int:
        return self._dataset.n_rows

    def count_source(self) -> CountSource:
        from .queries import PandasCountSource

        return PandasCountSource(self.frame)

    def _column_facts(self, columns: list[str]) -> dict[str, ColumnFacts]:
        from pandas.api import types as ptypes

        facts: dict[str, ColumnFacts] = {}
        for name in columns:
            series = self.frame[name]
            present = series.dropna()
            numeric: dict[str, Any] = {}
            if ptypes.is_numeric_dtype(series.dtype) and not ptypes.is_bool_dtype(series.dtype):
                x = present.to_numpy(dtype=float)
                if x.size:
                    numeric = {
                        "min": finite_or_none(x.min()),
                        "max": finite_or_none(x.max()),
                        "mean": finite_or_none(x.mean()),
                        "std": finite_or_none(x.std(ddof=1)) if x.size > 1 else None,
                        "zeros": int((x == 0).sum()),
                        "negatives": int((x < 0).sum()),
                        "integral": bool((x % 1 == 0).all()),
                    }
            facts[name] = ColumnFacts(
                name=name, rows=len(series), non_null=len(present), distinct=int(present.nunique()), **numeric
            )
        return facts

    def _fingerprint(self) -> str:
        return self._dataset.fingerprint

    def _project(self, names: list[str]) -> None:
        from .dataset import Dataset

        self._dataset = Dataset.from_frame(self.frame[names], self._kind_overrides, name=self.name, min_rows=1)

    def _head(self, limit: int) -> pd.DataFrame:
        return self.frame.head(limit)

    def _sample(self, n: int, seed: int) -> pd.DataFrame:
        return self.frame.sample(n=n, random_state=seed).sort_index()

    def dataset(self, kinds: Mapping[str, ColumnKind | str] | None = None, *, name: str | None = None) -> Any:
        from .dataset import as_dataset

        return as_dataset(self.frame, {**self._kind_overrides, **(kinds or {})}, name=name or self.name)


def by_reference(data: Any) -> TableRef | None:
    """The engine table behind ``data`` (a TableRef, or a TableDataset's table); None for a
    frame, a Dataset or a pandas-engine table (those are profiled and scanned in memory)."""
    table = data if isinstance(data, TableRef) else getattr(data, "table", None)
    if not isinstance(table, TableRef) or isinstance(table, PandasTable):
        return None
    return table


def in_memory(data: Any) -> Any:
    """``data`` with a pandas-engine table unwrapped to its frame (other inputs unchanged)."""
    table = data if isinstance(data, TableRef) else getattr(data, "table", None)
    return table.frame if isinstance(table, PandasTable) else data


# --- the engine registry and ss.table ----------------------------------------------------
Opener = Callable[..., TableRef]


def _open_pandas(source: Any, **options: Any) -> TableRef:
    if not isinstance(source, pd.DataFrame):
        raise ConfigError("engine='pandas' takes a pandas DataFrame; read files with engine='duckdb'.")
    return PandasTable(source, **options)


def _open_duckdb(source: Any, **options: Any) -> TableRef:
    from .duckdb_table import DuckDBTable

    return DuckDBTable(source, **options)


def _open_spark(source: Any, **options: Any) -> TableRef:
    from .spark_table import SparkTable

    return SparkTable(source, **options)


#: engine name -> opener(source, **options)
ENGINES: dict[str, Opener] = {"pandas": _open_pandas, "duckdb": _open_duckdb, "spark": _open_spark}


def register_engine(name: str, opener: Opener) -> None:
    """Make ``ss.table(source, engine=name)`` open tables with ``opener``."""
    ENGINES[name] = opener


def is_spark_frame(source: Any) -> bool:
    """A pyspark DataFrame (classic or Connect), recognised without importing pyspark."""
    cls = type(source)
    return cls.__name__ == "DataFrame" and cls.__module__.startswith("pyspark.sql")


def _default_engine(source: Any) -> str:
    if isinstance(source, pd.DataFrame):
        return "pandas"
    if is_spark_frame(source):
        return "spark"
    if isinstance(source, str | PathLike) or (
        isinstance(source, list | tuple) and source and all(isinstance(s, str | PathLike) for s in source)
    ):
        return "duckdb"
    raise DataError(
        f"ss.table cannot read a {type(source).__name__}; pass a pandas DataFrame, a Parquet/CSV path "
        "(or glob, or list of paths), or a Spark DataFrame."
    )


def table(
    source: Any,
    *,
    engine: str | None = None,
    name: str | None = None,
    kinds: Mapping[str, ColumnKind | str] | None = None,
    columns: Sequence[str] | None = None,
    **options: Any,
) -> TableRef:
    """A table by reference.

    ``source``: a DataFrame (engine ``pandas``), a Parquet/CSV path, glob or list of paths
    (engine ``duckdb`` by default, or ``spark``), or a Spark DataFrame (engine ``spark``).
    ``columns`` keeps only those columns, in that order (a projection pushed into the
    engine's scan: the others are never read; see :meth:`TableRef.select`). ``kinds``
    declares column kinds (engine tables take kinds from column types only).
    DuckDB options: ``format`` ("parquet" or "csv"), ``memory_limit`` (e.g. "2GB"),
    ``threads``, ``connection``. Spark options: ``spark`` (a SparkSession), ``format``.
    """
    chosen = engine or _default_engine(source)
    opener = ENGINES.get(chosen)
    if opener is None:
        raise ConfigError(f"Unknown table engine {chosen!r}; use one of: {', '.join(sorted(ENGINES))}.")
    if columns is None:
        return opener(source, name=name, kinds=kinds, **options)
    opened = opener(source, name=name, **options).select(columns)
    return opened.with_kinds(kinds) if kinds else opened

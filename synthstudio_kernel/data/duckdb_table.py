"""Parquet and CSV files through DuckDB (embedded, out of core): counts run as SQL.

Encoders become SQL from their public fields only (:func:`cell_sql`): a
:class:`~synthstudio_kernel.data.queries.BinEncoder` becomes a ``CASE`` over its edges with
the same clipping and missing-cell rules as ``np.searchsorted`` in the pandas source, a
:class:`~synthstudio_kernel.data.queries.CategoryEncoder` a ``CASE`` over its known values.
Bin edges and category values travel as bound parameters, never spliced into the SQL.
"""

from __future__ import annotations

import datetime as _dt
import glob
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, DataError
from .kinds import ColumnKind
from .queries import MISSING, BinEncoder, CategoryEncoder, Encoder, category_key, dense_shape
from .tables import ColumnFacts, TableRef, digest, finite_or_none

_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_FLOAT = {"FLOAT", "DOUBLE", "REAL"}
_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "csv", ".gz": "csv", ".txt": "csv"}


def quote(name: str) -> str:
    """A SQL identifier, double-quoted."""
    return '"' + str(name).replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def family(sql_type: str) -> str:
    """``bool``, ``int``, ``float``, ``temporal``, ``string`` or ``other`` for a DuckDB type name."""
    t = sql_type.upper()
    if t == "BOOLEAN":
        return "bool"
    if t in _INTEGER or t == "UHUGEINT":
        return "int"
    if t in _FLOAT or t.startswith("DECIMAL"):
        return "float"
    if t == "DATE" or t.startswith("TIMESTAMP"):
        return "temporal"
    if t == "VARCHAR" or t.startswith("ENUM"):
        return "string"
    return "other"


_KINDS = {
    "bool": ColumnKind.BOOLEAN,
    "int": ColumnKind.NUMERIC,
    "float": ColumnKind.NUMERIC,
    "temporal": ColumnKind.DATETIME,
    "string": ColumnKind.CATEGORICAL,
    "other": ColumnKind.TEXT,
}


# --- encoders -> SQL ---------------------------------------------------------------------
def value_sql(encoder: BinEncoder, col: str, fam: str) -> str:
    """The column as a DOUBLE the way :func:`~synthstudio_kernel.data.queries.numeric_values` reads it
    (datetimes in seconds since the epoch, unparseable values NULL)."""
    if fam == "temporal":
        ns = f"CAST(epoch_ns({col}) AS DOUBLE)"
    elif fam == "string" and encoder.datetime:
        ns = f"CAST(epoch_ns(TRY_CAST({col} AS TIMESTAMP)) AS DOUBLE)"
    elif fam == "string":
        return f"TRY_CAST({col} AS DOUBLE)"
    else:
        ns = f"CAST({col} AS DOUBLE)"
    return f"({ns} / 1e9)" if encoder.datetime else ns


def bin_sql(encoder: BinEncoder, col: str, fam: str, params: list[Any]) -> str:
    """Cell of each row: missing (NULL or NaN) -> ``n_bins``; else the clipped searchsorted bin."""
    v = value_sql(encoder, col, fam)
    parts = [f"CASE WHEN {v} IS NULL OR isnan({v}) THEN {encoder.n_bins}"]
    for i, edge in enumerate(encoder.edges[1:-1]):
        parts.append(f"WHEN {v} < ? THEN {i}")
        params.append(float(edge))
    parts.append(f"ELSE {encoder.n_bins - 1} END")
    return " ".join(parts)


def category_positions(encoder: CategoryEncoder) -> dict[Any, int]:
    """Known category key -> cell, exactly as the pandas encoder's lookup (last duplicate wins)."""
    return {category_key(v): i for i, v in enumerate(encoder.values)}


def matches(key: Any, fam: str) -> Any | None:
    """The parameter that equals ``key`` in a column of family ``fam`` (None: never equal there),
    following Python's equality as the pandas lookup does (True == 1 == 1.0, "1" != 1)."""
    number = isinstance(key, int | float) and not isinstance(key, bool)
    if fam == "string":
        return key if isinstance(key, str) else None
    if fam == "bool":
        if isinstance(key, bool) or (number and key in (0, 1)):
            return bool(key)
        return None
    if fam in ("int", "float"):
        if isinstance(key, bool):
            return int(key)
        return key if number and not (isinstance(key, float) and math.isnan(key)) else None
    if fam == "temporal":
        if isinstance(key, pd.Timestamp):
            return key.to_pydatetime()
        return key if isinstance(key, _dt.date) else None
    return None


def category_sql(encoder: CategoryEncoder, col: str, fam: str, params: list[Any]) -> str:
    other = len(encoder.values)
    missing_test = f"{col} IS NULL" + (f" OR isnan(CAST({col} AS DOUBLE))" if fam == "float" else "")
    parts = ["CASE"]
    for key, cell in category_positions(encoder).items():
        if key is MISSING:
            parts.append(f"WHEN {missing_test} THEN {cell}")
            continue
        value = matches(key, fam)
        if value is None:
            continue
        parts.append(f"WHEN {col} = ? THEN {cell}")
        params.append(value)
    if len(parts) == 1:
        return str(other)
    parts.append(f"ELSE {other} END")
    return " ".join(parts)


def cell_sql(encoder: Encoder, col: str, fam: str, params: list[Any]) -> str:
    """SQL for an encoder's cell of each row (appends its parameters to ``params``)."""
    if isinstance(encoder, BinEncoder):
        return bin_sql(encoder, col, fam, params)
    return category_sql(encoder, col, fam, params)


def python_key(value: Any) -> Any:
    """A value DuckDB returned, keyed as the pandas source keys it."""
    if isinstance(value, _dt.datetime):
        return pd.Timestamp(value)
    return category_key(value)


# --- the count source ------------------------------------------------------------------------
class DuckDBCountSource:
    """Count queries as SQL group-bys in DuckDB; only the dense count array comes back."""

    engine = "duckdb"

    def __init__(self, table: DuckDBTable) -> None:
        self._table = table

    @property
    def columns(self) -> list[str]:
        return self._table.columns

    @property
    def n_rows(self) -> int:
        return self._table.n_rows

    def marginal(self, encoders: Sequence[Encoder]) -> np.ndarray:
        if not encoders:
            return np.array(float(self.n_rows))
        shape = dense_shape(encoders)
        params: list[Any] = []
        cells = [
            f"{cell_sql(e, quote(e.column), self._table.family_of(e.column), params)} AS c{i}"
            for i, e in enumerate(encoders)
        ]
        keys = ", ".join(f"c{i}" for i in range(len(encoders)))
        sql = f"SELECT {keys}, count(*) AS n FROM (SELECT {', '.join(cells)} FROM {self._table.source}) GROUP BY {keys}"
        result = self._table.execute(sql, params).fetchnumpy()
        counts = np.zeros(shape, dtype=np.float64)
        index = tuple(np.asarray(result[f"c{i}"], dtype=np.int64) for i in range(len(encoders)))
        counts[index] = np.asarray(result["n"], dtype=np.float64)
        return counts

    def value_counts(self, column: str) -> dict[Any, int]:
        col = quote(column)
        rows = self._table.execute(f"SELECT {col}, count(*) FROM {self._table.source} GROUP BY {col}").fetchall()
        counts: dict[Any, int] = {}
        for value, count in rows:
            key = python_key(value)
            counts[key] = counts.get(key, 0) + int(count)
        return counts


# --- the table ----------------------------------------------------------------------------------
def _paths(source: Any) -> list[str]:
    items = list(source) if isinstance(source, list | tuple) else [source]
    paths: list[str] = []
    for item in items:
        text = os.fspath(item)
        if any(ch in text for ch in "*?["):
            if not glob.glob(text, recursive=True):
                raise DataError(f"No file matches {text!r}; check the path or the pattern.")
            paths.append(text)
        elif Path(text).is_dir():
            found = sorted(p for p in Path(text).iterdir() if p.suffix.lower() in _FORMATS)
            if not found:
                raise DataError(f"The folder {text!r} holds no Parquet or CSV files.")
            paths.extend(str(p) for p in found)
        elif Path(text).is_file():
            paths.append(text)
        else:
            raise DataError(f"No file at {text!r}; check the path.")
    return paths


def _format(paths: list[str], format: str | None) -> str:
    if format is not None:
        if format not in ("parquet", "csv"):
            raise ConfigError(f"format must be 'parquet' or 'csv', got {format!r}.")
        return format
    suffixes = {_FORMATS.get(Path(p.rstrip("*")).suffix.lower()) for p in paths}
    if len(suffixes) != 1 or None in suffixes:
        raise ConfigError("Cannot tell the file format from the names; pass format='parquet' or format='csv'.")
    return str(suffixes.pop())


class DuckDBTable(TableRef):
    """Parquet/CSV files (or a DataFrame) queried by an embedded DuckDB connection.

    The fingerprint is DuckDB-specific and stable across DuckDB versions: the count of rows
    and the sums (as 128-bit integers) of both halves of each row's MD5 over its values as
    text in sorted column order, hashed with the column names and types. It does not equal
    the pandas fingerprint of the same rows (pandas hashes typed values with its own keyed
    hash), so register a table under one engine and keep using that engine for its budget.
    """

    engine = "duckdb"

    def __init__(
        self,
        source: Any,
        *,
        name: str | None = None,
        kinds: Any = None,
        format: str | None = None,
        memory_limit: str | None = None,
        threads: int | None = None,
        connection: Any = None,
    ) -> None:
        import duckdb

        config: dict[str, Any] = {}
        if memory_limit is not None:
            config["memory_limit"] = str(memory_limit)
        if threads is not None:
            config["threads"] = int(threads)
        self._con = connection if connection is not None else duckdb.connect(config=config)
        if connection is None:  # our own connection draws no progress bar into the notebook's output
            self._con.execute("SET enable_progress_bar = false")
        self._con.execute("SET TimeZone = 'UTC'")
        if isinstance(source, pd.DataFrame):
            view = f"synthstudio_frame_{id(source):x}"
            self._con.register(view, source)
            self.source = quote(view)
            self.paths: list[str] = []
        else:
            self.paths = _paths(source)
            fmt = _format(self.paths, format)
            files = "[" + ", ".join(_literal(p) for p in self.paths) + "]"
            reader = "read_parquet" if fmt == "parquet" else "read_csv"
            extra = ", union_by_name = true" if fmt == "parquet" else ", auto_detect = true"
            self.source = f"{reader}({files}{extra})"
        described = self._con.execute(f"DESCRIBE SELECT * FROM {self.source}").fetchall()
        self._dtypes = {str(row[0]): str(row[1]) for row in described}
        super().__init__(name=name or (Path(self.paths[0]).stem if len(self.paths) == 1 else None), kinds=kinds)

    def _project(self, names: list[str]) -> None:
        # A subquery: DuckDB pushes the projection into read_parquet/read_csv (other columns are not read).
        self.source = f"(SELECT {', '.join(quote(c) for c in names)} FROM {self.source})"
        self._dtypes = {c: self._dtypes[c] for c in names}

    def memory_in_use(self) -> int:
        """Bytes DuckDB's buffer manager holds now (``duckdb_memory()``), read on a cursor of its
        own, so another thread may watch a running query."""
        cursor = self._con.cursor()
        try:
            row = cursor.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()").fetchone()
            return int(row[0]) if row else 0
        finally:
            cursor.close()

    @property
    def memory_limit(self) -> str:
        """DuckDB's memory limit for this connection (as DuckDB states it, e.g. ``2.7 GiB``)."""
        return str(self.execute("SELECT current_setting('memory_limit')").fetchone()[0])

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run SQL on this table's connection (parameters bound, never spliced)."""
        return self._con.execute(sql, list(params or []))

    @property
    def columns(self) -> list[str]:
        return list(self._dtypes)

    @property
    def dtypes(self) -> dict[str, str]:
        return dict(self._dtypes)

    def family_of(self, column: str) -> str:
        if column not in self._dtypes:
            raise DataError(f"Unknown column {column!r}.")
        return family(self._dtypes[column])

    def _kind_of_type(self, column: str) -> ColumnKind:
        return _KINDS[self.family_of(column)]

    def _count_rows(self) -> int:
        return int(self.execute(f"SELECT count(*) FROM {self.source}").fetchone()[0])

    def count_source(self) -> DuckDBCountSource:
        return DuckDBCountSource(self)

    def _present(self, column: str) -> str:
        col = quote(column)
        fam = self.family_of(column)
        if fam == "float":
            return f"CASE WHEN isnan(CAST({col} AS DOUBLE)) THEN NULL ELSE {col} END"
        return col

    def _column_facts(self, columns: list[str]) -> dict[str, ColumnFacts]:
        names = list(columns)
        select = ["count(*)"]
        for name in names:
            v = self._present(name)
            select += [f"count({v})", f"count(DISTINCT {v})"]
            if self.family_of(name) in ("int", "float"):
                x = f"CAST({v} AS DOUBLE)"
                select += [
                    f"min({x})",
                    f"max({x})",
                    f"avg({x})",
                    f"stddev_samp({x})",
                    f"count_if({x} = 0)",
                    f"count_if({x} < 0)",
                    f"bool_and({x} = floor({x}))",
                ]
        row = list(self.execute(f"SELECT {', '.join(select)} FROM {self.source}").fetchone())
        rows = int(row.pop(0))
        facts: dict[str, ColumnFacts] = {}
        for name in names:
            non_null, distinct = int(row.pop(0)), int(row.pop(0))
            extra: dict[str, Any] = {}
            if self.family_of(name) in ("int", "float"):
                lo, hi, mean, std, zeros, negatives, integral = (row.pop(0) for _ in range(7))
                extra = {
                    "min": finite_or_none(lo),
                    "max": finite_or_none(hi),
                    "mean": finite_or_none(mean),
                    "std": finite_or_none(std),
                    "zeros": int(zeros),
                    "negatives": int(negatives),
                    "integral": None if integral is None else bool(integral),
                }
            facts[name] = ColumnFacts(name=name, rows=rows, non_null=non_null, distinct=distinct, **extra)
        return facts

    def _fingerprint(self) -> str:
        cells = [f"coalesce(CAST({quote(c)} AS VARCHAR), chr(0))" for c in sorted(self.columns)]
        row = f"concat_ws(chr(31), {', '.join(cells)})"
        count, lower, upper = self.execute(
            f"SELECT count(*), sum(CAST(md5_number_lower(r) AS HUGEINT)), sum(CAST(md5_number_upper(r) AS HUGEINT)) "
            f"FROM (SELECT {row} AS r FROM {self.source})"
        ).fetchone()
        return digest(self.engine, self._dtypes, [count, lower or 0, upper or 0])

    def _head(self, limit: int) -> pd.DataFrame:
        return self.execute(f"SELECT * FROM {self.source} LIMIT {int(limit)}").df()

    def _sample(self, n: int, seed: int) -> pd.DataFrame:
        return self.execute(
            f"SELECT * FROM {self.source} USING SAMPLE reservoir({int(n)} ROWS) REPEATABLE ({int(seed)})"
        ).df()

"""Spark DataFrames (or files read by Spark): counts run as DataFrame aggregations.

Encoders become Spark column expressions from their public fields only, with the same
clipping and missing-cell rules as the pandas and DuckDB sources. Datetimes are read in
the session time zone: use ``spark.sql.session.timeZone = UTC`` (as :func:`local_spark`
does) so that naive timestamps mean what they mean in pandas. Parquet written by pandas
needs microsecond timestamps for Spark (``df.to_parquet(path, coerce_timestamps="us")``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, DataError
from .duckdb_table import _format, _paths, category_positions, matches, python_key
from .kinds import ColumnKind
from .queries import MISSING, BinEncoder, CategoryEncoder, Encoder, dense_shape
from .tables import ColumnFacts, TableRef, digest, finite_or_none

_FAMILIES = {
    "boolean": "bool",
    "byte": "int",
    "short": "int",
    "integer": "int",
    "long": "int",
    "float": "float",
    "double": "float",
    "decimal": "float",
    "date": "temporal",
    "timestamp": "temporal",
    "timestamp_ntz": "temporal",
    "string": "string",
    "varchar": "string",
    "char": "string",
}
#: Above this many rows a Spark table's distinct counts are estimated (relative standard error DISTINCT_RSD).
SPARK_EXACT_DISTINCT_ROWS = 1_000_000
#: HyperLogLog++ relative standard error (precision 9: 512 registers). Finer settings make Spark's
#: aggregation buffers so large that one pass over 20 columns takes minutes instead of seconds.
DISTINCT_RSD = 0.05
_KINDS = {
    "bool": ColumnKind.BOOLEAN,
    "int": ColumnKind.NUMERIC,
    "float": ColumnKind.NUMERIC,
    "temporal": ColumnKind.DATETIME,
    "string": ColumnKind.CATEGORICAL,
    "other": ColumnKind.TEXT,
}


def local_spark(app_name: str = "synthstudio", *, cores: int = 2, memory: str = "1g") -> Any:
    """A local Spark session (``local[cores]``) set up for Synth Studio: UTC, no UI, few shuffle
    partitions, Arrow transfers. Returns the active one when it exists."""
    import os

    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # a local session needs no network interface
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    session = (
        SparkSession.builder.master(f"local[{int(cores)}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(2 * int(cores)))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", memory)
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _family(type_name: str) -> str:
    return _FAMILIES.get(type_name.split("(")[0], "other")


# --- encoders -> column expressions ----------------------------------------------------------
def _value(encoder: BinEncoder, column: Any, fam: str) -> Any:
    from pyspark.sql import functions as F

    if fam == "temporal" or (fam == "string" and encoder.datetime):
        stamp = F.try_to_timestamp(column) if fam == "string" else column
        ns = (F.unix_micros(stamp.cast("timestamp")) * F.lit(1000)).cast("double")
    elif fam == "string":
        return column.try_cast("double")
    else:
        ns = column.cast("double")
    return ns / F.lit(1e9) if encoder.datetime else ns


def bin_expr(encoder: BinEncoder, column: Any, fam: str) -> Any:
    from pyspark.sql import functions as F

    v = _value(encoder, column, fam)
    expr = F.when(v.isNull() | F.isnan(v), F.lit(encoder.n_bins))
    for i, edge in enumerate(encoder.edges[1:-1]):
        expr = expr.when(v < F.lit(float(edge)), F.lit(i))
    return expr.otherwise(F.lit(encoder.n_bins - 1))


def category_expr(encoder: CategoryEncoder, column: Any, fam: str) -> Any:
    from pyspark.sql import functions as F

    other = len(encoder.values)
    missing = column.isNull() | F.isnan(column.cast("double")) if fam == "float" else column.isNull()
    expr: Any = None
    for key, cell in category_positions(encoder).items():
        if key is MISSING:
            condition = missing
        else:
            value = matches(key, fam)
            if value is None:
                continue
            condition = column == F.lit(value)
        expr = F.when(condition, F.lit(cell)) if expr is None else expr.when(condition, F.lit(cell))
    return F.lit(other) if expr is None else expr.otherwise(F.lit(other))


def cell_expr(encoder: Encoder, column: Any, fam: str) -> Any:
    """A Spark column with an encoder's cell of each row."""
    if isinstance(encoder, BinEncoder):
        return bin_expr(encoder, column, fam)
    return category_expr(encoder, column, fam)


class SparkCountSource:
    """Count queries as Spark aggregations; only the dense count array comes back."""

    engine = "spark"

    def __init__(self, table: SparkTable) -> None:
        self._table = table

    @property
    def columns(self) -> list[str]:
        return self._table.columns

    @property
    def n_rows(self) -> int:
        return self._table.n_rows

    def marginal(self, encoders: Sequence[Encoder]) -> np.ndarray:
        from pyspark.sql import functions as F

        if not encoders:
            return np.array(float(self.n_rows))
        shape = dense_shape(encoders)
        frame = self._table.frame
        cells = [
            cell_expr(e, F.col(_ref(e.column)), self._table.family_of(e.column)).alias(f"c{i}")
            for i, e in enumerate(encoders)
        ]
        keys = [f"c{i}" for i in range(len(encoders))]
        rows = frame.select(*cells).groupBy(*keys).count().collect()
        counts = np.zeros(shape, dtype=np.float64)
        for row in rows:
            counts[tuple(int(row[k]) for k in keys)] = float(row["count"])
        return counts

    def value_counts(self, column: str) -> dict[Any, int]:
        from pyspark.sql import functions as F

        self._table.family_of(column)
        rows = self._table.frame.groupBy(F.col(_ref(column)).alias("v")).count().collect()
        counts: dict[Any, int] = {}
        for row in rows:
            key = python_key(row["v"])
            counts[key] = counts.get(key, 0) + int(row["count"])
        return counts


def _ref(name: str) -> str:
    """A column reference that survives dots and spaces in names."""
    return "`" + name.replace("`", "``") + "`"


class SparkTable(TableRef):
    """A Spark DataFrame, or Parquet/CSV files read by a Spark session.

    The fingerprint is Spark-specific and stable: the row count and the sums (as 38-digit
    decimals) of two salted ``xxhash64`` row hashes over the columns in sorted order, each
    value followed by its null flag, hashed with the column names and types.
    """

    engine = "spark"

    def __init__(
        self,
        source: Any,
        *,
        name: str | None = None,
        kinds: Any = None,
        spark: Any = None,
        format: str | None = None,
    ) -> None:
        from .tables import is_spark_frame

        if is_spark_frame(source):
            self.frame = source
        elif isinstance(source, pd.DataFrame):
            raise ConfigError("A pandas DataFrame needs no Spark; use ss.table(df) (or spark.createDataFrame(df)).")
        else:
            paths = _paths(source)
            session = spark or local_spark()
            reader = session.read
            if _format(paths, format) == "parquet":
                self.frame = reader.parquet(*paths)
            else:
                self.frame = reader.csv(paths, header=True, inferSchema=True)
        self._dtypes = {f.name: f.dataType.simpleString() for f in self.frame.schema.fields}
        self._families = {f.name: _family(f.dataType.typeName()) for f in self.frame.schema.fields}
        super().__init__(name=name, kinds=kinds)

    @property
    def columns(self) -> list[str]:
        return list(self._dtypes)

    @property
    def dtypes(self) -> dict[str, str]:
        return dict(self._dtypes)

    def family_of(self, column: str) -> str:
        if column not in self._families:
            raise DataError(f"Unknown column {column!r}.")
        return self._families[column]

    def _kind_of_type(self, column: str) -> ColumnKind:
        return _KINDS[self.family_of(column)]

    def _project(self, names: list[str]) -> None:
        # Spark prunes the other columns from the file scan (its ReadSchema lists only these).
        self.frame = self.frame.select(*[_ref(c) for c in names])
        self._dtypes = {c: self._dtypes[c] for c in names}
        self._families = {c: self._families[c] for c in names}

    def _count_rows(self) -> int:
        return int(self.frame.count())

    def count_source(self) -> SparkCountSource:
        return SparkCountSource(self)

    def _present(self, column: str) -> Any:
        from pyspark.sql import functions as F

        col = F.col(_ref(column))
        if self.family_of(column) == "float":
            return F.when(F.isnan(col.cast("double")), F.lit(None)).otherwise(col)
        return col

    def _column_facts(self, columns: list[str]) -> dict[str, ColumnFacts]:
        from pyspark.sql import functions as F

        names = list(columns)
        # Exact distinct counts of many columns are one shuffle each in Spark: above this many
        # rows they are HyperLogLog++ estimates (stated in the facts).
        exact = self.n_rows <= SPARK_EXACT_DISTINCT_ROWS
        aggs = [F.count(F.lit(1)).alias("rows")]
        for i, name in enumerate(names):
            v = self._present(name)
            distinct = F.countDistinct(v) if exact else F.approx_count_distinct(v, rsd=DISTINCT_RSD)
            aggs += [F.count(v).alias(f"n{i}"), distinct.alias(f"d{i}")]
            if self.family_of(name) in ("int", "float"):
                x = v.cast("double")
                aggs += [
                    F.min(x).alias(f"lo{i}"),
                    F.max(x).alias(f"hi{i}"),
                    F.avg(x).alias(f"mean{i}"),
                    F.stddev_samp(x).alias(f"std{i}"),
                    F.count(F.when(x == 0, 1)).alias(f"z{i}"),
                    F.count(F.when(x < 0, 1)).alias(f"neg{i}"),
                    F.bool_and(x == F.floor(x)).alias(f"int{i}"),
                ]
        row = self.frame.agg(*aggs).collect()[0]
        facts: dict[str, ColumnFacts] = {}
        for i, name in enumerate(names):
            extra: dict[str, Any] = {}
            if self.family_of(name) in ("int", "float"):
                extra = {
                    "min": finite_or_none(row[f"lo{i}"]),
                    "max": finite_or_none(row[f"hi{i}"]),
                    "mean": finite_or_none(row[f"mean{i}"]),
                    "std": finite_or_none(row[f"std{i}"]),
                    "zeros": int(row[f"z{i}"]),
                    "negatives": int(row[f"neg{i}"]),
                    "integral": None if row[f"int{i}"] is None else bool(row[f"int{i}"]),
                }
            facts[name] = ColumnFacts(
                name=name,
                rows=int(row["rows"]),
                non_null=int(row[f"n{i}"]),
                distinct=int(row[f"d{i}"]),
                distinct_exact=exact,
                distinct_rsd=None if exact else DISTINCT_RSD,
                **extra,
            )
        return facts

    def _fingerprint(self) -> str:
        from pyspark.sql import functions as F

        values: list[Any] = []
        for name in sorted(self.columns):
            col = F.col(_ref(name))
            values += [col, col.isNull()]
        first = F.xxhash64(F.lit("synthstudio-1"), *values).cast("decimal(38,0)")
        second = F.xxhash64(F.lit("synthstudio-2"), *values).cast("decimal(38,0)")
        row = self.frame.agg(F.count(F.lit(1)), F.sum(first), F.sum(second)).collect()[0]
        return digest(self.engine, self._dtypes, [int(row[0]), row[1] or 0, row[2] or 0])

    def _head(self, limit: int) -> pd.DataFrame:
        return self.frame.limit(int(limit)).toPandas()

    def _sample(self, n: int, seed: int) -> pd.DataFrame:
        from pyspark.sql import functions as F

        total = self.n_rows
        fraction = min(1.0, (n + 6 * math.sqrt(n) + 20) / total)
        sampled = self.frame.sample(withReplacement=False, fraction=fraction, seed=seed)
        return sampled.orderBy(F.rand(seed)).limit(int(n)).toPandas()

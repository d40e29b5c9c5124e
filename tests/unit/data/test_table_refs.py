"""Tables by reference: the same counts, facts and fingerprints from pandas, DuckDB and Spark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.data import ColumnKind, as_dataset
from synthstudio_kernel.data.queries import MISSING, BinEncoder, CategoryEncoder, CountSource, PandasCountSource
from synthstudio_kernel.data.table_dataset import TableDataset
from synthstudio_kernel.errors import ConfigError, DataError, SynthStudioError


def _frame(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    age = rng.integers(-5, 110, n).astype(float)
    age[rng.random(n) < 0.1] = np.nan
    age[:6] = [0.0, 20.0, 40.0, 60.0, 100.0, 250.0]  # on the edges and past the last one
    income = rng.normal(50_000, 20_000, n)
    income[3] = np.nan
    sex = rng.choice(np.array(["f", "m", "x"], dtype=object), n)
    sex[rng.random(n) < 0.1] = None
    stamps = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365 * 86400, n), unit="s")
    when = pd.Series(stamps).astype("datetime64[us]")
    when[rng.random(n) < 0.05] = pd.NaT
    when[0] = pd.Timestamp("2021-01-01")  # exactly on an edge
    return pd.DataFrame(
        {
            "age": age,
            "income": income,
            "sex": sex,
            "smoker": rng.random(n) < 0.3,
            "visits": rng.integers(0, 6, n),
            "when": when,
        }
    )


#: Encoders that exercise clipping, missing cells, unknown and duplicated categories, datetimes.
ENCODERS = [
    BinEncoder("age", (0.0, 20.0, 40.0, 60.0, 100.0)),
    BinEncoder("income", (10_000.0, 40_000.0, 70_000.0)),
    CategoryEncoder("sex", ("f", "m")),  # "x" is unknown, missing not listed: both "other"
    CategoryEncoder("sex", ("m", MISSING, "f", "m")),  # duplicate: the last position wins
    CategoryEncoder("smoker", (True, False)),
    CategoryEncoder("visits", (0, 1, 2.0, "3")),  # 2.0 equals 2; "3" is not 3
    BinEncoder(
        "when",
        (
            pd.Timestamp("2020-06-01").timestamp(),
            pd.Timestamp("2021-01-01").timestamp(),
            pd.Timestamp("2022-01-01").timestamp(),
        ),
        datetime=True,
    ),
]


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("tables") / "people.parquet"
    frame = _frame()
    frame.to_parquet(path, coerce_timestamps="us", index=False)
    return path, pd.read_parquet(path)


def _all_marginals(source: CountSource) -> list[np.ndarray]:
    singles = [source.marginal([e]) for e in ENCODERS]
    pairs = [source.marginal([ENCODERS[0], ENCODERS[2]]), source.marginal([ENCODERS[6], ENCODERS[4], ENCODERS[3]])]
    return [*singles, *pairs]


def _assert_same(got: list[np.ndarray], expected: list[np.ndarray]) -> None:
    for a, b in zip(got, expected, strict=True):
        assert a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_pandas_expectations_hold_on_the_fixture(parquet: tuple[Path, pd.DataFrame]) -> None:
    # Guards the fixture itself: edges, clipping and missing rows are really present.
    _, frame = parquet
    age = PandasCountSource(frame).marginal([ENCODERS[0]])
    assert age[-1] == frame["age"].isna().sum()  # the missing cell
    assert age[3] >= 2  # 60 and 100 (closed last bin) and 250 (clipped) fall in the last bin
    dup = PandasCountSource(frame).marginal([ENCODERS[3]])
    assert dup[0] == 0 and dup[3] == (frame["sex"] == "m").sum()


def test_duckdb_counts_equal_pandas_exactly(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    table = ss.table(str(path))
    assert table.engine == "duckdb"
    source = table.count_source()
    assert isinstance(source, CountSource)
    assert source.n_rows == len(frame)
    _assert_same(_all_marginals(source), _all_marginals(PandasCountSource(frame)))
    for column in ("sex", "visits", "smoker"):
        assert source.value_counts(column) == PandasCountSource(frame).value_counts(column)
    assert source.marginal([]) == len(frame)


def test_duckdb_schema_kinds_come_from_types(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, _ = parquet
    table = ss.table(path, kinds={"visits": "categorical"})
    assert table.columns == ["age", "income", "sex", "smoker", "visits", "when"]
    assert table.kinds == {
        "age": ColumnKind.NUMERIC,
        "income": ColumnKind.NUMERIC,
        "sex": ColumnKind.CATEGORICAL,
        "smoker": ColumnKind.BOOLEAN,
        "visits": ColumnKind.CATEGORICAL,
        "when": ColumnKind.DATETIME,
    }
    assert table.dtypes["when"].startswith("TIMESTAMP")


def test_column_facts_are_exact(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    facts = ss.table(path).column_facts()
    pandas_facts = ss.table(frame).column_facts()
    for name in frame.columns:
        a, b = facts[name], pandas_facts[name]
        assert (a.rows, a.non_null, a.distinct) == (b.rows, b.non_null, b.distinct), name
    assert facts["age"].non_null == frame["age"].notna().sum()
    assert facts["age"].max == 250.0 and facts["age"].integral is True
    assert facts["income"].mean == pytest.approx(frame["income"].mean())
    assert facts["income"].std == pytest.approx(frame["income"].std())
    assert facts["visits"].zeros == (frame["visits"] == 0).sum()


def test_fingerprint_ignores_order_and_sees_changes(tmp_path: Path, parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    shuffled = frame.sample(frac=1.0, random_state=3)[list(reversed(frame.columns))]
    shuffled.to_parquet(tmp_path / "shuffled.parquet", coerce_timestamps="us", index=False)
    changed = frame.copy()
    changed.loc[5, "income"] += 1
    changed.to_parquet(tmp_path / "changed.parquet", coerce_timestamps="us", index=False)
    base = ss.table(path).fingerprint
    assert len(base) == 64
    assert ss.table(tmp_path / "shuffled.parquet").fingerprint == base
    assert ss.table(tmp_path / "changed.parquet").fingerprint != base
    # The pandas engine keeps today's fingerprint.
    assert ss.table(frame).fingerprint == as_dataset(frame).fingerprint


def test_globs_lists_and_csv(tmp_path: Path) -> None:
    frame = _frame(60)[["age", "sex", "visits"]]
    frame.iloc[:30].to_parquet(tmp_path / "part-0.parquet", index=False)
    frame.iloc[30:].to_parquet(tmp_path / "part-1.parquet", index=False)
    frame.to_csv(tmp_path / "all.csv", index=False)
    whole = ss.table(frame).count_source().marginal([ENCODERS[0], ENCODERS[2]])
    for source in (str(tmp_path / "part-*.parquet"), [tmp_path / "part-0.parquet", tmp_path / "part-1.parquet"]):
        table = ss.table(source)
        assert table.n_rows == 60
        np.testing.assert_array_equal(table.count_source().marginal([ENCODERS[0], ENCODERS[2]]), whole)
    csv = ss.table(tmp_path / "all.csv")
    np.testing.assert_array_equal(csv.count_source().marginal([ENCODERS[0], ENCODERS[2]]), whole)


def test_samples_and_limits(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    table = ss.table(path)
    sample = table.sample(50, seed=1)
    assert len(sample) == 50 and list(sample.columns) == list(frame.columns)
    assert len(table.to_pandas(limit=10)) == 10
    assert len(table.sample(10_000)) == len(frame)
    with pytest.raises(ConfigError):
        table.sample(0)


def test_bad_sources_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="No file"):
        ss.table(tmp_path / "missing.parquet")
    with pytest.raises(DataError, match="cannot read"):
        ss.table(42)
    with pytest.raises(ConfigError, match="Unknown table engine"):
        ss.table(pd.DataFrame({"a": [1, 2]}), engine="oracle")
    (tmp_path / "data.bin").write_bytes(b"x")
    with pytest.raises(ConfigError, match="format"):
        ss.table(tmp_path / "data.bin")


def test_table_dataset_keeps_rows_in_the_engine(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    dataset = as_dataset(ss.table(path), {"visits": "categorical"}, name="people")
    assert isinstance(dataset, TableDataset)
    assert dataset.n_rows == len(frame) and dataset.name == "people"
    assert dataset.kinds["visits"] is ColumnKind.CATEGORICAL
    assert dataset.fingerprint == ss.table(path).fingerprint
    assert isinstance(dataset.count_source(), CountSource)
    assert dataset.count_source().engine == "duckdb"  # type: ignore[attr-defined]
    assert "frame" not in dataset._cache
    small = TableDataset(ss.table(path), frame_limit=10)
    with pytest.raises(DataError, match="dp-mst or dp-aim"):
        _ = small.frame
    assert len(dataset.frame) == len(frame)  # a small table loads on demand
    # A plain Dataset answers the same interface in pandas.
    assert isinstance(as_dataset(frame).count_source(), PandasCountSource)


def test_register_dataset_accepts_a_table(parquet: tuple[Path, pd.DataFrame], synth_home: Path) -> None:
    path, frame = parquet
    table = ss.table(path)
    handle = ss.register_dataset(table, "people", total_epsilon=5.0)
    assert ss.budget("people").total == 5.0
    assert handle.fingerprint == table.fingerprint and handle.record.rows == len(frame)
    # The same table by reference again is the same dataset; a different table is refused.
    ss.register_dataset(ss.table(path), "people", total_epsilon=5.0)
    with pytest.raises(SynthStudioError, match="different table"):
        ss.register_dataset(ss.table(frame.head(50)), "people", total_epsilon=5.0)


@pytest.mark.spark
def test_spark_counts_equal_pandas_and_duckdb(spark: object, parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    table = ss.table(str(path), engine="spark", spark=spark)
    assert table.engine == "spark"
    assert table.kinds == ss.table(path).kinds
    source = table.count_source()
    assert source.n_rows == len(frame)
    expected = _all_marginals(PandasCountSource(frame))
    _assert_same(_all_marginals(source), expected)
    for column in ("sex", "visits", "smoker"):
        assert source.value_counts(column) == PandasCountSource(frame).value_counts(column)
    # A Spark DataFrame directly, and engine facts and fingerprints.
    direct = ss.table(spark.read.parquet(str(path)))  # type: ignore[attr-defined]
    assert direct.fingerprint == table.fingerprint
    shuffled = ss.table(
        spark.read.parquet(str(path)).orderBy("income").select("when", "age", "sex", "smoker", "visits", "income")
    )  # type: ignore[attr-defined]
    assert shuffled.fingerprint == table.fingerprint
    facts, duck = table.column_facts(), ss.table(path).column_facts()
    for name in frame.columns:
        assert (facts[name].non_null, facts[name].distinct) == (duck[name].non_null, duck[name].distinct), name
    assert facts["income"].std == pytest.approx(duck["income"].std)
    assert len(table.sample(40, seed=2)) == 40
    # Profiling and the PII scan take a Spark table like any other.
    profile = ss.profile(table)
    assert profile.n_rows == len(frame) and profile.column("age").missing == frame["age"].isna().sum()
    assert profile.overview["engine"] == "spark"
    report = ss.scan_pii(table)
    assert [v.column for v in report] == list(frame.columns) and report.n_rows == len(frame)
    # Above the threshold, distinct counts are HyperLogLog++ estimates, and say so.
    import synthstudio_kernel.data.spark_table as spark_table

    big = ss.table(spark.read.parquet(str(path)))  # type: ignore[attr-defined]
    spark_table.SPARK_EXACT_DISTINCT_ROWS, saved = 10, spark_table.SPARK_EXACT_DISTINCT_ROWS
    try:
        estimated = big.column_facts(["income", "sex"])
    finally:
        spark_table.SPARK_EXACT_DISTINCT_ROWS = saved
    rsd = spark_table.DISTINCT_RSD
    assert estimated["income"].distinct_exact is False and estimated["income"].distinct_rsd == rsd
    assert abs(estimated["income"].distinct - frame["income"].nunique()) <= 3 * rsd * frame["income"].nunique()
    assert estimated["income"].non_null == facts["income"].non_null  # counts stay exact


def test_dtype_of_maps_engine_types_to_pandas_dtypes(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    dataset = ss.table(path).dataset()
    for column in ("age", "sex", "smoker", "visits"):
        assert dataset.dtype_of(column) == frame[column].dtype, column
    assert pd.api.types.is_datetime64_any_dtype(dataset.dtype_of("when"))
    assert as_dataset(frame).dtype_of("visits") == frame["visits"].dtype
    assert "frame" not in dataset._cache

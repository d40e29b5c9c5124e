"""Column selection on tables by reference: a projection pushed into the engine's scan, so a
direct identifier can be left out of training without ever being read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.data.queries import BinEncoder, CategoryEncoder, PandasCountSource
from synthstudio_kernel.errors import ConfigError, DataError, SynthStudioError

KEEP = ["age", "city", "smoker"]
DECLARED = {"public_bounds": {"age": (18, 90)}, "categories": {"city": ["a", "b", "c"], "smoker": [True, False]}}


def _frame(n: int = 1200) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "email": [f"member{i}@example.org" for i in range(n)],
            "age": rng.integers(18, 90, n),
            "city": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
            "smoker": rng.random(n) < 0.25,
        }
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    """The full table, and the same rows written with only the kept columns."""
    folder = tmp_path_factory.mktemp("select")
    frame = _frame()
    full, kept = folder / "members.parquet", folder / "kept.parquet"
    frame.to_parquet(full, index=False)
    frame[KEEP].to_parquet(kept, index=False)
    return full, kept, frame


ENCODERS = [
    BinEncoder("age", (18.0, 40.0, 60.0, 90.0)),
    CategoryEncoder("city", ("a", "b")),
    CategoryEncoder("smoker", (True, False)),
]


def test_columns_option_selects_in_the_engine(files: tuple[Path, Path, pd.DataFrame]) -> None:
    # Setup
    full, kept, frame = files

    # Run
    table = ss.table(str(full), columns=["smoker", "age", "city"])
    plan = "\n".join(str(r[1]) for r in table.execute(f"EXPLAIN SELECT * FROM {table.source}").fetchall())

    # Assert: only the chosen columns, in the order given; the scan never reads the e-mail column
    assert table.columns == ["smoker", "age", "city"]
    assert table.n_rows == len(frame)
    assert "Projections" in plan and "email" not in plan
    assert "email" not in table.sample(50, seed=1).columns
    assert "email" not in table.to_pandas().columns
    # The same counts and the same fingerprint as a file that holds only those columns
    plain = ss.table(str(kept))
    assert table.fingerprint == plain.fingerprint
    assert table.fingerprint != ss.table(str(full)).fingerprint
    expected = PandasCountSource(frame[KEEP])
    for encoder in ENCODERS:
        np.testing.assert_array_equal(table.count_source().marginal([encoder]), expected.marginal([encoder]))
    np.testing.assert_array_equal(table.count_source().marginal(ENCODERS[:2]), expected.marginal(ENCODERS[:2]))


def test_select_and_drop_keep_kinds_and_remembered_facts(files: tuple[Path, Path, pd.DataFrame]) -> None:
    # Setup: kinds declared and facts counted before the selection
    full, _, _ = files
    table = ss.table(str(full), kinds={"age": "categorical"})
    facts = table.column_facts()

    # Run
    narrow = table.drop(["email"])

    # Assert
    assert narrow.columns == KEEP
    assert narrow.kinds["age"].value == "categorical"
    assert narrow.column_facts() == {c: facts[c] for c in KEEP}
    assert table.columns == ["email", *KEEP]  # the original is unchanged
    assert table.drop([]) is table
    assert ss.table(str(full), columns=["age"], kinds={"age": "categorical"}).kinds["age"].value == "categorical"


def test_pandas_tables_select_too(files: tuple[Path, Path, pd.DataFrame]) -> None:
    _, _, frame = files
    table = ss.table(frame, columns=KEEP)
    assert table.engine == "pandas"
    assert table.columns == KEEP
    assert table.fingerprint == ss.table(frame[KEEP]).fingerprint
    assert list(table.drop("city").to_pandas().columns) == ["age", "smoker"]


def test_bad_selections_say_what_to_do(files: tuple[Path, Path, pd.DataFrame]) -> None:
    full, _, _ = files
    table = ss.table(str(full))
    with pytest.raises(DataError, match=r"Unknown column.*'mail'.*the table has"):
        table.select(["age", "mail"])
    with pytest.raises(ConfigError, match="more than once"):
        table.select(["age", "age"])
    with pytest.raises(DataError, match="at least one"):
        table.select([])
    with pytest.raises(DataError, match="leave none"):
        table.drop(table.columns)
    with pytest.raises(ConfigError, match="list of column names"):
        table.select([1, 2])  # type: ignore[list-item]
    with pytest.raises(DataError, match="Unknown column"):
        ss.table(str(full), columns=["nope"])


def test_dropping_the_direct_identifier_lets_dp_training_run(
    files: tuple[Path, Path, pd.DataFrame], synth_home: Path
) -> None:
    # Setup: the PII scan of the table finds the e-mail column
    full, _, frame = files
    table = ss.table(str(full))
    report = ss.scan_pii(table)
    assert report.direct == ["email"]

    # Run / Assert: refused with the identifier, trained without it
    with pytest.raises(SynthStudioError, match=r"direct identifiers.*table\.drop\(ss\.scan_pii\(table\)\.direct\)"):
        ss.train(table, "dp-mst", epsilon=2.0, dataset="select-full", **DECLARED)
    with pytest.raises(ConfigError, match=r"table\.drop\(report\.direct\)"):
        report.apply(table)  # rows of an engine table are not rewritten in the kernel
    model = ss.train(table.drop(report.direct), "dp-mst", epsilon=2.0, dataset="select-kept", **DECLARED)
    sample = model.sample(500, seed=1)
    assert list(sample.columns) == KEEP
    assert model.privacy_report().to_dict()["epsilon"] <= 2.0 + 1e-9
    share = frame["city"].value_counts(normalize=True)
    assert abs(float((sample["city"] == "a").mean()) - float(share["a"])) < 0.1


@pytest.mark.spark
def test_spark_prunes_unselected_columns_from_the_scan(spark: object, files: tuple[Path, Path, pd.DataFrame]) -> None:
    # Setup
    full, kept, frame = files

    # Run
    table = ss.table(str(full), engine="spark", spark=spark, columns=KEEP)
    plan = table.frame._jdf.queryExecution().executedPlan().toString()  # type: ignore[attr-defined]

    # Assert: Spark's file scan reads only the kept columns; counts and fingerprint as without them
    assert table.columns == KEEP
    assert "ReadSchema" in plan and "email" not in plan
    assert table.fingerprint == ss.table(str(kept), engine="spark", spark=spark).fingerprint
    expected = PandasCountSource(frame[KEEP])
    np.testing.assert_array_equal(table.count_source().marginal(ENCODERS[:2]), expected.marginal(ENCODERS[:2]))
    assert table.drop(["smoker"]).columns == ["age", "city"]


def test_duckdb_states_its_memory_limit_and_use(files: tuple[Path, Path, pd.DataFrame]) -> None:
    full, _, _ = files
    table = ss.table(str(full), memory_limit="1GB")
    assert table.memory_limit.endswith("MiB") and table.memory_limit.startswith("953")  # 10^9 bytes
    before = table.memory_in_use()
    table.execute("CREATE TEMP TABLE held AS SELECT range AS x FROM range(2000000)")  # ~16 MB in DuckDB's buffers
    assert table.memory_in_use() >= before + 8 * 2**20
    # Its own connection prints no progress bar into the notebook
    assert table.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False

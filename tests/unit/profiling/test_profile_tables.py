"""Profiles of tables by reference: exact engine counts, sampled details, the same shape as for frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.profiling.tables import dkw_bound


def _frame(n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    income = rng.lognormal(10, 0.5, n)
    income[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "income": income,
            "age": rng.integers(18, 90, n),
            "city": rng.choice(["north", "south", "east", "west"], n, p=[0.4, 0.3, 0.2, 0.1]),
            "member": rng.random(n) < 0.25,
        }
    )


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("profile") / "customers.parquet"
    _frame().to_parquet(path, index=False)
    return path, pd.read_parquet(path)


def test_whole_table_profile_matches_the_frame(parquet: tuple[Path, pd.DataFrame]) -> None:
    # Setup: a sample as large as the table, so everything is comparable
    path, frame = parquet

    # Run
    from synthstudio_kernel.profiling.tables import profile_table

    by_ref = profile_table(ss.table(path), sample_rows=10_000)
    in_memory = ss.profile(frame)

    # Assert
    assert set(by_ref.to_dict()) == set(in_memory.to_dict())
    assert by_ref.n_rows == in_memory.n_rows == len(frame)
    for name in frame.columns:
        a, b = by_ref.column(name), in_memory.column(name)
        assert (a.count, a.missing, a.unique) == (b.count, b.missing, b.unique), name
    assert by_ref.column("income").mean == pytest.approx(in_memory.column("income").mean)
    assert by_ref.column("income").quantiles == pytest.approx(in_memory.column("income").quantiles)
    assert by_ref.column("city").top == in_memory.column("city").top
    assert by_ref.overview["sampling"]["quantile_rank_error_95"] == 0.0
    assert by_ref.sampling_errors == {}


def test_large_table_counts_are_exact_and_the_sample_is_stated(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet

    from synthstudio_kernel.profiling.tables import profile_table

    profile = profile_table(ss.table(path), sample_rows=500, seed=3)

    assert profile.n_rows == len(frame)
    income = profile.column("income")
    assert income.count == frame["income"].notna().sum() and income.missing == frame["income"].isna().sum()
    assert income.unique == frame["income"].nunique()
    assert income.mean == pytest.approx(frame["income"].mean())
    assert income.std == pytest.approx(frame["income"].std())
    assert income.max == pytest.approx(frame["income"].max())
    city = profile.column("city")
    assert dict(city.top) == frame["city"].value_counts().to_dict()  # exact from the engine
    assert profile.sample_sizes["statistics"] == 500 and profile.sample_sizes["rows"] == len(frame)
    sampling = profile.overview["sampling"]
    assert sampling["sample_rows"] == 500
    assert sampling["quantile_rank_error_95"] == pytest.approx(dkw_bound(500))
    assert profile.overview["fingerprint"] == ss.table(path).fingerprint
    assert profile.to_dict()["rows"] == len(frame)
    assert "<" in profile._repr_html_()  # renders like any profile


def test_ss_profile_dispatches_tables(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    profile = ss.profile(ss.table(path), seed=1)
    assert profile.n_rows == len(frame)
    assert "sampling" in profile.overview
    # The pandas engine profiles in memory, as before.
    assert "sampling" not in ss.profile(ss.table(frame)).overview

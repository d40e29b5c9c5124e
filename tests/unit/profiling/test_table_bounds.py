"""Profiling and the PII scan of tables by reference state their sample sizes and error bounds,
in the result objects and in their HTML, and the stated bounds hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.pii.sampling import max_half_width
from synthstudio_kernel.profiling.statistics import QUANTILES
from synthstudio_kernel.profiling.tables import dkw_bound, profile_table


def _frame(n: int = 20_000) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    return pd.DataFrame(
        {
            "amount": rng.lognormal(5, 1.2, n),
            "age": rng.integers(18, 90, n),
            "plan": rng.choice(["basic", "plus", "premium"], n, p=[0.6, 0.3, 0.1]),
            "email": [f"member{i}@example.org" for i in range(n)],
        }
    )


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("bounds") / "claims.parquet"
    frame = _frame()
    frame.to_parquet(path, index=False)
    return path, frame


def test_sampled_quantiles_are_within_the_stated_dkw_bound(parquet: tuple[Path, pd.DataFrame]) -> None:
    # Setup
    path, frame = parquet
    n = 2000

    # Run
    profile = profile_table(ss.table(path), sample_rows=n, seed=4)

    # Assert: every sampled quantile's rank in the whole column is within the stated bound
    bound = profile.overview["sampling"]["quantile_rank_error_95"]
    assert bound == pytest.approx(dkw_bound(n))
    values = np.sort(frame["amount"].to_numpy())
    checked = 0
    for key, value in profile.column("amount").quantiles.items():
        level = QUANTILES[key]
        rank = np.searchsorted(values, value, side="right") / len(values)
        assert abs(rank - level) <= bound, key
        checked += 1
    assert checked >= 5
    # Counts, means and top categories stay exact
    assert profile.column("amount").mean == pytest.approx(frame["amount"].mean())
    assert dict(profile.column("plan").top) == frame["plan"].value_counts().to_dict()


def test_profile_html_states_the_sample_and_its_bounds(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    profile = profile_table(ss.table(path), sample_rows=2000, seed=4)

    page = profile.to_html()
    fragment = profile._repr_html_()

    for html in (page, fragment):
        assert f"exact over all {len(frame):,} rows" in html
        assert "uniform sample of 2,000 rows drawn in the engine" in html
        assert f"±{100 * dkw_bound(2000):.2f} percentage points at 95% (DKW)" in html
        assert "Statistics and univariate outliers use all" not in html  # the frame wording would be wrong here
    # Same keys as a frame's profile, plus the sampling statement in the overview
    assert set(profile.to_dict()) == set(ss.profile(frame.head(500)).to_dict())
    assert profile.to_dict()["overview"]["sampling"]["sample_rows"] == 2000


def test_pii_report_states_rows_drawn_and_the_match_rate_margin(parquet: tuple[Path, pd.DataFrame]) -> None:
    path, frame = parquet
    report = ss.scan_pii(ss.table(path), sample_size=500)
    in_memory = ss.scan_pii(frame, sample_size=500)

    drawn = report.to_dict()["sample"]["table"]
    assert drawn["engine"] == "duckdb" and drawn["rows"] == len(frame)
    assert 500 <= drawn["rows_drawn"] < len(frame)
    assert drawn["match_rate_ci95_half_width"] == pytest.approx(max_half_width(500), abs=1e-4)
    assert "distinct" in drawn["exact"] and "distinct_estimated" not in drawn
    # Same shape as a frame's report (the table adds its draw under "sample")
    assert set(report.to_dict()) == set(in_memory.to_dict())
    assert set(report.to_dict()["sample"]) - set(in_memory.to_dict()["sample"]) == {"table"}
    assert report.direct == in_memory.direct == ["email"]
    email = report["email"].evidence
    assert "match_ci95" in email and email["match_sample"] <= 500
    page = report.to_html()
    assert f"values were judged on {drawn['rows_drawn']:,} rows drawn uniformly in the engine" in page
    assert f"±{max_half_width(500):.1%} at 95%" in page


@pytest.mark.spark
def test_spark_distinct_estimates_are_stated(spark: object, parquet: tuple[Path, pd.DataFrame]) -> None:
    import synthstudio_kernel.data.spark_table as spark_table

    path, frame = parquet
    spark_table.SPARK_EXACT_DISTINCT_ROWS, saved = 1000, spark_table.SPARK_EXACT_DISTINCT_ROWS
    try:
        table = ss.table(str(path), engine="spark", spark=spark)
        report = ss.scan_pii(table, sample_size=300)
        profile = profile_table(table, sample_rows=1000)
    finally:
        spark_table.SPARK_EXACT_DISTINCT_ROWS = saved

    rsd = spark_table.DISTINCT_RSD
    estimated = report.to_dict()["sample"]["table"]["distinct_estimated"]
    assert estimated == {"columns": sorted(frame.columns), "method": "HyperLogLog++", "relative_std_error": rsd}
    assert any("HyperLogLog++" in note for note in report.notes)
    # The profile counts few-valued columns exactly (their value counts come from the engine anyway)
    assert profile.overview["sampling"]["distinct_estimated"]["columns"] == ["age", "amount", "email"]
    assert profile.column("plan").unique == 3
    stated = f"Distinct counts of 3 column(s) are HyperLogLog++ estimates computed in the engine (relative standard error {rsd:.1%})"
    assert stated in profile.to_html()
    # The estimate is within a few standard errors of the truth
    true = frame["amount"].nunique()
    assert abs(profile.column("amount").unique - true) <= 3 * rsd * true

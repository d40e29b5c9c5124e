"""One table, three engines: dp-mst trained through pandas, DuckDB and Spark plans and accounts
identically (only count queries cross into the kernel), and fits alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import synthstudio_kernel as ss

DECLARED: dict[str, Any] = {
    "public_bounds": {"age": (18, 90), "income": (0, 120_000)},
    "categories": {"city": ["a", "b", "c"], "smoker": ["yes", "no"]},
}


def _frame(n: int = 1500, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    smoker = rng.choice(["yes", "no"], size=n, p=[0.25, 0.75])
    age = rng.integers(18, 90, size=n)
    return pd.DataFrame(
        {
            "age": age,
            "income": np.round(rng.gamma(2.0, 15_000.0, size=n) + 200 * (age - 18), 2),
            "city": rng.choice(["a", "b", "c"], size=n, p=[0.5, 0.3, 0.2]),
            "smoker": smoker,
        }
    )


def test_dp_mst_plans_and_accounts_identically_on_pandas_duckdb_and_spark(
    spark: object, tmp_path: Path, synth_home: Path
) -> None:
    # Setup: the same rows in memory and in a Parquet file read by two engines
    frame = _frame()
    path = tmp_path / "people.parquet"
    frame.to_parquet(path, index=False)
    sources = {
        "pandas": frame,
        "duckdb": ss.table(str(path)),
        "spark": ss.table(str(path), engine="spark", spark=spark),
    }

    # Run
    plans, reports, samples = {}, {}, {}
    for engine, source in sources.items():
        model = ss.train(source, "dp-mst", epsilon=2.0, dataset=f"engines-{engine}", seed=0, **DECLARED)
        plans[engine] = {k: v for k, v in model.synthesizer.plan.to_dict().items()}
        reports[engine] = model.privacy_report().to_dict()
        samples[engine] = model.sample(3000, seed=1)

    # Assert: the same plan and the same reported (ε, δ) and mechanisms, exactly
    for engine in ("duckdb", "spark"):
        assert plans[engine] == plans["pandas"], engine
        for key in ("epsilon", "delta", "noise_multiplier", "steps", "preprocessing_epsilon", "accountant"):
            assert reports[engine][key] == reports["pandas"][key], (engine, key)
        assert [m["noise_multiplier"] for m in reports[engine]["mechanisms"]] == [
            m["noise_multiplier"] for m in reports["pandas"]["mechanisms"]
        ]
    # ... and fidelity within tolerance: every engine's sample keeps the real marginals.
    for engine, sample in samples.items():
        for column in ("city", "smoker"):
            real = frame[column].value_counts(normalize=True)
            synth = sample[column].value_counts(normalize=True).reindex(real.index, fill_value=0.0)
            assert float((real - synth).abs().max()) < 0.08, (engine, column)
        assert abs(float(sample["age"].mean()) - float(frame["age"].mean())) < 6.0, engine

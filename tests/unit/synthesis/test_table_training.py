"""The hook for marginal methods: ``ss.train`` on a table by reference hands the synthesizer
``dataset.count_source()`` answered by the engine, and never loads the rows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.data import Dataset
from synthstudio_kernel.data.queries import CategoryEncoder
from synthstudio_kernel.synthesis import registry
from synthstudio_kernel.synthesis.base import FitContext, Synthesizer


class CountsOnly(Synthesizer):
    """A test method that, like dp-mst / dp-aim, reads the table only through count queries."""

    name: ClassVar[str] = "test-counts-only"
    seen: ClassVar[list[str]] = []

    def _fit(self, dataset: Dataset, context: FitContext) -> None:
        source = dataset.count_source()
        CountsOnly.seen.append(str(getattr(source, "engine", "?")))
        self._column = "city"
        self._values = ("a", "b", "c")
        counts = source.marginal([CategoryEncoder(self._column, self._values)])
        self._p = counts[:-1] / counts[:-1].sum()

    def _sample(self, n: int, conditions: Mapping[str, Any] | None) -> pd.DataFrame:
        rng = np.random.default_rng()
        return pd.DataFrame({self._column: rng.choice(self._values, n, p=self._p)})


@pytest.fixture
def counts_only() -> Iterator[type[CountsOnly]]:
    registry.register(CountsOnly.name, CountsOnly)
    CountsOnly.seen.clear()
    yield CountsOnly
    registry._REGISTRY.pop(CountsOnly.name, None)


def test_train_on_a_table_pushes_count_queries_to_the_engine(
    tmp_path: Path, synth_home: Path, counts_only: type[CountsOnly]
) -> None:
    # Setup
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"city": rng.choice(["a", "b", "c"], 500, p=[0.6, 0.3, 0.1]), "x": rng.random(500)})
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    table = ss.table(tmp_path / "t.parquet")
    dataset = table.dataset()

    # Run
    model = ss.train(dataset, method=counts_only.name)

    # Assert: the synthesizer got DuckDB's count source and the rows never entered the kernel
    assert counts_only.seen == ["duckdb"]
    assert "frame" not in dataset._cache
    assert "fingerprint" not in model.synthesizer.dataset_info  # the release boundary: no fingerprint
    assert model.run.dataset_fingerprint == table.fingerprint  # the owner's record keys the engine's one
    assert model.synthesizer.dataset_info["dtypes"] == table.dtypes
    assert len(model.sample(20)) == 20
    # A plain frame goes through pandas, as before.
    ss.train(frame, method=counts_only.name)
    assert counts_only.seen == ["duckdb", "pandas"]

"""The PII scan of tables by reference: the same verdicts as for the frame, exact whole-column facts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.data import load_sample
from synthstudio_kernel.data.tables import ColumnFacts
from synthstudio_kernel.pii.tables import rows_to_sample


@pytest.fixture(scope="module")
def customers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("pii") / "customers.parquet"
    load_sample("customer_data").to_parquet(path, index=False)
    return path, pd.read_parquet(path)


def test_duckdb_scan_gives_the_frame_verdicts(customers: tuple[Path, pd.DataFrame]) -> None:
    path, frame = customers

    by_ref = ss.scan_pii(ss.table(path))
    in_memory = ss.scan_pii(frame)

    assert [v["column"] for v in by_ref.to_dict()["columns"]] == list(frame.columns)
    verdicts = {v.column: (v.identifier, v.entity) for v in by_ref}
    assert verdicts == {v.column: (v.identifier, v.entity) for v in in_memory}
    assert {"email", "ssn", "credit_card"} <= set(by_ref.direct)
    assert by_ref.n_rows == len(frame)
    assert by_ref["id"].evidence["distinct"] == frame["id"].nunique()
    assert by_ref["id"].evidence["distinct_exact"] is True
    assert any("exact" in note for note in by_ref.notes)


def test_sample_is_sized_for_the_sparsest_column() -> None:
    dense = ColumnFacts("a", 1_000_000, 1_000_000, 10)
    sparse = ColumnFacts("b", 1_000_000, 10_000, 10)
    assert rows_to_sample(1_000_000, [dense], 1_000) < 2_000
    assert rows_to_sample(1_000_000, [dense, sparse], 1_000) > 100_000
    assert rows_to_sample(500, [ColumnFacts("a", 500, 400, 10)], 1_000) == 500


def test_validate_config_scans_a_table_without_loading_it(customers: tuple[Path, pd.DataFrame]) -> None:
    path, _ = customers
    report = ss.validate_config(ss.table(path), method="gaussian-copula")
    messages = " ".join(c.message for c in report.checks)
    assert "direct identifiers" in messages

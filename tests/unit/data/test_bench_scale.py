"""benchmarks/bench_scale.py at a tiny size: every phase runs, dp-mst trains on the table without
its direct identifiers, and the printed tables carry the figures."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_scale.py"


def test_bench_scale_runs_duckdb_and_pandas_and_trains_without_identifiers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Setup: the benchmark module, writing its table under tmp_path
    spec = importlib.util.spec_from_file_location("bench_scale", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setattr(bench, "ROOT", tmp_path)

    # Run
    bench.main(["--rows", "20000", "--engines", "duckdb,pandas", "--timeout", "300"])
    out = capsys.readouterr().out

    # Assert: no phase failed; the fit dropped what the PII scan found and spent exactly ε
    assert "failed" not in out
    assert (tmp_path / "claims_20000.parquet").exists()
    fit = next(line for line in out.splitlines() if line.startswith("| DuckDB") and "dropped" in line)
    cells = [c.strip() for c in fit.strip("|").split("|")]
    assert cells[1] == "18 (dropped born, email)"
    assert float(cells[2]) > 0 and float(cells[3]) == pytest.approx(bench.EPSILON)
    assert int(cells[5].replace(",", "")) < bench.LIMIT_MB  # kernel peak during the fit
    assert re.search(r"\| pandas \(all rows in the kernel\) \| [\d.]+ \|", out)
    assert "direct identifiers found: born, email" in out

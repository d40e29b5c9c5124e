"""The PII scan of a table by reference: whole-column facts from the engine, values from a sample.

Exact (computed in the engine over every row): row, non-null and distinct counts, the
numeric range and whether all numbers are whole, and "consecutive whole numbers" (a row
key). Values are judged, as for frames, on a uniform random sample of up to
``sample_size`` non-null rows per column, taken from one row sample drawn in the engine
and sized so that the sparsest column still gets its ``sample_size`` rows (up to
:data:`MAX_TABLE_SAMPLE` rows). Spark estimates distinct counts above
``SPARK_EXACT_DISTINCT_ROWS`` rows (HyperLogLog++; stated). The report has the same shape
as for a frame; ``to_dict()["sample"]["table"]`` adds the engine, the rows drawn, what was
exact and the 95% margin of any match rate, and the notes (shown in the HTML) say the same.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from typing import Any

from ..data.tables import ColumnFacts, TableRef, distinct_estimate_note
from ..errors import ConfigError
from .classifier import classify, failed_verdict
from .evidence import gather
from .report import PIIReport
from .sampling import ColumnSample, max_half_width, sample_column

_log = logging.getLogger(__name__)

#: Most rows drawn from the engine for one scan.
MAX_TABLE_SAMPLE = 200_000


def rows_to_sample(n_rows: int, facts: Sequence[ColumnFacts], sample_size: int) -> int:
    """Rows to draw so that every column expects ``sample_size`` non-null values (capped).

    >>> rows_to_sample(10_000_000, [ColumnFacts("a", 10_000_000, 5_000_000, 9)], 1_000)
    2296
    """
    shares = [f.non_null / n_rows for f in facts if f.non_null and n_rows]
    if not shares:
        return min(n_rows, sample_size)
    expected = sample_size / min(shares)
    wanted = math.ceil(expected + 4 * math.sqrt(expected) + 100) if expected < n_rows else n_rows
    return max(1, min(n_rows, wanted, MAX_TABLE_SAMPLE))


def _with_facts(sample: ColumnSample, facts: ColumnFacts) -> ColumnSample:
    sample.n_rows = facts.rows
    sample.n_non_null = facts.non_null
    sample.n_distinct = facts.distinct
    sample.distinct_exact = facts.distinct_exact
    if facts.min is not None and facts.max is not None:
        sample.min_value, sample.max_value = facts.min, facts.max
        sample.integral = bool(facts.integral)
        sample.monotonic = False  # an engine table has no row order
        span = facts.max - facts.min + 1
        sample.consecutive = bool(facts.integral) and facts.distinct == facts.non_null and span == facts.non_null
    return sample


def scan_table(table: TableRef, *, sample_size: int, seed: int = 0, columns: Sequence[str] | None = None) -> PIIReport:
    """Scan a DuckDB or Spark table for personal and health identifiers (see the module docstring)."""
    start = time.perf_counter()
    chosen = list(table.columns) if columns is None else [str(c) for c in columns]
    unknown = [c for c in chosen if c not in table.columns]
    if unknown:
        raise ConfigError(f"Unknown column(s): {', '.join(map(repr, unknown))}.")
    facts = table.column_facts(chosen)
    n_rows = table.n_rows
    drawn = rows_to_sample(n_rows, list(facts.values()), sample_size)
    frame = table.sample(drawn, seed=seed)
    verdicts = []
    for name in chosen:
        try:
            sample = sample_column(frame[name], sample_size=sample_size, seed=seed, name=name)
            verdicts.append(classify(gather(_with_facts(sample, facts[name]))))
        except Exception as exc:  # one odd column must not sink the scan; never log its values
            _log.warning("PII scan of column %r failed (%s)", name, type(exc).__name__)
            verdicts.append(failed_verdict(name, exc))
    estimated = sorted(c for c, f in facts.items() if not f.distinct_exact)
    counts = "row and non-null counts" if estimated else "row, non-null and distinct counts"
    notes = [
        f"Table by reference ({table.engine}): {counts} and numeric ranges are exact "
        f"over all {n_rows:,} rows; values were judged on {len(frame):,} rows drawn uniformly in the engine "
        f"(up to {sample_size:,} non-null per column; a match rate is within ±{max_half_width(sample_size):.1%} "
        "at 95%)."
    ]
    drawn_meta: dict[str, Any] = {
        "engine": table.engine,
        "rows": n_rows,
        "rows_drawn": len(frame),
        "method": "uniform without replacement, drawn in the engine",
        "exact": ["rows", "non_null", "min", "max", "integral", "consecutive", *([] if estimated else ["distinct"])],
        "match_rate_ci95_half_width": round(max_half_width(min(sample_size, len(frame))), 4),
    }
    if estimated:
        rsd = max(facts[c].distinct_rsd or 0.0 for c in estimated)
        drawn_meta["distinct_estimated"] = {"columns": estimated, "method": "HyperLogLog++", "relative_std_error": rsd}
        notes.append(distinct_estimate_note(len(estimated), rsd))
    return PIIReport(
        columns=verdicts,
        n_rows=n_rows,
        n_columns=table.n_columns,
        sample_size=sample_size,
        seed=seed,
        elapsed_s=time.perf_counter() - start,
        notes=notes,
        table=drawn_meta,
    )

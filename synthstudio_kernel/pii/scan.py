"""``scan_pii``: sample each column, gather value evidence, classify, and build a PIIReport."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ..assistant.memory import remember
from ..data.tables import by_reference, in_memory
from ..errors import ConfigError, DataError
from .classifier import ColumnVerdict, classify, failed_verdict
from .evidence import gather
from .report import PIIReport
from .sampling import DEFAULT_SAMPLE_SIZE, sample_column
from .surrogates import recognize_surrogates

_log = logging.getLogger(__name__)


def scan_pii(
    df: pd.DataFrame | Any,
    *,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    seed: int = 0,
    columns: Sequence[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> PIIReport:
    """Find personal and health identifiers in ``df``, column by column.

    Each column is judged on a uniform random sample of up to ``sample_size`` non-null rows
    (seeded by ``seed``), its name and its uniqueness. The report holds no raw values.
    ``progress(step, done, total)`` is called after each column (for a progress bar). ``df`` may be a
    table by reference (``ss.table(...)``): counts then come from the engine.
    """
    from ..log_guard import guard_third_party_logs

    guard_third_party_logs()
    table = by_reference(df)  # a DuckDB or Spark table: facts from the engine, values from a sample
    frame = _check_frame(in_memory(df)) if table is None else pd.DataFrame()
    if not isinstance(sample_size, int) or isinstance(sample_size, bool) or sample_size < 10:
        raise ConfigError("sample_size must be a whole number of at least 10 rows.")
    if table is not None:
        from .tables import scan_table

        scanned = scan_table(table, sample_size=sample_size, seed=seed, columns=columns)
        remember("pii", scanned)
        return scanned
    names = [str(c) for c in frame.columns]
    chosen = names if columns is None else [str(c) for c in columns]
    unknown = [c for c in chosen if c not in names]
    if unknown:
        raise ConfigError(f"Unknown column(s): {', '.join(map(repr, unknown))}.")
    start = time.perf_counter()
    by_name = dict(zip(names, frame.columns, strict=True))
    verdicts = []
    for done, name in enumerate(chosen, start=1):
        verdicts.append(_scan_column(frame[by_name[name]], name, sample_size=sample_size, seed=seed))
        if progress is not None:
            progress("column", done, len(chosen))
    verdicts = recognize_surrogates(verdicts, frame)
    report = PIIReport(
        columns=verdicts,
        n_rows=len(frame),
        n_columns=int(frame.shape[1]),
        sample_size=sample_size,
        seed=seed,
        elapsed_s=time.perf_counter() - start,
    )
    remember("pii", report)
    return report


def _check_frame(df: object) -> pd.DataFrame:
    if isinstance(df, pd.Series):
        df = df.to_frame()
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"scan_pii expects a pandas DataFrame, got {type(df).__name__}.")
    if df.shape[1] == 0:
        raise DataError("The table has no columns; there is nothing to scan.")
    duplicated = sorted(name for name, n in Counter(str(c) for c in df.columns).items() if n > 1)
    if duplicated:
        raise DataError(f"Duplicate column names: {', '.join(map(repr, duplicated))}. Rename them so each is unique.")
    if isinstance(df.columns, pd.MultiIndex):
        raise DataError("The table has multi-level column names; flatten them (e.g. join the levels) first.")
    return df


def _scan_column(series: pd.Series, name: str, *, sample_size: int, seed: int) -> ColumnVerdict:
    try:
        return classify(gather(sample_column(series, sample_size=sample_size, seed=seed, name=name)))
    except Exception as exc:  # one odd column must not sink the scan; never log its values
        _log.warning("PII scan of column %r failed (%s)", name, type(exc).__name__)
        return failed_verdict(name, exc)

"""A content fingerprint that ignores row and column order."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of the table's content, independent of row and column order.

    Each row is hashed over the columns in sorted-name order; the row hashes are
    sorted, so reordering rows or columns keeps the fingerprint, while changing any
    value, column name or dtype family changes it.
    """
    columns = sorted(frame.columns, key=str)
    ordered = frame[columns]
    row_hashes = np.sort(pd.util.hash_pandas_object(ordered, index=False).to_numpy(dtype="uint64"))
    digest = hashlib.sha256()
    for name in columns:
        digest.update(str(name).encode("utf-8"))
        digest.update(b"\x00")
        digest.update(_dtype_family(ordered[name]).encode("ascii"))
        digest.update(b"\x01")
    digest.update(row_hashes.tobytes())
    return digest.hexdigest()


def _dtype_family(series: pd.Series) -> str:
    return series.dtype.kind if hasattr(series.dtype, "kind") else "O"

"""The real public tables bundled with the package (see samples/README.md for sources)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pandas as pd

from ..errors import DataError

_READ_OPTIONS: dict[str, dict[str, object]] = {
    "adult": {"skipinitialspace": True, "na_values": "?"},
    "german_credit": {},
    "insurance": {},
    "customer_data": {"dtype": {"credit_card": str, "ssn": str}},
}


def sample_names() -> list[str]:
    """Names accepted by :func:`load_sample`."""
    return sorted(_READ_OPTIONS)


def load_sample(name: str) -> pd.DataFrame:
    """Read one bundled table as a DataFrame (a fresh copy each call)."""
    if name not in _READ_OPTIONS:
        raise DataError(f"Unknown sample {name!r}; choose one of: {', '.join(sample_names())}.")
    source = resources.files("synthstudio_kernel.data").joinpath("samples", f"{name}.csv.gz")
    with resources.as_file(source) as path:
        read: Callable[..., pd.DataFrame] = pd.read_csv
        return read(path, compression="gzip", **_READ_OPTIONS[name])


def sample_codebook(name: str) -> dict[str, Any]:
    """The published schema of a bundled table: ``{"categories", "public_bounds", "source"}``.

    These come from the table's documentation (never from its rows), so a DP run may declare
    them public: ``ss.train(df, ..., categories=book["categories"], public_bounds=book["public_bounds"])``.
    Tables without a published codebook raise :class:`DataError`.
    """
    if name not in _READ_OPTIONS:
        raise DataError(f"Unknown sample {name!r}; choose one of: {', '.join(sample_names())}.")
    source = resources.files("synthstudio_kernel.data").joinpath("samples", f"{name}.codebook.json")
    if not source.is_file():
        raise DataError(f"Sample {name!r} has no published codebook; declare its metadata yourself.")
    book = json.loads(source.read_text(encoding="utf-8"))
    book["public_bounds"] = {c: tuple(v) for c, v in book.get("public_bounds", {}).items()}
    return book

"""The real public tables bundled with the package (see samples/README.md for sources)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

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

"""Input checks for the ledger's public methods: each returns the clean value or raises ConfigError."""

from __future__ import annotations

import math
import operator
import re

from ...errors import ConfigError

#: Automatic datasets (trained on before being registered) are named with this prefix.
UNREGISTERED_PREFIX = "unregistered-"
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{16,64}$")
_NAME_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
_RUN_ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def check_name(name: object, *, registering: bool = False) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name.strip()):
        raise ConfigError("A dataset name is a non-empty string of at most 200 printable characters.")
    name = str(name).strip()
    if registering and name.startswith(UNREGISTERED_PREFIX):
        raise ConfigError(f"Names starting with {UNREGISTERED_PREFIX!r} are reserved for automatic datasets.")
    return name


def check_fingerprint(fingerprint: object) -> str:
    if not isinstance(fingerprint, str) or not FINGERPRINT_RE.match(fingerprint):
        raise ConfigError("A dataset fingerprint is a lower-case hex digest (Dataset.fingerprint).")
    return fingerprint


def check_rows(rows: object) -> int:
    try:
        value = operator.index(rows)  # type: ignore[arg-type]
    except TypeError:
        value = -1
    if isinstance(rows, bool) or value < 0:
        raise ConfigError("rows must be a non-negative whole number.")
    return int(value)


def check_epsilon(value: object, *, what: str, allow_zero: bool = False) -> float:
    from ...arguments import parse_number

    eps = parse_number(value, what)
    if not math.isfinite(eps) or eps < 0 or (eps == 0 and not allow_zero):
        bound = "≥ 0" if allow_zero else "> 0"
        raise ConfigError(f"{what} must be a finite number {bound}.")
    return eps


def check_delta(value: object) -> float:
    from ...arguments import parse_number

    delta = parse_number(value, "delta")
    if not math.isfinite(delta) or not 0 <= delta < 1:
        raise ConfigError("delta must be in [0, 1).")
    return delta


def check_run_id(run_id: object) -> str:
    if not isinstance(run_id, str) or not _RUN_ID_RE.match(run_id):
        raise ConfigError("A run id is 1-64 letters, digits or -_.: (e.g. uuid4().hex).")
    return run_id


def check_method(method: object) -> str:
    if not isinstance(method, str) or not 0 < len(method.strip()) <= 100:
        raise ConfigError("method must be a non-empty name such as 'dp-tvae'.")
    return method.strip()

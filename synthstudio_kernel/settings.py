"""Where Synth Studio keeps its state; read by the kernel and the server alike.

- ``SYNTHSTUDIO_HOME``: folder for the ledger and other state (default ``~/.synthstudio``).
- ``SYNTHSTUDIO_DB_URL``: any SQLAlchemy URL for the budget ledger
  (default: a SQLite file ``ledger.db`` inside ``SYNTHSTUDIO_HOME``).
- ``SYNTHSTUDIO_DEFAULT_TOTAL_EPSILON``: total budget given to a dataset that is
  used before it was registered (default 10.0).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from .errors import ConfigError

DEFAULT_TOTAL_EPSILON = 10.0


def home() -> Path:
    """The state folder, created on first use."""
    path = Path(os.environ.get("SYNTHSTUDIO_HOME") or Path.home() / ".synthstudio").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_url() -> str:
    """The ledger's database URL."""
    url = os.environ.get("SYNTHSTUDIO_DB_URL")
    if url:
        return url
    return f"sqlite:///{home() / 'ledger.db'}"


def default_total_epsilon() -> float:
    """Budget for datasets that were not registered explicitly."""
    raw = os.environ.get("SYNTHSTUDIO_DEFAULT_TOTAL_EPSILON")
    if raw is None:
        return DEFAULT_TOTAL_EPSILON
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError("SYNTHSTUDIO_DEFAULT_TOTAL_EPSILON must be a number.") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigError("SYNTHSTUDIO_DEFAULT_TOTAL_EPSILON must be a positive finite number.")
    return value


#: Seconds a ledger write waits for another process's lock before "ledger busy".
DEFAULT_LEDGER_LOCK_TIMEOUT_S = 5.0


def ledger_lock_timeout() -> float:
    """Seconds to wait for the ledger's write lock (``SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT``, default 5)."""
    raw = os.environ.get("SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT")
    if raw is None or not raw.strip():
        return DEFAULT_LEDGER_LOCK_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError("SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT must be a number of seconds.") from None
    if not math.isfinite(value) or value < 0 or value > 3600:
        raise ConfigError("SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT must be between 0 and 3600 seconds.")
    return value


def out_dir() -> Path:
    """Default folder for files Synth Studio writes unasked (``SYNTHSTUDIO_OUT_DIR``, default ``./out``)."""
    raw = os.environ.get("SYNTHSTUDIO_OUT_DIR")
    return Path(raw).expanduser() if raw and raw.strip() else Path("out")

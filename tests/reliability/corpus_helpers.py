"""Shared pieces of the bad-input corpus: a table full of secrets, and a snapshot of
everything a failed call must leave unchanged (the ledger's budgets and runs, the files)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: Values that exist only inside the data: no error message may ever quote them.
SECRETS = ("Xylo-Secret-Value-4471", "zq-8812@hidden.example", "555-66-7777", "Qx-Hidden-Hamlet-55")
N_ROWS = 240


def secret_table(rows: int = N_ROWS) -> pd.DataFrame:
    """Numbers, a categorical with a secret category, and secret text values (each once)."""
    rng = np.random.default_rng(5)
    city = rng.choice(["north", "south", "east", "west"], size=rows).astype(object)
    city[13] = SECRETS[3]
    note = rng.choice(["alpha", "beta", "gamma"], size=rows).astype(object)
    note[3], note[4], note[5] = SECRETS[0], SECRETS[1], SECRETS[2]
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=rows),
            "income": rng.normal(50_000, 9_000, size=rows).round(2),
            "city": city,
            "note": note,
        }
    )


@dataclass(frozen=True)
class State:
    """What a failed call must not change."""

    budgets: tuple[tuple[str, float, float, float], ...]
    runs: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, str], ...]


def snapshot(folder: Path) -> State:
    """Budgets and non-refused runs of the current ledger, and every file under ``folder``."""
    from synthstudio_kernel.privacy.ledger import get_ledger

    ledger = get_ledger()
    budgets = tuple(
        sorted((s.dataset.name, round(s.spent, 9), round(s.reserved, 9), s.total) for s in ledger.budgets(run_limit=0))
    )
    runs = tuple(sorted((r.id, r.status) for r in ledger.list_runs(limit=10_000) if r.status != "refused"))
    files = tuple(
        sorted(
            (str(p.relative_to(folder)), hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in folder.rglob("*")
        )
    )
    return State(budgets, runs, files)


def assert_one_clean_line(message: str) -> None:
    """One readable line that quotes no secret."""
    assert message.strip(), "empty error message"
    assert "\n" not in message, f"more than one line: {message!r}"
    assert len(message) < 700, f"too long for one line: {len(message)} characters"
    assert "Traceback" not in message
    for secret in SECRETS:
        assert secret not in message, "the message quotes a data value"

"""A table with every column kind, missing numbers and missing categories evaluates end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthstudio_kernel.evaluation import Scorecard, evaluate


def _table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "id": np.arange(n) + seed * 10_000,
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "amount": np.where(rng.random(n) < 0.1, np.nan, np.exp(x)),
            "active": rng.random(n) < 0.3,
            "segment": rng.choice(["a", "b", "c", None], n),
            "churn": np.where(x + rng.normal(size=n) > 0.5, "yes", "no"),
        }
    )


def test_every_kind_is_handled(small) -> None:
    # Setup
    np.random.seed(123)
    global_state = np.random.get_state()[1].copy()

    # Run
    card: Scorecard = evaluate(_table(600, 0), _table(600, 1), holdout=_table(300, 2), limits=small)

    # Assert
    data = card.to_dict()["data"]
    assert [e["column"] for e in data["columns_excluded"]] == ["id"]
    assert data["roles"] == {
        "when": "numeric",
        "amount": "numeric",
        "active": "categorical",
        "segment": "categorical",
        "churn": "categorical",
    }
    assert card.utility["details"]["target"]["column"] == "churn"
    assert card.scores["utility"] is not None and card.scores["utility"] > 0.5  # same generating process
    anonymeter = card.privacy["details"]["anonymeter"]
    assert anonymeter["singling_out"]["risk"] is not None and anonymeter["linkability"]["risk"] is not None
    assert all(s["risk"] is not None for s in anonymeter["inference"]["secrets"])
    rates = {m["column"]: m for m in card.fidelity["details"]["diagnostics"]["missing_rates"]}
    assert 0.05 < rates["amount"]["real"] < 0.2 and 0.15 < rates["segment"]["synthetic"] < 0.35
    assert card.scores["fidelity"] > 0.85
    assert (np.random.get_state()[1] == global_state).all()  # seeded steps restore the global RNG

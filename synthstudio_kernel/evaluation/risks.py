"""Anonymeter's three GDPR-style risks (singling out, linkability, inference), with
95 % confidence intervals.

With a control set (holdout rows the generator never saw) each risk is Anonymeter's
*excess* risk: how much better the attack does on training rows than on control rows,
which is what the synthetic data leaks beyond population-level facts.

Reproducible for a given seed (Anonymeter samples its targets from NumPy's global RNG,
which is seeded for the run and restored afterwards), except the linkability baseline:
Anonymeter draws its random-guess links from a fresh unseeded generator. It only feeds
``baseline_rate`` and ``better_than_baseline``, never the risk itself. Without one, only
the raw attack success rate is known, which mixes leakage with what anyone could infer
from the population; the result says so and the privacy score does not use it.
"""

from __future__ import annotations

import logging
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..synthesis.seeding import seeded
from ._util import num

CONFIDENCE = 0.95
#: Columns combined in one singling-out query (Anonymeter's default).
SINGLING_OUT_COLUMNS = 3
#: Secrets attacked by the inference evaluator: the target plus this many other columns.
EXTRA_SECRETS = 1


def anonymeter_risks(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame | None,
    *,
    columns: list[str],
    numeric: list[str],
    target: str | None,
    attacks: int,
    seed: int,
) -> dict[str, Any]:
    """Run the three evaluators and return their risks (JSON-safe)."""
    start = time.perf_counter()
    # Anonymeter draws its targets from NumPy's global RNG: seed it for the block, then restore it.
    with seeded(seed), warnings.catch_warnings(record=True) as records, _quiet_anonymeter():
        warnings.simplefilter("always")
        singling = _guard(lambda: _singling_out(train, synthetic, control, columns, attacks, seed))
        linkability = _guard(lambda: _linkability(train, synthetic, control, columns, attacks))
        secrets = pick_secrets(columns, target, seed)
        inference = [
            {
                "secret": s,
                **_guard(lambda s=s: _inference(train, synthetic, control, columns, s, s in numeric, attacks)),
            }
            for s in secrets
        ]
    caught = sorted({str(r.message).split(".")[0] for r in records if "anonymeter" in (r.filename or "")})
    inference_risks = [r["risk"] for r in inference if r.get("risk") is not None]
    return {
        "relative_to_control": control is not None,
        "risk_kind": "excess risk over the control set"
        if control is not None
        else "attack success rate (no control set)",
        "confidence_level": CONFIDENCE,
        "singling_out": singling,
        "linkability": linkability,
        "inference": {"max_risk": max(inference_risks) if inference_risks else None, "secrets": inference},
        "rows": {
            "train": len(train),
            "synthetic": len(synthetic),
            "control": None if control is None else len(control),
        },
        "warnings": caught[:5],
        "seconds": round(time.perf_counter() - start, 3),
    }


def max_risk(result: dict[str, Any], *, demonstrated: bool = False) -> float | None:
    """The largest risk among the three attacks (None when none was measured).

    ``demonstrated=True`` takes each risk's lower confidence bound: the risk shown to
    exist at the confidence level, robust to the noise of a few hundred attacks.
    """
    records = [result["singling_out"], result["linkability"], *result["inference"]["secrets"]]
    if demonstrated:
        values = [r["ci"][0] for r in records if r.get("risk") is not None and r["ci"][0] is not None]
    else:
        values = [r["risk"] for r in records if r.get("risk") is not None]
    return max(values) if values else None


def pick_secrets(columns: list[str], target: str | None, seed: int) -> list[str]:
    """The target (when known) and up to :data:`EXTRA_SECRETS` other columns, chosen at random."""
    others = [c for c in columns if c != target]
    rng = np.random.default_rng(seed)
    chosen = list(rng.choice(others, size=min(EXTRA_SECRETS, len(others)), replace=False)) if others else []
    return ([target] if target in columns else []) + [str(c) for c in chosen]


def _singling_out(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame | None,
    columns: list[str],
    attacks: int,
    seed: int,
) -> dict[str, Any]:
    from anonymeter.evaluators import SinglingOutEvaluator

    n_cols = min(SINGLING_OUT_COLUMNS, len(columns))
    evaluator = SinglingOutEvaluator(
        ori=train[columns],
        syn=synthetic[columns],
        control=None if control is None else control[columns],
        n_attacks=attacks,
        n_cols=n_cols,
        max_attempts=max(20 * attacks, 2_000),
        seed=seed,
    )
    evaluator.evaluate(mode="multivariate" if n_cols > 1 else "univariate")
    return {
        **_risk(evaluator.results(confidence_level=CONFIDENCE)),
        "n_cols": n_cols,
        "queries": len(evaluator.queries()),
    }


def _linkability(
    train: pd.DataFrame, synthetic: pd.DataFrame, control: pd.DataFrame | None, columns: list[str], attacks: int
) -> dict[str, Any]:
    from anonymeter.evaluators import LinkabilityEvaluator

    if len(columns) < 2:
        return {"risk": None, "not_measured": "linkability needs at least two columns"}
    aux = (columns[0::2], columns[1::2])
    evaluator = LinkabilityEvaluator(
        ori=train[columns],
        syn=synthetic[columns],
        aux_cols=aux,
        n_attacks=min(attacks, len(train), len(control) if control is not None else len(train)),
        n_neighbors=1,
        control=None if control is None else control[columns],
    )
    evaluator.evaluate(n_jobs=1)
    return {**_risk(evaluator.results(confidence_level=CONFIDENCE)), "aux_columns": [list(aux[0]), list(aux[1])]}


def _inference(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame | None,
    columns: list[str],
    secret: str,
    regression: bool,
    attacks: int,
) -> dict[str, Any]:
    from anonymeter.evaluators import InferenceEvaluator

    aux = [c for c in columns if c != secret]
    if not aux:
        return {"risk": None, "not_measured": "inference needs at least one other column"}
    evaluator = InferenceEvaluator(
        ori=train[columns],
        syn=synthetic[columns],
        aux_cols=aux,
        secret=secret,
        regression=regression,
        n_attacks=attacks,
        control=None if control is None else control[columns],
    )
    evaluator.evaluate(n_jobs=1)
    return _risk(evaluator.results(confidence_level=CONFIDENCE))


def _risk(results: Any) -> dict[str, Any]:
    risk = results.risk()
    out: dict[str, Any] = {
        "risk": num(risk.value),
        "ci": [num(risk.ci[0]), num(risk.ci[1])],
        "attack_rate": _rate(results.attack_rate),
        "baseline_rate": _rate(results.baseline_rate),
        "control_rate": None if results.control_rate is None else _rate(results.control_rate),
        "n_attacks": int(results.n_attacks_ori),
        # Anonymeter's own sanity check: an attack no better than random guessing cannot be trusted.
        "better_than_baseline": bool(results.attack_rate.value > results.baseline_rate.value),
    }
    return out


def _rate(rate: Any) -> dict[str, float | None]:
    return {"value": num(rate.value), "error": num(rate.error)}


def _guard(compute: Any) -> dict[str, Any]:
    """Run one evaluator; a failure becomes "not measured" with the error type, not a crash."""
    try:
        result: dict[str, Any] = compute()
        return result
    except Exception as exc:  # an attack that cannot run on this table must not sink the scorecard
        logging.getLogger(__name__).debug("anonymeter evaluator failed", exc_info=True)
        return {"risk": None, "not_measured": f"the evaluator failed ({type(exc).__name__})"}


class _quiet_anonymeter:
    """Silence Anonymeter's logger (it warns per attack) for the duration of a block."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("anonymeter")
        self._level = self._logger.level
        self._logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)

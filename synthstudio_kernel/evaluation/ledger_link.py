"""Link a scorecard to the ledger run that produced the synthetic table.

``TrainedModel.sample`` stamps ``frame.attrs["synthstudio_run_id"]``. When the ledger
knows that run, the evaluation reads its formal guarantee (ε, δ of a DP run) for the
verdicts, and attaches its scores under the run's facts key ``"evaluation"``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..data.attrs import RUN_ID as RUN_ID_ATTR
from ..errors import SynthStudioError

FACTS_KEY = "evaluation"
#: The scorecard digest (:mod:`.digest`) that the assistant reads back from the ledger.
DIGEST_KEY = "evaluation_digest"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunLink:
    """What the ledger says about the synthetic table's run."""

    run_id: str | None
    status: str  # "no run id" | "found" | "unknown run" | "ledger unavailable"
    method: str | None = None
    private: bool = False
    epsilon: float | None = None
    delta: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "method": self.method,
            "guarantee": "differential privacy" if self.private else "none",
            "epsilon": self.epsilon,
            "delta": self.delta,
        }


def run_id_of(synthetic: pd.DataFrame) -> str | None:
    value = getattr(synthetic, "attrs", {}).get(RUN_ID_ATTR)
    return str(value) if value else None


def look_up(run_id: str | None) -> RunLink:
    """The run's method and formal guarantee, or why they are unknown."""
    if run_id is None:
        return RunLink(None, "no run id")
    try:
        from ..privacy.ledger import get_ledger

        run = get_ledger().get_run(run_id)
    except (ImportError, SynthStudioError):
        _log.debug("ledger unavailable", exc_info=True)
        return RunLink(run_id, "ledger unavailable")
    if run is None:
        return RunLink(run_id, "unknown run")
    private = bool(getattr(run, "private", False))
    epsilon = getattr(run, "epsilon_spent", None) if private else None
    return RunLink(
        run_id,
        "found",
        method=getattr(run, "method", None),
        private=private,
        epsilon=None if epsilon is None else float(epsilon),
        delta=getattr(run, "delta", None) if private else None,
    )


def attach(link: RunLink, facts: dict[str, Any], key: str = FACTS_KEY) -> bool:
    """Store ``facts`` on the run under ``key``; False (logged, not raised) when that is impossible."""
    if link.status != "found" or link.run_id is None:
        return False
    try:
        from ..privacy.ledger import get_ledger

        get_ledger().attach_facts(link.run_id, key, facts)
    except (ImportError, SynthStudioError):
        _log.warning("Could not attach the evaluation to run %s in the ledger.", link.run_id, exc_info=True)
        return False
    return True

"""The one adapter between recorded run facts and compliance documents.

Everything compliance reads about a run goes through :class:`RunSource`: the ledger run
(authoritative: status, ε spent, accounting, attached facts), the trained model's own run
record and privacy report when a model is given, and the scorecard when one is passed. When
a field is renamed where it is recorded, only this module changes.

Internal facts (owner-only: PII apply counts, raw training losses, exact counts) are read here
too, and are marked as such by the facts builder; they never enter a released document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError

#: Run-facts key under which compliance keeps the scorecard's privacy evidence (aggregates only).
EVIDENCE_KEY = "privacy_evidence"


@dataclass
class RunSource:
    """What was recorded about one run (JSON-safe dicts)."""

    ledger_run: dict[str, Any]
    model_run: dict[str, Any] | None = None
    privacy_report: dict[str, Any] | None = None
    scorecard: dict[str, Any] | None = None
    budget: dict[str, Any] | None = None
    fingerprint: str | None = field(default=None, repr=False)  # internal: only ever used keyed

    # -- identity ---------------------------------------------------------------------------
    @property
    def run_id(self) -> str:
        return str(self.ledger_run["id"])

    @property
    def dataset(self) -> str | None:
        return self.ledger_run.get("dataset_name")

    @property
    def method(self) -> str:
        return str(self.ledger_run.get("method") or "unknown")

    @property
    def status(self) -> str:
        return str(self.ledger_run.get("status") or "unknown")

    @property
    def private(self) -> bool:
        return bool(self.ledger_run.get("private"))

    @property
    def started_at(self) -> str | None:
        return self.ledger_run.get("started_at")

    @property
    def finished_at(self) -> str | None:
        return self.ledger_run.get("finished_at")

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.ledger_run.get("params") or {})

    @property
    def versions(self) -> dict[str, str]:
        return dict((self.model_run or {}).get("versions") or {})

    # -- privacy ----------------------------------------------------------------------------
    @property
    def accounting(self) -> dict[str, Any]:
        return dict(self.ledger_run.get("accounting") or {})

    def privacy(self, key: str) -> Any:
        """A DP accounting fact: the privacy report first, then the ledger's accounting."""
        report = self.privacy_report or {}
        if report.get(key) is not None:
            return report[key]
        return self.accounting.get(key)

    @property
    def epsilon_spent(self) -> float | None:
        value = self.ledger_run.get("epsilon_spent")
        return None if value is None or not self.private else float(value)

    @property
    def epsilon_target(self) -> float | None:
        value = self.ledger_run.get("epsilon_target")
        return None if value is None else float(value)

    @property
    def delta(self) -> float | None:
        value = self.ledger_run.get("delta")
        return None if value is None or not self.private else float(value)

    @property
    def mechanisms(self) -> list[dict[str, Any]]:
        return [dict(m) for m in self.accounting.get("mechanisms") or []]

    @property
    def unit_of_privacy(self) -> str | None:
        return self.privacy("unit_of_privacy")

    # -- attached facts ---------------------------------------------------------------------
    @property
    def facts(self) -> dict[str, Any]:
        merged = dict((self.model_run or {}).get("facts") or {})
        merged.update(self.ledger_run.get("facts") or {})
        return merged

    @property
    def pii(self) -> dict[str, Any] | None:
        value = self.facts.get("pii")
        return dict(value) if isinstance(value, Mapping) else None

    @property
    def safety(self) -> dict[str, Any] | None:
        value = self.facts.get("safety")
        return dict(value) if isinstance(value, Mapping) else None

    @property
    def evaluation_summary(self) -> dict[str, Any] | None:
        value = self.facts.get("evaluation")
        return dict(value) if isinstance(value, Mapping) else None

    @property
    def training(self) -> dict[str, Any] | None:
        value = self.facts.get("training")
        return dict(value) if isinstance(value, Mapping) else None

    # -- scorecard ----------------------------------------------------------------------------
    def score(self, name: str) -> float | None:
        if self.scorecard:
            value = (self.scorecard.get("scores") or {}).get(name)
            return None if value is None else float(value)
        value = (self.evaluation_summary or {}).get(name)
        return None if value is None else float(value)

    @property
    def privacy_details(self) -> dict[str, Any]:
        if self.scorecard:
            return dict((self.scorecard.get("privacy") or {}).get("details") or {})
        stored = self.facts.get(EVIDENCE_KEY)
        return dict(stored.get("details") or {}) if isinstance(stored, Mapping) else {}

    @property
    def evaluated_at(self) -> str | None:
        if self.scorecard:
            return self.scorecard.get("created_at")
        return (self.evaluation_summary or {}).get("evaluated_at")

    def evidence_to_store(self) -> dict[str, Any] | None:
        """The scorecard's privacy evidence to keep in the ledger (Anonymeter, MIA, DCR; aggregates)."""
        if not self.scorecard:
            return None
        details = dict((self.scorecard.get("privacy") or {}).get("details") or {})
        keep = ("exact_copies", "closer_share", "dcr", "membership_inference", "anonymeter")
        return {
            "details": {k: details[k] for k in keep if k in details},
            "evaluated_at": self.scorecard.get("created_at"),
            "versions": self.scorecard.get("versions"),
        }

    @property
    def holdout_used(self) -> bool | None:
        if self.scorecard:
            return bool(
                (self.scorecard.get("data") or {}).get("holdout_rows") or self.privacy_details.get("closer_share")
            )
        value = (self.evaluation_summary or {}).get("holdout")
        return None if value is None else bool(value)


def read_source(model_or_run: Any, *, ledger: Any, scorecard: Any = None) -> RunSource:
    """Gather what was recorded about a run: a TrainedModel, a RunRecord, a LedgerRun or a run id."""
    model_run: dict[str, Any] | None = None
    privacy_report: dict[str, Any] | None = None
    if hasattr(model_or_run, "privacy_report") and hasattr(model_or_run, "run"):
        model_run = model_or_run.run.to_dict()
        privacy_report = dict(model_or_run.privacy_report().to_dict())
        run_id = model_run["id"]
    elif isinstance(model_or_run, str):
        run_id = model_or_run
    elif hasattr(model_or_run, "id"):
        run_id = str(model_or_run.id)
        if hasattr(model_or_run, "dataset_fingerprint"):
            model_run = model_or_run.to_dict()
    else:
        raise ConfigError("Pass a trained model, a run (model.run) or a run id.")
    run = ledger.get_run(run_id)
    if run is None:
        raise ConfigError(
            f"Run {str(run_id)[:12]} is not in the privacy ledger at {ledger.display_url}; reports are built "
            "from recorded facts only, so train with this ledger (SYNTHSTUDIO_HOME) first."
        )
    record = ledger.get_dataset(run.dataset_id)
    budget = ledger.budget(run.dataset_id, run_limit=0).to_dict()
    card = scorecard.to_dict() if hasattr(scorecard, "to_dict") else (dict(scorecard) if scorecard else None)
    if card is not None and (card.get("run") or {}).get("run_id") not in (None, run_id):
        raise ConfigError("The scorecard belongs to another run; evaluate this run's synthetic data.")
    return RunSource(
        ledger_run=run.to_dict(),
        model_run=model_run,
        privacy_report=privacy_report,
        scorecard=card,
        budget=budget,
        fingerprint=record.fingerprint,
    )

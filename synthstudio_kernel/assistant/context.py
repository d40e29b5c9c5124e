"""What a question is about: the run, its scorecard, privacy report, budget and PII report.

``context`` may be None (the kernel's latest objects, else the ledger's latest run), a
TrainedModel, a Scorecard (or its dict), a PIIReport, a run id or a dataset name. The
ledger fills what the kernel does not hold (the persona, in the server, only has the ledger).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, SynthStudioError
from . import adapter, memory

_log = logging.getLogger(__name__)


@dataclass
class Evidence:
    """The views the answers read (see :mod:`.adapter`) and where each came from."""

    run: dict[str, Any] | None = None
    run_source: str = ""
    privacy: dict[str, Any] | None = None
    privacy_source: str = ""
    scorecard: dict[str, Any] | None = None
    scorecard_source: str = ""
    budget: dict[str, Any] | None = None
    pii: dict[str, Any] | None = None
    pii_source: str = ""
    ledger_available: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def run_id(self) -> str | None:
        if self.run:
            return str(self.run["run_id"])
        if self.scorecard:
            return adapter.scorecard_run_id(self.scorecard)
        return None

    @property
    def dataset(self) -> str | None:
        if self.budget:
            return str(self.budget["dataset"])
        return None if not self.run else self.run.get("dataset")

    def describe(self) -> str:
        """One line: what the answer is about."""
        parts = []
        if self.run:
            parts.append(f"run {short(self.run['run_id'])} ({self.run['method']})")
        elif self.scorecard:
            parts.append("a scorecard not linked to a run")
        if self.dataset:
            parts.append(f"dataset {self.dataset!r}")
        if self.pii and not parts:
            parts.append("the latest PII scan")
        return ", ".join(parts) or "nothing recorded yet"


def short(run_id: str) -> str:
    return str(run_id)[:12]


def resolve(context: Any = None, *, use_memory: bool = True) -> Evidence:
    """The evidence for ``context`` (see the module docstring)."""
    ev = Evidence()
    if context is None:
        _from_memory(ev) if use_memory else None
        if ev.run is None and ev.scorecard is None:
            _latest_ledger_run(ev)
    elif adapter.is_model(context):
        _from_model(ev, context)
    elif adapter.is_scorecard(context):
        _from_scorecard(ev, context, "the scorecard passed as context")
    elif adapter.is_pii_report(context):
        ev.pii, ev.pii_source = adapter.pii_view(context), "the PII report passed as context"
    elif isinstance(context, str):
        _from_name(ev, context)
    else:
        raise ConfigError(
            f"ss.ask cannot use a {type(context).__name__} as context; pass a model, a scorecard, a run id or a "
            "dataset name."
        )
    _fill_from_ledger(ev)
    if ev.pii is None and use_memory and memory.latest("pii") is not None:
        ev.pii, ev.pii_source = adapter.pii_view(memory.latest("pii")), "the latest PII scan in this kernel"
    return ev


# --- sources ------------------------------------------------------------------------------


def _from_memory(ev: Evidence) -> None:
    model, card = memory.latest("model"), memory.latest("scorecard")
    card_run = adapter.scorecard_run_id(adapter.scorecard_view(card)) if card is not None else None
    if card is not None and (model is None or card_run not in (None, adapter.model_run_id(model))):
        _from_scorecard(ev, card, "the latest scorecard in this kernel")
    elif model is not None:
        _from_model(ev, model)
        if ev.scorecard is None and card is not None:  # a scorecard of a table that lost its run id
            ev.scorecard, ev.scorecard_source = adapter.scorecard_view(card), "the latest scorecard in this kernel"
            ev.notes.append("The latest scorecard is not linked to a run; it is read beside the latest model.")
    dataset = memory.latest("dataset")
    if ev.run is None and dataset is not None:
        _budget(ev, str(dataset))


def _from_model(ev: Evidence, model: Any) -> None:
    ev.run, ev.run_source = adapter.model_run_view(model), f"run record of model {short(adapter.model_run_id(model))}"
    ev.privacy = adapter.model_privacy_view(model)
    ev.privacy_source = f"privacy report of run {short(adapter.model_run_id(model))}"
    for card in reversed(memory.history("scorecard")):
        view = adapter.scorecard_view(card)
        if adapter.scorecard_run_id(view) == adapter.model_run_id(model):
            ev.scorecard, ev.scorecard_source = (
                view,
                f"scorecard of run {short(adapter.model_run_id(model))} (this kernel)",
            )
            break


def _from_scorecard(ev: Evidence, card: Any, where: str) -> None:
    view = adapter.scorecard_view(card)
    run_id = adapter.scorecard_run_id(view)
    ev.scorecard = view
    ev.scorecard_source = f"scorecard of run {short(run_id)}" if run_id else where
    if run_id:
        for model in reversed(memory.history("model")):
            if adapter.model_run_id(model) == run_id:
                ev.run, ev.run_source = adapter.model_run_view(model), f"run record of model {short(run_id)}"
                ev.privacy = adapter.model_privacy_view(model)
                ev.privacy_source = f"privacy report of run {short(run_id)}"
                break


def _from_name(ev: Evidence, name: str) -> None:
    ledger = _ledger(ev)
    if ledger is None:
        raise ConfigError(f"The privacy ledger is unavailable, so {name!r} cannot be looked up.")
    run = ledger.get_run(name)
    if run is None:
        matches = [r for r in ledger.list_runs(limit=200) if r.id.startswith(name)] if len(name) >= 6 else []
        run = matches[0] if len(matches) == 1 else None
    if run is not None:
        _ledger_run(ev, run)
        return
    if ledger.find_dataset(name) is not None:
        _budget(ev, name)
        runs = ledger.list_runs(name, limit=1)
        if runs:
            _ledger_run(ev, runs[0])
        return
    raise ConfigError(f"No run or dataset named {name!r} in the privacy ledger; check ss.budget() for the names.")


def _latest_ledger_run(ev: Evidence) -> None:
    ledger = _ledger(ev)
    if ledger is None:
        return
    runs = ledger.list_runs(limit=20)
    evaluated = [r for r in runs if adapter.ledger_scorecard_view(r) is not None]
    chosen = evaluated[0] if evaluated else (runs[0] if runs else None)
    if chosen is not None:
        _ledger_run(ev, chosen)


def _ledger_run(ev: Evidence, run: Any) -> None:
    ev.run, ev.run_source = adapter.ledger_run_view(run), f"ledger: run {short(run.id)}"
    ev.privacy, ev.privacy_source = adapter.ledger_privacy_view(run), f"ledger: run {short(run.id)} accounting"
    view = adapter.ledger_scorecard_view(run)
    if view is not None and ev.scorecard is None:
        ev.scorecard, ev.scorecard_source = view, f"ledger: run {short(run.id)} evaluation"


def _fill_from_ledger(ev: Evidence) -> None:
    """Complete the evidence with what the ledger knows about its run and dataset."""
    run_id = ev.run_id
    ledger = _ledger(ev) if (run_id or ev.dataset) else None
    if ledger is None:
        return
    if run_id and (ev.run is None or ev.scorecard is None):
        try:
            run = ledger.get_run(run_id)
        except SynthStudioError:
            run = None
        if run is not None:
            if ev.run is None:
                ev.run, ev.run_source = adapter.ledger_run_view(run), f"ledger: run {short(run.id)}"
                ev.privacy = adapter.ledger_privacy_view(run)
                ev.privacy_source = f"ledger: run {short(run.id)} accounting"
            if ev.scorecard is None:
                view = adapter.ledger_scorecard_view(run)
                if view is not None:
                    ev.scorecard, ev.scorecard_source = view, f"ledger: run {short(run.id)} evaluation"
    if ev.budget is None and ev.dataset:
        _budget(ev, ev.dataset)


def _budget(ev: Evidence, dataset: str) -> None:
    ledger = _ledger(ev)
    if ledger is None:
        return
    try:
        ev.budget = adapter.budget_view(ledger.budget(dataset, run_limit=20))
    except SynthStudioError:
        _log.debug("no budget for %s", dataset, exc_info=True)


def _ledger(ev: Evidence) -> Any:
    if not ev.ledger_available:
        return None
    try:
        from ..privacy.ledger import get_ledger

        return get_ledger()
    except (ImportError, SynthStudioError):
        _log.debug("ledger unavailable", exc_info=True)
        ev.ledger_available = False
        ev.notes.append("The privacy ledger is unavailable, so only this kernel's objects were read.")
        return None


def ledger_runs(dataset: str | None = None, limit: int = 20) -> list[Any]:
    """Recent ledger runs (newest first), empty when the ledger is unavailable."""
    try:
        from ..privacy.ledger import get_ledger

        return list(get_ledger().list_runs(dataset, limit=limit))
    except (ImportError, SynthStudioError):
        return []


def all_budgets() -> list[dict[str, Any]]:
    """Every dataset's budget view, empty when the ledger is unavailable."""
    try:
        from ..privacy.ledger import get_ledger

        return [adapter.budget_view(status) for status in get_ledger().budgets(run_limit=5)]
    except (ImportError, SynthStudioError):
        return []

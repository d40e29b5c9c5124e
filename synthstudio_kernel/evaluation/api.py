"""``evaluate(real, synthetic, holdout=None, target=None) -> Scorecard``."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import pandas as pd

from ..assistant.memory import remember
from ..data import Dataset
from . import ledger_link
from ._threads import limited_threads
from .digest import digest
from .fidelity import fidelity_report
from .leakage import privacy_report
from .plots import plot_data
from .sampling import SampleLimits, SampleLog
from .scorecard import Scorecard, jsonsafe
from .tables import frame_of, prepare_tables
from .utility import utility_report
from .verdicts import Facts, all_verdicts, thresholds

#: progress(step, done, total): called before each step and once at the end.
Progress = Callable[[str, int, int], None]
_STEPS = ("preparing", "fidelity", "utility", "privacy", "plots", "verdicts")
_VERSIONED = ("synthstudio_kernel", "sdmetrics", "anonymeter", "scikit-learn", "pandas", "numpy")


def evaluate(
    real: pd.DataFrame | Dataset,
    synthetic: pd.DataFrame | Dataset,
    holdout: pd.DataFrame | Dataset | None = None,
    target: str | None = None,
    *,
    seed: int = 0,
    limits: SampleLimits | None = None,
    progress: Progress | None = None,
    attach: bool = True,
) -> Scorecard:
    """Score how faithful, useful and private ``synthetic`` is with respect to ``real``.

    ``real`` is the table the generator was trained on; ``holdout`` (optional but
    recommended) holds real rows it never saw: it is the test set for utility and the
    yardstick for every privacy attack. ``target`` is the column to predict (inferred when
    None; the choice and its reason are stated). Large tables are subsampled per step
    (``limits``); the sizes used are listed in ``scorecard.sampling``. When the synthetic
    frame carries ``attrs["synthstudio_run_id"]`` and the ledger knows the run, the scores
    are attached to it (``attach=False`` to skip).
    """
    from ..log_guard import guard_third_party_logs

    guard_third_party_logs()
    with limited_threads():
        return _evaluate(real, synthetic, holdout, target, seed, limits or SampleLimits(), progress, attach)


def _evaluate(
    real: pd.DataFrame | Dataset,
    synthetic: pd.DataFrame | Dataset,
    holdout: pd.DataFrame | Dataset | None,
    target: str | None,
    seed: int,
    limits: SampleLimits,
    progress: Progress | None,
    attach: bool,
) -> Scorecard:
    log = SampleLog()
    timings: dict[str, float] = {}
    report = progress or (lambda step, done, total: None)

    def step(index: int, name: str) -> float:
        report(name, index, len(_STEPS))
        return time.perf_counter()

    clock = step(0, "preparing")
    tables = prepare_tables(real, synthetic, holdout)
    link = ledger_link.look_up(ledger_link.run_id_of(frame_of(synthetic)))
    timings["preparing"] = time.perf_counter() - clock

    clock = step(1, "fidelity")
    fidelity = fidelity_report(tables, limits=limits, log=log, seed=seed)
    timings["fidelity"] = time.perf_counter() - clock

    clock = step(2, "utility")
    utility = utility_report(tables, target=target, limits=limits, log=log, seed=seed)
    timings["utility"] = time.perf_counter() - clock
    chosen_target = utility["details"].get("target", {}).get("column")

    clock = step(3, "privacy")
    privacy = privacy_report(tables, target=chosen_target, limits=limits, log=log, seed=seed)
    distances = privacy["details"].pop("_histograms", None)
    timings["privacy"] = time.perf_counter() - clock

    clock = step(4, "plots")
    plots = plot_data(tables, distances, limits=limits, log=log, seed=seed)
    timings["plots"] = time.perf_counter() - clock

    clock = step(5, "verdicts")
    membership = privacy["details"].get("membership_inference") or {}
    facts = Facts(
        fidelity=fidelity["score"],
        utility=utility["score"],
        privacy=privacy["score"],
        excess_copy_rate=privacy["details"]["exact_copies"]["excess_rate"],
        membership_auc=membership.get("max_auc"),
        has_holdout=tables.has_holdout,
        dp_epsilon=link.epsilon if link.private else None,
        guarantee=("differential privacy" if link.private else "none") if link.status == "found" else "unknown",
    )
    card = Scorecard(
        fidelity=jsonsafe(fidelity),
        utility=jsonsafe(utility),
        privacy=jsonsafe(privacy),
        verdicts=all_verdicts(facts),
        thresholds=thresholds(),
        data=tables.summary(),
        sampling=log.to_list(),
        run={**link.to_dict(), "attached": False},
        notes=_notes(tables, log, link),
        timings={},
        versions=_versions(),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seed=seed,
        plot_data=plots,
    )
    timings["verdicts"] = time.perf_counter() - clock
    card.timings = {k: round(v, 3) for k, v in timings.items()}
    if attach:
        card.run["attached"] = ledger_link.attach(link, card.ledger_facts())
        if card.run["attached"]:
            ledger_link.attach(link, digest(card.to_dict()), key=ledger_link.DIGEST_KEY)
    remember("scorecard", card)
    report("done", len(_STEPS), len(_STEPS))
    return card


def _notes(tables: Any, log: SampleLog, link: ledger_link.RunLink) -> list[str]:
    notes = []
    if not tables.has_holdout:
        notes.append(
            "No holdout was given: membership inference, the closer-to-train share, the DCR ratio and "
            "Anonymeter's risks against a control set cannot be measured (its attacks are scored against "
            "random guessing instead), and utility is tested on a split of the training "
            "data. Keep 20% of the real rows out of training and pass them as holdout=..."
        )
    if tables.excluded:
        notes.append(f"{len(tables.excluded)} column(s) were left out of the evaluation (identifiers or free text).")
    if tables.extra_synthetic_columns:
        notes.append(
            f"{len(tables.extra_synthetic_columns)} synthetic column(s) absent from the real table were ignored."
        )
    if log.subsampled:
        notes.append("Large tables were subsampled for some steps; the sizes are listed under sampling.")
    if link.status == "found" and not link.private:
        notes.append(f"The synthetic data comes from {link.method}, which has no formal privacy guarantee.")
    elif link.status in ("unknown run", "ledger unavailable"):
        notes.append(
            f"The synthetic table names run {link.run_id}, but the ledger could not provide it ({link.status})."
        )
    return notes


def _versions() -> dict[str, str]:
    out = {}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out

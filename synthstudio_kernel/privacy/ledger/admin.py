"""Ledger administration: an integrity check and settling stale reservations.

A DP run reserves its ε before it touches the data and settles it afterwards. When the
process dies in between (kill -9, a crashed kernel, a power cut), the reservation stays
and keeps counting against the budget, because the ledger cannot know how much of the
data the run saw. :func:`settle_stale` closes such runs as ``failed`` and charges the
whole reservation (the conservative choice: nothing the run may have spent is forgotten,
and nothing is charged twice: the reservation is released in the same transaction).

:func:`check_ledger` verifies the database (``PRAGMA integrity_check`` on SQLite) and
the journal's invariants, and lists open reservations with their age. From a shell::

    python -m synthstudio_kernel.privacy.ledger check
    python -m synthstudio_kernel.privacy.ledger settle-stale --older-than 24
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from ...errors import ConfigError
from .engine import read_session
from .ledger import Ledger, get_ledger
from .models import ChargeRow, DatasetRow, RunRow
from .records import EPSILON_TOLERANCE, as_utc, fmt_eps

#: Reservations older than this (hours) are stale by default.
DEFAULT_STALE_HOURS = 24.0


@dataclass(frozen=True)
class OpenReservation:
    """A run that reserved ε and was never settled."""

    run_id: str
    dataset: str
    method: str
    epsilon: float
    delta: float
    started_at: datetime
    age_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "dataset": self.dataset,
            "method": self.method,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "started_at": self.started_at.isoformat(),
            "age_s": round(self.age_s, 1),
        }


@dataclass(frozen=True)
class LedgerCheck:
    """What :func:`check_ledger` found. ``ok`` is False when any problem was found."""

    url: str
    integrity: str
    problems: list[str] = field(default_factory=list)
    open_reservations: list[OpenReservation] = field(default_factory=list)
    datasets: int = 0
    runs: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "ok": self.ok,
            "integrity": self.integrity,
            "problems": list(self.problems),
            "datasets": self.datasets,
            "runs": self.runs,
            "open_reservations": [r.to_dict() for r in self.open_reservations],
        }

    def __str__(self) -> str:
        lines = [
            f"Ledger {self.url}: {self.datasets} dataset(s), {self.runs} run(s); integrity {self.integrity}.",
            *(f"PROBLEM: {p}" for p in self.problems),
        ]
        for r in self.open_reservations:
            lines.append(
                f"open reservation: run {r.run_id} on {r.dataset!r} ({r.method}) holds ε={fmt_eps(r.epsilon)} "
                f"since {r.started_at:%Y-%m-%d %H:%M} UTC ({r.age_s / 3600:.1f} h)"
            )
        if not self.open_reservations:
            lines.append("No open reservations.")
        lines.append("OK" if self.ok else f"{len(self.problems)} problem(s) found.")
        return "\n".join(lines)


def check_ledger(ledger: Ledger | None = None, *, now: datetime | None = None) -> LedgerCheck:
    """Verify the database and the journal's invariants; list open reservations."""
    target = ledger or get_ledger()
    moment = now or datetime.now(UTC)
    problems: list[str] = []
    integrity = _integrity(target)
    if integrity != "ok":
        problems.append(f"the database reports damage ({integrity})")
    with read_session(target.engine) as s:
        datasets = {row.id: row for row in s.scalars(select(DatasetRow))}
        runs = {row.id: row for row in s.scalars(select(RunRow))}
        sums: dict[tuple[str, str], tuple[float, float]] = {}
        for run_id, kind, eps, delta in s.execute(
            select(ChargeRow.run_id, ChargeRow.kind, func.sum(ChargeRow.epsilon), func.sum(ChargeRow.delta)).group_by(
                ChargeRow.run_id, ChargeRow.kind
            )
        ):
            sums[(run_id, kind)] = (float(eps or 0.0), float(delta or 0.0))
    held: dict[str, tuple[float, float]] = {}
    spent_by_dataset: dict[int, float] = {}
    for run_id, run in runs.items():
        reserve = sums.get((run_id, "reserve"), (0.0, 0.0))
        release = sums.get((run_id, "release"), (0.0, 0.0))
        settle = sums.get((run_id, "settle"), (0.0, 0.0))
        eps_held, delta_held = reserve[0] - release[0], reserve[1] - release[1]
        held[run_id] = (eps_held, delta_held)
        spent_by_dataset[run.dataset_id] = spent_by_dataset.get(run.dataset_id, 0.0) + settle[0] + max(0.0, eps_held)
        if eps_held < -EPSILON_TOLERANCE:
            problems.append(f"run {run_id} released more ε than it reserved")
        if run.status == "reserved" and eps_held <= EPSILON_TOLERANCE and reserve[0] > 0:
            problems.append(f"run {run_id} is open but holds no reservation")
        if run.status != "reserved" and eps_held > EPSILON_TOLERANCE:
            problems.append(f"run {run_id} is {run.status} but still holds ε={fmt_eps(eps_held)}")
        if run.dataset_id not in datasets:
            problems.append(f"run {run_id} belongs to no dataset")
    orphans = {run_id for run_id, _ in sums} - set(runs)
    problems.extend(f"charges for an unknown run {run_id}" for run_id in sorted(orphans))
    for dataset_id, used in spent_by_dataset.items():
        row = datasets.get(dataset_id)
        if row is not None and used > row.total_epsilon + 1e-6:
            problems.append(
                f"dataset {row.name!r} has used ε={fmt_eps(used)}, more than its total {fmt_eps(row.total_epsilon)}"
            )
    open_runs = [
        OpenReservation(
            run_id=run_id,
            dataset=datasets[run.dataset_id].name if run.dataset_id in datasets else "?",
            method=run.method,
            epsilon=max(0.0, held[run_id][0]),
            delta=max(0.0, held[run_id][1]),
            started_at=as_utc(run.started_at),
            age_s=(moment - as_utc(run.started_at)).total_seconds(),
        )
        for run_id, run in runs.items()
        if run.status == "reserved"
    ]
    open_runs.sort(key=lambda r: r.started_at)
    return LedgerCheck(
        url=target.display_url,
        integrity=integrity,
        problems=problems,
        open_reservations=open_runs,
        datasets=len(datasets),
        runs=len(runs),
    )


def settle_stale(
    ledger: Ledger | None = None,
    *,
    older_than_hours: float = DEFAULT_STALE_HOURS,
    run_ids: list[str] | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[OpenReservation]:
    """Close open reservations older than ``older_than_hours`` (or exactly ``run_ids``) as failed.

    Each is charged its whole reservation in one transaction (release + settle), so the
    budget's remaining ε does not change and the run stops showing as open. A run settled
    meanwhile by its own process is skipped. Returns the runs settled (or that would be).
    """
    if older_than_hours < 0:
        raise ConfigError("older_than_hours must be 0 or more.")
    target = ledger or get_ledger()
    report = check_ledger(target, now=now)
    wanted = set(run_ids or [])
    unknown = wanted - {r.run_id for r in report.open_reservations}
    if unknown:
        raise ConfigError(f"No open reservation for run(s) {', '.join(sorted(unknown))}; see the ledger check.")
    chosen = [
        r for r in report.open_reservations if ((r.run_id in wanted) if wanted else r.age_s >= older_than_hours * 3600)
    ]
    settled: list[OpenReservation] = []
    for reservation in chosen:
        if dry_run:
            settled.append(reservation)
            continue
        try:
            target.settle(
                run_id=reservation.run_id,
                epsilon_spent=reservation.epsilon,
                status="failed",
                accounting={"settled_by": "settle-stale", "reason": "the run never settled (process ended)"},
            )
        except ConfigError as exc:
            if "already settled" in str(exc):
                continue
            raise
        settled.append(reservation)
    return settled


def _integrity(ledger: Ledger) -> str:
    if ledger.engine.dialect.name != "sqlite":
        return "not checked (server database)"
    with ledger.engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        conn.rollback()
    return "ok" if rows == ["ok"] else "; ".join(rows[:3])


__all__ = ["LedgerCheck", "OpenReservation", "check_ledger", "settle_stale"]

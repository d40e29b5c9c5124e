"""The privacy-budget ledger: datasets, runs and an append-only journal of charges.

Every public method is one database transaction: it commits whole or not at all.
Write methods take the write lock before they read what they check (``BEGIN
IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on the dataset row elsewhere), so
several kernels racing to spend one budget can never overspend it.

The life of a DP run::

    ledger.reserve(run_id=..., dataset_id=..., epsilon=3.0, delta=1e-5, method=..., params=...)
    ... train ...              # BudgetExceeded above if less than 3.0 was left
    ledger.settle(run_id=..., epsilon_spent=2.7, status="succeeded", accounting={...})

A run that fails after it touched the data must still be settled with what it spent.
If settle never comes (the process died), the reservation stays and keeps counting
against the budget: the ledger cannot know how much of the data the run saw. An
administrator can settle such a run by hand with the ε it may have used.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from ... import settings
from ...errors import BudgetExceeded, ConfigError, PrivacyError
from .checks import (
    FINGERPRINT_RE,
    UNREGISTERED_PREFIX,
    check_delta,
    check_epsilon,
    check_fingerprint,
    check_method,
    check_name,
    check_rows,
    check_run_id,
)
from .engine import make_engine, read_session, write_session
from .events import LedgerChange, notify
from .jsonsafe import to_json
from .migrations import migrate
from .models import ChargeRow, DatasetRow, DatasetVersionRow, RunRow, utcnow
from .records import EPSILON_TOLERANCE, Budgets, BudgetStatus, DatasetRecord, LedgerRun, as_utc, fmt_eps

_log = logging.getLogger(__name__)

SETTLE_STATUSES = ("succeeded", "failed", "stopped", "refused")
RECORD_STATUSES = ("succeeded", "failed", "stopped", "refused")

P = ParamSpec("P")
R = TypeVar("R")


def _unavailable(where: str, exc: OperationalError) -> ConfigError:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    return ConfigError(
        f"The privacy ledger at {where} cannot be used ({reason}). Check SYNTHSTUDIO_DB_URL and "
        "that the database is reachable; nothing was recorded."
    )


def _database_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Turn "cannot connect" / "locked for too long" into one readable ConfigError."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except OperationalError as exc:
            ledger = args[0]
            raise _unavailable(ledger.display_url if isinstance(ledger, Ledger) else "?", exc) from exc

    return wrapper


@dataclass
class _Totals:
    spent: float = 0.0
    reserved: float = 0.0
    delta_spent: float = 0.0
    delta_reserved: float = 0.0


@dataclass
class _Counts:
    private: int = 0
    non_private: int = 0
    open: int = 0
    refused: int = 0


class Ledger:
    """The budget ledger behind ``url`` (default: ``settings.db_url()``); migrated on open."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or settings.db_url()
        self.engine = make_engine(self.url)
        self.display_url = self.engine.url.render_as_string(hide_password=True)
        try:
            self.schema_version = migrate(self.engine)
        except OperationalError as exc:
            self.engine.dispose()
            raise _unavailable(self.display_url, exc) from exc

    def __repr__(self) -> str:
        return f"Ledger({self.display_url!r}, schema_version={self.schema_version})"

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()

    # -- datasets ---------------------------------------------------------------------------

    @_database_errors
    def register_dataset(
        self, *, name: str, fingerprint: str, rows: int, total_epsilon: float, update_total: bool = False
    ) -> DatasetRecord:
        """Give a table (by its fingerprint) a name and a total ε budget.

        Registering the same table under the same name again returns it. A different
        total needs ``update_total=True``. A table first used without a name (an
        automatic, fingerprint-keyed dataset) keeps its charges when it is registered.
        """
        name = check_name(name, registering=True)
        fingerprint = check_fingerprint(fingerprint)
        rows = check_rows(rows)
        total = check_epsilon(total_epsilon, what="total_epsilon")
        for attempt in range(3):
            try:
                record, change = self._register(name, fingerprint, rows, total, update_total)
                break
            except IntegrityError:  # another process inserted the same name/fingerprint meanwhile
                if attempt == 2:
                    raise
        if change:
            notify(LedgerChange(change, record.name))
        return record

    def _register(
        self, name: str, fingerprint: str, rows: int, total: float, update_total: bool
    ) -> tuple[DatasetRecord, str | None]:
        with write_session(self.engine) as s:
            by_name = s.scalar(select(DatasetRow).where(DatasetRow.name == name).with_for_update())
            by_fingerprint = s.scalar(select(DatasetRow).where(DatasetRow.fingerprint == fingerprint).with_for_update())
            change: str | None
            if by_name is not None:
                if by_name.fingerprint != fingerprint:
                    raise ConfigError(
                        f"A different table ({by_name.rows:,} rows) is already registered as {name!r}. "
                        "Choose another name for this one, or pass the registered table."
                    )
                if math.isclose(by_name.total_epsilon, total, rel_tol=0, abs_tol=EPSILON_TOLERANCE):
                    return _dataset_record(by_name), None
                if not update_total:
                    raise ConfigError(
                        f"Dataset {name!r} is already registered with a total of {fmt_eps(by_name.total_epsilon)} ε. "
                        f"To change it to {fmt_eps(total)} ε pass update_total=True (only if your data-governance "
                        "policy allows: ε already spent stays spent)."
                    )
                by_name.total_epsilon = total
                row, change = by_name, "dataset_updated"
            elif by_fingerprint is not None:
                if by_fingerprint.registered:
                    raise ConfigError(
                        f"This table is already registered as {by_fingerprint.name!r}; use dataset="
                        f"{by_fingerprint.name!r}. One table has one budget: a second name would start a fresh one."
                    )
                by_fingerprint.name, by_fingerprint.registered = name, True
                by_fingerprint.total_epsilon, by_fingerprint.rows = total, rows
                row, change = by_fingerprint, "dataset_registered"
            else:
                row = DatasetRow(
                    name=name,
                    fingerprint=fingerprint,
                    rows=rows,
                    total_epsilon=total,
                    registered=True,
                    created_at=utcnow(),
                )
                s.add(row)
                change = "dataset_registered"
            s.flush()
            return _dataset_record(row), change

    @_database_errors
    def resolve_dataset(self, *, fingerprint: str, rows: int, name: str | None = None) -> DatasetRecord:
        """The dataset a training run charges.

        With ``name``: the registered dataset of that name, which must hold this very
        table (same fingerprint). Without: the dataset with this fingerprint, created on
        first use with ``settings.default_total_epsilon()`` and named ``unregistered-<hash>``.
        """
        fingerprint = check_fingerprint(fingerprint)
        rows = check_rows(rows)
        if name is not None:
            name = check_name(name)
            record = self.find_dataset(name)
            if record is None or record.name != name:
                raise ConfigError(
                    f"No dataset named {name!r} in the privacy ledger. Register it first: "
                    f"ss.register_dataset(df, {name!r}, total_epsilon=...)."
                )
            if record.fingerprint != fingerprint:
                raise PrivacyError(
                    f"This table is not the one registered as {name!r} (content fingerprints differ; "
                    f"{rows:,} rows given, {record.rows:,} registered), so its budget cannot cover it. "
                    "Pass the registered table, or register this one under its own name."
                )
            return record
        for attempt in range(3):
            existing = self._dataset_by(DatasetRow.fingerprint == fingerprint)
            if existing is not None:
                return existing
            try:
                with write_session(self.engine) as s:
                    row = DatasetRow(
                        name=UNREGISTERED_PREFIX + fingerprint[:16],
                        fingerprint=fingerprint,
                        rows=rows,
                        total_epsilon=settings.default_total_epsilon(),
                        registered=False,
                        created_at=utcnow(),
                    )
                    s.add(row)
                    s.flush()
                    record = _dataset_record(row)
            except IntegrityError:  # created by another process meanwhile
                if attempt == 2:
                    raise
                continue
            notify(LedgerChange("dataset_registered", record.name))
            return record
        raise AssertionError("unreachable")  # pragma: no cover

    @_database_errors
    def resolve_private_dataset(
        self, *, fingerprint: str, rows: int, name: str | None
    ) -> tuple[DatasetRecord, str | None]:
        """The named dataset a DP run charges, and a note when something was recorded.

        A DP run is always charged to a named dataset: the one named (registered now with
        the default budget if the name is new), or, without a name, the registered dataset
        that holds this very table. A known name with a different table records a new
        *version* of that dataset, which shares its budget: editing a table (a row more or
        less, a column added) never buys a fresh budget.
        """
        fingerprint = check_fingerprint(fingerprint)
        rows = check_rows(rows)
        owner = self._owner_of(fingerprint)
        if name is None:
            if owner is not None and owner.registered:
                return owner, None
            default = fmt_eps(settings.default_total_epsilon())
            raise ConfigError(
                "DP runs are charged to a named dataset: pass dataset='<name>' (a new name is registered with the "
                f"default budget of {default} ε) or call ss.register_dataset(df, '<name>', total_epsilon=...) first."
            )
        name = check_name(name)
        record = self._dataset_by(DatasetRow.name == name)
        if record is None:
            if owner is not None and owner.registered:
                raise PrivacyError(
                    f"This table is registered as {owner.name!r}; train with dataset={owner.name!r} "
                    "(one table has one budget)."
                )
            total = settings.default_total_epsilon()
            record = self.register_dataset(name=name, fingerprint=fingerprint, rows=rows, total_epsilon=total)
            return record, f"registered {name!r} with the default budget of {fmt_eps(total)} ε"
        if record.fingerprint == fingerprint:
            return record, None
        if owner is not None and owner.registered and owner.id != record.id:
            raise PrivacyError(
                f"This table is registered as {owner.name!r}, not {name!r}; train with dataset={owner.name!r} "
                "(one table has one budget)."
            )
        note = f"a version of {name!r} that differs from the registered table ({rows:,} rows); it shares its budget"
        if owner is not None and owner.id == record.id:
            return record, note
        try:
            with write_session(self.engine) as s:
                s.add(DatasetVersionRow(dataset_id=record.id, fingerprint=fingerprint, rows=rows, created_at=utcnow()))
        except IntegrityError:  # recorded by another process meanwhile
            pass
        notify(LedgerChange("dataset_updated", record.name))
        return record, note

    def _owner_of(self, fingerprint: str) -> DatasetRecord | None:
        """The dataset holding this content: registered under it, or as one of its versions."""
        record = self._dataset_by(DatasetRow.fingerprint == fingerprint)
        if record is not None:
            return record
        with read_session(self.engine) as s:
            dataset_id = s.scalar(
                select(DatasetVersionRow.dataset_id).where(DatasetVersionRow.fingerprint == fingerprint)
            )
        return None if dataset_id is None else self._dataset_by(DatasetRow.id == dataset_id)

    @_database_errors
    def dataset_versions(self, dataset: str | int) -> list[dict[str, Any]]:
        """The other content versions recorded under a dataset (fingerprint, rows, when)."""
        record = self.get_dataset(dataset)
        with read_session(self.engine) as s:
            rows = s.scalars(
                select(DatasetVersionRow)
                .where(DatasetVersionRow.dataset_id == record.id)
                .order_by(DatasetVersionRow.created_at)
            )
            return [
                {"fingerprint": r.fingerprint, "rows": r.rows, "created_at": as_utc(r.created_at).isoformat()}
                for r in rows
            ]

    @_database_errors
    def find_dataset(self, dataset: str | int) -> DatasetRecord | None:
        """The dataset with this name, id or fingerprint, or None."""
        if isinstance(dataset, int) and not isinstance(dataset, bool):
            return self._dataset_by(DatasetRow.id == dataset)
        key = str(dataset)
        return self._dataset_by(DatasetRow.name == key) or (self._owner_of(key) if FINGERPRINT_RE.match(key) else None)

    def get_dataset(self, dataset: str | int) -> DatasetRecord:
        """Like :meth:`find_dataset` but raises ConfigError naming the known datasets."""
        record = self.find_dataset(dataset)
        if record is None:
            known = [d.name for d in self.list_datasets()]
            hint = f" Known datasets: {', '.join(map(repr, known[:20]))}." if known else " The ledger is empty."
            raise ConfigError(
                f"No dataset {dataset!r} in the privacy ledger.{hint} "
                "Register one with ss.register_dataset(df, 'name', total_epsilon=...)."
            )
        return record

    @_database_errors
    def list_datasets(self) -> list[DatasetRecord]:
        """Every dataset, by name."""
        with read_session(self.engine) as s:
            return [_dataset_record(row) for row in s.scalars(select(DatasetRow).order_by(DatasetRow.name))]

    def _dataset_by(self, condition: Any) -> DatasetRecord | None:
        with read_session(self.engine) as s:
            row = s.scalar(select(DatasetRow).where(condition))
            return _dataset_record(row) if row is not None else None

    # -- runs -------------------------------------------------------------------------------

    @_database_errors
    def reserve(
        self,
        *,
        run_id: str,
        dataset_id: int | str,
        epsilon: float,
        delta: float,
        method: str,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        """Reserve ``epsilon`` for a DP run before it touches the data (one transaction).

        Raises BudgetExceeded, with what is left, when the dataset cannot pay for it.
        """
        run_id = check_run_id(run_id)
        epsilon = check_epsilon(epsilon, what="epsilon")
        delta = check_delta(delta)
        method = check_method(method)
        params_json = to_json(dict(params or {}), what="params")
        with write_session(self.engine) as s:
            dataset = self._lock_dataset(s, dataset_id)
            if s.get(RunRow, run_id) is not None:
                raise ConfigError(f"Run {run_id} is already in the ledger; each run needs a new id.")
            totals = self._totals(s, dataset.id)
            left = dataset.total_epsilon - totals.spent - totals.reserved
            if epsilon > left + EPSILON_TOLERANCE:
                raise BudgetExceeded(_exceeded_message(dataset, max(0.0, left), epsilon, totals))
            now = utcnow()
            s.add(
                RunRow(
                    id=run_id,
                    dataset_id=dataset.id,
                    method=method,
                    status="reserved",
                    private=True,
                    epsilon_target=epsilon,
                    epsilon_spent=None,
                    delta=delta,
                    params=params_json,
                    accounting=None,
                    facts={},
                    started_at=now,
                )
            )
            s.flush()
            s.add(
                ChargeRow(
                    dataset_id=dataset.id, run_id=run_id, epsilon=epsilon, delta=delta, kind="reserve", created_at=now
                )
            )
            name = dataset.name
        notify(LedgerChange("reserved", name, run_id))

    @_database_errors
    def settle(
        self,
        *,
        run_id: str,
        epsilon_spent: float,
        status: str,
        accounting: Mapping[str, Any] | None = None,
        delta_spent: float | None = None,
    ) -> None:
        """Close a reserved run: release its reservation and charge what it really spent.

        ``status`` is succeeded, failed, stopped or refused. A run that failed after
        touching the data passes the ε it had spent by then. ``delta_spent`` defaults to
        the reserved δ when any ε was spent, else 0.
        """
        run_id = check_run_id(run_id)
        if status not in SETTLE_STATUSES:
            raise ConfigError(f"Settle status must be one of {', '.join(SETTLE_STATUSES)}, not {status!r}.")
        spent = check_epsilon(epsilon_spent, what="epsilon_spent", allow_zero=True)
        accounting_json = to_json(dict(accounting or {}), what="accounting")
        with write_session(self.engine) as s:
            dataset_id = s.scalar(select(RunRow.dataset_id).where(RunRow.id == run_id))
            if dataset_id is None:
                raise ConfigError(f"Run {run_id} is not in the ledger; reserve it before settling.")
            dataset = self._lock_dataset(s, dataset_id)  # lock order: dataset, then run
            run = s.execute(select(RunRow).where(RunRow.id == run_id).with_for_update()).scalar_one()
            if not run.private:
                raise ConfigError(f"Run {run_id} was recorded without a reservation; there is nothing to settle.")
            if run.status != "reserved":
                raise ConfigError(f"Run {run_id} is already settled (status {run.status}).")
            held_eps, held_delta = self._held(s, run_id)
            spent_delta = check_delta(delta_spent) if delta_spent is not None else (held_delta if spent > 0 else 0.0)
            if spent > held_eps + EPSILON_TOLERANCE:
                _log.warning(
                    "Run %s spent ε=%s, more than the %s it reserved; charging what was spent.", run_id, spent, held_eps
                )
            now = utcnow()
            s.add(
                ChargeRow(
                    dataset_id=dataset.id,
                    run_id=run_id,
                    epsilon=held_eps,
                    delta=held_delta,
                    kind="release",
                    created_at=now,
                )
            )
            s.add(
                ChargeRow(
                    dataset_id=dataset.id,
                    run_id=run_id,
                    epsilon=spent,
                    delta=spent_delta,
                    kind="settle",
                    created_at=now,
                )
            )
            run.status, run.epsilon_spent, run.finished_at = status, spent, now
            run.accounting = accounting_json
            name = dataset.name
        notify(LedgerChange("settled", name, run_id))

    @_database_errors
    def record_run(
        self,
        *,
        run_id: str,
        dataset_id: int | str,
        method: str,
        params: Mapping[str, Any] | None,
        status: str,
        epsilon: float | None = None,
        delta: float | None = None,
        accounting: Mapping[str, Any] | None = None,
    ) -> None:
        """Record a run that is charged nothing.

        For non-DP methods (``epsilon=None``: no formal guarantee; counted apart), and
        for DP runs that never touched the data (refused by the safety checks), where
        ``epsilon``/``delta`` are the requested target and nothing is spent.
        """
        run_id = check_run_id(run_id)
        method = check_method(method)
        if status not in RECORD_STATUSES:
            raise ConfigError(f"Run status must be one of {', '.join(RECORD_STATUSES)}, not {status!r}.")
        private = epsilon is not None
        target = check_epsilon(epsilon, what="epsilon") if epsilon is not None else None
        run_delta = check_delta(delta) if delta is not None else None
        params_json = to_json(dict(params or {}), what="params")
        accounting_json = to_json(dict(accounting), what="accounting") if accounting is not None else None
        with write_session(self.engine) as s:
            dataset = self._lock_dataset(s, dataset_id)
            if s.get(RunRow, run_id) is not None:
                raise ConfigError(f"Run {run_id} is already in the ledger; each run needs a new id.")
            now = utcnow()
            s.add(
                RunRow(
                    id=run_id,
                    dataset_id=dataset.id,
                    method=method,
                    status=status,
                    private=private,
                    epsilon_target=target,
                    epsilon_spent=0.0 if private else None,
                    delta=run_delta,
                    params=params_json,
                    accounting=accounting_json,
                    facts={},
                    started_at=now,
                    finished_at=now,
                )
            )
            name = dataset.name
        notify(LedgerChange("run_recorded", name, run_id))

    @_database_errors
    def attach_facts(self, run_id: str, key: str, facts: Mapping[str, Any]) -> None:
        """Store ``facts`` (aggregates only) under ``key`` on a run: "pii", "evaluation", "safety", ..."""
        run_id = check_run_id(run_id)
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", key):
            raise ConfigError(f"Fact keys are short lower-case identifiers such as 'pii', not {key!r}.")
        if not isinstance(facts, Mapping):
            raise ConfigError(f"Facts must be a mapping, not a {type(facts).__name__}.")
        facts_json = to_json(dict(facts), what=f"facts[{key!r}]")
        with write_session(self.engine) as s:
            run = s.execute(select(RunRow).where(RunRow.id == run_id).with_for_update()).scalar_one_or_none()
            if run is None:
                raise ConfigError(f"Run {run_id} is not in the ledger.")
            run.facts = {**(run.facts or {}), key: facts_json}
            name = s.scalar(select(DatasetRow.name).where(DatasetRow.id == run.dataset_id)) or ""
        notify(LedgerChange("facts_attached", name, run_id))

    @_database_errors
    def get_run(self, run_id: str) -> LedgerRun | None:
        """The run with this id, or None."""
        with read_session(self.engine) as s:
            row = s.execute(
                select(RunRow, DatasetRow.name)
                .join(DatasetRow, RunRow.dataset_id == DatasetRow.id)
                .where(RunRow.id == str(run_id))
            ).first()
            return _run_record(row[0], row[1]) if row is not None else None

    @_database_errors
    def list_runs(self, dataset: str | int | None = None, limit: int = 100) -> list[LedgerRun]:
        """Runs, newest first, of one dataset (name, id or fingerprint) or all."""
        dataset_id = self.get_dataset(dataset).id if dataset is not None else None
        return self._runs(dataset_id, limit)

    def _runs(self, dataset_id: int | None, limit: int) -> list[LedgerRun]:
        with read_session(self.engine) as s:
            query = select(RunRow, DatasetRow.name).join(DatasetRow, RunRow.dataset_id == DatasetRow.id)
            if dataset_id is not None:
                query = query.where(RunRow.dataset_id == dataset_id)
            query = query.order_by(RunRow.started_at.desc(), RunRow.id).limit(max(0, int(limit)))
            return [_run_record(run, name) for run, name in s.execute(query)]

    # -- budgets ----------------------------------------------------------------------------

    @_database_errors
    def budget(self, dataset: str | int, *, run_limit: int = 100) -> BudgetStatus:
        """The budget of one dataset (by name, id or fingerprint), with its recent runs."""
        record = self.get_dataset(dataset)
        with read_session(self.engine) as s:
            totals = self._totals(s, record.id)
            counts = self._counts(s, record.id)
        runs = self._runs(record.id, run_limit) if run_limit > 0 else []
        return _status(record, totals, counts, runs)

    @_database_errors
    def budgets(self, *, run_limit: int = 0) -> Budgets:
        """The budget of every dataset, by name (runs included only when ``run_limit`` > 0)."""
        with read_session(self.engine) as s:
            datasets = [_dataset_record(r) for r in s.scalars(select(DatasetRow).order_by(DatasetRow.name))]
            totals = self._all_totals(s)
            counts = self._all_counts(s)
        return Budgets(
            _status(
                d,
                totals.get(d.id, _Totals()),
                counts.get(d.id, _Counts()),
                self._runs(d.id, run_limit) if run_limit > 0 else [],
            )
            for d in datasets
        )

    # -- internals --------------------------------------------------------------------------

    def _lock_dataset(self, s: Session, dataset: int | str) -> DatasetRow:
        if isinstance(dataset, int) and not isinstance(dataset, bool):
            condition = DatasetRow.id == dataset
        else:
            condition = DatasetRow.name == str(dataset)
        row = s.execute(select(DatasetRow).where(condition).with_for_update()).scalar_one_or_none()
        if row is None:
            raise ConfigError(
                f"No dataset {dataset!r} in the privacy ledger; resolve or register the dataset before the run."
            )
        return row

    def _totals(self, s: Session, dataset_id: int) -> _Totals:
        return self._all_totals(s, dataset_id).get(dataset_id, _Totals())

    def _all_totals(self, s: Session, dataset_id: int | None = None) -> dict[int, _Totals]:
        query = select(
            ChargeRow.dataset_id, ChargeRow.kind, func.sum(ChargeRow.epsilon), func.sum(ChargeRow.delta)
        ).group_by(ChargeRow.dataset_id, ChargeRow.kind)
        if dataset_id is not None:
            query = query.where(ChargeRow.dataset_id == dataset_id)
        totals: dict[int, _Totals] = {}
        for ds_id, kind, eps, delta in s.execute(query):
            t = totals.setdefault(ds_id, _Totals())
            sign = {"settle": 0, "reserve": 1, "release": -1}[kind]
            if sign == 0:
                t.spent += float(eps or 0.0)
                t.delta_spent += float(delta or 0.0)
            else:
                t.reserved += sign * float(eps or 0.0)
                t.delta_reserved += sign * float(delta or 0.0)
        for t in totals.values():
            t.spent, t.reserved = round(t.spent, 12), max(0.0, round(t.reserved, 12))
            t.delta_spent, t.delta_reserved = round(t.delta_spent, 15), max(0.0, round(t.delta_reserved, 15))
        return totals

    def _counts(self, s: Session, dataset_id: int) -> _Counts:
        return self._all_counts(s, dataset_id).get(dataset_id, _Counts())

    def _all_counts(self, s: Session, dataset_id: int | None = None) -> dict[int, _Counts]:
        query = select(RunRow.dataset_id, RunRow.private, RunRow.status, func.count()).group_by(
            RunRow.dataset_id, RunRow.private, RunRow.status
        )
        if dataset_id is not None:
            query = query.where(RunRow.dataset_id == dataset_id)
        counts: dict[int, _Counts] = {}
        for ds_id, private, status, n in s.execute(query):
            c = counts.setdefault(ds_id, _Counts())
            if status == "refused":
                c.refused += n
            elif private:
                c.private += n
                c.open += n if status == "reserved" else 0
            else:
                c.non_private += n
        return counts

    def _held(self, s: Session, run_id: str) -> tuple[float, float]:
        """ε and δ a run still holds in reservations."""
        held_eps = held_delta = 0.0
        query = (
            select(ChargeRow.kind, func.sum(ChargeRow.epsilon), func.sum(ChargeRow.delta))
            .where(ChargeRow.run_id == run_id, ChargeRow.kind.in_(("reserve", "release")))
            .group_by(ChargeRow.kind)
        )
        for kind, eps, delta in s.execute(query):
            sign = 1 if kind == "reserve" else -1
            held_eps += sign * float(eps or 0.0)
            held_delta += sign * float(delta or 0.0)
        return max(0.0, held_eps), max(0.0, held_delta)


# -- cache ------------------------------------------------------------------------------------

_LEDGERS: dict[tuple[str, int], Ledger] = {}
_LEDGERS_LOCK = threading.Lock()


def get_ledger(url: str | None = None) -> Ledger:
    """The ledger for ``url`` (default: ``settings.db_url()`` now), one per URL and process."""
    key = (url or settings.db_url(), os.getpid())
    with _LEDGERS_LOCK:
        ledger = _LEDGERS.get(key)
        if ledger is None:
            ledger = _LEDGERS[key] = Ledger(key[0])
        return ledger


def close_ledgers() -> None:
    """Dispose every cached ledger (tests, or before forking)."""
    with _LEDGERS_LOCK:
        for ledger in _LEDGERS.values():
            ledger.close()
        _LEDGERS.clear()


# -- conversions and checks -------------------------------------------------------------------


def _dataset_record(row: DatasetRow) -> DatasetRecord:
    return DatasetRecord(
        id=row.id,
        name=row.name,
        fingerprint=row.fingerprint,
        rows=row.rows,
        total_epsilon=row.total_epsilon,
        registered=bool(row.registered),
        created_at=as_utc(row.created_at),
    )


def _run_record(row: RunRow, dataset_name: str) -> LedgerRun:
    return LedgerRun(
        id=row.id,
        dataset_id=row.dataset_id,
        dataset_name=dataset_name,
        method=row.method,
        status=row.status,
        private=bool(row.private),
        epsilon_target=row.epsilon_target,
        epsilon_spent=row.epsilon_spent,
        delta=row.delta,
        params=dict(row.params or {}),
        accounting=dict(row.accounting) if row.accounting is not None else None,
        facts=dict(row.facts or {}),
        started_at=as_utc(row.started_at),
        finished_at=as_utc(row.finished_at) if row.finished_at is not None else None,
    )


def _status(record: DatasetRecord, totals: _Totals, counts: _Counts, runs: list[LedgerRun]) -> BudgetStatus:
    return BudgetStatus(
        dataset=record,
        spent=totals.spent,
        reserved=totals.reserved,
        delta_spent=totals.delta_spent,
        delta_reserved=totals.delta_reserved,
        private_runs=counts.private,
        non_private_runs=counts.non_private,
        open_reservations=counts.open,
        refused_runs=counts.refused,
        runs=tuple(runs),
    )


def _exceeded_message(dataset: DatasetRow, left: float, needed: float, totals: _Totals) -> str:
    message = (
        f"dataset {dataset.name!r} has {fmt_eps(left)} of {fmt_eps(dataset.total_epsilon)} ε left; "
        f"this run needs {fmt_eps(needed)}."
    )
    if totals.reserved > 0:
        message += f" ({fmt_eps(totals.reserved)} ε is held by runs that have not settled.)"
    if left > EPSILON_TOLERANCE:
        message += f" Train with epsilon ≤ {fmt_eps(left)}, or stop here."
    else:
        message += " The budget is used up: no further DP training on this table."
    return message

"""The user-facing functions: ``ss.register_dataset`` and ``ss.budget``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...assistant.memory import remember
from .ledger import Ledger, get_ledger
from .records import Budgets, BudgetStatus, DatasetRecord, fmt_eps

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ...data import Dataset


class DatasetHandle(str):
    """A registered dataset. It *is* its name (a ``str``), so it goes anywhere a dataset
    name does: ``ss.train(df, "dp-tvae", epsilon=1.0, dataset=handle)``."""

    _record: DatasetRecord
    _url: str | None

    def __new__(cls, record: DatasetRecord, url: str | None = None) -> DatasetHandle:
        handle = super().__new__(cls, record.name)
        handle._record = record
        handle._url = url
        return handle

    def __reduce__(self) -> tuple[Any, ...]:
        return (DatasetHandle, (self._record, self._url))

    @property
    def name(self) -> str:
        return str.__str__(self)

    @property
    def record(self) -> DatasetRecord:
        return self._record

    @property
    def fingerprint(self) -> str:
        return self._record.fingerprint

    @property
    def rows(self) -> int:
        return self._record.rows

    @property
    def total_epsilon(self) -> float:
        return self._record.total_epsilon

    def budget(self, *, run_limit: int = 100) -> BudgetStatus:
        """Its current budget (read from the ledger now)."""
        return get_ledger(self._url).budget(self.name, run_limit=run_limit)

    def to_dict(self) -> dict[str, Any]:
        return self._record.to_dict()

    def __repr__(self) -> str:
        return (
            f"DatasetHandle({self.name!r}, rows={self.rows}, total_epsilon={fmt_eps(self.total_epsilon)}, "
            f"fingerprint={self.fingerprint[:12]}…)"
        )

    def _repr_html_(self) -> str:
        return self.budget(run_limit=10)._repr_html_()


def register_dataset(
    df: pd.DataFrame | Dataset,
    name: str,
    *,
    total_epsilon: float,
    update_total: bool = False,
    ledger: Ledger | None = None,
) -> DatasetHandle:
    """Give ``df`` a name and a total privacy budget ``total_epsilon`` in the ledger.

    Every DP model trained on this table (``dataset=name``, or the returned handle)
    charges this budget; runs compose sequentially. Only the table's fingerprint and
    row count are stored. Re-running with the same table, name and total returns the
    same dataset; a different total needs ``update_total=True``; a different table under
    an existing name is refused.
    """
    from ...data import as_dataset

    dataset = as_dataset(df)
    target = ledger or get_ledger()
    record = target.register_dataset(
        name=name,
        fingerprint=dataset.fingerprint,
        rows=dataset.n_rows,
        total_epsilon=total_epsilon,
        update_total=update_total,
    )
    handle = DatasetHandle(record, url=ledger.url if ledger is not None else None)
    remember("dataset", handle)
    return handle


def budget(dataset: str | None = None, *, run_limit: int = 100, ledger: Ledger | None = None) -> BudgetStatus | Budgets:
    """The budget of ``dataset`` (name, handle or fingerprint), or of every dataset when None."""
    target = ledger or get_ledger()
    if dataset is None:
        return target.budgets(run_limit=0)
    return target.budget(str.__str__(dataset) if isinstance(dataset, str) else dataset, run_limit=run_limit)

"""The budget panel: gauges for one dataset (with its runs) or for every dataset.

Thin: the HTML comes from ``synthstudio_kernel.privacy.ledger.render``. The panel
refreshes itself after every ledger change made in this kernel (a DP run reserving or
settling, a dataset registered) and on its Refresh button. Outside a live widget
frontend it falls back to the same HTML, frozen at display time.
"""

from __future__ import annotations

import weakref
from typing import Any

import ipywidgets as widgets

from ...privacy.ledger import Ledger
from ...privacy.ledger.events import LedgerChange, add_listener
from ...privacy.ledger.records import Budgets, BudgetStatus
from ...privacy.ledger.render import budget_html, budget_text, budgets_html, budgets_text
from .static import static_bundle


class BudgetPanel(widgets.VBox):
    """Live budget gauges over ``ledger``: ``dataset`` (name, id or fingerprint) or all datasets."""

    def __init__(self, ledger: Ledger, dataset: str | int | None = None, *, run_limit: int = 20, **kwargs: Any):
        self.ledger = ledger
        self.dataset_id = ledger.get_dataset(dataset).id if dataset is not None else None
        self.run_limit = run_limit
        self.body = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh", tooltip="Read the ledger again")
        self.refresh_button.layout.width = "110px"
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.status: BudgetStatus | Budgets = Budgets()
        super().__init__(children=[self.body, self.refresh_button], **kwargs)
        self.refresh()
        self._unsubscribe = _subscribe_weakly(self)

    def refresh(self) -> None:
        """Read the ledger again and redraw."""
        if self.dataset_id is None:
            self.status = self.ledger.budgets()
        else:
            self.status = self.ledger.budget(self.dataset_id, run_limit=self.run_limit)
        self.body.value = self.html()

    def html(self) -> str:
        if isinstance(self.status, BudgetStatus):
            return budget_html(self.status)
        return budgets_html(self.status)

    def text(self) -> str:
        if isinstance(self.status, BudgetStatus):
            return budget_text(self.status)
        return budgets_text(self.status)

    def close(self) -> None:
        self._unsubscribe()
        super().close()

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        data, meta = static_bundle(super(), self.html(), **kwargs)
        data["text/plain"] = self.text()
        return data, meta


def _subscribe_weakly(panel: BudgetPanel) -> Any:
    """Refresh ``panel`` on ledger changes while it lives, without keeping it alive; a
    collected or closed panel unsubscribes itself at the next change."""
    ref = weakref.ref(panel)
    remove: list[Any] = []

    def on_change(_change: LedgerChange) -> None:
        target = ref()
        if target is None or target.comm is None:  # collected, or closed
            if remove:
                remove[0]()
            return
        target.refresh()

    remove.append(add_listener(on_change))
    return remove[0]


def budget_panel(ledger: Ledger, dataset: str | int | None = None, *, run_limit: int = 20) -> BudgetPanel:
    """Build the panel for one dataset, or for every dataset when ``dataset`` is None."""
    return BudgetPanel(ledger, dataset, run_limit=run_limit)

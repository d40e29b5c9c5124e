"""``%synth_budget [dataset] [--runs N] [--name VAR]``

Shows privacy budgets from the ledger as gauges: with ``dataset`` (a registered name,
an ``unregistered-…`` name, a fingerprint, a variable holding a DatasetHandle, or a
DataFrame variable whose table is in the ledger) one dataset with its recent runs; without, every dataset. The panel
refreshes itself when a run in this kernel charges the ledger. ``--name`` binds the
BudgetStatus (or the list of them) to a variable.

:func:`connect_ledger_events` forwards ledger changes to the lab sidebar as
``ledger_changed`` comm events; ``%load_ext`` calls it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.core.error import UsageError
from IPython.display import display

from ...errors import ConfigError
from ._common import MagicArgumentParser, whole_number

USAGE = "%synth_budget [dataset] [--runs N] [--name VAR]"


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser("synth_budget", usage=USAGE)
    parser.add_argument("dataset", nargs="?", help="dataset name or fingerprint, or a DataFrame variable")
    parser.add_argument(
        "--runs",
        type=whole_number("--runs", maximum=10_000),
        default=20,
        metavar="N",
        help="recent runs to list (default 20)",
    )
    parser.add_argument("--name", metavar="VAR", help="bind the BudgetStatus to this variable")
    return parser


def synth_budget(shell: Any, line: str) -> None:
    """Display budget gauges; see the module docstring."""
    from ...privacy.ledger import get_ledger
    from ..widgets.budget import budget_panel

    args = _parser().parse_line(line)
    if args.name is not None and not args.name.isidentifier():
        raise UsageError(f"%synth_budget: --name needs a valid variable name, got {args.name!r}.")
    ledger = get_ledger()
    key = _dataset_key(shell, ledger, args.dataset) if args.dataset is not None else None
    panel = budget_panel(ledger, key, run_limit=args.runs)
    if args.name:
        shell.user_ns[args.name] = panel.status
    display(panel)


def _dataset_key(shell: Any, ledger: Any, word: str) -> str | int:
    """A ledger dataset first; else a DataFrame variable, looked up by its fingerprint."""
    if ledger.find_dataset(word) is not None:
        return word
    value = shell.user_ns.get(word) if word.isidentifier() else None
    if isinstance(value, str) and ledger.find_dataset(value) is not None:  # e.g. a DatasetHandle
        return str.__str__(value)
    if isinstance(value, pd.DataFrame):
        from ...data import fingerprint

        record = ledger.find_dataset(fingerprint(value))
        if record is None:
            raise ConfigError(
                f"The table in {word!r} has no budget in the ledger yet. Register it with "
                f"ss.register_dataset({word}, 'name', total_epsilon=...), or train a DP model on it."
            )
        return int(record.id)
    ledger.get_dataset(word)  # raises ConfigError naming the known datasets
    return word


_disconnect: Any = None


def connect_ledger_events() -> None:
    """Forward every committed ledger change to the sidebar (``ledger_changed`` comm event). Idempotent."""
    global _disconnect
    if _disconnect is not None:
        return
    from ...privacy.ledger.events import LedgerChange, add_listener
    from .. import comm

    def forward(change: LedgerChange) -> None:
        comm.publish("ledger_changed", {"dataset": change.dataset, "change": change.kind, "run_id": change.run_id})

    _disconnect = add_listener(forward)


def disconnect_ledger_events() -> None:
    """Stop forwarding ledger changes (undoes :func:`connect_ledger_events`)."""
    global _disconnect
    if _disconnect is not None:
        _disconnect()
        _disconnect = None

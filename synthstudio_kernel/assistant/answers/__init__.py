"""Answer writers, one per intent, in a registry.

A writer takes the parsed :class:`Query`, the :class:`~..context.Evidence` and a
:class:`~..facts.Citations` collector, and returns the answer text. It writes figures only
through ``cite(fact)``, so that every number in the text comes from a cited fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..context import Evidence
from ..facts import Citations
from ..knowledge import Metric


@dataclass(frozen=True)
class Query:
    """A question with what it names: use cases, metrics, columns, run ids, datasets."""

    text: str
    intent: str
    use_cases: tuple[str, ...] = ()
    metrics: tuple[Metric, ...] = ()
    columns: tuple[str, ...] = ()
    run_ids: tuple[str, ...] = ()
    datasets: tuple[str, ...] = field(default=())


Writer = Callable[[Query, Evidence, Citations], str]
WRITERS: dict[str, Writer] = {}


def writer(intent: str) -> Callable[[Writer], Writer]:
    """Register the decorated function as the writer of ``intent``."""

    def register(fn: Writer) -> Writer:
        WRITERS[intent] = fn
        return fn

    return register


def load_writers() -> dict[str, Writer]:
    """Import the writer modules (they register themselves) and return the registry."""
    from . import general, ledger, privacy, quality  # noqa: F401

    return WRITERS

"""Third-party loggers never carry raw values out of Synth Studio.

SDV logs the metadata it detected (every category value, at INFO), RDT and SDMetrics
describe columns, presidio and ydata-profiling log what they matched. Synth Studio
promises that logs hold aggregates only, so before it calls those libraries it runs
:func:`guard_third_party_logs`, which for each library's logger namespace:

1. raises the level to WARNING (INFO/DEBUG records are not even created), and
2. attaches a handler whose filter rewrites every record that still passes (warnings and
   errors, from the namespace or any logger below it, created before or after) into a
   value-free line naming the logger and level, before it propagates to the root
   logger's handlers. Exception details are dropped too: they can quote values.

Idempotent and cheap; re-applies the level if something lowered it since.
"""

from __future__ import annotations

import logging
from typing import Any

#: Logger namespaces of the libraries Synth Studio calls on private data.
THIRD_PARTY = (
    "sdv",
    "Metadata",
    "SingleTableMetadata",
    "SingleTableSynthesizer",
    "MultiTableSynthesizer",
    "rdt",
    "copulas",
    "ctgan",
    "sdmetrics",
    "opacus",
    "presidio-analyzer",
    "presidio_analyzer",
    "presidio-anonymizer",
    "anonymeter",
    "ydata_profiling",
    "visions",
    "sklearn",
    "faker",
)
WITHHELD = "a {level} message from {name} was withheld by Synth Studio (it may quote data values)"


class _Withhold(logging.Handler):
    """Emits nothing; its filter rewrites each record in place before the root sees it."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.addFilter(_redact)

    def emit(self, record: logging.LogRecord) -> None:  # the filter did the work
        return None


def _redact(record: logging.LogRecord) -> bool:
    if not getattr(record, "synthstudio_withheld", False):
        record.msg = WITHHELD.format(level=record.levelname.lower(), name=record.name)
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.synthstudio_withheld = True
    return True


def guard_third_party_logs(level: int = logging.WARNING) -> None:
    """Quiet and redact the loggers in :data:`THIRD_PARTY` (see the module doc)."""
    for name in THIRD_PARTY:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < level:
            logger.setLevel(level)
        if not any(isinstance(h, _Withhold) for h in logger.handlers):
            logger.addHandler(_Withhold())
        for child in _children(name):
            if not child.propagate and not any(isinstance(h, _Withhold) for h in child.handlers):
                child.addHandler(_Withhold())  # a child that does not propagate gets its own redactor
                child.handlers.insert(0, child.handlers.pop())


def _children(prefix: str) -> list[logging.Logger]:
    manager: Any = logging.Logger.manager
    return [
        logger
        for name, logger in list(manager.loggerDict.items())
        if isinstance(logger, logging.Logger) and name.startswith(prefix + ".")
    ]

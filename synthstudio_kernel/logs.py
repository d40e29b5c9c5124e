"""Secondary failures that must not hide the primary outcome, but must not vanish either."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def warn_on_failure(logger: logging.Logger, what: str) -> Iterator[None]:
    """Run the block; if it fails, log a warning naming ``what`` (no data values) and go on.

    For bookkeeping done while another error is already on its way, or after a model was
    trained and charged, where raising would lose more than it protects.
    """
    try:
        yield
    except Exception as exc:
        logger.warning("Synth Studio could not %s (%s); continuing.", what, type(exc).__name__)

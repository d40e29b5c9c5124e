"""Bound the native thread pools (OpenMP, BLAS) while an evaluation runs.

Gradient boosting and BLAS spin-wait when they get more threads than there are free
cores; in a notebook kernel that shares the machine this made one model fit up to 7x
slower. By default the evaluation uses half the cores (at least one);
``SYNTHSTUDIO_EVAL_THREADS`` overrides it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

ENV_VAR = "SYNTHSTUDIO_EVAL_THREADS"


def thread_count() -> int:
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return max(1, (os.cpu_count() or 2) // 2)


@contextmanager
def limited_threads() -> Iterator[int]:
    """Run the block with at most :func:`thread_count` native threads; yields that count."""
    from threadpoolctl import threadpool_limits

    count = thread_count()
    with threadpool_limits(limits=count):
        yield count

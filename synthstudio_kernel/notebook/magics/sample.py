"""``%synth_sample model N [--to VAR] [--where COLUMN=VALUE ...] [--seed N] [--csv PATH]``

Draws ``N`` synthetic rows from a trained model (the Python equivalent is
``model.sample(N, conditions={...}, seed=...)``). ``--where`` keeps to rows with a
categorical value (repeatable); ``--to`` binds the frame to a variable, otherwise it is
shown; ``--csv`` also writes it to a CSV file (folders are created). From ``LARGE_N`` rows
on, sampling shows a progress bar with an ETA (drawn in chunks; chunk ``i`` uses ``seed + i``).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from IPython.core.error import UsageError

from ...fileio import check_writable, write_text_file
from ...synthesis.model import TrainedModel
from ..widgets.links import show_link
from ..widgets.progress import StepProgress
from ._common import MagicArgumentParser, get_variable, row_count, variable_name, whole_number

USAGE = "%synth_sample model N [--to VAR] [--where COLUMN=VALUE ...] [--seed N] [--csv PATH]"


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser("synth_sample", usage=USAGE)
    parser.add_argument("model", help="a trained model variable")
    parser.add_argument("n", type=row_count(), help="number of rows")
    parser.add_argument("--to", metavar="VAR", type=variable_name("--to"), help="bind the rows to this variable")
    parser.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE", help="condition")
    parser.add_argument(
        "--seed", metavar="N", type=whole_number("--seed", maximum=2**32 - 1), help="seed for these rows"
    )
    parser.add_argument("--csv", metavar="PATH", help="also write the rows to this CSV file")
    return parser


def synth_sample(shell: Any, line: str) -> Any:
    """Sample rows from a model; see the module docstring."""
    args = _parser().parse_line(line)
    model: TrainedModel = get_variable(shell, args.model, TrainedModel, "trained model (from ss.train or %%dp_train)")
    if args.csv:
        check_writable(args.csv, what="the CSV file")  # before drawing the rows
    frame = sample_with_progress(model, args.n, conditions=parse_conditions(args.where) or None, seed=args.seed)
    if args.csv:
        target = write_text_file(args.csv, lambda handle: frame.to_csv(handle, index=False), what="the CSV file")
        show_link(target, f"Wrote {len(frame):,} synthetic rows to ")
    if args.to is None:
        return frame
    shell.user_ns[args.to] = frame
    print(f"{args.to}: {len(frame):,} synthetic rows × {frame.shape[1]} columns from {args.model} ({model.method}).")
    return None


#: From this many rows on, sampling runs in chunks of CHUNK_ROWS with a progress bar and ETA.
LARGE_N = 200_000
CHUNK_ROWS = 100_000


def sample_with_progress(
    model: TrainedModel, n: int, *, conditions: dict[str, str] | None, seed: int | None
) -> pd.DataFrame:
    """``model.sample(n)``; a large ``n`` is drawn in chunks behind a progress bar (chunk ``i``
    uses ``seed + i``, so the same seed gives the same rows again)."""
    if n < LARGE_N:
        return model.sample(n, conditions=conditions, seed=seed)
    chunks = math.ceil(n / CHUNK_ROWS)
    bar = StepProgress("Sampling")
    bar.show()
    parts: list[pd.DataFrame] = []
    try:
        for i in range(chunks):
            size = min(CHUNK_ROWS, n - i * CHUNK_ROWS)
            parts.append(model.sample(size, conditions=conditions, seed=None if seed is None else seed + i))
            bar.update(f"{min(n, (i + 1) * CHUNK_ROWS):,} of {n:,} rows", i + 1, chunks)
    finally:
        bar.close()
    frame = pd.concat(parts, ignore_index=True)
    frame.attrs = dict(parts[0].attrs)
    return frame


def parse_conditions(pairs: list[str]) -> dict[str, str]:
    """``["smoker=yes", "region=north east"]`` -> ``{"smoker": "yes", "region": "north east"}``."""
    conditions: dict[str, str] = {}
    for pair in pairs:
        column, sep, value = pair.partition("=")
        if not sep or not column.strip():
            raise UsageError(f"%synth_sample: --where takes COLUMN=VALUE, got {pair!r}.")
        if column.strip() in conditions:
            raise UsageError(f"%synth_sample: --where names {column.strip()!r} twice.")
        conditions[column.strip()] = value
    return conditions

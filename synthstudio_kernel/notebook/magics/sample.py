"""``%synth_sample model N [--to VAR] [--where COLUMN=VALUE ...] [--seed N] [--csv PATH]``

Draws ``N`` synthetic rows from a trained model (the Python equivalent is
``model.sample(N, conditions={...}, seed=...)``). ``--where`` keeps to rows with a
categorical value (repeatable); ``--to`` binds the frame to a variable, otherwise it is
shown; ``--csv`` also writes it to a CSV file (folders are created).
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError

from ...fileio import check_writable, write_text_file
from ...synthesis.model import TrainedModel
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
    frame = model.sample(args.n, conditions=parse_conditions(args.where) or None, seed=args.seed)
    if args.csv:
        target = write_text_file(args.csv, lambda handle: frame.to_csv(handle, index=False), what="the CSV file")
        print(f"Wrote {len(frame):,} synthetic rows to {target}.")
    if args.to is None:
        return frame
    shell.user_ns[args.to] = frame
    print(f"{args.to}: {len(frame):,} synthetic rows × {frame.shape[1]} columns from {args.model} ({model.method}).")
    return None


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

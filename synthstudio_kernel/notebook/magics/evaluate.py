"""``%synth_evaluate real synth [--holdout h] [--target col] [--out DIR] [--name var] [--seed n]``

Scores ``synth`` against ``real`` (fidelity, utility, privacy), shows the scorecard panel,
binds the Scorecard to ``--name`` (default ``scorecard``) and, with ``--out``, writes
``scorecard.html`` and ``scorecard.json`` there.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import display

from ...data import Dataset
from ..widgets.links import show_link
from ._common import MagicArgumentParser, get_variable, whole_number

_TABLE_TYPES = (pd.DataFrame, Dataset)
USAGE = "%synth_evaluate real synthetic [--holdout H] [--target COL] [--out DIR] [--name VAR] [--seed N]"


def _parser() -> MagicArgumentParser:
    # An explicit usage keeps argparse from wrapping it over several lines.
    parser = MagicArgumentParser("synth_evaluate", usage=USAGE)
    parser.add_argument("real", help="the training table (DataFrame)")
    parser.add_argument("synthetic", help="the synthetic table (DataFrame)")
    parser.add_argument("--holdout", default=None, help="real rows not used for training (recommended)")
    parser.add_argument("--target", default=None, help="column to predict for utility (inferred when omitted)")
    parser.add_argument("--out", default=None, help="folder to write scorecard.html and scorecard.json into")
    parser.add_argument("--name", default="scorecard", help="variable that receives the Scorecard")
    parser.add_argument(
        "--seed", type=whole_number("--seed", maximum=2**32 - 1), default=0, help="seed of every random step"
    )
    return parser


def synth_evaluate(shell: Any, line: str) -> None:
    """Evaluate a synthetic table and show its scorecard."""
    from IPython.core.error import UsageError

    from ...evaluation import evaluate
    from ..widgets.evaluation import EvaluationProgress, evaluation_panel

    args = _parser().parse_line(line)
    if not args.name.isidentifier():
        raise UsageError(f"--name {args.name!r} is not a valid variable name.")
    what = "pandas DataFrame"
    real = get_variable(shell, args.real, _TABLE_TYPES, what)
    synthetic = get_variable(shell, args.synthetic, _TABLE_TYPES, what)
    holdout = get_variable(shell, args.holdout, _TABLE_TYPES, what) if args.holdout else None
    if args.out:
        from ...fileio import check_writable

        check_writable(args.out, folder=True, what="the scorecard")  # before the evaluation runs

    progress = EvaluationProgress()
    progress.show()
    try:
        card = evaluate(real, synthetic, holdout=holdout, target=args.target, seed=args.seed, progress=progress.update)
    finally:
        progress.close()
    shell.user_ns[args.name] = card
    display(evaluation_panel(card))
    if args.out:
        paths = card.save(args.out)
        show_link(paths["html"], "Scorecard written to ")
        show_link(paths["json"], "Scorecard data (JSON): ")
    print(f"Scorecard bound to `{args.name}`: {_one_line(card)}")


def _one_line(card: Any) -> str:
    scores = ", ".join(f"{k} {'n/a' if v is None else f'{v:.2f}'}" for k, v in card.scores.items())
    verdicts = ", ".join(f"{v['label'].lower()}: {v['status']}" for v in card.verdicts.values())
    return f"{scores} · {verdicts}"

"""``%synth_pii df [--apply-to NAME] [--sample-size N] [--seed S] [--columns A,B] [--salt-env VAR] [--name VAR]``

Scans the DataFrame ``df`` for personal and health identifiers and shows the PII panel
(entity, confidence, identifier class, HIPAA identifier, an editable action per column).
The panel's Apply button binds the cleaned frame to ``NAME`` (default ``<df>_clean``).
``--apply-to NAME`` also applies the recommendations right away, without the button (for
scripts and non-widget frontends). ``--salt-env VAR`` reads the pseudonymization salt from
the environment variable ``VAR`` (so it never lands in the notebook); without it, a random
salt that is not kept. ``--name`` binds the PIIReport itself.
"""

from __future__ import annotations

import os
from typing import Any

from IPython.core.error import UsageError
from IPython.display import display

from ...pii import scan_pii
from ...pii.sampling import DEFAULT_SAMPLE_SIZE
from ..widgets.pii import pii_panel
from ..widgets.progress import StepProgress
from ._common import MagicArgumentParser, get_frame, whole_number

#: Tables with at least this many cells show a progress bar while they are scanned.
PROGRESS_CELLS = 1_000_000

USAGE = "%%synth_pii df [--apply-to NAME] [--sample-size N] [--seed S] [--columns A,B] [--salt-env VAR] [--name VAR]"


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser("synth_pii", usage=USAGE)
    parser.add_argument("df", help="name of a pandas DataFrame in the notebook")
    parser.add_argument("--apply-to", dest="apply_to", metavar="NAME", help="apply now and bind the cleaned frame")
    parser.add_argument(
        "--sample-size",
        dest="sample_size",
        type=whole_number("--sample-size", minimum=10),
        default=DEFAULT_SAMPLE_SIZE,
        metavar="N",
    )
    parser.add_argument("--seed", type=whole_number("--seed", maximum=2**32 - 1), default=0, metavar="S")
    parser.add_argument("--columns", metavar="A,B", help="scan only these columns (comma-separated)")
    parser.add_argument("--salt-env", dest="salt_env", metavar="VAR", help="environment variable holding the salt")
    parser.add_argument("--name", metavar="VAR", help="bind the PIIReport to this variable")
    return parser


def _identifier(option: str, value: str | None) -> None:
    if value is not None and not value.isidentifier():
        raise UsageError(f"%synth_pii: {option} needs a valid variable name, got {value!r}.")


def synth_pii(shell: Any, line: str) -> None:
    """Scan a DataFrame for PII and display the panel; see the module docstring for options."""
    args = _parser().parse_line(line)
    _identifier("--apply-to", args.apply_to)
    _identifier("--name", args.name)
    salt = None
    if args.salt_env:
        salt = os.environ.get(args.salt_env)
        if not salt:
            raise UsageError(f"%synth_pii: the environment variable {args.salt_env!r} is not set or empty.")
    frame = get_frame(shell, args.df)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    bar = StepProgress("PII scan", {"column": "columns scanned"})
    if frame.shape[0] * frame.shape[1] >= PROGRESS_CELLS:
        bar.show()
    try:
        report = scan_pii(frame, sample_size=args.sample_size, seed=args.seed, columns=columns, progress=bar.update)
    finally:
        bar.close()
    if args.name:
        shell.user_ns[args.name] = report
    panel = pii_panel(report, frame, namespace=shell.user_ns, target=args.apply_to or f"{args.df}_clean", salt=salt)
    if args.apply_to and panel.apply() is None:
        raise UsageError(f"%synth_pii: {panel.last_error}")
    display(panel)

"""``%synth_profile df [--full [--minimal] [--out PATH]] [--kind COLUMN=KIND ...] [--name VAR]``

Profiles the DataFrame ``df`` and shows the panel (Overview, Columns, Outliers,
Correlations). ``--full`` also writes ydata-profiling's HTML report (offline, analytics
off) to ``--out`` or ``out/<df>_profile_full.html`` under the current directory;
``--minimal`` uses ydata's faster minimal mode. ``--kind`` overrides an inferred
column kind; ``--name`` binds the Profile object to a variable.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.display import display

from ...profiling import profile
from ..widgets.links import show_link
from ..widgets.profile import profile_panel
from ..widgets.progress import StepProgress
from ._common import MagicArgumentParser, get_frame

FULL_REPORT_STEPS = {
    "describe": "Describing every column (the longest step)",
    "structure": "Building the report",
    "render": "Rendering HTML",
    "write": "Writing the file",
    "done": "Done",
}
USAGE = "%%synth_profile df [--full [--minimal] [--out PATH]] [--kind COLUMN=KIND ...] [--name VAR]"


def _parser() -> MagicArgumentParser:
    # An explicit usage keeps argparse from wrapping it over several lines.
    parser = MagicArgumentParser("synth_profile", usage=USAGE)
    parser.add_argument("df", help="name of a pandas DataFrame in the notebook")
    parser.add_argument("--full", action="store_true", help="also write ydata-profiling's HTML report")
    parser.add_argument("--minimal", action="store_true", help="with --full: ydata's minimal (faster) mode")
    parser.add_argument("--out", metavar="PATH", help="with --full: where to write the HTML report")
    parser.add_argument("--kind", action="append", default=[], metavar="COLUMN=KIND", help="override a column kind")
    parser.add_argument("--name", metavar="VAR", help="bind the Profile to this variable")
    return parser


def synth_profile(shell: Any, line: str) -> None:
    """Profile a DataFrame and display the panel; see the module docstring for options."""
    args = _parser().parse_line(line)
    if (args.out or args.minimal) and not args.full:
        raise UsageError("%synth_profile: --out and --minimal apply to the ydata report; add --full.")
    if args.name is not None and not args.name.isidentifier():
        raise UsageError(f"%synth_profile: --name needs a valid variable name, got {args.name!r}.")
    frame = get_frame(shell, args.df)
    result = profile(frame, kinds=_kinds(args.kind), name=args.df)
    if args.name:
        shell.user_ns[args.name] = result
    display(profile_panel(result))
    if args.full:
        bar = StepProgress("ydata report", FULL_REPORT_STEPS)
        bar.show()
        try:  # default: out/<df>_profile_full.html
            written = result.full_report(args.out, minimal=args.minimal, progress=bar.update)
        finally:
            bar.close()
        size_kb = written.stat().st_size / 1024
        show_link(written, f"Full ydata-profiling report ({size_kb:,.0f} KB): ")


def _kinds(pairs: list[str]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for pair in pairs:
        column, sep, kind = pair.rpartition("=")
        if not sep or not column or not kind:
            raise UsageError(f"%synth_profile: --kind expects COLUMN=KIND, got {pair!r}.")
        kinds[column] = kind
    return kinds

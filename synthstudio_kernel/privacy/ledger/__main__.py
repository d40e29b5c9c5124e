"""``python -m synthstudio_kernel.privacy.ledger check | settle-stale | forget``

- ``check [--json]``: database integrity, the journal's invariants and open reservations
  (exit 0 when healthy, 1 when problems were found);
- ``settle-stale [--older-than HOURS] [--run RUN_ID ...] [--dry-run]``: close runs whose
  process died before settling, charging their whole reservation;
- ``forget PATH``: drop the marker of a deleted ledger file so that a fresh, empty ledger
  may be created there (only after you decided the old record is lost).

``--url`` picks a ledger other than ``SYNTHSTUDIO_DB_URL`` / the default. Errors are one
line on stderr (exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ...errors import SynthStudioError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m synthstudio_kernel.privacy.ledger", description=__doc__)
    parser.add_argument("--url", help="ledger URL (default: SYNTHSTUDIO_DB_URL or the SQLite file in SYNTHSTUDIO_HOME)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="verify integrity and list open reservations")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    settle = commands.add_parser("settle-stale", help="settle reservations of runs that died")
    settle.add_argument("--older-than", type=float, default=None, metavar="HOURS", help="default 24")
    settle.add_argument("--run", action="append", default=[], metavar="RUN_ID", help="settle exactly this run")
    settle.add_argument("--dry-run", action="store_true", help="only list what would be settled")
    forget = commands.add_parser("forget", help="drop the marker of a deleted ledger file")
    forget.add_argument("path")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SynthStudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "forget":
        from .marker import forget

        had = forget(args.path)
        print("Marker removed; a new ledger may be created there." if had else "No marker for that file.")
        return 0
    from .admin import DEFAULT_STALE_HOURS, check_ledger, settle_stale
    from .ledger import Ledger

    ledger = Ledger(args.url) if args.url else None
    if args.command == "check":
        report = check_ledger(ledger)
        print(json.dumps(report.to_dict(), indent=2) if args.json else str(report))
        return 0 if report.ok else 1
    hours = DEFAULT_STALE_HOURS if args.older_than is None else args.older_than
    settled = settle_stale(ledger, older_than_hours=hours, run_ids=args.run or None, dry_run=args.dry_run)
    verb = "Would settle" if args.dry_run else "Settled"
    for r in settled:
        print(f"{verb} run {r.run_id} on {r.dataset!r}: charged its reservation ε={r.epsilon:.4g} (status failed).")
    if not settled:
        print("No stale reservations.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

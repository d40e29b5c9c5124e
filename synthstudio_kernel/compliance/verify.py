"""``python -m synthstudio_kernel.compliance.verify [--db URL]``: check the run log's hash chain.

Exit status 0 when intact, 1 when a row was changed, removed or inserted.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=None, help="ledger URL (default: SYNTHSTUDIO_DB_URL or SYNTHSTUDIO_HOME)")
    args = parser.parse_args(argv)
    from ..privacy.ledger import runlog
    from ..privacy.ledger.ledger import Ledger

    ledger = Ledger(args.db)
    try:
        result = runlog.verify_run_log(ledger)
    finally:
        ledger.close()
    print(result)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

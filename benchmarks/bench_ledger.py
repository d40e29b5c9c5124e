"""Privacy-ledger throughput: reserve+settle per second on SQLite and PostgreSQL, alone and
with 4 processes racing for one budget; budget reads with a long run history.

    python benchmarks/bench_ledger.py [--pg-url URL] [--ops 300] [--processes 4]

PostgreSQL runs when --pg-url or SYNTHSTUDIO_TEST_PG_URL is set (``eval "$(bash
scripts/postgres.sh)"`` starts a throwaway server), in a scratch schema dropped
afterwards. Prints a markdown table. Every race also checks that the budget was
never overspent.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from synthstudio_kernel.privacy.ledger import Ledger
from synthstudio_kernel.privacy.ledger.stress import race


def single_process(url: str, ops: int) -> tuple[float, float]:
    """Seconds for ``ops`` reserve+settle pairs, and for one budget() read afterwards."""
    ledger = Ledger(url)
    name = f"bench-{uuid.uuid4().hex[:8]}"
    ledger.register_dataset(name=name, fingerprint=uuid.uuid4().hex, rows=1000, total_epsilon=ops * 1.0)
    started = time.perf_counter()
    for _ in range(ops):
        run_id = uuid.uuid4().hex
        ledger.reserve(run_id=run_id, dataset_id=name, epsilon=1.0, delta=1e-6, method="bench", params={"epochs": 1})
        ledger.settle(run_id=run_id, epsilon_spent=1.0, status="succeeded", accounting={"steps": 10})
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    status = ledger.budget(name, run_limit=100)
    read = time.perf_counter() - started
    assert status.spent == ops and status.remaining == 0.0
    ledger.close()
    return elapsed, read


def contention(url: str, ops: int, processes: int) -> tuple[float, int, bool]:
    """Seconds for ``processes`` spawned processes to spend a budget of ``ops`` runs together."""
    ledger = Ledger(url)
    name = f"race-{uuid.uuid4().hex[:8]}"
    ledger.register_dataset(name=name, fingerprint=uuid.uuid4().hex, rows=1000, total_epsilon=ops * 0.5)
    ledger.close()
    result = race(url, dataset=name, processes=processes, epsilon=0.5, timeout_s=600)
    if result.errors:
        raise RuntimeError(f"race failed: {result.errors[0]}")
    return result.seconds, result.granted, result.overspent


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as folder:
        yield f"sqlite:///{Path(folder) / 'ledger.db'}"


@contextmanager
def postgres_url(base: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default=os.environ.get("SYNTHSTUDIO_TEST_PG_URL"))
    parser.add_argument("--ops", type=int, default=300, help="reserve+settle pairs per scenario")
    parser.add_argument("--processes", type=int, default=4)
    args = parser.parse_args()

    backends: list[tuple[str, Callable[[], object]]] = [("SQLite (WAL, synchronous=FULL)", sqlite_url)]
    if args.pg_url:
        backends.append(("PostgreSQL", lambda: postgres_url(args.pg_url)))

    rows = []
    for label, make in backends:
        with make() as url:  # type: ignore[attr-defined]
            elapsed, read = single_process(url, args.ops)
            rows.append((label, "1 process", args.ops, elapsed, "no", f"{read * 1000:.1f} ms"))
            seconds, granted, overspent = contention(url, args.ops, args.processes)
            rows.append(
                (label, f"{args.processes} processes racing", granted, seconds, "YES" if overspent else "no", "")
            )

    print(f"\nPrivacy ledger: reserve + settle pairs ({os.cpu_count()} CPUs; shared machine, figures pessimistic)\n")
    print("| backend | scenario | pairs | seconds | pairs/s | overspent | budget() read, 100 runs listed |")
    print("|---|---|---|---|---|---|---|")
    for label, scenario, pairs, seconds, overspent, read in rows:
        print(f"| {label} | {scenario} | {pairs} | {seconds:.2f} | {pairs / seconds:,.0f} | {overspent} | {read} |")
    if not args.pg_url:
        print(
            '\nPostgreSQL skipped: set SYNTHSTUDIO_TEST_PG_URL (eval "$(bash scripts/postgres.sh)") or pass --pg-url.'
        )


if __name__ == "__main__":
    main()

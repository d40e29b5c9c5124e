"""Several processes racing to spend one budget.

Used by the concurrency tests and the benchmark, and useful to check a deployment's
database (``python -m synthstudio_kernel.privacy.ledger.stress URL``; use a scratch
database: it leaves a ``stress-…`` dataset behind): every process
reserves (and settles) ``epsilon`` again and again until the ledger refuses; the
budget must end up spent exactly to the last whole run, never beyond.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from ...errors import BudgetExceeded
from .ledger import Ledger
from .records import EPSILON_TOLERANCE


@dataclass(frozen=True)
class RaceResult:
    """What the race did to the budget."""

    processes: int
    epsilon: float
    total: float
    granted: int
    refused: int
    spent: float
    reserved: float
    seconds: float
    errors: tuple[str, ...]

    @property
    def expected_grants(self) -> int:
        """Runs of ``epsilon`` that fit the total (what a correct ledger grants)."""
        return math.floor(self.total / self.epsilon + EPSILON_TOLERANCE)

    @property
    def overspent(self) -> bool:
        return self.spent + self.reserved > self.total + EPSILON_TOLERANCE

    @property
    def ops_per_s(self) -> float:
        """Granted reserve(+settle) operations per second, all processes together."""
        return self.granted / self.seconds if self.seconds > 0 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "expected_grants": self.expected_grants, "overspent": self.overspent}


def _worker(url: str, dataset: str, epsilon: float, settle: bool, go: Any, out: Any) -> None:
    granted = refused = 0
    error = ""
    try:
        ledger = Ledger(url)
        out.put(("ready", 0, 0, ""))
        go.wait(60)
        while True:
            run_id = uuid.uuid4().hex
            try:
                ledger.reserve(
                    run_id=run_id, dataset_id=dataset, epsilon=epsilon, delta=0.0, method="stress", params={}
                )
            except BudgetExceeded:
                refused += 1
                break
            granted += 1
            if settle:
                ledger.settle(run_id=run_id, epsilon_spent=epsilon, status="succeeded", accounting={})
        ledger.close()
    except Exception as exc:  # reported to the parent, which fails the race
        error = f"{type(exc).__name__}: {exc}"
    out.put(("done", granted, refused, error))


def race(
    url: str,
    *,
    dataset: str,
    processes: int = 4,
    epsilon: float = 0.25,
    settle: bool = True,
    timeout_s: float = 120.0,
) -> RaceResult:
    """Start ``processes`` spawned processes that spend ``dataset``'s budget at once."""
    ctx = mp.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(url, dataset, epsilon, settle, go, out)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    granted = refused = ready = done = 0
    errors: list[str] = []
    deadline = time.monotonic() + timeout_s
    started = time.perf_counter()
    try:
        while done < processes:
            kind, g, r, error = out.get(timeout=max(0.1, deadline - time.monotonic()))
            if kind == "ready":
                ready += 1
                if ready == processes:
                    started = time.perf_counter()
                    go.set()
                continue
            done += 1
            granted, refused = granted + g, refused + r
            if error:
                errors.append(error)
                go.set()
    finally:
        seconds = time.perf_counter() - started
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
    ledger = Ledger(url)
    try:
        status = ledger.budget(dataset, run_limit=0)
    finally:
        ledger.close()
    return RaceResult(
        processes=processes,
        epsilon=epsilon,
        total=status.total,
        granted=granted,
        refused=refused,
        spent=status.spent,
        reserved=status.reserved,
        seconds=seconds,
        errors=tuple(errors),
    )


def main(argv: list[str] | None = None) -> int:
    """Race on a throwaway dataset in the ledger at URL; exit 1 if it overspends."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("url")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--total", type=float, default=5.0)
    parser.add_argument("--epsilon", type=float, default=0.25)
    args = parser.parse_args(argv)
    name = f"stress-{uuid.uuid4().hex[:12]}"
    ledger = Ledger(args.url)
    ledger.register_dataset(name=name, fingerprint=uuid.uuid4().hex, rows=0, total_epsilon=args.total)
    ledger.close()
    result = race(args.url, dataset=name, processes=args.processes, epsilon=args.epsilon)
    print(result.to_dict())
    ok = not result.overspent and not result.errors and result.granted == result.expected_grants
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

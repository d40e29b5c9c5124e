"""Faults: kill -9 during DP training and during save, a flipped byte anywhere in a model
file, and two processes racing for the last of a budget. Nothing lost, nothing charged twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.errors import ArtifactError
from synthstudio_kernel.privacy.ledger import close_ledgers, get_ledger
from synthstudio_kernel.privacy.ledger.admin import check_ledger, settle_stale

ROOT = Path(__file__).resolve().parents[2]
BOUNDS = {"age": (18, 65), "bmi": (15, 55), "children": (0, 6), "charges": (1000, 65000)}
DP = {"epochs": 3, "batch_size": 100, "embedding_dim": 8, "compress_dims": [16], "decompress_dims": [16]}


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SYNTHSTUDIO_DB_URL"}
    return {**env, "PYTHONPATH": str(ROOT), "SYNTHSTUDIO_HOME": str(home), "OMP_NUM_THREADS": "1"}


def _table_file(folder: Path) -> Path:
    path = folder / "insurance.pkl"
    ss.load_sample("insurance").to_pickle(path)
    return path


_KILLED_IN_TRAINING = """
import os, signal, sys
import pandas as pd
import synthstudio_kernel as ss
frame = pd.read_pickle(sys.argv[1])
def die(event):
    os.kill(os.getpid(), signal.SIGKILL)   # after the first epoch: the data has been touched
ss.train(frame, method="dp-tvae", epsilon=2.0, dataset="ins", callbacks=[die], **{dp})
"""


def test_kill_9_during_dp_training_keeps_the_reservation_until_settled_once(synth_home, tmp_path):
    # Setup
    table = _table_file(tmp_path)
    ss.register_dataset(pd.read_pickle(table), "ins", total_epsilon=5.0)
    close_ledgers()

    # Run: a kernel dies mid-training
    script = _KILLED_IN_TRAINING.format(dp=DP)
    done = subprocess.run(
        [sys.executable, "-c", script, str(table)], env=_env(synth_home), capture_output=True, timeout=600
    )

    # Assert: the reservation still counts (nothing forgotten), check sees it, settling charges it once
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    status = ss.budget("ins")
    assert (status.spent, status.reserved, status.remaining) == (0.0, 2.0, 3.0)
    report = check_ledger()
    assert report.ok and [r.epsilon for r in report.open_reservations] == [2.0]
    settled = settle_stale(run_ids=[report.open_reservations[0].run_id])
    assert len(settled) == 1 and settle_stale(older_than_hours=0) == []
    status = ss.budget("ins")
    assert (status.spent, status.reserved, status.remaining) == (2.0, 0.0, 3.0)
    assert check_ledger().ok


_KILLED_IN_SAVE = """
import os, signal, sys
import synthstudio_kernel as ss
from synthstudio_kernel import fileio
model = ss.load_model(sys.argv[1])
real_fsync = os.fsync
def die(fd):
    os.kill(os.getpid(), signal.SIGKILL)   # the new bytes are written, not yet renamed into place
os.fsync = die
model.save(sys.argv[1])
"""


def test_kill_9_during_save_keeps_the_old_model(synth_home, tmp_path):
    # Setup
    frame = ss.load_sample("insurance").head(300)
    folder = tmp_path / "models"
    path = ss.train(frame, method="gaussian-copula", seed=1).save(folder / "model.synth")
    before = path.read_bytes()

    # Run
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_IN_SAVE, str(path)], env=_env(synth_home), capture_output=True, timeout=600
    )

    # Assert: the old file is intact and loads; the crash's temporary file is hidden and cleaned later
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    assert path.read_bytes() == before
    assert ss.load_model(path).sample(3).shape[0] == 3
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == ["model.synth"]


def test_a_flipped_byte_anywhere_in_a_model_file_is_an_artifact_error(synth_home, tmp_path):
    # Setup
    frame = ss.load_sample("insurance").head(200)
    path = ss.train(frame, method="gaussian-copula", seed=1).save(tmp_path / "model.synth")
    data = path.read_bytes()
    step = max(1, len(data) // 1500)
    positions = sorted({*range(0, 400), *range(0, len(data), step), *range(max(0, len(data) - 400), len(data))})
    bad = tmp_path / "bad.synth"

    # Run / Assert: every flipped byte (header, payload, zip structures, the seal) is detected
    for position in positions:
        damaged = bytearray(data)
        damaged[position] ^= 0x10
        bad.write_bytes(bytes(damaged))
        with pytest.raises(ArtifactError) as info:
            ss.load_model(bad)
        assert "\n" not in str(info.value), position


_RACER = """
import sys
import pandas as pd
import synthstudio_kernel as ss
from synthstudio_kernel.errors import BudgetExceeded
frame = pd.read_pickle(sys.argv[1])
try:
    model = ss.train(frame, method="dp-tvae", epsilon=0.6, dataset="ins", force=True, public_bounds={bounds}, **{dp})
    print("TRAINED", model.run.privacy["epsilon"])
except BudgetExceeded as exc:
    print("REFUSED", str(exc).count(chr(10)))
"""


def test_two_processes_racing_near_the_budget_limit_never_overspend(synth_home, tmp_path):
    # Setup: 1.0 ε left, two kernels each want 0.6
    table = _table_file(tmp_path)
    ss.register_dataset(pd.read_pickle(table), "ins", total_epsilon=1.0)
    close_ledgers()
    script = _RACER.format(dp=DP, bounds=BOUNDS)

    # Run
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(table)], env=_env(synth_home), stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600)[0].decode().strip().splitlines()[-1] for p in procs]

    # Assert: exactly one trained; the other got one clean BudgetExceeded; spent within the total
    assert sorted(o.split()[0] for o in outputs) == ["REFUSED", "TRAINED"], outputs
    assert "REFUSED 0" in outputs
    status = ss.budget("ins")
    assert status.reserved == 0.0 and 0 < status.spent <= 0.6 + 1e-9 and status.spent <= status.total
    runs = [r for r in get_ledger().list_runs("ins") if r.status != "refused"]
    assert len(runs) == 1 and runs[0].status == "succeeded"

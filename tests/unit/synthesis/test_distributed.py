"""DP-SGD across processes: two gloo processes on CPU give the same plan and epsilon as one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

import synthstudio_kernel as ss
from synthstudio_kernel.privacy.randomness import SecureNoise
from synthstudio_kernel.synthesis.dp.distributed import ShardedPoissonSampler, distributed_class

PUBLIC = {"public_bounds": {"age": [18, 90], "income": [0, 100_000]}, "categories": {"city": ["a", "b", "c"]}}


def test_shards_cover_every_row_once_and_batches_are_poisson() -> None:
    # Setup
    n, world, q = 1001, 3, 0.1
    samplers = [ShardedPoissonSampler(n, rank=r, world=world, sample_rate=q, noise=SecureNoise()) for r in range(world)]

    # Run
    shards = torch.cat([s.positions for s in samplers])
    sizes = [len(batch) for s in samplers for _ in range(20) for batch in s]

    # Assert: a partition of all rows, int(1/q) batches per epoch on every process, mean size q * shard
    assert sorted(shards.tolist()) == list(range(n))
    assert all(len(s) == 10 for s in samplers)
    assert len(sizes) == world * 20 * 10
    assert abs(np.mean(sizes) - q * n / world) < 3.0
    assert np.std(sizes) > 1.0  # Poisson batch sizes vary (fixed-size batches would break the analysis)


def test_twin_class_keeps_name_and_turns_back() -> None:
    from synthstudio_kernel.synthesis import registry

    plain = registry.get("dp-tvae")
    twin = distributed_class(plain)
    model = twin(epochs=1)
    assert twin.name == plain.name and isinstance(model, plain)
    model.__class__ = plain  # what the launcher does before saving
    assert type(model) is plain


@pytest.mark.slow
def test_two_processes_give_the_plan_and_epsilon_of_one(tmp_path: Path, synth_home: Path) -> None:
    # Setup
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": rng.normal(50_000, 10_000, n),
            "city": rng.choice(["a", "b", "c"], n),
        }
    )
    path = tmp_path / "people.parquet"
    frame.to_parquet(path, index=False)
    config = {"epsilon": 3.0, "epochs": 2, "batch_size": 50}

    # Run: one process
    single = ss.train(ss.table(path), method="dp-tvae", dataset="people", **config, **PUBLIC).privacy_report().to_dict()
    # Run: two processes under torchrun (gloo on CPU)
    report = tmp_path / "report.json"
    command = [
        sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
        "-m", "synthstudio_kernel.synthesis.dp.distributed",
        "--data", str(path), "--method", "dp-tvae", "--epsilon", "3", "--epochs", "2", "--batch-size", "50",
        "--params", json.dumps(PUBLIC), "--report", str(report), "--out", str(tmp_path / "model.synth"),
        "--dataset", "people",
    ]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    distributed = json.loads(report.read_text())

    # Assert: the accountant saw the global sample rate and the same steps
    assert distributed["world_size"] == 2
    for key in ("epsilon", "delta", "noise_multiplier", "sample_rate", "steps", "preprocessing_epsilon", "accountant"):
        assert distributed[key] == single[key], key
    assert distributed["sample_rate"] == pytest.approx(50 / n)
    model = ss.load_model(tmp_path / "model.synth")
    sample = model.sample(50)
    assert list(sample.columns) == list(frame.columns) and len(sample) == 50
    # Process 0 charged the same named dataset in the ledger.
    status = ss.budget("people")
    assert status.spent == pytest.approx(single["epsilon"] + distributed["epsilon"])


@pytest.mark.slow
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (NCCL backend)")
def test_distributed_training_runs_on_cuda(tmp_path: Path, synth_home: Path) -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 90, 300),
            "income": rng.normal(5e4, 1e4, 300),
            "city": rng.choice(["a", "b", "c"], 300),
        }
    )
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    gpus = str(min(torch.cuda.device_count(), 2))
    command = [
        sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", gpus,
        "-m", "synthstudio_kernel.synthesis.dp.distributed", "--device", "cuda",
        "--data", str(tmp_path / "t.parquet"), "--epsilon", "3", "--epochs", "1", "--batch-size", "50",
        "--params", json.dumps(PUBLIC), "--report", str(tmp_path / "r.json"), "--dataset", "gpu-people",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads((tmp_path / "r.json").read_text())["world_size"] == int(gpus)

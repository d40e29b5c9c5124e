"""What a DP run releases: secret noise, a neighbouring-table test, no private facts in artifacts."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.release import INTERNAL_FACTS, ROW_COUNT_FIELDS
from synthstudio_kernel.synthesis.artifact import HEADER_NAME

METHODS = ["dp-tvae", "dp-ctgan"]
SMALL = {
    "dp-tvae": {"compress_dims": (16,), "decompress_dims": (16,), "embedding_dim": 4},
    "dp-ctgan": {"generator_dims": (16,), "discriminator_dims": (16,), "embedding_dim": 4},
}
CANARY_WORD = "zq-canary-7f3a91"
CANARY_NUMBER = 987654.3217


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _frame(n: int = 1000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=n),
            "income": np.round(rng.gamma(2.0, 20000.0, size=n), 2),
            "plan": rng.choice(["basic", "plus", "premium"], size=n, p=[0.5, 0.3, 0.2]),
            "visits": rng.poisson(3, size=n),
        }
    )


def _with_canary(frame: pd.DataFrame) -> pd.DataFrame:
    canary = pd.DataFrame({"age": [89], "income": [CANARY_NUMBER], "plan": [CANARY_WORD], "visits": [99999999]})
    return pd.concat([frame, canary], ignore_index=True)


def _train(frame: pd.DataFrame, method: str, name: str, **extra: Any) -> Any:
    from synthstudio_kernel.privacy.ledger import get_ledger

    if get_ledger().find_dataset(name) is None:
        ss.register_dataset(frame, name, total_epsilon=1e6)
    params = {"epochs": 2, "batch_size": 100, **SMALL[method], **extra}
    return ss.train(frame, method, epsilon=3.0, dataset=name, seed=11, **params)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


#: Released fields that differ between any two runs whatever the data (ids, clocks).
_PER_RUN = ("id", "created_at", "finished_at", "timings", "saved_at")
#: Outputs of accounted mechanisms (noisy statistics and what is post-processed from them).
_MECHANISM_OUTPUTS = ("privacy.preprocessing.released", "privacy.mechanisms", "privacy.preprocessing.threshold")


def _comparable(header: dict[str, Any]) -> dict[str, Any]:
    flat = _flatten(header)
    keep = {}
    for key, value in flat.items():
        parts = key.split(".")
        if any(p in _PER_RUN for p in parts) or parts[-1] in ROW_COUNT_FIELDS or parts[-1] == "payload_sha256":
            continue
        if any(key.startswith(f"run.{m}") for m in _MECHANISM_OUTPUTS):
            continue
        if parts[-1] == "preprocessing_epsilon" or parts[-1] == "noise_multiplier":
            continue  # calibrated from the (public) row count
        keep[key] = value
    return keep


@pytest.mark.parametrize("method", METHODS)
def test_neighbouring_tables_release_the_same_facts_and_never_the_canary(method: str, tmp_path: Path) -> None:
    # Setup: D and D plus one canary row (unique category, extreme number, a fresh key)
    base = _frame()
    neighbour = _with_canary(base)

    # Run
    paths, infos = [], []
    for frame, name in ((base, "release-d"), (neighbour, "release-d")):  # D+canary: a version of "release-d"
        model = _train(frame, method, name)
        paths.append(model.save(tmp_path / f"{len(paths)}.synth"))
        infos.append({k: v for k, v in model.synthesizer.dataset_info.items() if k != "rows"})

    # Assert: every released fact outside the mechanisms' outputs and the public row count is identical
    headers = []
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            header = json.loads(archive.read(HEADER_NAME))
        headers.append(header)
        assert "dataset_fingerprint" not in header["run"]
        assert not set(header["run"]["facts"]) & set(INTERNAL_FACTS)
        assert header["run"]["facts"]["training"]["final_losses"] == {}
    a, b = (_comparable(h) for h in headers)
    assert a == b
    assert infos[0] == infos[1]  # the schema the models keep: names, dtypes, kinds
    assert headers[0]["run"]["dataset_rows"] + 1 == headers[1]["run"]["dataset_rows"]
    # ... and the canary's values appear nowhere in either artifact (stored uncompressed).
    for path in paths:
        raw = path.read_bytes()
        assert CANARY_WORD.encode() not in raw
        assert np.float64(CANARY_NUMBER).tobytes() not in raw and np.float32(CANARY_NUMBER).tobytes() not in raw
        assert str(CANARY_NUMBER).encode() not in raw and b"99999999" not in raw
        loaded = ss.load_model(path)
        assert CANARY_WORD not in loaded.sample(500, seed=0)["plan"].astype(str).tolist()


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_and_same_global_seeds_give_different_noise(method: str) -> None:
    frame = _frame()
    models = []
    for _ in range(2):
        random.seed(0)
        np.random.seed(0)
        import torch

        torch.manual_seed(0)
        models.append(_train(frame, method, "release-d"))
    first, second = (m.synthesizer for m in models)
    # The noisy category counts of preprocessing differ ...
    counts = [s.transformer.meta.categorical["plan"].counts for s in (first, second)]
    assert counts[0] != counts[1]
    # ... and so do the trained weights.
    weights = [np.concatenate([p.detach().numpy().ravel() for p in _module(s).parameters()]) for s in (first, second)]
    assert len(weights[0]) != len(weights[1]) or not np.allclose(weights[0], weights[1])
    # The seed still fixes sampling from a released model.
    assert models[0].sample(50, seed=4).equals(models[0].sample(50, seed=4))
    assert models[0].run.seed == 11


def _module(synthesizer: Any) -> Any:
    return synthesizer._vae if synthesizer.name == "dp-tvae" else synthesizer._generator


def test_reproducible_noise_is_opt_in_and_voids_the_guarantee_everywhere() -> None:
    frame = _frame()
    models = [_train(frame, "dp-tvae", "release-d", insecure_reproducible_noise=True) for _ in range(2)]
    first, second = (m.synthesizer for m in models)
    assert first.transformer.meta.categorical["plan"].counts == second.transformer.meta.categorical["plan"].counts
    report = models[0].privacy_report().to_dict()
    assert report["guarantee"] == "void" and "guarantee void: reproducible noise" in report["void"]
    assert "GUARANTEE VOID" in models[0].privacy_report().to_html()
    from synthstudio_kernel.privacy.ledger import get_ledger

    run = get_ledger().get_run(models[0].run.id)
    assert run is not None and run.accounting is not None and run.accounting["void"] == report["void"]


def test_internal_facts_stay_in_the_ledger(tmp_path: Path) -> None:
    # Setup: a table with a PII apply record (exact counts) and a value-derived safety report
    frame = _frame()
    frame.attrs["synthstudio_pii"] = {"actions": {"age": {"action": "top_code", "top_coded_90_plus": 3}}}
    model = _train(frame, "dp-tvae", "release-d", epochs=1)

    # Assert: the owner's ledger has them, the model and its artifact do not
    from synthstudio_kernel.privacy.ledger import get_ledger

    facts = get_ledger().get_run(model.run.id).facts
    assert facts["pii"]["actions"]["age"]["top_coded_90_plus"] == 3 and "checks" in facts["safety"]
    assert "pii" not in model.run.facts and "safety" not in model.run.facts
    raw = model.save(tmp_path / "m.synth").read_bytes()
    assert b"top_coded_90_plus" not in raw and model.run.dataset_fingerprint.encode() not in raw

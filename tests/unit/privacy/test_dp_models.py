"""DP-TVAE and DP-CTGAN: accounting of what ran, sampling, conditions, save/load, stopping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.privacy.accounting import Mechanism, RDPAccountant
from synthstudio_kernel.synthesis import registry
from synthstudio_kernel.synthesis.events import EpochEvent

METHODS = ["dp-tvae", "dp-ctgan"]


pytestmark = pytest.mark.usefixtures("one_torch_thread")


SMALL = {
    "dp-tvae": {"compress_dims": (32,), "decompress_dims": (32,), "embedding_dim": 8},
    "dp-ctgan": {"generator_dims": (32,), "discriminator_dims": (32,), "embedding_dim": 8},
}
PUBLIC = {
    "public_bounds": {"age": (18, 90), "income": (0, 200000)},
    "categories": {"smoker": ["yes", "no"], "region": ["north", "south", "east"]},
}


def _frame(n: int = 800, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    smoker = rng.choice(["yes", "no"], size=n, p=[0.3, 0.7])
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=n),
            "income": np.round(rng.gamma(2.0, 20000.0, size=n), 2),
            "smoker": smoker,
            "region": rng.choice(["north", "south", "east"], size=n),
        }
    )


def _fit(method: str, callbacks: tuple[Any, ...] = (), **extra: Any) -> Any:
    """Train through the one lifecycle (ss.train) and return the fitted synthesizer."""
    import synthstudio_kernel as ss

    ss.register_dataset(_frame(), "dp-models", total_epsilon=1e6)
    params = {"epochs": 2, "batch_size": 100, **SMALL[method], **PUBLIC, **extra}
    model = ss.train(_frame(), method, epsilon=4.0, dataset="dp-models", seed=7, callbacks=callbacks, **params)
    return model.synthesizer


@pytest.fixture(scope="module", params=METHODS)
def fitted(request: pytest.FixtureRequest) -> tuple[Any, list[EpochEvent]]:
    events: list[EpochEvent] = []
    return _fit(request.param, callbacks=(events.append,)), events


def test_reported_epsilon_equals_epsilon_recomputed_from_the_logged_facts(fitted: tuple[Any, list]) -> None:
    # Setup
    model, _ = fitted
    p = model.privacy
    pre = p["preprocessing"]

    # Run: rebuild the composition from the scalar facts alone
    again = RDPAccountant.of(
        [
            Mechanism("preprocessing", pre["noise_multiplier"], 1.0, pre["releases"], pre["selection_delta"]),
            Mechanism("dp-sgd", p["noise_multiplier"], p["sample_rate"], p["steps"]),
        ]
    ).epsilon(delta=p["delta"])

    # Assert
    assert p["epsilon"] == pytest.approx(again, rel=1e-12)
    assert p["epsilon"] <= p["target_epsilon"] == 4.0
    assert p["steps"] == p["planned_steps"] == 2 * int(800 / 100)
    assert p["sample_rate"] == pytest.approx(100 / 800)
    assert p["preprocessing_epsilon"] > 0 and p["accountant"] == "rdp"
    assert p["public"]["bounds"] == {"age": [18.0, 90.0], "income": [0.0, 200000.0]}


def test_dp_sgd_part_matches_opacus_accountant(fitted: tuple[Any, list]) -> None:
    # Setup
    from opacus.accountants import RDPAccountant as OpacusRDP

    p = fitted[0].privacy
    opacus = OpacusRDP()
    for _ in range(p["steps"]):
        opacus.step(noise_multiplier=p["noise_multiplier"], sample_rate=p["sample_rate"])

    # Run
    ours = RDPAccountant(orders=OpacusRDP.DEFAULT_ALPHAS)
    ours.add_dpsgd(noise_multiplier=p["noise_multiplier"], sample_rate=p["sample_rate"], steps=p["steps"])

    # Assert
    assert ours.epsilon(delta=p["delta"]) == pytest.approx(opacus.get_epsilon(p["delta"]), rel=1e-12)


def test_epoch_events_report_epsilon_spent_so_far(fitted: tuple[Any, list]) -> None:
    model, events = fitted
    epsilons = [e.epsilon for e in events]
    assert len(epsilons) == 2 and epsilons[0] < epsilons[1]
    assert epsilons[-1] == pytest.approx(model.privacy["epsilon"])
    assert all(np.isfinite(list(e.losses.values())).all() for e in events)


def test_samples_have_the_schema_and_conditions_hold(fitted: tuple[Any, list]) -> None:
    # Run
    model, _ = fitted
    rows = model.sample(300, seed=1)
    smokers = model.sample(40, conditions={"smoker": "yes"}, seed=1)

    # Assert
    assert list(rows.columns) == ["age", "income", "smoker", "region"]
    assert rows["age"].between(18, 90).all() and rows["income"].between(0, 200000).all()
    assert set(rows["smoker"]) <= {"yes", "no", "other"}
    assert len(smokers) == 40 and (smokers["smoker"] == "yes").all()
    assert model.sample(50, seed=3).equals(model.sample(50, seed=3))


def test_save_and_load_keep_the_model_and_its_privacy(fitted: tuple[Any, list], tmp_path: Path) -> None:
    # Setup
    from synthstudio_kernel.synthesis.model import TrainedModel, load_model
    from synthstudio_kernel.synthesis.run import RunRecord

    model, _ = fitted
    run = RunRecord.start(dataset_fingerprint="f" * 64, method=model.name, params={}, seed=7)
    run.privacy = model.privacy
    trained = TrainedModel(model, run)

    # Run
    path = trained.save(tmp_path / "model.synth")
    loaded = load_model(path)

    # Assert
    assert loaded.sample(100, seed=5).equals(trained.sample(100, seed=5))
    assert loaded.privacy_report().to_dict()["epsilon"] == pytest.approx(model.privacy["epsilon"])
    assert loaded.privacy_report().to_dict()["consistent"] is True
    raw = path.read_bytes()  # stored uncompressed: values would appear as their bytes
    incomes = _frame()["income"].to_numpy()[:200]
    assert not any(np.float64(v).tobytes() in raw for v in incomes)
    # Four bytes also occur by chance in 20 KB of weights and noisy floats (one of these 200 incomes
    # about once in 4,500 saves): a leak copies many rows, so more than one match fails.
    assert sum(np.float32(v).tobytes() in raw for v in incomes) <= 1
    assert not any(str(v).encode() in raw for v in incomes)


@pytest.mark.parametrize("method", METHODS)
def test_a_stop_request_ends_training_early_and_spends_less(method: str) -> None:
    # Run
    model = _fit(method, callbacks=(lambda event: event.request_stop(),), epochs=3)

    # Assert
    p = model.privacy
    assert model.stopped_early and p["steps"] == 8 < p["planned_steps"] == 24
    assert p["epsilon"] < p["target_epsilon"]


def test_classic_per_sample_gradients_also_train() -> None:
    model = _fit("dp-tvae", grad_sample_mode="hooks", epochs=1)
    assert model.privacy["steps"] == 8 and len(model.sample(10, seed=0)) == 10


@pytest.mark.parametrize("method", METHODS)
def test_a_direct_fit_cannot_release_a_model_without_a_ledger_charge(method: str) -> None:
    from synthstudio_kernel.errors import ConfigError
    from synthstudio_kernel.privacy.planning import default_delta

    synthesizer = registry.create(method, epochs=1, batch_size=100, **SMALL[method], **PUBLIC)
    with pytest.raises(ConfigError, match=r"ss\.train"):
        synthesizer.fit(_frame())
    # Even with a plan attached by hand: no reservation in the ledger, no training.
    from synthstudio_kernel.data import as_dataset

    data = as_dataset(_frame()).with_schema_kinds()
    synthesizer.attach_plan(synthesizer.make_plan(data, epsilon=4.0, delta=default_delta(800)))
    synthesizer.reservation = "0" * 32
    with pytest.raises(ConfigError, match=r"ss\.train"):
        synthesizer.fit(data)
    assert not synthesizer.fitted and not synthesizer.data_touched
    with pytest.raises(ConfigError, match="Unknown parameter"):
        registry.create(method, nonsense=1)

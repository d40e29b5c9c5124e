"""dp-mst and dp-aim end to end: accounting of what ran, rounds, sampling, save/load, secure noise,
small tables, and the neighbouring-table release test."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.errors import ConfigError, PrivacyError
from synthstudio_kernel.privacy.accounting import RDPAccountant
from synthstudio_kernel.synthesis import registry

METHODS = ["dp-mst", "dp-aim"]
FAST = {"dp-mst": {"iters": 150}, "dp-aim": {"iters": 150, "round_iters": 15, "rounds": 6}}


def _frame(n: int = 1000, seed: int = 0, positive: float = 0.3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    smoker = rng.choice(["yes", "no"], size=n, p=[0.3, 0.7])
    age = rng.integers(18, 80, size=n)
    score = (smoker == "yes") * 1.5 + (age > 60) * 1.0 + rng.normal(0, 1, n)
    flag = score > np.quantile(score, 1 - positive)
    return pd.DataFrame(
        {
            "age": age,
            "income": np.round(rng.gamma(2.0, 20000.0, size=n), 2),
            "smoker": smoker,
            "region": rng.choice(["north", "south", "east"], size=n),
            "flag": np.where(flag, "bad", "good"),
        }
    )


def _named(table: pd.DataFrame) -> str:
    """A ledger dataset for ``table`` with a budget no test exhausts (DP runs need a named dataset)."""
    from synthstudio_kernel.data import as_dataset
    from synthstudio_kernel.privacy.ledger import get_ledger

    name = f"marginal-{as_dataset(table).fingerprint[:12]}"
    if get_ledger().find_dataset(name) is None:
        ss.register_dataset(table, name, total_epsilon=1e6)
    return name


def _fit(
    method: str, frame: pd.DataFrame | None = None, callbacks: tuple[Any, ...] = (), seed: int = 7, **extra: Any
) -> Any:
    """Train through ss.train (the one lifecycle, charged to the ledger); return the synthesizer."""
    table = _frame() if frame is None else frame
    params = {"epsilon": 2.0, "delta": 1e-5, **FAST[method], **extra}
    model = ss.train(table, method, dataset=_named(table), seed=seed, callbacks=callbacks, **params)
    return model.synthesizer


@pytest.fixture(scope="module", params=METHODS)
def fitted(request: pytest.FixtureRequest) -> tuple[Any, list[Any]]:
    events: list[Any] = []
    return _fit(request.param, callbacks=(events.append,), target="flag"), events


def test_privacy_facts_are_recomputed_from_the_executed_mechanisms(fitted: tuple[Any, list[Any]]) -> None:
    model, _ = fitted
    p = model.privacy

    again = RDPAccountant.from_dict({"accountant": "rdp", "mechanisms": p["mechanisms"]}).epsilon(delta=p["delta"])

    assert p["guarantee"] == "dp" and p["method"] == model.name
    assert p["epsilon"] == again == model.spent.epsilon(delta=p["delta"])
    assert p["epsilon"] <= p["target_epsilon"] == 2.0
    assert p["epsilon"] > 0.99 * p["target_epsilon"]  # the plan spends (almost) all of it
    labels = [m["label"] for m in p["mechanisms"]]
    assert sum(label.startswith("select:") for label in labels) >= 1
    assert sum(label.startswith("measure:") for label in labels) == len([c for c in p["cliques"]])
    assert {"categories:smoker", "one-way:age", "bounds:age"} <= set(labels)
    assert 0 < p["preprocessing_epsilon"] < p["epsilon"]
    assert p["rounds"] >= 1 and all(len(c) >= 2 for c in p["cliques"])


def test_every_round_reports_epsilon_spent_so_far(fitted: tuple[Any, list[Any]]) -> None:
    model, events = fitted
    assert len(events) == model.privacy["rounds"] >= 1
    spent = [e.epsilon for e in events]
    assert spent == sorted(spent) and spent[-1] <= model.privacy["epsilon"] + 1e-9
    assert all("selected" in e.extra for e in events)


def test_samples_keep_the_schema_dtypes_and_bounds(fitted: tuple[Any, list[Any]]) -> None:
    model, _ = fitted
    frame = _frame()

    sample = model.sample(500, seed=3)

    assert list(sample.columns) == list(frame.columns) and len(sample) == 500
    assert sample["age"].dtype == frame["age"].dtype  # integers stay integers
    assert sample["income"].dtype == np.float64
    assert set(sample["smoker"]) <= {"yes", "no", "other"}
    assert sample["age"].between(0, 128).all() and (sample["income"] >= 0).all()
    assert model.sample(200, seed=4).equals(model.sample(200, seed=4))  # the user's seed fixes sampling


def test_conditions_on_a_category_hold(fitted: tuple[Any, list[Any]]) -> None:
    model, _ = fitted
    sample = model.sample(300, conditions={"smoker": "yes"}, seed=1)
    assert (sample["smoker"] == "yes").all()


@pytest.mark.parametrize("method", METHODS)
def test_a_stop_request_ends_the_rounds_and_spends_less(method: str) -> None:
    model = _fit(method, callbacks=(lambda event: event.request_stop(),))
    p = model.privacy
    assert model.stopped_early and p["rounds"] == 1
    assert p["epsilon"] < p["target_epsilon"]
    assert len(model.sample(50, seed=0)) == 50


@pytest.mark.parametrize("method", METHODS)
def test_measurements_use_secure_noise_not_the_seed(method: str) -> None:
    # Two runs with the same seed and the same global seeds: the released noisy counts differ.
    np.random.seed(0)
    first = _fit(method)
    np.random.seed(0)
    second = _fit(method)
    assert first.codecs["age"].fine_counts != second.codecs["age"].fine_counts
    assert not np.allclose(first.model.marginal(("smoker",)), second.model.marginal(("smoker",)))


@pytest.mark.parametrize("method", METHODS)
def test_train_save_load_and_sample_through_the_pipeline(method: str, synth_home: Path, tmp_path: Path) -> None:
    frame = _frame()
    model = ss.train(frame, method=method, epsilon=2.0, seed=5, dataset=_named(frame), **FAST[method])
    report = model.privacy_report().to_dict()
    assert report["consistent"] is True and report["epsilon"] <= 2.0

    path = model.save(tmp_path / f"{method}.ssmodel")
    loaded = ss.load_model(path)

    assert loaded.sample(100, seed=5).equals(model.sample(100, seed=5))
    assert loaded.privacy_report().to_dict()["epsilon"] == report["epsilon"]
    raw = path.read_bytes()
    incomes = frame["income"].to_numpy()[:200]
    assert not any(struct.pack("<d", v) in raw or struct.pack(">d", v) in raw for v in incomes)
    assert not any(str(v).encode() in raw for v in incomes)


def test_parameters_and_budgets_are_checked_before_the_data_is_read() -> None:
    with pytest.raises(ConfigError, match="Unknown parameter"):
        registry.create("dp-aim", nonsense=1)
    with pytest.raises(ConfigError, match=r"ss\.train"):
        registry.create("dp-mst").fit(_frame())  # no ledger reservation: no release
    with pytest.raises(PrivacyError, match="too small"):
        registry.create("dp-mst").make_plan(ss_dataset(_frame(300)), epsilon=0.2, delta=1e-5)
    with pytest.raises(PrivacyError, match="too small"):
        registry.create("dp-mst").make_plan(ss_dataset(_frame(300)), epsilon=0.01, delta=1e-5)
    with pytest.raises(ConfigError, match="target"):
        registry.create("dp-aim", target="nope").make_plan(ss_dataset(_frame()), epsilon=1.0, delta=1e-5)


def ss_dataset(frame: pd.DataFrame) -> Any:
    from synthstudio_kernel.data import as_dataset

    return as_dataset(frame)


def test_the_rare_class_of_a_small_table_survives_at_epsilon_one() -> None:
    """1,000 rows, 5% positives, classes not declared. The DP selection of the target's classes
    (threshold about 43 rows at σ 8 here) loses the 50 positives in about 18% of runs (measured
    over 4,000 draws), so the share is averaged over 20 runs: it falls under 0.025 only when 11
    or more lose the class, about once in 10^4."""
    frame = _frame(1000, seed=3, positive=0.05)
    shares = []
    for run in range(20):
        model = _fit("dp-aim", frame, seed=run, epsilon=1.0, target="flag", iters=80, round_iters=10)
        shares.append(float((model.sample(2000, seed=run)["flag"] == "bad").mean()))
    assert 0.025 <= float(np.mean(shares)) <= 0.08


def test_a_declared_target_keeps_its_rare_class_in_every_run() -> None:
    """Declared classes are never selected under DP: the 5% class is in every run's model."""
    frame = _frame(1000, seed=3, positive=0.05)
    shares = []
    for run in range(3):
        model = _fit("dp-aim", frame, seed=run, epsilon=1.0, target="flag", categories={"flag": ["good", "bad"]})
        assert "bad" in model.codecs["flag"].values
        shares.append(float((model.sample(2000, seed=run)["flag"] == "bad").mean()))
    assert 0.025 <= float(np.mean(shares)) <= 0.08


@pytest.mark.parametrize("method", METHODS)
def test_a_neighbouring_canary_row_leaves_no_trace_in_the_artifact(
    method: str, synth_home: Path, tmp_path: Path
) -> None:
    frame = _frame(800)
    canary = pd.DataFrame(
        [{"age": 77, "income": 987654321.25, "smoker": "canary-zq7x", "region": "canary-region-ww3", "flag": "good"}]
    )
    neighbour = pd.concat([frame, canary], ignore_index=True)
    params = {**FAST[method], "bins": 12}

    paths, models = [], []
    for name, table in (("d", frame), ("d1", neighbour)):
        # D+1 is a version of D's dataset (it shares the budget); the names are the same
        model = ss.train(table, method=method, epsilon=1.0, delta=1e-5, seed=1, dataset=_named(frame), **params)
        paths.append(model.save(tmp_path / f"{name}.ssmodel"))
        models.append(model.synthesizer)

    for path in paths:
        raw = path.read_bytes()
        for secret in (b"canary-zq7x", b"canary-region-ww3", b"987654321", struct.pack("<d", 987654321.25)):
            assert secret not in raw
        assert struct.pack(">d", 987654321.25) not in raw
    # What is not a mechanism's output is the same for both tables (the row count is declared public).
    plans = [{k: v for k, v in m.plan.to_dict().items() if k != "rows"} for m in models]
    assert plans[0] == plans[1]
    assert models[0].columns == models[1].columns and models[0].dtypes == models[1].dtypes
    assert models[0].roles == models[1].roles
    for column in ("age", "income"):
        a, b = (m.codecs[column] for m in models)
        assert (a.integer, a.datetime, a.dtype) == (b.integer, b.datetime, b.dtype)
    sigmas = [
        sorted(m["noise_multiplier"] for m in x.privacy["mechanisms"] if not m["label"].startswith("measure"))
        for x in models
    ]
    assert sigmas[0][: len(frame.columns)] == sigmas[1][: len(frame.columns)]


def test_recommend_config_proposes_a_marginal_method_whose_params_train(synth_home: Path) -> None:
    from synthstudio_kernel.training.safety import recommend_config

    frame = _frame(1000, positive=0.05)

    config = recommend_config(frame, epsilon=1.0, target="flag")

    assert config["method"] == "dp-aim" and config["params"]["target"] == "flag"
    assert config["expected_epsilon"] <= 1.0 and any("graphical model" in n for n in config["notes"])
    plan = registry.create("dp-aim", target="flag").make_plan(ss_dataset(frame), epsilon=1.0, delta=1e-5)
    tau = plan.domain.threshold_for("flag")
    (note,) = [n for n in config["notes"] if "target 'flag'" in n]
    assert f"one of {tau:.0f} rows half of them" in note and "categories={'flag': [...]}" in note
    declared = recommend_config(frame, epsilon=1.0, target="flag", categories={"flag": ["good", "bad"]})
    assert not any("target 'flag'" in n for n in declared["notes"])
    model = ss.train(frame, seed=0, dataset=_named(frame), **{**config["params"], "rounds": 4, "iters": 100})
    assert model.privacy_report().to_dict()["epsilon"] <= 1.0
    assert recommend_config(frame, epsilon=1.0, method="dp-tvae")["method"] == "dp-tvae"


def test_a_point_mass_survives_bounds_wider_than_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hours a week: 60% at exactly 40, a few rows up to 250 (DP bounds 2^8, sometimes 2^9).
    Unit fine bins keep the point mass; wide fine bins would smear it over 40-43. Bounds that
    reach 2^10 (an empty bin joining at 1 σ, the next at 2 σ: about 0.7% of draws) leave unit
    bins behind, so the rate is checked over seeded draws and the run's noise is seeded (test
    randomness only: secure noise cannot be)."""
    from synthstudio_kernel.privacy.randomness import ReproducibleNoise
    from synthstudio_kernel.synthesis.marginal import base, domain

    rng = np.random.default_rng(1)
    n = 6000
    hours = np.where(rng.random(n) < 0.6, 40, rng.integers(1, 99, n))
    hours[:150] = rng.integers(200, 250, 150)
    table = pd.DataFrame({"hours": hours.astype("int64"), "group": rng.choice(["a", "b"], n)})
    dataset = ss_dataset(table)
    plan = registry.create("dp-mst").make_plan(dataset, epsilon=3.0, delta=1e-5)
    unit = 0
    for seed in range(300):
        codecs, _ = domain.release_domain(
            plan.specs, dataset.count_source(), plan.domain, ReproducibleNoise(seed), lambda mechanism: None
        )
        unit += bool(np.all(np.diff(codecs["hours"].fine_edges) == 1.0))
    assert unit / 300 >= 0.97

    monkeypatch.setattr(base, "noise_source", lambda: ReproducibleNoise(3))
    synthesizer = _fit("dp-mst", table, epsilon=3.0)
    codec = synthesizer.codecs["hours"]
    assert np.all(np.diff(codec.fine_edges) == 1.0)  # one fine bin per value
    sample = synthesizer.sample(5000, seed=3)
    assert (sample["hours"] == 40).mean() > 0.5


def _off_diagonal_share(sample: pd.DataFrame) -> float:
    return float((sample["code"].astype(str) != sample["level"].astype(str).str[1:]).mean())


def test_a_functional_dependency_keeps_little_noise_mass_off_its_diagonal() -> None:
    """A level and its code (Adult's education and education-num): the empty cells of their
    measured table hold noise only. Read as empty under 2 σ, they no longer leave rows there."""
    rng = np.random.default_rng(4)
    code = rng.choice(12, size=4000, p=np.r_[np.full(4, 0.02), np.full(8, 0.115)])
    table = pd.DataFrame({"code": code.astype(str), "level": np.char.add("L", code.astype(str))})
    shares = {}
    for cut in (0.0, 2.0):
        runs = [_fit("dp-mst", table, seed=run, epsilon=1.0, sparse_sigmas=cut) for run in range(3)]
        shares[cut] = np.mean([_off_diagonal_share(m.sample(4000, seed=run)) for run, m in enumerate(runs)])
        assert all(m.plan.to_dict()["sparse_sigmas"] == cut for m in runs)
    assert shares[2.0] < 0.6 * shares[0.0]


def test_target_tables_keep_their_small_cells_and_sparse_sigmas_is_checked() -> None:
    from types import SimpleNamespace

    from synthstudio_kernel.synthesis.marginal.base import RunState

    state = RunState.__new__(RunState)
    state.plan = SimpleNamespace(sparse_sigmas=2.0, target="flag")  # type: ignore[assignment]
    noisy = np.array([[50.0, 19.0], [-7.0, 21.0]])
    assert state._denoised(("age", "region"), noisy, 10.0).tolist() == [[50.0, 0.0], [0.0, 21.0]]
    assert state._denoised(("age", "flag"), noisy, 10.0).tolist() == noisy.tolist()  # the target's table
    assert state._denoised(("age",), noisy[0], 10.0).tolist() == [50.0, 19.0]  # one-way: the domain's job
    state.plan = SimpleNamespace(sparse_sigmas=0.0, target=None)  # type: ignore[assignment]
    assert state._denoised(("age", "region"), noisy, 10.0).tolist() == noisy.tolist()
    with pytest.raises(ConfigError, match="sparse_sigmas"):
        registry.create("dp-mst", sparse_sigmas=-1)
    with pytest.raises(ConfigError, match="sparse_sigmas"):
        registry.create("dp-aim", sparse_sigmas="high")


def test_a_declared_range_keeps_its_thin_ends() -> None:
    """Ages 17-90 with 40 rows at each of 86-90 (Adult's thin top): declared public, the range's
    ends stay in the synthetic data; the DP range would trim such a tail."""
    rng = np.random.default_rng(2)
    age = np.r_[rng.integers(20, 86, 19800), np.repeat(np.arange(86, 91), 40)]
    table = pd.DataFrame({"age": age.astype("int64"), "group": rng.choice(["a", "b"], len(age))})
    synthesizer = _fit("dp-mst", table, epsilon=1.0, public_bounds={"age": (17, 90)})
    sample = synthesizer.sample(20000, seed=0)
    assert sample["age"].max() >= 88
    assert sample["age"].between(17, 90).all()


def test_dp_aim_plans_one_round_per_column_on_small_tables() -> None:
    small = registry.create("dp-aim", target="flag").make_plan(ss_dataset(_frame(1000)), epsilon=1.0, delta=1e-5)
    large = registry.create("dp-aim", target="flag").make_plan(ss_dataset(_frame(6000)), epsilon=1.0, delta=1e-5)
    assert (small.rounds, large.rounds) == (5, 15)
    planned = registry.create("dp-aim", target="flag", rounds=15)
    fixed = planned.make_plan(ss_dataset(_frame(1000)), epsilon=1.0, delta=1e-5)
    assert fixed.rounds == 15 and small.sigma_round < fixed.sigma_round  # fewer rounds: less noise each

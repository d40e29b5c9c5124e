"""Privacy levels in plain words, and the privacy report of DP and non-DP runs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from synthstudio_kernel.privacy.accounting import Mechanism, RDPAccountant
from synthstudio_kernel.privacy.levels import NO_GUARANTEE, privacy_level
from synthstudio_kernel.privacy.report import privacy_report


@pytest.mark.parametrize(
    ("epsilon", "name", "words"),
    [
        (0.1, "very_strong", "clinical and genomic"),
        (0.999, "very_strong", "clinical"),
        (1.0, "strong", "healthcare and financial"),
        (5.0, "strong", "healthcare"),
        (5.01, "moderate", "customer and HR"),
        (10.0, "moderate", "customer"),
        (15.0, "weak", "aggregate analytics"),
        (20.0, "weak", "aggregate"),
        (20.5, "minimal", "little protection"),
    ],
)
def test_levels_have_plain_meanings(epsilon: float, name: str, words: str) -> None:
    level = privacy_level(epsilon)
    assert level.name == name and words in level.meaning


def test_no_epsilon_means_no_guarantee() -> None:
    assert privacy_level(None).meaning == NO_GUARANTEE
    with pytest.raises(ValueError):
        privacy_level(-1.0)


def _dp_run() -> SimpleNamespace:
    mechanisms = [Mechanism("preprocessing", 40.0, 1.0, 9, 1e-8), Mechanism("dp-sgd", 1.3, 0.02, 400)]
    epsilon = RDPAccountant.of(mechanisms).epsilon(delta=1e-5)
    privacy = {
        "epsilon": epsilon,
        "delta": 1e-5,
        "target_epsilon": 3.0,
        "noise_multiplier": 1.3,
        "sample_rate": 0.02,
        "steps": 400,
        "planned_steps": 400,
        "accountant": "rdp",
        "preprocessing_epsilon": RDPAccountant.of(mechanisms[:1]).epsilon(delta=1e-5),
        "preprocessing_share": 0.1,
        "public": {"row_count": True, "bounds": {"age": [17, 90]}, "categories": ["sex"]},
        "preprocessing": {"released": {"numeric": {"income": {"bounds": "dp"}}, "categorical": {}}},
        "mechanisms": [m.to_dict() for m in mechanisms],
    }
    return SimpleNamespace(run=SimpleNamespace(id="r1", method="dp-tvae", privacy=privacy))


def test_dp_report_has_the_stable_shape_and_recomputes_epsilon() -> None:
    # Run
    report = privacy_report(_dp_run())
    data = report.to_dict()

    # Assert
    for key in ("epsilon", "delta", "noise_multiplier", "sample_rate", "steps", "accountant", "preprocessing_epsilon"):
        assert data[key] is not None
    assert data["guarantee"] == "dp" and data["level"] == privacy_level(data["epsilon"]).label
    assert data["consistent"] is True
    assert data["public"]["bounds"] == {"age": [17, 90]}
    assert "bounds of income" in data["estimated_under_dp"]
    html = report._repr_html_()
    assert "bounds of age" in html and "categories of sex" in html


def test_a_tampered_epsilon_is_flagged() -> None:
    # Setup
    model = _dp_run()
    model.run.privacy["epsilon"] = model.run.privacy["epsilon"] / 2

    # Run / Assert
    assert privacy_report(model).to_dict()["consistent"] is False
    assert "NO" in privacy_report(model).to_html()


def test_non_dp_report_says_no_formal_guarantee() -> None:
    # Run
    report = privacy_report(SimpleNamespace(run=SimpleNamespace(id="r2", method="ctgan", privacy=None)))
    data = report.to_dict()

    # Assert
    assert data["guarantee"] == "none" and data["meaning"] == NO_GUARANTEE
    assert all(data[k] is None for k in ("epsilon", "delta", "noise_multiplier", "sample_rate", "steps", "level"))
    assert NO_GUARANTEE in report._repr_html_()

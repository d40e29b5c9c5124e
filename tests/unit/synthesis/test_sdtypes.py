"""Column kinds decide SDV sdtypes: ordinary columns are never PII, identifiers are regenerated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import ColumnKind, Dataset
from synthstudio_kernel.synthesis import registry
from synthstudio_kernel.synthesis.sdtypes import ALLOWED_SDTYPES, TABLE, check_plan, plan_for

STATES = ["California", "Texas", "New York", "Florida", "Ohio", "Nevada", "Oregon", "Utah"]


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    n = 200
    return pd.DataFrame(
        {
            "state": rng.choice(STATES, n),
            "city": rng.choice(["Springfield", "Portland", "Austin", "Miami", "Reno"], n),
            "customer_id": np.arange(10_000, 10_000 + n),
            "email": [f"person{i}@example.com" for i in range(n)],
            "note": [f"called on day {i} about the late delivery of parcel {i * 7}" for i in range(n)],
            "signup": [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
            "active": rng.choice([True, False], n),
            "spend": rng.gamma(2.0, 50.0, n).round(2),
        }
    )


def test_sdv_alone_would_treat_a_state_column_as_pii(places):
    # Setup: the behaviour we guard against (SDV's semantic detection)
    from sdv.metadata import Metadata

    # Run
    detected = Metadata.detect_from_dataframes({TABLE: places[["state", "city"]]}, infer_keys=None).to_dict()

    # Assert
    columns = detected["tables"][TABLE]["columns"]
    assert columns["state"]["sdtype"] not in ("categorical",)
    assert columns["state"].get("pii") is True


def test_our_plan_uses_kinds_not_guesses(places):
    # Run
    plan = plan_for(Dataset.from_frame(places))

    # Assert
    assert plan.sdtypes == {
        "state": "categorical",
        "city": "categorical",
        "signup": "datetime",
        "active": "boolean",
        "spend": "numerical",
    }
    assert set(plan.unmodelled) == {"customer_id", "email", "note"}
    assert plan.metadata["tables"][TABLE]["columns"]["signup"]["datetime_format"] == "%Y-%m-%d"
    for entry in plan.metadata["tables"][TABLE]["columns"].values():
        assert set(entry) <= {"sdtype", "datetime_format"}  # no ranges, no pii flags


def test_synthetic_states_and_cities_are_real_training_values(places):
    # Run
    frame = registry.create("gaussian-copula", seed=1).fit(places).sample(300, seed=2)

    # Assert: nothing was replaced by fake (Faker) values
    assert set(frame["state"]) <= set(STATES)
    assert set(frame["city"]) <= set(places["city"])
    assert len(set(frame["state"])) > 3


def test_unmodelled_columns_are_regenerated(places):
    # Run
    frame = registry.create("gaussian-copula", seed=1).fit(places).sample(150, seed=3)

    # Assert
    assert list(frame.columns) == list(places.columns)
    assert frame["customer_id"].is_unique and frame["customer_id"].dtype == np.int64
    assert not set(frame["customer_id"]) & set(places["customer_id"])
    assert frame["email"].is_unique and not set(frame["email"]) & set(places["email"])
    assert frame["note"].isna().all()
    assert pd.to_datetime(frame["signup"], format="%Y-%m-%d").notna().all()
    assert set(frame["active"]) <= {True, False}


def test_kind_overrides_change_the_plan(places):
    # Setup: treat the identifier as a category on purpose
    dataset = Dataset.from_frame(places[["state", "spend"]], kinds={"spend": ColumnKind.CATEGORICAL})

    # Run
    plan = plan_for(dataset)

    # Assert
    assert plan.sdtypes["spend"] == "categorical"


def test_a_table_with_only_identifiers_cannot_be_learned(places):
    # Setup
    from synthstudio_kernel.errors import DataError

    # Run / Assert
    with pytest.raises(DataError, match="Nothing to learn"):
        registry.create("gaussian-copula").fit(places[["customer_id", "email"]])


@pytest.mark.parametrize(
    "entry",
    [{"sdtype": "administrative_unit", "pii": True}, {"sdtype": "categorical", "range_values": ["a"]}],
)
def test_the_plan_guard_refuses_pii_sdtypes_and_ranges(entry):
    # Setup
    metadata = {"tables": {TABLE: {"columns": {"state": entry}}}}

    # Run / Assert
    with pytest.raises(RuntimeError):
        check_plan(metadata)
    assert "administrative_unit" not in ALLOWED_SDTYPES

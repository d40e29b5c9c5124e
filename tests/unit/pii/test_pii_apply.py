"""report.apply: drops, salted hashes, generalizations and the record of what was done."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.errors import ConfigError, DataError
from synthstudio_kernel.pii import ApplyRecord, PIIReport, scan_pii
from synthstudio_kernel.pii.apply import GENERALIZERS


def test_apply_follows_recommendations(customer: pd.DataFrame, customer_report: PIIReport) -> None:
    # Run
    cleaned = customer_report.apply(customer, salt="a-long-team-secret")

    # Assert
    assert list(cleaned.columns) == ["id", "gender"]
    assert cleaned["gender"].equals(customer["gender"])
    assert cleaned["id"].str.fullmatch(r"[0-9a-f]{16}").all() and cleaned["id"].nunique() == len(customer)
    assert list(customer.columns)[:3] == ["id", "first_name", "last_name"]  # the input is untouched


def test_same_salt_same_pseudonyms_random_salt_differs(customer: pd.DataFrame, customer_report: PIIReport) -> None:
    # Run
    a = customer_report.apply(customer, salt="a-long-team-secret")
    b = customer_report.apply(customer, salt="a-long-team-secret")
    c = customer_report.apply(customer)

    # Assert
    assert a["id"].equals(b["id"]) and not a["id"].equals(c["id"])
    assert a.attrs["synthstudio_pii"]["salt"]["id"] == b.attrs["synthstudio_pii"]["salt"]["id"]
    assert c.attrs["synthstudio_pii"]["salt"] == {
        "provided": False,
        "id": None,
        "note": "random salt, not stored: pseudonyms cannot be linked to other tables",
    }


def test_record_is_json_safe_and_holds_no_values(customer: pd.DataFrame, customer_report: PIIReport) -> None:
    # Run
    cleaned = customer_report.apply(customer, salt="a-long-team-secret")
    record = ApplyRecord.of(cleaned)
    text = json.dumps(cleaned.attrs["synthstudio_pii"])

    # Assert
    assert record.by_action("drop") == [
        "first_name",
        "last_name",
        "email",
        "ip_address",
        "ssn",
        "credit_card",
        "bitcoin",
        "street_address",
    ]
    assert record.to_dict()["safe_harbor"]["identifiers_treated"] == [1, 2, 6, 7, 10, 15, 18]
    for value in customer.astype(str).head(200).to_numpy().ravel():
        if len(value) >= 4:
            assert value not in text
    assert "a-long-team-secret" not in text
    assert ApplyRecord.from_dict(json.loads(text)).to_dict() == cleaned.attrs["synthstudio_pii"]
    assert "<code>ssn</code>" in record._repr_html_()


def test_overrides_and_invalid_actions(customer: pd.DataFrame, customer_report: PIIReport) -> None:
    # Run
    cleaned = customer_report.apply(customer, actions={"first_name": "keep", "ssn": "pseudonymize"})
    record = ApplyRecord.of(cleaned)

    # Assert
    assert "first_name" in cleaned and cleaned["ssn"].str.len().eq(16).all()
    assert [c["column"] for c in record.columns if c["overridden"]] == ["first_name", "ssn"]
    with pytest.raises(ConfigError, match="not available"):
        customer_report.apply(customer, actions={"email": "generalize"})
    with pytest.raises(ConfigError, match="does not cover"):
        customer_report.apply(customer, actions={"nope": "drop"})
    with pytest.raises(ConfigError, match="salt"):
        customer_report.apply(customer, salt="short")


def test_generalizers_zip3_year_and_age_bands() -> None:
    # Setup
    frame = pd.DataFrame(
        {
            "zip": ["02134", "03601-1234", "90210", None, "8210", "abc"] * 10,
            "dob": ["1961-03-04", "1990-12-31", "not a date", None, "2001-07-01", "1985-01-01"] * 10,
            "age": [3, 45, 89, 90, 104, np.nan] * 10,
            "admission_date": pd.to_datetime(["2021-05-06"] * 60),
        }
    )
    report = scan_pii(frame)

    # Run
    cleaned = report.apply(frame, actions={"age": "generalize"})
    details = {c["column"]: c["detail"] for c in ApplyRecord.of(cleaned).columns}

    # Assert
    assert [report[c].recommendation for c in ("zip", "dob", "admission_date")] == ["generalize"] * 3
    assert cleaned["zip"].head(6).tolist() == ["021", "000", "902", None, "082", None]
    assert details["zip"]["restricted_prefixes_set_to_000"] == 10 and details["zip"]["unparsed_set_missing"] == 10
    assert cleaned["dob"].head(6).tolist() == [1961, 1990, pd.NA, pd.NA, 2001, 1985]
    assert cleaned["admission_date"].eq(2021).all()
    assert cleaned["age"].astype(object).head(6).tolist()[:5] == ["0-4", "45-49", "85-89", "90+", "90+"]
    assert details["age"]["top_coded_90_plus"] == 20
    assert set(GENERALIZERS) == {"zip3", "year", "age_band", "round_coordinate"}


def test_apply_refuses_a_frame_without_the_scanned_columns(customer: pd.DataFrame, customer_report: PIIReport) -> None:
    # Run / Assert
    with pytest.raises(DataError, match="lacks scanned column"):
        customer_report.apply(customer[["id", "email"]])
    with pytest.raises(DataError, match="DataFrame"):
        customer_report.apply([1, 2, 3])  # type: ignore[arg-type]


def test_record_read_from_a_frame_without_one_is_a_clear_error() -> None:
    # Run / Assert
    with pytest.raises(DataError, match=r"report\.apply"):
        ApplyRecord.of(pd.DataFrame({"a": [1]}))


def test_years_keep_each_dates_own_time_zone_and_odd_values_hash() -> None:
    # Setup
    frame = pd.DataFrame(
        {
            "dob": ["2020-01-01T00:00:00+01:00", "2019-05-05T00:00:00-05:00", None] * 20,
            "member_id": [[1, 2], {"k": 1}, None] * 20,
        }
    )
    report = scan_pii(frame)

    # Run
    cleaned = report.apply(frame, salt="a-long-team-secret", actions={"member_id": "pseudonymize"})

    # Assert
    assert cleaned["dob"].head(3).tolist() == [2020, 2019, pd.NA]
    assert cleaned["member_id"].head(3).str.len().tolist()[:2] == [16, 16] and cleaned["member_id"][2] is None
    assert ApplyRecord.of(cleaned).scan["sample_size"] == 1000

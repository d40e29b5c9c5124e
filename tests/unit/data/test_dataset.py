from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import ColumnKind, Dataset, as_dataset, fingerprint, infer_kind, load_sample
from synthstudio_kernel.errors import ConfigError, DataError


def mixed_frame() -> pd.DataFrame:
    n = 40
    return pd.DataFrame(
        {
            "patient_id": np.arange(1000, 1000 + n),
            "age": np.linspace(20, 80, n).round(),
            "smoker": ["yes", "no"] * (n // 2),
            "admitted": pd.date_range("2024-01-01", periods=n, freq="D"),
            "visit_date": [f"2024-02-{d:02d}" for d in range(1, 29)] + [f"2024-03-{d:02d}" for d in range(1, 13)],
            "active": [True, False] * (n // 2),
            "flag_text": ["True", "False"] * (n // 2),
            "token": [f"tok{i:04d}x" for i in range(n)],
            "notes": [f"patient reported mild pain on day {i} after surgery" for i in range(n)],
            "score": np.random.default_rng(0).normal(size=n),
        }
    )


def test_infers_each_kind():
    # Setup
    frame = mixed_frame()

    # Run
    kinds = Dataset.from_frame(frame).kinds

    # Assert
    assert kinds == {
        "patient_id": ColumnKind.IDENTIFIER,
        "age": ColumnKind.NUMERIC,
        "smoker": ColumnKind.CATEGORICAL,
        "admitted": ColumnKind.DATETIME,
        "visit_date": ColumnKind.DATETIME,
        "active": ColumnKind.BOOLEAN,
        "flag_text": ColumnKind.BOOLEAN,
        "token": ColumnKind.IDENTIFIER,
        "notes": ColumnKind.TEXT,
        "score": ColumnKind.NUMERIC,
    }


def test_numeric_strings_are_not_dates():
    assert infer_kind(pd.Series(["1.5", "-2.25", "3.0"] * 10)) == ColumnKind.CATEGORICAL


def test_user_overrides_kinds_by_name_or_enum():
    frame = mixed_frame()
    dataset = Dataset.from_frame(frame, {"age": "categorical", "token": ColumnKind.CATEGORICAL})
    assert dataset.kinds["age"] is ColumnKind.CATEGORICAL
    assert dataset.kinds["token"] is ColumnKind.CATEGORICAL
    assert dataset.with_kinds({"age": "numeric"}).kinds["age"] is ColumnKind.NUMERIC


def test_bad_overrides_are_refused():
    with pytest.raises(ConfigError, match="Unknown column kind"):
        Dataset.from_frame(mixed_frame(), {"age": "vector"})
    with pytest.raises(DataError, match="unknown column"):
        Dataset.from_frame(mixed_frame(), {"nope": "numeric"})


def test_fingerprint_ignores_row_and_column_order():
    frame = mixed_frame()
    shuffled = frame.sample(frac=1.0, random_state=3)[list(reversed(frame.columns))].reset_index(drop=True)
    assert fingerprint(frame) == fingerprint(shuffled)


def test_fingerprint_changes_with_one_value_a_name_or_a_row():
    frame = mixed_frame()
    changed = frame.copy()
    changed.loc[7, "age"] = changed.loc[7, "age"] + 1
    renamed = frame.rename(columns={"score": "score2"})
    base = fingerprint(frame)
    assert fingerprint(changed) != base
    assert fingerprint(renamed) != base
    assert fingerprint(frame.iloc[1:]) != base
    assert fingerprint(pd.concat([frame, frame.iloc[[0]]])) != base


def test_fingerprint_of_real_sample_is_stable():
    adult = load_sample("adult")
    assert as_dataset(adult).fingerprint == as_dataset(adult.iloc[::-1]).fingerprint
    assert len(as_dataset(adult).fingerprint) == 64


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame(), "no columns"),
        (pd.DataFrame({"a": []}), "empty"),
        (pd.DataFrame({"a": [1]}), "1 row"),
        (pd.DataFrame([[1, 2], [3, 4]], columns=["a", "a"]), "Duplicate column names: 'a'"),
        (pd.DataFrame({"z": np.array([1 + 2j, 3 + 0j])}), "complex"),
        (pd.DataFrame({"n": [[1, 2], [3]]}), "nested objects"),
        (pd.DataFrame({"d": [{"k": 1}, {"k": 2}]}), "nested objects"),
        (pd.DataFrame({"a": [1, 2], "e": [None, None]}), "entirely empty"),
        (pd.DataFrame({"x": [1.0, np.inf, 2.0]}), "1 infinite value"),
        ([1, 2, 3], "Expected a pandas DataFrame, got list"),
    ],
)
def test_validation_messages(frame, message):
    with pytest.raises(DataError, match=message) as info:
        as_dataset(frame)
    assert "\n" not in str(info.value)


def test_error_messages_never_quote_values():
    frame = pd.DataFrame({"ssn": ["123-45-6789", "987-65-4321"], "x": [np.inf, 1.0]})
    with pytest.raises(DataError) as info:
        as_dataset(frame)
    assert "123-45" not in str(info.value)


def test_to_dict_is_json_safe_and_value_free():
    import json

    frame = mixed_frame()
    data = as_dataset(frame, name="demo").to_dict()
    text = json.dumps(data)
    assert data["rows"] == 40 and data["columns"] == 10
    assert "tok0001x" not in text

"""Each warning fires on the data made to trigger it, and only there."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthstudio_kernel.profiling import Thresholds, profile
from synthstudio_kernel.profiling.warnings import RULES


def flagged(frame: pd.DataFrame, code: str, **kwargs: object) -> set[tuple[str, ...]]:
    return {w.columns for w in profile(frame, **kwargs).warnings_of(code)}  # type: ignore[arg-type]


def clean_frame(n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": rng.choice(list("xyz"), size=n),
            "d": rng.integers(0, 10, size=n),
        }
    )


def test_clean_frame_has_no_warnings():
    assert profile(clean_frame()).warnings == []


def test_registry_lists_every_required_rule():
    assert set(RULES) >= {"constant", "identifier", "missing", "correlation", "cardinality", "skew"}


def test_constant_column():
    frame = clean_frame().assign(k=7)
    assert flagged(frame, "constant") == {("k",)}


def test_likely_identifier():
    frame = clean_frame().assign(customer_id=np.arange(200), code=[f"u{i}" for i in range(200)])
    assert flagged(frame, "identifier") == {("customer_id",), ("code",)}


def test_heavy_missingness_threshold():
    frame = clean_frame()
    frame.loc[:59, "a"] = np.nan  # 30% missing
    frame.loc[:9, "b"] = np.nan  # 5% missing
    assert flagged(frame, "missing") == {("a",)}
    assert flagged(frame, "missing", thresholds=Thresholds(missing_share=0.01)) == {("a",), ("b",)}


def test_strong_correlation_for_each_pair_type():
    frame = clean_frame()
    frame["a2"] = frame["a"] * 3 - 1  # numeric pair
    frame["c2"] = frame["c"].map({"x": "X", "y": "Y", "z": "Z"})  # categorical pair
    frame["d_label"] = frame["d"].map(lambda v: f"level{v}")  # mixed pair: eta = 1
    found = flagged(frame, "correlation")
    assert ("a", "a2") in found and ("c", "c2") in found and ("d_label", "d") in found
    assert ("a", "b") not in found


def test_high_cardinality():
    frame = clean_frame()
    frame["many"] = [f"k{i % 60}" for i in range(200)]
    assert flagged(frame, "cardinality") == {("many",)}


def test_skew():
    frame = clean_frame()
    frame["spend"] = np.random.default_rng(1).lognormal(0, 1.5, size=200)
    found = profile(frame).warnings_of("skew")
    assert {w.columns for w in found} == {("spend",)}
    assert "right-skewed" in found[0].message


def test_messages_never_contain_values():
    frame = clean_frame().assign(k="SECRET-VALUE")
    frame["many"] = [f"private{i % 60}" for i in range(200)]
    messages = " ".join(w.message for w in profile(frame).warnings)
    assert "SECRET" not in messages and "private" not in messages


def test_distinct_measurements_are_not_identifiers():
    frame = clean_frame().assign(amount=np.random.default_rng(2).permutation(200) * 7 + 1000)
    assert flagged(frame, "identifier") == set()

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
    assert set(RULES) >= {
        "constant", "identifier", "missing", "correlation", "cardinality", "skew",
        "duplicates", "zeros", "imbalance", "outliers",
    }  # fmt: skip


def test_constant_column():
    frame = clean_frame().assign(k=7)
    assert flagged(frame, "constant") == {("k",)}


def test_likely_identifier():
    frame = clean_frame().assign(customer_id=np.arange(200), code=[f"u{i}" for i in range(200)])
    assert flagged(frame, "identifier") == {("customer_id",), ("code",)}


def test_heavy_missingness_threshold():
    frame = clean_frame()
    frame.loc[:59, "a"] = np.nan  # 30% missing
    frame.loc[:5, "b"] = np.nan  # 3% missing: under the 5% threshold
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


def test_binary_columns_are_never_advised_a_log_transform_nor_flagged_for_zeros():
    rng = np.random.default_rng(3)
    frame = clean_frame().assign(flag=(rng.random(200) < 0.04).astype(int))  # skew ≈ 4.6
    assert flagged(frame, "skew") == set() and flagged(frame, "zeros") == set()


def test_zeros_duplicates_imbalance_and_outliers():
    rng = np.random.default_rng(4)
    frame = clean_frame()
    frame["kids"] = rng.choice([0, 0, 0, 1, 2, 3], size=200)
    frame["rare"] = np.where(rng.random(200) < 0.97, "common", rng.choice(["r1", "r2", "r3"], size=200))
    frame["heavy"] = np.concatenate([rng.normal(size=170), rng.normal(40, 1, size=30)])
    frame = pd.concat([frame, frame.iloc[:3]], ignore_index=True)
    result = profile(frame)
    assert {w.columns for w in result.warnings_of("zeros")} == {("kids",)}
    assert [w.value for w in result.warnings_of("duplicates")] == [3 / 203]
    assert {w.columns for w in result.warnings_of("imbalance")} == {("rare",)}
    assert ("heavy",) in {w.columns for w in result.warnings_of("outliers")}


def test_every_warning_names_its_threshold():
    frame = clean_frame().assign(k=7, spend=np.random.default_rng(1).lognormal(0, 1.5, size=200))
    found = profile(frame).warnings
    assert found and all(w.threshold for w in found)
    assert all("threshold" in w.to_dict() for w in found)


def test_bundled_insurance_table_gets_at_least_ydata_profilings_alerts():
    # ydata-profiling flags a duplicate row, high correlations and 42.9% zeros in "children"
    from synthstudio_kernel.data.samples import load_sample

    codes = [(w.code, w.columns) for w in profile(load_sample("insurance")).warnings]
    assert ("duplicates", ()) in codes and ("zeros", ("children",)) in codes
    assert sum(code == "correlation" for code, _ in codes) >= 2
    assert ("outliers", ("charges",)) in codes

"""The Profile object: serialization, rendering, validation and the light import."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import ColumnKind, as_dataset, load_sample
from synthstudio_kernel.errors import DataError
from synthstudio_kernel.profiling import Profile, profile


@pytest.fixture(scope="module")
def adult_profile() -> Profile:
    return profile(load_sample("adult"), name="adult")


def test_adult_profile_finds_known_facts(adult_profile):
    # Setup / Run: the fixture profiles the real table
    p = adult_profile

    # Assert
    assert (p.n_rows, p.n_columns) == (32561, 15)
    assert p.column("workclass").missing == 1836
    assert p.column("age").mean == pytest.approx(38.5816, abs=1e-4)
    correlated = {w.columns for w in p.warnings_of("correlation")}
    assert ("education", "education-num") in correlated  # education-num is a recoding of education
    assert {w.columns[0] for w in p.warnings_of("skew")} == {"capital-gain", "capital-loss"}
    assert p.sample_sizes["correlations"] == 32561 and p.sample_sizes["isolation_forest"] == 10000
    assert p.multivariate.skipped is None and 0 < p.multivariate.share < 0.2


def test_to_dict_is_strict_json(adult_profile):
    text = json.dumps(adult_profile.to_dict(), allow_nan=False)
    data = json.loads(text)
    assert data["rows"] == 32561 and data["sample_sizes"]["rows"] == 32561
    assert {"overview", "column_stats", "outliers", "correlations", "warnings", "thresholds"} <= set(data)
    assert data["overview"]["fingerprint"] == as_dataset(load_sample("adult")).fingerprint
    assert json.loads(adult_profile.to_json(include_values=False))["includes_values"] is False


def test_nan_correlations_serialize_as_null():
    frame = pd.DataFrame({"x": [1.0, 2, np.nan, np.nan, 5], "y": [np.nan, np.nan, 1.0, 2.0, 3.0]})
    data = json.loads(json.dumps(profile(frame).to_dict(), allow_nan=False))
    assert data["correlations"]["pearson"]["values"][0][1] is None


def test_html_is_standalone_and_escapes_names():
    # Setup
    frame = pd.DataFrame({"<script>alert(1)</script>": [1.0, 2.0, 3.0], "c": ["<b>x</b>", "y", "y"]})

    # Run
    page = profile(frame).to_html()
    fragment = profile(frame)._repr_html_()

    # Assert
    assert page.startswith("<!DOCTYPE html>") and "<script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert "Outliers" in fragment and "Correlations" in fragment


def test_html_without_values_hides_labels(adult_profile):
    assert "Married-civ-spouse" in adult_profile.to_html()
    assert "Married-civ-spouse" not in adult_profile.to_html(include_values=False)


def test_kind_overrides_and_dataset_input():
    frame = pd.DataFrame({"code": [1, 2, 3, 1, 2, 3] * 5, "x": np.arange(30.0)})
    p = profile(frame, kinds={"code": "categorical"})
    assert p.kinds["code"] is ColumnKind.CATEGORICAL and p.column("code").unique == 3
    q = profile(as_dataset(frame, {"code": ColumnKind.CATEGORICAL}))
    assert q.kinds == p.kinds


def test_non_string_column_labels():
    frame = pd.DataFrame({0: [1.0, 2.0, 3.0, 4.0], 1: list("abab")})
    p = profile(frame)
    assert list(p.columns) == ["0", "1"] and p.column("0").mean == 2.5


def test_overview_counts_duplicates_and_missing_cells():
    frame = pd.DataFrame({"a": [1, 1, 2, None], "b": ["x", "x", "y", "z"]})
    o = profile(frame).overview
    assert o["duplicate_rows"] == 1 and o["missing_cells"] == 1
    assert o["missing_cells_share"] == pytest.approx(1 / 8)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame(), "no columns"),
        (pd.DataFrame({"a": []}), "empty"),
        (pd.DataFrame({"a": [1.0]}), "1 row"),
        (pd.DataFrame({"a": [np.nan, np.nan]}), "entirely empty"),
        (pd.DataFrame({"a": [1.0, np.inf]}), "infinite"),
        (pd.DataFrame({"a": [1 + 2j, 3j]}), "complex"),
        (pd.DataFrame({"a": [[1], [2]]}), "nested"),
        (pd.DataFrame([[1, 2], [3, 4]], columns=["a", "a"]), "Duplicate column names"),
    ],
)
def test_bad_inputs_raise_data_error(frame, message):
    with pytest.raises(DataError, match=message):
        profile(frame)


def test_full_report_needs_its_frame():
    p = profile(pd.DataFrame({"a": [1.0, 2.0, 3.0]}))
    detached = Profile(**{**p.__dict__, "_frame": None})
    from synthstudio_kernel.errors import ArtifactError

    with pytest.raises(ArtifactError, match="no longer holds its table"):
        detached.full_report("unused.html")


def test_import_is_light():
    code = (
        "import sys, synthstudio_kernel.profiling, synthstudio_kernel as ss\n"
        "ss.profile\n"
        "print(sorted(m for m in ('sklearn', 'ydata_profiling', 'torch', 'sdv', 'IPython', 'ipywidgets') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


ODD_FRAMES = {
    "mixed_object": pd.DataFrame({"m": [1, "a", 2.5, None, "b"] * 10, "x": np.arange(50.0)}),
    "unused_categories": pd.DataFrame({"c": pd.Categorical(["a", "b"] * 25, categories=["a", "b", "z"])}),
    "nullable": pd.DataFrame(
        {
            "i": pd.array([1, None, 3, 4, 5] * 10, dtype="Int64"),
            "b": pd.array([True, None, False, True, True] * 10, dtype="boolean"),
            "f": pd.array([1.5, None, 2.5, 3.5, 1.0] * 10, dtype="Float64"),
        }
    ),
    "tz_aware": pd.DataFrame({"t": pd.date_range("2024-01-01", periods=50, tz="Europe/Zurich")}),
    "huge_magnitudes": pd.DataFrame({"x": np.r_[np.full(49, 1e300), -1e300], "y": np.arange(50.0)}),
    "two_rows": pd.DataFrame({"x": [1.0, 2.0], "c": ["a", "b"]}),
}


@pytest.mark.parametrize("case", sorted(ODD_FRAMES))
def test_odd_dtypes_give_strict_json_and_html(case, recwarn):
    # Run
    p = profile(ODD_FRAMES[case])

    # Assert
    json.dumps(p.to_dict(), allow_nan=False)
    json.dumps(p.to_dict(include_values=False), allow_nan=False)
    assert p.to_html().startswith("<!DOCTYPE html>")
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_nullable_dtypes_are_counted():
    p = profile(ODD_FRAMES["nullable"])
    assert p.column("i").missing == 10 and p.column("i").mean == pytest.approx(13 / 4)
    assert p.kinds["b"] is ColumnKind.BOOLEAN and p.column("b").top == (("True", 30), ("False", 10))


def test_tiny_tables_get_no_spurious_associations():
    p = profile(ODD_FRAMES["two_rows"])
    assert "c" in p.correlations.excluded and p.warnings_of("correlation") == []


@pytest.mark.parametrize("option", [{"correlation_sample": -1}, {"outlier_sample": 2.5}, {"top_k": 0}])
def test_invalid_options_raise_config_error(option):
    from synthstudio_kernel.errors import ConfigError

    with pytest.raises(ConfigError, match=next(iter(option))):
        profile(pd.DataFrame({"a": [1.0, 2.0]}), **option)


def test_save_writes_html_or_json(tmp_path):
    # Setup
    p = profile(pd.DataFrame({"city": ["Bern", "Basel"] * 5, "x": np.arange(10.0)}), name="t")

    # Run
    page = p.save(tmp_path / "out" / "t.html")
    data = p.save(tmp_path / "out" / "t.json", include_values=False)

    # Assert
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    loaded = json.loads(data.read_text(encoding="utf-8"))
    assert loaded["rows"] == 10 and "Bern" not in data.read_text(encoding="utf-8")
    from synthstudio_kernel.errors import ArtifactError

    with pytest.raises(ArtifactError, match=r"use \.html or \.json"):
        p.save(tmp_path / "t.csv")

"""The input boundary: one number parser, one checked writer, one frame normaliser."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel import arguments, settings
from synthstudio_kernel.data import Dataset
from synthstudio_kernel.data.validation import restore_timezones, validate_frame
from synthstudio_kernel.errors import ConfigError, DataError, WriteError
from synthstudio_kernel.fileio import atomic_write, prepare_folder, write_text


# --- numbers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [5, np.int64(5), np.uint8(5), "5", " 5 ", "+5", "0_005"])
def test_whole_numbers_accepted(value):
    assert arguments.parse_int(value, "n") == 5


@pytest.mark.parametrize(
    "value", ["²", "٣", "５", "5.0", "1e3", "five", "", "--5", True, np.bool_(True), 5.0, None, [5]]
)
def test_everything_else_is_refused(value):
    with pytest.raises(ConfigError):
        arguments.parse_int(value, "n")


def test_row_counts_are_bounded_and_the_limit_is_a_setting(monkeypatch):
    with pytest.raises(ConfigError, match=r"at most 10,000,000.*SYNTHSTUDIO_MAX_SAMPLE_ROWS"):
        arguments.parse_count(10**9)
    monkeypatch.setenv("SYNTHSTUDIO_MAX_SAMPLE_ROWS", "100")
    assert arguments.parse_count(100) == 100
    with pytest.raises(ConfigError, match="at most 100"):
        arguments.parse_count(101)


def test_the_api_refuses_text_where_the_magics_parse_it():
    assert arguments.parse_count("7") == 7
    with pytest.raises(ConfigError):
        arguments.parse_count("7", text=False)


@pytest.mark.parametrize("value", ["false", "true", 0, 1, None, "no"])
def test_switches_are_real_booleans(value):
    with pytest.raises(ConfigError, match="true or false"):
        arguments.parse_bool(value, "force")
    assert arguments.parse_bool(False, "force") is False and arguments.parse_bool(np.bool_(True), "f") is True


@pytest.mark.parametrize("value", [True, "1.0", b"1", None])
def test_numbers_are_refused_when_they_are_not_numbers(value):
    with pytest.raises(ConfigError):
        arguments.parse_number(value, "epsilon")


# --- writes --------------------------------------------------------------------------------------
def test_a_folder_where_a_file_is_expected(tmp_path):
    with pytest.raises(WriteError, match="it is a folder"):
        write_text(tmp_path, "x")


def test_a_file_where_a_folder_is_expected(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(WriteError, match="is a file, not a folder"):
        write_text(tmp_path / "plain" / "deeper" / "out.txt", "x")
    with pytest.raises(WriteError, match="is a file, not a folder"):
        prepare_folder(tmp_path / "plain" / "sub")


@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied")])
def test_an_os_error_while_writing_is_one_line_and_leaves_nothing(tmp_path, code, reason):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def failing(handle):
        handle.write(b"new, half")
        raise OSError(code, os.strerror(code))

    with pytest.raises(WriteError) as info:
        atomic_write(target, failing)
    assert reason in str(info.value) and "\n" not in str(info.value)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(WriteError, match="permission denied"):
            write_text(locked / "x.txt", "x")
    finally:
        locked.chmod(0o700)


def test_out_dir_is_a_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("SYNTHSTUDIO_OUT_DIR", str(tmp_path / "elsewhere"))
    assert settings.out_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("SYNTHSTUDIO_OUT_DIR")
    assert settings.out_dir() == Path("out")


def test_the_full_profile_report_lands_in_the_out_dir_not_in_dot_out(monkeypatch, tmp_path):
    # Setup: capture where ydata would write, without running it
    import synthstudio_kernel as ss
    from synthstudio_kernel.profiling import full_report

    written: list[Path] = []
    monkeypatch.setattr(full_report, "write_full_report", lambda frame, path, **kw: written.append(path) or path)
    monkeypatch.setenv("SYNTHSTUDIO_OUT_DIR", str(tmp_path / "outdir"))
    monkeypatch.chdir(tmp_path)

    # Run
    ss.profile(ss.load_sample("insurance").head(50), name="ins").full_report()

    # Assert
    assert written == [tmp_path / "outdir" / "ins_profile_full.html"]
    assert not (tmp_path / "out").exists()


# --- frames --------------------------------------------------------------------------------------
def _base(n: int = 30) -> pd.DataFrame:
    return pd.DataFrame({"x": np.arange(n, dtype=float), "c": ["a", "b", "c"] * (n // 3)})


def test_a_clean_frame_is_returned_as_is():
    frame = _base()
    assert validate_frame(frame) is frame


def test_names_become_text_and_collisions_are_refused():
    frame = _base()
    frame.columns = [0, ("a", 1)]
    assert list(validate_frame(frame).columns) == ["0", "('a', 1)"]
    frame.columns = [1, "1"]
    with pytest.raises(DataError, match=r"'1'.*compared as text"):
        validate_frame(frame)
    frame.columns = pd.MultiIndex.from_tuples([("a", 1), ("a", 2)])
    with pytest.raises(DataError, match="multi-level"):
        validate_frame(frame)


def test_object_columns_get_one_type():
    frame = _base()
    frame["b"] = [b"caf\xc3\xa9", b"tea", None] * 10
    frame["mixed"] = [1, "a", pd.Timestamp("2020-01-01")] * 10
    frame["nums"] = pd.Series([1, 2.5, None] * 10, dtype=object)
    frame["when"] = pd.Series([pd.Timestamp("2020-01-01", tz="UTC"), None, pd.Timestamp("2021-01-01", tz="UTC")] * 10)
    out = validate_frame(frame)
    assert out["b"].tolist()[:2] == ["café", "tea"] and out["b"].isna().sum() == 10
    assert out["mixed"].map(type).eq(str).all()
    assert str(out["nums"].dtype) == "float64" and out["nums"].isna().sum() == 10
    assert str(out["when"].dtype) == "datetime64[ns, UTC]"
    assert frame["b"].tolist()[0] == b"caf\xc3\xa9"  # the caller's frame is untouched


def test_nested_values_are_found_in_every_row():
    frame = pd.DataFrame({"x": np.arange(5000.0), "o": pd.Series(["a", "b"] * 2500, dtype=object)})
    frame.at[4_999, "o"] = {"k": 1}
    with pytest.raises(DataError, match=r"nested objects .* in 1 row"):
        Dataset.from_frame(frame)


def test_time_zones_come_back_on_samples():
    sampled = pd.DataFrame({"when": pd.to_datetime(["2024-01-01 12:00"])})
    out = restore_timezones(sampled, {"when": "datetime64[ns, Europe/Berlin]"})
    assert str(out["when"].dt.tz) == "Europe/Berlin" and out["when"].iloc[0].hour == 13


@pytest.mark.parametrize("method", ["gaussian-copula", "dp-tvae"])
def test_a_model_trained_on_tz_aware_datetimes_samples_them_in_that_zone(method, synth_home):
    import synthstudio_kernel as ss

    n = 400
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=n, freq="D", tz="Europe/Berlin"),
            "x": rng.normal(size=n),
            "c": rng.choice(["a", "b"], size=n),
        }
    )
    params: dict = {}
    if method == "dp-tvae":
        params = {"epsilon": 5.0, "epochs": 1, "batch_size": 100, "embedding_dim": 8, "compress_dims": [16],
                  "decompress_dims": [16], "public_bounds": {"x": (-5, 5), "when": ("2023-12-01", "2026-01-01")},
                  "categories": {"c": ["a", "b"]}}  # fmt: skip
    sampled = ss.train(frame, method=method, seed=0, **params).sample(20)
    assert str(sampled["when"].dtype) == "datetime64[ns, Europe/Berlin]"

"""Saved models: atomic writes, no training rows inside, clear errors for incompatible files."""

from __future__ import annotations

import errno
import json
import os
import re
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from synthesis_helpers import non_dp_methods, tiny

from synthstudio_kernel.errors import ArtifactError, WriteError
from synthstudio_kernel.synthesis import TrainedModel, load_model, registry
from synthstudio_kernel.synthesis.artifact import (
    FORMAT_VERSION,
    HEADER_NAME,
    PAYLOAD_NAME,
    atomic_write,
    read_header,
)
from synthstudio_kernel.synthesis.run import RunRecord

#: An unusual row count, so that an array with one entry per training row stands out.
N_ROWS = 347


def _model(synthesizer) -> TrainedModel:
    run = RunRecord.start(dataset_fingerprint="0" * 64, method=synthesizer.name, params=synthesizer.params, seed=1)
    return TrainedModel(synthesizer, run)


def _rewrite(path: Path, edit_header=None, edit_payload=None) -> None:
    """Write the artifact again with its header or payload changed."""
    with zipfile.ZipFile(path) as archive:
        header = json.loads(archive.read(HEADER_NAME))
        payload = archive.read(PAYLOAD_NAME)
    if edit_header:
        edit_header(header)
    if edit_payload:
        payload = edit_payload(payload)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(HEADER_NAME, json.dumps(header))
        archive.writestr(PAYLOAD_NAME, payload)


@pytest.fixture
def saved(fitted, tmp_path) -> Path:
    return _model(fitted["gaussian-copula"]).save(tmp_path / "model.synth")


# --- atomic writes --------------------------------------------------------------------------
def test_a_crash_mid_write_leaves_the_old_file_intact(saved, tmp_path):
    # Setup: a separate process starts overwriting the model and dies half-way (no cleanup)
    old = saved.read_bytes()
    script = textwrap.dedent(
        f"""
        import os
        from synthstudio_kernel.synthesis.artifact import atomic_write
        def write(handle):
            handle.write(b"PK half a model")
            handle.flush()
            os._exit(3)
        atomic_write({str(saved)!r}, write)
        """
    )

    # Run
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)

    # Assert
    assert result.returncode == 3
    assert saved.read_bytes() == old
    assert load_model(saved).sample(5, seed=1).shape == (5, 7)
    visible = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert visible == ["model.synth"]


def test_an_error_mid_write_leaves_no_temporary_file(saved, tmp_path):
    # Setup
    old = saved.read_bytes()

    def failing(handle):
        handle.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    # Run
    with pytest.raises(WriteError, match=r"disk is full.*previous file is unchanged"):
        atomic_write(saved, failing)

    # Assert
    assert saved.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.synth"]


def test_saving_replaces_the_file_and_keeps_its_permissions(fitted, saved):
    # Setup
    os.chmod(saved, 0o640)
    before = saved.read_bytes()

    # Run
    _model(fitted["gaussian-copula"]).save(saved)

    # Assert
    assert saved.read_bytes() != before  # a new run record
    assert saved.stat().st_mode & 0o777 == 0o640


def test_saving_onto_a_folder_is_refused(fitted, tmp_path):
    # Run / Assert
    with pytest.raises(ArtifactError, match="is a folder"):
        _model(fitted["gaussian-copula"]).save(tmp_path)


def test_stale_temporary_files_of_a_crashed_save_are_cleaned_on_the_next_save(saved, fitted, tmp_path):
    # Setup: what a crash leaves behind, an hour old
    stale = tmp_path / ".model.synth.abcd1234.tmp"
    stale.write_bytes(b"PK half")
    os.utime(stale, (0, 0))

    # Run
    _model(fitted["gaussian-copula"]).save(saved)

    # Assert
    assert not stale.exists()


# --- no training rows inside -------------------------------------------------------------------
def _unique_table() -> pd.DataFrame:
    """Row-unique tokens and distinctive numbers; categories shared by many rows."""
    rng = np.random.default_rng(42)
    return pd.DataFrame(
        {
            "record_id": [f"zq{i:05d}tok" for i in range(N_ROWS)],
            "amount": (rng.normal(5000, 900, N_ROWS) + 0.123456789).round(7),
            "count": rng.integers(1_000_003, 9_999_991, N_ROWS),
            "group": rng.choice(["north", "south", "east"], N_ROWS),
            "flag": rng.choice(["yes", "no"], N_ROWS),
        }
    )


def _row_arrays(obj, n: int, path: str = "model", seen: set[int] | None = None, found: list[str] | None = None):
    """Paths of arrays/frames/tensors in ``obj`` with a dimension of ``n`` (one entry per training row)."""
    seen = set() if seen is None else seen
    found = [] if found is None else found
    if id(obj) in seen or len(seen) > 200_000:
        return found
    seen.add(id(obj))
    if isinstance(obj, np.ndarray | pd.DataFrame | pd.Series | pd.Index | torch.Tensor):
        if n in tuple(obj.shape):
            found.append(path)
        return found
    if isinstance(obj, list | tuple | set):
        if len(obj) == n:
            found.append(path)
        for index, item in enumerate(list(obj)[:5000]):
            _row_arrays(item, n, f"{path}[{index}]", seen, found)
        return found
    if isinstance(obj, dict):
        for key, item in obj.items():
            _row_arrays(item, n, f"{path}.{key}", seen, found)
        return found
    state = getattr(obj, "__dict__", None)
    if isinstance(state, dict) and not isinstance(obj, type):
        _row_arrays(state, n, path, seen, found)
    return found


def _leaks(blob: bytes, table: pd.DataFrame) -> list[tuple[str, object]]:
    """Training values found in ``blob``: identifiers, and numbers other than a column's min/max."""
    found: list[tuple[str, object]] = [("record_id", t) for t in table["record_id"] if t.encode() in blob]
    for column in ("amount", "count"):
        for value in np.sort(table[column].to_numpy())[1:-1]:
            texts = [repr(float(value))] + ([str(int(value))] if column == "count" else [])
            packed = [struct.pack("<d", float(value))] + ([struct.pack("<q", int(value))] if column == "count" else [])
            hits = [p for p in packed if p in blob] + [t for t in texts if _as_whole_number(t).search(blob)]
            found += [(column, value) for _ in hits]
    return found


def _as_whole_number(text: str) -> re.Pattern[bytes]:
    """``text`` written as a number of its own, not a run of digits inside a longer one.

    torch.save writes a random 40-digit serialization id into every file, and hashes and ids hold
    digit runs too: a bare substring search found a 7-digit count inside one about once in a thousand saves.
    """
    return re.compile(rb"(?<![0-9.])" + re.escape(text.encode()) + rb"(?![0-9])")


@pytest.mark.parametrize("method", non_dp_methods())
def test_the_artifact_holds_no_training_rows(method, tmp_path):
    # Setup
    table = _unique_table()
    synthesizer = registry.create(method, seed=3, **tiny(method)).fit(table)

    # Run
    blob = _model(synthesizer).save(tmp_path / "m.synth").read_bytes()

    # Assert: min/max stay (they clip samples); categories are what the model generates
    assert _leaks(blob, table) == []
    assert _row_arrays(synthesizer, N_ROWS) == []
    assert b"north" in blob


def test_the_leak_check_finds_rows_when_they_are_there(fitted, tmp_path):
    # Setup: a synthesizer that wrongly keeps its training table
    table = _unique_table()
    synthesizer = registry.create("gaussian-copula", seed=3).fit(table)
    synthesizer._kept_rows = table

    # Run
    blob = _model(synthesizer).save(tmp_path / "leaky.synth").read_bytes()

    # Assert
    kinds = {column for column, _ in _leaks(blob, table)}
    assert kinds == {"record_id", "amount", "count"}
    assert _row_arrays(synthesizer, N_ROWS) == ["model._kept_rows"]


def test_identifier_columns_come_back_as_fresh_surrogates(tmp_path):
    # Setup
    table = _unique_table()
    synthesizer = registry.create("gaussian-copula", seed=3).fit(table)

    # Run
    frame = load_model(_model(synthesizer).save(tmp_path / "m.synth")).sample(200, seed=2)

    # Assert
    assert list(frame.columns) == list(table.columns)
    assert frame["record_id"].is_unique
    assert not set(frame["record_id"]) & set(table["record_id"])


# --- incompatible or broken files --------------------------------------------------------------
def test_a_newer_format_version_is_refused_with_advice(saved):
    # Setup
    _rewrite(saved, edit_header=lambda h: h.update(format_version=FORMAT_VERSION + 1))

    # Run / Assert
    with pytest.raises(ArtifactError, match=r"format version .* upgrade synthstudio_kernel"):
        load_model(saved)


def test_a_major_library_mismatch_is_refused(saved):
    # Setup
    _rewrite(saved, edit_header=lambda h: h["libraries"].update(sdv="1.17.4"))

    # Run
    with pytest.raises(ArtifactError) as info:
        load_model(saved)

    # Assert
    message = str(info.value)
    assert "sdv 1.17.4" in message and "not compatible" in message and "\n" not in message


def test_a_pre_one_minor_mismatch_is_a_major_one(saved):
    # Setup: ctgan 0.12 -> 0.11 (before 1.0, minors break pickles)
    _rewrite(saved, edit_header=lambda h: h["libraries"].update(ctgan="0.11.0"))

    # Run / Assert
    with pytest.raises(ArtifactError, match="ctgan"):
        read_header(saved)


def test_a_patch_level_difference_only_warns(saved):
    # Setup
    import sdv

    major, minor = sdv.__version__.split(".")[:2]
    _rewrite(saved, edit_header=lambda h: h["libraries"].update(sdv=f"{major}.{minor}.999"))

    # Run
    with pytest.warns(UserWarning, match="other library versions"):
        model = load_model(saved)

    # Assert
    assert model.sample(3).shape == (3, 7)


def test_a_corrupt_payload_is_detected(saved):
    # Setup
    _rewrite(saved, edit_payload=lambda p: p[:100] + bytes([p[100] ^ 0xFF]) + p[101:])

    # Run / Assert
    with pytest.raises(ArtifactError, match="corrupt"):
        load_model(saved)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No model file"), (b"not a zip at all", "not a Synth Studio model"), ("zip-without-header", "missing")],
)
def test_files_that_are_not_models(tmp_path, content, message):
    # Setup
    path = tmp_path / "thing.synth"
    if content == "zip-without-header":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("other.txt", "hello")
    elif content is not None:
        path.write_bytes(content)

    # Run / Assert
    with pytest.raises(ArtifactError, match=message):
        load_model(path)


def test_the_header_is_readable_without_unpickling(saved):
    # Run
    header = read_header(saved)

    # Assert
    assert header["format_version"] == FORMAT_VERSION
    assert header["method"] == "gaussian-copula"
    assert header["libraries"]["sdv"]
    assert header["run"]["method"] == "gaussian-copula"


# --- devices -------------------------------------------------------------------------------------
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("method", ["ctgan", "tvae"])
def test_a_model_trained_on_the_gpu_loads_on_the_cpu(method, insurance, tmp_path):
    # Setup
    synthesizer = registry.create(method, seed=2, **tiny(method)).fit(insurance, device="cuda")
    expected = synthesizer.sample(30, seed=4)

    # Run
    loaded = load_model(_model(synthesizer).save(tmp_path / "gpu.synth"))

    # Assert
    assert loaded.device == "cpu"
    tensors = [p for m in _modules(loaded.synthesizer) for p in m.parameters()]
    assert tensors and all(t.device.type == "cpu" for t in tensors)
    assert synthesizer.device == "cuda"  # saving does not move the live model
    assert loaded.sample(30, seed=4).shape == expected.shape


def _modules(synthesizer) -> list[torch.nn.Module]:
    model = synthesizer._sdv._model
    return [m for m in vars(model).values() if isinstance(m, torch.nn.Module)]

"""The bad-input corpus, through the public Python API.

Every case is a call a hostile or careless user might make. Each must raise one
SynthStudioError whose message is one readable line quoting no data value, and leave the
ledger's budgets and runs and the files in the working folder unchanged.
"""

from __future__ import annotations

import errno
import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from corpus_helpers import SECRETS, assert_one_clean_line, secret_table, snapshot

import synthstudio_kernel as ss
from synthstudio_kernel.errors import SynthStudioError
from synthstudio_kernel.synthesis.artifact import HEADER_NAME, PAYLOAD_NAME

Call = Callable[[dict[str, Any]], Any]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One trained model, its saved file and a registered dataset, shared by the cases."""
    home = tmp_path_factory.mktemp("corpus-home")
    os.environ["SYNTHSTUDIO_HOME"] = str(home)
    from synthstudio_kernel.privacy.ledger import close_ledgers

    close_ledgers()
    table = secret_table()
    model = ss.train(table, method="gaussian-copula", seed=1)
    files = tmp_path_factory.mktemp("corpus-files")
    saved = model.save(files / "model.synth")
    ss.register_dataset(table, "people", total_epsilon=3.0)
    return {"table": table, "model": model, "saved": saved, "files": files, "home": home}


@pytest.fixture
def w(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("SYNTHSTUDIO_HOME", str(world["home"]))
    monkeypatch.delenv("SYNTHSTUDIO_DB_URL", raising=False)
    return world


def _frame(build: Callable[[pd.DataFrame], Any]) -> Call:
    return lambda w: build(w["table"].copy())


def _late_nested(t: pd.DataFrame) -> pd.DataFrame:
    big = pd.concat([t] * 10, ignore_index=True)
    big["note"] = big["note"].astype(object)
    big.at[2_300, "note"] = {"k": SECRETS[0]}
    return big


def _renamed(t: pd.DataFrame, names: list[Any]) -> pd.DataFrame:
    t = t.iloc[:, : len(names)].copy()
    t.columns = names
    return t


#: Bad tables: each goes through profile, train and register_dataset below.
BAD_TABLES: dict[str, Callable[[pd.DataFrame], Any]] = {
    "a list": lambda t: t.values.tolist(),
    "a dict": lambda t: t.to_dict(),
    "None": lambda t: None,
    "a numpy array": lambda t: t.to_numpy(),
    "no columns": lambda t: pd.DataFrame(index=range(5)),
    "no rows": lambda t: t.iloc[0:0],
    "one row": lambda t: t.iloc[:1],
    "all-NaN column": lambda t: t.assign(income=np.nan),
    "infinite numbers": lambda t: t.assign(income=t["income"].where(t.index != 9, np.inf)),
    "complex numbers": lambda t: t.assign(income=t["income"] + 1j),
    "duplicate names": lambda t: _renamed(t, ["a", "a", "b"]),
    "names equal as text": lambda t: _renamed(t, [1, "1", "x"]),
    "MultiIndex names": lambda t: _renamed(t, pd.MultiIndex.from_tuples([("a", 1), ("a", 2)])),
    "a dict after row 2,000": _late_nested,
    "lists in a column": lambda t: t.assign(note=[[SECRETS[0]]] * len(t)),
    "sets in a column": lambda t: t.assign(note=[{SECRETS[1]}] * len(t)),
    "binary non-UTF-8 bytes": lambda t: t.assign(note=[b"\xff\xfe" + bytes([i % 7]) for i in range(len(t))]),
}


#: The PII scan reads values as text, per column: it must refuse only what is not a table.
PII_REFUSES = ("a list", "a dict", "None", "a numpy array", "no columns", "duplicate names", "names equal as text",
               "MultiIndex names")  # fmt: skip
TABLE_CASES = [(entry, case) for entry in ("profile", "train", "register_dataset") for case in sorted(BAD_TABLES)]
TABLE_CASES += [("scan_pii", case) for case in PII_REFUSES]


@pytest.mark.parametrize(("entry", "case"), TABLE_CASES)
def test_bad_tables(w, case, entry, tmp_path):
    calls = {
        "profile": lambda data: ss.profile(data),
        "train": lambda data: ss.train(data, method="gaussian-copula", seed=1),
        "register_dataset": lambda data: ss.register_dataset(data, "bad-table", total_epsilon=1.0),
        "scan_pii": lambda data: ss.scan_pii(data),
    }
    data = BAD_TABLES[case](w["table"].copy())
    _expect_clean_failure(w, tmp_path, lambda: calls[entry](data))


#: Bad parameters of ss.train, model.sample, register_dataset, budget and load/save.
BAD_CALLS: dict[str, Call] = {
    "train: unknown method": lambda w: ss.train(w["table"], method="nope"),
    "train: method None": lambda w: ss.train(w["table"], method=None),
    "train: method a number": lambda w: ss.train(w["table"], method=3),
    "train: epsilon on a non-DP method": lambda w: ss.train(w["table"], method="tvae", epsilon=1.0),
    "train: negative epsilon": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=-1.0, epochs=1),
    "train: zero epsilon": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=0.0, epochs=1),
    "train: NaN epsilon": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=float("nan"), epochs=1),
    "train: infinite epsilon": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=float("inf"), epochs=1),
    "train: epsilon as text": lambda w: ss.train(w["table"], method="dp-tvae", epsilon="1", epochs=1),
    "train: epsilon True": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=True, epochs=1),
    "train: delta 0.5": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=5.0, delta=0.5, epochs=1),
    "train: negative delta": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=5.0, delta=-1e-6, epochs=1),
    "train: zero epochs": lambda w: ss.train(w["table"], method="tvae", epochs=0),
    "train: fractional epochs": lambda w: ss.train(w["table"], method="tvae", epochs=1.5),
    "train: epochs True": lambda w: ss.train(w["table"], method="tvae", epochs=True),
    "train: batch size 0": lambda w: ss.train(w["table"], method="tvae", batch_size=0),
    "train: batch size as text": lambda w: ss.train(w["table"], method="tvae", batch_size="big"),
    "train: negative seed": lambda w: ss.train(w["table"], method="gaussian-copula", seed=-1),
    "train: seed as text": lambda w: ss.train(w["table"], method="gaussian-copula", seed="x"),
    "train: unknown device": lambda w: ss.train(w["table"], method="tvae", device="quantum"),
    "train: misspelt parameter": lambda w: ss.train(w["table"], method="tvae", epoch=3),
    "train: force as text": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=5.0, epochs=1, force="false"),
    "train: unknown dataset": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=1.0, epochs=1, dataset="nope"),
    "train: too few rows for epsilon": lambda w: ss.train(w["table"], method="dp-tvae", epsilon=0.05, epochs=1),
    "train: unknown kind override": lambda w: ss.train(ss.Dataset.from_frame(w["table"], {"nope": "numeric"})),
    "train: bad kind name": lambda w: ss.train(ss.Dataset.from_frame(w["table"], {"age": "weird"})),
    "sample: zero rows": lambda w: w["model"].sample(0),
    "sample: negative rows": lambda w: w["model"].sample(-5),
    "sample: fractional rows": lambda w: w["model"].sample(2.5),
    "sample: rows as text": lambda w: w["model"].sample("10"),
    "sample: rows True": lambda w: w["model"].sample(True),
    "sample: a billion rows": lambda w: w["model"].sample(1_000_000_000),
    "sample: numpy billion rows": lambda w: w["model"].sample(np.int64(10**9)),
    "sample: negative seed": lambda w: w["model"].sample(5, seed=-1),
    "sample: condition on unknown column": lambda w: w["model"].sample(5, conditions={"nope": 1}),
    "sample: condition on a number column": lambda w: w["model"].sample(5, conditions={"age": 30}),
    "sample: unknown category": lambda w: w["model"].sample(5, conditions={"city": "atlantis"}),
    "register: total True": lambda w: ss.register_dataset(w["table"], "t1", total_epsilon=True),
    "register: total negative": lambda w: ss.register_dataset(w["table"], "t2", total_epsilon=-1.0),
    "register: total as text": lambda w: ss.register_dataset(w["table"], "t3", total_epsilon="5"),
    "register: total NaN": lambda w: ss.register_dataset(w["table"], "t4", total_epsilon=float("nan")),
    "register: empty name": lambda w: ss.register_dataset(w["table"], "", total_epsilon=1.0),
    "register: same table, second name": lambda w: ss.register_dataset(w["table"], "other", total_epsilon=3.0),
    "register: other total without update": lambda w: ss.register_dataset(w["table"], "people", total_epsilon=4.0),
    "budget: unknown dataset": lambda w: ss.budget("no-such-dataset"),
    "load: missing file": lambda w: ss.load_model(w["files"] / "missing.synth"),
    "load: a folder": lambda w: ss.load_model(w["files"]),
    "load: not a zip": lambda w: ss.load_model(_write(w, "text.synth", b"hello " * 100)),
    "load: empty file": lambda w: ss.load_model(_write(w, "empty.synth", b"")),
    "load: truncated": lambda w: ss.load_model(_write(w, "cut.synth", w["saved"].read_bytes()[:5000])),
    "load: flipped byte in the payload": lambda w: ss.load_model(_flipped(w, 0.6)),
    "load: flipped byte in the header": lambda w: ss.load_model(_flipped(w, None)),
    "load: flipped byte in the directory": lambda w: ss.load_model(_flipped(w, 0.999)),
    "load: wrong header type": lambda w: ss.load_model(_rebuilt(w, header={"format_version": "1"})),
    "load: header is a list": lambda w: ss.load_model(_rebuilt(w, header_bytes=b"[1, 2]")),
    "load: payload is a list": lambda w: ss.load_model(_rebuilt(w, payload=_torch_bytes([1, 2, 3]))),
    "load: payload is garbage": lambda w: ss.load_model(_rebuilt(w, payload=b"\x80\x04garbage")),
    "load: extra member": lambda w: ss.load_model(_rebuilt(w, extra=True)),
    "load: a zip bomb member": lambda w: ss.load_model(_bomb(w)),
    "save: onto a folder": lambda w: w["model"].save(w["files"]),
    "save: under a file": lambda w: w["model"].save(_write(w, "plain.txt", b"x") / "model.synth"),
    "save: empty path": lambda w: w["model"].save(""),
    "evaluate: not a frame": lambda w: ss.evaluate(w["table"], [1, 2, 3]),
    "evaluate: no shared columns": lambda w: ss.evaluate(w["table"], pd.DataFrame({"zz": range(50), "yy": 1.0})),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_calls(w, case, tmp_path):
    _expect_clean_failure(w, tmp_path, lambda: BAD_CALLS[case](w), watch=w["files"])


@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "disk is full"), (errno.EACCES, "permission denied"),
                                              (errno.EROFS, "read-only")])  # fmt: skip
def test_a_failing_disk_during_save_is_one_line_and_keeps_the_old_file(w, tmp_path, monkeypatch, code, reason):
    # Setup: the model exists; the next write fails half-way (a full disk, lost permission, ro remount)
    target = w["model"].save(tmp_path / "model.synth")
    before = target.read_bytes()
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", failing_fsync)

    # Run
    with pytest.raises(SynthStudioError) as info:
        w["model"].save(target)
    monkeypatch.setattr(os, "fsync", real_fsync)

    # Assert
    assert_one_clean_line(str(info.value))
    assert reason in str(info.value)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.synth"]
    assert ss.load_model(target).sample(3).shape[0] == 3


# --- helpers -------------------------------------------------------------------------------------
def _expect_clean_failure(
    w: dict[str, Any], tmp_path: Path, call: Callable[[], Any], watch: Path | None = None
) -> None:
    folder = watch or tmp_path
    before = snapshot(folder)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(SynthStudioError) as info:
            call()
    finally:
        os.chdir(cwd)
    assert_one_clean_line(str(info.value))
    after = snapshot(folder)
    assert after.budgets == before.budgets, "a failed call changed a budget"
    assert after.runs == before.runs, "a failed call left a run other than a refusal"
    assert after.files == before.files, "a failed call changed files"
    assert not list(tmp_path.iterdir()) or watch is not None, "a failed call wrote into the working folder"


def _write(w: dict[str, Any], name: str, content: bytes) -> Path:
    path = w["files"].parent / f"{w['files'].name}-scratch" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def _flipped(w: dict[str, Any], where: float | None) -> Path:
    data = bytearray(w["saved"].read_bytes())
    index = data.find(b'"method"') + 3 if where is None else int(len(data) * where)
    data[index] ^= 0x01
    return _write(w, f"flipped-{where}.synth", bytes(data))


def _rebuilt(
    w: dict[str, Any],
    header: dict[str, Any] | None = None,
    header_bytes: bytes | None = None,
    payload: bytes | None = None,
    extra: bool = False,
) -> Path:
    with zipfile.ZipFile(w["saved"]) as archive:
        original = json.loads(archive.read(HEADER_NAME))
        body = archive.read(PAYLOAD_NAME)
    if payload is not None:
        import hashlib

        body = payload
        original["payload_sha256"] = hashlib.sha256(body).hexdigest()
    original.update(header or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(HEADER_NAME, header_bytes if header_bytes is not None else json.dumps(original))
        archive.writestr(PAYLOAD_NAME, body)
        if extra:
            archive.writestr("run.py", "print('hello')")
    return _write(w, f"rebuilt-{len(buffer.getvalue())}-{extra}.synth", buffer.getvalue())


def _torch_bytes(obj: Any) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def _bomb(w: dict[str, Any]) -> Path:
    """A small file whose payload member declares (and deflates to) far more than the limit."""
    path = _write(w, "bomb.synth", b"")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(HEADER_NAME, json.dumps({"format": "synthstudio-model"}))
        with archive.open(PAYLOAD_NAME, "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    os.environ["SYNTHSTUDIO_MAX_MODEL_BYTES"] = str(16 << 20)
    return path


@pytest.fixture(autouse=True)
def _reset_model_limit():
    yield
    os.environ.pop("SYNTHSTUDIO_MAX_MODEL_BYTES", None)

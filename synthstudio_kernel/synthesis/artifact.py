"""Saved models: a zip with a JSON header and the pickled synthesizer, written atomically.

Layout (``format_version`` 1)::

    synthstudio.json   {"format", "format_version", "synthstudio_version", "libraries",
                        "method", "run", "payload_sha256", "saved_at"}
    model.pt           torch.save({"synthesizer": ..., "run": ...}), tensors on the CPU

Writing goes to a temporary file in the target folder, is flushed and fsync'ed, then
``os.replace``-d over the target: after a crash the old file is intact and no partial
file sits at the target path (a crashed save's hidden ``.name.*.tmp`` file is removed by
the next save). Loading reads the header first and refuses an
incompatible format or a different major version of a library the model was pickled
with; tensors are mapped to the CPU so a model saved on a GPU loads anywhere.

Loading unpickles Python objects: only load models you trust (your own or your team's).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import os
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from ..errors import ArtifactError

FORMAT = "synthstudio-model"
FORMAT_VERSION = 1
HEADER_NAME = "synthstudio.json"
PAYLOAD_NAME = "model.pt"
#: Temporary files of a save older than this (seconds) are leftovers of a crashed process.
STALE_AFTER_S = 600
#: Libraries whose pickled objects are only portable within one compatible version line.
CHECKED_LIBRARIES = ("synthstudio_kernel", "sdv", "rdt", "copulas", "ctgan", "opacus", "torch", "numpy", "pandas")


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Call ``write(handle)`` on a temporary file next to ``path``, fsync it, then rename it over ``path``."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ArtifactError(f"{str(target)!r} is a folder; give a file name such as 'model.synth'.")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_dir(target.parent)
    return target


def write_artifact(path: str | os.PathLike[str], synthesizer: Any, run: Mapping[str, Any]) -> Path:
    """Save ``synthesizer`` (moved to the CPU for the write) and its run record to ``path``."""
    import torch

    device = getattr(synthesizer, "device", "cpu")
    buffer = io.BytesIO()
    if device != "cpu":
        synthesizer._to_device("cpu")
    try:
        # Protocol 4 keeps numpy buffers as raw bytes (protocol 2, torch's default, re-encodes
        # them as text), so the saved bytes can be audited for training values.
        torch.save({"synthesizer": synthesizer, "run": dict(run)}, buffer, pickle_protocol=4)
    finally:
        if device != "cpu":
            synthesizer._to_device(device)
    payload = buffer.getvalue()
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "synthstudio_version": _installed("synthstudio_kernel"),
        "libraries": dict(getattr(synthesizer, "versions", {}) or {}),
        "method": getattr(synthesizer, "name", ""),
        "device_trained_on": device,
        "run": dict(run),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "saved_at": run.get("finished_at") or run.get("created_at"),
    }

    def write(handle: IO[bytes]) -> None:
        # Stored, not deflated: the file's bytes are the model's bytes, so anyone can audit
        # them (e.g. grep for training values) without unpacking.
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(HEADER_NAME, json.dumps(header, indent=2, sort_keys=True))
            archive.writestr(PAYLOAD_NAME, payload)

    return atomic_write(path, write)


def read_header(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The artifact's JSON header (no unpickling), checked for compatibility."""
    with _open(path) as archive:
        return _checked_header(path, archive)


def read_artifact(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(header, payload)`` of a saved model; payload tensors are on the CPU."""
    import torch

    with _open(path) as archive:
        header = _checked_header(path, archive)
        payload = archive.read(PAYLOAD_NAME)
    if hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
        raise ArtifactError(f"{_name(path)} is corrupt (its model data does not match the checksum); save it again.")
    try:
        content = torch.load(io.BytesIO(payload), map_location="cpu", weights_only=False)
    except Exception as exc:  # unpickling failures come in many types
        raise ArtifactError(
            f"{_name(path)} could not be loaded ({type(exc).__name__}); it needs the libraries it was saved "
            f"with: {_libraries_text(header)}."
        ) from exc
    if not isinstance(content, dict) or "synthesizer" not in content:
        raise ArtifactError(f"{_name(path)} holds no model.")
    return header, content


def check_compatible(header: Mapping[str, Any]) -> list[str]:
    """Raise ArtifactError on an incompatible header; return notes on minor version differences."""
    if header.get("format") != FORMAT:
        raise ArtifactError("The file is not a Synth Studio model (unknown format).")
    saved = header.get("format_version")
    if not isinstance(saved, int) or saved != FORMAT_VERSION:
        newer = isinstance(saved, int) and saved > FORMAT_VERSION
        advice = "upgrade synthstudio_kernel" if newer else "retrain the model with this version"
        raise ArtifactError(
            f"The model file has format version {saved!r}; this Synth Studio reads version {FORMAT_VERSION}: {advice}."
        )
    notes: list[str] = []
    libraries = header.get("libraries") or {}
    for package in CHECKED_LIBRARIES:
        wanted = libraries.get(package)
        if not wanted:
            continue
        here = _installed(package)
        if here is None:
            raise ArtifactError(f"The model needs {package} {wanted}, which is not installed; install it to load.")
        if _line(wanted) != _line(here):
            raise ArtifactError(
                f"The model was saved with {package} {wanted} but {here} is installed; versions "
                f"{_line(wanted)} and {_line(here)} are not compatible: install {package} {_line(wanted)}.x "
                f"or retrain the model."
            )
        if wanted != here:
            notes.append(f"{package} {wanted} -> {here}")
    return notes


def _checked_header(path: str | os.PathLike[str], archive: zipfile.ZipFile) -> dict[str, Any]:
    names = set(archive.namelist())
    if HEADER_NAME not in names or PAYLOAD_NAME not in names:
        raise ArtifactError(f"{_name(path)} is not a Synth Studio model (missing {HEADER_NAME} or {PAYLOAD_NAME}).")
    try:
        header = json.loads(archive.read(HEADER_NAME).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ArtifactError(f"{_name(path)} has an unreadable header; the file is damaged.") from None
    if not isinstance(header, dict):
        raise ArtifactError(f"{_name(path)} has an unreadable header; the file is damaged.")
    try:
        notes = check_compatible(header)
    except ArtifactError as exc:
        raise ArtifactError(f"Cannot load {_name(path)}: {exc}") from None
    if notes:
        warnings.warn(
            f"{_name(path)} was saved with other library versions ({'; '.join(notes)}); loading anyway.",
            stacklevel=3,
        )
    return header


@contextlib.contextmanager
def _open(path: str | os.PathLike[str]) -> Any:
    source = Path(path).expanduser()
    if not source.is_file():
        raise ArtifactError(f"No model file at {str(source)!r}.")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise ArtifactError(f"{_name(path)} is not a Synth Studio model file (not a readable archive).") from None
    with archive:
        yield archive


def _line(text: str) -> str:
    """The compatible release line: ``2`` for 2.x, ``0.12`` for 0.12.x (pre-1.0 minors break)."""
    parts = str(text).split("+")[0].split(".")
    return parts[0] if parts[0] != "0" else ".".join(parts[:2])


def _installed(package: str) -> str | None:
    if package == "synthstudio_kernel":
        from .. import __version__

        return __version__
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _libraries_text(header: Mapping[str, Any]) -> str:
    libraries = header.get("libraries") or {}
    return ", ".join(f"{k} {v}" for k, v in sorted(libraries.items())) or "unknown"


def _name(path: str | os.PathLike[str]) -> str:
    return repr(Path(path).name)


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def _remove_stale_temporaries(target: Path) -> None:
    """Delete what a crashed save of ``target`` left behind (old enough not to be a live save)."""
    now = time.time()
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_AFTER_S:
                leftover.unlink()


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

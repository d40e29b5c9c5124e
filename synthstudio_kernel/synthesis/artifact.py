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

import hashlib
import io
import json
import os
import warnings
import zipfile
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from ..errors import ArtifactError
from . import artifact_io

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
    from ..fileio import atomic_write as checked_atomic_write

    return checked_atomic_write(path, write, what="the model")


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
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(HEADER_NAME, json.dumps(header, indent=2, sort_keys=True))
            archive.writestr(PAYLOAD_NAME, payload)
            archive.comment = artifact_io.seal_placeholder()
        handle.write(artifact_io.seal(buffer.getbuffer().tobytes()))

    return atomic_write(path, write)


def read_header(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The artifact's JSON header (no unpickling), checked for compatibility."""
    return _compatible(path, artifact_io.read_header_only(path, HEADER_NAME, PAYLOAD_NAME))


def read_artifact(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(header, payload)`` of a saved model; payload tensors are on the CPU."""
    import torch

    header, payload = artifact_io.read_verified(path, HEADER_NAME, PAYLOAD_NAME)
    header = _compatible(path, header)
    try:
        content = torch.load(io.BytesIO(payload), map_location="cpu", weights_only=False)
    except Exception as exc:  # unpickling failures come in many types
        raise ArtifactError(
            f"{_name(path)} could not be loaded ({type(exc).__name__}); it needs the libraries it was saved "
            f"with: {_libraries_text(header)}."
        ) from exc
    from .base import Synthesizer

    return header, artifact_io.check_payload(content, _name(path), Synthesizer)


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


def _compatible(path: str | os.PathLike[str], header: dict[str, Any]) -> dict[str, Any]:
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

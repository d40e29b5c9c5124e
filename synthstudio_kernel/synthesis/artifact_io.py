"""Bounded, verified reading of ``.synth`` artifacts, before anything is unpickled.

A model file comes from a disk, a colleague or a download: it may be truncated, have a
flipped byte, or be built to exhaust memory. :func:`read_verified` checks, in this order:

1. the file size against :func:`max_model_bytes` (``SYNTHSTUDIO_MAX_MODEL_BYTES``);
2. the seal: Synth Studio writes the SHA-256 of every byte before it into the archive's
   comment (:func:`seal`), so any flipped byte anywhere in a sealed file is detected;
3. the member list: exactly the header and the payload, each with a declared size within
   its limit, stored or deflated, checked *before* anything is decompressed;
4. each member is read in chunks with a hard cap (a member that lies about its size is
   stopped), the zip CRC-32 is verified, and the payload's SHA-256 must match the header;
5. the header is validated against :data:`HEADER_SCHEMA` (types of every known field).

Every failure is an :class:`~synthstudio_kernel.errors.ArtifactError` with one line.
:func:`check_payload` then validates what was unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ArtifactError

#: Largest header accepted (bytes).
MAX_HEADER_BYTES = 1 << 20
#: Largest model file accepted by default (bytes); ``SYNTHSTUDIO_MAX_MODEL_BYTES`` overrides it.
MAX_MODEL_BYTES = 4 << 30
SEAL_PREFIX = b"synthstudio-sha256:"
_SEAL_LENGTH = len(SEAL_PREFIX) + 64
_CHUNK = 1 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")

#: field -> (accepted types, required). Unknown fields are allowed (newer writers add some).
HEADER_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "format": ((str,), True),
    "format_version": ((int,), True),
    "payload_sha256": ((str,), True),
    "method": ((str,), True),
    "run": ((dict,), True),
    "libraries": ((dict,), True),
    "synthstudio_version": ((str, type(None)), False),
    "device_trained_on": ((str,), False),
    "saved_at": ((str, type(None)), False),
}


def max_model_bytes() -> int:
    """Largest model file :func:`read_verified` accepts."""
    raw = os.environ.get("SYNTHSTUDIO_MAX_MODEL_BYTES", "").strip()
    if not raw:
        return MAX_MODEL_BYTES
    if not raw.isascii() or not raw.isdigit() or int(raw) <= 0:
        raise ArtifactError("SYNTHSTUDIO_MAX_MODEL_BYTES must be a positive whole number of bytes.")
    return int(raw)


def seal(archive_bytes: bytes) -> bytes:
    """Return ``archive_bytes`` (a zip written with a placeholder comment of the seal's length)
    with the SHA-256 of everything before the comment written into the comment."""
    body = archive_bytes[:-_SEAL_LENGTH]
    return body + SEAL_PREFIX + hashlib.sha256(body).hexdigest().encode("ascii")


def seal_placeholder() -> bytes:
    """The comment to write into a new archive before :func:`seal`."""
    return b"\0" * _SEAL_LENGTH


def read_verified(path: str | os.PathLike[str], header_name: str, payload_name: str) -> tuple[dict[str, Any], bytes]:
    """``(header, payload bytes)`` of the artifact at ``path``, bounded and verified (see the module doc)."""
    source = Path(path).expanduser()
    name = repr(source.name)
    if not source.is_file():
        raise ArtifactError(f"No model file at {str(source)!r}.")
    limit = max_model_bytes()
    size = source.stat().st_size
    if size > limit:
        raise ArtifactError(
            f"{name} is {size:,} bytes, more than the {limit:,} allowed for a model; if you trust it, raise "
            "SYNTHSTUDIO_MAX_MODEL_BYTES."
        )
    try:
        with source.open("rb") as handle:
            sealed = _check_seal(handle, size, name)
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                _check_comment(archive, sealed, name)
                infos = _members(archive, name, header_name, payload_name, limit)
                header_bytes = _read_member(archive, infos[header_name], MAX_HEADER_BYTES, name)
                payload, digest = _read_payload(archive, infos[payload_name], limit, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise ArtifactError(f"{name} is not a Synth Studio model file (not a readable archive).") from None
    except OSError as exc:
        raise ArtifactError(f"{name} cannot be read ({exc.strerror or type(exc).__name__}).") from None
    header = parse_header(header_bytes, name)
    if digest != header["payload_sha256"]:
        raise ArtifactError(f"{name} is corrupt (its model data does not match the checksum); save it again.")
    return header, payload


def read_header_only(path: str | os.PathLike[str], header_name: str, payload_name: str) -> dict[str, Any]:
    """The validated header; the payload is checked for size and seal but not read."""
    source = Path(path).expanduser()
    name = repr(source.name)
    if not source.is_file():
        raise ArtifactError(f"No model file at {str(source)!r}.")
    limit = max_model_bytes()
    try:
        with source.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise ArtifactError(f"{name} is {size:,} bytes, more than the {limit:,} allowed for a model.")
            sealed = _check_seal(handle, size, name)
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                _check_comment(archive, sealed, name)
                infos = _members(archive, name, header_name, payload_name, limit)
                header_bytes = _read_member(archive, infos[header_name], MAX_HEADER_BYTES, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise ArtifactError(f"{name} is not a Synth Studio model file (not a readable archive).") from None
    except OSError as exc:
        raise ArtifactError(f"{name} cannot be read ({exc.strerror or type(exc).__name__}).") from None
    return parse_header(header_bytes, name)


def parse_header(raw: bytes, name: str) -> dict[str, Any]:
    """The header's JSON, validated against :data:`HEADER_SCHEMA`."""
    try:
        header = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ArtifactError(f"{name} has an unreadable header; the file is damaged.") from None
    if not isinstance(header, dict):
        raise ArtifactError(f"{name} has an unreadable header (not a JSON object); the file is damaged.")
    for field, (types, required) in HEADER_SCHEMA.items():
        if field not in header:
            if required:
                raise ArtifactError(f"{name} has an invalid header (no {field!r}); the file is damaged.")
            continue
        value = header[field]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ArtifactError(f"{name} has an invalid header ({field!r} has the wrong type); the file is damaged.")
    if not _HEX64.fullmatch(header["payload_sha256"]):
        raise ArtifactError(f"{name} has an invalid header (bad payload checksum field); the file is damaged.")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in header["libraries"].items()):
        raise ArtifactError(f"{name} has an invalid header (library versions must be text); the file is damaged.")
    return header


def check_payload(content: Any, name: str, synthesizer_type: type) -> dict[str, Any]:
    """What was unpickled must be ``{"synthesizer": <Synthesizer>, "run": {...}}``."""
    if not isinstance(content, dict) or "synthesizer" not in content:
        raise ArtifactError(f"{name} holds no model.")
    if not isinstance(content["synthesizer"], synthesizer_type):
        raise ArtifactError(f"{name} does not hold a Synth Studio synthesizer.")
    run = content.get("run")
    if run is not None and not isinstance(run, Mapping):
        raise ArtifactError(f"{name} holds an invalid run record; the file is damaged.")
    return content


def _check_seal(handle: Any, size: int, name: str) -> bool:
    """Verify the whole-file SHA-256 when the archive is sealed (files from older versions are not);
    return whether it was sealed."""
    if size < _SEAL_LENGTH:
        return False
    handle.seek(size - _SEAL_LENGTH)
    tail = handle.read(_SEAL_LENGTH)
    if not tail.startswith(SEAL_PREFIX):
        return False
    expected = tail[len(SEAL_PREFIX) :].decode("ascii", errors="replace")
    digest = hashlib.sha256()
    handle.seek(0)
    left = size - _SEAL_LENGTH
    while left > 0:
        chunk = handle.read(min(_CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    if digest.hexdigest() != expected:
        raise ArtifactError(f"{name} is corrupt (its checksum does not match: the file was changed or damaged).")
    return True


def _check_comment(archive: zipfile.ZipFile, sealed: bool, name: str) -> None:
    """Synth Studio writes no archive comment but its seal: any other comment is a damaged seal."""
    if archive.comment and not sealed:
        raise ArtifactError(f"{name} is corrupt (its checksum is damaged); save the model again.")


def _members(
    archive: zipfile.ZipFile, name: str, header_name: str, payload_name: str, limit: int
) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    names = [info.filename for info in infos]
    if header_name not in names or payload_name not in names:
        raise ArtifactError(f"{name} is not a Synth Studio model (missing {header_name} or {payload_name}).")
    if len(names) != 2:
        raise ArtifactError(f"{name} is not a Synth Studio model (unexpected or repeated archive members).")
    by_name = {info.filename: info for info in infos}
    caps = {header_name: MAX_HEADER_BYTES, payload_name: limit}
    for member, info in by_name.items():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArtifactError(f"{name} uses an unsupported compression; the file is not a Synth Studio model.")
        if info.file_size > caps[member]:
            raise ArtifactError(
                f"{name} declares a {member} of {info.file_size:,} bytes, more than the {caps[member]:,} allowed; "
                "refusing to read it."
            )
    return by_name


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            total += len(chunk)
            if total > cap:
                raise ArtifactError(f"{name} holds more data than it declares; refusing to read it.")
            chunks.append(chunk)
    return b"".join(chunks)


def _read_payload(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> tuple[bytes, str]:
    payload = _read_member(archive, info, cap, name)
    return payload, hashlib.sha256(payload).hexdigest()

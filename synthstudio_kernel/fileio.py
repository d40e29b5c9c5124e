"""The one place where Synth Studio writes files: checked targets, atomic writes, clear errors.

Every writer (model artifacts, CSV samples, scorecards, profiles, reports) goes through
:func:`atomic_write` or :func:`prepare_folder`, so each bad target is one readable
:class:`~synthstudio_kernel.errors.WriteError` (or the caller's subclass):

- the path is a folder where a file is expected, or a file stands where a folder is expected;
- the folder cannot be created or written (permissions, read-only file system);
- the disk fills up (or any other OS error) while writing.

Writes go to a hidden temporary file next to the target, are flushed and fsync'ed, then
``os.replace``-d over it: after a crash or a failed write the old file is intact and no
partial file sits at the target path.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import io
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .errors import WriteError

#: Temporary files of a write older than this (seconds) are leftovers of a crashed process.
STALE_AFTER_S = 600

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "a file stands where a folder is expected",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "too many symbolic links",
}


def reason(exc: OSError) -> str:
    """A short, value-free reason for an OS error."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__


def check_writable(
    path: str | os.PathLike[str], *, folder: bool = False, what: str = "the file", error: type[WriteError] = WriteError
) -> Path:
    """Check, without creating anything, that ``path`` could be written (a file, or a folder with
    ``folder=True``): so that a long computation is not wasted on a target that must fail."""
    if not str(path).strip():
        raise error(f"Cannot write {what}: the path is empty.")
    target = Path(path).expanduser()
    if target.exists() and target.is_dir() != folder:
        state = "it is a folder; give a file name inside it" if target.is_dir() else "it is a file, not a folder"
        raise error(f"Cannot write {what} to {str(target)!r}: {state}.")
    start = target if folder else target.parent
    for parent in (start, *start.parents):
        if parent.exists():
            if not parent.is_dir():
                raise error(f"Cannot write {what} into {str(start)!r}: {str(parent)!r} is a file, not a folder.")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise error(f"Cannot write {what} into {str(parent)!r}: permission denied.")
            break
    return target


def check_file_target(
    path: str | os.PathLike[str], *, what: str = "the file", error: type[WriteError] = WriteError
) -> Path:
    """``path`` as a writable file target (its folder is created); raise ``error`` otherwise."""
    if not str(path).strip():
        raise error(f"Cannot write {what}: the path is empty.")
    target = Path(path).expanduser()
    if target.is_dir():
        raise error(f"Cannot write {what} to {str(target)!r}: it is a folder; give a file name inside it.")
    prepare_folder(target.parent, what=what, error=error)
    if target.exists() and not os.access(target, os.W_OK) and not os.access(target.parent, os.W_OK):
        raise error(f"Cannot write {what} to {str(target)!r}: permission denied.")
    return target


def prepare_folder(
    path: str | os.PathLike[str], *, what: str = "the output", error: type[WriteError] = WriteError
) -> Path:
    """Create the folder ``path`` if needed and check that files can be written into it."""
    folder = Path(path).expanduser()
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise error(f"Cannot write {what} into {str(folder)!r}: {str(parent)!r} is a file, not a folder.")
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(f"Cannot create the folder {str(folder)!r} for {what}: {reason(exc)}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise error(f"Cannot write {what} into {str(folder)!r}: permission denied.")
    return folder


def atomic_write(
    path: str | os.PathLike[str],
    write: Callable[[IO[bytes]], None],
    *,
    what: str = "the file",
    error: type[WriteError] = WriteError,
) -> Path:
    """Call ``write(handle)`` on a temporary file next to ``path``, fsync it, then rename it over ``path``.

    Any OS error (disk full, permissions, ...) removes the temporary file and raises ``error``
    naming the path and the reason; the previous content of ``path`` is untouched.
    """
    target = check_file_target(path, what=what, error=error)
    _remove_stale_temporaries(target)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise error(f"Cannot write {what} to {str(target)!r}: {reason(exc)}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        _unlink(temporary)
        raise error(f"Cannot write {what} to {str(target)!r}: {reason(exc)}; the previous file is unchanged.") from None
    except BaseException:
        _unlink(temporary)
        raise
    _fsync_dir(target.parent)
    return target


def write_text_file(
    path: str | os.PathLike[str],
    write: Callable[[IO[str]], object],
    *,
    what: str = "the file",
    error: type[WriteError] = WriteError,
) -> Path:
    """:func:`atomic_write` for text (UTF-8, newlines as written)."""

    def binary(handle: IO[bytes]) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        try:
            write(text)
            text.flush()
        finally:
            text.detach()

    return atomic_write(path, binary, what=what, error=error)


def write_text(path: str | os.PathLike[str], content: str, *, what: str = "the file") -> Path:
    """Write ``content`` (UTF-8) to ``path`` atomically."""
    data = content.encode("utf-8")

    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    return atomic_write(path, write, what=what)


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


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
    """Delete what a crashed write of ``target`` left behind (old enough not to be a live write)."""
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

"""Shared pieces of the magics: argument parsing, namespace lookup, one-line errors."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import pandas as pd
from IPython.core.error import UsageError

from ...errors import SynthStudioError


class MagicArgumentParser(argparse.ArgumentParser):
    """argparse that raises UsageError (one line in the notebook) instead of exiting."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        super().__init__(prog=prog, add_help=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        usage = " ".join(self.format_usage().split()).removeprefix("usage: ")
        raise UsageError(f"%{self.prog}: {message}. Usage: {usage}")

    def parse_line(self, line: str) -> argparse.Namespace:
        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise UsageError(f"%{self.prog}: cannot parse the arguments ({exc}).") from None
        return self.parse_args(words)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn Synth Studio's user-facing errors into a one-line UsageError."""
    try:
        yield
    except SynthStudioError as exc:
        raise UsageError(str(exc)) from None


def get_variable(shell: Any, name: str, expected: type | tuple[type, ...] | None = None, what: str = "") -> Any:
    """Look ``name`` up in the user namespace, checking its type."""
    if not name.isidentifier():
        raise UsageError(f"{name!r} is not a valid variable name.")
    if name not in shell.user_ns:
        raise UsageError(f"No variable named {name!r} in the notebook.")
    value = shell.user_ns[name]
    if expected is not None and not isinstance(value, expected):
        wanted = what or (
            expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
        )
        raise UsageError(f"{name!r} is a {type(value).__name__}, not a {wanted}.")
    return value


def get_frame(shell: Any, name: str) -> pd.DataFrame:
    """The pandas DataFrame bound to ``name``."""
    frame: pd.DataFrame = get_variable(shell, name, pd.DataFrame, "pandas DataFrame")
    return frame

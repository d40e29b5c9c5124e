"""Shared pieces of the magics: argument parsing, namespace lookup, one-line errors."""

from __future__ import annotations

import argparse
import keyword
import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import pandas as pd
from IPython.core.error import UsageError

from ... import arguments
from ...errors import ConfigError, SynthStudioError


class MagicArgumentParser(argparse.ArgumentParser):
    """argparse that raises UsageError (one line in the notebook) instead of exiting."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        usage = kwargs.get("usage")
        if usage is not None:  # argparse %-formats usage: "%synth_x" would become "{'prog': ...}ynth_x"
            kwargs["usage"] = usage.replace("%", "%%")
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


def whole_number(what: str, *, minimum: int = 0, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=`` for whole numbers (ASCII digits only, bounded): the magics' one number parser."""

    def parse(text: str) -> int:
        try:
            return arguments.parse_int(text, what, minimum=minimum, maximum=maximum)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None

    parse.__name__ = what
    return parse


def row_count(what: str = "the number of rows") -> Callable[[str], int]:
    """An argparse ``type=`` for a positive, bounded row count (see :func:`arguments.parse_count`)."""

    def parse(text: str) -> int:
        try:
            return arguments.parse_count(text, what)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None

    parse.__name__ = what
    return parse


def variable_name(option: str) -> Callable[[str], str]:
    """An argparse ``type=`` for a name the magic will bind in the user namespace."""

    def parse(text: str) -> str:
        if not text.isidentifier() or keyword.iskeyword(text):
            raise argparse.ArgumentTypeError(f"{option} needs a valid variable name")
        return text

    parse.__name__ = option
    return parse


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

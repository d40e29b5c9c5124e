"""Pattern recognizers described as data; :mod:`.build` turns them into presidio recognizers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PatternSpec:
    """One regex recognizer of our own.

    ``patterns`` holds ``(name, regex, score)``: a low score marks a weak format that needs
    column-name context before a column verdict relies on it. ``format_check`` may reject a
    match whose *format* is wrong (e.g. an IBAN of the wrong length for its country);
    checksums are never applied here (see :mod:`.checksums`), so invalid test data still counts.
    """

    name: str
    entity: str
    patterns: tuple[tuple[str, str, float], ...]
    context: tuple[str, ...] = ()
    case_sensitive: bool = False
    format_check: Callable[[str], bool] | None = field(default=None, compare=False)

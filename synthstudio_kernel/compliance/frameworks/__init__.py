"""Frameworks as data: each builds its claims and sections over one facts context.

A registry: ``FRAMEWORKS[name](ctx, claims)`` returns the framework's new claims and its section
(blocks that reference claims by id). Add one with :func:`register_framework`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..claims import Claim
from ..facts import Context
from . import ccpa, gdpr, hipaa, soc2

Builder = Callable[[Context, dict[str, Claim]], tuple[list[Claim], dict[str, Any]]]

FRAMEWORKS: dict[str, Builder] = {}


def register_framework(name: str, builder: Builder) -> None:
    FRAMEWORKS[name] = builder


for _name, _module in (("hipaa", hipaa), ("gdpr", gdpr), ("ccpa", ccpa), ("soc2", soc2)):
    register_framework(_name, _module.build)

__all__ = ["FRAMEWORKS", "register_framework"]

"""Synthesizer registry: ``register`` / ``create`` by name.

Built-in methods are registered by import path so that listing them imports neither
torch nor SDV. Third parties register through the entry point group
``synthstudio.synthesizers`` (name = "module:Class").
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from ..errors import ConfigError
from .base import Synthesizer

ENTRY_POINT_GROUP = "synthstudio.synthesizers"

_REGISTRY: dict[str, type[Synthesizer] | str] = {
    "gaussian-copula": "synthstudio_kernel.synthesis.sdv_models:GaussianCopulaMethod",
    "ctgan": "synthstudio_kernel.synthesis.sdv_models:CTGANMethod",
    "tvae": "synthstudio_kernel.synthesis.sdv_models:TVAEMethod",
    "dp-ctgan": "synthstudio_kernel.synthesis.dp.ctgan:DPCTGANMethod",
    "dp-tvae": "synthstudio_kernel.synthesis.dp.tvae:DPTVAEMethod",
    "dp-mst": "synthstudio_kernel.synthesis.marginal.mst:DPMSTMethod",
    "dp-aim": "synthstudio_kernel.synthesis.marginal.aim:DPAIMMethod",
}
_entry_points_loaded = False


def register(name: str, synthesizer: type[Synthesizer] | str) -> None:
    """Register a Synthesizer subclass (or its "module:Class" path) under ``name``."""
    if not name or name != name.strip().lower():
        raise ConfigError(f"Method names are lower-case and non-empty, got {name!r}.")
    _REGISTRY[name] = synthesizer


def available() -> list[str]:
    """All registered method names."""
    _load_entry_points()
    return sorted(_REGISTRY)


def dp_methods() -> list[str]:
    """Names of the differentially private methods (by convention they start with ``dp-``)."""
    return [name for name in available() if name.startswith("dp-")]


def get(name: str) -> type[Synthesizer]:
    """The class registered under ``name``."""
    _load_entry_points()
    key = str(name).strip().lower()
    if key not in _REGISTRY:
        raise ConfigError(f"Unknown method {name!r}; choose one of: {', '.join(available())}.")
    target = _REGISTRY[key]
    if isinstance(target, str):
        module_name, _, attr = target.partition(":")
        target = getattr(importlib.import_module(module_name), attr)
        _REGISTRY[key] = target
    return target


def create(name: str, **params: Any) -> Synthesizer:
    """Build the synthesizer registered under ``name`` with ``params``."""
    return get(name)(**params)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for point in entry_points(group=ENTRY_POINT_GROUP):
        _REGISTRY.setdefault(point.name, point.value)

"""Torch device names: ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"auto"`` (CUDA when present)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import ConfigError

_DEVICE = re.compile(r"^(cpu|cuda|cuda:\d+|auto)$")


def cuda_available() -> bool:
    """True when torch sees a CUDA device (imports torch)."""
    import torch

    return bool(torch.cuda.is_available())


def resolve_device(device: str | None, supported: Sequence[str] = ("cpu",), method: str = "") -> str:
    """Turn the user's device request into a concrete one, or raise ConfigError.

    ``"auto"`` picks ``"cuda"`` when the method can use it and CUDA is available, else ``"cpu"``.
    """
    raw = "cpu" if device is None else str(device).strip().lower()
    if not _DEVICE.match(raw):
        raise ConfigError(f"Unknown device {device!r}; use 'cpu', 'cuda', 'cuda:N' or 'auto'.")
    label = f"Method {method!r}" if method else "This method"
    wants_cuda = "cuda" in supported
    if raw == "auto":
        return "cuda" if wants_cuda and cuda_available() else "cpu"
    if raw == "cpu":
        return "cpu"
    if not wants_cuda:
        raise ConfigError(f"{label} runs on the CPU only; use device='cpu' or device='auto'.")
    if not cuda_available():
        raise ConfigError(
            "device='cuda' was asked but torch sees no CUDA GPU here; use device='cpu' or device='auto' "
            "(a CUDA build of torch and a visible GPU are needed)."
        )
    if ":" in raw:
        import torch

        index = int(raw.split(":", 1)[1])
        if index >= torch.cuda.device_count():
            raise ConfigError(f"There is no GPU {raw!r}: torch sees {torch.cuda.device_count()} CUDA device(s).")
    return raw

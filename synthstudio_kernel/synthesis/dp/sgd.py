"""DP-SGD with Opacus 1.6: Poisson-sampled batches, per-sample clipping, Gaussian noise.

:class:`PrivateTrainer` wraps one module (the whole VAE, or a GAN's discriminator) and
its optimizer. Batches are Poisson-sampled (each row joins each batch
independently with probability ``sample_rate``), so the subsampled-Gaussian RDP analysis
holds; the sampling and the Gaussian noise come from the run's secret noise source
(:mod:`synthstudio_kernel.privacy.randomness`), never from a seed. Every optimizer step adds noise, empty batches included, and is counted through
the optimizer's step hook: the step count reported is the number of noisy releases.

Per-sample gradient modes (``grad_sample_mode``):

- ``"ghost"`` (default): ghost clipping. Per-sample gradient *norms* of linear layers come
  from activations and backprops without materialising per-sample gradients, then a
  second backward pass sums the clipped gradients. Exact, and the fastest on MLPs.
- ``"hooks"``: Opacus' classic per-sample gradients (einsum per layer).
- ``"functorch"``: per-sample gradients with ``torch.func`` for every layer.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from torch import nn

from ...privacy.randomness import NoiseSource

GRAD_SAMPLE_MODES = ("ghost", "hooks", "functorch")


class PoissonBatches:
    """Poisson-sampled batches: each row joins each batch independently with probability
    ``sample_rate``, drawn from the run's secret noise source (never from a seed).

    One epoch is ``int(1 / sample_rate)`` batches, as the accountant assumes. Batches vary
    in size and may be empty.
    """

    def __init__(self, rows: torch.Tensor, *, sample_rate: float, noise: NoiseSource) -> None:
        self.rows = rows
        self.sample_rate = float(sample_rate)
        self.noise = noise
        self.steps_per_epoch = max(int(1 / self.sample_rate), 1)

    def __len__(self) -> int:
        return self.steps_per_epoch

    def __iter__(self) -> Iterator[torch.Tensor]:
        n = int(self.rows.shape[0])
        for _ in range(self.steps_per_epoch):
            chosen = np.flatnonzero(self.noise.bernoulli(n, self.sample_rate))
            yield self.rows[torch.from_numpy(chosen)]


class _SecureNoiseMixin:
    """Opacus optimizers with the Gaussian noise drawn from our secret source."""

    noise_source: NoiseSource
    params: list[torch.Tensor]
    noise_multiplier: float
    max_grad_norm: float

    def add_noise(self) -> None:
        from opacus.optimizers.optimizer import _check_processed_flag, _mark_as_processed

        std = getattr(self, "_adjusted_noise_multiplier", self.noise_multiplier) * self.max_grad_norm
        summed = [p.summed_grad for p in self.params]  # type: ignore[attr-defined]
        for grad in summed:
            _check_processed_flag(grad)
        total = sum(int(g.numel()) for g in summed)
        flat = self.noise_source.torch_normal((total,), std, device=summed[0].device, dtype=summed[0].dtype)
        offset = 0
        for p, grad in zip(self.params, summed, strict=True):
            size = int(grad.numel())
            p.grad = (grad + flat[offset : offset + size].view_as(grad)).view_as(p)
            offset += size
            _mark_as_processed(grad)


class PrivateTrainer:
    """DP-SGD for one module.

    Call :meth:`step` with the per-sample losses of a Poisson batch; it clips each
    example's gradient to ``max_grad_norm``, adds ``N(0, (noise_multiplier·max_grad_norm)²)``
    from the secret noise source to the sum, divides by ``expected_batch_size`` and updates
    the parameters. An empty batch takes a noise-only step (skipping it would reveal that
    it was empty, and the accountant counts it).
    """

    def __init__(
        self,
        module: nn.Module,
        optimizer: torch.optim.Optimizer,
        *,
        rows: torch.Tensor,
        sample_rate: float,
        noise_multiplier: float,
        max_grad_norm: float,
        expected_batch_size: float,
        noise: NoiseSource,
        grad_sample_mode: str = "ghost",
    ) -> None:
        if grad_sample_mode not in GRAD_SAMPLE_MODES:
            raise ValueError(f"grad_sample_mode must be one of {GRAD_SAMPLE_MODES}")
        self.mode = grad_sample_mode
        self.sample_rate = float(sample_rate)
        self.noise_multiplier = float(noise_multiplier)
        self.max_grad_norm = float(max_grad_norm)
        self.steps = 0
        self.empty_steps = 0
        self.loader = PoissonBatches(rows.cpu(), sample_rate=self.sample_rate, noise=noise)
        self.module, self.optimizer = self._wrap(module, optimizer, expected_batch_size, noise)
        self.optimizer.attach_step_hook(self._count_step)

    def _wrap(
        self, module: nn.Module, optimizer: torch.optim.Optimizer, expected: float, noise: NoiseSource
    ) -> tuple[Any, Any]:
        from opacus.grad_sample import GradSampleModule, GradSampleModuleFastGradientClipping

        plain, ghost = self._optimizer_classes()
        common: dict[str, Any] = {
            "noise_multiplier": self.noise_multiplier,
            "max_grad_norm": self.max_grad_norm,
            "expected_batch_size": expected,
            "loss_reduction": "mean",
        }
        if self.mode == "ghost":
            wrapped: Any = GradSampleModuleFastGradientClipping(
                module,
                batch_first=True,
                loss_reduction="mean",
                max_grad_norm=self.max_grad_norm,
                use_ghost_clipping=True,
            )
            dp_optimizer: Any = ghost(optimizer, **common)
        else:
            wrapped = GradSampleModule(
                module, batch_first=True, loss_reduction="mean", force_functorch=self.mode == "functorch"
            )
            dp_optimizer = plain(optimizer, **common)
        dp_optimizer.noise_source = noise
        return wrapped, dp_optimizer

    def _optimizer_classes(self) -> tuple[type, type]:
        """Opacus' optimizers (plain, ghost clipping) drawing their noise from the secure source."""
        from opacus.optimizers import DPOptimizer, DPOptimizerFastGradientClipping

        return _secure(DPOptimizer), _secure(DPOptimizerFastGradientClipping)

    def _count_step(self, _optimizer: Any) -> None:
        self.steps += 1

    def batches(self) -> Iterator[torch.Tensor]:
        """One epoch of Poisson-sampled batches (``int(1/sample_rate)`` of them), possibly empty."""
        yield from self.loader

    def step(self, loss_per_sample: torch.Tensor) -> None:
        """Backward, clip per sample, add noise, update. ``loss_per_sample`` has one entry per row."""
        if loss_per_sample.ndim != 1:
            raise ValueError("loss_per_sample must be one loss per example")
        if loss_per_sample.shape[0] == 0:
            self.noise_only_step()
            return
        with warnings.catch_warnings():
            # Opacus' full backward hooks warn when the inputs need no gradient (always the case here).
            warnings.filterwarnings("ignore", message="Full backward hook is firing", category=UserWarning)
            if self.mode == "ghost":
                from opacus.utils.fast_gradient_clipping_utils import DPTensorFastGradientClipping

                DPTensorFastGradientClipping(self.module, self.optimizer, loss_per_sample, "mean").backward()
            else:
                loss_per_sample.mean().backward()
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)

    def noise_only_step(self) -> None:
        """The step of an empty batch: the clipped sum is zero, the noise and the update are not."""
        optimizer = self.optimizer
        for p in optimizer.params:
            p.summed_grad = torch.zeros_like(p)
        optimizer.add_noise()
        optimizer.scale_grad()
        if optimizer.step_hook:
            optimizer.step_hook(optimizer)
        optimizer.original_optimizer.step()
        for p in optimizer.params:
            p.summed_grad = None
        optimizer.zero_grad(set_to_none=True)
        self.empty_steps += 1

    def detach(self) -> nn.Module:
        """The trained module without Opacus hooks (for saving and sampling)."""
        module: nn.Module = self.module.to_standard_module()
        return module


def _secure(optimizer_cls: type) -> type:
    """``optimizer_cls`` with :class:`_SecureNoiseMixin`'s noise (one subclass per Opacus class)."""
    cached = _SECURE_CLASSES.get(optimizer_cls)
    if cached is None:
        cached = type(f"Secure{optimizer_cls.__name__}", (_SecureNoiseMixin, optimizer_cls), {})
        _SECURE_CLASSES[optimizer_cls] = cached
    return cached


_SECURE_CLASSES: dict[type, type] = {}

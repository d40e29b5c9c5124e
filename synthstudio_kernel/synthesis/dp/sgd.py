"""DP-SGD with Opacus 1.6: Poisson-sampled batches, per-sample clipping, Gaussian noise.

:class:`PrivateTrainer` wraps one module (the whole VAE, or a GAN's discriminator) and
its optimizer. Batches come from Opacus' ``DPDataLoader`` (each row joins each batch
independently with probability ``sample_rate``), so the subsampled-Gaussian RDP analysis
holds. Every optimizer step adds noise, empty batches included, and is counted through
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

import torch
from torch import nn
from torch.utils.data import Dataset

GRAD_SAMPLE_MODES = ("ghost", "hooks", "functorch")


class _RowsDataset(Dataset[tuple[torch.Tensor, ...]]):
    """Rows of a tensor; ``__getitems__`` gathers a whole Poisson batch with one index op."""

    def __init__(self, rows: torch.Tensor) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def __getitem__(self, index: int) -> tuple[torch.Tensor, ...]:
        return (self.rows[index],)

    def __getitems__(self, indices: list[int]) -> list[torch.Tensor]:
        return [self.rows[torch.as_tensor(indices, dtype=torch.long)]]


def _first(batch: list[torch.Tensor]) -> torch.Tensor:
    return batch[0]


class PrivateTrainer:
    """DP-SGD for one module.

    Call :meth:`step` with the per-sample losses of a Poisson batch; it clips each
    example's gradient to ``max_grad_norm``, adds ``N(0, (noise_multiplier·max_grad_norm)²)``
    to the sum, divides by ``expected_batch_size`` and updates the parameters.
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
        grad_sample_mode: str = "ghost",
        generator: torch.Generator | None = None,
        noise_generator: torch.Generator | None = None,
    ) -> None:
        from opacus.data_loader import DPDataLoader

        if grad_sample_mode not in GRAD_SAMPLE_MODES:
            raise ValueError(f"grad_sample_mode must be one of {GRAD_SAMPLE_MODES}")
        self.mode = grad_sample_mode
        self.sample_rate = float(sample_rate)
        self.noise_multiplier = float(noise_multiplier)
        self.max_grad_norm = float(max_grad_norm)
        self.steps = 0
        self.loader = DPDataLoader(
            _RowsDataset(rows.cpu()), sample_rate=self.sample_rate, collate_fn=_first, generator=generator
        )
        self.module, self.optimizer = self._wrap(module, optimizer, expected_batch_size, noise_generator)
        self.optimizer.attach_step_hook(self._count_step)

    def _wrap(
        self, module: nn.Module, optimizer: torch.optim.Optimizer, expected: float, generator: torch.Generator | None
    ) -> tuple[Any, Any]:
        from opacus.grad_sample import GradSampleModule, GradSampleModuleFastGradientClipping
        from opacus.optimizers import DPOptimizer, DPOptimizerFastGradientClipping

        common: dict[str, Any] = {
            "noise_multiplier": self.noise_multiplier,
            "max_grad_norm": self.max_grad_norm,
            "expected_batch_size": expected,
            "loss_reduction": "mean",
            "generator": generator,
        }
        if self.mode == "ghost":
            wrapped: Any = GradSampleModuleFastGradientClipping(
                module,
                batch_first=True,
                loss_reduction="mean",
                max_grad_norm=self.max_grad_norm,
                use_ghost_clipping=True,
            )
            return wrapped, DPOptimizerFastGradientClipping(optimizer, **common)
        wrapped = GradSampleModule(
            module, batch_first=True, loss_reduction="mean", force_functorch=self.mode == "functorch"
        )
        return wrapped, DPOptimizer(optimizer, **common)

    def _count_step(self, _optimizer: Any) -> None:
        self.steps += 1

    def batches(self) -> Iterator[torch.Tensor]:
        """One epoch of Poisson-sampled batches (``int(1/sample_rate)`` of them).

        Batches vary in size and may be empty; an empty batch still goes through
        :meth:`step`, which then adds pure noise (skipping it would reveal that it was empty).
        """
        yield from self.loader

    def step(self, loss_per_sample: torch.Tensor) -> None:
        """Backward, clip per sample, add noise, update. ``loss_per_sample`` has one entry per row."""
        if loss_per_sample.ndim != 1:
            raise ValueError("loss_per_sample must be one loss per example")
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

    def detach(self) -> nn.Module:
        """The trained module without Opacus hooks (for saving and sampling)."""
        module: nn.Module = self.module.to_standard_module()
        return module

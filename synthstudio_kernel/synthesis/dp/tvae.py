"""DP-TVAE: a tabular VAE (TVAE's architecture) trained with DP-SGD on the whole network.

Encoder and decoder are one module for Opacus, so every parameter the model releases
was trained on clipped, noised gradients. The decoder's per-scalar output scale is a
``Linear(1, k)`` fed with ones, so it too gets per-sample gradients (TVAE keeps it as a
bare parameter, which per-sample clipping cannot see).

Conditional sampling on categorical values works by rejection: rows are generated
unconditionally and those matching every condition are kept.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ...privacy.planning import TrainingPlan
from ...privacy.randomness import NoiseSource
from .base import DPSynthesizer
from .sgd import PrivateTrainer
from .transformer import DPTransformer


class _VAE(nn.Module):
    def __init__(
        self, data_dim: int, compress: tuple[int, ...], embedding: int, decompress: tuple[int, ...], n_scalars: int
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        dim = data_dim
        for width in compress:
            layers += [nn.Linear(dim, width), nn.ReLU()]
            dim = width
        self.encoder = nn.Sequential(*layers)
        self.mu = nn.Linear(dim, embedding)
        self.logvar = nn.Linear(dim, embedding)
        layers = []
        dim = embedding
        for width in decompress:
            layers += [nn.Linear(dim, width), nn.ReLU()]
            dim = width
        layers.append(nn.Linear(dim, data_dim))
        self.decoder = nn.Sequential(*layers)
        self.log_sigma = nn.Linear(1, max(n_scalars, 1))
        nn.init.zeros_(self.log_sigma.weight)
        nn.init.constant_(self.log_sigma.bias, float(np.log(0.1)))
        self.embedding = embedding

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        hidden = self.encoder(x)
        mu, logvar = self.mu(hidden), self.logvar(hidden).clamp(-10.0, 10.0)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        log_sigma = self.log_sigma(torch.ones(x.shape[0], 1, device=x.device, dtype=x.dtype))
        return self.decoder(z), mu, logvar, log_sigma.clamp(np.log(0.01), 0.0)


class _Loss:
    """Per-row TVAE loss over the transformer's spans (cross-entropy + Gaussian scalar + KL)."""

    def __init__(self, transformer: DPTransformer, factor: float, device: str) -> None:
        self.softmax = [(s.start, s.end) for s in transformer.spans if s.kind == "softmax"]
        scalar_index, mode_index = [], []
        for scalar, mode_span, continuous in transformer.scalar_masks():
            scalar_index.append(scalar.start)
            mode_index.append(-1 if mode_span is None else mode_span.start + continuous)
        self.scalar_index = torch.tensor(scalar_index, dtype=torch.long, device=device)
        self.mode_index = torch.tensor([max(m, 0) for m in mode_index], dtype=torch.long, device=device)
        self.always = torch.tensor([m < 0 for m in mode_index], dtype=torch.bool, device=device)
        self.factor = factor

    def __call__(
        self, recon: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, log_sigma: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        rec = torch.zeros(x.shape[0], device=x.device, dtype=x.dtype)
        for start, end in self.softmax:
            rec = rec + F.cross_entropy(recon[:, start:end], x[:, start:end].argmax(dim=1), reduction="none")
        if len(self.scalar_index):
            target = x[:, self.scalar_index]
            pred = torch.tanh(recon[:, self.scalar_index])
            mask = torch.where(self.always, torch.ones_like(target), x[:, self.mode_index])
            sigma = torch.exp(log_sigma[:, : len(self.scalar_index)])
            nll = (target - pred) ** 2 / (2 * sigma**2) + torch.log(sigma)
            rec = rec + (nll * mask).sum(dim=1)
        kl = -0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(dim=1)
        return self.factor * rec + kl, rec


class DPTVAEMethod(DPSynthesizer):
    """Differentially private TVAE (DP-SGD on encoder and decoder)."""

    name: ClassVar[str] = "dp-tvae"
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "epochs": 30,
        "batch_size": 500,
        # Smaller than TVAE's (128, 128) / 128 and a larger step: DP noise grows with the number of
        # parameters and clipping shrinks each update (measured on adult at ε = 3 in bench_dp.py).
        "embedding_dim": 16,
        "compress_dims": (64,),
        "decompress_dims": (64,),
        "learning_rate": 5e-3,
        "weight_decay": 1e-5,
        "loss_factor": 2.0,
    }
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("epochs", "batch_size", "embedding_dim")
    FLOAT_PARAMS: ClassVar[tuple[str, ...]] = ("max_grad_norm", "learning_rate", "loss_factor")
    DIM_PARAMS: ClassVar[tuple[str, ...]] = ("compress_dims", "decompress_dims")

    def __init__(self, *, seed: int | None = None, **params: Any) -> None:
        super().__init__(seed=seed, **params)
        self._vae: _VAE | None = None

    def _build(self, rows: torch.Tensor, plan: TrainingPlan, device: str, noise: NoiseSource) -> PrivateTrainer:
        assert self.transformer is not None
        p = self.params
        n_scalars = len(self.transformer.scalar_masks())
        vae = _VAE(rows.shape[1], p["compress_dims"], p["embedding_dim"], p["decompress_dims"], n_scalars).to(device)
        optimizer = torch.optim.Adam(vae.parameters(), lr=p["learning_rate"], weight_decay=p["weight_decay"])
        self._loss = _Loss(self.transformer, p["loss_factor"], device)
        self._vae = vae
        return PrivateTrainer(
            vae,
            optimizer,
            rows=rows,
            sample_rate=plan.sample_rate,
            noise_multiplier=plan.noise_multiplier,
            max_grad_norm=plan.max_grad_norm,
            expected_batch_size=plan.sample_rate * plan.n_rows,
            noise=noise,
            grad_sample_mode=p["grad_sample_mode"],
        )

    def _train_epoch(self, trainer: PrivateTrainer, plan: TrainingPlan, device: str) -> None:
        for batch in trainer.batches():
            if trainer.steps >= plan.steps:  # never take a step the plan did not pay for
                break
            if batch.shape[0] == 0:
                trainer.noise_only_step()
                continue
            x = batch.to(device, non_blocking=True)
            recon, mu, logvar, log_sigma = trainer.module(x)
            loss, _ = self._loss(recon, x, mu, logvar, log_sigma)
            trainer.step(loss)

    def _finish(self, trainer: PrivateTrainer) -> None:
        vae = trainer.detach()
        assert isinstance(vae, _VAE)
        self._vae = vae.eval()
        self.__dict__.pop("_loss", None)

    def _to_device(self, device: str) -> None:
        if self._vae is not None:
            self._vae.to(device)

    @torch.no_grad()
    def _generate(self, n: int, cond: tuple[int, int] | None) -> np.ndarray:
        assert self._vae is not None
        device = next(self._vae.parameters()).device
        z = torch.randn(n, self._vae.embedding).to(device)
        return self._vae.decoder(z).cpu().numpy()

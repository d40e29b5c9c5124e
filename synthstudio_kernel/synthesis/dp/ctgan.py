"""DP-CTGAN: a conditional tabular GAN whose discriminator is trained with DP-SGD.

What keeps the guarantee honest:

- Only the discriminator sees real rows, and it is trained with DP-SGD (Poisson-sampled
  real batches, per-sample clipping, Gaussian noise). The generator is trained only
  through the discriminator, so it is post-processing of DP outputs.
- No packing (``pac = 1``): one DP example is one row. (With packs, a row's removal
  can reshuffle every pack of a Poisson batch, so a pack is not one example.)
- No data-dependent row selection: CTGAN's training-by-sampling picks real rows that
  match a sampled condition; here the real batch is Poisson-sampled and each real row's
  conditional vector is built from the row itself (a random categorical column and the
  row's own value in it), a per-row function. The fake rows' conditional vectors are
  drawn from the category frequencies released with noise in preprocessing.
- The fake half of each discriminator batch has a fixed size (the expected real batch
  size), so a row's presence changes the clipped-gradient sum by at most one clipped
  gradient; the noise is scaled to that.
- No gradient penalty: it needs double backward, which per-sample clipping does not
  support; the discriminator uses the standard (logistic) GAN loss.

Conditional sampling: the first condition goes into the generator's conditional vector
(and the column is set to it); further conditions are met by rejection.
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


class _Residual(nn.Module):
    def __init__(self, i: int, o: int) -> None:
        super().__init__()
        self.fc = nn.Linear(i, o)
        self.bn = nn.BatchNorm1d(o)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([F.relu(self.bn(self.fc(x))), x], dim=1)


class _Generator(nn.Module):
    def __init__(self, in_dim: int, dims: tuple[int, ...], out_dim: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        dim = in_dim
        for width in dims:
            layers.append(_Residual(dim, width))
            dim += width
        layers.append(nn.Linear(dim, out_dim))
        self.seq = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.seq(x)


def _discriminator(in_dim: int, dims: tuple[int, ...]) -> nn.Sequential:
    layers: list[nn.Module] = []
    dim = in_dim
    for width in dims:
        layers += [nn.Linear(dim, width), nn.LeakyReLU(0.2), nn.Dropout(0.5)]
        dim = width
    layers.append(nn.Linear(dim, 1))
    return nn.Sequential(*layers)


class _Conditions:
    """Conditional vectors over the categorical columns' one-hot spans."""

    def __init__(self, transformer: DPTransformer, device: str) -> None:
        spans = transformer.categorical_spans
        self.n_spans = len(spans)
        self.dim = sum(s.dim for s in spans)
        self.row_index = torch.tensor(
            [i for s in spans for i in range(s.start, s.end)], dtype=torch.long, device=device
        )
        offsets, start = [], 0
        for s in spans:
            offsets.append(start)
            start += s.dim
        self.offsets = torch.tensor(offsets, dtype=torch.long, device=device)
        self.cond_offset = {s.start: off for s, off in zip(spans, offsets, strict=True)}
        self.selector = torch.zeros(max(self.n_spans, 1), max(self.dim, 1), device=device)
        width = max((s.dim for s in spans), default=1)
        self.probs = torch.zeros(max(self.n_spans, 1), width, device=device)
        for j, (s, off) in enumerate(zip(spans, offsets, strict=True)):
            self.selector[j, off : off + s.dim] = 1.0
            self.probs[j, : s.dim] = torch.as_tensor(transformer.frequencies(s.column), dtype=torch.float32)
        self.spans = [(s.start, s.end) for s in spans]
        self.device = device

    def from_rows(self, rows: torch.Tensor) -> torch.Tensor:
        """Each real row's own value in one random categorical column (a per-row function)."""
        if self.dim == 0:
            return rows.new_zeros(rows.shape[0], 0)
        choice = torch.randint(self.n_spans, (rows.shape[0],), device=rows.device)
        return rows[:, self.row_index] * self.selector[choice]

    def draw(self, n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Vectors for fake rows: a random column, a value from its noisy frequencies."""
        if self.dim == 0:
            empty = torch.zeros(n, dtype=torch.long, device=self.device)
            return torch.zeros(n, 0, device=self.device), empty, empty
        choice = torch.randint(self.n_spans, (n,), device=self.device)
        code = torch.multinomial(self.probs[choice], 1).squeeze(1)
        cond = torch.zeros(n, self.dim, device=self.device)
        cond[torch.arange(n, device=self.device), self.offsets[choice] + code] = 1.0
        return cond, choice, code

    def fixed(self, n: int, span_start: int, code: int) -> torch.Tensor:
        cond = torch.zeros(n, self.dim, device=self.device)
        cond[:, self.cond_offset[span_start] + code] = 1.0
        return cond

    def loss(self, raw: torch.Tensor, choice: torch.Tensor, code: torch.Tensor) -> torch.Tensor:
        """Cross-entropy making the generator honour the conditional vector."""
        total = raw.new_zeros(())
        for j, (start, end) in enumerate(self.spans):
            mask = choice == j
            if mask.any():
                total = total + F.cross_entropy(raw[mask, start:end], code[mask], reduction="sum")
        return total / max(raw.shape[0], 1)


class DPCTGANMethod(DPSynthesizer):
    """Differentially private CTGAN (DP-SGD on the discriminator, pac = 1)."""

    name: ClassVar[str] = "dp-ctgan"
    conditions_in_generator: ClassVar[bool] = True
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "epochs": 30,
        "batch_size": 500,
        "embedding_dim": 128,
        "generator_dims": (256, 256),
        "discriminator_dims": (256, 256),
        "generator_lr": 2e-4,
        "discriminator_lr": 2e-4,
        "weight_decay": 1e-6,
    }
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("epochs", "batch_size", "embedding_dim")
    FLOAT_PARAMS: ClassVar[tuple[str, ...]] = ("max_grad_norm", "generator_lr", "discriminator_lr")
    DIM_PARAMS: ClassVar[tuple[str, ...]] = ("generator_dims", "discriminator_dims")

    def __init__(self, *, seed: int | None = None, **params: Any) -> None:
        super().__init__(seed=seed, **params)
        self._generator: _Generator | None = None
        self._conditions: _Conditions | None = None

    def _build(self, rows: torch.Tensor, plan: TrainingPlan, device: str, noise: NoiseSource) -> PrivateTrainer:
        assert self.transformer is not None
        p = self.params
        conditions = _Conditions(self.transformer, device)
        data_dim = rows.shape[1]
        generator = _Generator(p["embedding_dim"] + conditions.dim, p["generator_dims"], data_dim).to(device)
        discriminator = _discriminator(data_dim + conditions.dim, p["discriminator_dims"]).to(device)
        self._g_opt = torch.optim.Adam(
            generator.parameters(), lr=p["generator_lr"], betas=(0.5, 0.9), weight_decay=p["weight_decay"]
        )
        d_opt = torch.optim.Adam(
            discriminator.parameters(), lr=p["discriminator_lr"], betas=(0.5, 0.9), weight_decay=p["weight_decay"]
        )
        self._generator, self._conditions = generator, conditions
        self._fake_batch = max(round(plan.sample_rate * plan.n_rows), 1)
        return PrivateTrainer(
            discriminator,
            d_opt,
            rows=rows,
            sample_rate=plan.sample_rate,
            noise_multiplier=plan.noise_multiplier,
            max_grad_norm=plan.max_grad_norm,
            # Each step sums one clipped gradient per real row and per (fixed-size) fake row.
            expected_batch_size=plan.sample_rate * plan.n_rows + self._fake_batch,
            noise=noise,
            grad_sample_mode=p["grad_sample_mode"],
        )

    def _activate(self, raw: torch.Tensor) -> torch.Tensor:
        assert self.transformer is not None
        parts = []
        for span in self.transformer.spans:
            block = raw[:, span.start : span.end]
            parts.append(torch.tanh(block) if span.kind == "tanh" else F.gumbel_softmax(block, tau=0.2))
        return torch.cat(parts, dim=1)

    def _fake(self, n: int, device: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        assert self._generator is not None and self._conditions is not None
        cond, choice, code = self._conditions.draw(n)
        z = torch.randn(n, self.params["embedding_dim"], device=device)
        raw = self._generator(torch.cat([z, cond], dim=1))
        return raw, cond, choice, code

    def _train_epoch(self, trainer: PrivateTrainer, plan: TrainingPlan, device: str) -> None:
        assert self._generator is not None and self._conditions is not None
        conditions = self._conditions
        discriminator = trainer.module
        d_params = [p for p in discriminator.parameters()]
        for batch in trainer.batches():
            if trainer.steps >= plan.steps:  # never take a step the plan did not pay for
                break
            real = batch.to(device, non_blocking=True)
            # Discriminator: one DP-SGD step on [real rows; fixed-size fake batch].
            with torch.no_grad():
                raw, fake_cond, _, _ = self._fake(self._fake_batch, device)
                fake = self._activate(raw)
            inputs = torch.cat([torch.cat([real, conditions.from_rows(real)], 1), torch.cat([fake, fake_cond], 1)], 0)
            labels = torch.cat([torch.ones(real.shape[0], device=device), torch.zeros(fake.shape[0], device=device)])
            logits = discriminator(inputs).squeeze(1)
            d_loss = F.binary_cross_entropy_with_logits(logits, labels, reduction="none")
            trainer.step(d_loss)
            # Generator: trained through the (already private) discriminator only.
            for p in d_params:
                p.requires_grad_(False)
            discriminator.disable_hooks()
            try:
                raw, cond, choice, code = self._fake(self._fake_batch, device)
                score = discriminator(torch.cat([self._activate(raw), cond], 1)).squeeze(1)
                g_loss = F.binary_cross_entropy_with_logits(score, torch.ones_like(score))
                g_loss = g_loss + conditions.loss(raw, choice, code)
                self._g_opt.zero_grad(set_to_none=True)
                g_loss.backward()
                self._g_opt.step()
            finally:
                discriminator.enable_hooks()
                for p in d_params:
                    p.requires_grad_(True)

    def _finish(self, trainer: PrivateTrainer) -> None:
        trainer.detach()  # the discriminator is not needed for sampling
        assert self._generator is not None and self._conditions is not None
        self._generator = self._generator.eval()
        self.__dict__.pop("_g_opt", None)

    def _to_device(self, device: str) -> None:
        if self._generator is not None and self.transformer is not None:
            self._generator.to(device)
            self._conditions = _Conditions(self.transformer, device)

    @torch.no_grad()
    def _generate(self, n: int, cond: tuple[int, int] | None) -> np.ndarray:
        assert self._generator is not None and self._conditions is not None
        vectors = self._conditions.draw(n)[0] if cond is None else self._conditions.fixed(n, *cond)
        # Draw on the CPU so that a seed gives the same rows on every device.
        z = torch.randn(n, self.params["embedding_dim"]).to(vectors.device)
        return self._generator(torch.cat([z, vectors], dim=1)).cpu().numpy()

"""DP-SGD across processes: dp-tvae and dp-ctgan under ``torch.distributed``, launched by ``torchrun``.

    torchrun --nproc_per_node 2 -m synthstudio_kernel.synthesis.dp.distributed \\
        --data claims.parquet --method dp-tvae --epsilon 3 --epochs 10 --batch-size 500 --out model.synth

What makes the guarantee the same as in one process:

- **Sampling.** The rows are split among the processes by position (row ``i`` goes to
  process ``i mod world``, a split that does not look at values). At every step each
  process includes each of its rows independently with probability ``q``, drawn from the
  secure noise source: the union of the local batches is exactly a Poisson sample of the
  whole table with rate ``q``, so the accountant uses the global ``q`` of the plan. Every
  process takes ``int(1/q)`` steps per epoch, empty local batches included, so the
  processes stay in lockstep and every step is counted.
- **Noise.** Opacus' ``DistributedDPOptimizer`` (or its ghost-clipping twin): each process
  clips its per-sample gradients and sums them; only process 0 adds Gaussian noise
  ``N(0, (σ·C)²)``, drawn from :func:`~synthstudio_kernel.privacy.randomness.noise_source`
  (never from a seeded generator); the sums are all-reduced and divided by the global
  expected batch size, which is the single-process update.
- **Preprocessing.** The DP preprocessing release (bounds, categories) runs once, in
  process 0, and is broadcast: running it in every process would spend it ``world`` times.
- **GAN generator.** dp-ctgan's generator sees no data; its gradients are averaged across
  processes and each process draws ``1/world`` of the fake rows of the discriminator step.

Process 0 goes through ``ss.train``'s lifecycle (validation, ledger reservation and charge,
release check) and writes the model; the others only train.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import torch

from ...errors import PrivacyError
from ...privacy.randomness import NoiseSource, noise_source
from .sgd import PrivateTrainer


def _dist() -> Any:
    import torch.distributed as dist

    if not dist.is_available() or not dist.is_initialized():
        raise RuntimeError("torch.distributed is not initialised; launch with torchrun.")
    return dist


class ShardedPoissonSampler:
    """Row positions of this process' local Poisson batches (see the module docstring)."""

    def __init__(self, n_rows: int, *, rank: int, world: int, sample_rate: float, noise: NoiseSource) -> None:
        self.positions = torch.arange(rank, n_rows, world, dtype=torch.long)
        self.sample_rate = float(sample_rate)
        self.steps_per_epoch = int(1 / self.sample_rate)
        self.noise = noise

    def __len__(self) -> int:
        return self.steps_per_epoch

    def __iter__(self) -> Iterator[torch.Tensor]:
        for _ in range(self.steps_per_epoch):
            mask = torch.from_numpy(self.noise.bernoulli(len(self.positions), self.sample_rate))
            yield self.positions[mask]


def _optimizer_classes() -> tuple[type, type]:
    """Opacus' distributed optimizers with the noise drawn from the secure source, on rank 0 only."""
    from opacus.optimizers import DistributedDPOptimizer, DistributedDPOptimizerFastGradientClipping
    from opacus.optimizers.optimizer import _check_processed_flag, _mark_as_processed

    class _SecureNoiseOnRankZero:
        rank: int
        params: list[torch.Tensor]
        noise_multiplier: float
        max_grad_norm: float
        noise_source: NoiseSource

        def add_noise(self) -> None:
            if self.rank != 0:
                for p in self.params:
                    p.grad = p.summed_grad.view_as(p)  # type: ignore[attr-defined]
                return
            std = self.noise_multiplier * self.max_grad_norm
            for p in self.params:
                summed = p.summed_grad  # type: ignore[attr-defined]
                _check_processed_flag(summed)
                noise = self.noise_source.torch_normal(summed.shape, std, device=summed.device, dtype=summed.dtype)
                p.grad = (summed + noise).view_as(p)
                _mark_as_processed(summed)

    class SecureDistributedDPOptimizer(_SecureNoiseOnRankZero, DistributedDPOptimizer):
        pass

    class SecureDistributedDPOptimizerFastGradientClipping(
        _SecureNoiseOnRankZero, DistributedDPOptimizerFastGradientClipping
    ):
        pass

    return SecureDistributedDPOptimizer, SecureDistributedDPOptimizerFastGradientClipping


class DistributedPrivateTrainer(PrivateTrainer):
    """DP-SGD for one module in one of several processes (same ``step``/``detach`` as
    :class:`PrivateTrainer`; batches and the optimizer are the distributed ones)."""

    def __init__(
        self,
        module: torch.nn.Module,
        optimizer: torch.optim.Optimizer,
        *,
        rows: torch.Tensor,
        sample_rate: float,
        noise_multiplier: float,
        max_grad_norm: float,
        expected_batch_size: float,
        grad_sample_mode: str = "ghost",
        noise: NoiseSource | None = None,
    ) -> None:
        dist = _dist()
        self.rank, self.world = int(dist.get_rank()), int(dist.get_world_size())
        self.mode = grad_sample_mode
        self.sample_rate = float(sample_rate)
        self.noise_multiplier = float(noise_multiplier)
        self.max_grad_norm = float(max_grad_norm)
        self.steps = 0
        self.noise = noise if noise is not None else noise_source()
        self.rows = rows.cpu()
        self.sampler = ShardedPoissonSampler(
            len(self.rows), rank=self.rank, world=self.world, sample_rate=self.sample_rate, noise=self.noise
        )
        broadcast_parameters(module)
        # Each process divides its sum by its share of the expected batch; the all-reduce
        # averages over processes, so the update is the global sum over the global batch.
        self.module, self.optimizer = self._wrap(module, optimizer, expected_batch_size / self.world, self.noise)
        self.optimizer.attach_step_hook(self._count_step)

    def _optimizer_classes(self) -> tuple[type, type]:
        return _optimizer_classes()

    def batches(self) -> Iterator[torch.Tensor]:
        """One epoch of this process' local Poisson batches (possibly empty), as rows."""
        for positions in self.sampler:
            yield self.rows[positions]

    @classmethod
    def replacing(
        cls, trainer: PrivateTrainer, rows: torch.Tensor, *, expected_batch_size: float
    ) -> DistributedPrivateTrainer:
        """The distributed twin of a single-process trainer (same module, optimizer and plan)."""
        module = trainer.detach()
        optimizer = trainer.optimizer.original_optimizer
        return cls(
            module,
            optimizer,
            rows=rows,
            sample_rate=trainer.sample_rate,
            noise_multiplier=trainer.noise_multiplier,
            max_grad_norm=trainer.max_grad_norm,
            expected_batch_size=expected_batch_size,
            grad_sample_mode=trainer.mode,
        )


def broadcast_parameters(module: torch.nn.Module) -> None:
    """Start every process from process 0's weights."""
    dist = _dist()
    with torch.no_grad():
        for p in module.parameters():
            dist.broadcast(p.data, 0)


class _AveragedOptimizer:
    """An optimizer whose ``step`` first averages the gradients over the processes (the
    data-free GAN generator, so that its copies stay equal)."""

    def __init__(self, optimizer: torch.optim.Optimizer) -> None:
        self.optimizer = optimizer

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.optimizer.zero_grad(set_to_none=set_to_none)

    def step(self) -> None:
        dist = _dist()
        world = dist.get_world_size()
        for group in self.optimizer.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    p.grad = torch.zeros_like(p)
                dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
                p.grad /= world
        self.optimizer.step()


def _release_metadata(self: Any, dataset: Any, plan: Any, noise: NoiseSource) -> Any:
    """Process 0 releases the DP preprocessing once; the others receive it."""
    dist = _dist()
    box: list[Any] = [None]
    if dist.get_rank() == 0:
        try:
            box[0] = ("ok", self.plain_class._release_metadata(self, dataset, plan, noise))
        except BaseException as exc:
            dist.broadcast_object_list([("refused", type(exc).__name__)], src=0)
            _STATE["released"] = True
            raise
    dist.broadcast_object_list(box, src=0)
    _STATE["released"] = True
    status, meta = box[0]
    if status != "ok":
        raise PrivacyError(f"Process 0 stopped the run before training ({meta}); see its error.")
    return meta


def _build(self: Any, rows: torch.Tensor, plan: Any, device: str, noise: NoiseSource) -> Any:
    """The method's own networks and trainer, turned into their distributed twins."""
    trainer = self.plain_class._build(self, rows, plan, device, noise)
    world = _dist().get_world_size()
    expected = float(trainer.optimizer.expected_batch_size)
    generator = getattr(self, "_generator", None)
    if generator is not None:  # dp-ctgan: the fake rows are split; the generator is kept in sync
        fake = int(self._fake_batch)
        local = max(round(fake / world), 1)
        expected = expected - fake + local * world
        self._fake_batch = local
        broadcast_parameters(generator)
        self._g_opt = _AveragedOptimizer(self._g_opt)
    return DistributedPrivateTrainer.replacing(trainer, rows, expected_batch_size=expected)


def _check_reservation(self: Any) -> None:
    """Process 0 trains under the ledger reservation of ``ss.train``'s lifecycle and releases the
    model; the other processes only contribute clipped gradient sums to its noisy steps and
    release nothing (their copy of the model is discarded)."""
    if _dist().get_rank() == 0:
        self.plain_class._check_reservation(self)


#: Whether this process has passed the preprocessing broadcast (process 0 then need not release the others).
_STATE: dict[str, bool] = {"released": False}


def distributed_class(method_cls: type) -> type:
    """The multi-process twin of a DP method class (dp-tvae, dp-ctgan): same name, plan and
    accounting. It adds no state, so a trained twin turns back into ``method_cls``
    (``obj.__class__ = method_cls``) before it is saved."""
    namespace = {
        "plain_class": method_cls,
        "_release_metadata": _release_metadata,
        "_build": _build,
        "_check_reservation": _check_reservation,
    }
    return type(f"Distributed{method_cls.__name__}", (method_cls,), namespace)


def refuse_others(message: str) -> None:
    """Release the waiting processes when process 0 refused before training began."""
    dist = _dist()
    box: list[Any] = [("refused", message)]
    dist.broadcast_object_list(box, src=0)


# --- the torchrun entry ---------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synthstudio_kernel.synthesis.dp.distributed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", required=True, help="Parquet/CSV path or glob (read on every process)")
    parser.add_argument("--method", default="dp-tvae", choices=("dp-tvae", "dp-ctgan"))
    parser.add_argument("--epsilon", type=float, required=True)
    parser.add_argument("--delta", type=float, default=None)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None, help="seeds sampling from the released model only")
    parser.add_argument("--dataset", default=None, help="registered dataset name to charge")
    parser.add_argument("--params", default="{}", help="other method parameters as JSON")
    parser.add_argument("--kinds", default="{}", help="declared column kinds as JSON (else from column types)")
    parser.add_argument("--out", default=None, help="where process 0 saves the model")
    parser.add_argument("--report", default=None, help="where process 0 writes the privacy report (JSON)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Train one DP model with every process that torchrun started; process 0 releases it."""
    import torch.distributed as dist

    from ...data import table
    from ...training import plan_training
    from .. import registry

    args = _parser().parse_args(argv)
    device = args.device
    if device == "cuda":
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    dist.init_process_group(backend="nccl" if device == "cuda" else "gloo")
    try:
        rank = dist.get_rank()
        base = registry.get(args.method)
        cls = distributed_class(base)
        params = {**json.loads(args.params), "epochs": args.epochs, "batch_size": args.batch_size}
        params = {k: v for k, v in params.items() if v is not None}
        dataset = table(args.data).dataset(json.loads(args.kinds))
        if rank == 0:
            try:
                job = plan_training(
                    dataset,
                    args.method,
                    epsilon=args.epsilon,
                    delta=args.delta,
                    dataset=args.dataset,
                    seed=args.seed,
                    device=device,
                    **params,
                )
                job.method_cls = cls  # the same method, with its distributed twins of sampling and steps
                model = job.run()
            except BaseException as exc:
                if not _STATE["released"]:  # the others still wait for the preprocessing release
                    refuse_others(type(exc).__name__)
                raise
            # The released model is a plain dp-tvae / dp-ctgan: the mixin holds no state after training.
            model.synthesizer.__class__ = base
            report = model.privacy_report().to_dict()
            if args.out:
                model.save(args.out)
            text = json.dumps({"world_size": dist.get_world_size(), **report}, indent=2, default=str)
            if args.report:
                Path(args.report).write_text(text, encoding="utf-8")
            else:
                print(text)
        else:
            synthesizer = cls(seed=args.seed, **params)
            plan = synthesizer.make_plan(dataset, epsilon=args.epsilon, delta=args.delta)
            synthesizer.attach_plan(plan)
            synthesizer.fit(dataset, device=device)
        dist.barrier()
    finally:
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":  # pragma: no cover - run by torchrun
    sys.exit(main())

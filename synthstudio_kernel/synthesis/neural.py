"""Per-epoch hooks inside SDV's CTGAN and TVAE (ctgan 0.12), with a clean stop.

ctgan runs its epoch loop internally. We plug in without changing the algorithm:

- **CTGAN**: ctgan logs each epoch's losses by assigning ``self.loss_values`` once per
  epoch; :class:`EpochCTGAN` turns that attribute into a property whose setter reports the
  epoch and, when a stop was requested, raises :class:`StopAfterEpoch` (caught by
  :class:`HookedCTGANSynthesizer`). The generator is then in the state after that epoch.
- **TVAE**: a held-out loss needs the encoder, which ctgan keeps local to ``fit``, so
  :class:`EpochTVAE` runs the same loop itself over ctgan's ``Encoder``, ``Decoder`` and
  ``_loss_function`` (same operations and random draws in the same order: with no
  held-out split it trains bit for bit like ctgan's TVAE; a test checks it), adds an
  optional held-out split and reports each epoch.

GAN losses say nothing about fit, so only TVAE reports a held-out loss (``holdout_loss``:
the same ELBO as training, on held-out rows, with the latent mean instead of a sample).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import torch
from ctgan.data_transformer import DataTransformer
from ctgan.synthesizers.ctgan import CTGAN
from ctgan.synthesizers.tvae import TVAE, Decoder, Encoder, _loss_function
from sdv.single_table import CTGANSynthesizer, TVAESynthesizer
from sdv.single_table.ctgan import _validate_no_category_dtype
from sdv.single_table.utils import detect_discrete_columns
from torch.optim import Adam
from torch.utils.data import DataLoader, TensorDataset

#: ``hook(epoch, epochs, losses) -> stop?`` with 1-based epochs.
EpochHook = Callable[[int, int, dict[str, float]], bool]

HOLDOUT_LOSS = "holdout_loss"
#: Fewer held-out rows than this make the held-out loss too noisy to stop on.
MIN_HOLDOUT_ROWS = 5


class StopAfterEpoch(Exception):
    """Internal: unwinds ctgan's CTGAN loop right after an epoch ended."""


class EpochCTGAN(CTGAN):
    """ctgan's CTGAN reporting each finished epoch through its loss log."""

    @property  # type: ignore[override]
    def loss_values(self) -> pd.DataFrame | None:
        return self.__dict__.get("_loss_log")

    @loss_values.setter
    def loss_values(self, value: pd.DataFrame | None) -> None:
        self.__dict__["_loss_log"] = value
        hook: EpochHook | None = self.__dict__.get("_epoch_hook")
        if hook is None or value is None or len(value) == 0:
            return
        last = value.iloc[-1]
        losses = {"generator": float(last["Generator Loss"]), "discriminator": float(last["Discriminator Loss"])}
        if hook(int(last["Epoch"]) + 1, int(self._epochs), losses):
            raise StopAfterEpoch

    def attach(self, device: str, hook: EpochHook | None) -> None:
        self._device = torch.device(device)
        self._enable_gpu = device != "cpu"
        self.__dict__["_epoch_hook"] = hook

    def detach(self) -> None:
        self.__dict__.pop("_epoch_hook", None)
        if self._data_sampler is not None:
            # Row indices per category: only needed to draw training batches.
            self._data_sampler._rid_by_cat_cols = []


class EpochTVAE(TVAE):
    """ctgan's TVAE with an epoch hook, a clean stop and an optional held-out loss."""

    validation_split: float = 0.0

    def attach(self, device: str, hook: EpochHook | None, validation_split: float = 0.0) -> None:
        self._device = torch.device(device)
        self._enable_gpu = device != "cpu"
        self.__dict__["_epoch_hook"] = hook
        self.validation_split = float(validation_split)

    def detach(self) -> None:
        self.__dict__.pop("_epoch_hook", None)

    def fit(self, train_data: pd.DataFrame, discrete_columns: Any = ()) -> None:
        train_data, heldout = self._split(train_data)
        self.transformer = DataTransformer()
        self.transformer.fit(train_data, discrete_columns)
        encoded = self.transformer.transform(train_data)
        dataset = TensorDataset(torch.from_numpy(encoded.astype("float32")).to(self._device))
        loader = DataLoader(dataset, batch_size=self.batch_size, shuffle=True, drop_last=False)
        data_dim = self.transformer.output_dimensions
        encoder = Encoder(data_dim, self.compress_dims, self.embedding_dim).to(self._device)
        self.decoder = Decoder(self.embedding_dim, self.decompress_dims, data_dim).to(self._device)
        optimizer = Adam(list(encoder.parameters()) + list(self.decoder.parameters()), weight_decay=self.l2scale)
        heldout_tensor = self._encode_heldout(heldout)
        hook: EpochHook | None = self.__dict__.get("_epoch_hook")
        log: list[tuple[int, int, float]] = []
        try:
            for epoch in range(self.epochs):
                batch_losses = self._train_epoch(epoch, encoder, loader, optimizer, log)
                losses = {"loss": float(np.mean(batch_losses))}
                if heldout_tensor is not None:
                    losses[HOLDOUT_LOSS] = self._heldout_loss(encoder, heldout_tensor)
                if hook is not None and hook(epoch + 1, int(self.epochs), losses):
                    break
        finally:
            self.loss_values = pd.DataFrame(log, columns=["Epoch", "Batch", "Loss"])

    def _train_epoch(
        self,
        epoch: int,
        encoder: Encoder,
        loader: DataLoader,
        optimizer: Adam,
        log: list[tuple[int, int, float]],
    ) -> list[float]:
        losses: list[float] = []
        for batch_id, batch in enumerate(loader):
            optimizer.zero_grad()
            real = batch[0].to(self._device)
            mu, std, logvar = encoder(real)
            emb = torch.randn_like(std) * std + mu
            rec, sigmas = self.decoder(emb)
            reconstruction, kld = _loss_function(
                rec, real, sigmas, mu, logvar, self.transformer.output_info_list, self.loss_factor
            )
            loss = reconstruction + kld
            loss.backward()
            optimizer.step()
            self.decoder.sigma.data.clamp_(0.01, 1.0)
            value = loss.detach().cpu().item()
            losses.append(value)
            log.append((epoch, batch_id, value))
        return losses

    def _split(self, data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        if self.validation_split <= 0:
            return data, None
        n_hold = round(len(data) * self.validation_split)
        if n_hold < MIN_HOLDOUT_ROWS or len(data) - n_hold < 2:
            from ..errors import ConfigError

            raise ConfigError(
                f"validation_split={self.validation_split:g} holds out {n_hold} of {len(data)} rows; "
                f"at least {MIN_HOLDOUT_ROWS} are needed for a held-out loss (raise it or train on more rows)."
            )
        order = np.random.permutation(len(data))
        return data.iloc[order[n_hold:]], data.iloc[order[:n_hold]]

    def _encode_heldout(self, heldout: pd.DataFrame | None) -> torch.Tensor | None:
        if heldout is None:
            return None
        encoded = self.transformer.transform(heldout)
        return torch.from_numpy(encoded.astype("float32")).to(self._device)

    @torch.no_grad()
    def _heldout_loss(self, encoder: Encoder, data: torch.Tensor) -> float:
        total = 0.0
        for start in range(0, len(data), self.batch_size):
            real = data[start : start + self.batch_size]
            mu, _std, logvar = encoder(real)
            rec, sigmas = self.decoder(mu)
            reconstruction, kld = _loss_function(
                rec, real, sigmas, mu, logvar, self.transformer.output_info_list, self.loss_factor
            )
            total += float((reconstruction + kld).item()) * len(real)
        return total / len(data)


class _HookedMixin:
    """SDV synthesizer side: hand device and hook to the ctgan model for one ``fit``."""

    _model: Any
    _model_kwargs: dict[str, Any]
    metadata: Any
    _data_processor: Any

    def fit_with_hook(self, data: dict[str, pd.DataFrame], device: str, hook: EpochHook | None, **options: Any) -> None:
        self.__dict__["_epoch_options"] = {"device": device, "hook": hook, **options}
        try:
            self.fit(data)  # type: ignore[attr-defined]
        finally:
            self.__dict__.pop("_epoch_options", None)

    def _discrete_columns(self, processed: pd.DataFrame) -> list[str]:
        _validate_no_category_dtype(processed)
        transformers = self._data_processor._hyper_transformer.field_transformers
        columns: list[str] = detect_discrete_columns(self.metadata, processed, transformers)
        return columns

    def _options(self) -> dict[str, Any]:
        return dict(self.__dict__.get("_epoch_options") or {"device": "cpu", "hook": None})


class HookedCTGANSynthesizer(_HookedMixin, CTGANSynthesizer):
    """SDV's CTGANSynthesizer training :class:`EpochCTGAN`; conditions use CTGAN's condition vector."""

    def _fit(self, processed_data: pd.DataFrame) -> None:
        discrete = self._discrete_columns(processed_data)
        options = self._options()
        model = EpochCTGAN(**self._model_kwargs)
        model.attach(options["device"], options["hook"])
        self._model = model
        try:
            model.fit(processed_data, discrete_columns=discrete)
        except StopAfterEpoch:
            pass
        finally:
            model.detach()

    def _sample(self, num_rows: int, conditions: dict[str, Any] | None = None) -> pd.DataFrame:
        # SDV filters the rows afterwards; steering the generator to the wanted category
        # (CTGAN's condition vector) makes most of them match at once.
        if conditions:
            column, value = next(iter(conditions.items()))
            try:
                sampled: pd.DataFrame = self._model.sample(num_rows, condition_column=column, condition_value=value)
                return sampled
            except (ValueError, KeyError, IndexError):
                pass  # not a discrete column of the model: plain sampling, then filtering
        unconditional: pd.DataFrame = self._model.sample(num_rows)
        return unconditional


class HookedTVAESynthesizer(_HookedMixin, TVAESynthesizer):
    """SDV's TVAESynthesizer training :class:`EpochTVAE`."""

    def _fit(self, processed_data: pd.DataFrame) -> None:
        discrete = self._discrete_columns(processed_data)
        options = self._options()
        model = EpochTVAE(**self._model_kwargs)
        model.attach(options["device"], options["hook"], options.get("validation_split", 0.0))
        self._model = model
        try:
            model.fit(processed_data, discrete_columns=discrete)
        finally:
            model.detach()

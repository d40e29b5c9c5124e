"""Our epoch hooks inside ctgan keep the algorithm: same seed, same weights as ctgan itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from ctgan.synthesizers.ctgan import CTGAN
from ctgan.synthesizers.tvae import TVAE

from synthstudio_kernel.synthesis.neural import EpochCTGAN, EpochTVAE, StopAfterEpoch

SMALL = {"embedding_dim": 8, "batch_size": 40, "epochs": 2, "enable_gpu": False}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {"x": rng.normal(size=120), "y": rng.gamma(2.0, size=120), "c": rng.choice(["a", "b", "c"], size=120)}
    )


def _fit(model, table: pd.DataFrame):
    torch.manual_seed(0)
    np.random.seed(0)
    model.fit(table, discrete_columns=["c"])
    return model


def _same_weights(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    left, right = a.state_dict(), b.state_dict()
    return left.keys() == right.keys() and all(torch.equal(left[k], right[k]) for k in left)


def test_epoch_tvae_trains_exactly_like_ctgan_tvae(table):
    # Run
    ours = _fit(EpochTVAE(compress_dims=(16,), decompress_dims=(16,), **SMALL), table)
    reference = _fit(TVAE(compress_dims=(16,), decompress_dims=(16,), **SMALL), table)

    # Assert
    assert _same_weights(ours.decoder, reference.decoder)
    pd.testing.assert_frame_equal(
        ours.loss_values.astype(float), reference.loss_values.astype(float), check_dtype=False
    )


def test_epoch_ctgan_trains_exactly_like_ctgan(table):
    # Setup: one numeric column keeps the mixture fitting short
    small = table[["x", "c"]]
    settings = {**SMALL, "epochs": 1}

    # Run
    ours = _fit(EpochCTGAN(generator_dim=(16,), discriminator_dim=(16,), pac=4, **settings), small)
    reference = _fit(CTGAN(generator_dim=(16,), discriminator_dim=(16,), pac=4, **settings), small)

    # Assert
    assert _same_weights(ours._generator, reference._generator)


def test_epoch_ctgan_reports_each_epoch_and_stops_cleanly(table):
    # Setup
    seen: list[tuple[int, int, set[str]]] = []

    def hook(epoch: int, epochs: int, losses: dict[str, float]) -> bool:
        seen.append((epoch, epochs, set(losses)))
        return epoch == 2

    model = EpochCTGAN(generator_dim=(16,), discriminator_dim=(16,), pac=4, **{**SMALL, "epochs": 5})
    model.attach("cpu", hook)

    # Run
    with pytest.raises(StopAfterEpoch):
        _fit(model, table)
    model.detach()

    # Assert
    assert seen == [(1, 5, {"generator", "discriminator"}), (2, 5, {"generator", "discriminator"})]
    assert len(model.loss_values) == 2
    assert model._data_sampler._rid_by_cat_cols == []  # row indices are gone
    assert len(model.sample(7)) == 7


def test_epoch_tvae_holdout_loss_and_stop(table):
    # Setup
    seen: list[dict[str, float]] = []
    model = EpochTVAE(compress_dims=(16,), decompress_dims=(16,), **{**SMALL, "epochs": 5})
    model.attach("cpu", lambda epoch, epochs, losses: seen.append(losses) or epoch == 3, validation_split=0.2)

    # Run
    _fit(model, table)

    # Assert
    assert len(seen) == 3
    assert all(set(losses) == {"loss", "holdout_loss"} for losses in seen)
    assert all(np.isfinite(losses["holdout_loss"]) for losses in seen)
    assert sorted(model.loss_values["Epoch"].unique()) == [0, 1, 2]


def test_too_small_a_holdout_is_refused(table):
    # Setup
    from synthstudio_kernel.errors import ConfigError

    model = EpochTVAE(**SMALL)
    model.attach("cpu", None, validation_split=0.01)

    # Run / Assert
    with pytest.raises(ConfigError, match="at least 5 are needed"):
        _fit(model, table)


@pytest.mark.parametrize(
    ("method", "sdv_class", "network"),
    [("ctgan", "CTGANSynthesizer", "_generator"), ("tvae", "TVAESynthesizer", "decoder")],
)
def test_our_method_trains_the_same_network_as_sdv_directly(method, sdv_class, network, insurance):
    # Setup: SDV on its own with the metadata our plan hands it and the same global seed
    from sdv import single_table
    from sdv.metadata import Metadata
    from synthesis_helpers import tiny

    from synthstudio_kernel.data import Dataset
    from synthstudio_kernel.synthesis import registry
    from synthstudio_kernel.synthesis.sdtypes import TABLE, plan_for
    from synthstudio_kernel.synthesis.seeding import seeded

    params = tiny(method)
    sdv_params = {k: list(v) if isinstance(v, list) else v for k, v in params.items()}
    direct = getattr(single_table, sdv_class)(
        Metadata.load_from_dict(plan_for(Dataset.from_frame(insurance)).metadata), enable_gpu=False, **sdv_params
    )

    # Run
    ours = registry.create(method, seed=4, **params).fit(insurance)
    with seeded(4, with_torch=True):
        direct.fit({TABLE: insurance})

    # Assert
    assert _same_weights(getattr(ours._sdv._model, network), getattr(direct._model, network))

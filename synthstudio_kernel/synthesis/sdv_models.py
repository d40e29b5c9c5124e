"""The non-private methods on SDV 2.0: ``gaussian-copula``, ``ctgan`` and ``tvae``.

Column sdtypes come from our Dataset kinds (:mod:`.sdtypes`), never from SDV's semantic
guesses; identifier and free-text columns are regenerated (:mod:`.surrogates`). After
fitting, references to training data that SDV/ctgan keep for training only are dropped,
so a saved model holds no training rows: what remains are fitted parameters (copula
marginals and correlations, transformer statistics, network weights), category sets and
each numeric column's min/max (used to clip samples; ``enforce_min_max_values=False``
keeps them out of sampling but not out of the fitted transformer). CTGAN's per-category
row indices, used only to draw training batches, are dropped after fitting
(:meth:`.neural.EpochCTGAN.detach`).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..data import Dataset
from ..errors import ConfigError, DataError
from .base import FitContext, Synthesizer
from .params import validate
from .sdtypes import TABLE, plan_for
from .seeding import derive_seed, draw_seed
from .surrogates import add_surrogates

#: Rounds of SDV's reject sampling before giving up on conditions, and tries per round.
CONDITION_ROUNDS = 2
CONDITION_TRIES = 50


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Hide SDV's progress bars and advisory warnings (our panel and errors say what matters)."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.filterwarnings("ignore", module=r"(sdv|rdt|ctgan|copulas|sklearn|scipy)(\..*)?$")
        warnings.filterwarnings("ignore", category=FutureWarning)
        yield


class SDVMethod(Synthesizer):
    """Shared work of the SDV-backed methods; subclasses say how to build the SDV synthesizer."""

    supports_conditions: ClassVar[bool] = True
    #: Parameters that belong to our layer, not to SDV's constructor.
    _own_params: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, seed: int | None = None, **params: Any) -> None:
        super().__init__(seed=seed, **params)
        self._sdv: Any = None
        self._unmodelled: dict[str, str] = {}
        self._order: list[str] = []

    @classmethod
    def validate_params(cls, params: dict[str, Any]) -> dict[str, Any]:
        return validate(cls.name, params)

    def library_versions(self) -> dict[str, str]:
        from importlib.metadata import PackageNotFoundError, version

        versions = super().library_versions()
        for package in ("sdv", "rdt", "copulas", "ctgan", "torch", "numpy"):
            with contextlib.suppress(PackageNotFoundError):
                versions[package] = version(package)
        return versions

    # --- SDV specifics, per method ------------------------------------------------
    def _build(self, metadata: Any, sdv_params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _run_fit(self, synthesizer: Any, data: pd.DataFrame, context: FitContext) -> None:
        synthesizer.fit({TABLE: data})
        context.epoch_end(1, 1, {})  # one step: progress bars complete

    # --- template hooks -----------------------------------------------------------
    def _fit(self, dataset: Dataset, context: FitContext) -> None:
        from sdv.metadata import Metadata

        plan = plan_for(dataset)
        if not plan.columns:
            raise DataError(
                "Nothing to learn: every column is an identifier or free text. "
                "Keep at least one numeric, categorical, boolean or date column."
            )
        self._check_column_params(plan.sdtypes)
        frame = _sdv_ready(dataset.frame[plan.columns])
        sdv_params = {k: v for k, v in self.params.items() if k not in self._own_params}
        with _quiet():
            synthesizer = self._build(Metadata.load_from_dict(plan.metadata), sdv_params)
            self._run_fit(synthesizer, frame, context)
        self._sdv = synthesizer
        self._unmodelled = {c: dataset.kinds[c].value for c in plan.unmodelled}
        self._order = dataset.columns

    def _sample(self, n: int, conditions: Mapping[str, Any] | None) -> pd.DataFrame:
        from sdv.sampling import Condition

        seed = draw_seed()
        self._seed_sdv(seed)
        with _quiet():
            if conditions:
                frame = self._sample_conditions(n, dict(conditions), Condition, seed)
            else:
                frame = self._sdv.sample(n)[TABLE]
        assert self.dataset_info is not None
        rng = np.random.default_rng(derive_seed(seed, "surrogates"))
        frame = add_surrogates(frame, self._unmodelled, self.dataset_info["dtypes"], self._order, rng)
        return frame.reset_index(drop=True)

    def _sample_conditions(self, n: int, conditions: dict[str, Any], condition_cls: Any, seed: int) -> pd.DataFrame:
        parts: list[pd.DataFrame] = []
        missing = n
        for attempt in range(CONDITION_ROUNDS):
            try:
                result = self._sdv.sample_from_conditions(
                    [condition_cls(num_rows=missing, column_values=conditions)], max_tries_per_batch=CONDITION_TRIES
                )
                parts.append(result[TABLE])
            except ValueError as exc:
                if "Unable to sample any rows" not in str(exc):
                    raise
            missing = n - sum(len(p) for p in parts)
            if missing <= 0:
                break
            self._seed_sdv(derive_seed(seed, "conditions", attempt))
        got = n - max(missing, 0)
        if got < n:
            raise ConfigError(
                f"Only {got} of {n} rows matching the conditions could be generated: the model rarely "
                f"produces that combination. Ask for fewer rows or use a method with native conditions "
                f"(gaussian-copula, ctgan)."
            )
        return pd.concat(parts, ignore_index=True).head(n)

    def _seed_sdv(self, seed: int) -> None:
        """Fix every random source of SDV's sampling path from one seed."""
        self._sdv._set_random_state(seed)
        for index, transformer in enumerate(_rdt_transformers(self._sdv)):
            states = getattr(transformer, "random_states", None)
            if states is not None:
                # "transform" encodes sampling conditions, "reverse_transform" decodes rows.
                for method in ("transform", "reverse_transform"):
                    states[method] = np.random.RandomState(derive_seed(seed, index, method))

    def _check_column_params(self, sdtypes: dict[str, str]) -> None:
        """Column names in parameters must be modelled numeric columns."""

    def known_categories(self, column: str) -> list[Any] | None:
        transformer = self._sdv._data_processor._hyper_transformer.field_transformers.get(column)
        for attribute in ("frequencies", "categories"):
            values = getattr(transformer, attribute, None)
            if isinstance(values, Mapping):
                return list(values)
            if values is not None:
                return list(values)
        return None

    def categories(self, column: str) -> list[Any]:
        """The values the model can generate for a categorical column."""
        known = self.known_categories(column)
        if known is None:
            raise ConfigError(f"Column {column!r} is not a categorical column of this model.")
        return known


class GaussianCopulaMethod(SDVMethod):
    """SDV's GaussianCopulaSynthesizer: parametric marginals joined by a Gaussian copula."""

    name = "gaussian-copula"
    devices = ("cpu",)

    def _build(self, metadata: Any, sdv_params: dict[str, Any]) -> Any:
        from sdv.single_table import GaussianCopulaSynthesizer

        return GaussianCopulaSynthesizer(metadata, **sdv_params)

    def _check_column_params(self, sdtypes: dict[str, str]) -> None:
        for column in self.params["numerical_distributions"]:
            if sdtypes.get(column) != "numerical":
                raise ConfigError(
                    f"numerical_distributions names {column!r}, which is not a numeric column of the data."
                )


class _NeuralMethod(SDVMethod):
    """CTGAN / TVAE: epochs with callbacks, a clean stop, CPU or CUDA."""

    devices = ("cpu", "cuda")

    def _run_fit(self, synthesizer: Any, data: pd.DataFrame, context: FitContext) -> None:
        epochs = int(self.params["epochs"])
        context.begin_epochs(epochs)

        def hook(epoch: int, total: int, losses: dict[str, float]) -> bool:
            return context.epoch_end(epoch, total, losses)

        options = {k: self.params[k] for k in self._own_params}
        synthesizer.fit_with_hook({TABLE: data}, context.device, hook, **options)

    def _to_device(self, device: str) -> None:
        import torch

        if self._sdv is not None and getattr(self._sdv, "_model", None) is not None:
            self._sdv._model.set_device(torch.device(device))

    def known_categories(self, column: str) -> list[Any] | None:
        model = getattr(self._sdv, "_model", None)
        transformer = getattr(model, "_transformer", None) or getattr(model, "transformer", None)
        for info in getattr(transformer, "_column_transform_info_list", []):
            if info.column_name == column and info.column_type == "discrete":
                return list(info.transform.dummies)
        return super().known_categories(column)


class CTGANMethod(_NeuralMethod):
    """SDV's CTGANSynthesizer (conditional GAN with mode-specific normalization).

    Early stopping is not offered: generator and discriminator losses do not measure
    how well the data is fitted, so there is no meaningful held-out loss.
    """

    name = "ctgan"

    def _build(self, metadata: Any, sdv_params: dict[str, Any]) -> Any:
        from .neural import HookedCTGANSynthesizer

        return HookedCTGANSynthesizer(metadata, verbose=False, **sdv_params)


class TVAEMethod(_NeuralMethod):
    """SDV's TVAESynthesizer (variational autoencoder); reports ``holdout_loss`` with ``validation_split``."""

    name = "tvae"
    heldout_loss = "holdout_loss"
    _own_params = frozenset({"validation_split"})

    def _build(self, metadata: Any, sdv_params: dict[str, Any]) -> Any:
        from .neural import HookedTVAESynthesizer

        return HookedTVAESynthesizer(metadata, verbose=False, **sdv_params)


def _sdv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """SDV rejects pandas 'category' columns: hand them over as plain objects."""
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not categorical:
        return frame
    return frame.astype({c: object for c in categorical})


def _rdt_transformers(synthesizer: Any) -> list[Any]:
    """SDV's column transformers plus those inside ctgan's DataTransformer, in a fixed order."""
    found = [t for t in synthesizer._data_processor._hyper_transformer.field_transformers.values() if t is not None]
    model = getattr(synthesizer, "_model", None)
    inner = getattr(model, "_transformer", None) or getattr(model, "transformer", None)
    found.extend(info.transform for info in getattr(inner, "_column_transform_info_list", []))
    return found

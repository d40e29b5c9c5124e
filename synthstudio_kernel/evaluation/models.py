"""Model families used for utility (TSTR / TRTR) and the classifier membership attack.

Each family is a registry entry: a name, a label and two factories (classifier,
regressor). Features are one-hot encoded (at most :data:`MAX_CATEGORIES` levels per
column, rarer ones pooled) and, for the linear family, imputed and standardised.
scikit-learn is imported only when a pipeline is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: One-hot levels kept per categorical column; the rest share one "infrequent" level.
MAX_CATEGORIES = 64


@dataclass(frozen=True)
class ModelFamily:
    name: str
    label: str
    classifier: Callable[[int], Any]
    regressor: Callable[[int], Any]
    #: Impute and standardise numeric features (linear models need it; trees do not).
    scale: bool


def _gb_classifier(seed: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(random_state=seed)


def _gb_regressor(seed: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(random_state=seed)


def _logistic(seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=500, random_state=seed)


def _ridge(seed: int) -> Any:
    from sklearn.linear_model import Ridge

    return Ridge(alpha=1.0)


MODEL_FAMILIES: dict[str, ModelFamily] = {}


def register_family(family: ModelFamily) -> None:
    """Add (or replace) a model family used by the utility evaluation."""
    MODEL_FAMILIES[family.name] = family


register_family(ModelFamily("gradient_boosting", "HistGradientBoosting", _gb_classifier, _gb_regressor, scale=False))
register_family(ModelFamily("linear", "Logistic / ridge regression", _logistic, _ridge, scale=True))


def preprocessor(numeric: Sequence[str], categorical: Sequence[str], *, scale: bool) -> Any:
    """One-hot for categories; numbers passed through (trees) or imputed and standardised."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    one_hot = OneHotEncoder(
        handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES, sparse_output=False, dtype="float32"
    )
    numbers: Any = make_pipeline(SimpleImputer(strategy="median"), StandardScaler()) if scale else "passthrough"
    parts: list[tuple[str, Any, list[str]]] = []
    if categorical:
        parts.append(("categories", one_hot, list(categorical)))
    if numeric:
        parts.append(("numbers", numbers, list(numeric)))
    return ColumnTransformer(parts, remainder="drop", sparse_threshold=0.0)


def build_pipeline(
    family: ModelFamily, task: str, numeric: Sequence[str], categorical: Sequence[str], seed: int
) -> Any:
    """Preprocessing + estimator for ``task`` ("classification" or "regression")."""
    from sklearn.pipeline import Pipeline

    estimator = family.classifier(seed) if task == "classification" else family.regressor(seed)
    return Pipeline([("features", preprocessor(numeric, categorical, scale=family.scale)), ("model", estimator)])

"""Membership-inference attacks: can an attacker holding the synthetic table tell
training records (members) apart from other real records (non-members, from the holdout)?

- **Distance attack**: a record is guessed a member the closer it lies to its nearest
  synthetic record. Copies of training rows make it near perfect.
- **Classifier attack** (density-ratio style, after DOMIAS): a gradient-boosting model
  learns to tell synthetic rows from reference real rows (another part of the holdout);
  records it finds more "synthetic-like" are guessed members. It catches generators that
  over-represent the regions around training records.

Each attack is scored by its AUC over members and non-members: 0.5 means the attacker
does no better than chance, 1.0 means membership is fully revealed. ``auc_lower`` is the
lower 95 % confidence bound (Hanley & McNeil), the advantage shown beyond sampling noise.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ._threads import limited_threads
from ._util import auc_lower_bound, num
from .distances import Encoded, nearest
from .models import preprocessor


def distance_attack_auc(members: Encoded, non_members: Encoded, synthetic: Encoded) -> dict[str, Any]:
    """AUC of "closer to the synthetic data means member"."""
    d_members = nearest(members, synthetic, k=1)[0][:, 0]
    d_non = nearest(non_members, synthetic, k=1)[0][:, 0]
    auc = _auc(-d_members, -d_non)
    return {
        "auc": auc,
        "auc_lower": _lower(auc, len(d_members), len(d_non)),
        "median_distance_members": num(np.median(d_members)),
        "median_distance_non_members": num(np.median(d_non)),
    }


def classifier_attack_auc(
    synthetic: pd.DataFrame,
    reference: pd.DataFrame,
    members: pd.DataFrame,
    non_members: pd.DataFrame,
    *,
    numeric: list[str],
    categorical: list[str],
    seed: int,
) -> dict[str, Any]:
    """AUC of "looks more synthetic than the reference real rows means member"."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline

    features = numeric + categorical
    x = pd.concat([synthetic[features], reference[features]], ignore_index=True)
    y = np.r_[np.ones(len(synthetic)), np.zeros(len(reference))]
    model = Pipeline(
        [
            ("features", preprocessor(numeric, categorical, scale=False)),
            ("model", HistGradientBoostingClassifier(random_state=seed, class_weight="balanced")),
        ]
    )
    with warnings.catch_warnings(), limited_threads():
        warnings.simplefilter("ignore")
        model.fit(x, y)
        p_members = model.predict_proba(members[features])[:, 1]
        p_non = model.predict_proba(non_members[features])[:, 1]
    auc = _auc(p_members, p_non)
    return {
        "auc": auc,
        "auc_lower": _lower(auc, len(p_members), len(p_non)),
        "training_rows": {"synthetic": len(synthetic), "reference": len(reference)},
    }


def _lower(auc: float | None, n_members: int, n_non_members: int) -> float | None:
    return None if auc is None else num(auc_lower_bound(auc, n_members, n_non_members))


def _auc(member_scores: np.ndarray, non_member_scores: np.ndarray) -> float | None:
    """Probability that a random member scores above a random non-member (ties count half)."""
    if len(member_scores) == 0 or len(non_member_scores) == 0:
        return None
    from sklearn.metrics import roc_auc_score

    labels = np.r_[np.ones(len(member_scores)), np.zeros(len(non_member_scores))]
    return num(roc_auc_score(labels, np.r_[member_scores, non_member_scores]))

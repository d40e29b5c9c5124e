"""Privacy leakage: how much the synthetic table reveals about the training records.

Measured (distances are the mixed-type distance of :mod:`.distances`):

- **Exact copies**: share of synthetic rows identical to a training row (and, as a
  baseline, of holdout rows identical to one: natural duplicates).
- **DCR / NNDR**: distance to the closest training record and the ratio of the closest
  to the second closest, for synthetic rows and, as the reference, for holdout rows.
- **Proximity**: share of synthetic rows closer to a training record than the median
  training record is to its nearest other training record. Real rows from the same
  population (a holdout) score about 0.5; copies 1; unrelated noise about 0.
- **Closer-to-train share** (needs a holdout): share of synthetic rows closer to the
  training set than to an equally large holdout set; 0.5 is ideal.
- **Membership inference** (needs a holdout): distance and classifier attacks (:mod:`.membership`).
- **Anonymeter risks** (:mod:`.risks`); excess risk needs a holdout as control set.

Each measured component becomes a *safety* in [0, 1] (1 = no sign of leakage):

============== ================================================ ======
component      safety                                           weight
============== ================================================ ======
exact_copies   1 - min(1, excess copy rate / 0.05)              0.20
proximity      1 - proximity share                              0.20
closer_share   1 - min(1, 2 * max(0, share⁻ - 0.5))             0.15
membership     1 - min(1, 2 * max(0, max attack AUC⁻ - 0.5))    0.25
anonymeter     1 - largest risk's lower 95 % confidence bound   0.20
============== ================================================ ======

⁻ marks a lower 95 % confidence bound: the attacks' advantage is scored only where it
stands out from sampling noise (a few hundred to a few thousand rows per attack); the
point estimates are reported beside. The privacy score is ``0.5 * weighted mean + 0.5 *
weakest component`` over the measured components: leakage through any one channel
pulls the score down.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from ._util import clip01, num, share_lower_bound
from .distances import Encoded, MixedEncoder, nearest
from .membership import classifier_attack_auc, distance_attack_auc
from .risks import anonymeter_risks, max_risk
from .sampling import SampleLimits, SampleLog, split_rows, subsample
from .tables import EvalTables

#: Excess exact-copy rate at which the exact-copy safety reaches 0.
COPY_RATE_AT_ZERO = 0.05
WEIGHTS: dict[str, float] = {
    "exact_copies": 0.20,
    "proximity": 0.20,
    "closer_share": 0.15,
    "membership": 0.25,
    "anonymeter": 0.20,
}
#: Fewest holdout rows for the holdout-based measures.
MIN_HOLDOUT_ROWS = 20


def privacy_report(
    tables: EvalTables, *, target: str | None, limits: SampleLimits, log: SampleLog, seed: int
) -> dict[str, Any]:
    """All leakage measures, their safeties and the privacy score."""
    timings: dict[str, float] = {}
    holdout = tables.holdout if tables.holdout is not None and len(tables.holdout) >= MIN_HOLDOUT_ROWS else None
    encoder = MixedEncoder(tables.numeric, tables.categorical).fit(tables.real)
    details: dict[str, Any] = {}
    not_measured: list[dict[str, str]] = []

    clock = time.perf_counter()
    details["exact_copies"] = _exact_copies(tables, holdout)
    timings["exact_copies"] = time.perf_counter() - clock

    clock = time.perf_counter()
    details.update(_distances(tables, holdout, encoder, limits, log, seed))
    timings["distances"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if holdout is not None:
        details["membership_inference"] = _membership(tables, holdout, encoder, limits, log, seed)
    else:
        details["membership_inference"] = None
    timings["membership_inference"] = time.perf_counter() - clock

    clock = time.perf_counter()
    details["anonymeter"] = _anonymeter(tables, holdout, target, limits, log, seed)
    timings["anonymeter"] = time.perf_counter() - clock

    if holdout is None:
        reason = (
            "no holdout was given" if tables.holdout is None else f"the holdout has fewer than {MIN_HOLDOUT_ROWS} rows"
        )
        not_measured = [
            {"metric": "closer_share", "reason": f"{reason}: nothing to compare training-set closeness with."},
            {"metric": "membership", "reason": f"{reason}: membership attacks need known non-members."},
            {"metric": "anonymeter_control", "reason": f"{reason}: Anonymeter's risk against a control set is not "
             "measured; its attacks are scored against the random-guess baseline instead (stricter)."},
            {"metric": "dcr_ratio", "reason": f"{reason}: the DCR of fresh real rows is the yardstick."},
        ]  # fmt: skip
    components = _components(details, holdout is not None)
    score = _combine(components)
    details["components"] = components
    details["not_measured"] = not_measured
    details["method"] = "0.5 × weighted mean of the measured component safeties + 0.5 × the weakest one"
    details["seconds"] = {k: round(v, 3) for k, v in timings.items()}
    return {"score": score, "summary": _summary(score, details, holdout is not None), "details": details}


# --- measures -----------------------------------------------------------------------------


def _exact_copies(tables: EvalTables, holdout: pd.DataFrame | None) -> dict[str, Any]:
    columns = tables.columns
    train_hashes = np.unique(pd.util.hash_pandas_object(tables.real[columns], index=False).to_numpy())

    def rate(frame: pd.DataFrame) -> float:
        hashes = pd.util.hash_pandas_object(frame[columns], index=False).to_numpy()
        return float(np.isin(hashes, train_hashes).mean()) if len(hashes) else 0.0

    synthetic_rate = rate(tables.synthetic)
    holdout_rate = None if holdout is None else rate(holdout)
    excess = synthetic_rate - (holdout_rate or 0.0)
    return {
        "synthetic_rate": synthetic_rate,
        "holdout_rate": holdout_rate,
        "excess_rate": max(0.0, excess),
        "synthetic_rows_checked": len(tables.synthetic),
    }


def _distances(
    tables: EvalTables,
    holdout: pd.DataFrame | None,
    encoder: MixedEncoder,
    limits: SampleLimits,
    log: SampleLog,
    seed: int,
) -> dict[str, Any]:
    reference_frame = subsample(
        tables.real, limits.reference_rows, seed=seed, log=log, step="dcr", table="real (reference)"
    )
    reference = encoder.transform(reference_frame)
    synth_frame = subsample(
        tables.synthetic, limits.dcr_query_rows, seed=seed + 1, log=log, step="dcr", table="synthetic"
    )
    synth = encoder.transform(synth_frame)
    k = 2 if len(reference) >= 2 else 1
    d_synth = nearest(synth, reference, k=k)[0]

    # Leave-one-out nearest distances inside the training reference: the proximity yardstick.
    rng = np.random.default_rng(seed + 2)
    own = rng.choice(len(reference), size=min(limits.dcr_query_rows, len(reference)), replace=False)
    loo = nearest(reference.take(own), reference, k=1, exclude=own)[0][:, 0] if len(reference) >= 2 else np.zeros(1)
    threshold = float(np.median(loo))

    out: dict[str, Any] = {}
    dcr: dict[str, Any] = {"synthetic": _stats(d_synth[:, 0]), "holdout": None, "ratio_median": None}
    nndr: dict[str, Any] = {"synthetic": _stats(_nndr(d_synth)), "holdout": None}
    proximity: dict[str, Any] = {
        "threshold": threshold,
        "synthetic_share": _share_below(d_synth[:, 0], threshold),
        "holdout_share": None,
    }
    histogram_data = {"synthetic": d_synth[:, 0], "holdout": None}
    if holdout is not None:
        hold_frame = subsample(holdout, limits.dcr_query_rows, seed=seed + 3, log=log, step="dcr", table="holdout")
        d_hold = nearest(encoder.transform(hold_frame), reference, k=k)[0]
        dcr["holdout"] = _stats(d_hold[:, 0])
        median_hold = float(np.median(d_hold[:, 0]))
        dcr["ratio_median"] = num(float(np.median(d_synth[:, 0])) / median_hold) if median_hold > 0 else None
        nndr["holdout"] = _stats(_nndr(d_hold))
        proximity["holdout_share"] = _share_below(d_hold[:, 0], threshold)
        histogram_data["holdout"] = d_hold[:, 0]
        out["closer_share"] = _closer_share(tables, holdout, synth, encoder, limits, log, seed)
    else:
        out["closer_share"] = None
    out.update({"dcr": dcr, "nndr": nndr, "proximity": proximity})
    out["_histograms"] = histogram_data  # raw distances for the plots; dropped before serialising
    return out


def _closer_share(
    tables: EvalTables,
    holdout: pd.DataFrame,
    synth: Encoded,
    encoder: MixedEncoder,
    limits: SampleLimits,
    log: SampleLog,
    seed: int,
) -> dict[str, Any]:
    size = min(len(holdout), len(tables.real), limits.reference_rows)
    train_part = subsample(tables.real, size, seed=seed + 4, log=log, step="closer_share", table="real")
    hold_part = subsample(holdout, size, seed=seed + 5, log=log, step="closer_share", table="holdout")
    d_train = nearest(synth, encoder.transform(train_part), k=1)[0][:, 0]
    d_hold = nearest(synth, encoder.transform(hold_part), k=1)[0][:, 0]
    share = float((d_train < d_hold).mean() + 0.5 * (d_train == d_hold).mean())
    return {"share": share, "share_lower": share_lower_bound(share, len(d_train)), "rows_per_set": size}


def _membership(
    tables: EvalTables, holdout: pd.DataFrame, encoder: MixedEncoder, limits: SampleLimits, log: SampleLog, seed: int
) -> dict[str, Any]:
    n = min(limits.mia_rows, len(holdout) // 2, len(tables.real))
    non_members, rest = split_rows(holdout, n, seed=seed + 6)
    log.note("membership", "holdout (non-members)", len(holdout), n)
    members = subsample(tables.real, n, seed=seed + 7, log=log, step="membership", table="real (members)")
    synth_ref = subsample(
        tables.synthetic, limits.reference_rows, seed=seed + 8, log=log, step="membership", table="synthetic"
    )
    distance = distance_attack_auc(
        encoder.transform(members), encoder.transform(non_members), encoder.transform(synth_ref)
    )
    reference = subsample(
        rest,
        limits.mia_classifier_rows,
        seed=seed + 9,
        log=log,
        step="membership classifier",
        table="holdout (reference)",
    )
    synth_train = subsample(
        tables.synthetic,
        limits.mia_classifier_rows,
        seed=seed + 10,
        log=log,
        step="membership classifier",
        table="synthetic",
    )
    classifier = (
        classifier_attack_auc(
            synth_train,
            reference,
            members,
            non_members,
            numeric=tables.numeric,
            categorical=tables.categorical,
            seed=seed,
        )
        if len(reference) >= 10
        else {"auc": None, "not_measured": "too few holdout rows left for the attacker's reference set"}
    )
    aucs = [a for a in (distance.get("auc"), classifier.get("auc")) if a is not None]
    lowers = [a for a in (distance.get("auc_lower"), classifier.get("auc_lower")) if a is not None]
    return {
        "distance_attack": distance,
        "classifier_attack": classifier,
        "max_auc": max(aucs) if aucs else None,
        "max_auc_lower": max(lowers) if lowers else None,
        "members": n,
        "non_members": n,
    }


def _anonymeter(
    tables: EvalTables,
    holdout: pd.DataFrame | None,
    target: str | None,
    limits: SampleLimits,
    log: SampleLog,
    seed: int,
) -> dict[str, Any]:
    train = subsample(tables.real, limits.anonymeter_rows, seed=seed + 11, log=log, step="anonymeter", table="real")
    synth = subsample(
        tables.synthetic, limits.anonymeter_rows, seed=seed + 12, log=log, step="anonymeter", table="synthetic"
    )
    control = (
        None
        if holdout is None
        else subsample(
            holdout,
            limits.anonymeter_control_rows,
            seed=seed + 13,
            log=log,
            step="anonymeter",
            table="holdout (control)",
        )
    )
    attacks = min(limits.anonymeter_attacks, len(train))
    result = anonymeter_risks(
        train, synth, control, columns=tables.columns, numeric=tables.numeric, target=target, attacks=attacks, seed=seed
    )
    result["max_risk"] = max_risk(result)
    result["max_demonstrated_risk"] = max_risk(result, demonstrated=True)
    return result


# --- scoring ------------------------------------------------------------------------------


def _components(details: dict[str, Any], has_holdout: bool) -> list[dict[str, Any]]:
    copies = details["exact_copies"]
    proximity = details["proximity"]["synthetic_share"]
    closer = details.get("closer_share")
    membership = details.get("membership_inference")
    anonymeter = details["anonymeter"]
    against_control = bool(anonymeter.get("relative_to_control"))
    anonymeter_risk = anonymeter.get("max_demonstrated_risk") if against_control else baseline_excess(anonymeter)
    rows = [
        (
            "exact_copies",
            "Exact copies of training rows",
            1.0 - clip01(copies["excess_rate"] / COPY_RATE_AT_ZERO),
            copies["excess_rate"],
            "synthetic rows identical to a training row"
            + (", beyond the holdout's natural duplicates" if has_holdout else ""),
        ),
        (
            "proximity",
            "Rows as close to a training record as real neighbours",
            1.0 - proximity,
            proximity,
            "share of synthetic rows closer to a training record than the typical training record is to its neighbour",
        ),
        (
            "closer_share",
            "Closer to training than to holdout",
            None if closer is None else 1.0 - clip01(2 * (closer["share_lower"] - 0.5)),
            None if closer is None else closer["share"],
            "share of synthetic rows nearer the training set than an equal-size holdout set (0.5 is ideal; "
            "scored on its lower 95% bound)",
        ),
        (
            "membership",
            "Membership inference",
            None
            if membership is None or membership["max_auc"] is None
            else 1.0 - clip01(2 * (membership["max_auc_lower"] - 0.5)),
            None if membership is None else membership["max_auc"],
            "best attack AUC at telling training records from holdout records (0.5 is chance; "
            "scored on its lower 95% bound)",
        ),
        (
            "anonymeter",
            "Anonymeter singling-out / linkability / inference",
            None if anonymeter_risk is None else 1.0 - clip01(anonymeter_risk),
            anonymeter_risk,
            "largest excess risk over the control set shown at 95% confidence (lower bound), across the three attacks"
            if against_control
            else "no control set: largest success above random guessing (baseline) shown at 95% confidence, "
            "(attack − baseline) ÷ (1 − baseline), across the three attacks; stricter than a control-set risk",
        ),
    ]
    return [
        {
            "name": name,
            "label": label,
            "safety": None if safety is None else clip01(safety),
            "value": num(value),
            "weight": WEIGHTS[name],
            "measured": safety is not None,
            "explanation": explanation,
        }
        for name, label, safety, value, explanation in rows
    ]


def baseline_excess(anonymeter: dict[str, Any]) -> float | None:
    """Without a control set: the largest demonstrated success of an attack above the random
    guess baseline, ``(attack_low − baseline_high) / (1 − baseline_high)`` from each rate's
    confidence interval (0 when no attack beats its baseline; None when nothing ran)."""
    records = [anonymeter.get("singling_out") or {}, anonymeter.get("linkability") or {}]
    records += list((anonymeter.get("inference") or {}).get("secrets") or [])
    excess: list[float] = []
    for r in records:
        attack, baseline = r.get("attack_rate") or {}, r.get("baseline_rate") or {}
        if attack.get("value") is None or baseline.get("value") is None:
            continue
        low = attack["value"] - (attack.get("error") or 0.0)
        high = min(baseline["value"] + (baseline.get("error") or 0.0), 0.999)
        excess.append(max(0.0, (low - high) / (1.0 - high)))
    return max(excess) if excess else None


def _combine(components: list[dict[str, Any]]) -> float:
    measured = [c for c in components if c["measured"]]
    weight = sum(c["weight"] for c in measured)
    mean = sum(c["weight"] * c["safety"] for c in measured) / weight
    weakest = min(c["safety"] for c in measured)
    return clip01(0.5 * mean + 0.5 * weakest)


def _summary(score: float, details: dict[str, Any], has_holdout: bool) -> str:
    weakest = min((c for c in details["components"] if c["measured"]), key=lambda c: c["safety"])
    text = (
        f"Privacy {score:.2f}; weakest: {weakest['label'].lower()} (safety {weakest['safety']:.2f}). "
        f"{details['exact_copies']['synthetic_rate']:.1%} of synthetic rows copy a training row."
    )
    membership = details.get("membership_inference")
    if membership and membership.get("max_auc") is not None:
        text += f" Membership-inference AUC {membership['max_auc']:.2f}."
    if not has_holdout:
        text += (
            " Without a holdout, membership inference cannot be measured and Anonymeter's attacks are scored "
            "against random guessing, not a control set."
        )
    return text


# --- helpers ------------------------------------------------------------------------------


def _stats(values: np.ndarray) -> dict[str, float | None]:
    if len(values) == 0:
        return {"median": None, "p05": None, "mean": None, "share_zero": None}
    return {
        "median": num(np.median(values)),
        "p05": num(np.percentile(values, 5)),
        "mean": num(np.mean(values)),
        "share_zero": num(np.mean(values == 0)),
    }


def _nndr(distances: np.ndarray) -> np.ndarray:
    """Closest / second-closest distance; 1 when both are 0 (a record among identical ones)."""
    if distances.shape[1] < 2:
        return np.ones(len(distances))
    first, second = distances[:, 0], distances[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(second > 0, first / second, 1.0)
    return ratio


def _share_below(values: np.ndarray, threshold: float) -> float:
    """Share strictly below ``threshold``, ties counted half."""
    return float((values < threshold).mean() + 0.5 * (values == threshold).mean())

"""Layer 1: check a training configuration before any data value is used, and recommend one.

``validate_config`` refuses (errors) with every reason at once and warns with an
explanation; ``SafetyReport.raise_if_refused`` turns a refusal into one readable line.
``recommend_config`` proposes a batch size, epochs and the resulting noise for a table.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..data import ColumnKind, Dataset, as_dataset
from ..errors import BudgetExceeded, ConfigError, DataError, PrivacyError, SynthStudioError
from ..privacy.accounting import RDPAccountant
from ..privacy.levels import NO_GUARANTEE, level_text, privacy_level
from ..privacy.planning import TrainingPlan, default_delta, make_plan, resolve_delta

if TYPE_CHECKING:
    from ..synthesis.marginal.plan import MarginalPlan

#: Below ``max(MIN_ROWS, ROWS_PER_UNIT_EPSILON / ε)`` rows the request is refused unless forced.
MIN_ROWS = 200
ROWS_PER_UNIT_EPSILON = 1000.0
#: A calibrated noise multiplier below this gets a warning.
LOW_NOISE = 0.5
#: Requested epochs beyond this multiple of the recommended ones get a warning.
EPOCHS_BEYOND = 2.0
#: recommend_config looks for the most epochs whose noise multiplier stays at or below this.
TARGET_NOISE = 1.5
EPOCH_GRID = (1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 50, 80, 100, 150, 200, 300)
#: recommend_config's batch: about this share of the rows, within [MIN_BATCH, MAX_BATCH].
BATCH_SHARE, MIN_BATCH, MAX_BATCH = 0.02, 64, 2048
#: recommend_config proposes dp-aim for tables with at most this many learnable columns.
MARGINAL_MAX_COLUMNS = 60
#: Sample rates below this are refused (the RDP computation loses precision).
MIN_SAMPLE_RATE = 1e-6

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass
class Check:
    """One safety check: ``status`` is ok, warning or error; ``kind`` says which error class refuses."""

    name: str
    status: str
    message: str
    kind: str = "config"  # "config" | "privacy" | "budget"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "message": self.message}


@dataclass
class SafetyReport:
    """What layer 1 found: ``ok`` is False when any check refused the configuration."""

    method: str
    checks: list[Check] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    forced: bool = False

    @property
    def ok(self) -> bool:
        return not any(c.status == ERROR for c in self.checks)

    @property
    def errors(self) -> list[str]:
        return [c.message for c in self.checks if c.status == ERROR]

    @property
    def warnings(self) -> list[str]:
        return [c.message for c in self.checks if c.status == WARNING]

    def add(self, name: str, status: str, message: str, kind: str = "config") -> None:
        self.checks.append(Check(name, status, message, kind))

    def raise_if_refused(self) -> None:
        """Raise BudgetExceeded, PrivacyError or ConfigError with every reason in one line."""
        failed = [c for c in self.checks if c.status == ERROR]
        if not failed:
            return
        kinds = {c.kind for c in failed}
        error: type[SynthStudioError] = (
            BudgetExceeded if "budget" in kinds else PrivacyError if "privacy" in kinds else ConfigError
        )
        reasons = "; ".join(c.message.rstrip(".") for c in failed)
        raise error(f"Refused to train {self.method}: {reasons}.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "ok": self.ok,
            "forced": self.forced,
            "errors": self.errors,
            "warnings": self.warnings,
            "checks": [c.to_dict() for c in self.checks],
            "plan": self.plan,
        }

    def __repr__(self) -> str:
        state = "ok" if self.ok else "refused"
        return f"<SafetyReport {self.method}: {state}, {len(self.errors)} error(s), {len(self.warnings)} warning(s)>"

    def _repr_html_(self) -> str:
        colours = {OK: "#1a7f37", WARNING: "#9a6700", ERROR: "#cf222e"}
        rows = "".join(
            f"<tr><td style='color:{colours[c.status]};font-weight:bold'>{c.status}</td>"
            f"<td>{html.escape(c.name)}</td><td style='text-align:left'>{html.escape(c.message)}</td></tr>"
            for c in self.checks
        )
        verdict = "configuration accepted" if self.ok else "configuration refused"
        plan = ""
        if self.plan:
            keys = ("target_epsilon", "delta", "noise_multiplier", "sample_rate", "steps", "preprocessing_epsilon")
            plan = "<p>" + " · ".join(f"{k} = {_fmt(self.plan.get(k))}" for k in keys if k in self.plan) + "</p>"
        return (
            f"<div class='synthstudio-safety'><b>Safety checks · {html.escape(self.method)}</b>: {verdict}"
            f"<table>{rows}</table>{plan}</div>"
        )


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape(str(value))


# --- validate_config ------------------------------------------------------------------------
def validate_config(
    df: pd.DataFrame | Dataset,
    *,
    method: str,
    epsilon: float | None = None,
    delta: float | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    force: bool = False,
    dataset: str | None = None,
    **params: Any,
) -> SafetyReport:
    """Check a training request before the data is used; errors refuse, warnings explain.

    Refusals: δ ≥ 1/n; ε ≤ 0 or not finite; a batch larger than the data; a sample rate the
    accountant cannot handle; too few rows for the requested ε (unless ``force``); too little
    budget left in the ledger; direct identifiers still in the data. Warnings: a noise
    multiplier below 0.5, more epochs than help, high-cardinality columns, columns that
    are not learned.
    """
    from ..synthesis import registry

    data = as_dataset(df)
    cls = registry.get(method)
    report = SafetyReport(method=cls.name, forced=bool(force))
    if not cls.supports_dp:
        _check_non_dp(report, epsilon, delta)
        _check_identifiers(report, data, dp=False)
        return report
    data = data.with_schema_kinds()
    eps = _check_epsilon(report, epsilon)
    dlt = _check_delta(report, delta, data.n_rows)
    if not getattr(cls, "uses_dpsgd", True):  # marginal methods plan themselves (no epochs, no batches)
        _check_own_plan(report, cls, data, params, eps, dlt, force, dataset)
        _check_kind_guesses(report, data)
        _check_identifiers(report, data, dp=True)
        return report
    config = _check_params(report, cls, {**params, "epochs": epochs, "batch_size": batch_size})
    if config is not None:
        _check_batch(report, config["batch_size"], data.n_rows)
    if eps is not None:
        _check_rows(report, data.n_rows, eps, force)
        _check_budget(report, data, eps, dataset)
    plan = None
    if eps is not None and dlt is not None and config is not None and report.ok:
        plan = _check_calibration(report, data, config, eps, dlt)
    if plan is not None and config is not None:
        _check_epochs(report, data, config, plan)
        _check_columns(report, data, plan)
    _check_kind_guesses(report, data)
    _check_identifiers(report, data, dp=True)
    if plan is not None:
        report.plan = {
            **plan.to_dict(),
            "preprocessing_epsilon": plan.preprocessing_epsilon,
            "level": privacy_level(eps).to_dict(),
        }
    return report


def _check_own_plan(
    report: SafetyReport,
    cls: Any,
    data: Dataset,
    params: Mapping[str, Any],
    eps: float | None,
    dlt: float | None,
    force: bool,
    dataset: str | None,
) -> None:
    """Parameters, rows, budget and the method's own privacy plan (dp-mst, dp-aim)."""
    try:
        synthesizer = cls(**{k: v for k, v in params.items() if v is not None})
    except ConfigError as exc:
        report.add("parameters", ERROR, str(exc))
        return
    report.add("parameters", OK, f"{cls.name} parameters accepted")
    if eps is None:
        return
    # Marginal methods measure a few noisy counts per column: their plan refuses when the noise
    # would drown the counts, so only the absolute minimum of rows applies here.
    _check_rows(report, data.n_rows, ROWS_PER_UNIT_EPSILON / MIN_ROWS, force)
    _check_budget(report, data, eps, dataset)
    if dlt is None or not report.ok:
        return
    try:
        plan = synthesizer.make_plan(data, epsilon=eps, delta=dlt)
    except PrivacyError as exc:
        report.add("calibration", ERROR, str(exc), "privacy")
        return
    except (ConfigError, DataError) as exc:
        report.add("public_metadata", ERROR, str(exc))
        return
    facts = plan.to_dict()
    report.add(
        "noise",
        OK,
        f"{facts['rounds']} rounds planned, measurement noise {facts['sigma_round']:.3g} per round; "
        f"one-way noise {facts['sigma_one_way']:.3g}; domain releases take epsilon={facts['preprocessing_epsilon']:.3g}",
    )
    report.plan = {**facts, "level": privacy_level(eps).to_dict()}


def _check_non_dp(report: SafetyReport, epsilon: Any, delta: Any) -> None:
    if epsilon is not None or delta is not None:
        report.add(
            "method",
            ERROR,
            f"method {report.method} has {NO_GUARANTEE}, so epsilon/delta do not apply; use dp-ctgan or dp-tvae",
        )
    else:
        report.add("method", WARNING, f"method {report.method} has {NO_GUARANTEE}; use dp-ctgan or dp-tvae for DP")


def _check_epsilon(report: SafetyReport, epsilon: Any) -> float | None:
    if epsilon is None:
        report.add("epsilon", ERROR, f"{report.method} needs a privacy budget: pass epsilon (e.g. epsilon=3)")
        return None
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not math.isfinite(epsilon) or epsilon <= 0:
        report.add("epsilon", ERROR, "epsilon must be a positive finite number")
        return None
    report.add("epsilon", OK, f"epsilon = {float(epsilon):g}: privacy level {level_text(float(epsilon))}")
    return float(epsilon)


def _check_delta(report: SafetyReport, delta: Any, n_rows: int) -> float | None:
    try:
        value = resolve_delta(delta, n_rows)
    except ConfigError as exc:
        report.add("delta", ERROR, str(exc))
        return None
    if value >= 1.0 / n_rows:
        report.add(
            "delta",
            ERROR,
            f"delta = {value:g} is not below 1/n = {1.0 / n_rows:.3g}: a mechanism could then publish a whole "
            f"row outright; use delta ≤ {default_delta(n_rows):.3g}",
            "privacy",
        )
        return None
    source = "default min(1e-5, 1/(10·n))" if delta is None else "given"
    report.add("delta", OK, f"delta = {value:.3g} ({source}), below 1/n")
    return value


def _check_params(report: SafetyReport, cls: Any, params: dict[str, Any]) -> dict[str, Any] | None:
    try:
        config: dict[str, Any] = cls.validate_params({k: v for k, v in params.items() if v is not None})
    except ConfigError as exc:
        report.add("parameters", ERROR, str(exc))
        return None
    report.add("parameters", OK, f"epochs = {config['epochs']}, batch_size = {config['batch_size']}")
    return config


def _check_batch(report: SafetyReport, batch_size: int, n_rows: int) -> None:
    if batch_size > n_rows:
        report.add(
            "batch_size",
            ERROR,
            f"batch_size {batch_size} is larger than the data ({n_rows} rows); use at most {n_rows}",
        )
        return
    rate = batch_size / n_rows
    if rate < MIN_SAMPLE_RATE:
        report.add(
            "sample_rate",
            ERROR,
            f"sample rate {rate:.2g} (batch/rows) is below {MIN_SAMPLE_RATE:g}, which the RDP accountant cannot "
            "compute reliably; use a larger batch",
            "privacy",
        )
    elif rate >= 1.0:
        report.add(
            "sample_rate",
            WARNING,
            "the batch is the whole table (sample rate 1): no privacy amplification by subsampling, so much more "
            "noise is needed; use a smaller batch",
        )
    else:
        report.add("sample_rate", OK, f"Poisson sample rate {rate:.4g} per step")


def _check_rows(report: SafetyReport, n_rows: int, epsilon: float, force: bool) -> None:
    needed = max(MIN_ROWS, math.ceil(ROWS_PER_UNIT_EPSILON / epsilon))
    if n_rows >= needed:
        return
    message = (
        f"{n_rows} rows are too few for epsilon={epsilon:g} (at least {needed} needed): the noise would drown "
        "what the model learns; raise epsilon, use more rows"
    )
    if force:
        report.add("rows", WARNING, message + " (forced: training anyway)")
    else:
        report.add("rows", ERROR, message + ", or pass force=True to train anyway", "privacy")


def _check_budget(report: SafetyReport, data: Dataset, epsilon: float, dataset: str | None) -> None:
    """Which named dataset the run would charge, and whether its budget can pay."""
    from .. import settings

    try:
        from ..privacy.ledger import get_ledger

        ledger = get_ledger()
        owner = ledger.find_dataset(data.fingerprint)
        record = ledger.find_dataset(dataset) if dataset is not None else owner
    except SynthStudioError as exc:
        report.add(
            "budget",
            WARNING,
            f"the privacy ledger could not be read ({exc}); the budget is checked again when training",
        )
        return
    if record is not None and dataset is not None and record.name != dataset:
        record = None  # the name matched a fingerprint, not a dataset name
    if dataset is None and (record is None or not record.registered):
        report.add(
            "budget",
            ERROR,
            "DP runs are charged to a named dataset: add 'dataset: <name>' (YAML) / dataset='<name>' (a new name is "
            f"registered with the default budget of {settings.default_total_epsilon():g}), or register it first with "
            "ss.register_dataset(df, '<name>', total_epsilon=...)",
            "privacy",
        )
        return
    if owner is not None and owner.registered and (record is None or owner.id != record.id):
        report.add(
            "budget",
            ERROR,
            f"this table is registered as {owner.name!r}, not {dataset!r} (one table has one budget); train with "
            f"dataset={owner.name!r}",
            "privacy",
        )
        return
    if record is None:
        remaining, name = settings.default_total_epsilon(), f"new dataset {dataset!r} (default budget)"
    else:
        remaining, name = ledger.budget(record.id, run_limit=0).remaining, repr(record.name)
        if owner is None or owner.id != record.id:
            name += " (a new version of its table: it shares the budget)"
    if epsilon > remaining + 1e-9:
        report.add(
            "budget",
            ERROR,
            f"epsilon={epsilon:g} exceeds the budget left for {name} (remaining {remaining:.4g})",
            "budget",
        )
    else:
        report.add("budget", OK, f"{name} has {remaining:.4g} of its budget left")


def _check_calibration(
    report: SafetyReport, data: Dataset, config: Mapping[str, Any], epsilon: float, delta: float
) -> TrainingPlan | None:
    try:
        plan = make_plan(
            data,
            epsilon=epsilon,
            delta=delta,
            batch_size=config["batch_size"],
            epochs=config["epochs"],
            max_grad_norm=config["max_grad_norm"],
            preprocessing_share=config["preprocessing_share"],
            public_bounds=config.get("public_bounds"),
            categories=config.get("categories"),
        )
    except PrivacyError as exc:
        report.add("calibration", ERROR, str(exc), "privacy")
        return None
    except (ConfigError, DataError) as exc:
        report.add("public_metadata", ERROR, str(exc))
        return None
    needed = plan.preprocessing.rows_needed_for_bounds
    if data.n_rows < needed:
        numeric = [c.column for c in plan.preprocessing.columns if c.role == "numeric" and c.public_bounds is None]
        example = numeric[0] if numeric else "age"
        report.add(
            "public_metadata",
            ERROR,
            f"{data.n_rows} rows are too few to estimate the ranges of {len(numeric)} numeric column(s) under DP at "
            f"this epsilon (about {needed:.0f} needed); declare them, e.g. public_bounds={{{example!r}: (low, high)}} "
            f"(YAML: 'public_bounds: {{{example}: [low, high]}}'), or raise epsilon or preprocessing_share",
            "privacy",
        )
        return None
    message = (
        f"noise multiplier {plan.noise_multiplier:.3g} over {plan.steps} steps at sample rate "
        f"{plan.sample_rate:.3g}; preprocessing takes epsilon={plan.preprocessing_epsilon:.3g}"
    )
    if plan.noise_multiplier < LOW_NOISE:
        report.add(
            "noise",
            WARNING,
            message
            + f". A noise multiplier below {LOW_NOISE} adds little noise per step: the guarantee still holds, but it "
            "rests on few steps at a large epsilon and the model can memorise rare rows; train more epochs or "
            "lower epsilon",
        )
    else:
        report.add("noise", OK, message)
    return plan


def _check_epochs(report: SafetyReport, data: Dataset, config: Mapping[str, Any], plan: TrainingPlan) -> None:
    best = _recommended_epochs(data, plan, config)
    if plan.epochs > EPOCHS_BEYOND * best:
        report.add(
            "epochs",
            WARNING,
            f"{plan.epochs} epochs is more than helps at this epsilon (about {best} recommended): every extra "
            f"epoch forces more noise into every step (now {plan.noise_multiplier:.3g}), which blurs what the "
            "model learns",
        )


def _check_columns(report: SafetyReport, data: Dataset, plan: TrainingPlan) -> None:
    """What the DP model will learn per column, from the schema and declarations only."""
    threshold = plan.preprocessing.threshold
    declared = set(plan.preprocessing.public_metadata()["categories"])
    undeclared = [c for c in data.columns_of(ColumnKind.CATEGORICAL) if c not in declared]
    if undeclared:
        report.add(
            "categories",
            OK,
            f"{len(undeclared)} categorical column(s) without declared categories: only values with roughly "
            f"{threshold:.0f}+ rows are kept, the rest fold into 'other'; declare categories={{column: [...]}} to "
            "keep them all",
        )
    for column in data.columns_of(ColumnKind.IDENTIFIER):
        report.add(
            "not_learned", WARNING, f"column {column!r} is an identifier: it is not learned; fresh keys replace it"
        )
    for column in data.columns_of(ColumnKind.TEXT):
        report.add("not_learned", WARNING, f"column {column!r} is free text: it is not learned and stays empty")


def _check_kind_guesses(report: SafetyReport, data: Dataset) -> None:
    """Value-based kind guesses are suggestions: a DP model is shaped by dtypes and declarations only."""
    for column, guess in data.guessed_kinds().items():
        report.add(
            "kinds",
            WARNING,
            f"column {column!r} looks {guess.value} but is trained as its dtype says; to treat it as "
            f"{guess.value}, declare kinds={{{column!r}: {guess.value!r}}} (YAML: 'kinds: {{{column}: {guess.value}}}')",
        )


def _check_identifiers(report: SafetyReport, data: Dataset, *, dp: bool) -> None:
    try:
        direct = _direct_identifiers(data)
    except SynthStudioError as exc:
        report.add("identifiers", WARNING, f"the PII scan failed ({exc}); direct identifiers were not checked")
        return
    if direct:
        names = ", ".join(map(repr, direct))
        status = ERROR if dp else WARNING
        # A frame can be masked in the kernel; a table by reference drops them in its engine.
        how = (
            "ss.scan_pii(df).apply(df)"
            if isinstance(data.source, pd.DataFrame)
            else "table.drop(ss.scan_pii(table).direct)"
        )
        report.add(
            "identifiers",
            status,
            f"direct identifiers are still in the data ({names}): drop or mask them first, e.g. {how}",
            "privacy",
        )
    else:
        report.add("identifiers", OK, "no direct identifiers found by the PII scan")


#: Direct identifiers per dataset fingerprint: %%dp_train validates before training and
#: train() validates again, so the same table is not scanned twice.
_DIRECT_CACHE: dict[str, list[str]] = {}
_DIRECT_CACHE_SIZE = 8


def _direct_identifiers(data: Dataset) -> list[str]:
    """Columns the PII scan marks as direct identifiers (cached by content fingerprint)."""
    cached = _DIRECT_CACHE.get(data.fingerprint)
    if cached is not None:
        return list(cached)
    from ..pii import scan_pii

    columns = scan_pii(data.source).to_dict()["columns"]
    direct = [str(c["column"]) for c in columns if c.get("identifier") == "direct"]
    if len(_DIRECT_CACHE) >= _DIRECT_CACHE_SIZE:
        _DIRECT_CACHE.pop(next(iter(_DIRECT_CACHE)))
    _DIRECT_CACHE[data.fingerprint] = direct
    return list(direct)


# --- recommend_config ---------------------------------------------------------------------------
#: Keys of a recommendation that ``ss.train`` takes as they are.
TRAIN_KEYS = ("method", "epsilon", "delta", "batch_size", "epochs")


class Recommendation(dict[str, Any]):
    """What :func:`recommend_config` proposes: the settings, the expected noise and ε, notes.

    ``.params`` holds exactly what ``ss.train`` takes:
    ``ss.train(df, **ss.recommend_config(df, epsilon=3).params, dataset="name")``.
    """

    @property
    def params(self) -> dict[str, Any]:
        explicit = self.get("params")
        if isinstance(explicit, dict):
            return dict(explicit)
        return {k: self[k] for k in TRAIN_KEYS if k in self}

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in self.params.items()
        )
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.get("notes", []))
        return f"<div class='synthstudio-recommendation'><b>Recommended</b><table>{rows}</table><ul>{notes}</ul></div>"


def recommend_config(
    df: pd.DataFrame | Dataset,
    *,
    epsilon: float,
    delta: float | None = None,
    method: str | None = None,
    target: str | None = None,
    public_bounds: Mapping[str, Any] | None = None,
    categories: Mapping[str, Any] | None = None,
) -> Recommendation:
    """The DP method and settings that suit this table at ``epsilon``; ``.params`` feeds ``ss.train``.

    ``public_bounds`` and ``categories`` (your codebook) are planned with and passed on in
    ``.params``: what is declared costs no budget and is never folded or trimmed.

    Without ``method``, tables of up to ``MARGINAL_MAX_COLUMNS`` learnable columns get dp-aim
    (marginal-based: it keeps column shapes and pair relations under DP far better than
    DP-SGD, most of all on small tables, and fits in seconds), wider ones dp-tvae. For
    DP-SGD methods the batch is about 2% of the rows (within 64–2048) and the epochs are
    the most (up to 300) whose calibrated noise multiplier stays at or below 1.5.
    """
    from ..synthesis import registry

    data = as_dataset(df).with_schema_kinds()
    if method is None:
        learnable = sum(k not in (ColumnKind.IDENTIFIER, ColumnKind.TEXT) for k in data.kinds.values())
        method = "dp-aim" if learnable <= MARGINAL_MAX_COLUMNS else "dp-tvae"
    cls = registry.get(method)
    declared: dict[str, Any] = {
        k: v for k, v in (("public_bounds", public_bounds), ("categories", categories)) if v is not None
    }
    if not getattr(cls, "uses_dpsgd", True):
        return _recommend_marginal(data, cls, epsilon=epsilon, delta=delta, target=target, declared=declared)
    if not cls.supports_dp:
        raise ConfigError(f"Method {cls.name!r} has {NO_GUARANTEE}; recommend_config is for dp-ctgan and dp-tvae.")
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not math.isfinite(epsilon) or epsilon <= 0:
        raise ConfigError("epsilon must be a positive finite number.")
    n = data.n_rows
    dlt = resolve_delta(delta, n)
    if dlt >= 1.0 / n:
        raise PrivacyError(f"delta must be below 1/n = {1.0 / n:.3g}.")
    batch = int(min(n, max(min(MIN_BATCH, n), min(MAX_BATCH, round(BATCH_SHARE * n)))))
    config = cls.validate_params({"batch_size": batch, **declared})
    base_plan = make_plan(data, epsilon=float(epsilon), delta=dlt, batch_size=batch, epochs=1, **declared)
    epochs = _recommended_epochs(data, base_plan, config)
    plan = make_plan(
        data,
        epsilon=float(epsilon),
        delta=dlt,
        batch_size=batch,
        epochs=epochs,
        max_grad_norm=config["max_grad_norm"],
        preprocessing_share=config["preprocessing_share"],
        **declared,
    )
    notes = [
        f"Preprocessing takes {config['preprocessing_share']:.0%} of epsilon by default; declare public_bounds "
        "and categories for columns whose ranges or values are public to save it.",
    ]
    if n < max(MIN_ROWS, ROWS_PER_UNIT_EPSILON / epsilon):
        notes.append("This table is small for the requested epsilon: expect noisy results, or raise epsilon.")
    if plan.noise_multiplier > TARGET_NOISE:
        notes.append("Even one epoch needs a lot of noise at this epsilon: results will be coarse.")
    if data.n_rows < 20_000:
        notes.append(
            "dp-aim usually keeps this table's columns and relations much better than DP-SGD at the same epsilon: "
            "try ss.recommend_config(df, epsilon=...) without method."
        )
    return Recommendation(
        {
            "method": cls.name,
            "params": {
                "method": cls.name,
                "epsilon": float(epsilon),
                "delta": dlt,
                "batch_size": batch,
                "epochs": epochs,
                **declared,
            },
            "epsilon": float(epsilon),
            "delta": dlt,
            "batch_size": batch,
            "epochs": epochs,
            "noise_multiplier": plan.noise_multiplier,
            "sample_rate": plan.sample_rate,
            "steps": plan.steps,
            "expected_epsilon": plan.epsilon_after(plan.steps),
            "preprocessing_share": config["preprocessing_share"],
            "preprocessing_epsilon": plan.preprocessing_epsilon,
            "level": privacy_level(float(epsilon)).to_dict(),
            "notes": notes,
        }
    )


def _recommend_marginal(
    data: Dataset,
    cls: Any,
    *,
    epsilon: float,
    delta: float | None,
    target: str | None,
    declared: Mapping[str, Any],
) -> Recommendation:
    """dp-aim / dp-mst: the plan for this table, with the reasons in the notes."""
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not math.isfinite(epsilon) or epsilon <= 0:
        raise ConfigError("epsilon must be a positive finite number.")
    n = data.n_rows
    dlt = resolve_delta(delta, n)
    if dlt >= 1.0 / n:
        raise PrivacyError(f"delta must be below 1/n = {1.0 / n:.3g}.")
    params: dict[str, Any] = {"target": target} if target is not None and cls.name == "dp-aim" else {}
    params.update(declared)
    plan = cls(**params).make_plan(data, epsilon=float(epsilon), delta=dlt)
    facts = plan.to_dict()
    notes = [
        f"{cls.name} measures noisy marginals (group-by counts) and fits a graphical model: it keeps each column's "
        "distribution and the strongest relations between columns, and its cost does not grow with epochs.",
        "Declare public_bounds for numeric columns and categories for categorical ones whose values are public "
        "(a codebook): the budget then goes to measurements, no rare category is folded into 'other', and a "
        "declared range keeps its ends (a value held by a few rows at a column's edge is otherwise trimmed).",
    ]
    if cls.name == "dp-aim" and target is None:
        notes.append("Name the column you will predict (target=...) so that its relations get most of the budget.")
    notes.extend(_target_class_note(plan, target))
    dropped = [c for c, role in ((s.column, s.role) for s in plan.specs) if role not in ("numeric", "categorical")]
    if dropped:
        notes.append(f"Not learned (identifiers or free text): {', '.join(dropped)}.")
    if n < 2000:
        notes.append(
            f"With {n} rows, categories with fewer than about {facts['threshold']:.0f} rows fold into 'other' "
            "unless declared; DP-SGD methods (dp-tvae, dp-ctgan) lose rare classes on tables this small."
        )
    return Recommendation(
        {
            "method": cls.name,
            "params": {"method": cls.name, "epsilon": float(epsilon), "delta": dlt, **params},
            "epsilon": float(epsilon),
            "delta": dlt,
            "rounds": facts["rounds"],
            "sigma_round": facts["sigma_round"],
            "sigma_one_way": facts["sigma_one_way"],
            "expected_epsilon": RDPAccountant.of(plan.mechanisms()).epsilon(delta=dlt),
            "preprocessing_epsilon": facts["preprocessing_epsilon"],
            "level": privacy_level(float(epsilon)).to_dict(),
            "notes": notes,
        }
    )


def _target_class_note(plan: MarginalPlan, target: str | None) -> list[str]:
    """How many rows a class of an undeclared categorical target needs to survive the DP
    selection of its classes (public: from the plan's noise and threshold alone)."""
    spec = next((s for s in plan.specs if s.column == target), None)
    if spec is None or not spec.thresholded:
        return []
    domain = plan.domain
    tau, sigma = domain.threshold_for(spec.column), domain.sigma_for(spec.column)
    sure = tau + NormalDist().inv_cdf(0.95) * sigma
    return [
        f"The classes of target {spec.column!r} are found under DP: a class of about {sure:.0f} rows survives 95% "
        f"of runs, one of {tau:.0f} rows half of them (a lost class folds into 'other'). Declare "
        f"categories={{{spec.column!r}: [...]}} from your codebook to keep every class."
    ]


def _recommended_epochs(data: Dataset, plan: TrainingPlan, config: Mapping[str, Any]) -> int:
    """Most epochs in EPOCH_GRID whose calibrated noise stays ≤ TARGET_NOISE (at least 1)."""
    from ..privacy.accounting import CalibrationError, calibrate_dpsgd

    prior = plan.preprocessing.mechanisms()

    def sigma(epochs: int) -> float:
        try:
            return calibrate_dpsgd(
                target_epsilon=plan.target_epsilon,
                delta=plan.delta,
                sample_rate=plan.sample_rate,
                steps=plan.steps_per_epoch * epochs,
                prior=prior,
                precise=False,
            )
        except CalibrationError:
            return math.inf

    low, high = 0, len(EPOCH_GRID) - 1
    if sigma(EPOCH_GRID[0]) > TARGET_NOISE:
        return 1
    while low < high:  # noise grows with epochs: find the last grid point within the target
        mid = (low + high + 1) // 2
        if sigma(EPOCH_GRID[mid]) <= TARGET_NOISE:
            low = mid
        else:
            high = mid - 1
    return EPOCH_GRID[low]

"""``%%dp_train df --name model`` with a YAML body: train a synthesizer with a live panel.

Example::

    %%dp_train df --name model
    method: tvae          # gaussian-copula, ctgan, tvae, dp-ctgan, dp-tvae (default dp-tvae)
    epochs: 50
    batch_size: 500
    seed: 0
    device: auto          # cpu, cuda or auto
    early_stopping: 5     # tvae: stop when the held-out loss stalls for 5 epochs
    # DP methods: epsilon, delta, dataset (registered name), force, and their own parameters
    # kinds: {zip: categorical}  overrides inferred column kinds

Everything is validated first (a problem is one line, nothing is trained); DP methods
also pass the safety checks, whose report the panel shows. The panel then follows each
epoch; Stop (or Kernel ▸ Interrupt) ends training cleanly after the current epoch and
the model trained so far is bound to ``--name``.
"""

from __future__ import annotations

import keyword
from typing import Any

import yaml
from IPython.core.error import UsageError
from IPython.display import display

from ...data import as_dataset
from ...errors import SynthStudioError
from ...synthesis.events import EpochEvent, TrainingControl
from ...training import TrainingJob, plan_training
from ..comm import publish
from ..variables import remember_variable
from ..widgets.training import TrainingPanel, stop_on_interrupt
from ._common import MagicArgumentParser, get_frame

DEFAULT_METHOD = "dp-tvae"
#: Keys of the YAML body that are not method parameters.
RESERVED = ("method", "epsilon", "delta", "seed", "device", "dataset", "force", "kinds")
USAGE = "%%dp_train df --name model   (YAML body: method, epochs, batch_size, seed, device, ...)"


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser("dp_train", usage=USAGE)
    parser.add_argument("df", help="name of a pandas DataFrame in the notebook")
    parser.add_argument("--name", required=True, metavar="VAR", help="variable to bind the trained model to")
    return parser


def dp_train(shell: Any, line: str, cell: str) -> None:
    """Validate, train with a live panel, bind the model; see the module docstring."""
    args = _parser().parse_line(line)
    if not args.name.isidentifier() or keyword.iskeyword(args.name):
        raise UsageError(f"%%dp_train: --name needs a valid variable name, got {args.name!r}.")
    frame = get_frame(shell, args.df)
    config = parse_body(cell)
    job = _plan(frame, args.df, config)
    safety_html = _safety_html(job) if job.private else None
    panel = TrainingPanel(
        args.name, job.method, _shown_config(job), rows=job.dataset.n_rows, private=job.private, safety_html=safety_html
    )
    display(panel)
    model = _run(job, panel, args.name, args.df)
    shell.user_ns[args.name] = model


def parse_body(cell: str) -> dict[str, Any]:
    """The YAML body as a mapping (empty body: defaults); malformed YAML is one line."""
    try:
        loaded = yaml.safe_load(cell or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise UsageError(f"%%dp_train: the cell body is not valid YAML{where}: {problem}.") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise UsageError(
            "%%dp_train: the cell body must be YAML 'key: value' lines (method, epochs, ...), "
            f"not a {type(loaded).__name__}."
        )
    bad = [k for k in loaded if not isinstance(k, str)]
    if bad:
        raise UsageError(f"%%dp_train: every YAML key must be a name, got {bad[0]!r}.")
    return loaded


def _plan(frame: Any, frame_name: str, config: dict[str, Any]) -> TrainingJob:
    params = {k: v for k, v in config.items() if k not in RESERVED}
    kinds = config.get("kinds")
    if kinds is not None and not isinstance(kinds, dict):
        raise UsageError("%%dp_train: kinds must map column names to kinds, e.g. {zip: categorical}.")
    dataset = as_dataset(frame, kinds, name=frame_name)
    return plan_training(
        dataset,
        str(config.get("method", DEFAULT_METHOD)),
        epsilon=config.get("epsilon"),
        delta=config.get("delta"),
        dataset=config.get("dataset"),
        seed=config.get("seed"),
        device=config.get("device", "cpu"),
        force=config.get("force", False),  # a real boolean: plan_training refuses "false"
        **params,
    )


def _safety_html(job: TrainingJob) -> str:
    """Layer 1 of the DP safety checks; a refusal is recorded in the ledger and shown as one line."""
    rendered: str = job.validate()._repr_html_()
    return rendered


def _shown_config(job: TrainingJob) -> dict[str, Any]:
    shown: dict[str, Any] = {"method": job.method, "seed": job.seed, "device": job.device}
    if job.dataset_name:
        shown["dataset"] = job.dataset_name
    return {**shown, **job.config}


def _run(job: TrainingJob, panel: TrainingPanel, name: str, frame_name: str) -> Any:
    control = TrainingControl()
    panel.bind(control)
    target = job.config.get("epsilon") if job.private else None
    publish(
        "training_started",
        {
            "model": name,
            "method": job.method,
            "dataset": job.dataset_name or frame_name,
            "epochs": job.epochs,
            "target_epsilon": target,
        },
    )

    def progress(event: EpochEvent) -> None:
        panel.on_epoch(event)
        publish(
            "training_progress",
            {
                "model": name,
                "method": job.method,
                "epoch": event.epoch,
                "epochs": event.epochs,
                "losses": event.losses,
                "epsilon": event.epsilon,
                "elapsed_s": event.elapsed_s,
                "eta_s": event.eta_s,
            },
        )

    try:
        with stop_on_interrupt(panel.request_stop):
            model = job.run(callbacks=[progress], control=control)
    except BaseException as exc:
        message = str(exc) if isinstance(exc, SynthStudioError) else type(exc).__name__
        panel.fail(message)
        publish("training_finished", {"model": name, "run_id": None, "status": "failed", "epsilon": None})
        raise
    epsilon = (model.run.privacy or {}).get("epsilon")
    remember_variable(model.run.id, name)
    panel.finish(model, _report_html(model))
    publish(
        "training_finished", {"model": name, "run_id": model.run.id, "status": model.run.status, "epsilon": epsilon}
    )
    return model


def _report_html(model: Any) -> str:
    """The privacy report's HTML (for every method: non-DP ones say "no formal guarantee")."""
    try:
        report = model.privacy_report()
    except ImportError:
        return ""
    render = getattr(report, "_repr_html_", None)
    return str(render()) if callable(render) else ""

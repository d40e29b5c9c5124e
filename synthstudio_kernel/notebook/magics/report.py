"""``%synth_report model --framework hipaa|gdpr|ccpa|soc2|all [--scorecard VAR] [--audience internal|released] [--out DIR] [--name VAR] [--card]``

Builds the compliance evidence packet of a trained model (or a run, or a run id) from recorded
facts, shows it as a panel, binds the Report to ``--name`` (default ``report``) and, with
``--out``, writes its JSON, HTML and Markdown there. ``--card`` shows the model card instead.
``--audience released`` builds the version meant to be shared (no owner-only facts, and the
scorecard's figures, internal evaluation results, withheld).
"""

from __future__ import annotations

from typing import Any

from IPython.display import HTML, display

from ._common import MagicArgumentParser

USAGE = (
    "%synth_report model [--framework hipaa|gdpr|ccpa|soc2|all] [--scorecard VAR] "
    "[--audience internal|released] [--out DIR] [--name VAR] [--card]"
)


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser("synth_report", usage=USAGE)
    parser.add_argument("model", help="a trained model, a run, or a run id (variable name or literal id)")
    parser.add_argument("--framework", default="all", choices=["hipaa", "gdpr", "ccpa", "soc2", "all"])
    parser.add_argument("--scorecard", default=None, help="the run's Scorecard (for risks with intervals)")
    parser.add_argument("--audience", default="internal", choices=["internal", "released"])
    parser.add_argument("--out", default=None, help="folder to write the report's JSON, HTML and Markdown into")
    parser.add_argument("--name", default="report", help="variable that receives the Report")
    parser.add_argument("--card", action="store_true", help="the model card instead of a compliance report")
    return parser


def _panel(report: Any) -> str:
    """A compact panel: counts per status and the facts hash (the full report renders below it)."""
    import html

    counts: dict[str, int] = {}
    for claim in report.to_dict()["claims"]:
        counts[claim["status"]] = counts.get(claim["status"], 0) + 1
    colors = {"MEASURED": "#175cd3", "CONFIGURED": "#6941c6", "ATTESTED": "#067647", "NOT ASSESSED": "#98a2b3"}
    badges = " ".join(
        f"<span style='background:{colors[s]};color:#fff;border-radius:4px;padding:0 6px'>{counts.get(s, 0)} {s}</span>"
        for s in colors
    )
    audience = "internal: contains owner-only facts" if report.audience == "internal" else "released"
    return (
        f"<div class='synthstudio-report'><b>{html.escape(report.document.title)}</b> · {badges}"
        f"<br><small>audience: {html.escape(audience)} · facts SHA-256 <code>{report.sha256[:16]}</code></small></div>"
    )


def synth_report(shell: Any, line: str) -> None:
    """Show (and optionally save) the evidence packet or model card of a run."""
    from IPython.core.error import UsageError

    from ...compliance import compliance_report, model_card

    args = _parser().parse_line(line)
    if not args.name.isidentifier():
        raise UsageError(f"--name {args.name!r} is not a valid variable name.")
    target = shell.user_ns.get(args.model, args.model)
    if isinstance(target, str) and args.model.isidentifier() and len(args.model) < 32:
        raise UsageError(f"No variable named {args.model!r}: pass a trained model, its run, or a run id.")
    scorecard = None
    if args.scorecard:
        if args.scorecard not in shell.user_ns:
            raise UsageError(f"No variable named {args.scorecard!r} (the Scorecard of ss.evaluate).")
        scorecard = shell.user_ns[args.scorecard]
    if args.card:
        report = model_card(target, scorecard=scorecard, audience=args.audience)
    else:
        report = compliance_report(target, args.framework, scorecard=scorecard, audience=args.audience)
    shell.user_ns[args.name] = report
    display(HTML(_panel(report)))
    display(report)
    if args.out:
        paths = report.save(args.out)
        print(f"Report written to {paths['html']}, {paths['md']} and {paths['json']}.")
    print(f"Report bound to `{args.name}` (facts SHA-256 {report.sha256[:16]}).")

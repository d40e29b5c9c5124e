"""The privacy report of a trained model: (ε, δ), how it was accounted, and what it means.

``privacy_report(model).to_dict()`` has ``epsilon``, ``delta``, ``noise_multiplier``,
``sample_rate``, ``steps``, ``accountant``, ``preprocessing_epsilon`` and ``level``; for a
non-DP method they are null and ``guarantee`` is ``"none"`` ("no formal privacy
guarantee" wherever a level would appear). The ε shown is recomputed from the logged
mechanisms, and ``consistent`` says whether it matches what the run recorded.
"""

from __future__ import annotations

import html
import math
from typing import Any

from ..theme import ROOT, style_tag
from ..theme import page as theme_page
from .accounting import RDPAccountant
from .levels import NO_GUARANTEE, format_epsilon, guarantee_text, level_text, privacy_level

_FIELDS = ("epsilon", "delta", "noise_multiplier", "sample_rate", "steps", "accountant", "preprocessing_epsilon")
#: Relative tolerance between the recorded ε and the ε recomputed from the mechanisms.
RECOMPUTE_RTOL = 1e-6


class PrivacyReport:
    """DP facts of one run, with the privacy level in plain words."""

    def __init__(self, *, method: str, run_id: str | None, privacy: dict[str, Any] | None) -> None:
        self.method = method
        self.run_id = run_id
        self.privacy = dict(privacy) if privacy else None

    @property
    def guarantee(self) -> str:
        """``"dp"``, ``"void"`` (seeded debugging noise: no guarantee) or ``"none"``."""
        if not self.privacy:
            return "none"
        return "void" if self.privacy.get("void") else "dp"

    @property
    def epsilon(self) -> float | None:
        return None if self.privacy is None else float(self.privacy["epsilon"])

    @property
    def delta(self) -> float | None:
        return None if self.privacy is None else float(self.privacy["delta"])

    def recomputed_epsilon(self) -> float | None:
        """ε recomputed from the logged mechanisms (noise multipliers, sample rates, steps)."""
        if self.privacy is None:
            return None
        mechanisms = self.privacy.get("mechanisms")
        if not mechanisms:
            return None
        acc = RDPAccountant.from_dict({"accountant": self.privacy.get("accountant", "rdp"), "mechanisms": mechanisms})
        return acc.epsilon(delta=float(self.privacy["delta"]))

    @property
    def consistent(self) -> bool | None:
        """Whether the recorded ε equals the recomputed one (None for non-DP runs)."""
        again = self.recomputed_epsilon()
        if again is None or self.epsilon is None:
            return None
        return math.isclose(again, self.epsilon, rel_tol=RECOMPUTE_RTOL, abs_tol=1e-12)

    def to_dict(self) -> dict[str, Any]:
        if self.privacy is None:
            return {
                "method": self.method,
                "run_id": self.run_id,
                "guarantee": "none",
                **dict.fromkeys(_FIELDS),
                "target_epsilon": None,
                "level": None,
                "meaning": NO_GUARANTEE,
                "level_text": NO_GUARANTEE,
                "guarantee_text": NO_GUARANTEE,
                "public": None,
                "consistent": None,
            }
        p = self.privacy
        level = privacy_level(float(p["epsilon"]))
        void = p.get("void")
        return {
            "method": self.method,
            "run_id": self.run_id,
            "guarantee": "void" if void else "dp",
            "void": void,
            "noise": p.get("noise"),
            "epsilon": float(p["epsilon"]),
            "delta": float(p["delta"]),
            "noise_multiplier": float(p["noise_multiplier"]),
            "sample_rate": float(p["sample_rate"]),
            "steps": int(p["steps"]),
            "accountant": str(p.get("accountant", "rdp")),
            "preprocessing_epsilon": float(p.get("preprocessing_epsilon", 0.0)),
            "preprocessing_share": p.get("preprocessing_share"),
            "target_epsilon": p.get("target_epsilon"),
            "planned_steps": p.get("planned_steps"),
            "max_grad_norm": p.get("max_grad_norm"),
            "level": level.label,
            "meaning": level.meaning,
            "level_text": level_text(float(p["epsilon"])),
            "guarantee_text": guarantee_text(float(p["epsilon"]), float(p["delta"])),
            "public": p.get("public"),
            "estimated_under_dp": _estimated(p),
            "consistent": self.consistent,
            "mechanisms": p.get("mechanisms"),
            "rounds": p.get("rounds"),
            "planned_rounds": p.get("planned_rounds"),
        }

    def __repr__(self) -> str:
        if self.privacy is None:
            return f"<PrivacyReport {self.method}: {NO_GUARANTEE}>"
        return f"<PrivacyReport {self.method}: ε={self.epsilon:.3g}, δ={self.delta:.2g} ({privacy_level(self.epsilon).label})>"

    def to_html(self) -> str:
        """The report as a notebook fragment (themed for JupyterLab Light and Dark)."""
        return f"{style_tag()}<style>{_CSS}</style><div class='{ROOT} synthstudio-privacy'>{self._body(heading=True)}</div>"

    def to_page(self, *, dataset: str | None = None) -> str:
        """The report as a self-contained HTML page (doctype, charset, title, inline styles and a
        header with dataset, model, ε, date and tool version)."""
        from datetime import UTC, datetime

        d = self.to_dict()
        meta = {
            "dataset": dataset or str((self.privacy or {}).get("dataset") or "—"),
            "model": self.method,
            "run": str(self.run_id or "—"),
            "ε": format_epsilon(d["epsilon"]) if d["epsilon"] is not None else NO_GUARANTEE,
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        return theme_page(f"Privacy report · {self.method}", self._body(heading=False), extra_css=_CSS, meta=meta)

    def save(self, path: str | Any, *, dataset: str | None = None) -> Any:
        """Write :meth:`to_page` to ``path`` (``.html``); returns the path."""
        from pathlib import Path

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.to_page(dataset=dataset), encoding="utf-8")
        return target

    def _body(self, *, heading: bool) -> str:
        d = self.to_dict()
        title = f"<b>Privacy report</b> · {html.escape(self.method)}" if heading else ""
        if d["guarantee"] == "none":
            return (
                f"{title}<p><b>{NO_GUARANTEE}</b>: {html.escape(self.method)} is "
                "not differentially private. Use dp-tvae or dp-ctgan for a formal (ε, δ) guarantee.</p>"
            )
        public = d["public"] or {}
        declared = [
            *(f"bounds of {c}" for c in public.get("bounds", {})),
            *(f"categories of {c}" for c in public.get("categories", [])),
        ]
        target = d["target_epsilon"]
        planned = d["planned_steps"]
        rows = [
            ("guarantee", d["guarantee_text"]),
            ("ε (whole pipeline)", f"{format_epsilon(d['epsilon'])}" + (f" (target {target:.4g})" if target else "")),
            ("δ", f"{d['delta']:.3g}"),
            ("privacy level", d["level_text"]),
            *([("GUARANTEE VOID", str(d["void"]))] if d.get("void") else []),
            ("noise source", str(d.get("noise") or "")),
            *(_marginal_rows(d) if d.get("rounds") is not None else _dpsgd_rows(d, planned)),
            ("accountant", f"{d['accountant']} (Rényi DP, composed with preprocessing)"),
            (
                "preprocessing",
                f"ε = {d['preprocessing_epsilon']:.3g} on its own ({_share(d):.0%} of the target)",
            ),
            ("declared public", ", ".join(declared) if declared else "row count only"),
            ("estimated under DP", ", ".join(d["estimated_under_dp"]) or "nothing"),
            ("recomputed ε matches", {True: "yes", False: "NO", None: "n/a"}[d["consistent"]]),
        ]
        cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        return f"{title}<table class='ss-kv'>{cells}</table><p class='ss-muted'>{html.escape(epsilon_meaning(d))}</p>"

    def _repr_html_(self) -> str:
        return self.to_html()


_CSS = (
    ".ss-ui .ss-kv th{text-align:left;padding:3px 10px 3px 0;font-weight:600;background:none}"
    ".ss-ui .ss-kv td{text-align:left;padding:3px 10px 3px 0}.ss-ui .ss-kv tr{border-bottom:1px solid var(--ss-border)}"
)


def _share(d: dict[str, Any]) -> float:
    """Preprocessing's share of the target ε (as configured, else as spent on its own)."""
    if d.get("preprocessing_share") is not None:
        return float(d["preprocessing_share"])
    target = d.get("target_epsilon") or d.get("epsilon") or 0.0
    return float(d.get("preprocessing_epsilon") or 0.0) / float(target) if target else 0.0


def _dpsgd_rows(d: dict[str, Any], planned: Any) -> list[tuple[str, str]]:
    return [
        ("noise multiplier", f"{d['noise_multiplier']:.4g}"),
        ("sample rate (Poisson)", f"{d['sample_rate']:.4g}"),
        ("DP-SGD steps", f"{d['steps']:,}" + (f" of {planned:,} planned" if planned else "")),
    ]


def _marginal_rows(d: dict[str, Any]) -> list[tuple[str, str]]:
    """dp-mst / dp-aim: rounds of selection and Gaussian measurement of marginals."""
    mechanisms = d.get("mechanisms") or []
    measured = sum(int(m.get("steps", 1)) for m in mechanisms if str(m.get("label", "")).startswith("measure"))
    selected = sum(int(m.get("steps", 1)) for m in mechanisms if str(m.get("label", "")).startswith("select"))
    planned = d.get("planned_rounds")
    return [
        ("rounds", f"{d['rounds']:,}" + (f" of {planned:,} planned" if planned else "")),
        ("marginals measured (Gaussian)", f"{measured:,}, noise σ {d['noise_multiplier']:.4g} per round"),
        ("marginals selected (exponential mechanism)", f"{selected:,}"),
    ]


def epsilon_meaning(d: dict[str, Any]) -> str:
    """What the (ε, δ) of a report means in plain words."""
    eps = float(d["epsilon"])
    factor = math.exp(eps)
    return (
        f"In plain words: whether or not any one person's record was in the training data, the "
        f"probability of any output of this model changes by at most a factor of e^ε ≈ {factor:.3g}, "
        f"except with probability δ = {d['delta']:.2g}. Smaller ε means stronger protection."
    )


def _estimated(privacy: dict[str, Any]) -> list[str]:
    released = (privacy.get("preprocessing") or {}).get("released") or {}
    out = [f"bounds of {c}" for c, s in (released.get("numeric") or {}).items() if s.get("bounds") == "dp"]
    out += [f"categories of {c}" for c, s in (released.get("categorical") or {}).items() if s.get("source") == "dp"]
    if released.get("numeric"):
        out.append("value histograms of numeric columns")
    return out


def privacy_report(model: Any) -> PrivacyReport:
    """The privacy report of a TrainedModel (or anything with a ``run`` record)."""
    run = getattr(model, "run", model)
    privacy = getattr(run, "privacy", None)
    return PrivacyReport(method=str(getattr(run, "method", "")), run_id=getattr(run, "id", None), privacy=privacy)

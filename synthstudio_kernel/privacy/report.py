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

from .accounting import RDPAccountant
from .levels import NO_GUARANTEE, privacy_level

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
            "public": p.get("public"),
            "estimated_under_dp": _estimated(p),
            "consistent": self.consistent,
        }

    def __repr__(self) -> str:
        if self.privacy is None:
            return f"<PrivacyReport {self.method}: {NO_GUARANTEE}>"
        return f"<PrivacyReport {self.method}: ε={self.epsilon:.3g}, δ={self.delta:.2g} ({privacy_level(self.epsilon).label})>"

    def to_html(self) -> str:
        d = self.to_dict()
        title = f"<b>Privacy report</b> · {html.escape(self.method)}"
        if d["guarantee"] == "none":
            return (
                f"<div class='synthstudio-privacy'>{title}<p><b>{NO_GUARANTEE}</b>: {html.escape(self.method)} is "
                "not differentially private. Use dp-tvae or dp-ctgan for a formal (ε, δ) guarantee.</p></div>"
            )
        public = d["public"] or {}
        declared = [
            *(f"bounds of {c}" for c in public.get("bounds", {})),
            *(f"categories of {c}" for c in public.get("categories", [])),
        ]
        rows = [
            ("ε (whole pipeline)", f"{d['epsilon']:.4g} (target {d['target_epsilon']:.4g})"),
            ("δ", f"{d['delta']:.3g}"),
            ("privacy level", f"{d['level']}: {d['meaning']}"),
            *([("GUARANTEE VOID", str(d["void"]))] if d.get("void") else []),
            ("noise source", str(d.get("noise") or "")),
            ("noise multiplier", f"{d['noise_multiplier']:.4g}"),
            ("sample rate (Poisson)", f"{d['sample_rate']:.4g}"),
            ("DP-SGD steps", f"{d['steps']:,} of {d['planned_steps']:,} planned"),
            ("accountant", f"{d['accountant']} (Rényi DP, composed with preprocessing)"),
            (
                "preprocessing",
                f"ε = {d['preprocessing_epsilon']:.3g} on its own ({(d['preprocessing_share'] or 0):.0%} of the target)",
            ),
            ("declared public", ", ".join(declared) if declared else "row count only"),
            ("estimated under DP", ", ".join(d["estimated_under_dp"]) or "nothing"),
            ("recomputed ε matches", {True: "yes", False: "NO", None: "n/a"}[d["consistent"]]),
        ]
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<div class='synthstudio-privacy'>{title}<table>{cells}</table></div>"

    def _repr_html_(self) -> str:
        return self.to_html()


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

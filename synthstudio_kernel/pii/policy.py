"""Recommendations: what to do with a column given its entity, and why.

Defaults come from the entity registry (drop direct identifiers, pseudonymize record keys,
generalize ZIP codes, person-tied dates and ages over 89, synthesize other quasi-identifiers,
keep the rest); a few need the column's values (ages, free text).
"""

from __future__ import annotations

from dataclasses import dataclass

from .entities import ACTIONS, EntitySpec
from .hipaa import MAX_SAFE_HARBOR_AGE, hipaa_identifier


@dataclass(frozen=True)
class Recommendation:
    action: str
    reason: str
    allowed: tuple[str, ...]


def allowed_actions(spec: EntitySpec | None, *, datetime_column: bool = False) -> tuple[str, ...]:
    """Actions a user may pick for a column (``generalize`` only where a generalizer exists)."""
    can_generalize = bool(spec and spec.generalizer) or datetime_column
    return tuple(a for a in ACTIONS if a != "generalize" or can_generalize)


def _hipaa_note(spec: EntitySpec) -> str:
    ident = hipaa_identifier(spec.hipaa)
    return f" HIPAA Safe Harbor identifier {ident.number} ({ident.name})." if ident else ""


def recommend(
    spec: EntitySpec | None,
    *,
    max_number: float | None = None,
    text_found: dict[str, int] | None = None,
    datetime_column: bool = False,
) -> Recommendation:
    """The default action for a column of ``spec`` (None: nothing sensitive found)."""
    allowed = allowed_actions(spec, datetime_column=datetime_column)
    if spec is None:
        return Recommendation("keep", "No identifier found in the sampled values or the column name.", allowed)
    if spec.name == "AGE" and max_number is not None and max_number > MAX_SAFE_HARBOR_AGE:
        return Recommendation(
            "generalize",
            f"Ages over {MAX_SAFE_HARBOR_AGE} occur; Safe Harbor requires them aggregated (bands, 90+ top-coded)."
            + _hipaa_note(spec),
            allowed,
        )
    if spec.name == "FREE_TEXT":
        if text_found:
            listed = ", ".join(f"{entity} in {rows} row(s)" for entity, rows in sorted(text_found.items()))
            return Recommendation(
                "drop",
                f"Free text that mentions identifiers ({listed} of the sample); synthesizers would copy it verbatim.",
                allowed,
            )
        return Recommendation("keep", spec.reason[0].upper() + spec.reason[1:], allowed)
    label = spec.label[0].upper() + spec.label[1:]
    return Recommendation(spec.action, f"{label} — {spec.reason}{_hipaa_note(spec)}", allowed)

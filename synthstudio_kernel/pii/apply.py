"""Apply a scan's recommendations: drop, pseudonymize (salted hash), generalize, or keep.

``apply_recommendations`` returns a new frame; the original is never modified. What was done
is recorded (no values) in ``cleaned.attrs["synthstudio_pii"]`` and is read back with
:meth:`ApplyRecord.of`. "synthesize" keeps the column for DP training: only synthetic values
of it should ever be released.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data.attrs import PII_RECORD
from ..errors import ConfigError, DataError
from .hipaa import MAX_SAFE_HARBOR_AGE, RESTRICTED_ZIP3
from .sampling import _as_text

if TYPE_CHECKING:  # pragma: no cover
    from .classifier import ColumnVerdict

ATTRS_KEY = PII_RECORD
#: Hex digits kept from each HMAC-SHA256 pseudonym (64 bits).
PSEUDONYM_HEX = 16
#: Width of the age bands used by the ``age_band`` generalizer.
AGE_BAND_WIDTH = 5


# ---------------------------------------------------------------- generalizers


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _zip3(series: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """First 3 ZIP digits; restricted (sparsely populated) prefixes become 000."""
    restricted = unparsed = 0
    out: list[object] = []
    for value in series.tolist():
        if _is_missing(value):
            out.append(None)
            continue
        text, _ = _as_text(value)
        digits = re.match(r"\s*(\d{3,5})(?:-\d{4})?\s*$", text or "")
        if digits is None:
            unparsed += 1
            out.append(None)
            continue
        prefix = digits.group(1).zfill(5)[:3]
        if prefix in RESTRICTED_ZIP3:
            restricted += 1
            prefix = "000"
        out.append(prefix)
    result = pd.Series(out, index=series.index, dtype=object)
    return result, {"restricted_prefixes_set_to_000": restricted, "unparsed_set_missing": unparsed}


def _year(series: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Keep only the year of each date (in the date's own time zone)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        years = series.dt.year.astype("Int64")
    else:
        text = series.map(lambda v: None if _is_missing(v) else _as_text(v)[0])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", FutureWarning)  # mixed time zones: take the fallback now
                years = pd.to_datetime(text, errors="coerce", format="mixed").dt.year.astype("Int64")
        except (ValueError, TypeError, AttributeError, FutureWarning):  # mixed time zones: one value at a time
            years = pd.Series([_one_year(v) for v in text], index=series.index, dtype="Int64")
    unparsed = int((series.notna() & years.isna()).sum())
    if not years.isna().any():
        years = years.astype("int64")  # plain integers where nothing is missing (every synthesizer reads them)
    return years, {"unparsed_set_missing": unparsed}


def _one_year(text: str | None) -> int | None:
    if text is None:
        return None
    stamp = pd.to_datetime(text, errors="coerce")
    return None if pd.isna(stamp) else int(stamp.year)


def _age_band(series: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Five-year bands, with every age over 89 in one "90+" band."""
    ages = pd.to_numeric(series, errors="coerce")
    top = MAX_SAFE_HARBOR_AGE + 1
    labels = [f"{lo}-{lo + AGE_BAND_WIDTH - 1}" for lo in range(0, top, AGE_BAND_WIDTH)] + [f"{top}+"]
    index = np.where(ages >= top, len(labels) - 1, np.floor(ages.clip(lower=0) / AGE_BAND_WIDTH))
    banded = pd.Categorical.from_codes(
        np.where(ages.isna(), -1, index).astype(int), categories=pd.Index(labels), ordered=True
    )
    result = pd.Series(banded, index=series.index)
    return result, {
        "top_coded_90_plus": int((ages >= top).sum()),
        "unparsed_set_missing": int((series.notna() & ages.isna()).sum()),
    }


def _round_coordinate(series: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Round to 1 decimal (about 11 km)."""
    numbers = pd.to_numeric(series, errors="coerce")
    return numbers.round(1), {"unparsed_set_missing": int((series.notna() & numbers.isna()).sum())}


GENERALIZERS: dict[str, tuple[str, Callable[[pd.Series], tuple[pd.Series, dict[str, int]]]]] = {
    "zip3": ("ZIP code to its first 3 digits (000 for restricted areas)", _zip3),
    "year": ("date to its year", _year),
    "age_band": (f"age to {AGE_BAND_WIDTH}-year bands, {MAX_SAFE_HARBOR_AGE + 1}+ top-coded", _age_band),
    "round_coordinate": ("coordinate rounded to 1 decimal", _round_coordinate),
}


# ---------------------------------------------------------------- pseudonyms


def _salt_bytes(salt: str | bytes | None) -> tuple[bytes, bool]:
    if salt is None:
        return secrets.token_bytes(32), False
    if isinstance(salt, str):
        salt = salt.encode("utf-8")
    if not isinstance(salt, bytes) or len(salt) < 8:
        raise ConfigError("The salt must be a str or bytes of at least 8 characters; use a long random secret.")
    return salt, True


def pseudonymize(series: pd.Series, key: bytes) -> pd.Series:
    """Replace each value by the first hex digits of HMAC-SHA256(key, value); missing stays missing."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable values (lists, dicts): hash their text form
        codes, uniques = pd.factorize(series.map(lambda v: v if _is_missing(v) else repr(v)), use_na_sentinel=True)
    digests = np.array(
        [
            hmac.new(key, (_as_text(v)[0] or repr(v)).encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]
            for v in uniques
        ],
        dtype=object,
    )
    out = np.full(len(series), None, dtype=object)
    mask = codes >= 0
    out[mask] = digests[codes[mask]]
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


# ---------------------------------------------------------------- record


@dataclass
class ApplyRecord:
    """What :func:`apply_recommendations` did (JSON-safe, no values)."""

    applied_at: str
    rows: int
    columns: list[dict[str, Any]]
    salt: dict[str, Any]
    unscanned_columns: list[str] = field(default_factory=list)
    scan: dict[str, Any] = field(default_factory=dict)

    def by_action(self, action: str) -> list[str]:
        return [c["column"] for c in self.columns if c["action"] == action]

    def to_dict(self) -> dict[str, Any]:
        remaining = [
            {"column": c["column"], "hipaa": c["hipaa"]}
            for c in self.columns
            if c["hipaa"] and c["action"] in ("keep", "synthesize")
        ]
        removed = sorted(
            {
                c["hipaa_number"]
                for c in self.columns
                if c["hipaa_number"] and c["action"] in ("drop", "pseudonymize", "generalize")
            }
        )
        return {
            "version": 1,
            "applied_at": self.applied_at,
            "rows": self.rows,
            "columns": [dict(c) for c in self.columns],
            "dropped": self.by_action("drop"),
            "pseudonymized": self.by_action("pseudonymize"),
            "generalized": self.by_action("generalize"),
            "synthesize": self.by_action("synthesize"),
            "kept": self.by_action("keep"),
            "unscanned_columns": list(self.unscanned_columns),
            "scan": dict(self.scan),
            "salt": dict(self.salt),
            "safe_harbor": {"identifiers_treated": removed, "identifiers_remaining": remaining},
        }

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td><code>{html.escape(c['column'])}</code></td><td><b>{html.escape(c['action'])}</b>"
            f"{' (changed)' if c['overridden'] else ''}</td><td>{html.escape(c['entity'] or '—')}</td>"
            f"<td>{html.escape(c['hipaa'] or '—')}</td></tr>"
            for c in self.columns
        )
        return (
            f"<p><b>PII treatment</b> applied {html.escape(self.applied_at)} to {self.rows:,} rows.</p>"
            "<table><thead><tr><th>Column</th><th>Action</th><th>Entity</th><th>HIPAA identifier</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ApplyRecord:
        return cls(
            applied_at=str(data["applied_at"]),
            rows=int(data["rows"]),
            columns=[dict(c) for c in data["columns"]],
            salt=dict(data["salt"]),
            unscanned_columns=list(data.get("unscanned_columns", [])),
            scan=dict(data.get("scan", {})),
        )

    @classmethod
    def of(cls, frame: pd.DataFrame) -> ApplyRecord:
        """The record stored on a cleaned frame."""
        data = frame.attrs.get(ATTRS_KEY)
        if not isinstance(data, Mapping):
            raise DataError("This frame carries no PII record; it was not produced by report.apply().")
        return cls.from_dict(data)


# ---------------------------------------------------------------- apply


def resolve_actions(verdicts: Sequence[ColumnVerdict], actions: Mapping[str, str] | None) -> dict[str, str]:
    """Each scanned column's action: the recommendation unless overridden in ``actions``."""
    by_column = {v.column: v for v in verdicts}
    chosen = {v.column: v.recommendation for v in verdicts}
    for column, action in (actions or {}).items():
        verdict = by_column.get(str(column))
        if verdict is None:
            raise ConfigError(f"Action given for column {column!r}, which the scan does not cover.")
        if action not in verdict.allowed_actions:
            allowed = ", ".join(verdict.allowed_actions)
            raise ConfigError(f"Action {action!r} is not available for column {column!r}; choose one of: {allowed}.")
        chosen[str(column)] = action
    return chosen


def apply_recommendations(
    verdicts: Sequence[ColumnVerdict],
    frame: pd.DataFrame,
    *,
    salt: str | bytes | None = None,
    actions: Mapping[str, str] | None = None,
    scan: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """A cleaned copy of ``frame``; the record is in ``cleaned.attrs["synthstudio_pii"]``.
    ``scan`` (facts about the scan: sample size, seed, ...) is stored in the record as is."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"Expected a pandas DataFrame, got {type(frame).__name__}.")
    chosen = resolve_actions(verdicts, actions)
    present = {str(c): c for c in frame.columns}
    missing = [v.column for v in verdicts if v.column not in present and chosen[v.column] != "drop"]
    if missing:
        raise DataError(
            f"The frame lacks scanned column(s) {', '.join(map(repr, missing))}; apply the report to the frame it scanned."
        )
    key, provided = _salt_bytes(salt)
    cleaned = frame.copy()
    records: list[dict[str, Any]] = []
    for verdict in verdicts:
        action = chosen[verdict.column]
        detail: dict[str, Any] = {}
        if verdict.column in present:
            original = present[verdict.column]
            if action == "drop":
                cleaned = cleaned.drop(columns=[original])
            elif action == "pseudonymize":
                cleaned[original] = pseudonymize(cleaned[original], key)
                detail = {
                    "method": f"HMAC-SHA256, first {PSEUDONYM_HEX} hex digits",
                    "surrogate": "linkable (salt held by the user)" if provided else "random secret, not kept",
                }
            elif action == "generalize":
                detail = _generalize(cleaned, original, verdict)
        records.append(
            {
                "column": verdict.column,
                "entity": verdict.entity,
                "identifier": verdict.identifier,
                "hipaa": verdict.hipaa.name if verdict.hipaa else None,
                "hipaa_number": verdict.hipaa.number if verdict.hipaa else None,
                "action": action,
                "recommended": verdict.recommendation,
                "overridden": action != verdict.recommendation,
                "reason": verdict.reason if action == verdict.recommendation else "chosen by the user",
                "detail": detail,
            }
        )
    scanned = {v.column for v in verdicts}
    record = ApplyRecord(
        applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
        rows=len(frame),
        columns=records,
        salt={
            "provided": provided,
            "id": hmac.new(key, b"synthstudio-salt-id", hashlib.sha256).hexdigest()[:12] if provided else None,
            "note": "same salt, same pseudonyms across tables"
            if provided
            else "random salt, not stored: pseudonyms cannot be linked to other tables",
        },
        unscanned_columns=[c for c in present if c not in scanned],
        scan=dict(scan or {}),
    )
    cleaned.attrs = {**frame.attrs, ATTRS_KEY: record.to_dict()}
    return cleaned


def _generalize(frame: pd.DataFrame, column: Any, verdict: ColumnVerdict) -> dict[str, Any]:
    from .entities import ENTITIES

    spec = ENTITIES.get(verdict.entity or "")
    key = spec.generalizer if spec and spec.generalizer else "year"
    description, generalizer = GENERALIZERS[key]
    frame[column], counts = generalizer(frame[column])
    return {"method": description, **counts}

"""Surrogate keys: columns that ``apply`` pseudonymized are recognized as such on a later scan.

``report.apply(df)`` replaces a key by HMAC-SHA256 pseudonyms and records it in
``cleaned.attrs``. Scanned again (as ``train`` does before it trains), such a column still has
the shape of a record key; without this step the advice would lead to a refusal. A column is
accepted as a surrogate only when the frame's own record says ``apply`` pseudonymized it *and*
its values still have the pseudonyms' shape, so a key pasted back over it is flagged again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from ..data.attrs import PII_RECORD
from .classifier import ColumnVerdict
from .entities import ENTITIES
from .hipaa import hipaa_identifier
from .policy import allowed_actions

#: Hex digits apply() keeps from each HMAC (see ``apply.PSEUDONYM_HEX``).
_PSEUDONYM = re.compile(r"[0-9a-f]{16}")
#: Values checked per column.
_CHECKED = 2_000


def pseudonymized_columns(attrs: Mapping[Any, Any]) -> dict[str, bool]:
    """Columns the frame's apply record says were pseudonymized -> whether the salt was the user's."""
    record = attrs.get(PII_RECORD)
    if not isinstance(record, Mapping):
        return {}
    keyed = bool((record.get("salt") or {}).get("provided"))
    return {
        str(c.get("column")): keyed
        for c in record.get("columns", [])
        if isinstance(c, Mapping) and c.get("action") == "pseudonymize"
    }


def _looks_pseudonymized(series: pd.Series) -> bool:
    values = series.dropna().head(_CHECKED).tolist()
    return bool(values) and all(isinstance(v, str) and _PSEUDONYM.fullmatch(v) for v in values)


def recognize_surrogates(verdicts: list[ColumnVerdict], frame: pd.DataFrame) -> list[ColumnVerdict]:
    """``verdicts`` with apply's own pseudonym columns re-labelled as surrogate keys."""
    declared = pseudonymized_columns(frame.attrs)
    if not declared:
        return verdicts
    by_name = {str(c): c for c in frame.columns}
    out: list[ColumnVerdict] = []
    for verdict in verdicts:
        keyed = declared.get(verdict.column)
        column = by_name.get(verdict.column)
        if keyed is None or column is None or not _looks_pseudonymized(frame[column]):
            out.append(verdict)
            continue
        spec = ENTITIES["LINKABLE_SURROGATE_KEY" if keyed else "SURROGATE_KEY"]
        out.append(
            replace(
                verdict,
                entity=spec.name,
                identifier=spec.identifier,
                hipaa=hipaa_identifier(spec.hipaa),
                recommendation=spec.action,
                reason=spec.reason[0].upper() + spec.reason[1:],
                allowed_actions=allowed_actions(spec),
                basis="the frame's PII record: apply() pseudonymized this column, and its values are those pseudonyms",
                examples=[],
                alternatives=[{"entity": verdict.entity, "confidence": round(verdict.confidence, 3)}],
            )
        )
    return out

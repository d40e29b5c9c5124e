"""Value-domain checks: do a column's values fit what its name suggests?

Each check returns the share of sampled rows (0..1) that fit the domain, so that a column
named "telephone" holding "yes"/"none" is not called a phone column. A registry: each
:class:`~.entities.EntitySpec` names its domain.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .evidence import ColumnEvidence

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/#:\-]{1,46}[A-Za-z0-9]")
_PHONE = re.compile(r"\+?[\d\s().\-/]{7,24}(?:\s*(?:x|ext\.?)\s*\d{1,5})?", re.IGNORECASE)
_AGE_BAND = re.compile(
    r"\s*(?:(?:under|below|over|above|less than|more than)\s*\d{1,3}|[<>≤≥]=?\s*\d{1,3}|"
    r"\d{1,3}\s*(?:-|–|to)\s*\d{1,3}|\d{1,3}\s*\+|\d{1,3}\s*(?:or|and)\s*(?:older|over|above|younger|under)|\d{1,3})"
    r"\s*(?:y(?:ea)?rs?|y)?\s*",
    re.IGNORECASE,
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_URL_OR_PATH = re.compile(r"(?:https?://|www\.|data:|[/\\]|\.(?:jpe?g|png|gif|bmp|tiff?|webp|wav|mp3)$)", re.IGNORECASE)


#: Stand-ins for "no value" that real extracts use; domain shares ignore them.
PLACEHOLDERS = frozenset(
    {"", "-", "--", "?", "na", "n/a", "n.a.", "nan", "none", "null", "nil", "unknown", "unk", "missing", "not available",
     "other", "oos", "xx", "xxx", "xxxxx", "redacted", "withheld", "<unavail>", "tbd"}
)  # fmt: skip


def _share(evidence: ColumnEvidence, test: Callable[[str], bool]) -> float:
    """Row-weighted share of sampled values passing ``test``, placeholders left out."""
    sample = evidence.sample
    passed = total = 0
    for value, count in zip(sample.values, sample.counts, strict=True):
        if value.strip().lower() in PLACEHOLDERS:
            continue
        total += count
        passed += count if test(value) else 0
    return passed / total if total else 0.0


def _numbers(evidence: ColumnEvidence) -> np.ndarray | None:
    sample = evidence.sample
    if sample.numbers is not None:
        return sample.numbers[np.isfinite(sample.numbers)]
    if sample.family == "numeric-text":
        try:
            return np.array(
                [float(v) for v, c in zip(sample.values, sample.counts, strict=True) for _ in range(c)], dtype=float
            )
        except ValueError:
            return None
    return None


def any_values(evidence: ColumnEvidence) -> float:
    return 1.0 if evidence.sample.n_text else 0.0


def code_like(evidence: ColumnEvidence) -> float:
    """Identifier-shaped: short, few words, with digits (or a whole-number column)."""
    if evidence.sample.whole_numbers:
        return 1.0
    if evidence.is_text:
        return 0.0
    return _share(
        evidence, lambda v: bool(_CODE.fullmatch(v.strip())) and any(ch.isdigit() for ch in v) and len(v.split()) <= 3
    )


def phone_like(evidence: ColumnEvidence) -> float:
    if evidence.sample.whole_numbers:
        nums = _numbers(evidence)
        return float(np.mean((nums >= 1e6) & (nums < 1e15))) if nums is not None and len(nums) else 0.0
    return _share(evidence, lambda v: bool(_PHONE.fullmatch(v.strip())) and 7 <= sum(ch.isdigit() for ch in v) <= 15)


_ZIP_TEXT = re.compile(r"\d{3,5}(?:-?\d{4})?")


def zip_like(evidence: ColumnEvidence) -> float:
    """US ZIPs (3 or 5 digits, ZIP+4 with or without dash) or recognized postal codes."""
    pattern = evidence.patterns.get("ZIP_CODE")
    rate = max(pattern.rate if pattern else 0.0, _share(evidence, lambda v: bool(_ZIP_TEXT.fullmatch(v.strip()))))
    nums = _numbers(evidence)
    if evidence.sample.integral and nums is not None and len(nums):
        rate = max(rate, float(np.mean((nums >= 0) & (nums <= 99999))))
    return rate


def age_like(evidence: ColumnEvidence) -> float:
    nums = _numbers(evidence)
    if nums is not None and len(nums):
        return float(np.mean((nums >= 0) & (nums <= 125)))
    return _share(evidence, lambda v: bool(_AGE_BAND.fullmatch(v)))


def year_like(evidence: ColumnEvidence) -> float:
    nums = _numbers(evidence)
    if nums is None or not len(nums):
        return 0.0
    return float(np.mean((nums >= 1850) & (nums <= 2100) & (np.mod(nums, 1) == 0)))


def date_like(evidence: ColumnEvidence) -> float:
    sample = evidence.sample
    if sample.family == "datetime":
        return 1.0
    pattern = evidence.patterns.get("DATE")
    rate = pattern.rate if pattern else 0.0
    if rate >= 0.5 or sample.family not in ("string", "mixed"):
        return rate
    import pandas as pd

    parsed = pd.to_datetime(pd.Series(sample.values), errors="coerce", format="mixed", utc=True)
    ok = parsed.notna().to_numpy()
    has_sep = np.array([bool(re.search(r"[-/.: ]", v)) for v in sample.values])
    weights = np.array(sample.counts, dtype=float)
    return max(rate, float(weights[ok & has_sep].sum() / weights.sum()))


def coordinate_like(evidence: ColumnEvidence) -> float:
    pattern = evidence.patterns.get("GEO_COORDINATE")
    rate = pattern.rate if pattern else 0.0
    nums = _numbers(evidence)
    if nums is not None and len(nums) and not evidence.sample.integral:
        in_range = (nums >= -180) & (nums <= 180) & (np.mod(nums, 1) != 0)
        rate = max(rate, float(np.mean(in_range)))
    return rate


def categorical(evidence: ColumnEvidence) -> float:
    """Few distinct values (codes or labels), not free text."""
    sample = evidence.sample
    if evidence.is_text or not sample.n_text:
        return 0.0
    if sample.n_distinct <= 200 or sample.distinct_share <= 0.2:
        return 1.0
    return 0.0


def place_like(evidence: ColumnEvidence) -> float:
    """Place names or place codes (FIPS, ISO codes): short labels, not free text."""
    if evidence.is_text:
        return 0.0
    if evidence.sample.whole_numbers:
        return 1.0
    return _share(
        evidence, lambda v: (bool(_HAS_LETTER.search(v)) and len(v.split()) <= 6) or bool(_SHORT_CODE.fullmatch(v))
    )


_SHORT_CODE = re.compile(r"\s*\d{1,6}\s*")
_UNIT_WORDS = re.compile(
    r"\b(?:apt|apartment|suite|ste|unit|floor|fl|rm|room|bldg|building|po box|p\.o\.|#)\b", re.IGNORECASE
)


def address_like(evidence: ColumnEvidence) -> float:
    """Address lines that no street pattern caught: numbers with words, or unit words ("Suite 200")."""
    if evidence.is_text:
        return 0.0
    return _share(
        evidence,
        lambda v: (
            bool(_UNIT_WORDS.search(v))
            or (any(ch.isdigit() for ch in v) and bool(_HAS_LETTER.search(v)) and 2 <= len(v.split()) <= 10)
        ),
    )


def label_like(evidence: ColumnEvidence) -> float:
    if evidence.is_text:
        return 0.0
    return _share(evidence, lambda v: bool(_HAS_LETTER.search(v)) and len(v.split()) <= 10)


def url_like(evidence: ColumnEvidence) -> float:
    pattern = evidence.patterns.get("URL")
    return pattern.rate if pattern else 0.0


def blob_like(evidence: ColumnEvidence) -> float:
    """Binary content, file paths, URLs or long encoded strings (photos, biometric templates)."""
    sample = evidence.sample
    binary = sample.skipped.get("binary (not UTF-8) value", 0)
    rows = sample.n_text + binary
    if not rows:
        return 0.0
    textual = _share(evidence, lambda v: bool(_URL_OR_PATH.search(v)) or (len(v) >= 64 and " " not in v))
    return (binary + textual * sample.n_text) / rows


def text_like(evidence: ColumnEvidence) -> float:
    return 1.0 if evidence.is_text else 0.0


def name_like(evidence: ColumnEvidence) -> float:
    return evidence.names.shaped if evidence.names else 0.0


DOMAINS: dict[str, Callable[[ColumnEvidence], float]] = {
    "any": any_values,
    "code": code_like,
    "phone": phone_like,
    "zip": zip_like,
    "age": age_like,
    "year": year_like,
    "date": date_like,
    "coordinate": coordinate_like,
    "categorical": categorical,
    "place": place_like,
    "address": address_like,
    "label": label_like,
    "url": url_like,
    "blob": blob_like,
    "text": text_like,
    "name": name_like,
}


def domain_fit(domain: str, evidence: ColumnEvidence) -> float:
    """Share of sampled rows that fit ``domain``."""
    return DOMAINS[domain](evidence)

"""Date formats presidio's DateRecognizer misses (ISO with a space before the time, month names).

Whether a date is tied to a person (birth, death, admission, discharge, ...) is decided by
column-name context in the classifier, not by the format.
"""

from __future__ import annotations

from .spec import PatternSpec

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)

DATE = PatternSpec(
    name="DateFormatRecognizer",
    entity="DATE",
    patterns=(
        (
            "ISO date-time",
            r"\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
            0.6,
        ),
        ("ISO date", r"\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b", 0.6),
        ("Month day, year", r"\b" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b", 0.6),
        ("Day month year", r"\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"\.?,?\s+\d{4}\b", 0.6),
        ("US date", r"\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:\d{4}|\d{2})\b", 0.5),
        ("EU date", r"\b(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])[./]\d{4}\b", 0.5),
    ),
    context=("date", "birth", "dob", "admission", "discharge", "death"),
)

SPECS = (DATE,)

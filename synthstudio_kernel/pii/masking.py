"""Masked examples: the only form in which a scanned value may appear in any output.

Letters keep the first character of each word, digits keep only their shape, separators stay::

    >>> mask_value("john.doe@example.com")
    'j***@e***.com'
    >>> mask_value("509-86-9654")
    '###-##-####'
    >>> mask_value("Maria Lopez")
    'M*** L***'
"""

from __future__ import annotations

import re

#: Longest masked example, in characters.
MAX_MASK_CHARS = 40
_TOKEN = re.compile(r"[^\W_]+|[\W_]", re.UNICODE)
_EMAIL = re.compile(r"^[^@\s]+@([^@\s]+)\.([A-Za-z]{2,6})$")


def _mask_token(token: str) -> str:
    if not token[0].isalnum():
        return " " if token.isspace() else token
    if token.isdigit():
        return "#" * len(token)
    if token.isalpha():
        return token[0] + "***"
    head = token[0] if token[0].isalpha() else "#"
    return head + "*" * min(len(token) - 1, 8)


def mask_value(value: object) -> str:
    """A masked form of ``value`` that keeps its shape but not its content."""
    text = str(value).strip()
    if not text:
        return ""
    email = _EMAIL.match(text)
    if email:
        domain, tld = email.group(1), email.group(2)
        return f"{text[0]}***@{domain[0]}***.{tld.lower()}"
    masked = "".join(_mask_token(t) for t in _TOKEN.findall(text))
    masked = re.sub(r"\s+", " ", masked)
    return masked if len(masked) <= MAX_MASK_CHARS else masked[:MAX_MASK_CHARS] + "…"


def masked_examples(values: list[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` distinct masked examples."""
    out: list[str] = []
    for value in values:
        masked = mask_value(value)
        if masked and masked not in out:
            out.append(masked)
        if len(out) >= limit:
            break
    return out

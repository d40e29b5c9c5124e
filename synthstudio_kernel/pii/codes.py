"""Clinical and commercial code systems: values that describe care or trade, not a person.

A 9-digit SNOMED CT concept id has the shape of a US Social Security number, a 10-digit NDC
that of a phone number. Before such shapes count as identifiers, a column is checked against
the code systems below, by value (check digits and formats) and by context (the column name).
A registry: add a system with :func:`register_code_system`.

>>> verhoeff_valid("185345009")
True
>>> snomed_valid("44054006"), snomed_valid("123456789")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .context import tokens
from .evidence import ColumnEvidence

# Verhoeff tables (dihedral group D5)
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)  # fmt: skip
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)  # fmt: skip


def verhoeff_valid(value: str) -> bool:
    """The Verhoeff check digit (the last digit) of a string of digits is right."""
    if not value.isdigit():
        return False
    check = 0
    for i, ch in enumerate(reversed(value)):
        check = _D[check][_P[i % 8][int(ch)]]
    return check == 0


#: SNOMED CT partition identifiers: concept, description, relationship (short and namespaced form).
_SNOMED_PARTITIONS = frozenset({"00", "01", "02", "10", "11", "12"})


def snomed_valid(value: str) -> bool:
    """A SNOMED CT identifier: 6 to 18 digits, no leading zero, a partition id and a Verhoeff check digit."""
    text = value.strip()
    return (
        6 <= len(text) <= 18
        and text.isdigit()
        and text[0] != "0"
        and text[-3:-1] in _SNOMED_PARTITIONS
        and verhoeff_valid(text)
    )


def loinc_valid(value: str) -> bool:
    """A LOINC code ``NNNNN-C`` whose check digit (mod 10, Luhn-like on the number) is right."""
    match = re.fullmatch(r"\s*(\d{1,7})-(\d)\s*", value)
    if match is None:
        return False
    number, check = match.group(1), int(match.group(2))
    total = 0
    for i, ch in enumerate(reversed(number)):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit // 10 + digit % 10
    return (10 - total % 10) % 10 == check


_ICD10 = re.compile(r"\s*[A-TV-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?\s*", re.IGNORECASE)
_ICD9 = re.compile(r"\s*(?:\d{3}(?:\.\d{1,2})?|[EV]\d{2,3}(?:\.\d{1,2})?)\s*", re.IGNORECASE)
_CPT = re.compile(r"\s*\d{4}[0-9FTU]\s*")
_HCPCS = re.compile(r"\s*[A-V]\d{4}\s*", re.IGNORECASE)
_NDC = re.compile(r"\s*(?:\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2}|\d{10,11})\s*")


@dataclass(frozen=True)
class CodeSystem:
    """A code system: name, the name tokens that announce it, and a per-value check.

    ``self_evident`` systems (with a check digit) are recognized by value alone; the others
    need the column's name to mention them or a code.
    """

    name: str
    words: frozenset[str]
    check: Callable[[str], bool]
    self_evident: bool = False


CODE_SYSTEMS: dict[str, CodeSystem] = {}


def register_code_system(system: CodeSystem) -> CodeSystem:
    """Add or replace a code system."""
    CODE_SYSTEMS[system.name] = system
    return system


for _system in (
    CodeSystem("SNOMED CT", frozenset({"snomed", "sct", "sctid", "concept"}), snomed_valid, self_evident=True),
    CodeSystem("LOINC", frozenset({"loinc"}), loinc_valid, self_evident=True),
    CodeSystem("ICD-10", frozenset({"icd", "icd10", "dx", "diagnosis", "diag"}), lambda v: bool(_ICD10.fullmatch(v))),
    CodeSystem("ICD-9", frozenset({"icd9"}), lambda v: bool(_ICD9.fullmatch(v))),
    CodeSystem("CPT / HCPCS", frozenset({"cpt", "hcpcs", "procedure", "px"}), lambda v: bool(_CPT.fullmatch(v) or _HCPCS.fullmatch(v))),
    CodeSystem("NDC", frozenset({"ndc", "drug", "medication", "rxnorm", "rxcui"}), lambda v: bool(_NDC.fullmatch(v))),
):  # fmt: skip
    register_code_system(_system)
del _system

#: Name tokens that say a column holds codes of some classification (not a person's number).
CODE_WORDS = frozenset(
    {"code", "codes", "cd", "reasoncode", "morphology", "specimen", "mcc", "naics", "sic", "taxonomy", "drg"}
)
#: ...unless the name also says whose number it is.
_PERSONAL_WORDS = frozenset({"ssn", "social", "security", "tax", "tin", "phone", "telephone", "fax", "zip", "postal"})

#: Share of sampled rows a code system must fit.
MIN_CODE_SHARE = 0.9


def _share(evidence: ColumnEvidence, check: Callable[[str], bool]) -> float:
    sample = evidence.sample
    total = sample.n_text
    if not total:
        return 0.0
    passed = sum(count for value, count in zip(sample.values, sample.counts, strict=True) if check(value.strip()))
    return passed / total


def code_system(evidence: ColumnEvidence) -> tuple[str, float] | None:
    """``(system, share of sampled rows that fit it)`` when the column holds codes, else None.

    A self-evident system (check digit) needs :data:`MIN_CODE_SHARE` of the values; any other
    needs the column's name to name it or to say "code", and the same share of fitting values.
    """
    if evidence.is_text or not evidence.sample.n_text:
        return None
    words = set(tokens(evidence.sample.name))
    if words & _PERSONAL_WORDS:
        return None
    named_code = bool(words & CODE_WORDS)
    best: tuple[str, float] | None = None
    for system in CODE_SYSTEMS.values():
        if not (system.self_evident or named_code or words & system.words):
            continue
        share = _share(evidence, system.check)
        if share >= MIN_CODE_SHARE and (best is None or share > best[1]):
            best = (system.name, share)
    return best

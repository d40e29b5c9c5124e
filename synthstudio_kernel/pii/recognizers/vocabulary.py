"""Categorical vocabularies: gender, race/ethnicity, marital status, household relationship,
education, religion, US states, countries; and organization-name endings.

A value belongs to a vocabulary when one of its tokens is a key word of that vocabulary
(so "single male" is both a marital status and a gender). Rates are row-weighted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


_WORDS = re.compile(r"[a-z]+")

#: entity -> key words. Single letters count only when the whole value is that letter.
VOCABULARIES: dict[str, frozenset[str]] = {
    "GENDER": _wordset(
        "male female man woman men women boy girl nonbinary binary transgender trans intersex agender genderqueer m f"
    ),
    "RACE": _wordset(
        "white black asian hispanic latino latina latinx caucasian african afro eskimo islander pacific "
        "hawaiian alaska alaskan aboriginal multiracial biracial mixed arab mestizo amer indian native "
        "ethnicity chinese korean japanese filipino vietnamese"
    ),
    "MARITAL_STATUS": _wordset(
        "married single divorced widowed widow widower separated unmarried partnered cohabiting engaged "
        "civ nevermarried"
    ),
    "RELATIONSHIP": _wordset(
        "husband wife spouse child parent father mother son daughter sibling brother sister relative "
        "grandchild grandparent dependent"
    ),
    "EDUCATION": _wordset(
        "bachelors bachelor masters master doctorate phd highschool hs grad school college assoc associate "
        "degree diploma preschool elementary primary secondary university graduate undergraduate ged"
    ),
    "RELIGION": _wordset(
        "christian catholic protestant muslim islam jewish judaism hindu hinduism buddhist buddhism sikh "
        "atheist agnostic orthodox baptist methodist lutheran mormon religious"
    ),
}

US_STATES: frozenset[str] = _wordset(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho "
    "illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota "
    "mississippi missouri montana nebraska nevada newhampshire newjersey newmexico newyork northcarolina "
    "northdakota ohio oklahoma oregon pennsylvania rhodeisland southcarolina southdakota tennessee texas "
    "utah vermont virginia washington westvirginia wisconsin wyoming districtofcolumbia puertorico "
    "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd "
    "oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr"
)

ORGANIZATION_ENDING = re.compile(
    r"\b(?:inc|incorporated|llc|l\.l\.c|llp|lp|ltd|limited|corp|corporation|company|co|gmbh|ag|sa|plc|bv|nv|"
    r"group|holdings|hospital|hospitals|clinic|clinics|medical center|health system|healthcare|health|"
    r"university|college|foundation|associates|partners|pharmacy|laboratories|labs|bank|services|systems|"
    r"solutions|institute|center|centre|practice|physicians|medical group|insurance|trust|society)\.?$",
    re.IGNORECASE,
)


#: Partnership-style firm names: "Love, Aguirre and Hall", "Smith & Jones".
FIRM_NAME = re.compile(r"[A-Z][\w'-]+(?:, [A-Z][\w'-]+)* (?:and|&) [A-Z][\w'-]+")


def _words(value: str) -> list[str]:
    return _WORDS.findall(value.lower())


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Country names (compacted, lower case) from Faker's address provider, loaded on first use."""
    try:
        from faker.providers.address.en_US import Provider

        names = {re.sub(r"[^a-z]", "", str(c).lower()) for c in Provider.countries}
    except ImportError:  # pragma: no cover - faker is a dependency
        names = set()
    names |= {"unitedstates", "usa", "us", "uk", "unitedkingdom", "england", "scotland", "wales", "holand",
              "holandnetherlands", "southkorea", "northkorea", "outlyingusguamusvietc", "trinadadtobago",
              "columbia", "hong", "iran", "laos", "vietnam", "russia", "yugoslavia"}  # fmt: skip
    return frozenset(names)


def vocabulary_rates(values: Sequence[str], counts: Sequence[int]) -> dict[str, float]:
    """Row-weighted share of values that belong to each vocabulary (only non-zero rates)."""
    total = float(sum(counts)) or 1.0
    hits: dict[str, float] = {}
    countries = country_names()
    for value, count in zip(values, counts, strict=True):
        if len(value) > 60:
            continue
        words = _words(value)
        if not words:
            continue
        compact = "".join(words)
        for entity, vocab in VOCABULARIES.items():
            if len(words) == 1 and len(words[0]) == 1:
                matched = entity == "GENDER" and words[0] in vocab
            else:
                matched = any(w in vocab for w in words if len(w) > 1) or compact in vocab
            if matched:
                hits[entity] = hits.get(entity, 0.0) + count
        if compact in US_STATES:
            hits["STATE"] = hits.get("STATE", 0.0) + count
        if compact in countries:
            hits["COUNTRY"] = hits.get("COUNTRY", 0.0) + count
        if (len(value.split()) >= 2 and ORGANIZATION_ENDING.search(value.strip())) or FIRM_NAME.fullmatch(
            value.strip()
        ):
            hits["ORGANIZATION"] = hits.get("ORGANIZATION", 0.0) + count
    return {entity: n / total for entity, n in hits.items()}

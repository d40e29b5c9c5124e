"""What we know about each entity type: identifier class, HIPAA identifier, how it is detected,
and what to do with a column of it. A registry: add an entity with :func:`register_entity`.

Identifier classes: ``direct`` identifies a person on its own (name, SSN, email, record key);
``quasi`` identifies in combination (age, gender, race, ZIP, dates, marital status, ...);
``none`` is not an identifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Identifier = Literal["direct", "quasi", "none"]
ACTIONS: tuple[str, ...] = ("drop", "pseudonymize", "generalize", "synthesize", "keep")


class Evidence(StrEnum):
    """How a column of this entity is recognized."""

    PATTERN = "pattern"  # value formats (presidio and ours); weak formats need name context
    DICTIONARY = "dictionary"  # person names from Faker's name lists
    VOCABULARY = "vocabulary"  # categorical word lists (gender, race, ...)
    CONTEXT = "context"  # the column name, with a check that the values fit
    KEY = "key"  # record keys: distinct values on (nearly) every row
    TEXT = "text"  # free text: entities counted inside it


@dataclass(frozen=True)
class EntitySpec:
    """One entity type."""

    name: str
    label: str
    identifier: Identifier
    hipaa: str | None  # key into hipaa.BY_KEY
    action: str  # default recommendation
    reason: str  # why that action, for a column of this entity
    evidence: Evidence
    domain: str = "any"  # value check the classifier applies when the name suggests this entity
    generalizer: str | None = None  # key into apply.GENERALIZERS


ENTITIES: dict[str, EntitySpec] = {}


def register_entity(spec: EntitySpec) -> EntitySpec:
    """Add or replace an entity type."""
    ENTITIES[spec.name] = spec
    return spec


def entity_spec(name: str) -> EntitySpec:
    """The spec of ``name`` (KeyError for unknown names)."""
    return ENTITIES[name]


_DROP = "identifies a person directly; drop the column (synthetic data does not need it)."
_HASH = "a key that links rows to a person; replace it with a salted hash so joins still work."
_SYN = "a quasi-identifier: keep its distribution, but release only DP-synthesized values."
_DATE_DIRECT = (
    "Safe Harbor (C) removes every element of the date but the year: generalize it to the year "
    "(the year alone is then a quasi-identifier)."
)

E = Evidence
for _spec in (
    EntitySpec("PERSON_NAME", "person name", "direct", "names", "drop", _DROP, E.DICTIONARY, "name"),
    EntitySpec("USERNAME", "user name / login", "direct", "other_unique", "pseudonymize", _HASH, E.CONTEXT, "code"),
    EntitySpec("EMAIL", "email address", "direct", "email", "drop", _DROP, E.PATTERN),
    EntitySpec("PHONE", "telephone number", "direct", "telephone", "drop", _DROP, E.PATTERN, "phone"),
    EntitySpec("FAX", "fax number", "direct", "fax", "drop", _DROP, E.CONTEXT, "phone"),
    EntitySpec("US_SSN", "US Social Security number", "direct", "ssn", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("US_ITIN", "US taxpayer identification number", "direct", "other_unique", "drop", _DROP, E.PATTERN),
    EntitySpec("TAX_ID", "tax identifier", "direct", "other_unique", "drop", _DROP, E.CONTEXT, "code"),
    EntitySpec("UK_NINO", "UK National Insurance number", "direct", "other_unique", "drop", _DROP, E.PATTERN),
    EntitySpec("UK_NHS", "UK NHS number", "direct", "mrn", "pseudonymize", _HASH, E.PATTERN, "code"),
    EntitySpec("PASSPORT", "passport number", "direct", "license", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("DRIVER_LICENSE", "driver's licence number", "direct", "license", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("LICENSE_NUMBER", "certificate / licence number", "direct", "license", "drop", _DROP, E.CONTEXT, "code"),
    EntitySpec(
        "MEDICAL_LICENSE", "medical licence (DEA) number", "direct", "license", "drop", _DROP, E.PATTERN, "code"
    ),
    EntitySpec("CREDIT_CARD", "payment card number", "direct", "account", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("IBAN", "IBAN", "direct", "account", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("BANK_ACCOUNT", "bank account number", "direct", "account", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("CRYPTO_WALLET", "crypto wallet address", "direct", "account", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("ADDRESS", "street address", "direct", "geographic", "drop", _DROP, E.PATTERN, "address"),
    EntitySpec(
        "GEO_COORDINATE",
        "geographic coordinate",
        "direct",
        "geographic",
        "drop",
        "pinpoints where a person is; drop it (or generalize: round to 1 decimal, about 11 km).",
        E.PATTERN,
        "coordinate",
        "round_coordinate",
    ),
    EntitySpec("IP_ADDRESS", "IP address", "direct", "ip", "drop", _DROP, E.PATTERN),
    EntitySpec("MAC_ADDRESS", "MAC address", "direct", "device", "drop", _DROP, E.PATTERN),
    EntitySpec("URL", "web URL", "direct", "url", "drop", _DROP, E.PATTERN, "url"),
    EntitySpec(
        "DEVICE_ID", "device identifier / serial number", "direct", "device", "pseudonymize", _HASH, E.CONTEXT, "code"
    ),
    EntitySpec("VIN", "vehicle identification number", "direct", "vehicle", "drop", _DROP, E.PATTERN, "code"),
    EntitySpec("LICENSE_PLATE", "licence plate", "direct", "vehicle", "drop", _DROP, E.CONTEXT, "code"),
    EntitySpec(
        "MEDICAL_RECORD_NUMBER", "medical record number", "direct", "mrn", "pseudonymize", _HASH, E.PATTERN, "code"
    ),
    EntitySpec(
        "HEALTH_PLAN_ID",
        "health plan beneficiary number",
        "direct",
        "health_plan",
        "pseudonymize",
        _HASH,
        E.PATTERN,
        "code",
    ),
    EntitySpec(
        "NPI", "National Provider Identifier", "direct", "other_unique", "pseudonymize", _HASH, E.PATTERN, "code"
    ),
    EntitySpec("ID", "record identifier", "direct", "other_unique", "pseudonymize", _HASH, E.KEY, "code"),
    EntitySpec("BIOMETRIC", "biometric identifier", "direct", "biometric", "drop", _DROP, E.CONTEXT, "blob"),
    EntitySpec("PHOTO", "photograph / image", "direct", "photo", "drop", _DROP, E.CONTEXT, "blob"),
    EntitySpec(
        "DATE_OF_BIRTH",
        "date of birth",
        "direct",
        "dates",
        "generalize",
        _DATE_DIRECT,
        E.CONTEXT,
        "date",
        "year",
    ),
    EntitySpec(
        "DATE_OF_DEATH",
        "date of death",
        "direct",
        "dates",
        "generalize",
        _DATE_DIRECT,
        E.CONTEXT,
        "date",
        "year",
    ),
    EntitySpec(
        "PERSON_DATE",
        "date tied to a person (admission, discharge, visit, ...)",
        "quasi",
        "dates",
        "generalize",
        "a quasi-identifier; Safe Harbor keeps only the year.",
        E.CONTEXT,
        "date",
        "year",
    ),
    EntitySpec(
        "DATE",
        "date",
        "quasi",
        "dates",
        "generalize",
        "dates in person-level records are quasi-identifiers; Safe Harbor keeps only the year.",
        E.PATTERN,
        "date",
        "year",
    ),
    EntitySpec(
        "BIRTH_YEAR",
        "year of birth",
        "quasi",
        None,
        "synthesize",
        _SYN + " (Safe Harbor allows the year, but not years implying an age over 89.)",
        E.CONTEXT,
        "year",
    ),
    EntitySpec(
        "AGE",
        "age",
        "quasi",
        "dates",
        "synthesize",
        _SYN,
        E.CONTEXT,
        "age",
        "age_band",
    ),
    EntitySpec(
        "ZIP_CODE",
        "ZIP / postal code",
        "quasi",
        "geographic",
        "generalize",
        "a quasi-identifier; Safe Harbor keeps only the first 3 ZIP digits (000 where fewer than 20,000 people live).",
        E.PATTERN,
        "zip",
        "zip3",
    ),
    EntitySpec(
        "CITY",
        "city",
        "quasi",
        "geographic",
        "drop",
        "a geographic unit smaller than a state: Safe Harbor removes it; drop it (or keep it only for DP synthesis).",
        E.CONTEXT,
        "place",
    ),
    EntitySpec(
        "COUNTY",
        "county",
        "quasi",
        "geographic",
        "drop",
        "a geographic unit smaller than a state: Safe Harbor removes it; drop it (or keep it only for DP synthesis).",
        E.CONTEXT,
        "place",
    ),
    EntitySpec("STATE", "state / province", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "place"),
    EntitySpec("COUNTRY", "country", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "place"),
    EntitySpec("NATIONALITY", "nationality / native country", "quasi", None, "synthesize", _SYN, E.CONTEXT, "place"),
    EntitySpec("GEO_REGION", "region", "quasi", None, "synthesize", _SYN, E.CONTEXT, "categorical"),
    EntitySpec("GENDER", "gender / sex", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "categorical"),
    EntitySpec("RACE", "race / ethnicity", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "categorical"),
    EntitySpec("MARITAL_STATUS", "marital status", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "categorical"),
    EntitySpec(
        "RELATIONSHIP", "household relationship", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "categorical"
    ),
    EntitySpec("EDUCATION", "education", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "categorical"),
    EntitySpec("RELIGION", "religion", "quasi", None, "synthesize", _SYN, E.VOCABULARY, "categorical"),
    EntitySpec("LANGUAGE", "language", "quasi", None, "synthesize", _SYN, E.CONTEXT, "categorical"),
    EntitySpec("OCCUPATION", "occupation", "quasi", None, "synthesize", _SYN, E.CONTEXT, "categorical"),
    EntitySpec(
        "ORGANIZATION",
        "organization (employer, provider, payer)",
        "quasi",
        None,
        "synthesize",
        "names an organization: not personal by itself, but narrows down who a row is about.",
        E.VOCABULARY,
        "label",
    ),
    EntitySpec(
        "DATE_YEAR",
        "year of a date tied to a person (birth, death, admission, ...)",
        "quasi",
        None,
        "synthesize",
        _SYN + " (Safe Harbor allows the year, but not years implying an age over 89.)",
        E.CONTEXT,
        "year",
    ),
    EntitySpec(
        "RELATED_KEY",
        "key of a related party (provider, payer, organization, merchant)",
        "quasi",
        None,
        "synthesize",
        "a key of a provider, payer or organization, not of the person: not a Safe Harbor identifier of "
        "the individual, but it narrows down who a row is about.",
        E.KEY,
        "code",
    ),
    EntitySpec(
        "SURROGATE_KEY",
        "surrogate key (pseudonym written by apply)",
        "none",
        None,
        "keep",
        "a pseudonym that apply() wrote in place of a key, from a random secret that was not kept: it "
        "links the table's rows but cannot be traced back to the original key. Synthesizers do not learn keys.",
        E.KEY,
        "code",
    ),
    EntitySpec(
        "LINKABLE_SURROGATE_KEY",
        "linkable pseudonym (keyed hash written by apply)",
        "quasi",
        None,
        "keep",
        "a pseudonym that apply() wrote with a salt you hold: the same key gives the same pseudonym in other "
        "tables, so whoever holds the salt can link rows. Keep the salt secret (HIPAA 164.514(c)).",
        E.KEY,
        "code",
    ),
    EntitySpec(
        "FREE_TEXT",
        "free text",
        "none",
        None,
        "keep",
        "free text; no identifiers found in the sampled rows.",
        E.TEXT,
        "text",
    ),
):
    register_entity(_spec)
del _spec

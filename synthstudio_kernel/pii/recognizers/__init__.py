"""Recognizers of our own, next to presidio's.

This package's ``__init__`` stays light: the presidio-facing classes live in :mod:`.build`,
which only the engine imports. Pure helpers (checksums, name dictionary, vocabularies,
pattern specs) import neither presidio nor Faker at module level.

presidio entity names are mapped to ours by :data:`PRESIDIO_ENTITIES`.
"""

from __future__ import annotations

#: presidio entity type -> our canonical entity.
PRESIDIO_ENTITIES: dict[str, str] = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "IP_ADDRESS": "IP_ADDRESS",
    "MAC_ADDRESS": "MAC_ADDRESS",
    "URL": "URL",
    "UUID": "ID",
    "DATE_TIME": "DATE",
    "US_ITIN": "US_ITIN",
    "US_MBI": "HEALTH_PLAN_ID",
    "UK_NHS": "UK_NHS",
    "MEDICAL_LICENSE": "MEDICAL_LICENSE",
}


def canonical_entity(presidio_entity: str) -> str:
    """Our name for a presidio (or our own) entity type."""
    return PRESIDIO_ENTITIES.get(presidio_entity, presidio_entity)

"""The 18 HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)(i)) as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HipaaIdentifier:
    """One Safe Harbor identifier: its number in the rule, a short key and its wording."""

    number: int
    key: str
    name: str
    rule: str

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "key": self.key, "name": self.name, "rule": self.rule}


SAFE_HARBOR: tuple[HipaaIdentifier, ...] = (
    HipaaIdentifier(1, "names", "Names", "Remove names of the individual, relatives, employers and household members."),
    HipaaIdentifier(
        2,
        "geographic",
        "Geographic subdivisions smaller than a state",
        "Remove street address, city, county, precinct and ZIP code; the first 3 ZIP digits may stay "
        "when their area holds more than 20,000 people (else use 000).",
    ),
    HipaaIdentifier(
        3,
        "dates",
        "Dates (except year) related to an individual; ages over 89",
        "Keep only the year of birth, admission, discharge and death dates; aggregate ages over 89 "
        "into one category of 90 or older.",
    ),
    HipaaIdentifier(4, "telephone", "Telephone numbers", "Remove telephone numbers."),
    HipaaIdentifier(5, "fax", "Fax numbers", "Remove fax numbers."),
    HipaaIdentifier(6, "email", "Email addresses", "Remove email addresses."),
    HipaaIdentifier(7, "ssn", "Social Security numbers", "Remove Social Security numbers."),
    HipaaIdentifier(8, "mrn", "Medical record numbers", "Remove medical record numbers."),
    HipaaIdentifier(9, "health_plan", "Health plan beneficiary numbers", "Remove health plan beneficiary numbers."),
    HipaaIdentifier(10, "account", "Account numbers", "Remove account numbers."),
    HipaaIdentifier(11, "license", "Certificate/license numbers", "Remove certificate and license numbers."),
    HipaaIdentifier(
        12,
        "vehicle",
        "Vehicle identifiers and serial numbers, including license plates",
        "Remove vehicle identifiers, serial numbers and license plates.",
    ),
    HipaaIdentifier(
        13, "device", "Device identifiers and serial numbers", "Remove device identifiers and serial numbers."
    ),
    HipaaIdentifier(14, "url", "Web URLs", "Remove web universal resource locators."),
    HipaaIdentifier(15, "ip", "IP addresses", "Remove internet protocol addresses."),
    HipaaIdentifier(
        16, "biometric", "Biometric identifiers", "Remove biometric identifiers such as finger and voice prints."
    ),
    HipaaIdentifier(
        17,
        "photo",
        "Full-face photographs and comparable images",
        "Remove full-face photographs and comparable images.",
    ),
    HipaaIdentifier(
        18,
        "other_unique",
        "Any other unique identifying number, characteristic or code",
        "Remove any other unique identifying number, characteristic or code (a re-identification "
        "code of your own may stay if it is not derived from the individual's information).",
    ),
)

BY_NUMBER: dict[int, HipaaIdentifier] = {h.number: h for h in SAFE_HARBOR}
BY_KEY: dict[str, HipaaIdentifier] = {h.key: h for h in SAFE_HARBOR}

#: 3-digit ZIP prefixes whose area had 20,000 people or fewer (2000 census, per HHS guidance):
#: Safe Harbor requires them to be replaced by "000".
RESTRICTED_ZIP3: frozenset[str] = frozenset(
    {
        "036",
        "059",
        "063",
        "102",
        "203",
        "556",
        "692",
        "790",
        "821",
        "823",
        "830",
        "831",
        "878",
        "879",
        "884",
        "890",
        "893",
    }
)

#: Ages above this are aggregated into one "90+" category.
MAX_SAFE_HARBOR_AGE = 89


def hipaa_identifier(key: str | None) -> HipaaIdentifier | None:
    """The Safe Harbor identifier with this key, or None."""
    return BY_KEY.get(key) if key else None

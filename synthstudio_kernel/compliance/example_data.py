"""A small, fully synthetic healthcare table for examples and tests (Faker, seeded).

No real person is in it: names, SSNs, addresses and dates come from Faker; diagnoses and
charges from fixed lists and simple distributions. ``HEALTHCARE_PUBLIC`` declares the public
metadata (bounds and category sets) that DP training needs for the columns left after the
PII scan's advice has been applied.
"""

from __future__ import annotations

import random
from typing import Any

import pandas as pd

DIAGNOSES = ("hypertension", "type 2 diabetes", "asthma", "pneumonia", "fracture", "migraine")
PAYERS = ("medicare", "medicaid", "private", "self-pay")

#: Public metadata for DP training on the cleaned table (declared, not read from the rows).
HEALTHCARE_PUBLIC: dict[str, Any] = {
    "public_bounds": {"age": (0, 100), "length_of_stay": (1, 30), "charges": (0, 60_000), "dob": (1920, 2026)},
    "categories": {"sex": ["F", "M"], "diagnosis": list(DIAGNOSES), "payer": list(PAYERS)},
}


def healthcare_table(n: int = 600, seed: int = 7) -> pd.DataFrame:
    """Patients with direct identifiers (name, SSN, MRN, phone, date of birth), quasi-identifiers
    (age, sex, ZIP) and clinical columns (diagnosis, length of stay, charges, payer)."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        born = fake.date_of_birth(minimum_age=18, maximum_age=88)
        dx = rng.randrange(len(DIAGNOSES))
        stay = max(1, min(30, int(rng.expovariate(1 / (2 + dx)))))
        rows.append(
            {
                "patient_id": f"P{200000 + i}",
                "name": fake.name(),
                "ssn": fake.ssn(),
                "phone": fake.phone_number(),
                "dob": born.isoformat(),
                "age": 2026 - born.year,
                "sex": rng.choice(["F", "M"]),
                "zip": fake.zipcode(),
                "diagnosis": DIAGNOSES[dx],
                "length_of_stay": stay,
                "charges": round(min(59_000.0, stay * rng.uniform(900, 2_000)), 2),
                "payer": rng.choice(PAYERS),
            }
        )
    return pd.DataFrame(rows)

"""Synthetic test tables made with Faker (seeded): patients, providers, bank customers."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

DIAGNOSES = (
    "chest pain",
    "type 2 diabetes, follow-up",
    "community acquired pneumonia",
    "fractured left wrist after a fall",
    "hypertension, medication review",
    "acute appendicitis",
    "migraine with aura",
)
ICD10 = ("I20.9", "E11.9", "J18.9", "S62.10", "I10", "K35.80", "G43.109")
RACES = ("White", "Black or African American", "Asian", "Hispanic or Latino", "American Indian or Alaska Native")


def patient_table(n: int = 300, seed: int = 7) -> pd.DataFrame:
    """Patients with names, DOB, MRN, phones, NPIs, addresses, ZIP, admission dates and notes."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        first, last = fake.first_name(), fake.last_name()
        admitted = fake.date_time_between(start_date="-3y", end_date="-10d")
        stay = rng.randint(1, 14)
        doctor = f"Dr. {fake.first_name()} {fake.last_name()}"
        dx = rng.randrange(len(DIAGNOSES))
        note = (
            f"{first} {last} admitted on {admitted:%m/%d/%Y} with {DIAGNOSES[dx]}. Seen by {doctor}. "
            f"Call back at {fake.phone_number()} if symptoms worsen."
            if rng.random() < 0.6
            else f"Patient stable, {DIAGNOSES[dx]}; discharge planned, no further imaging needed."
        )
        rows.append(
            {
                "patient_id": f"P{100000 + i}",
                "mrn": f"{rng.randrange(10**7, 10**8)}",
                "first_name": first,
                "last_name": last,
                "dob": fake.date_of_birth(minimum_age=0, maximum_age=95).isoformat(),
                "age": rng.randint(0, 95),
                "sex": rng.choice(["M", "F"]),
                "race": rng.choice(RACES),
                "phone": fake.phone_number(),
                "email": fake.email(),
                "address": fake.street_address(),
                "city": fake.city(),
                "state": fake.state_abbr(),
                "zip": fake.zipcode(),
                "latitude": float(fake.latitude()),
                "longitude": float(fake.longitude()),
                "ssn": fake.ssn(),
                "member_id": f"{fake.bothify('???#########').upper()}",
                "admission_date": admitted,
                "discharge_date": (admitted + pd.Timedelta(days=stay)).strftime("%Y-%m-%d %H:%M:%S"),
                "attending_physician": doctor,
                "npi": f"1{rng.randrange(10**8, 10**9)}",
                "provider_org": fake.company(),
                "diagnosis_code": ICD10[dx],
                "diagnosis_notes": note,
                "length_of_stay": stay,
                "total_charges": round(rng.lognormvariate(9, 0.8), 2),
            }
        )
    return pd.DataFrame(rows)


#: entity expected for each column of :func:`patient_table` (None: not sensitive).
PATIENT_EXPECTED: dict[str, str | None] = {
    "patient_id": "ID",
    "mrn": "MEDICAL_RECORD_NUMBER",
    "first_name": "PERSON_NAME",
    "last_name": "PERSON_NAME",
    "dob": "DATE_OF_BIRTH",
    "age": "AGE",
    "sex": "GENDER",
    "race": "RACE",
    "phone": "PHONE",
    "email": "EMAIL",
    "address": "ADDRESS",
    "city": "CITY",
    "state": "STATE",
    "zip": "ZIP_CODE",
    "latitude": "GEO_COORDINATE",
    "longitude": "GEO_COORDINATE",
    "ssn": "US_SSN",
    "member_id": "HEALTH_PLAN_ID",
    "admission_date": "PERSON_DATE",
    "discharge_date": "PERSON_DATE",
    "attending_physician": "PERSON_NAME",
    "npi": "NPI",
    "provider_org": "ORGANIZATION",
    "diagnosis_code": None,
    "diagnosis_notes": "FREE_TEXT",
    "length_of_stay": None,
    "total_charges": None,
}


def unnamed_columns_table(n: int = 300, seed: int = 11) -> pd.DataFrame:
    """Sensitive values under meaningless column names: only the values can give them away."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "c1": [fake.email() for _ in range(n)],
            "c2": [fake.ssn() for _ in range(n)],
            "c3": [fake.ipv4() for _ in range(n)],
            "c4": [fake.name() for _ in range(n)],
            "c5": [fake.iban() for _ in range(n)],
            "c6": [fake.credit_card_number() for _ in range(n)],
            "c7": [fake.mac_address() for _ in range(n)],
            "c8": [fake.uuid4() for _ in range(n)],
            "c9": rng.normal(size=n),
            "c10": rng.choice(["red", "green", "blue"], size=n),
            "c11": [fake.street_address() for _ in range(n)],
            "c12": [fake.url() for _ in range(n)],
        }
    )


UNNAMED_EXPECTED: dict[str, str | None] = {
    "c1": "EMAIL",
    "c2": "US_SSN",
    "c3": "IP_ADDRESS",
    "c4": "PERSON_NAME",
    "c5": "IBAN",
    "c6": "CREDIT_CARD",
    "c7": "MAC_ADDRESS",
    "c8": "ID",
    "c9": None,
    "c10": None,
    "c11": "ADDRESS",
    "c12": "URL",
}

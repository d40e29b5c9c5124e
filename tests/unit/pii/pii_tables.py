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


def synthea_style_patients(n: int = 250, seed: int = 5) -> pd.DataFrame:
    """Upper-case short column names and digit-suffixed names, as Synthea writes them."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        alive = rng.random() < 0.85
        rows.append(
            {
                "Id": fake.uuid4(),
                "BIRTHDATE": fake.date_of_birth(maximum_age=99).isoformat(),
                "DEATHDATE": None if alive else fake.date_between("-5y").isoformat(),
                "SSN": f"999-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                "DRIVERS": f"S999{rng.randint(10000, 99999)}" if rng.random() < 0.8 else None,
                "PASSPORT": f"X{rng.randint(10**7, 10**8 - 1)}X" if rng.random() < 0.7 else None,
                "PREFIX": rng.choice(["Mr.", "Mrs.", "Ms."]),
                "FIRST": f"{fake.first_name()}{rng.randint(10, 999)}",
                "LAST": f"{fake.last_name()}{rng.randint(10, 999)}",
                "MARITAL": rng.choice(["M", "S", None]),
                "RACE": rng.choice(["white", "black", "asian", "native", "other"]),
                "ETHNICITY": rng.choice(["hispanic", "nonhispanic"]),
                "GENDER": rng.choice(["M", "F"]),
                "BIRTHPLACE": f"{fake.city()} {fake.state()} US",
                "ADDRESS": fake.street_address(),
                "CITY": fake.city(),
                "STATE": fake.state(),
                "COUNTY": f"{fake.last_name()} County",
                "FIPS": rng.choice([25025, 25017, 25021, 25009, 25013]),
                "ZIP": fake.zipcode(),
                "LAT": float(fake.latitude()),
                "LON": float(fake.longitude()),
                "HEALTHCARE_EXPENSES": round(rng.uniform(1e3, 1e6), 2),
                "INCOME": rng.randint(10_000, 200_000),
            }
        )
    return pd.DataFrame(rows)


SYNTHEA_EXPECTED: dict[str, str | None] = {
    "Id": "ID",
    "BIRTHDATE": "DATE_OF_BIRTH",
    "DEATHDATE": "DATE_OF_DEATH",
    "SSN": "US_SSN",
    "DRIVERS": "DRIVER_LICENSE",
    "PASSPORT": "PASSPORT",
    "PREFIX": None,
    "FIRST": "PERSON_NAME",
    "LAST": "PERSON_NAME",
    "MARITAL": "MARITAL_STATUS",
    "RACE": "RACE",
    "ETHNICITY": "RACE",
    "GENDER": "GENDER",
    "BIRTHPLACE": "NATIONALITY",
    "ADDRESS": "ADDRESS",
    "CITY": "CITY",
    "STATE": "STATE",
    "COUNTY": "COUNTY",
    "FIPS": "COUNTY",
    "ZIP": "ZIP_CODE",
    "LAT": "GEO_COORDINATE",
    "LON": "GEO_COORDINATE",
    "HEALTHCARE_EXPENSES": None,
    "INCOME": None,
}


def provider_directory(n: int = 250, seed: int = 9) -> pd.DataFrame:
    """An NPPES-style provider file: people and organizations, long column names."""
    from faker import Faker

    from synthstudio_kernel.pii.recognizers.checksums import luhn_valid

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)

    def npi() -> str:
        while True:
            candidate = f"1{rng.randrange(10**8, 10**9)}"
            if luhn_valid("80840" + candidate):
                return candidate

    rows = []
    for _ in range(n):
        person = rng.random() < 0.7
        rows.append(
            {
                "NPI": npi(),
                "Entity Type Code": 1 if person else 2,
                "Provider Organization Name (Legal Business Name)": None if person else fake.company(),
                "Provider Last Name (Legal Name)": fake.last_name().upper() if person else None,
                "Provider First Name": fake.first_name().upper() if person else None,
                "Provider Credential Text": rng.choice(["M.D.", "MD", "D.O.", "NP", "PA-C"]) if person else None,
                "Provider First Line Business Mailing Address": fake.street_address().upper(),
                "Provider Business Mailing Address City Name": fake.city().upper(),
                "Provider Business Mailing Address State Name": fake.state_abbr(),
                "Provider Business Mailing Address Postal Code": f"{fake.zipcode()}{rng.randint(1000, 9999)}",
                "Provider Business Mailing Address Telephone Number": f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}",
                "Provider Enumeration Date": fake.date_between("-15y").strftime("%m/%d/%Y"),
                "Provider Gender Code": rng.choice(["M", "F"]) if person else None,
                "Healthcare Provider Taxonomy Code_1": rng.choice(["207Q00000X", "208D00000X", "363L00000X"]),
                "Provider License Number_1": f"{rng.randint(10000, 999999)}",
                "Provider License Number State Code_1": fake.state_abbr(),
            }
        )
    return pd.DataFrame(rows)


PROVIDER_EXPECTED: dict[str, str | None] = {
    "NPI": "NPI",
    "Entity Type Code": None,
    "Provider Organization Name (Legal Business Name)": "ORGANIZATION",
    "Provider Last Name (Legal Name)": "PERSON_NAME",
    "Provider First Name": "PERSON_NAME",
    "Provider Credential Text": None,
    "Provider First Line Business Mailing Address": "ADDRESS",
    "Provider Business Mailing Address City Name": "CITY",
    "Provider Business Mailing Address State Name": "STATE",
    "Provider Business Mailing Address Postal Code": "ZIP_CODE",
    "Provider Business Mailing Address Telephone Number": "PHONE",
    "Provider Enumeration Date": "DATE",
    "Provider Gender Code": "GENDER",
    "Healthcare Provider Taxonomy Code_1": None,
    "Provider License Number_1": "LICENSE_NUMBER",
    "Provider License Number State Code_1": "STATE",
}


def discharge_table(n: int = 2_000, seed: int = 3) -> pd.DataFrame:
    """A de-identified hospital discharge extract (SPARCS style): quasi-identifiers, no direct ones."""
    rng = np.random.default_rng(seed)
    facilities = {
        f"{i:07d}": f"{name} Hospital" for i, name in enumerate(["Mercy", "St Mary", "General", "Valley"], 101000)
    }
    ids = rng.choice(list(facilities), size=n)
    return pd.DataFrame(
        {
            "Health Service Area": rng.choice(["Western NY", "Central NY", "New York City"], size=n),
            "Hospital County": rng.choice(["Erie", "Kings", "Monroe", "Albany"], size=n),
            "Operating Certificate Number": ids,
            "Facility Name": [facilities[i] for i in ids],
            "Age Group": rng.choice(["0 to 17", "18 to 29", "30 to 49", "50 to 69", "70 or Older"], size=n),
            "Zip Code - 3 digits": rng.choice(["104", "112", "146", "OOS"], size=n),
            "Gender": rng.choice(["M", "F", "U"], size=n),
            "Race": rng.choice(["White", "Black/African American", "Other Race"], size=n),
            "Length of Stay": rng.integers(1, 30, size=n),
            "Type of Admission": rng.choice(["Emergency", "Elective", "Urgent"], size=n),
            "Discharge Year": 2016,
            "CCS Diagnosis Description": rng.choice(["SEPTICEMIA", "PNEUMONIA", "HEART FAILURE"], size=n),
            "Total Charges": rng.lognormal(9, 1, size=n).round(2),
        }
    )


DISCHARGE_QUASI = {"Age Group", "Zip Code - 3 digits", "Gender", "Race", "Hospital County"}

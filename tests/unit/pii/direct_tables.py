"""Labelled test tables for direct-identifier precision and recall (Faker, seeded).

Each builder returns ``(frame, direct)``: the table and the set of its columns that are direct
identifiers (Safe Harbor removals of the individual: names, contact details, national and
record numbers, keys naming the person, full dates of birth and death). Every other column is
not a direct identifier (quasi-identifiers, codes, measurements, keys of providers, payers and
organizations). The classes the scan once got wrong each appear in more than one table:
sparse columns (mostly empty, as NaN or as empty strings read from CSV), UUID foreign keys
naming the patient beside UUIDs of providers and payers, 9-digit clinical codes (SNOMED CT),
and dates of birth and death.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pandas as pd

#: Real SNOMED CT concept identifiers (Verhoeff check digit, partition 00), 6 to 9 digits and longer.
SNOMED = (
    "185345009", "162673000", "410620009", "185349003", "44054006", "38341003", "195662009", "10509002",
    "444814009", "72892002", "15777000", "271737000", "40055000", "59621000", "233678006", "49727002",
    "386661006", "68496003", "65363002", "230690007", "22298006", "53741008", "314529007", "160903007",
    "424393004", "73595000", "741062008", "66383009", "18718003", "361055000", "80583007", "43878008",
    "36971009", "239872002", "128613002", "703151001", "84757009", "275272006", "1121000119107",
    "162864005", "428251008", "430193006", "171207006", "710824005", "454711000124102",
)  # fmt: skip
LOINC = ("2345-7", "4548-4", "2093-3", "2571-8", "18262-6", "2085-9", "8302-2", "29463-7", "39156-5", "8867-4")
ICD10 = ("E11.9", "I10", "J06.9", "M54.5", "F41.1", "K21.9", "E78.5", "J45.909", "N39.0", "R51")
CPT = ("99213", "99214", "80053", "85025", "93000", "36415", "71046", "99395", "90471", "81002")
NDC = ("00093505601", "00378018001", "00071015523", "68180051301", "00781107001", "16729002001")
ENCOUNTER_CLASSES = ("wellness", "ambulatory", "outpatient", "emergency", "inpatient", "urgentcare")


def _faker(seed: int):  # type: ignore[no-untyped-def]
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def _sparse(rng: random.Random, value: object, fill: float, empty: object = None) -> object:
    return value if rng.random() < fill else empty


def synthea_encounters(n: int = 600, seed: int = 21) -> tuple[pd.DataFrame, set[str]]:
    """Encounters: UUID keys of the encounter, patient, provider, organization and payer."""
    fake, rng = _faker(seed), random.Random(seed)
    patients = [fake.uuid4() for _ in range(n // 5)]
    providers = [fake.uuid4() for _ in range(40)]
    organizations = [fake.uuid4() for _ in range(12)]
    payers = [fake.uuid4() for _ in range(8)]
    rows = []
    for _ in range(n):
        start = fake.date_time_between(start_date="-8y", end_date="-1d")
        code = rng.randrange(len(SNOMED))
        rows.append(
            {
                "Id": fake.uuid4(),
                "START": start.isoformat() + "Z",
                "STOP": (start + pd.Timedelta(minutes=rng.randint(15, 600))).isoformat() + "Z",
                "PATIENT": rng.choice(patients),
                "ORGANIZATION": rng.choice(organizations),
                "PROVIDER": rng.choice(providers),
                "PAYER": rng.choice(payers),
                "ENCOUNTERCLASS": rng.choice(ENCOUNTER_CLASSES),
                "CODE": int(SNOMED[code]) if len(SNOMED[code]) <= 9 else int(SNOMED[0]),
                "DESCRIPTION": rng.choice(["Encounter for symptom", "General examination", "Well child visit"]),
                "BASE_ENCOUNTER_COST": round(rng.uniform(50, 400), 2),
                "TOTAL_CLAIM_COST": round(rng.uniform(50, 4000), 2),
                "REASONCODE": _sparse(rng, float(SNOMED[rng.randrange(30)]), 0.25),
                "REASONDESCRIPTION": _sparse(rng, rng.choice(["Acute bronchitis", "Hypertension"]), 0.25),
            }
        )
    return pd.DataFrame(rows), {"Id", "PATIENT"}


def sparse_patients_csv(n: int = 500, seed: int = 22) -> tuple[pd.DataFrame, set[str]]:
    """Patients as read from a CSV with ``keep_default_na=False``: gaps are empty strings."""
    fake, rng = _faker(seed), random.Random(seed)
    rows = []
    for _ in range(n):
        female = rng.random() < 0.5
        rows.append(
            {
                "Id": fake.uuid4(),
                "BIRTHDATE": fake.date_of_birth(maximum_age=99).isoformat(),
                "DEATHDATE": _sparse(rng, fake.date_between("-5y").isoformat(), 0.1, ""),
                "SSN": fake.ssn(),
                "PREFIX": rng.choice(["Mr.", "Mrs.", "Ms.", ""]),
                "FIRST": fake.first_name_female() if female else fake.first_name_male(),
                "LAST": fake.last_name(),
                "SUFFIX": _sparse(rng, rng.choice(["Jr.", "Sr.", "III", "PhD", "MD"]), 0.04, ""),
                "MAIDEN": _sparse(rng, fake.last_name(), 0.12 if female else 0.0, ""),
                "MARITAL": rng.choice(["M", "S", "D", "W", ""]),
                "GENDER": "F" if female else "M",
                "ADDRESS": fake.street_address(),
                "CITY": fake.city(),
                "ZIP": _sparse(rng, fake.zipcode(), 0.8, ""),
                "HEALTHCARE_EXPENSES": f"{rng.uniform(1e3, 1e6):.2f}",
                "HEALTHCARE_COVERAGE": f"{rng.uniform(0, 1e5):.2f}",
            }
        )
    return pd.DataFrame(rows), {"Id", "BIRTHDATE", "DEATHDATE", "SSN", "FIRST", "LAST", "MAIDEN", "ADDRESS"}


def sparse_registry(n: int = 800, seed: int = 23) -> tuple[pd.DataFrame, set[str]]:
    """A disease registry with lower-case names; the death date and maiden name mostly NaN."""
    fake, rng = _faker(seed), random.Random(seed)
    rows = []
    for i in range(n):
        died = rng.random() < 0.08
        rows.append(
            {
                "registry_no": 500000 + i,
                "patient_name": fake.name(),
                "mothers_maiden_name": _sparse(rng, fake.last_name(), 0.06),
                "date_of_birth": pd.Timestamp(fake.date_of_birth(minimum_age=1, maximum_age=90)),
                "date_of_death": pd.Timestamp(fake.date_between("-3y")) if died else pd.NaT,
                "diagnosis_date": pd.Timestamp(fake.date_between("-10y")),
                "icd10": rng.choice(ICD10),
                "stage": rng.choice(["I", "II", "III", "IV"]),
                "snomed_morphology": int(rng.choice(SNOMED[:20])),
                "tumour_size_mm": round(rng.uniform(2, 80), 1),
                "county": f"{fake.last_name()} County",
                "sex": rng.choice(["male", "female"]),
                "vital_status": "dead" if died else "alive",
                "home_phone": _sparse(rng, fake.phone_number(), 0.3),
            }
        )
    return pd.DataFrame(rows), {"registry_no", "patient_name", "mothers_maiden_name", "date_of_birth",
                                "date_of_death", "home_phone"}  # fmt: skip


def lab_results(n: int = 700, seed: int = 24) -> tuple[pd.DataFrame, set[str]]:
    """Lab results keyed by a repeating patient UUID; LOINC and 9-digit SNOMED codes; lab UUIDs."""
    fake, rng = _faker(seed), random.Random(seed)
    subjects = [fake.uuid4() for _ in range(n // 7)]
    labs = [fake.uuid4() for _ in range(6)]
    return pd.DataFrame(
        {
            "subject_uuid": [rng.choice(subjects) for _ in range(n)],
            "performing_lab": [rng.choice(labs) for _ in range(n)],
            "loinc_code": [rng.choice(LOINC) for _ in range(n)],
            "specimen_snomed": [rng.choice(SNOMED[:9]) for _ in range(n)],
            "result_value": [round(rng.gauss(100, 25), 1) for _ in range(n)],
            "units": [rng.choice(["mg/dL", "mmol/L", "%"]) for _ in range(n)],
            "collected_at": [fake.date_time_between("-2y") for _ in range(n)],
            "abnormal_flag": [rng.choice(["H", "L", "N", ""]) for _ in range(n)],
        }
    ), {"subject_uuid"}


def claims(n: int = 600, seed: int = 25) -> tuple[pd.DataFrame, set[str]]:
    """Insurance claims: member ids repeat, provider NPIs, ICD-10 / CPT / NDC / SNOMED codes."""
    fake, rng = _faker(seed), random.Random(seed)
    members = [fake.bothify("???#########").upper() for _ in range(n // 4)]
    payers = [fake.uuid4() for _ in range(5)]
    return pd.DataFrame(
        {
            "claim_id": [f"CLM{rng.randrange(10**9, 10**10)}" for _ in range(n)],
            "member_id": [rng.choice(members) for _ in range(n)],
            "payer_id": [rng.choice(payers) for _ in range(n)],
            "service_date": [fake.date_between("-2y").isoformat() for _ in range(n)],
            "dx_code": [rng.choice(ICD10) for _ in range(n)],
            "procedure_code": [rng.choice(CPT) for _ in range(n)],
            "ndc": [rng.choice(NDC) for _ in range(n)],
            "snomed_code": [rng.choice(SNOMED[:25]) for _ in range(n)],
            "billed_amount": [round(rng.uniform(20, 5000), 2) for _ in range(n)],
            "allowed_amount": [round(rng.uniform(10, 3000), 2) for _ in range(n)],
            "place_of_service": [rng.choice(["11", "21", "22", "23"]) for _ in range(n)],
        }
    ), {"claim_id", "member_id"}


def merchant_transactions(n: int = 800, seed: int = 26) -> tuple[pd.DataFrame, set[str]]:
    """Card transactions: customer keys repeat, merchant keys and category codes, sparse guest emails."""
    fake, rng = _faker(seed), random.Random(seed)
    customers = [fake.uuid4() for _ in range(n // 6)]
    merchants = [fake.uuid4() for _ in range(30)]
    return pd.DataFrame(
        {
            "transaction_id": [fake.uuid4() for _ in range(n)],
            "customer_uuid": [rng.choice(customers) for _ in range(n)],
            "merchant_uuid": [rng.choice(merchants) for _ in range(n)],
            "merchant_category_code": [rng.choice([5411, 5812, 5541, 5999, 4111]) for _ in range(n)],
            "card_number": [fake.credit_card_number() for _ in range(n)],
            "amount": [round(rng.lognormvariate(3, 1), 2) for _ in range(n)],
            "timestamp": [fake.date_time_between("-1y") for _ in range(n)],
            "guest_email": [_sparse(rng, fake.email(), 0.15) for _ in range(n)],
            "ip_address": [fake.ipv4() for _ in range(n)],
            "country": [rng.choice(["US", "CA", "GB"]) for _ in range(n)],
            "approved": [rng.random() < 0.95 for _ in range(n)],
        }
    ), {"transaction_id", "customer_uuid", "card_number", "guest_email", "ip_address"}


def employees(n: int = 400, seed: int = 27) -> tuple[pd.DataFrame, set[str]]:
    """HR records: maiden names and termination dates mostly empty; sparse emergency phones."""
    fake, rng = _faker(seed), random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            {
                "emp_no": 10001 + i,
                "birth_date": fake.date_of_birth(minimum_age=18, maximum_age=70).strftime("%m/%d/%Y"),
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "maiden_name": _sparse(rng, fake.last_name(), 0.07),
                "gender": rng.choice(["M", "F"]),
                "hire_date": fake.date_between("-20y").strftime("%m/%d/%Y"),
                "termination_date": _sparse(rng, fake.date_between("-2y").strftime("%m/%d/%Y"), 0.1),
                "department": rng.choice(["Sales", "R&D", "Finance", "Support"]),
                "salary": rng.randint(30_000, 200_000),
                "emergency_contact_phone": _sparse(rng, fake.phone_number(), 0.2),
                "work_email": fake.company_email(),
            }
        )
    return pd.DataFrame(rows), {"emp_no", "birth_date", "first_name", "last_name", "maiden_name",
                                "emergency_contact_phone", "work_email"}  # fmt: skip


def visits(n: int = 500, seed: int = 99) -> tuple[pd.DataFrame, set[str]]:
    """Written after the fixes, as a held-out check: new names for the same classes."""
    fake, rng = _faker(seed), random.Random(seed)
    patients = [fake.uuid4() for _ in range(90)]
    clinicians = [fake.uuid4() for _ in range(25)]
    facilities = [fake.uuid4() for _ in range(5)]
    nine = [s for s in SNOMED if len(s) == 9]
    return pd.DataFrame(
        {
            "visit_uuid": [fake.uuid4() for _ in range(n)],
            "patient_ref": [rng.choice(patients) for _ in range(n)],
            "clinician_ref": [rng.choice(clinicians) for _ in range(n)],
            "facility_uuid": [rng.choice(facilities) for _ in range(n)],
            "dx_snomed": [int(rng.choice(nine)) for _ in range(n)],
            "visit_date": [fake.date_between("-2y").isoformat() for _ in range(n)],
            "deceased_date": [_sparse(rng, fake.date_between("-1y").isoformat(), 0.05, "") for _ in range(n)],
            "mother_maiden_name": [_sparse(rng, fake.last_name(), 0.1) for _ in range(n)],
            "bp_systolic": [rng.randint(90, 180) for _ in range(n)],
            "cell_phone": [_sparse(rng, fake.phone_number(), 0.25, "") for _ in range(n)],
            "copay": [f"{rng.uniform(0, 80):.2f}" for _ in range(n)],
        }
    ), {"visit_uuid", "patient_ref", "deceased_date", "mother_maiden_name", "cell_phone"}


def pharmacy_fills(n: int = 500, seed: int = 98) -> tuple[pd.DataFrame, set[str]]:
    """Held out too: prescription fills with member keys, prescriber and pharmacy UUIDs, NDC and SNOMED codes."""
    fake, rng = _faker(seed), random.Random(seed)
    members = [fake.uuid4() for _ in range(90)]
    prescribers = [fake.uuid4() for _ in range(25)]
    pharmacies = [fake.uuid4() for _ in range(5)]
    nine = [s for s in SNOMED if len(s) == 9]
    return pd.DataFrame(
        {
            "rx_number": [f"RX{rng.randrange(10**7, 10**8)}" for _ in range(n)],
            "member": [rng.choice(members) for _ in range(n)],
            "prescriber_uuid": [rng.choice(prescribers) for _ in range(n)],
            "pharmacy": [rng.choice(pharmacies) for _ in range(n)],
            "ndc11": [rng.choice(NDC) for _ in range(n)],
            "fill_dt": [fake.date_time_between("-1y") for _ in range(n)],
            "days_supply": [rng.choice([30, 60, 90]) for _ in range(n)],
            "birthdate": [fake.date_of_birth().strftime("%d/%m/%Y") for _ in range(n)],
            "concept_id": [rng.choice(nine) for _ in range(n)],
            "email_addr": [_sparse(rng, fake.email(), 0.3) for _ in range(n)],
        }
    ), {"rx_number", "member", "birthdate", "email_addr"}


TABLES: dict[str, Callable[[], tuple[pd.DataFrame, set[str]]]] = {
    "synthea encounters": synthea_encounters,
    "sparse patients (CSV)": sparse_patients_csv,
    "sparse registry": sparse_registry,
    "lab results": lab_results,
    "claims": claims,
    "merchant transactions": merchant_transactions,
    "employees": employees,
    "visits (held out)": visits,
    "pharmacy fills (held out)": pharmacy_fills,
}

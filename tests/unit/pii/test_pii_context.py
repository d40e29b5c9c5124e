"""Column-name hints."""

from __future__ import annotations

import pytest

from synthstudio_kernel.pii.context import name_hints, tokens


@pytest.mark.parametrize(
    ("name", "expected"),
    [("patientDOB", ["patient", "dob"]), ("e-mail_Addr", ["e", "mail", "addr"]), ("ZIPCode5", ["zip", "code", "5"])],
)
def test_tokens_split_case_and_separators(name: str, expected: list[str]) -> None:
    # Run / Assert
    assert tokens(name) == expected


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("ssn", "US_SSN"),
        ("DateOfBirth", "DATE_OF_BIRTH"),
        ("mrn", "MEDICAL_RECORD_NUMBER"),
        ("email_address", "EMAIL"),
        ("zip_code", "ZIP_CODE"),
        ("firstname", "PERSON_NAME"),
        ("ip_address", "IP_ADDRESS"),
        ("admit_dt", "PERSON_DATE"),
        ("marital-status", "MARITAL_STATUS"),
        ("native-country", "NATIONALITY"),
        ("drivers_license_number", "DRIVER_LICENSE"),
    ],
)
def test_names_give_hints(name: str, entity: str) -> None:
    # Run
    hints = name_hints(name)

    # Assert
    assert hints.get(entity, 0) >= 0.8


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("ip_address", "ADDRESS"),
        ("email_address", "ADDRESS"),
        ("product_name", "PERSON_NAME"),
        ("username", "PERSON_NAME"),
        ("diagnosis_id", "ID"),
        ("page", "AGE"),
        ("mileage", "AGE"),
        ("status", "STATE"),
    ],
)
def test_vetoes_and_token_boundaries(name: str, entity: str) -> None:
    # Run / Assert
    assert entity not in name_hints(name)


def test_meaningless_names_give_nothing() -> None:
    # Run / Assert
    assert name_hints("c7") == {} and name_hints("") == {}

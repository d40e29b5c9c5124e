"""Our recognizers through the engine: whole-value formats, and what must not match."""

from __future__ import annotations

import pytest

from synthstudio_kernel.pii.engine import analyze_cells
from synthstudio_kernel.pii.evidence import FULL_COVERAGE, STRONG_SCORE


def _whole(value: str) -> dict[str, float]:
    hits = analyze_cells([value])[0]
    found: dict[str, float] = {}
    for m in hits:
        if m.end - m.start >= FULL_COVERAGE * len(value):
            found[m.entity] = max(found.get(m.entity, 0.0), m.score)
    return found


@pytest.mark.parametrize(
    ("value", "entity"),
    [
        ("0227 Kropf Court", "ADDRESS"),
        ("123 Main St Apt 4", "ADDRESS"),
        ("PO Box 1234", "ADDRESS"),
        ("Hauptstraße 5", "ADDRESS"),
        ("12 rue de la Paix", "ADDRESS"),
        ("02134-1234", "ZIP_CODE"),
        ("SW1A 1AA", "ZIP_CODE"),
        ("K1A 0B1", "ZIP_CODE"),
        ("37.7749, -122.4194", "GEO_COORDINATE"),
        ("509-86-9654", "US_SSN"),
        ("AB123456C", "UK_NINO"),
        ("MORGA657054SM9IJ", "DRIVER_LICENSE"),
        ("MRN 00123456", "MEDICAL_RECORD_NUMBER"),
        ("1HGCM82633A004352", "VIN"),
        ("4111-1111-1111-1111", "CREDIT_CARD"),
        ("GB29 NWBK 6016 1331 9268 19", "IBAN"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "CRYPTO_WALLET"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "CRYPTO_WALLET"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "CRYPTO_WALLET"),
        ("ftp://files.example.org/a.txt", "URL"),
        ("http://localhost:8888/lab", "URL"),
        ("10.0.0.1:8080", "IP_ADDRESS"),
        ("2001:db8::1", "IP_ADDRESS"),
        ("00-1B-44-11-3A-B7", "MAC_ADDRESS"),
        ("2021-03-04 10:22:00", "DATE"),
        ("March 4, 2021", "DATE"),
        ("(555) 123-4567", "PHONE"),
        ("anna@example.org", "EMAIL"),
        ("123e4567-e89b-12d3-a456-426614174000", "ID"),
    ],
)
def test_formats_are_recognized_strongly(value: str, entity: str) -> None:
    # Run
    found = _whole(value)

    # Assert
    assert found.get(entity, 0.0) >= STRONG_SCORE, found


@pytest.mark.parametrize(
    ("value", "entity"),
    [("123456789", "US_SSN"), ("1234567893", "NPI"), ("12345", "ZIP_CODE"), ("A1234567", "PASSPORT")],
)
def test_bare_numbers_are_only_weak_formats(value: str, entity: str) -> None:
    # Run
    found = _whole(value)

    # Assert
    assert 0.0 < found.get(entity, 0.0) < STRONG_SCORE


@pytest.mark.parametrize("value", ["White", "Married-civ-spouse", "<=50K", "3 tablets daily", "GB00 TOO SHORT", "1.5"])
def test_ordinary_values_match_no_strong_format(value: str) -> None:
    # Run
    found = _whole(value)

    # Assert
    assert all(score < STRONG_SCORE for score in found.values()), found

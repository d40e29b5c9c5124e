"""National and personal document numbers: SSN, UK NINO, passports, driver's licences,
medical record numbers, NPIs, vehicle identification numbers."""

from __future__ import annotations

from .spec import PatternSpec

US_SSN = PatternSpec(
    name="SsnFormatRecognizer",
    entity="US_SSN",
    patterns=(
        ("SSN dashed", r"\b\d{3}-\d{2}-\d{4}\b", 0.6),
        ("SSN spaced", r"\b\d{3} \d{2} \d{4}\b", 0.4),
        ("SSN plain (weak)", r"\b\d{9}\b", 0.05),
    ),
    context=("ssn", "social", "security"),
)

UK_NINO = PatternSpec(
    name="UkNinoFormatRecognizer",
    entity="UK_NINO",
    patterns=(
        (
            "NINO",
            r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
            0.6,
        ),
    ),
    context=("national", "insurance", "nino"),
    case_sensitive=True,
)

PASSPORT = PatternSpec(
    name="PassportRecognizer",
    entity="PASSPORT",
    patterns=(
        ("Passport letters+digits (weak)", r"\b[A-Z]{1,2}\d{6,8}\b", 0.05),
        ("Passport 9 digits (weak)", r"\b\d{9}\b", 0.02),
    ),
    context=("passport",),
    case_sensitive=True,
)

DRIVER_LICENSE = PatternSpec(
    name="DriverLicenceRecognizer",
    entity="DRIVER_LICENSE",
    patterns=(
        ("UK driving licence", r"\b[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}\b", 0.5),
        ("US licence letter+digits (weak)", r"\b[A-Z]{1,2}\d{4,14}\b", 0.05),
        ("US licence dashed (weak)", r"\b[A-Z]\d{3}-\d{3,4}-\d{2,4}(?:-\d{1,3})?\b", 0.2),
        ("US licence digits (weak)", r"\b\d{7,12}\b", 0.02),
    ),
    context=("driver", "license", "licence", "dl"),
    case_sensitive=True,
)

MRN = PatternSpec(
    name="MedicalRecordNumberRecognizer",
    entity="MEDICAL_RECORD_NUMBER",
    patterns=(
        ("MRN prefixed", r"\bMRN[-:#\s]{0,2}[A-Z]{0,2}\d{4,12}\b", 0.7),
        ("Record number (weak)", r"\b[A-Z]{0,3}-?\d{5,12}\b", 0.02),
    ),
    context=("mrn", "medical", "record", "chart"),
)

NPI = PatternSpec(
    name="NpiFormatRecognizer",
    entity="NPI",
    patterns=(("NPI (weak)", r"\b[12]\d{9}\b", 0.1), ("NPI spaced (weak)", r"\b[12]\d{3}[ -]\d{3}[ -]\d{3}\b", 0.1)),
    context=("npi", "provider"),
)

VIN = PatternSpec(
    name="VinRecognizer",
    entity="VIN",
    patterns=(
        (
            "VIN",
            r"\b(?=[A-HJ-NPR-Z0-9]{17}\b)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])(?=(?:[A-HJ-NPR-Z]*\d){3})[A-HJ-NPR-Z0-9]{17}\b",
            0.4,
        ),
    ),
    context=("vin", "vehicle", "chassis"),
    case_sensitive=True,
)

SPECS = (US_SSN, UK_NINO, PASSPORT, DRIVER_LICENSE, MRN, NPI, VIN)

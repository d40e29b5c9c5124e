"""Column-level accuracy on real and synthetic tables.

customer_data labels map one-to-one onto our entity names; for the identifier class,
ID, PERSON_NAME, EMAIL, IP_ADDRESS, US_SSN, CREDIT_CARD, CRYPTO_WALLET and ADDRESS are
direct identifiers and GENDER is a quasi-identifier.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pii_tables import (
    DISCHARGE_QUASI,
    PATIENT_EXPECTED,
    PROVIDER_EXPECTED,
    SYNTHEA_EXPECTED,
    UNNAMED_EXPECTED,
    discharge_table,
    provider_directory,
    synthea_style_patients,
)

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.pii import PIIReport, scan_pii

LABELS = Path(__file__).resolve().parents[2] / "data" / "customer_data.labels.json"
#: label -> identifier class it must get.
LABEL_CLASS = {
    "ID": "direct",
    "PERSON_NAME": "direct",
    "EMAIL": "direct",
    "IP_ADDRESS": "direct",
    "US_SSN": "direct",
    "CREDIT_CARD": "direct",
    "CRYPTO_WALLET": "direct",
    "ADDRESS": "direct",
    "GENDER": "quasi",
}


def precision_recall(report: PIIReport, labels: dict[str, str | None]) -> tuple[float, float]:
    """Column-level precision and recall of detected entity types against ``labels``."""
    predicted = {v.column: v.entity for v in report}
    detected = [c for c, e in predicted.items() if e is not None]
    labelled = [c for c, e in labels.items() if e is not None]
    true_pos = [c for c in detected if labels.get(c) == predicted[c]]
    precision = len(true_pos) / len(detected) if detected else 1.0
    recall = len([c for c in labelled if predicted.get(c) == labels[c]]) / len(labelled) if labelled else 1.0
    return precision, recall


def test_customer_data_precision_and_recall(customer_report: PIIReport) -> None:
    # Setup
    labels = json.loads(LABELS.read_text())

    # Run
    precision, recall = precision_recall(customer_report, labels)

    # Assert
    assert precision >= 0.95 and recall >= 0.95, customer_report.to_frame().to_string()


def test_customer_data_identifier_classes(customer_report: PIIReport) -> None:
    # Setup
    labels = json.loads(LABELS.read_text())

    # Run
    classes = {v.column: v.identifier for v in customer_report}

    # Assert
    assert classes == {column: LABEL_CLASS[label] for column, label in labels.items()}


def test_customer_data_checksums_reported_apart_from_formats(customer_report: PIIReport) -> None:
    # Run
    card = customer_report["credit_card"].evidence
    wallet = customer_report["bitcoin"].evidence

    # Assert
    assert card["checksum"] == "Luhn" and card["format_match_rate"] >= 0.95
    assert card["checksum_valid_rate"] == pytest.approx(1.0)
    assert wallet["checksum"].startswith("base58check") and wallet["checksum_valid_rate"] >= 0.95


@pytest.mark.parametrize("name", ["adult", "german_credit", "insurance"])
def test_no_false_direct_identifiers_on_public_tables(name: str) -> None:
    # Run
    report = scan_pii(load_sample(name))

    # Assert
    assert report.direct == [], report.to_frame().to_string()


@pytest.mark.parametrize(
    ("name", "quasi"),
    [
        (
            "adult",
            {"age", "sex", "race", "marital-status", "native-country", "education", "occupation", "relationship"},
        ),
        ("german_credit", {"age", "personal_status", "job", "foreign_worker"}),
        ("insurance", {"age", "sex"}),
    ],
)
def test_demographics_are_quasi_identifiers(name: str, quasi: set[str]) -> None:
    # Run
    report = scan_pii(load_sample(name))

    # Assert
    assert quasi <= set(report.quasi), report.to_frame().to_string()
    assert report["age"].entity == "AGE"


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("adult", "fnlwgt"),
        ("adult", "capital-gain"),
        ("adult", "income"),
        ("german_credit", "amount"),
        ("german_credit", "telephone"),
        ("german_credit", "residence_history"),
        ("insurance", "charges"),
        ("insurance", "bmi"),
    ],
)
def test_measurements_and_misleading_names_are_not_identifiers(name: str, column: str) -> None:
    # Run
    verdict = scan_pii(load_sample(name), columns=[column])[column]

    # Assert
    assert verdict.entity is None and verdict.identifier == "none"


def test_age_over_89_is_generalized_and_under_is_synthesized() -> None:
    # Run
    adult = scan_pii(load_sample("adult"), columns=["age"])["age"]
    insurance = scan_pii(load_sample("insurance"), columns=["age"])["age"]

    # Assert
    assert adult.recommendation == "generalize" and "90+" in adult.reason
    assert insurance.recommendation == "synthesize"


def test_telephone_named_column_with_yes_no_values_is_explained() -> None:
    # Run
    verdict = scan_pii(load_sample("german_credit"), columns=["telephone"])["telephone"]

    # Assert
    assert any("telephone" in note for note in verdict.notes)


@pytest.mark.parametrize("column", sorted(PATIENT_EXPECTED))
def test_patient_table_columns(patient_report: PIIReport, column: str) -> None:
    # Run
    verdict = patient_report[column]

    # Assert
    assert verdict.entity == PATIENT_EXPECTED[column], verdict.to_dict()


def test_patient_table_classes_hipaa_and_recommendations(patient_report: PIIReport) -> None:
    # Run
    rows = {v.column: v for v in patient_report}

    # Assert
    assert {"patient_id", "mrn", "first_name", "phone", "email", "ssn", "npi", "address", "dob"} <= set(
        patient_report.direct
    )
    assert {"age", "sex", "race", "zip", "admission_date"} <= set(patient_report.quasi)
    assert rows["mrn"].hipaa.number == 8 and rows["member_id"].hipaa.number == 9
    assert rows["dob"].hipaa.number == 3 and rows["zip"].hipaa.number == 2
    assert rows["mrn"].recommendation == "pseudonymize"
    assert rows["zip"].recommendation == "generalize" and rows["admission_date"].recommendation == "generalize"
    assert rows["first_name"].recommendation == "drop"
    assert rows["diagnosis_notes"].identifier == "direct" and rows["diagnosis_notes"].recommendation == "drop"
    assert rows["total_charges"].recommendation == "keep"


@pytest.mark.parametrize("column", sorted(UNNAMED_EXPECTED))
def test_values_alone_reveal_entities(unnamed, column: str) -> None:
    # Run
    verdict = scan_pii(unnamed, columns=[column])[column]

    # Assert
    assert verdict.entity == UNNAMED_EXPECTED[column], verdict.to_dict()


@pytest.mark.parametrize(
    ("make", "expected"),
    [(synthea_style_patients, SYNTHEA_EXPECTED), (provider_directory, PROVIDER_EXPECTED)],
    ids=["synthea-style patients", "NPPES-style providers"],
)
def test_other_health_tables(make, expected: dict[str, str | None]) -> None:
    # Run
    report = scan_pii(make())

    # Assert
    wrong = {v.column: (v.entity, expected[v.column]) for v in report if v.entity != expected[v.column]}
    assert wrong == {}


def test_deidentified_discharge_extract_has_quasi_but_no_direct_identifiers() -> None:
    # Run
    report = scan_pii(discharge_table())

    # Assert
    assert report.direct == []
    assert set(report.quasi) >= DISCHARGE_QUASI
    assert report["Operating Certificate Number"].entity is None  # a facility code, not a person's

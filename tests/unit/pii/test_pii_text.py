"""Free-text columns: counts of each entity type inside the text."""

from __future__ import annotations

import pandas as pd

from synthstudio_kernel.pii import PIIReport, scan_pii
from synthstudio_kernel.pii.text import count_entities


def test_counts_each_entity_once_per_mention() -> None:
    # Setup
    texts = [
        "Patient Maria Lopez (DOB 03/04/1961, MRN 12345678) called from 555-123-4567; email maria@example.org",
        "Seen on 2021-03-04 and again March 5, 2021 at 12 Main Street.",
        "No issues reported, stable.",
    ]

    # Run
    found = count_entities(texts)

    # Assert
    assert found.texts == 3
    assert found.occurrences == {
        "PERSON_NAME": 1,
        "DATE": 3,
        "MEDICAL_RECORD_NUMBER": 1,
        "PHONE": 1,
        "EMAIL": 1,
        "ADDRESS": 1,
    }
    assert found.rows["DATE"] == 2 and "URL" not in found.rows  # the email's domain is not a URL


def test_free_text_column_reports_entity_counts(patient_report: PIIReport) -> None:
    # Run
    verdict = patient_report["diagnosis_notes"]
    counts = verdict.text_entities

    # Assert
    assert verdict.entity == "FREE_TEXT" and verdict.identifier == "direct"
    assert counts is not None and counts["texts"]["sampled"] == 300
    assert counts["rows"]["PERSON_NAME"] >= 120 and counts["rows"]["DATE"] >= 120
    assert counts["rows"].get("PHONE", 0) >= 60
    assert "PERSON_NAME" in verdict.reason


def test_clean_free_text_is_kept() -> None:
    # Setup
    notes = [f"the device was inspected and calibration step {i % 7} passed without errors" for i in range(120)]

    # Run
    verdict = scan_pii(pd.DataFrame({"comments": notes}))["comments"]

    # Assert
    assert verdict.entity == "FREE_TEXT" and verdict.identifier == "none"
    assert verdict.recommendation == "keep" and verdict.text_entities["rows"] == {}

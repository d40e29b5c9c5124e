"""PIIReport: shape of to_dict, rendering, sample size and confidence, and no raw values."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from synthstudio_kernel.pii import PIIReport, scan_pii
from synthstudio_kernel.pii.hipaa import SAFE_HARBOR
from synthstudio_kernel.pii.sampling import max_half_width, wilson_interval


def _raw_values(frame: pd.DataFrame) -> set[str]:
    """Whole cell values, and the digit-bearing pieces of them (account numbers inside text)."""
    values: set[str] = set()
    for column in frame.columns:
        for value in frame[column].dropna().astype(str).unique():
            if len(value) >= 4:
                values.add(value)
            values.update(part for part in re.split(r"[\s@,;:()]+", value) if len(part) >= 5 and re.search(r"\d", part))
    return values


def _leaks(raw: set[str], output: str) -> set[str]:
    return {value for value in raw if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", output)}


def test_to_dict_has_the_design_shape(customer_report: PIIReport) -> None:
    # Run
    data = json.loads(json.dumps(customer_report.to_dict()))

    # Assert
    record = data["columns"][0]
    assert {"column", "entity", "confidence", "identifier", "hipaa", "recommendation"} <= set(record)
    assert {r["identifier"] for r in data["columns"]} <= {"direct", "quasi", "none"}
    assert data["sample"]["sample_size"] == 1000 and data["sample"]["rows_sampled"] == 1000
    assert data["summary"]["direct"] == customer_report.direct
    assert data["engine"]["nlp_engine"] == "no_op"


def test_no_raw_values_in_dict_html_or_frame(customer: pd.DataFrame, customer_report: PIIReport) -> None:
    # Setup
    raw = _raw_values(customer.drop(columns=["gender", "id"]))
    outputs = json.dumps(customer_report.to_dict()) + customer_report.to_html() + customer_report.to_frame().to_string()

    # Run
    leaked = _leaks(raw, outputs)

    # Assert
    assert leaked == set()


def test_no_raw_values_from_free_text(patients: pd.DataFrame, patient_report: PIIReport) -> None:
    # Setup
    raw = _raw_values(patients[["first_name", "last_name", "email", "phone", "ssn", "mrn", "diagnosis_notes"]])
    outputs = json.dumps(patient_report.to_dict()) + patient_report._repr_html_()

    # Run
    leaked = _leaks(raw, outputs)

    # Assert
    assert leaked == set()


def test_html_renders_every_column_and_the_confidence_statement(customer_report: PIIReport, tmp_path) -> None:
    # Run
    page = customer_report.to_html(str(tmp_path / "pii.html"))

    # Assert
    assert page.lower().startswith("<!doctype html>") and (tmp_path / "pii.html").read_text() == page
    for verdict in customer_report:
        assert f"<code>{verdict.column}</code>" in page
    assert "Wilson interval" in customer_report._repr_html_()


def test_large_frame_is_sampled_and_says_so() -> None:
    # Setup
    n = 200_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "email": [f"user{i}@example.com" for i in range(n)],
            "score": rng.normal(size=n),
            "segment": rng.choice(["a", "b", "c"], size=n),
        }
    )

    # Run
    report = scan_pii(frame, sample_size=500, seed=3)

    # Assert
    verdict = report["email"]
    assert verdict.entity == "EMAIL" and verdict.evidence["sampled"] == 500
    assert verdict.evidence["distinct"] == n and verdict.evidence["uniqueness"] == 1.0
    lo, hi = verdict.evidence["match_ci95"]
    assert 0.99 < lo < 1.0 and hi == 1.0
    assert "500 of 200,000 rows" in report.confidence_statement()
    assert report.to_dict()["sample"]["max_ci95_half_width"] == round(max_half_width(500), 4)


def test_wilson_interval_properties() -> None:
    # Run / Assert
    lo, hi = wilson_interval(50, 100)
    assert lo < 0.5 < hi and abs((0.5 - lo) - (hi - 0.5)) < 1e-9
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert max_half_width(1000) < 0.032 < max_half_width(900)


def test_all_eighteen_safe_harbor_identifiers_are_data() -> None:
    # Run / Assert
    assert [h.number for h in SAFE_HARBOR] == list(range(1, 19))
    assert len({h.key for h in SAFE_HARBOR}) == 18


def test_the_scan_reports_progress_per_column_and_the_page_is_self_contained():
    import pandas as pd

    from synthstudio_kernel.pii import scan_pii

    frame = pd.DataFrame({"email": [f"user{i}@example.org" for i in range(50)], "n": range(50)})
    calls: list[tuple[str, int, int]] = []
    report = scan_pii(frame, progress=lambda step, done, total: calls.append((step, done, total)))
    assert calls == [("column", 1, 2), ("column", 2, 2)]
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>") and "<meta charset='utf-8'>" in page and "<title>PII scan</title>" in page
    assert "50 rows × 2 columns" in page and "Synth Studio" in page and "user1@example.org" not in page

"""The offline engine: presidio with the no_op NLP engine, our recognizers, light imports."""

from __future__ import annotations

import os
import subprocess
import sys

from synthstudio_kernel.pii.engine import analyze_cells, get_engine, recognizer_names


def test_engine_is_presidio_with_the_no_op_nlp_engine() -> None:
    # Run
    engine = get_engine()

    # Assert
    assert type(engine).__name__ == "AnalyzerEngine"
    assert engine.nlp_engine.engine_name == "no_op"
    assert os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] == ""
    names = recognizer_names()
    assert {"EmailRecognizer", "PhoneRecognizer", "StreetAddressRecognizer", "PersonNameDictionaryRecognizer"} <= set(
        names
    )
    assert "CreditCardRecognizer" not in names  # replaced by ours: presidio's drops Luhn failures


def test_batched_values_keep_their_own_spans() -> None:
    # Setup
    values = ["john@example.com", "no pii here", "123-45-6789", "", "12 rue de la Paix"]

    # Run
    hits = analyze_cells(values)

    # Assert
    assert [m.entity for m in hits[0] if m.start == 0 and m.end == len(values[0])] == ["EMAIL"]
    assert hits[1] == [] and hits[3] == []
    assert any(m.entity == "US_SSN" and (m.start, m.end) == (0, 11) for m in hits[2])
    assert any(m.entity == "ADDRESS" and m.end == len(values[4]) for m in hits[4])


def test_importing_the_package_loads_neither_presidio_nor_faker() -> None:
    # Setup
    code = (
        "import sys, synthstudio_kernel, synthstudio_kernel.pii; "
        "print(sorted(m for m in ('presidio_analyzer', 'faker', 'spacy', 'torch') if m in sys.modules))"
    )

    # Run
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()

    # Assert
    assert out == "[]"

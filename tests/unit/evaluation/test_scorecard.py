"""Scorecard: stable JSON shape (schema), no raw values, HTML and files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from synthstudio_kernel.errors import ConfigError
from synthstudio_kernel.evaluation import SCHEMA_VERSION, Scorecard, schema


@pytest.mark.parametrize("name", ["copy", "holdout", "noise"])
def test_to_dict_matches_the_published_schema(cards: dict[str, Scorecard], name: str) -> None:
    # Run
    data = cards[name].to_dict()

    # Assert
    jsonschema.validate(data, schema())
    assert data["schema_version"] == SCHEMA_VERSION
    for section in ("fidelity", "utility", "privacy"):
        assert set(data[section]) == {"score", "summary", "details"}
        assert data["scores"][section] == data[section]["score"]


def test_to_dict_without_holdout_matches_the_schema(no_holdout_card: Scorecard) -> None:
    jsonschema.validate(no_holdout_card.to_dict(), schema())


def test_to_dict_is_strict_json(cards: dict[str, Scorecard]) -> None:
    text = json.dumps(cards["noise"].to_dict(), allow_nan=False)
    assert json.loads(text) == cards["noise"].to_dict()


def test_no_table_value_leaks_into_the_json_or_ledger_facts(cards: dict[str, Scorecard], adult_split) -> None:
    # Setup: every category label of the training data, and a few exact numeric values.
    train = adult_split["train"]
    labels = {str(v) for c in train.select_dtypes("object") for v in train[c].dropna().unique()}
    labels -= {"Other", "Male", "Female"}  # words that also occur in our own prose would be false alarms
    numbers = {f"{v:.0f}" for v in train["fnlwgt"].head(20)}

    for card in cards.values():
        # Run
        text = card.to_json() + json.dumps(card.ledger_facts())

        # Assert
        strings = set(re.findall(r'"([^"]*)"', text))
        assert not (labels & strings), sorted(labels & strings)[:5]
        assert not any(n in text for n in numbers)


def test_html_is_self_contained_with_embedded_plots(cards: dict[str, Scorecard]) -> None:
    # Run
    html = cards["holdout"].to_html()

    # Assert
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("data:image/png;base64,iVBOR") == 3  # distributions, association, DCR
    assert not re.search(r"(src|href)=['\"]https?:", html)
    assert "<script" not in html
    for label in ("Internal testing", "Sharing with partners", "Public release", "Anonymeter", "Membership"):
        assert label in html


def test_notebook_repr_and_sections(cards: dict[str, Scorecard]) -> None:
    card = cards["copy"]
    assert list(card.sections()) == ["Summary", "Fidelity", "Utility", "Privacy", "Method"]
    fragment = card._repr_html_()
    assert "<html" not in fragment and "Synthetic data scorecard" in fragment
    assert "privacy=" in repr(card)


def test_save_writes_html_and_json(cards: dict[str, Scorecard], tmp_path: Path) -> None:
    # Run
    paths = cards["noise"].save(tmp_path / "out")

    # Assert
    assert Path(paths["html"]).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(Path(paths["json"]).read_text(encoding="utf-8"))["kind"] == "synthstudio.scorecard"


def test_verdict_lookup(cards: dict[str, Scorecard]) -> None:
    assert cards["copy"].verdict("public_release") == "fail"
    with pytest.raises(ConfigError, match="Unknown use case"):
        cards["copy"].verdict("space_launch")


def test_ledger_facts_are_compact(cards: dict[str, Scorecard]) -> None:
    facts = cards["copy"].ledger_facts()
    assert set(facts) >= {"fidelity", "utility", "privacy", "verdicts", "target", "holdout", "membership_auc"}
    assert facts["verdicts"] == {"internal_testing": "fail", "partner_sharing": "fail", "public_release": "fail"}
    assert len(json.dumps(facts)) < 1_000

"""%synth_evaluate in a real InteractiveShell: panel, bound Scorecard, files, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.evaluation import Scorecard

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def insurance() -> dict:
    frame = load_sample("insurance")
    return {"train": frame.iloc[:900], "fake": frame.iloc[900:1100], "hold": frame.iloc[1100:]}


def test_evaluates_binds_the_scorecard_and_writes_files(shell, insurance, tmp_path: Path) -> None:
    # Setup
    shell.user_ns.update(insurance)
    out = tmp_path / "out"

    # Run
    with capture_output() as captured:
        shell.run_line_magic("synth_evaluate", f"train fake --holdout hold --target charges --out {out} --name sc")

    # Assert
    card = shell.user_ns["sc"]
    assert isinstance(card, Scorecard)
    assert card.utility["details"]["target"]["column"] == "charges"
    assert card.utility["details"]["target"]["inferred"] is False
    assert card.privacy["details"]["membership_inference"] is not None
    assert json.loads((out / "scorecard.json").read_text())["scores"] == card.to_dict()["scores"]
    assert (out / "scorecard.html").read_text().startswith("<!DOCTYPE html>")
    assert any(WIDGET_MIME in o.data for o in captured.outputs)  # the tabbed panel
    assert "Scorecard bound to `sc`" in captured.stdout


def test_default_name_and_no_holdout(shell, insurance) -> None:
    # Setup
    shell.user_ns.update(insurance)

    # Run
    with capture_output():
        shell.run_line_magic("synth_evaluate", "train fake")

    # Assert
    card = shell.user_ns["scorecard"]
    assert card.data["holdout_rows"] is None
    assert card.verdict("public_release") in {"undetermined", "fail"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "the following arguments are required"),
        ("train", "the following arguments are required"),
        ("train missing", "No variable named 'missing'"),
        ("train number", "not a pandas DataFrame"),
        ("train fake --target nope", "not in the real table"),
        ("train fake --name 1bad", "not a valid variable name"),
        ("train fake --seed x", "--seed must be a whole number written with the digits 0-9"),
    ],
)
def test_bad_input_is_one_usage_error(shell, insurance, line: str, message: str) -> None:
    # Setup
    shell.user_ns.update(insurance)
    shell.user_ns["number"] = 3

    # Run / Assert
    with pytest.raises(UsageError, match=message):
        shell.run_line_magic("synth_evaluate", line)

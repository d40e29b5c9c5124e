"""%synth_pii in a real IPython shell, and the PII panel's Apply button."""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.core.error import UsageError

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.notebook.widgets.pii import PiiPanel, pii_panel
from synthstudio_kernel.pii import ApplyRecord, PIIReport, scan_pii


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return load_sample("customer_data")


def test_magic_scans_binds_report_and_applies(shell, customers: pd.DataFrame) -> None:
    # Setup
    shell.user_ns["customers"] = customers

    # Run
    shell.run_line_magic("synth_pii", "customers --apply-to clean --name rep --sample-size 300")

    # Assert
    report, clean = shell.user_ns["rep"], shell.user_ns["clean"]
    assert isinstance(report, PIIReport) and report.sample_size == 300
    assert list(clean.columns) == ["id", "gender"]
    assert ApplyRecord.of(clean).by_action("pseudonymize") == ["id"]
    assert "customers_clean" not in shell.user_ns


def test_magic_without_apply_to_binds_nothing_until_the_button(
    shell, customers: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Setup: catch the panel the magic displays
    shown: list[object] = []
    monkeypatch.setattr("synthstudio_kernel.notebook.magics.pii.display", shown.append)
    shell.user_ns["customers"] = customers

    # Run
    shell.run_line_magic("synth_pii", "customers --columns email,gender --name rep")

    # Assert: the scan covered exactly the two columns and bound nothing yet ...
    assert [c.column for c in shell.user_ns["rep"].columns] == ["email", "gender"]
    assert "customers_clean" not in shell.user_ns
    (panel,) = shown
    assert isinstance(panel, PiiPanel)

    # ... until the panel's Apply acts, which binds the cleaned frame under the default name
    panel.apply()
    clean = shell.user_ns["customers_clean"]
    assert isinstance(clean, pd.DataFrame) and "email" not in clean.columns and len(clean) == len(customers)


def test_magic_salt_from_environment(shell, customers: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup
    shell.user_ns["customers"] = customers
    monkeypatch.setenv("PII_SALT", "a-long-team-secret")

    # Run
    shell.run_line_magic("synth_pii", "customers --apply-to a --salt-env PII_SALT --columns id")
    shell.run_line_magic("synth_pii", "customers --apply-to b --salt-env PII_SALT --columns id")

    # Assert
    assert shell.user_ns["a"]["id"].equals(shell.user_ns["b"]["id"])
    assert ApplyRecord.of(shell.user_ns["a"]).salt["provided"] is True


@pytest.mark.parametrize(
    ("setup", "line", "message"),
    [
        ({}, "missing_df", "No variable named"),
        ({"x": [1, 2]}, "x", "not a pandas DataFrame"),
        ({"empty": pd.DataFrame()}, "empty", "no columns"),
        ({"df": pd.DataFrame({"a": [1]})}, "df --apply-to 1bad", "valid variable name"),
        ({"df": pd.DataFrame({"a": [1]})}, "df --columns zzz", "Unknown column"),
        ({"df": pd.DataFrame({"a": [1]})}, "df --salt-env SYNTH_NO_SUCH_VAR", "not set"),
        ({"df": pd.DataFrame({"a": [1]})}, "df --bogus", "unrecognized arguments"),
        ({"df": pd.DataFrame({"a": [1]})}, "df --sample-size 3", "--sample-size must be at least 10"),
    ],
)
def test_magic_bad_input_is_one_usage_error(shell, setup: dict, line: str, message: str) -> None:
    # Setup
    shell.user_ns.update(setup)

    # Run / Assert
    with pytest.raises(UsageError, match=message):
        shell.run_line_magic("synth_pii", line)


def test_panel_edits_actions_and_apply_binds_the_cleaned_frame(customers: pd.DataFrame) -> None:
    # Setup
    report = scan_pii(customers, sample_size=300)
    namespace: dict[str, object] = {}
    panel = pii_panel(report, customers, namespace=namespace, target="cleaned")

    # Run
    panel.dropdowns["first_name"].value = "keep"
    panel.dropdowns["gender"].value = "drop"
    panel.apply_button.click()

    # Assert
    cleaned = namespace["cleaned"]
    assert isinstance(panel, PiiPanel) and isinstance(cleaned, pd.DataFrame)
    assert list(cleaned.columns) == ["id", "first_name"]
    assert "Bound" in panel.status.value and panel.last_error is None
    assert panel.dropdowns["email"].options == ("drop", "pseudonymize", "synthesize", "keep")
    overridden = [c["column"] for c in ApplyRecord.of(cleaned).columns if c["overridden"]]
    assert overridden == ["first_name", "gender"]


def test_panel_reports_a_bad_target_without_binding(customers: pd.DataFrame) -> None:
    # Setup
    report = scan_pii(customers, sample_size=300, columns=["email"])
    namespace: dict[str, object] = {}
    panel = pii_panel(report, customers, namespace=namespace, target="not a name")

    # Run
    result = panel.apply()

    # Assert
    assert result is None and namespace == {}
    assert "not a valid variable name" in (panel.last_error or "")


def test_panel_shows_no_raw_values(customers: pd.DataFrame) -> None:
    # Setup
    report = scan_pii(customers, sample_size=300)
    panel = pii_panel(report, customers, namespace={}, target="cleaned")

    # Run
    rendered = " ".join(getattr(w, "value", "") or "" for w in panel.table.children if hasattr(w, "value"))
    bundle, metadata = panel._repr_mimebundle_()

    # Assert
    for value in customers["email"].head(50).tolist() + customers["ssn"].head(50).tolist():
        assert value not in rendered and value not in bundle["text/html"]
    assert metadata == {"synthstudio": {"static": True}}


def test_panel_bulk_actions_and_the_apply_preview(customers: pd.DataFrame) -> None:
    # Setup
    report = scan_pii(customers, sample_size=300)
    panel = pii_panel(report, customers, namespace={}, target="cleaned")
    direct = report.direct

    # Run
    changed = panel.bulk_buttons[1].click() or panel.actions  # "Drop direct identifiers"
    preview = panel.preview_text()

    # Assert
    assert direct and all(panel.actions[c] == "drop" for c in direct if "drop" in panel.dropdowns[c].options)
    assert f"drop {len(direct)}" in preview and "bound to 'cleaned'" in preview
    assert f"{customers.shape[1] - len(direct)} columns" in preview
    assert "Preview" in panel.preview.value and changed

    # Run: back to the recommendations, then keep everything
    panel.set_actions("all", None)
    assert panel.actions == {v.column: v.recommendation for v in report}
    panel.set_actions("all", "keep")
    assert "change nothing" in panel.preview_text()

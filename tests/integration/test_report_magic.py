"""%synth_report in a real InteractiveShell: panel, bound Report, files, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import synthstudio_kernel as ss
from synthstudio_kernel.compliance import Report
from synthstudio_kernel.compliance.example_data import healthcare_table


@pytest.fixture
def trained(synth_home: Path) -> object:
    frame = healthcare_table(n=150, seed=2)
    cleaned = ss.scan_pii(frame).apply(frame)
    return ss.train(cleaned, method="gaussian-copula", seed=0)


def test_shows_binds_and_writes_the_hipaa_packet(shell, trained, tmp_path: Path) -> None:
    # Setup
    shell.user_ns["model"] = trained
    out = tmp_path / "packet"

    # Run
    with capture_output() as captured:
        shell.run_line_magic("synth_report", f"model --framework hipaa --out {out} --name packet")

    # Assert
    report = shell.user_ns["packet"]
    assert isinstance(report, Report) and report.document.frameworks == ["hipaa"]
    files = sorted(p.name for p in out.iterdir())
    assert [f.rsplit(".", 1)[1] for f in files] == ["html", "json", "md"]
    saved = json.loads(next(out.glob("*.json")).read_text())
    assert saved["sha256"] == report.sha256
    html = "".join(o.data.get("text/html", "") for o in captured.outputs)
    assert "HIPAA evidence packet" in html and "NOT ASSESSED" in html and "internal: contains owner-only facts" in html
    assert "Report bound to `packet`" in captured.stdout


def test_model_card_flag(shell, trained) -> None:
    shell.user_ns["model"] = trained
    with capture_output():
        shell.run_line_magic("synth_report", "model --card --name card")
    assert shell.user_ns["card"].document.kind == "model-card"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("nothing_here --framework hipaa", "No variable named 'nothing_here'"),
        ("model --framework iso", "invalid choice"),
        ("model --scorecard missing", "No variable named 'missing'"),
        ("model --name 1bad", "not a valid variable name"),
        ("0123456789abcdef0123456789abcdef", "not in the privacy ledger"),
    ],
)
def test_errors_are_one_line(shell, trained, line: str, message: str) -> None:
    shell.user_ns["model"] = trained
    with pytest.raises(UsageError, match=message) as info:
        shell.run_line_magic("synth_report", line)
    assert "\n" not in str(info.value)

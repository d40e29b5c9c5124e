"""Every HTML report is a self-contained page, and every rendering uses the themed palette."""

from __future__ import annotations

import re

import pandas as pd

from synthstudio_kernel import __version__
from synthstudio_kernel.privacy.report import PrivacyReport
from synthstudio_kernel.profiling import profile
from synthstudio_kernel.theme import CSS, ROOT

PRIVACY = {
    "epsilon": 1.0,
    "delta": 1e-5,
    "noise_multiplier": 1.1,
    "sample_rate": 0.01,
    "steps": 120,
    "target_epsilon": 1.0,
    "planned_steps": 120,
    "preprocessing_epsilon": 0.1,
    "dataset": "insurance",
}


def _self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "<meta charset='utf-8'>" in page and re.search(r"<title>[^<]+</title>", page)
    assert "<style>" in page and "<link" not in page and "<script" not in page
    assert f"Synth Studio</span> {__version__}" in page and "UTC" in page


def test_privacy_report_page_names_dataset_model_epsilon_and_meaning():
    page = PrivacyReport(method="dp-tvae", run_id="r1", privacy=PRIVACY).to_page()
    _self_contained(page)
    for fact in ("insurance", "dp-tvae", "In plain words", "e^ε ≈ 2.72", "strong (1 ≤ ε ≤ 5)"):
        assert fact in page
    assert "strong: strong" not in page


def test_profile_page_is_self_contained_and_themed():
    frame = pd.DataFrame({"a": range(50), "b": ["x", "y"] * 25})
    page = profile(frame, name="tiny").to_html()
    _self_contained(page)
    assert f"class='{ROOT}'" in page and "prefers-color-scheme: dark" in page


def test_the_palette_reads_jupyterlab_variables_with_light_fallbacks():
    assert "var(--jp-content-font-color1,#1f2328)" in CSS and "var(--jp-layout-color0,#ffffff)" in CSS
    assert "body[data-jp-theme-light='false']" in CSS

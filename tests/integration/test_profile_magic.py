"""%synth_profile in a real InteractiveShell: the panel, options, one-line errors and --full."""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from synthstudio_kernel.profiling import Profile

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture()
def shell():
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "synthstudio_kernel")
    names = set(ip.user_ns)
    yield ip
    for name in set(ip.user_ns) - names:
        del ip.user_ns[name]


def small_frame(n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "y": 2 * x + rng.normal(scale=0.1, size=n),
            "group": rng.choice(["a", "b", "c"], size=n),
            "flag": rng.random(n) < 0.5,
        }
    )


def test_panel_has_the_four_tabs_and_an_html_fallback(shell):
    # Setup
    shell.user_ns["df"] = small_frame()

    # Run
    with capture_output() as captured:
        result = shell.run_line_magic("synth_profile", "df --name prof")

    # Assert
    assert result is None
    bundle = captured.outputs[0].data
    assert WIDGET_MIME in bundle and "Correlations" in bundle["text/html"]
    assert bundle["text/plain"].startswith("<Profile df: 60 rows x 4 columns")
    prof = shell.user_ns["prof"]
    assert isinstance(prof, Profile) and prof.name == "df" and prof.n_rows == 60


def test_panel_tabs_and_pickers():
    # Setup
    from synthstudio_kernel.notebook.widgets.profile import TAB_TITLES, profile_panel
    from synthstudio_kernel.profiling import profile

    panel = profile_panel(profile(small_frame(), name="df"))

    # Run
    panel.column_picker.value = "group"
    panel.measure_picker.value = "pearson"

    # Assert
    assert tuple(panel.titles) == TAB_TITLES == ("Overview", "Columns", "Outliers", "Correlations")
    assert "group" in panel.column_detail.value and "category" in panel.column_detail.value
    assert "Pearson" in panel.heatmap.value and '<table class="heat">' in panel.heatmap.value


def test_kind_override(shell):
    shell.user_ns["df"] = small_frame().assign(code=[1, 2, 3] * 20)
    with capture_output():
        shell.run_line_magic("synth_profile", "df --kind code=categorical --name p")
    assert shell.user_ns["p"].kinds["code"].value == "categorical"


BAD_FRAMES = {
    "empty": (pd.DataFrame({"a": []}), "empty"),
    "no_columns": (pd.DataFrame(index=range(3)), "no columns"),
    "duplicate_names": (pd.DataFrame([[1, 2], [3, 4]], columns=["a", "a"]), "Duplicate column names"),
    "complex": (pd.DataFrame({"a": [1 + 1j, 2 + 0j]}), "complex"),
    "nested": (pd.DataFrame({"a": [{"k": 1}, {"k": 2}]}), "nested"),
    "all_null": (pd.DataFrame({"a": [1.0, 2.0], "b": [None, None]}), "'b' is entirely empty"),
    "inf": (pd.DataFrame({"a": [1.0, np.inf, 2.0]}), "infinite"),
    "single_row": (pd.DataFrame({"a": [1.0], "b": ["x"]}), "1 row"),
}


@pytest.mark.parametrize("case", sorted(BAD_FRAMES))
def test_bad_input_is_one_readable_line(shell, case):
    # Setup
    frame, fragment = BAD_FRAMES[case]
    shell.user_ns["bad"] = frame

    # Run
    with pytest.raises(UsageError) as info, capture_output():
        shell.run_line_magic("synth_profile", "bad")

    # Assert
    message = str(info.value)
    assert fragment in message and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("df --out x.html", "add --full"),
        ("df --minimal", "add --full"),
        ("df --kind code", "COLUMN=KIND"),
        ("df --kind x=shape", "Unknown column kind"),
        ("df --kind nope=numeric", "unknown column"),
        ("df --name 1abc", "valid variable name"),
        ("df --bogus", "unrecognized arguments"),
        ("", "required"),
    ],
)
def test_bad_options_are_one_line(shell, line, fragment):
    shell.user_ns["df"] = small_frame()
    with pytest.raises(UsageError, match=fragment) as info, capture_output():
        shell.run_line_magic("synth_profile", line)
    assert "\n" not in str(info.value)


def test_full_writes_an_offline_ydata_report(shell, tmp_path, monkeypatch):
    # Setup: the default folder is SYNTHSTUDIO_OUT_DIR (never ./out when it is set); record any HTTP call
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNTHSTUDIO_OUT_DIR", str(tmp_path / "outdir"))
    import requests

    calls: list[str] = []
    monkeypatch.setattr(requests, "get", lambda url, *a, **k: calls.append(url))
    shell.user_ns["tiny"] = small_frame(30)

    # Run
    with capture_output() as captured:
        shell.run_line_magic("synth_profile", "tiny --full --minimal")

    # Assert
    report = tmp_path / "outdir" / "tiny_profile_full.html"
    assert not (tmp_path / "out").exists()
    assert report.is_file() and report.stat().st_size > 10_000
    html = report.read_text(encoding="utf-8")
    assert "<html" in html[:500].lower() and "ydata-profiling" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)  # assets inline: offline
    links = [o.data for o in captured.outputs if "<a href=" in o.data.get("text/html", "")]
    assert links and "tiny_profile_full.html'" in links[-1]["text/html"]  # a link, not text
    assert str(report.resolve()) in links[-1]["text/plain"]
    assert os.environ["YDATA_PROFILING_NO_ANALYTICS"] == "1" and calls == []


def test_full_honours_out(shell, tmp_path):
    shell.user_ns["tiny"] = small_frame(30)
    target = tmp_path / "reports" / "mine.html"
    with capture_output():
        shell.run_line_magic("synth_profile", f"tiny --full --minimal --out '{target}'")
    assert target.is_file()

"""Every panel and the sidebar in JupyterLab Light and Dark: axe-core finds no colour-contrast
violation, screenshots land in test-results/ui/; after save and reload the panels still show
their results (static HTML), never "Error displaying widget: model not found".

axe-core comes from npm (``node_modules/axe-core``, a devDependency) and is injected into the
page. ``SYNTHSTUDIO_UPDATE_SCREENSHOTS=1`` also refreshes the README's screenshots in
``docs/screenshots/`` (``scripts/screenshots.sh``).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from test_sidebar import notebook, open_sidebar, run_cell, sidebar, wait_for_output, wait_until_kernel_answers

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS = ROOT / "docs" / "screenshots"

CELLS = [
    'print("kernel ready")',
    """\
%load_ext synthstudio_kernel
import synthstudio_kernel as ss
df = ss.load_sample("insurance")
ss.register_dataset(df, "ui-panels", total_epsilon=5.0)
print("dataset registered")
""",
    "%synth_profile df",
    """\
import pandas as pd
people = pd.DataFrame({
    "email": [f"user{i}@example.com" for i in range(60)],
    "age": [20 + i % 50 for i in range(60)],
    "city": ["Paris", "Lyon", "Nice"] * 20,
})
%synth_pii people --apply-to people_clean
""",
    """\
%%dp_train df --name model
method: dp-tvae
epsilon: 2.0
epochs: 2
batch_size: 100
dataset: ui-panels
seed: 0
public_bounds: {age: [18, 64], bmi: [15, 55], children: [0, 5], charges: [1000, 65000]}
""",
    "synth = model.sample(1000, seed=1)\n%synth_evaluate df synth --target charges",
    "model.privacy_report()",
]
#: cell index -> (name, text its output shows once done)
PANELS = {
    2: ("profile", "Profile of df"),
    3: ("pii", "PII scan"),
    4: ("training", "Model bound to"),
    5: ("evaluation", "Scorecard bound to"),
    6: ("privacy-report", "Privacy report"),
}
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}


def axe_violations(target: Locator) -> list[dict[str, Any]]:
    """axe-core's colour-contrast violations inside ``target`` (nodes summarised)."""
    result = target.evaluate(
        "async (el) => (await axe.run(el, {runOnly: {type: 'rule', values: ['color-contrast']}})).violations"
    )
    return [
        {"id": v["id"], "nodes": [(n["target"], n.get("failureSummary", "")[:200]) for n in v["nodes"][:5]]}
        for v in result
    ]


def set_theme(page: Page, theme: str) -> None:
    # Settings ▸ Theme, through the command it runs (the app is exposed by the lab fixture)
    page.evaluate("(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})", THEMES[theme])
    light = "true" if theme == "light" else "false"
    expect(page.locator(f"body[data-jp-theme-light='{light}']")).to_have_count(1, timeout=30_000)
    page.wait_for_timeout(1500)  # theme CSS swaps in after the attribute


def output(page: Page, index: int) -> Locator:
    return notebook(page).locator(".jp-Cell").nth(index).locator(".jp-OutputArea")


def shoot(target: Locator | Page, path: Path) -> None:
    target.screenshot(path=path)
    if os.environ.get("SYNTHSTUDIO_UPDATE_SCREENSHOTS") and path.name in SHOWN_IN_README:
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / path.name)


#: The screenshots the README shows (small: one panel or the sidebar each).
SHOWN_IN_README = {"sidebar-light.png", "training-dark.png", "evaluation-light.png", "pii-dark.png", "profile-dark.png"}


@pytest.mark.skipif(not AXE.exists(), reason="node_modules/axe-core is missing: run yarn install")
def test_panels_and_sidebar_read_well_in_both_themes_and_survive_a_reload(page: Page, lab, artifacts):
    # Setup: run every panel once
    lab.write_notebook("panels.ipynb", CELLS)
    page.goto(lab.open_url("panels.ipynb"))
    open_sidebar(page)
    wait_until_kernel_answers(page)
    wait_for_output(run_cell(page, 1), "dataset registered")
    for index, (_name, done) in PANELS.items():
        cell = run_cell(page, index)
        finished = re.compile(f"{re.escape(done)}|Error|Refused")
        expect(cell.locator(".jp-OutputArea")).to_contain_text(finished, timeout=300_000)
        expect(cell.locator(".jp-OutputArea")).to_contain_text(done)
    page.get_by_title("Refresh budgets and runs").click()
    expect(sidebar(page).get_by_role("list", name="Recent runs")).to_contain_text("model = dp-tvae", timeout=30_000)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))

    # Run + Assert: no colour-contrast violation anywhere, in either theme
    found: dict[str, list[dict[str, Any]]] = {}
    for theme in THEMES:
        set_theme(page, theme)
        found[f"sidebar-{theme}"] = axe_violations(sidebar(page))
        shoot(sidebar(page), artifacts / f"sidebar-{theme}.png")
        for index, (name, _done) in PANELS.items():
            out = output(page, index)
            out.scroll_into_view_if_needed()
            found[f"{name}-{theme}"] = axe_violations(out)
            shoot(out, artifacts / f"{name}-{theme}.png")
    assert {k: v for k, v in found.items() if v} == {}

    # Run: save, reload (the kernel's widget models are not restored from the file)
    set_theme(page, "light")
    page.keyboard.press("Control+s")
    expect(page.get_by_role("tab", name=re.compile(r"^panels\.ipynb"))).not_to_have_class(
        re.compile("jp-mod-dirty"), timeout=30_000
    )
    page.reload()
    expect(notebook(page).locator(".jp-Cell").first).to_be_visible(timeout=60_000)

    # Assert: every panel shows its static HTML, no widget error
    for index, (name, _done) in PANELS.items():
        out = output(page, index)
        expect(out).not_to_contain_text("model not found", timeout=30_000)
        expect(out.locator(".ss-ui").first).to_be_visible(timeout=30_000)
        shoot(out, artifacts / f"{name}-after-reload.png")
    expect(page.get_by_text("Error displaying widget")).to_have_count(0)

"""The Synth Studio sidebar in a real JupyterLab: budgets, runs, compliance and live training.

One scenario, step by step (each step leaves a screenshot in test-results/ui/): open a notebook,
wait until its kernel really answers, train a small DP model, watch the live progress, then find
the dataset's budget and the new run (with compliance reasons and one badge per framework) in the
sidebar; attest an Expert Determination (the HIPAA badge turns attested); restart the kernel
and train again (live progress still arrives); switch notebooks (the live view follows).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

SETUP_CELL = """\
%load_ext synthstudio_kernel
import synthstudio_kernel as ss
df = ss.load_sample("adult").sample(2500, random_state=0).reset_index(drop=True)  # enough rows for DP ranges
ss.register_dataset(df, "ui-demo", total_epsilon=5.0)
print("dataset registered")
"""

EPOCHS = 4
TRAIN_CELL = """\
%%dp_train df --name model
method: dp-tvae
epsilon: 2.0
epochs: {epochs}
batch_size: 200
dataset: ui-demo
seed: 0
"""

ATTEST_CELL = """\
ss.attest(model, framework="hipaa", claim="expert_determination", who="Dr. Ada Expert", role="Expert",
          statement="Risk very small for the named recipient.", expires="2099-12-31")
print("attested")
"""


def notebook(page: Page) -> Locator:
    """The notebook in front."""
    return page.locator(".jp-NotebookPanel:visible")


def run_cell(page: Page, index: int) -> Locator:
    cell = notebook(page).locator(".jp-Cell").nth(index)
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    return cell


def wait_for_output(cell: Locator, text: str | re.Pattern[str], timeout: float = 120_000) -> None:
    expect(cell.locator(".jp-OutputArea-output").last).to_contain_text(text, timeout=timeout)


#: JupyterLab dialogs that a slow kernel start may raise over a fresh notebook (answered with
#: their default button); any other dialog fails the test with its text.
KERNEL_DIALOGS = ("Select Kernel", "Kernel Restarting", "Kernel Busy")


def answer_kernel_dialog(page: Page) -> None:
    """Answer a kernel dialog left over a fresh notebook; fail at once, with its text, on any
    other dialog (a click would otherwise wait out its timeout behind it)."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() == 0 or not dialog.first.is_visible():
        return
    text = dialog.first.inner_text()
    if not any(name in text for name in KERNEL_DIALOGS):
        raise AssertionError(f"unexpected JupyterLab dialog over the notebook: {text[:300]!r}")
    print(f"answered a JupyterLab dialog: {text[:200]!r}")
    dialog.first.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0, timeout=30_000)


def wait_until_kernel_answers(page: Page, attempts: int = 12) -> None:
    """The status reads idle before the kernel is connected, and a cell run too early is lost:
    run a trivial cell until its output appears. A notebook still loading shows a spinner over
    its cells (and a panel being switched away from hides them): wait those out too, and answer
    a kernel dialog (on a loaded machine, a dialog over the notebook once swallowed every click)."""
    for attempt in range(attempts):
        expect(notebook(page).locator(".jp-Spinner")).to_have_count(0, timeout=60_000)
        expect(notebook(page).locator(".jp-Cell").first).to_be_visible(timeout=60_000)
        answer_kernel_dialog(page)
        try:
            cell = run_cell(page, 0)
            wait_for_output(cell, "kernel ready", timeout=10_000)
            return
        except (AssertionError, PlaywrightTimeoutError):
            if attempt == attempts - 1:
                raise


def sidebar(page: Page) -> Locator:
    return page.locator("#synthstudio-sidebar")


def open_sidebar(page: Page) -> None:
    tab = page.locator('.jp-SideBar li[data-id="synthstudio-sidebar"]')
    expect(tab).to_be_visible(timeout=60_000)
    if not sidebar(page).is_visible():
        tab.click()
    expect(sidebar(page)).to_be_visible()


@pytest.fixture
def trained_page(page: Page, lab, artifacts):
    cells = ['print("kernel ready")', SETUP_CELL, TRAIN_CELL.format(epochs=EPOCHS), ATTEST_CELL]
    lab.write_notebook("train.ipynb", cells)
    page.goto(lab.open_url("train.ipynb"))
    open_sidebar(page)
    wait_until_kernel_answers(page)
    return page


def test_budget_runs_compliance_and_live_progress(trained_page: Page, lab, artifacts):
    page = trained_page
    live = sidebar(page).get_by_role("region", name="Live training", exact=True)
    # Setup: an empty ledger shows how to start
    expect(sidebar(page)).to_contain_text("No training in train.ipynb yet")
    wait_for_output(run_cell(page, 1), "dataset registered")
    gauge = sidebar(page).get_by_role("meter", name="Privacy budget of ui-demo")
    page.get_by_title("Refresh budgets and runs").click()
    expect(gauge).to_have_attribute("aria-valuetext", "ε 0 of 5 spent · 5 left", timeout=20_000)
    page.screenshot(path=artifacts / "01-registered.png")

    # Run: train, and watch the live progress while it runs
    train = run_cell(page, 2)
    expect(sidebar(page).locator(".jp-SynthStudio-live-running")).to_be_visible(timeout=120_000)
    progress = live.get_by_role("progressbar", name="Training progress")
    expect(progress).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]\d*$"), timeout=120_000)
    expect(live).to_contain_text("dp-tvae")
    expect(live).to_contain_text("ε spent")
    page.screenshot(path=artifacts / "02-training-live.png")

    # Assert: the training ends, the budget is charged, the run is listed with its compliance
    expect(sidebar(page).locator(".jp-SynthStudio-live-finished")).to_be_visible(timeout=180_000)
    expect(progress).to_have_attribute("aria-valuenow", str(EPOCHS))
    expect(live).to_contain_text("succeeded")
    wait_for_output(train, re.compile(r"ε|epsilon", re.I), timeout=60_000)
    expect(gauge).to_have_attribute(
        "aria-valuetext", re.compile(r"^ε (1\.9\d|2) of 5 spent · (3|3\.0\d) left$"), timeout=20_000
    )
    runs = sidebar(page).get_by_role("list", name="Recent runs")
    run = runs.get_by_role("listitem").filter(has_text="dp-tvae").first
    expect(run).to_contain_text("succeeded")
    expect(run).to_contain_text(re.compile(r"ε (1\.9\d|2) / 2 · δ 1e-5"))
    formal = run.get_by_role("button", name=re.compile("^Formal privacy: pass"))
    expect(formal).to_be_visible()
    # Reasons on hover (title) and on click (expanded list)
    expect(formal).to_have_attribute("title", re.compile(r"differential privacy with ε = (1\.9\d|2)"))
    formal.click()
    expect(formal).to_have_attribute("aria-expanded", "true")
    reasons = run.get_by_role("list", name=re.compile("^Why Formal privacy is pass"))
    expect(reasons).to_contain_text("RDP accountant")
    identifiers = run.get_by_role("button", name=re.compile("^Identifiers: "))
    expect(identifiers).to_be_visible()
    # One badge per framework, each with its state and its reasons on hover
    frameworks = run.get_by_role("group", name="Compliance frameworks")
    expect(frameworks.get_by_role("button")).to_have_count(4, timeout=30_000)
    labels = [b.get_attribute("aria-label") or "" for b in frameworks.get_by_role("button").all()]
    assert [label.split(":")[0] for label in labels] == ["HIPAA", "GDPR", "CCPA", "SOC 2"], labels
    hipaa = frameworks.get_by_role("button", name=re.compile(r"^HIPAA: "))
    expect(hipaa).to_have_attribute("data-state", re.compile(r"^(missing|measured)$"))
    expect(hipaa).to_have_attribute("title", re.compile(r"Awaiting attestation: Expert Determination"))
    page.screenshot(path=artifacts / "03-after-training.png")
    sidebar(page).screenshot(path=artifacts / "03-sidebar.png")

    # Run: an expert attests the determination in the notebook; the HIPAA badge turns attested
    gdpr_before = frameworks.get_by_role("button", name=re.compile(r"^GDPR: ")).get_attribute("data-state")
    wait_for_output(run_cell(page, 3), "attested")
    expect(hipaa).to_have_attribute("data-state", "attested", timeout=30_000)
    expect(hipaa).to_have_accessible_name("HIPAA: attested")
    expect(hipaa).to_have_attribute("title", re.compile(r"Attested \(Expert Determination\): Dr\. Ada Expert"))
    expect(frameworks.get_by_role("button", name=re.compile(r"^GDPR: "))).to_have_attribute("data-state", gdpr_before)
    hipaa.click()
    expect(run.get_by_role("list", name="Why HIPAA is attested")).to_contain_text("Dr. Ada Expert")
    sidebar(page).screenshot(path=artifacts / "03-sidebar-attested.png")

    # Run: restart the kernel (outputs cleared, so no stale output passes a wait); a new training
    # still streams its progress (other browser tests may share the session's ledger: count from here)
    before = runs.get_by_role("listitem").filter(has_text="dp-tvae").count()
    page.get_by_role("menuitem", name="Kernel").click()
    page.get_by_role("menuitem", name=re.compile(r"^Restart Kernel and Clear Outputs of All Cells…")).click()
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    wait_until_kernel_answers(page)
    wait_for_output(run_cell(page, 1), "dataset registered")
    run_cell(page, 2)
    expect(sidebar(page).locator(".jp-SynthStudio-live-running")).to_be_visible(timeout=120_000)
    expect(sidebar(page).locator(".jp-SynthStudio-live-finished")).to_be_visible(timeout=180_000)
    expect(runs.get_by_role("listitem").filter(has_text="dp-tvae")).to_have_count(before + 1, timeout=20_000)
    page.screenshot(path=artifacts / "04-after-restart.png")

    # Run: another notebook in front has its own (empty) live view; switching back restores it
    lab.write_notebook("other.ipynb", ['print("kernel ready")'])
    page.get_by_role("menuitem", name="File").click()
    page.get_by_role("menuitem", name="Open from Path…").click()
    page.get_by_placeholder("/path/relative/to/jlab/root").fill("other.ipynb")
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_role("tab", name=re.compile(r"^other\.ipynb"))).to_have_attribute(
        "aria-selected", "true", timeout=60_000
    )
    wait_until_kernel_answers(page)
    open_sidebar(page)  # opening by path showed the file browser
    expect(sidebar(page)).to_contain_text("No training in other.ipynb yet")
    page.get_by_role("tab", name=re.compile(r"^train\.ipynb")).click()
    expect(sidebar(page).locator(".jp-SynthStudio-live-finished")).to_be_visible(timeout=20_000)
    page.screenshot(path=artifacts / "05-notebook-switch.png")

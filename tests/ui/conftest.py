"""Browser tests: a real JupyterLab (temp dirs, free port, token) driven by pytest-playwright in
Debian's headless Chromium (scripts/chromium.sh installs it)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jupyter_process import running_jupyter

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "synthstudio-ui-token"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.ui)
            if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing: run scripts/chromium.sh"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


@pytest.fixture(scope="session")
def artifacts(pytestconfig: pytest.Config) -> Path:
    """Screenshots land in <--output>/ui/ (pytest-playwright's artifact folder, test-results/ by default)."""
    folder = Path(pytestconfig.rootpath) / str(pytestconfig.getoption("--output")) / "ui"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _notebook(cells: list[str]) -> dict[str, Any]:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell-{i}",
                "metadata": {},
                "outputs": [],
                "source": src,
            }
            for i, src in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@dataclass
class Lab:
    url: str
    root: Path
    home: Path
    log: Path

    def write_notebook(self, name: str, cells: list[str]) -> str:
        (self.root / name).write_text(json.dumps(_notebook(cells)))
        return name

    def open_url(self, path: str) -> str:
        return f"{self.url}lab/tree/{path}?reset&token={TOKEN}"


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab with the installed Synth Studio extensions, a private SYNTHSTUDIO_HOME and
    private settings/workspaces (no news or update pop-ups)."""
    base = tmp_path_factory.mktemp("lab")
    root, home, runtime = base / "root", base / "home", base / "runtime"
    settings, workspaces = base / "settings", base / "workspaces"
    for folder in (root, home, runtime, settings, workspaces):
        folder.mkdir()
    notifications = settings / "@jupyterlab" / "apputils-extension"
    notifications.mkdir(parents=True)
    (notifications / "notification.jupyterlab-settings").write_text(
        json.dumps({"checkForUpdates": False, "fetchNews": "false"})
    )
    env = {
        **os.environ,
        "SYNTHSTUDIO_HOME": str(home),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(workspaces),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("SYNTHSTUDIO_DB_URL", None)
    log = base / "lab.log"
    extra = ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.expose_app_in_browser=True"]
    with running_jupyter("jupyterlab", root=root, env=env, token=TOKEN, log=log, extra_args=extra) as url:
        yield Lab(url=url, root=root, home=home, log=log)

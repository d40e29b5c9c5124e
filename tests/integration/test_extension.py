"""%load_ext registers every magic, and neither import nor %load_ext pulls heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from IPython.core.error import UsageError

from synthstudio_kernel.notebook.magics import COMMANDS

HEAVY = [
    "torch",
    "sdv",
    "presidio_analyzer",
    "ydata_profiling",
    "opacus",
    "sdmetrics",
    "anonymeter",
    "sqlalchemy",
    "duckdb",
    "pyspark",
]


def test_load_ext_registers_all_magics(shell):
    magics = shell.magics_manager.magics
    for name, (kind, _) in COMMANDS.items():
        assert name in magics[kind], f"%{name} is not registered"


def test_every_magic_module_exists_and_exports_its_function():
    import importlib

    for name, (_, target) in COMMANDS.items():
        module_name, _, attr = target.partition(":")
        assert callable(getattr(importlib.import_module(module_name), attr)), name


def test_import_and_load_ext_stay_light():
    code = (
        "import sys, json\n"
        "import synthstudio_kernel\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance().run_line_magic('load_ext', 'synthstudio_kernel')\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("magic", ["synth_profile", "synth_pii"])
def test_missing_or_wrong_variable_is_one_line(shell, magic):
    with pytest.raises(UsageError, match="No variable named 'nothing_here'"):
        shell.run_line_magic(magic, "nothing_here")
    shell.user_ns["not_a_frame"] = [1, 2, 3]
    with pytest.raises(UsageError, match="'not_a_frame' is a list, not a pandas DataFrame"):
        shell.run_line_magic(magic, "not_a_frame")

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


#: The magics the README and DESIGN.md promise, written out here (not read from COMMANDS,
#: so that a magic dropped from the registry or registered as the wrong kind fails this test).
DOCUMENTED = {
    "synth_profile": "line",
    "synth_pii": "line",
    "dp_train": "cell",
    "synth_sample": "line",
    "synth_budget": "line",
    "synth_evaluate": "line",
}


def test_load_ext_registers_every_documented_magic_as_its_kind(shell):
    magics = shell.magics_manager.magics
    for name, kind in DOCUMENTED.items():
        assert name in magics[kind], f"%{name} is not registered as a {kind} magic"
        other = "cell" if kind == "line" else "line"
        assert name not in magics[other], f"%{name} is also registered as a {other} magic"
    assert set(DOCUMENTED) <= set(COMMANDS)


#: A call of each magic that only its own module can answer, and a piece of that answer.
PROBES = {
    "synth_profile": ("ghost_variable", "No variable named 'ghost_variable'"),
    "synth_pii": ("ghost_variable --sample-size 5", "--sample-size must be at least 10"),
    "dp_train": ("ghost_variable --name m", "No variable named 'ghost_variable'"),
    "synth_sample": ("ghost_model 0", "the number of rows must be at least 1"),
    "synth_budget": ("--runs x", "--runs must be a whole number"),
    "synth_evaluate": ("ghost_real ghost_synth", "No variable named 'ghost_real'"),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_documented_magic_reaches_its_module(shell, name):
    # Run: a registry entry pointing at a missing module or function, or the wrong kind, fails here
    line, expected = PROBES[name]
    with pytest.raises(UsageError) as info:
        if DOCUMENTED[name] == "cell":
            shell.run_cell_magic(name, line, "method: tvae\n")
        else:
            shell.run_line_magic(name, line)

    # Assert
    assert expected in str(info.value) and "\n" not in str(info.value)


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

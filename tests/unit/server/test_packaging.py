"""One version for Python and TypeScript; pip installs the lab and server extensions enabled."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import synthstudio_kernel
from synthstudio_kernel.schema import definitions, load_schema

ROOT = Path(__file__).resolve().parents[3]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def jupyter(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", *args], capture_output=True, text=True, timeout=120, check=True
    )
    return ANSI.sub("", result.stdout + result.stderr)


def test_package_json_and_python_share_one_version():
    package = json.loads((ROOT / "package.json").read_text())
    assert package["version"] == synthstudio_kernel.__version__


def test_lab_extension_paths_point_at_the_build_output():
    package = json.loads((ROOT / "package.json").read_text())
    (paths,) = synthstudio_kernel._jupyter_labextension_paths()
    assert paths["dest"] == package["name"]
    assert Path(synthstudio_kernel.__file__).parent / paths["src"] == ROOT / package["jupyterlab"]["outputDir"]


def test_the_built_extension_carries_the_same_version():
    built = ROOT / "synthstudio_kernel" / "labextension" / "package.json"
    assert built.exists(), "The lab extension is not built: pip install -e . (or jlpm build) builds it."
    assert json.loads(built.read_text())["version"] == synthstudio_kernel.__version__


def test_pip_install_enables_both_extensions():
    labextensions = jupyter("labextension", "list")
    assert re.search(r"synthstudio-lab v0\.1\.0 enabled\s+OK", labextensions), labextensions
    server = jupyter("server", "extension", "list")
    assert re.search(r"synthstudio_kernel enabled", server), server
    assert re.search(r"synthstudio_kernel 0\.1\.0 OK", server), server


def test_the_schema_defines_every_wire_shape():
    schema = load_schema()
    assert set(schema["properties"]) == {
        "datasets", "dataset", "runs", "run", "compliance", "framework_badges", "frameworks", "comm",
    }  # fmt: skip
    for name in (
        "DatasetsResponse", "DatasetDetail", "RunsResponse", "RunDetail", "ComplianceStatus", "CommMessage",
        "FrameworkBadges", "FrameworkBadgesResponse",
    ):  # fmt: skip
        assert name in definitions()

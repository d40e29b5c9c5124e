"""Test-wide setup: offline settings, a private SYNTHSTUDIO_HOME, a real IPython shell."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Offline-safe settings, before any library reads them.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("YDATA_PROFILING_NO_ANALYTICS", "1")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

# Never touch the user's ~/.synthstudio or the repo's out/ from tests (kernels started by
# nbval inherit these too).
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="synthstudio-tests-"))
os.environ["SYNTHSTUDIO_HOME"] = str(_SESSION_DIR / "home")
os.environ["SYNTHSTUDIO_OUT_DIR"] = str(_SESSION_DIR / "out")
os.environ.pop("SYNTHSTUDIO_DB_URL", None)


@pytest.fixture
def synth_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty SYNTHSTUDIO_HOME (and so a fresh SQLite ledger) for one test."""
    home = tmp_path / "synthstudio-home"
    monkeypatch.setenv("SYNTHSTUDIO_HOME", str(home))
    monkeypatch.delenv("SYNTHSTUDIO_DB_URL", raising=False)
    return home


@pytest.fixture
def shell() -> Iterator[object]:
    """A real IPython InteractiveShell with the extension loaded and a clean namespace."""
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "synthstudio_kernel")
    before = set(ip.user_ns)
    yield ip
    for name in set(ip.user_ns) - before:
        ip.user_ns.pop(name, None)


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local Spark session (local[2]) for the whole test run: its JVM takes long to start.

    Skipped when pyspark or Java is missing locally; CI (CI=true) installs both, so there
    a missing one fails instead of skipping.
    """
    import shutil

    reason = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed (pip install 'synthstudio-kernel[spark]')"
    if reason is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        reason = "no Java runtime (apt-get install default-jre-headless)"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"Spark tests must run in CI: {reason}")
        pytest.skip(reason)
    from synthstudio_kernel.data.spark_table import local_spark

    session = local_spark("synthstudio-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def one_torch_thread() -> Iterator[None]:
    """One torch thread for a module's DP trainings: on a shared CPU more threads only spin."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)

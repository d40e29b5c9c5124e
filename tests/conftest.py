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

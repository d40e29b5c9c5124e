"""A real Jupyter server (subprocess, free port, token) with the Synth Studio extension enabled,
and a ledger in the same SYNTHSTUDIO_HOME for the tests to write to."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jupyter_process import running_jupyter

TOKEN = "synthstudio-test-token"


@dataclass
class Server:
    url: str
    home: Path
    log: Path

    def request(self, path: str, *, token: str | None = TOKEN) -> tuple[int, Any, str]:
        """GET ``path`` (under the server root); returns (status, parsed JSON or None, raw text)."""
        req = urllib.request.Request(self.url + path.lstrip("/"))
        if token is not None:
            req.add_header("Authorization", f"token {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode()
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        return status, body, text

    def get(self, path: str) -> Any:
        status, body, text = self.request(path)
        assert status == 200, f"{path} answered {status}: {text}"
        return body


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("server")
    home, root, runtime = base / "home", base / "root", base / "runtime"
    for folder in (home, root, runtime):
        folder.mkdir()
    env = {**os.environ, "SYNTHSTUDIO_HOME": str(home), "JUPYTER_RUNTIME_DIR": str(runtime)}
    env.pop("SYNTHSTUDIO_DB_URL", None)
    log = base / "server.log"
    with running_jupyter("jupyter_server", root=root, env=env, token=TOKEN, log=log, start_timeout=90) as url:
        yield Server(url=url, home=home, log=log)


@pytest.fixture
def ledger(server: Server, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The ledger the server reads (same SQLite file). Shared by the tests: use unique dataset names."""
    from synthstudio_kernel.privacy.ledger import close_ledgers, get_ledger

    monkeypatch.setenv("SYNTHSTUDIO_HOME", str(server.home))
    monkeypatch.delenv("SYNTHSTUDIO_DB_URL", raising=False)
    close_ledgers()
    yield get_ledger()
    close_ledgers()

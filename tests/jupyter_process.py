"""Start a real Jupyter server (or JupyterLab) in a subprocess for a test session.

Shared by the server-handler tests and the browser tests: a free port on 127.0.0.1, a token,
private folders, and a wait until ``/api/status`` answers.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_jupyter(
    module: str,
    *,
    root: Path,
    env: Mapping[str, str],
    token: str,
    log: Path,
    extra_args: Sequence[str] = (),
    start_timeout: float = 120,
) -> Iterator[str]:
    """Run ``python -m <module>`` (jupyter_server or jupyterlab) and yield its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        module,
        f"--port={port}",
        "--ip=127.0.0.1",
        "--no-browser",
        "--allow-root",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        *extra_args,
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=dict(env), stdout=out, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + start_timeout
        while not _answers(f"{url}api/status?token={token}"):
            if process.poll() is not None:
                pytest.fail(f"{module} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{module} did not start in {start_timeout:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False

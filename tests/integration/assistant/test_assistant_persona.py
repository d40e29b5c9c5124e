"""The Jupyter AI persona: through a chat document, and in a real Jupyter server.

The server test registers the persona through a real ``jupyter_ai.personas`` entry point (a
dist-info on the server's path, as ``pip install`` writes one) and sends a message through
``POST /api/ai/message/SynthStudio``, the route that jupyter-ai 3.x's ``%%ai ...@SynthStudio``
magic calls. The persona reads the run from the ledger in the server process.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from jupyter_process import running_jupyter

ENTRY_POINT = "synthstudio = synthstudio_kernel.ai.persona:SynthStudioPersona\n"


def test_pyproject_registers_the_persona_entry_point() -> None:
    import tomllib

    from synthstudio_kernel.ai.persona import SynthStudioPersona

    project = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())["project"]
    target = project["entry-points"]["jupyter_ai.personas"]["synthstudio"]
    assert f"synthstudio = {target}\n" == ENTRY_POINT
    assert SynthStudioPersona.__name__ == target.rsplit(":", 1)[1]


def test_persona_answers_in_the_chat_document(recorded: Any) -> None:
    # Setup: a real chat document and the real BasePersona machinery (on_message).
    from jupyterlab_chat.models import Message, User
    from jupyterlab_chat.ychat import YChat

    from synthstudio_kernel.ai.persona import SynthStudioPersona

    chat = YChat()
    chat.set_user(User(username="alice", name="Alice", display_name="Alice"))
    persona = SynthStudioPersona(chat=chat)
    question = "@SynthStudio what is the fidelity score of the last run?"
    message = Message(id="m1", body=question, time=time.time(), sender="alice", raw_time=False)

    # Run
    asyncio.run(persona.on_message(message))

    # Assert
    replies = [m for m in chat.get_messages() if m.sender == persona.id]
    assert len(replies) == 1
    assert f"{recorded.card.scores['fidelity']:.2f}" in replies[0].body
    assert "ledger: run" in replies[0].body and "Facts cited" in replies[0].body
    assert persona.name == "SynthStudio"


@pytest.mark.slow
def test_persona_answers_in_a_real_jupyter_server(recorded: Any, tmp_path: Path) -> None:
    # Setup: the entry point as an installed distribution would declare it.
    site = tmp_path / "site"
    dist = site / "synthstudio_persona_under_test-0.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: synthstudio-persona-under-test\nVersion: 0.0\n")
    (dist / "entry_points.txt").write_text(f"[jupyter_ai.personas]\n{ENTRY_POINT}")
    root = tmp_path / "root"
    root.mkdir()
    repo = str(Path(__file__).parents[3])
    env = {
        **os.environ,
        "SYNTHSTUDIO_HOME": str(recorded.home),
        "PYTHONPATH": os.pathsep.join([str(site), repo, os.environ.get("PYTHONPATH", "")]),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    token = "synthstudio-test"
    question = "@SynthStudio what is the fidelity score of the last run?"

    # Run
    with running_jupyter("jupyter_server", root=root, env=env, token=token, log=tmp_path / "server.log") as url:
        request = urllib.request.Request(
            f"{url}api/ai/message/SynthStudio",
            data=json.dumps({"message": question}).encode(),
            headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.loads(response.read())

    # Assert
    reply = body["response"]
    assert f"{recorded.card.scores['fidelity']:.2f}" in reply, (reply, (tmp_path / "server.log").read_text()[-3000:])
    assert recorded.model.run.id[:12] in reply

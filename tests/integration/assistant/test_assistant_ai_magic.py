"""``%%ai synthstudio`` (jupyter-ai 3.x magics) answers from the engine in the kernel.

jupyter-ai-magic-commands needs litellm, whose importlib-metadata<9 conflicts with this
project's pin, so it is not in the project's environment: the end-to-end test runs where it is
installed (e.g. a separate venv) and is skipped otherwise; the message handling runs everywhere.
"""

from __future__ import annotations

from typing import Any

import pytest
from IPython.utils.capture import capture_output

from synthstudio_kernel.ai import litellm_provider


def test_the_question_is_the_last_user_message(recorded: Any) -> None:
    messages = [
        {"role": "user", "content": "earlier question"},
        {"role": "assistant", "content": "earlier answer"},
        {"role": "user", "content": [{"type": "text", "text": "What is the fidelity score?"}]},
    ]
    assert litellm_provider.question_of(messages) == "What is the fidelity score?"
    text = litellm_provider.answer_text(messages)
    assert f"{recorded.card.scores['fidelity']:.2f}" in text and "Facts cited" in text
    assert "Ask a question" in litellm_provider.answer_text([])


def test_percent_percent_ai_synthstudio_reaches_the_engine(shell: Any, recorded: Any) -> None:
    pytest.importorskip("jupyter_ai_magic_commands", reason="jupyter-ai's magics (and litellm) are not installed")

    # Setup: the magics load after ours, as a user would type them.
    with capture_output():
        shell.run_line_magic("load_ext", "jupyter_ai_magic_commands")

    # Run: the magic returns its Markdown as the cell's result
    with capture_output() as captured:
        result = shell.run_cell("%%ai synthstudio\nWhat is the fidelity score of the last run?\n")

    # Assert
    shown = str(getattr(result.result, "data", ""))
    assert result.success and f"{recorded.card.scores['fidelity']:.2f}" in shown, (shown, captured.stderr)
    assert recorded.model.run.id[:12] in shown and "Facts cited" in shown

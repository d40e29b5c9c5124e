"""``%synth_ask`` in a real InteractiveShell: rendered answers, one-line errors."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output


def test_synth_ask_renders_the_answer_with_facts_and_suggestions(shell: Any, recorded: Any) -> None:
    # Run
    with capture_output() as captured:
        shell.run_line_magic("synth_ask", "why can't I release this publicly?")

    # Assert
    answer = shell.user_ns["_synth_answer"]
    html = captured.outputs[0].data["text/html"]
    assert answer.intent == "verdict"
    assert "Facts cited" in html and "<b>Suggestions</b>" in html
    assert "no formal privacy guarantee" in html
    assert recorded.model.run.id[:12] in html


def test_synth_ask_takes_a_context_variable_a_run_or_a_dataset(shell: Any, recorded: Any) -> None:
    shell.user_ns["lost"] = recorded.lost_card
    with capture_output():
        shell.run_line_magic("synth_ask", "--context lost why is utility low?")
    assert "real target classes appear" in shell.user_ns["_synth_answer"].text

    fidelity = f"{recorded.card.scores['fidelity']:.2f}"
    with capture_output():
        shell.run_line_magic("synth_ask", f"--run {recorded.model.run.id} what's the fidelity score?")
    assert fidelity in shell.user_ns["_synth_answer"].text

    with capture_output():
        shell.run_line_magic("synth_ask", "--dataset=insurance how much budget is left?")
    assert shell.user_ns["_synth_answer"].intent == "budget"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "ask a question"),
        ("   ", "ask a question"),
        ("--bogus what?", "unknown option --bogus"),
        ("--run abc --dataset insurance what?", "give one of --context, --run, --dataset"),
        ("--context nothing_here what?", "No variable named 'nothing_here'"),
        ("--run nosuchrun what is the fidelity?", "No run or dataset named 'nosuchrun'"),
    ],
)
def test_synth_ask_errors_are_one_line(shell: Any, recorded: Any, line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        shell.run_line_magic("synth_ask", line)
    assert "\n" not in str(caught.value)


def test_a_trailing_question_mark_reaches_the_magic_not_ipythons_help(shell: Any, recorded: Any) -> None:
    # Run: through the input transformers, as a notebook cell is run
    with capture_output() as captured:
        result = shell.run_cell("x = 1\n%synth_ask Is this good enough to share with partners?\n")

    # Assert
    assert result.success, result.error_in_exec
    assert "Object" not in captured.stdout
    assert shell.user_ns["_synth_answer"].question == "Is this good enough to share with partners?"
    assert shell.user_ns["_synth_answer"].intent == "verdict"
    assert "synthstudio-answer" in captured.outputs[0].data["text/html"]


def test_the_cleanup_transformer_only_touches_synth_ask_lines() -> None:
    from synthstudio_kernel.notebook.magics.ask import keep_question_marks

    lines = ["df.describe?\n", "  %synth_ask what's ε?\n", "%synth_askew x\n", "%%synth_ask\n"]
    assert keep_question_marks(lines) == [
        "df.describe?\n",
        "  get_ipython().run_line_magic('synth_ask', \"what's ε?\")\n",
        "%synth_askew x\n",
        "%%synth_ask\n",
    ]

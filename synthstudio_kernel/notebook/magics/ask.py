"""``%synth_ask [--context VAR | --run ID | --dataset NAME] [--phrase] question``

Answers a quality or privacy question from the recorded facts (``ss.ask``) and shows the
answer with its suggestions and the facts it cites. Without an option the context is the
kernel's latest model and scorecard (else the ledger's latest evaluated run). The question
is taken as written (apostrophes and question marks welcome); options come first.

IPython reads a line ending in ``?`` as a help request (``obj?``) before any magic runs, so
:func:`keep_question_marks` (an input cleanup transformer installed with the magics) hands
``%synth_ask`` lines to the magic first.
"""

from __future__ import annotations

import re
from typing import Any

from IPython.core.error import UsageError
from IPython.display import display

USAGE = "%synth_ask [--context VAR | --run ID | --dataset NAME] [--phrase] question"
_LINE = re.compile(r"^(?P<indent>[ \t]*)%synth_ask(?:[ \t]+(?P<rest>.*?))?[ \t]*(?P<end>\r?\n?)$")
_OPTION = re.compile(r"^\s*--(context|run|dataset)(?:\s+|=)(\S+)|^\s*--(phrase)\b")


def keep_question_marks(lines: list[str]) -> list[str]:
    """Rewrite ``%synth_ask ...?`` lines as explicit magic calls, so that IPython's help syntax
    (a trailing ``?``) does not swallow the question."""
    out = []
    for line in lines:
        match = _LINE.match(line)
        if match is None:
            out.append(line)
            continue
        rest = match.group("rest") or ""
        out.append(f"{match.group('indent')}get_ipython().run_line_magic('synth_ask', {rest!r}){match.group('end')}")
    return out


def install_input_transformer(shell: Any) -> None:
    """Add :func:`keep_question_marks` to the shell's input cleanup (once)."""
    cleanup = getattr(shell, "input_transformers_cleanup", None)
    if cleanup is not None and keep_question_marks not in cleanup:
        cleanup.append(keep_question_marks)


def parse_line(line: str) -> tuple[dict[str, str], bool, str]:
    """(context option, phrase flag, question) from the magic's line."""
    options: dict[str, str] = {}
    phrase = False
    rest = line
    while rest.lstrip().startswith("--"):
        match = _OPTION.match(rest)
        if match is None:
            word = rest.split()[0]
            raise UsageError(f"%synth_ask: unknown option {word}. Usage: {USAGE}")
        if match.group(3):
            phrase = True
        else:
            if options:
                raise UsageError(f"%synth_ask: give one of --context, --run, --dataset. Usage: {USAGE}")
            options[match.group(1)] = match.group(2)
        rest = rest[match.end() :]
    question = rest.strip()
    if not question:
        raise UsageError(f"%synth_ask: ask a question, e.g. %synth_ask why is utility low? Usage: {USAGE}")
    return options, phrase, question


def synth_ask(shell: Any, line: str) -> None:
    """Answer a question about the latest run (or the given context) and display it."""
    from ...assistant import ask
    from ._common import get_variable

    options, phrase, question = parse_line(line)
    context: Any = None
    if "context" in options:
        context = get_variable(shell, options["context"])
    elif options:
        context = next(iter(options.values()))
    answer = ask(question, context=context, phrase=True if phrase else None)
    shell.user_ns["_synth_answer"] = answer
    display(answer)

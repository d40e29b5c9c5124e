"""The persona's logic without Jupyter: a chat message in, a Markdown reply out.

In the server process there is no kernel memory: the answer reads the ledger (the latest
evaluated run, its scorecard digest and privacy report, the dataset's budget), or the run id
or dataset the question names.
"""

from __future__ import annotations

import logging
import os
import re

from ..errors import SynthStudioError

PERSONA_NAME = "SynthStudio"
_MENTION = re.compile(r"@[\w-]+:?")
_log = logging.getLogger(__name__)


def question_of(body: str) -> str:
    """The message without its @-mentions."""
    return re.sub(r"\s+", " ", _MENTION.sub(" ", body)).strip()


def reply(body: str, *, model: str | None = None) -> str:
    """The Markdown reply to a chat message. ``model`` (a litellm id, else the environment's
    ``SYNTHSTUDIO_ASSISTANT_MODEL``) turns on phrasing; its reply passes the number check or is
    not used."""
    from ..assistant import ask, phrasing

    question = question_of(body)
    if not question:
        return f"Ask me about your synthetic data, e.g. @{PERSONA_NAME} is the last run good enough to share?"
    model = model or os.environ.get(phrasing.ENV_MODEL) or None
    try:
        answer = ask(question, use_memory=False, phrase=False)
        if model:
            answer = phrasing.maybe_phrase(answer, enabled=True, complete=phrasing.litellm_complete(model), model=model)
    except SynthStudioError as exc:
        return f"I could not answer: {exc}"
    return answer.to_markdown()

"""Optional LLM phrasing of a deterministic answer; off by default.

When a model is configured (:func:`configure`, or the environment variable
``SYNTHSTUDIO_ASSISTANT_MODEL`` naming a litellm model such as ``ollama/llama3``), the
question, the deterministic answer and the cited facts (label, text, source) are sent to it
with the instruction to rephrase without adding figures. Nothing else is sent: no rows, no
cell values, no data frame, no file. :func:`ungrounded_numbers` then rejects any reply holding a
number that is not one of the facts' numbers (or a correct rounding of one); a rejected or
failed reply leaves the deterministic answer in place, and ``answer.phrasing`` says why.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .answer import Answer
from .numbers import ungrounded

Messages = list[dict[str, str]]
Complete = Callable[[Messages], str]
ENV_MODEL = "SYNTHSTUDIO_ASSISTANT_MODEL"

SYSTEM_PROMPT = (
    "You rephrase answers of the Synth Studio assistant about synthetic data quality and privacy. "
    "Rewrite the given answer so that it reads naturally for the user's question. Use only the facts given: "
    "do not add, compute, round differently or estimate any number, and do not add claims. Keep every figure "
    "exactly as written in the facts. Answer in at most a few short paragraphs."
)


@dataclass
class _Config:
    complete: Complete | None = None
    model: str | None = None


_config = _Config()


def configure(*, model: str | None = None, complete: Complete | None = None) -> None:
    """Turn phrasing on with a litellm ``model`` id, or with any ``complete(messages) -> str``
    function; ``configure()`` with neither turns it off again."""
    _config.model = model
    _config.complete = complete


def configured() -> tuple[str | None, Complete | None]:
    """(model name, completion function) in use, or (None, None) when phrasing is off."""
    if _config.complete is not None:
        return _config.model or "custom model", _config.complete
    model = _config.model or os.environ.get(ENV_MODEL) or None
    if model:
        return model, litellm_complete(model)
    return None, None


def litellm_complete(model: str) -> Complete:
    """A completion function over litellm (imported on first call; it must be installed)."""

    def complete(messages: Messages) -> str:
        try:
            import litellm
        except ImportError as exc:
            raise RuntimeError("litellm is not installed") from exc
        response: Any = litellm.completion(model=model, messages=messages, stream=False)
        return str(response.choices[0].message.content or "")

    return complete


def build_messages(answer: Answer) -> Messages:
    """Exactly what is sent to the model: the question, the answer and its facts."""
    facts = "\n".join(f"- {f.label}: {f.text} (source: {f.source})" for f in answer.all_facts())
    suggestions = "\n".join(f"- {s.line()}" for s in answer.suggestions)
    user = (
        f"Question: {answer.question}\n\nAnswer to rephrase:\n{answer.deterministic_text or answer.text}\n\n"
        f"Facts (the only figures you may use):\n{facts or '- none'}"
    )
    if suggestions:
        user += f"\n\nSuggestions (keep them):\n{suggestions}"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def ungrounded_numbers(reply: str, answer: Answer) -> list[str]:
    """The numbers in ``reply`` that no fact of ``answer`` holds."""
    allowed = [n for f in answer.all_facts() for n in f.numbers()]
    return ungrounded(reply, allowed)


def maybe_phrase(
    answer: Answer, *, enabled: bool | None = None, complete: Complete | None = None, model: str | None = None
) -> Answer:
    """Rephrase ``answer`` with the configured model (or ``complete``) when enabled; keep the
    deterministic text when the reply fails the number check or the call fails."""
    if enabled is False:
        return answer
    if complete is None:
        model, complete = configured()
    if complete is None:
        if enabled:
            answer.phrasing = {"used": False, "reason": "no model is configured for phrasing"}
        return answer
    name = model or "custom model"
    try:
        reply = complete(build_messages(answer)).strip()
    except Exception as exc:
        answer.phrasing = {"used": False, "model": name, "reason": f"the model call failed ({type(exc).__name__})"}
        return answer
    bad = ungrounded_numbers(reply, answer)
    if not reply or bad:
        reason = "empty reply" if not reply else "the reply held numbers not in the facts: " + ", ".join(bad)
        answer.phrasing = {"used": False, "model": name, "reason": reason, "rejected_reply": reply}
        return answer
    answer.text = reply
    answer.phrasing = {"used": True, "model": name}
    return answer

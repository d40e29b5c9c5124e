"""``%%ai synthstudio``: a litellm custom provider that answers from the engine in the kernel.

jupyter-ai 3.x's magics (jupyter-ai-magic-commands) call ``litellm.completion(model=...)``
and accept a model id only when it is in their static list or an alias. :func:`register`
adds the litellm provider ``synthstudio`` (model ``synthstudio/ask``) and, when the magics are
loaded, the alias ``synthstudio``; :func:`connect` does it as soon as litellm appears in the
kernel (checked before each cell, at no cost), so the load order does not matter:

    %load_ext synthstudio_kernel
    %load_ext jupyter_ai_magic_commands
    %%ai synthstudio
    Why is utility low?

The answer is ``ss.ask`` over the kernel's latest model and scorecard (the facts cited, the
suggestions listed), as Markdown. No network and no other model are involved. litellm is
never imported here unless it is already loaded or :func:`register` is called.
"""

from __future__ import annotations

import sys
from typing import Any

PROVIDER = "synthstudio"
MODEL = f"{PROVIDER}/ask"
ALIAS = "synthstudio"


def question_of(messages: list[dict[str, Any]]) -> str:
    """The last user message's text (a string, or the text parts of a content list)."""
    for message in reversed(messages or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, list):
            return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict)).strip()
        return str(content or "").strip()
    return ""


def answer_text(messages: list[dict[str, Any]]) -> str:
    """The engine's Markdown answer to the last user message."""
    from ..assistant import ask
    from ..errors import SynthStudioError

    question = question_of(messages)
    if not question:
        return "Ask a question about your synthetic data, e.g. “Why is utility low?”"
    try:
        return ask(question).to_markdown()
    except SynthStudioError as exc:
        return f"I could not answer: {exc}"


def _handler() -> Any:
    import litellm

    class SynthStudioLLM(litellm.CustomLLM):  # type: ignore[misc, name-defined]
        """litellm calls ``completion`` with ``model`` and ``messages`` (and more, ignored)."""

        def completion(self, *args: Any, **kwargs: Any) -> Any:
            text = answer_text(kwargs.get("messages") or [])
            return litellm.ModelResponse(
                model=MODEL,
                choices=[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            )

        async def acompletion(self, *args: Any, **kwargs: Any) -> Any:
            return self.completion(*args, **kwargs)

    return SynthStudioLLM()


def register(shell: Any = None) -> bool:
    """Register the provider with litellm (imported here) and the alias with loaded ``%%ai``
    magics; True when something new was registered."""
    import litellm

    changed = False
    providers = list(getattr(litellm, "custom_provider_map", None) or [])
    if not any(p.get("provider") == PROVIDER for p in providers):
        litellm.custom_provider_map = [*providers, {"provider": PROVIDER, "custom_handler": _handler()}]
        changed = True
    magics = _ai_magics(shell)
    if magics is not None and ALIAS not in magics.aliases:
        magics.aliases[ALIAS] = {"target": MODEL, "api_base": None, "api_key_name": None}
        changed = True
    return changed


def connect(shell: Any) -> None:
    """Register as soon as litellm is loaded in this kernel (checked before each cell)."""

    def before_cell(*_: Any) -> None:
        if "litellm" in sys.modules:
            register(shell)

    if not any(
        getattr(cb, "__qualname__", "") == before_cell.__qualname__ for cb in shell.events.callbacks["pre_run_cell"]
    ):
        shell.events.register("pre_run_cell", before_cell)


def _ai_magics(shell: Any) -> Any:
    if shell is None:
        return None
    registry = getattr(getattr(shell, "magics_manager", None), "registry", {}) or {}
    return registry.get("AiMagics")

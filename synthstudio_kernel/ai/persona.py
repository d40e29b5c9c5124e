"""The Synth Studio persona for Jupyter AI 3.x (``BasePersona.process_message``).

Registered under the entry point group ``jupyter_ai.personas``. It answers from the same
engine as ``ss.ask``, reading runs, scorecards and budgets from the ledger in the server
process (see :mod:`.chat`). With a model chosen for it in Jupyter AI (or
``SYNTHSTUDIO_ASSISTANT_MODEL``), the model may rephrase the answer; a reply holding a number
that is not in the facts is discarded.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from jupyter_ai_persona_manager import BasePersona, PersonaDefaults
from jupyterlab_chat.models import Message

from .chat import PERSONA_NAME, reply

AVATAR_PATH = str(Path(__file__).with_name("avatar.svg"))


class SynthStudioPersona(BasePersona):
    """Answers quality and privacy questions about synthetic data from recorded facts."""

    @property
    def defaults(self) -> PersonaDefaults:
        return PersonaDefaults(
            name=PERSONA_NAME,
            description="Answers quality and privacy questions about your synthetic data from the recorded "
            "scorecards, privacy reports and budget ledger, offline.",
            avatar_path=AVATAR_PATH,
            system_prompt="Rephrase Synth Studio's answers; never add numbers that are not in the facts.",
            slash_commands=set(),
        )

    async def process_message(self, message: Message) -> None:
        model = self.get_model()
        text = await asyncio.to_thread(reply, message.body, model=model)
        self.send_message(text)

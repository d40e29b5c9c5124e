"""Synth Studio in Jupyter AI: a chat persona and a litellm provider, both over ``assistant/``.

- ``persona.SynthStudioPersona`` is registered under the entry point group ``jupyter_ai.personas``
  (it imports jupyter_ai_persona_manager, so it loads only when Jupyter AI loads it); ``chat``
  holds its logic without any Jupyter import. ``%%ai <anything>@SynthStudio`` reaches it through
  the server (``POST /api/ai/message/SynthStudio``) and reads the ledger.
- ``litellm_provider`` makes ``%%ai synthstudio`` answer in the kernel, from the kernel's latest
  model and scorecard, once jupyter-ai's magics have loaded litellm.
"""

"""Synth Studio in Jupyter AI: a chat persona over the assistant (``assistant/``).

``persona.SynthStudioPersona`` is registered under the entry point group
``jupyter_ai.personas``; it imports jupyter_ai_persona_manager, so it loads only when Jupyter
AI loads it. ``chat`` holds the persona's logic without any Jupyter import. In jupyter-ai 3.x,
``%%ai <anything>@SynthStudio`` sends a cell to the persona through the server
(``POST /api/ai/message/SynthStudio``), so the magic reaches the same engine.
"""

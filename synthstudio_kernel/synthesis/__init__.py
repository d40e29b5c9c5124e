"""Synthesis: the Synthesizer framework, the registry, the methods and ``load_model``.

Light to import: torch and SDV load only when a method is built or a model is loaded.

    import synthstudio_kernel as ss
    model = ss.train(df, method="tvae", epochs=50, seed=0)   # synthstudio_kernel.training
    synth = model.sample(1000, conditions={"smoker": "yes"})
    model.save("out/insurance.synth"); model = ss.load_model("out/insurance.synth")
"""

from .base import FitContext, Synthesizer
from .callbacks import EarlyStopping, History, LogTo, ProgressBar
from .events import EpochEvent, TrainingControl
from .model import TrainedModel, load_model
from .registry import available, create, get, register
from .run import RunRecord

__all__ = [
    "EarlyStopping",
    "EpochEvent",
    "FitContext",
    "History",
    "LogTo",
    "ProgressBar",
    "RunRecord",
    "Synthesizer",
    "TrainedModel",
    "TrainingControl",
    "available",
    "create",
    "get",
    "load_model",
    "register",
]

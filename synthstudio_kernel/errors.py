"""Every error Synth Studio raises on purpose.

Messages are written for the user: they say what is wrong and what to do next,
and never quote raw data values.
"""

from __future__ import annotations


class SynthStudioError(Exception):
    """Base class: a problem the user can fix. Magics show it as one line."""


class DataError(SynthStudioError, ValueError):
    """The input table cannot be used as given (empty, bad dtypes, ...)."""


class ConfigError(SynthStudioError, ValueError):
    """A parameter or configuration is invalid (unknown method, negative epochs, ...)."""


class PrivacyError(SynthStudioError):
    """A configuration or result would break the privacy guarantee."""


class BudgetExceeded(PrivacyError):
    """The dataset's privacy budget cannot pay for the request."""


class ArtifactError(SynthStudioError):
    """A saved model cannot be written or read (corrupt, incompatible version)."""


class TrainingStopped(SynthStudioError):
    """Training was stopped by the user or a callback before it finished."""

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


class WriteError(ArtifactError):
    """A file or folder cannot be written (the path is a folder, a file stands where a folder
    should be, no permission, the disk is full). Nothing is left half-written."""


class LedgerError(ConfigError):
    """The privacy ledger's database cannot be used (unreachable, damaged, missing, busy)."""


class LedgerBusy(LedgerError):
    """Another process has held the ledger's write lock for longer than the lock timeout."""

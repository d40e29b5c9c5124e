"""Training orchestration: one run lifecycle for every method, and the safety checks.

Sits above ``synthesis`` (the methods) and ``privacy`` (accounting, planning,
preprocessing, the ledger), so neither of those imports it.
"""

from .lifecycle import TrainingJob, plan_training, train

__all__ = ["TrainingJob", "plan_training", "train"]

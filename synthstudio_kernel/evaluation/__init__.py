"""Evaluation: fidelity, utility and privacy leakage of a synthetic table, in one Scorecard.

    from synthstudio_kernel.evaluation import evaluate
    card = evaluate(train, synthetic, holdout=holdout, target="income")
    card.scores, card.verdicts, card.to_dict(), card.save("out/")

Heavy libraries (sdmetrics, scikit-learn, anonymeter, matplotlib) load when used.
"""

from .api import evaluate
from .sampling import SampleLimits
from .scorecard import SCHEMA_VERSION, Scorecard, schema

__all__ = ["SCHEMA_VERSION", "SampleLimits", "Scorecard", "evaluate", "schema"]

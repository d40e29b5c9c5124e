"""PII and PHI detection, offline: presidio's pattern recognizers (``no_op`` NLP engine) plus
recognizers of our own, column verdicts with HIPAA Safe Harbor identifiers, and recommendations
(drop, pseudonymize, generalize, synthesize, keep) that ``report.apply(df)`` carries out.

presidio and Faker load on the first scan, not on import.
"""

from .apply import ApplyRecord
from .classifier import ColumnVerdict
from .report import PIIReport
from .scan import scan_pii

__all__ = ["ApplyRecord", "ColumnVerdict", "PIIReport", "scan_pii"]

"""Profiling: per-column statistics, outliers, correlations and warnings of a table.

``profile(df) -> Profile``. Light to import: scikit-learn loads when the Isolation
Forest runs and ydata-profiling only in :meth:`Profile.full_report`.
"""

from .builder import profile
from .correlations import Correlations, correlation_ratio, cramers_v
from .profile import Profile
from .warnings import ProfileWarning, Thresholds

__all__ = ["Correlations", "Profile", "ProfileWarning", "Thresholds", "correlation_ratio", "cramers_v", "profile"]

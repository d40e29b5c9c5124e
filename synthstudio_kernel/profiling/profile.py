"""The Profile result: statistics, outliers, correlations and warnings of one table."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import ColumnKind
from ..errors import ArtifactError
from ..fileio import check_file_target, write_text
from ..settings import out_dir
from ._json import clean
from .correlations import Correlations
from .outliers import ColumnOutliers, IsolationForestResult
from .statistics import ColumnStats
from .warnings import ProfileWarning, Thresholds

#: Where :meth:`Profile.full_report` writes by default (relative to the working directory).
#: Relative default; ``out_dir()`` (``SYNTHSTUDIO_OUT_DIR``) decides where it lands.
DEFAULT_OUT_DIR = Path("out")


@dataclass(frozen=True, eq=False)
class Profile:
    """What :func:`synthstudio_kernel.profile` found. Render it, serialize it, or export
    the full ydata-profiling report with :meth:`full_report`.

    ``sample_sizes`` states how many rows each part used: statistics and univariate
    outliers use every row; correlations and the Isolation Forest use a uniform sample.
    """

    name: str | None
    n_rows: int
    n_columns: int
    kinds: dict[str, ColumnKind]
    columns: dict[str, ColumnStats]
    outliers: dict[str, ColumnOutliers]
    multivariate: IsolationForestResult
    correlations: Correlations
    warnings: list[ProfileWarning]
    sample_sizes: dict[str, int]
    overview: dict[str, Any]
    thresholds: Thresholds
    seed: int
    timings: dict[str, float]
    _frame: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def sampling_errors(self) -> dict[str, float]:
        """95% margins that come from sampling (empty when every part used all rows).

        ``correlations``: half-width of a correlation's interval near 0 (Fisher z,
        1.96/sqrt(n - 3)); stronger correlations have narrower intervals.
        ``isolation_forest_share``: half-width of the flagged share's Wilson interval.
        """
        errors: dict[str, float] = {}
        n = self.sample_sizes["correlations"]
        if n < self.n_rows and n > 3:
            errors["correlations"] = math.tanh(1.96 / math.sqrt(n - 3))
        f = self.multivariate
        if f.sample_size < self.n_rows and f.skipped is None:
            errors["isolation_forest_share"] = (f.share_ci95[1] - f.share_ci95[0]) / 2
        return errors

    def column(self, name: str) -> ColumnStats:
        """Statistics of one column."""
        return self.columns[name]

    def warnings_of(self, code: str) -> list[ProfileWarning]:
        """Warnings with the given code (constant, identifier, missing, correlation, cardinality, skew)."""
        return [w for w in self.warnings if w.code == code]

    # --- serialization --------------------------------------------------------------

    def to_dict(self, include_values: bool = True) -> dict[str, Any]:
        """JSON-safe summary. With ``include_values=False`` category labels, minima,
        maxima, 5%/95% quantiles and histogram edges are left out: aggregates only
        (counts, shares, mean, std, quartiles, skew, outlier bounds, correlations)."""
        return clean(
            {
                "name": self.name,
                "rows": self.n_rows,
                "columns": self.n_columns,
                "kinds": {c: k.value for c, k in self.kinds.items()},
                "overview": self.overview,
                "includes_values": include_values,
                "column_stats": [s.to_dict(include_values) for s in self.columns.values()],
                "outliers": {
                    "univariate": [o.to_dict() for o in self.outliers.values()],
                    "multivariate": self.multivariate.to_dict(),
                },
                "correlations": self.correlations.to_dict(),
                "warnings": [w.to_dict() for w in self.warnings],
                "sample_sizes": self.sample_sizes,
                "sampling_errors_95": self.sampling_errors,
                "thresholds": self.thresholds.to_dict(),
                "seed": self.seed,
                "timings_s": self.timings,
            }
        )

    def to_json(self, include_values: bool = True, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(include_values), indent=indent, ensure_ascii=False)

    def to_html(self, include_values: bool = True) -> str:
        """A standalone HTML page (no external assets)."""
        from .html import render_page

        return render_page(self, include_values=include_values)

    def save(self, path: str | os.PathLike[str], include_values: bool = True) -> Path:
        """Write the profile as HTML (``.html``/``.htm``) or JSON (``.json``); returns the path."""
        target = Path(path)
        writers = {".html": self.to_html, ".htm": self.to_html, ".json": self.to_json}
        writer = writers.get(target.suffix.lower())
        if writer is None:
            raise ArtifactError(
                f"Cannot save a profile as {target.suffix or 'a file without suffix'!r}; use .html or .json."
            )
        return write_text(target, writer(include_values), what="the profile")

    def _repr_html_(self) -> str:
        from .html import render_fragment

        return render_fragment(self)

    def __repr__(self) -> str:
        return (
            f"<Profile {self.name or 'table'}: {self.n_rows} rows x {self.n_columns} columns, "
            f"{len(self.warnings)} warning(s)>"
        )

    # --- ydata-profiling ---------------------------------------------------------------

    def full_report(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        minimal: bool = False,
        title: str | None = None,
        progress: Any = None,
    ) -> Path:
        """Write ydata-profiling's full HTML report to ``path`` (offline, analytics off)
        and return the path; by default ``out/<name>_profile_full.html`` under the
        current directory.

        ydata-profiling is imported here only. Large tables take minutes in its default
        mode; ``minimal=True`` skips its correlations and interactions.
        """
        if self._frame is None:
            raise ArtifactError("This profile no longer holds its table; run ss.profile(df) again to export it.")
        target = Path(path) if path is not None else out_dir() / f"{self.name or 'table'}_profile_full.html"
        if target.suffix.lower() not in (".html", ".htm"):
            target = target.with_suffix(".html")
        target = check_file_target(target, what="the profiling report")
        from .full_report import write_full_report

        return write_full_report(
            self._frame, target, minimal=minimal, title=title or _title(self.name), progress=progress
        )


def _title(name: str | None) -> str:
    return f"{name} — ydata-profiling report" if name else "ydata-profiling report"

"""ydata-profiling export, offline and with its usage analytics switched off.

Imported only by :meth:`Profile.full_report`: ydata-profiling is heavy.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from pathlib import Path

import pandas as pd

from ..errors import ArtifactError
from ..log_guard import guard_third_party_logs


def write_full_report(frame: pd.DataFrame, path: Path, *, minimal: bool = False, title: str) -> Path:
    """Render ydata-profiling's report of ``frame`` to ``path`` with inline assets."""
    os.environ["YDATA_PROFILING_NO_ANALYTICS"] = "1"  # read by ydata on import and per report
    guard_third_party_logs()
    # ydata draws one progress bar on stderr even with progress_bar=False: keep it quiet.
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        from ydata_profiling import ProfileReport

        report = ProfileReport(
            frame,
            title=title,
            minimal=minimal,
            progress_bar=False,
            html={"inline": True, "use_local_assets": True},
        )
        try:
            report.to_file(path, silent=True)
        except OSError as exc:
            raise ArtifactError(f"Cannot write the report to {str(path)!r} ({exc.strerror}).") from None
        except Exception as exc:  # ydata's own failures: one line, no data values
            raise ArtifactError(
                f"ydata-profiling could not build its report ({type(exc).__name__}); "
                "the Synth Studio profile is unaffected. Try --minimal."
            ) from exc
    return path

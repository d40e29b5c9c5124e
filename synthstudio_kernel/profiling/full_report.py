"""ydata-profiling export, offline and with its usage analytics switched off.

Imported only by :meth:`Profile.full_report`: ydata-profiling is heavy.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..errors import ArtifactError
from ..log_guard import guard_third_party_logs

#: The report's stages, in order (for a ``progress(step, done, total)`` callback).
STAGES = ("describe", "structure", "render", "write")


def write_full_report(
    frame: pd.DataFrame,
    path: Path,
    *,
    minimal: bool = False,
    title: str,
    progress: Callable[[str, int, int], None] | None = None,
) -> Path:
    """Render ydata-profiling's report of ``frame`` to ``path`` with inline assets; ``progress``
    hears each stage (describe the columns, build the report, render HTML, write) as it starts."""

    def step(index: int) -> None:
        if progress is not None:
            progress(STAGES[index] if index < len(STAGES) else "done", index, len(STAGES))

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
            step(0)
            _ = report.description_set  # the statistics: the bulk of the time
            step(1)
            _ = report.report  # the report's structure
            step(2)
            html = report.to_html()
            step(3)
            path.write_text(html, encoding="utf-8")
            step(4)
        except OSError as exc:
            raise ArtifactError(f"Cannot write the report to {str(path)!r} ({exc.strerror}).") from None
        except Exception as exc:  # ydata's own failures: one line, no data values
            raise ArtifactError(
                f"ydata-profiling could not build its report ({type(exc).__name__}); "
                "the Synth Studio profile is unaffected. Try --minimal."
            ) from exc
    return path

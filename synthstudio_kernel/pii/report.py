"""PIIReport: the result of :func:`~synthstudio_kernel.pii.scan_pii`.

``to_dict()["columns"]`` holds one record per column with ``column``, ``entity``,
``confidence``, ``identifier`` (direct / quasi / none), ``hipaa`` and ``recommendation``
(plus reason, evidence and masked examples). Nothing in a report is a raw value.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pandas as pd

from .classifier import ColumnVerdict
from .sampling import max_half_width

_BADGE = {"direct": "#b42318", "quasi": "#b54708", "none": "#475467"}


def _presidio_version() -> str | None:
    try:
        return metadata.version("presidio-analyzer")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return None


@dataclass
class PIIReport:
    """Per-column PII verdicts for one table."""

    columns: list[ColumnVerdict]
    n_rows: int
    n_columns: int
    sample_size: int
    seed: int
    elapsed_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: For a table by reference: its engine, the rows drawn from it and what was exact (else None).
    table: dict[str, Any] | None = None

    # ------------------------------------------------------------ access

    def __iter__(self) -> Iterator[ColumnVerdict]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, column: str) -> ColumnVerdict:
        for verdict in self.columns:
            if verdict.column == column:
                return verdict
        raise KeyError(column)

    def columns_of(self, identifier: str) -> list[str]:
        """Names of the columns with this identifier class."""
        return [v.column for v in self.columns if v.identifier == identifier]

    @property
    def direct(self) -> list[str]:
        return self.columns_of("direct")

    @property
    def quasi(self) -> list[str]:
        return self.columns_of("quasi")

    @property
    def rows_sampled(self) -> int:
        """Most non-null rows looked at in any column."""
        return max((int(v.evidence.get("sampled", 0)) for v in self.columns), default=0)

    def confidence_statement(self) -> str:
        """How far a match rate can be from the truth, given the sample size."""
        n = self.rows_sampled
        if self.n_rows == 0 or n == 0:
            return "The table has no rows: verdicts rest on column names only."
        scope = "every row" if n >= self.n_rows else f"a uniform random sample of {n:,} of {self.n_rows:,} rows"
        return (
            f"Each column was judged on {scope} (non-null values, seed {self.seed}); with {n:,} rows a 95% "
            f"Wilson interval on a match rate is at most ±{100 * max_half_width(n):.1f} points wide. "
            "Per-column intervals are in each column's evidence."
        )

    # ------------------------------------------------------------ serialization

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary."""
        return {
            "columns": [v.to_dict() for v in self.columns],
            "summary": {
                "rows": self.n_rows,
                "columns": self.n_columns,
                "scanned_columns": len(self.columns),
                "direct": self.direct,
                "quasi": self.quasi,
                "hipaa_identifiers": sorted({v.hipaa.number for v in self.columns if v.hipaa}),
                "elapsed_s": round(self.elapsed_s, 3),
            },
            "sample": {
                "sample_size": self.sample_size,
                "rows_sampled": self.rows_sampled,
                "seed": self.seed,
                "method": "uniform random sample of non-null rows per column, without replacement",
                "max_ci95_half_width": round(max_half_width(self.rows_sampled), 4) if self.rows_sampled else None,
                "confidence": self.confidence_statement(),
                **({"table": dict(self.table)} if self.table else {}),
            },
            "engine": {
                "name": "presidio-analyzer",
                "version": _presidio_version(),
                "nlp_engine": "no_op",
                "extra": "Synth Studio recognizers (names, addresses, postal codes, documents, finance, checksums)",
            },
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per column: the DESIGN.md fields plus the reason."""
        keys = ("column", "entity", "confidence", "identifier", "hipaa", "recommendation", "reason")
        return pd.DataFrame([{k: v.to_dict()[k] for k in keys} for v in self.columns], columns=list(keys))

    # ------------------------------------------------------------ apply

    def apply(
        self,
        df: pd.DataFrame,
        salt: str | bytes | None = None,
        *,
        actions: Mapping[str, str] | None = None,
    ) -> pd.DataFrame:
        """A cleaned copy of ``df``: recommendations (or ``actions`` overrides) applied.

        Returns the cleaned frame; the record of what was done (JSON-safe, no values) is in
        ``cleaned.attrs["synthstudio_pii"]`` and ``ApplyRecord.of(cleaned)``. Without a
        ``salt``, pseudonyms use a random secret that is not kept.
        """
        from ..data.tables import by_reference
        from ..errors import ConfigError
        from .apply import apply_recommendations

        if by_reference(df) is not None:
            raise ConfigError(
                "A table by reference is not rewritten in the kernel: leave its identifiers out with "
                "table.drop(report.direct) (or ss.table(path, columns=[...])), a projection in its engine."
            )
        scan = {
            "rows": self.n_rows,
            "sample_size": self.sample_size,
            "rows_sampled": self.rows_sampled,
            "seed": self.seed,
            "engine": "presidio-analyzer (no_op NLP engine) + Synth Studio recognizers",
        }
        return apply_recommendations(self.columns, df, salt=salt, actions=actions, scan=scan)

    # ------------------------------------------------------------ rendering

    @staticmethod
    def _evidence_text(v: ColumnVerdict) -> str:
        e = v.evidence
        parts = [v.basis]
        if "match_ci95" in e:
            lo, hi = e["match_ci95"]
            parts.append(f"95% CI {100 * lo:.1f}–{100 * hi:.1f}% on {e['match_sample']:,} rows")
        if e.get("checksum"):
            valid = e.get("checksum_valid_rate")
            parts.append(f"{e['checksum']}: {'n/a' if valid is None else f'{100 * valid:.0f}% valid'}")
        return "; ".join(parts)

    def _rows_html(self) -> str:
        rows = []
        for v in self.columns:
            color = _BADGE.get(v.identifier, "#475467")
            hipaa = f"{v.hipaa.number}. {v.hipaa.name}" if v.hipaa else "—"
            examples = ", ".join(v.examples) if v.examples else "—"
            rows.append(
                "<tr>"
                f"<td><code>{html.escape(v.column)}</code></td>"
                f"<td>{html.escape(v.entity or '—')}</td>"
                f"<td style='text-align:right'>{v.confidence:.2f}</td>"
                f"<td><span style='color:#fff;background:{color};border-radius:4px;padding:0 6px'>"
                f"{html.escape(v.identifier)}</span></td>"
                f"<td>{html.escape(hipaa)}</td>"
                f"<td><b>{html.escape(v.recommendation)}</b></td>"
                f"<td>{html.escape(v.reason)}</td>"
                f"<td style='font-size:85%'>{html.escape(self._evidence_text(v))}</td>"
                f"<td><code>{html.escape(examples)}</code></td>"
                "</tr>"
            )
        return "".join(rows)

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th style='text-align:left'>{h}</th>"
            for h in (
                "Column",
                "Entity",
                "Confidence",
                "Identifier",
                "HIPAA identifier",
                "Action",
                "Reason",
                "Evidence",
                "Masked examples",
            )
        )
        summary = (
            f"<b>PII scan</b>: {self.n_rows:,} rows × {self.n_columns} columns — "
            f"{len(self.direct)} direct identifier(s), {len(self.quasi)} quasi-identifier(s)."
        )
        return (
            "<div class='synthstudio-pii'>"
            f"<p>{summary}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{self._rows_html()}</tbody></table>"
            f"<p style='font-size:90%'>{html.escape(self.confidence_statement())}</p>"
            + "".join(f"<p style='font-size:90%'>{html.escape(note)}</p>" for note in self.notes)
            + "</div>"
        )

    def to_html(self, path: str | None = None) -> str:
        """A standalone HTML page; written to ``path`` when given."""
        import datetime as dt

        from ..theme import page as themed_page

        meta = {
            "table": f"{self.n_rows:,} rows × {self.n_columns} columns",
            "sample": f"up to {self.sample_size:,} rows per column (seed {self.seed})",
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        extra = "td,th{border-bottom:1px solid var(--ss-border,#ddd);padding:4px 8px;vertical-align:top}"
        page = themed_page("PII scan", self._repr_html_(), extra_css=extra, meta=meta)
        if path is not None:
            from ..fileio import write_text

            write_text(path, page, what="the PII report")
        return page

    def __repr__(self) -> str:
        return f"PIIReport(rows={self.n_rows}, columns={self.n_columns}, direct={self.direct}, quasi={self.quasi})"

"""Datasets: validated frames with column kinds and fingerprints; bundled sample tables."""

from .dataset import Dataset, as_dataset
from .fingerprint import fingerprint
from .kinds import ColumnKind, infer_kind
from .samples import load_sample, sample_codebook, sample_names
from .tables import TableRef, table
from .validation import validate_frame

__all__ = [
    "ColumnKind",
    "Dataset",
    "TableRef",
    "as_dataset",
    "fingerprint",
    "infer_kind",
    "load_sample",
    "sample_codebook",
    "sample_names",
    "table",
    "validate_frame",
]

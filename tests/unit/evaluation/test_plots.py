"""Plot aggregates and rendering."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd

from synthstudio_kernel.evaluation.plots import (
    MIN_LABEL_COUNT,
    association_matrix,
    plot_data,
    render_all,
)
from synthstudio_kernel.evaluation.sampling import SampleLimits, SampleLog
from synthstudio_kernel.evaluation.tables import prepare_tables


def _frame(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "twice": 2 * x,
            "indep": rng.normal(size=n),
            "group": np.where(x > 0, "pos", "neg"),
            "copy": np.where(x > 0, "P", "N"),
            "rare": ["common"] * (n - 3) + ["unique-1", "unique-2", "unique-3"],
        }
    )


def test_association_matrix_measures_each_pair_type() -> None:
    # Setup
    tables = prepare_tables(_frame(), _frame())

    # Run
    matrix = association_matrix(tables.real, tables)
    at = {c: i for i, c in enumerate(tables.columns)}

    # Assert
    assert matrix[at["x"], at["twice"]] == 1.0 or np.isclose(matrix[at["x"], at["twice"]], 1.0)
    assert abs(matrix[at["x"], at["indep"]]) < 0.15
    assert np.isclose(matrix[at["group"], at["copy"]], 1.0)  # Cramér's V
    assert matrix[at["x"], at["group"]] > 0.7  # correlation ratio
    assert np.allclose(matrix, matrix.T, equal_nan=True)


def test_rare_categories_are_pooled_and_never_labelled() -> None:
    # Setup
    tables = prepare_tables(_frame(), _frame())

    # Run
    data = plot_data(tables, None, limits=SampleLimits(), log=SampleLog(), seed=0)

    # Assert
    rare = next(d for d in data["distributions"] if d["column"] == "rare")
    assert rare["labels"] == ["common", "other"]
    assert MIN_LABEL_COUNT > 3
    assert np.isclose(sum(rare["real"]), 1.0)
    x = next(d for d in data["distributions"] if d["column"] == "x")
    real_x = tables.real["x"]
    assert x["edges"][0] > real_x.min() and x["edges"][-1] < real_x.max()  # extremes are not shown


def test_rendered_plots_are_png() -> None:
    # Setup
    tables = prepare_tables(_frame(), _frame())
    distances = {"synthetic": np.linspace(0, 0.5, 50), "holdout": np.linspace(0, 0.4, 50)}
    data = plot_data(tables, distances, limits=SampleLimits(), log=SampleLog(), seed=0)

    # Run
    images = render_all(data)

    # Assert
    assert set(images) == {"distributions", "association", "dcr"}
    for encoded in images.values():
        assert base64.b64decode(encoded)[:8] == b"\x89PNG\r\n\x1a\n"

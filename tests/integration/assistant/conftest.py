"""One recorded session shared by the assistant's integration tests, made by the real producers.

A fresh ledger; the insurance sample split into training and holdout rows, registered with a
budget; a small DP run (dp-tvae, ε 1) charged to it; a gaussian-copula run evaluated twice: a
sample conditioned on one smoker class (the class "yes" is lost; not attached to the run) and a
plain sample (attached: the ledger keeps its digest); and a PII scan of the customer sample.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.assistant import memory
from synthstudio_kernel.evaluation import SampleLimits

SMALL = SampleLimits(
    fidelity_rows=1_000,
    utility_train_rows=1_000,
    utility_test_rows=500,
    dcr_query_rows=300,
    reference_rows=1_000,
    mia_rows=200,
    mia_classifier_rows=500,
    anonymeter_rows=600,
    anonymeter_control_rows=300,
    anonymeter_attacks=60,
    plot_rows=300,
)
PUBLIC = {
    "public_bounds": {"age": (18, 65), "bmi": (15, 55), "children": (0, 5), "charges": (1000, 65000)},
    "categories": {"sex": ["female", "male"], "smoker": ["yes", "no"],
                   "region": ["northeast", "northwest", "southeast", "southwest"]},
}  # fmt: skip
TINY = {"compress_dims": (16,), "decompress_dims": (16,), "embedding_dim": 4, "batch_size": 100}


@dataclass
class Recorded:
    home: Path
    real: pd.DataFrame
    holdout: pd.DataFrame
    dp_model: Any
    model: Any
    card: Any
    lost_card: Any
    pii: Any


@pytest.fixture(scope="package")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    import torch

    from synthstudio_kernel.privacy.ledger import close_ledgers

    home = tmp_path_factory.mktemp("assistant-home")
    patch = pytest.MonkeyPatch()
    patch.setenv("SYNTHSTUDIO_HOME", str(home))
    patch.delenv("SYNTHSTUDIO_DB_URL", raising=False)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    memory.forget()
    try:
        data = ss.load_sample("insurance")
        real = data.sample(600, random_state=1).reset_index(drop=True)
        holdout = data.drop(data.sample(600, random_state=1).index).sample(300, random_state=2).reset_index(drop=True)
        ss.register_dataset(real, "insurance", total_epsilon=4.0)
        dp_model = ss.train(real, "dp-tvae", epsilon=1.0, dataset="insurance", epochs=1, force=True, **TINY, **PUBLIC)
        model = ss.train(real, "gaussian-copula", dataset="insurance", seed=0)
        lost_card = ss.evaluate(
            real,
            model.sample(300, conditions={"smoker": "no"}, seed=2),
            holdout=holdout,
            target="smoker",
            limits=SMALL,
            attach=False,
        )
        card = ss.evaluate(real, model.sample(600, seed=1), holdout=holdout, target="smoker", limits=SMALL)
        pii = ss.scan_pii(ss.load_sample("customer_data").head(120))
        yield Recorded(home, real, holdout, dp_model, model, card, lost_card, pii)
    finally:
        torch.set_num_threads(threads)
        memory.forget()
        close_ledgers()
        patch.undo()

"""Third-party logging never carries raw values: every method, logging at DEBUG, a secret
category value in the data, and the secret in no log record."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.log_guard import guard_third_party_logs
from synthstudio_kernel.synthesis import registry

SECRET = "ZQX-SECRET-7731"
N = 240

TINY: dict[str, dict[str, object]] = {
    "gaussian-copula": {},
    "ctgan": {"epochs": 1, "batch_size": 40, "pac": 4, "embedding_dim": 8, "generator_dim": [16],
              "discriminator_dim": [16]},
    "tvae": {"epochs": 1, "batch_size": 40, "embedding_dim": 8, "compress_dims": [16], "decompress_dims": [16]},
    "dp-ctgan": {"epochs": 1, "batch_size": 60, "embedding_dim": 8, "generator_dims": [16], "discriminator_dims": [16]},
    "dp-tvae": {"epochs": 1, "batch_size": 60},
}  # fmt: skip


def _table() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    city = rng.choice(["north", "south", "east", "west"], size=N).astype(object)
    city[17] = SECRET  # occurs once: the value SDV's "Detected metadata" record used to list
    return pd.DataFrame(
        {"age": rng.integers(18, 90, size=N), "income": rng.normal(50_000, 9_000, size=N).round(2), "zone": city}
    )


def _all_text(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.append(str(record.args))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(str(record.exc_info[1]))
    return "\n".join(parts)


def _params(method: str) -> dict[str, object]:
    params = dict(TINY.get(method, {}))
    if method.startswith("dp-"):
        params.update(
            epsilon=8.0,
            public_bounds={"age": (18, 90), "income": (0, 100_000)},
            categories={"zone": ["north", "south", "east", "west"]},
            force=True,
        )
    return params


@pytest.mark.parametrize("method", registry.available())
def test_no_log_record_of_any_method_quotes_a_data_value(method, synth_home, caplog):
    # Setup: everything at DEBUG, as a user debugging their notebook would
    caplog.set_level(logging.DEBUG)
    frame = _table()

    # Run
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ss.train(frame, method=method, seed=1, **_params(method))
        model.sample(20)

    # Assert: the capture is live at DEBUG (a canary arrives), and no record holds the secret
    logging.getLogger("synthstudio.tests.canary").debug("canary")
    assert "canary" in _all_text(caplog.records)
    assert SECRET not in _all_text(caplog.records)


def test_profile_and_pii_scan_log_no_data_value(synth_home, caplog):
    caplog.set_level(logging.DEBUG)
    frame = _table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ss.profile(frame)
        ss.scan_pii(frame)
    assert SECRET not in _all_text(caplog.records)


def test_sdv_detection_would_leak_without_the_guard(caplog):
    """The guard is what stops the leak: SDV's own record names the value when unguarded."""
    from sdv.metadata import Metadata

    sdv_logger = logging.getLogger("sdv")
    saved_level, saved_handlers = sdv_logger.level, list(sdv_logger.handlers)
    sdv_logger.setLevel(logging.NOTSET)
    sdv_logger.handlers = []
    try:
        caplog.set_level(logging.DEBUG)
        Metadata.detect_from_dataframes({"t": _table()})
        assert SECRET in _all_text(caplog.records)  # SDV itself quotes every category
        caplog.clear()

        guard_third_party_logs()
        Metadata.detect_from_dataframes({"t": _table()})
        assert SECRET not in _all_text(caplog.records)
    finally:
        sdv_logger.setLevel(saved_level)
        sdv_logger.handlers = saved_handlers
        guard_third_party_logs()


def test_warnings_that_pass_are_redacted(caplog):
    guard_third_party_logs()
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sdv.some.module.created.later").warning("value %s is odd", SECRET)
    assert SECRET not in _all_text(caplog.records)
    assert "withheld by Synth Studio" in caplog.text

import logging

import pytest

from synthstudio_kernel.logs import warn_on_failure


def test_a_failure_is_logged_by_type_and_does_not_propagate(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("synthstudio.test")

    with caplog.at_level(logging.WARNING), warn_on_failure(logger, "record the run"):
        raise ValueError("secret-value-123")

    assert "could not record the run (ValueError)" in caplog.text
    assert "secret-value-123" not in caplog.text


def test_success_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), warn_on_failure(logging.getLogger("synthstudio.test"), "x"):
        pass
    assert caplog.text == ""


def test_interrupts_still_propagate() -> None:
    with pytest.raises(KeyboardInterrupt), warn_on_failure(logging.getLogger("synthstudio.test"), "x"):
        raise KeyboardInterrupt

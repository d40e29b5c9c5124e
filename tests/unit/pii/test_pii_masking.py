"""Masked examples keep shape, never content."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from synthstudio_kernel.pii.masking import MAX_MASK_CHARS, mask_value, masked_examples


def test_email_mask_matches_documented_form() -> None:
    # Run / Assert
    assert mask_value("john.doe@example.com") == "j***@e***.com"


def test_digits_keep_only_their_shape() -> None:
    # Run / Assert
    assert mask_value("509-86-9654") == "###-##-####"
    assert mask_value("99.5.160.227") == "##.#.###.###"


def test_long_values_are_cut() -> None:
    # Run
    masked = mask_value("word " * 200)

    # Assert
    assert len(masked) <= MAX_MASK_CHARS + 1 and masked.endswith("…")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_masks_never_contain_digits_or_two_letter_runs_of_the_value(value: str) -> None:
    # Run
    masked = mask_value(value)

    # Assert: no digit survives, and no two consecutive letters of a word survive
    assert not any(ch.isdigit() for ch in masked if ch != "#")
    for run in re.findall(r"[^\W\d_]{2,}", masked):
        assert set(run) <= {"*"}, (value, masked)


def test_masked_examples_are_distinct_and_limited() -> None:
    # Run
    examples = masked_examples(["111-11-1111", "222-22-2222", "a@b.com", "Maria Lopez", "x"], limit=3)

    # Assert
    assert examples == ["###-##-####", "a***@b***.com", "M*** L***"]

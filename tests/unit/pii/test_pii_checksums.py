"""Checksums are separate from formats: invalid check digits never hide a format match."""

from __future__ import annotations

import pandas as pd
import pytest

from synthstudio_kernel.pii import scan_pii
from synthstudio_kernel.pii.recognizers.checksums import (
    aba_routing_valid,
    base58check_valid,
    bech32_valid,
    crypto_wallet_valid,
    ethereum_valid,
    iban_valid,
    luhn_valid,
    nhs_valid,
    npi_valid,
    ssn_rules_valid,
    vin_valid,
)
from synthstudio_kernel.pii.recognizers.keccak import keccak256


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (luhn_valid, "4111 1111 1111 1111", "4111 1111 1111 1112"),
        (iban_valid, "GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 33"),
        (iban_valid, "DE89370400440532013000", "DE89370400440532013001"),
        (ssn_rules_valid, "123-45-6789", "666-45-6789"),
        (ssn_rules_valid, "123-45-6789", "900-45-6789"),
        (ssn_rules_valid, "123-45-6789", "123-00-6789"),
        (base58check_valid, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"),
        (bech32_valid, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
        (vin_valid, "1M8GDM9AXKP042788", "1M8GDM9A1KP042788"),
        (npi_valid, "1234567893", "1234567890"),
        (aba_routing_valid, "011000015", "011000016"),
        (nhs_valid, "9434765919", "9434765918"),
    ],
)
def test_checksum_accepts_valid_and_rejects_altered(check, good: str, bad: str) -> None:
    # Run / Assert
    assert check(good) is True
    assert check(bad) is False


def test_ethereum_eip55_and_lowercase_has_no_checksum() -> None:
    # Setup
    checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

    # Run / Assert
    assert keccak256(b"").hex().startswith("c5d2460186f7233c927e7db2")
    assert ethereum_valid(checksummed) is True
    assert ethereum_valid(checksummed[:-1] + "D") is False
    assert ethereum_valid(checksummed.lower()) is None
    assert crypto_wallet_valid(checksummed) is True


def test_invalid_ssns_are_still_reported_as_ssn_format() -> None:
    # Setup: test data with impossible area numbers (666, 9xx, 000)
    values = [f"{area}-{g:02d}-{s:04d}" for area in ("666", "900", "000") for g in range(1, 21) for s in (g,)]
    frame = pd.DataFrame({"ssn": values})

    # Run
    verdict = scan_pii(frame)["ssn"]

    # Assert
    assert verdict.entity == "US_SSN" and verdict.identifier == "direct"
    assert verdict.evidence["format_match_rate"] == 1.0
    assert verdict.evidence["checksum_valid_rate"] == 0.0


def test_cards_failing_luhn_still_detected_with_context_and_rate_reported() -> None:
    # Setup: 16-digit numbers whose last digit breaks Luhn
    values = [f"4{n:014d}{(int(str(n)[-1]) + 1) % 10}" for n in range(10**9, 10**9 + 200)]
    values = [v if not luhn_valid(v) else v[:-1] + str((int(v[-1]) + 5) % 10) for v in values]
    frame = pd.DataFrame({"card_number": values})

    # Run
    verdict = scan_pii(frame)["card_number"]

    # Assert
    assert verdict.entity == "CREDIT_CARD"
    assert verdict.evidence["checksum_valid_rate"] == 0.0 and verdict.evidence["format_match_rate"] == 1.0

"""Payment cards, IBANs, bank accounts and crypto wallets (formats; checksums live in checksums.py)."""

from __future__ import annotations

import re

from .spec import PatternSpec

#: IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def iban_format_ok(text: str) -> bool:
    """Known country code and the length that country's IBANs have."""
    compact = re.sub(r"[\s-]", "", text).upper()
    return IBAN_LENGTHS.get(compact[:2]) == len(compact)


CREDIT_CARD = PatternSpec(
    name="CardNumberFormatRecognizer",
    entity="CREDIT_CARD",
    patterns=(
        ("Card grouped", r"\b[2-6]\d{3}(?:[ -]\d{4}){2}[ -]\d{1,4}(?:[ -]?\d{1,3})?\b", 0.4),
        ("Amex grouped", r"\b3[47]\d{2}[ -]\d{6}[ -]\d{5}\b", 0.4),
        ("Card plain", r"\b[2-6]\d{12,18}\b", 0.2),
        ("Card plain, other prefixes (weak)", r"\b[01]\d{11,18}|\b[2-6]\d{11}\b", 0.1),
    ),
    context=("credit", "card", "visa", "mastercard", "amex", "cc"),
)

IBAN = PatternSpec(
    name="IbanFormatRecognizer",
    entity="IBAN",
    patterns=(("IBAN", r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b", 0.5),),
    context=("iban", "bank", "account"),
    case_sensitive=True,
    format_check=iban_format_ok,
)

BANK_ACCOUNT = PatternSpec(
    name="BankAccountRecognizer",
    entity="BANK_ACCOUNT",
    patterns=(
        ("Account digits (weak)", r"\b\d{6,17}\b", 0.02),
        ("Account dashed (weak)", r"\b\d{2,6}-\d{2,10}(?:-\d{1,4})?\b", 0.02),
    ),
    context=("account", "acct", "bank", "routing"),
)

CRYPTO_WALLET = PatternSpec(
    name="CryptoWalletFormatRecognizer",
    entity="CRYPTO_WALLET",
    patterns=(
        ("Bitcoin base58", r"\b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\b", 0.5),
        ("Bitcoin bech32", r"\b(?:bc|tb)1[ac-hj-np-z02-9]{8,87}\b", 0.6),
        ("Ethereum", r"\b0x[a-fA-F0-9]{40}\b", 0.6),
    ),
    context=("bitcoin", "btc", "wallet", "crypto", "ethereum", "eth"),
    case_sensitive=True,
)

SPECS = (CREDIT_CARD, IBAN, BANK_ACCOUNT, CRYPTO_WALLET)

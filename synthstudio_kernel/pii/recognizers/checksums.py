"""Check digits and checksums, kept apart from the formats they validate.

A value can have the *format* of an identifier (and then it is PII, even in test data)
while its checksum fails. Scans report both rates; these functions only answer
"is the checksum valid?" and return ``None`` where no checksum applies.

>>> luhn_valid("4111 1111 1111 1111")
True
>>> iban_valid("GB82 WEST 1234 5698 7654 32")
True
>>> ssn_rules_valid("666-12-3456")
False
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

_DIGITS = re.compile(r"\D")


def digits_of(value: str) -> str:
    """The digits of ``value``, separators removed."""
    return _DIGITS.sub("", value)


def luhn_valid(value: str) -> bool:
    """Luhn (mod 10) check used by payment cards, IMEIs and NPIs."""
    digits = digits_of(value)
    if len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def npi_valid(value: str) -> bool:
    """US National Provider Identifier: Luhn over the number prefixed with 80840."""
    digits = digits_of(value)
    return len(digits) == 10 and luhn_valid("80840" + digits)


def iban_valid(value: str) -> bool:
    """ISO 13616 IBAN mod-97 check (country length is part of the format, not checked here)."""
    text = re.sub(r"[\s-]", "", value).upper()
    if len(text) < 15 or not text.isalnum():
        return False
    rearranged = text[4:] + text[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def ssn_rules_valid(value: str) -> bool:
    """US SSN issuance rules: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    digits = digits_of(value)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


def aba_routing_valid(value: str) -> bool:
    """ABA routing number: weights 3-7-1 sum to a multiple of 10."""
    digits = digits_of(value)
    if len(digits) != 9:
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def nhs_valid(value: str) -> bool:
    """UK NHS number: mod-11 check digit."""
    digits = digits_of(value)
    if len(digits) != 10:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_valid(value: str) -> bool:
    """North American VIN check digit (position 9)."""
    vin = value.strip().upper()
    if len(vin) != 17 or any(ch not in _VIN_VALUES for ch in vin):
        return False
    total = sum(_VIN_VALUES[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS, strict=True))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {ch: i for i, ch in enumerate(_B58)}


def base58check_valid(value: str) -> bool:
    """Bitcoin legacy address (P2PKH/P2SH): base58 payload with a double-SHA256 checksum."""
    number = 0
    for ch in value.strip():
        if ch not in _B58_INDEX:
            return False
        number = number * 58 + _B58_INDEX[ch]
    pad = len(value.strip()) - len(value.strip().lstrip("1"))
    raw = b"\x00" * pad + number.to_bytes((number.bit_length() + 7) // 8, "big")
    if len(raw) != 25:
        return False
    payload, check = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == check


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONSTS = {1, 0x2BC830A3}  # bech32, bech32m


def _bech32_polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32_valid(value: str) -> bool:
    """Bitcoin SegWit address (bech32 or bech32m checksum)."""
    text = value.strip()
    if text.lower() != text and text.upper() != text:
        return False
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text):
        return False
    hrp, data = text[:pos], text[pos + 1 :]
    if any(ch not in _BECH32 for ch in data):
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _bech32_polymod(expanded + [_BECH32.index(c) for c in data]) in _BECH32_CONSTS


def ethereum_valid(value: str) -> bool | None:
    """EIP-55 mixed-case checksum; None for all-lower or all-upper addresses (no checksum)."""
    text = value.strip()
    body = text[2:]
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", text):
        return False
    if body.lower() == body or body.upper() == body:
        return None
    from .keccak import keccak256

    digest = keccak256(body.lower().encode()).hex()
    return all(
        (ch.upper() if int(h, 16) >= 8 else ch.lower()) == ch
        for ch, h in zip(body, digest, strict=False)
        if ch.isalpha()
    )


def crypto_wallet_valid(value: str) -> bool | None:
    """The checksum of whichever wallet format ``value`` has."""
    text = value.strip()
    if text.lower().startswith(("bc1", "tb1")):
        return bech32_valid(text)
    if text.startswith("0x"):
        return ethereum_valid(text)
    return base58check_valid(text)


#: entity -> (checksum name, check). A check returns None where the value has no checksum.
CHECKSUMS: dict[str, tuple[str, Callable[[str], bool | None]]] = {
    "CREDIT_CARD": ("Luhn", luhn_valid),
    "IBAN": ("IBAN mod-97", iban_valid),
    "US_SSN": ("SSN area/group/serial rules", ssn_rules_valid),
    "CRYPTO_WALLET": ("base58check / bech32 / EIP-55", crypto_wallet_valid),
    "VIN": ("VIN check digit", vin_valid),
    "NPI": ("NPI Luhn (80840 prefix)", npi_valid),
    "UK_NHS": ("NHS mod-11", nhs_valid),
}


def checksum_for(entity: str) -> tuple[str, Callable[[str], bool | None]] | None:
    """The checksum registered for ``entity``, if any."""
    return CHECKSUMS.get(entity)

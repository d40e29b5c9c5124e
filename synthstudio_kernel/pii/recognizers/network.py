"""Network identifiers presidio misses: URLs with any scheme or host (ftp://, s3://, localhost,
IP hosts, ports) and IPv4 addresses with a port. presidio's IP, MAC and URL recognizers run too."""

from __future__ import annotations

from .spec import PatternSpec

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"

URL = PatternSpec(
    name="SchemeUrlRecognizer",
    entity="URL",
    patterns=(
        ("URL with scheme", r"\b(?:https?|ftps?|sftp|s3|gs|file|wss?|ssh|git)://[^\s<>\"'`]+", 0.6),
        ("www host", r"\bwww\d{0,3}\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)+(?:/[^\s<>\"'`]*)?", 0.5),
    ),
    context=("url", "website", "link", "homepage"),
)

IP_WITH_PORT = PatternSpec(
    name="IpPortRecognizer",
    entity="IP_ADDRESS",
    patterns=(("IPv4 with port", rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}:\d{{1,5}}\b", 0.6),),
    context=("ip", "address", "host"),
)

SPECS = (URL, IP_WITH_PORT)

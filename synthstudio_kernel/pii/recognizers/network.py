"""Network identifiers presidio misses: URLs with any scheme or host (ftp://, s3://, localhost,
IP hosts, ports) and IPv4 addresses with a port. presidio's IP, MAC and URL recognizers run too."""

from __future__ import annotations

from .spec import PatternSpec

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"

#: Top-level domains accepted for URLs written without a scheme ("example.org/page").
TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|co|ai|app|dev|me|tv|us|uk|ca|de|fr|es|it|nl|be|ch|at|au|nz|jp|cn|in|"
    "br|ru|se|no|dk|fi|pl|pt|ie|mx|ar|za|kr|sg|hk|tw|eu|asia|xyz|online|site|tech|store|blog|health|care|clinic|"
    "hospital|org\\.uk|co\\.uk|ac\\.uk|nhs\\.uk|com\\.au"
)
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"

URL = PatternSpec(
    name="UrlRecognizer",
    entity="URL",
    patterns=(
        ("URL with scheme", r"\b(?:https?|ftps?|sftp|s3|gs|file|wss?|ssh|git)://[^\s<>\"'`]{1,2000}", 0.6),
        ("www host", rf"\bwww\d{{0,3}}\.(?:{_LABEL}\.){{1,5}}{_LABEL}(?:/[^\s<>\"'`]{{0,2000}})?", 0.5),
        (
            "Domain without scheme",
            rf"(?<![@\w.\-])(?:{_LABEL}\.){{1,5}}(?:{TLDS})(?![\w\-])(?:/[^\s<>\"'`]{{0,2000}})?",
            0.4,
        ),
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

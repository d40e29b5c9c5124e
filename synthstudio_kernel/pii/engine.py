"""The presidio analyzer, offline: the ``no_op`` NLP engine (no spaCy model), presidio's pattern
recognizers that we keep, and ours (see :mod:`.recognizers`).

presidio is imported on first use. Values are analyzed in batches: many short values are
joined with a separator that no pattern can cross, analyzed in one call, and the spans are
mapped back to their values (spans that cross a separator are discarded).
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import sys
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .recognizers import canonical_entity

LANGUAGE = "en"
#: Joins values in one analyzed text. No recognizer matches across "\x1f" (a control character).
SEPARATOR = "\n\x1f\n"
#: Characters per analyzer call.
CHUNK_CHARS = 200_000
#: Cells are cut to this many characters before the engine sees them (identifiers are short).
MAX_CELL_CHARS = 256

_lock = threading.Lock()
_engine: Any = None
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Match:
    """One recognizer hit inside one value."""

    entity: str
    start: int
    end: int
    score: float


def _offline_environment() -> None:
    """Make sure nothing downloads: tldextract uses its bundled public-suffix snapshot.
    ``PRESIDIO_DEVICE`` spares presidio's device probe (which imports torch) unless set by the user."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    os.environ.setdefault("PRESIDIO_DEVICE", "cpu")
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)


@contextmanager
def _torch_hidden() -> Iterator[None]:
    """Import presidio without torch: spaCy imports thinc, which imports torch when it can
    (about 1.5 s); the no_op engine uses none of them. torch stays importable afterwards."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def get_engine() -> Any:
    """The shared presidio ``AnalyzerEngine`` (built once, thread-safe)."""
    global _engine
    if _engine is not None:
        return _engine
    with _lock:
        if _engine is None:
            _offline_environment()
            _engine = _build_engine()
    return _engine


def _build_engine() -> Any:
    with _torch_hidden():
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider

    try:  # an extractor made before our environment variable was set must not fetch either
        import tldextract.tldextract as _tld

        _tld.TLD_EXTRACTOR.suffix_list_urls = ()
    except (ImportError, AttributeError):  # pragma: no cover - depends on tldextract internals
        pass

    from .recognizers.build import PassThroughEnhancer, our_recognizers, presidio_recognizers

    nlp_engine = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "no_op", "models": [{"lang_code": LANGUAGE, "model_name": "no_op"}]}
    ).create_engine()
    registry = RecognizerRegistry(
        recognizers=[*presidio_recognizers(), *our_recognizers()], supported_languages=[LANGUAGE]
    )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=PassThroughEnhancer(),
    )


def recognizer_names() -> list[str]:
    """Names of the recognizers the engine runs."""
    return sorted(r.name for r in get_engine().registry.recognizers)


#: A value worth handing to presidio's (slow) phone recognizer when scanning cells:
#: 8 to 15 digits among phone punctuation, and not an IPv4 address or a dashed SSN.
_PHONE_SHAPED = re.compile(r"[+(]?[\d\s().\-/]{8,24}(?:\s*(?:x|ext\.?)\s*\d{1,5})?", re.IGNORECASE)
_NOT_PHONE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|\d{3}-\d{2}-\d{4}")


def _phone_shaped(value: str) -> bool:
    text = value.strip()
    if not _PHONE_SHAPED.fullmatch(text) or _NOT_PHONE.fullmatch(text):
        return False
    return 8 <= sum(ch.isdigit() for ch in text) <= 15


#: Cells without a digit, "@", ":", ".", "/" and shorter than 26 characters match no format
#: (names and vocabularies are judged without the engine), so they are not sent to it.
_MAY_MATCH = re.compile(r"[\d@:./\\]|\S{26,}")


def analyze_cells(values: Sequence[str], *, entities: Collection[str] | None = None) -> list[list[Match]]:
    """Whole-cell hits for short values, optionally only for some (canonical) ``entities``.

    The phone recognizer, by far the slowest, only sees phone-shaped values; person names
    are left to the dictionary statistics of :mod:`.recognizers.names`.
    """
    engine = get_engine()
    supported = [e for e in engine.get_supported_entities(LANGUAGE) if canonical_entity(e) != "PERSON_NAME"]
    if entities is not None:
        supported = [e for e in supported if canonical_entity(e) in entities]
    out: list[list[Match]] = [[] for _ in values]
    values = [v[:MAX_CELL_CHARS] for v in values]
    candidates = [i for i, v in enumerate(values) if _MAY_MATCH.search(v)]
    others = [e for e in supported if e != "PHONE_NUMBER"]
    if candidates and others:
        for i, hits in zip(candidates, analyze_values([values[i] for i in candidates], entities=others), strict=True):
            out[i] = hits
    shaped = [i for i in candidates if _phone_shaped(values[i])] if "PHONE_NUMBER" in supported else []
    if shaped:
        phone_hits = analyze_values([values[i] for i in shaped], entities=["PHONE_NUMBER"])
        for i, hits in zip(shaped, phone_hits, strict=True):
            out[i].extend(hits)
    return out


#: Digit runs that could be phone numbers inside free text (7+ digits among phone punctuation).
_PHONE_CANDIDATE = re.compile(r"[+(]?\d[\d\s().\-/]{5,22}\d(?:\s*(?:x|ext\.?)\s*\d{1,5})?", re.IGNORECASE)
#: Characters of context kept on each side of a phone candidate.
_PHONE_MARGIN = 3


def analyze_texts(values: Sequence[str]) -> list[list[Match]]:
    """Hits inside free text. The phone recognizer only reads short windows around digit runs
    (it costs about 8 µs per character otherwise); every other recognizer reads the whole text."""
    engine = get_engine()
    others = [e for e in engine.get_supported_entities(LANGUAGE) if e != "PHONE_NUMBER"]
    out = analyze_values(values, entities=others)
    windows: list[str] = []
    owners: list[tuple[int, int]] = []  # (value index, window start)
    for i, value in enumerate(values):
        for m in _PHONE_CANDIDATE.finditer(value):
            if sum(ch.isdigit() for ch in m.group()) < 7:
                continue
            start = max(0, m.start() - _PHONE_MARGIN)
            windows.append(value[start : m.end() + _PHONE_MARGIN])
            owners.append((i, start))
    if windows:
        for (i, start), hits in zip(owners, analyze_values(windows, entities=["PHONE_NUMBER"]), strict=True):
            out[i].extend(Match(h.entity, h.start + start, h.end + start, h.score) for h in hits)
    return out


def analyze_values(values: Sequence[str], *, entities: Sequence[str] | None = None) -> list[list[Match]]:
    """Recognizer hits for each value (positions are relative to that value)."""
    engine = get_engine()
    out: list[list[Match]] = [[] for _ in values]
    start = 0
    while start < len(values):
        stop, size = start, 0
        while stop < len(values) and (stop == start or size + len(values[stop]) <= CHUNK_CHARS):
            size += len(values[stop]) + len(SEPARATOR)
            stop += 1
        _analyze_chunk(engine, values, start, stop, out, entities)
        start = stop
    return out


def _analyze_chunk(
    engine: Any,
    values: Sequence[str],
    start: int,
    stop: int,
    out: list[list[Match]],
    entities: Sequence[str] | None,
) -> None:
    offsets: list[int] = []
    pos = 0
    for value in values[start:stop]:
        offsets.append(pos)
        pos += len(value) + len(SEPARATOR)
    text = SEPARATOR.join(values[start:stop])
    if not text.strip():
        return
    results = engine.analyze(text=text, language=LANGUAGE, entities=list(entities) if entities else None)
    for r in results:
        i = bisect.bisect_right(offsets, r.start) - 1
        if i < 0:
            continue
        base, length = offsets[i], len(values[start + i])
        end = r.end
        if end > base + length:
            if text[base + length : end].strip():
                continue  # crosses a separator
            end = base + length  # only trailing whitespace of the separator: clip it
        out[start + i].append(Match(canonical_entity(r.entity_type), r.start - base, end - base, float(r.score)))

"""Turn our recognizers into presidio recognizers. Imports presidio: load only through the engine."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

from .names import find_names
from .spec import PatternSpec

_FLAGS_CASE_SENSITIVE = 0
try:  # presidio compiles with the `regex` module; use its flag values
    import regex as _regex

    _FLAGS_CASE_SENSITIVE = _regex.DOTALL | _regex.MULTILINE
    _FLAGS_IGNORE_CASE = _regex.DOTALL | _regex.MULTILINE | _regex.IGNORECASE
except ImportError:  # pragma: no cover - regex is a presidio dependency
    import re as _regex  # type: ignore[no-redef]

    _FLAGS_CASE_SENSITIVE = _regex.DOTALL | _regex.MULTILINE
    _FLAGS_IGNORE_CASE = _regex.DOTALL | _regex.MULTILINE | _regex.IGNORECASE


class PassThroughEnhancer(ContextAwareEnhancer):
    """No context scoring inside presidio: column-name context is weighed by our classifier,
    and the no_op NLP engine yields no tokens for presidio's lemma enhancer to use anyway."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.0,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


class SpecRecognizer(PatternRecognizer):
    """A presidio PatternRecognizer built from a :class:`PatternSpec`.

    Format checks may reject a match; checksums never do (they are reported separately).
    """

    def __init__(self, spec: PatternSpec) -> None:
        self._format_check = spec.format_check
        super().__init__(
            supported_entity=spec.entity,
            name=spec.name,
            patterns=[Pattern(name, regex, score) for name, regex, score in spec.patterns],
            context=list(spec.context),
            global_regex_flags=_FLAGS_CASE_SENSITIVE if spec.case_sensitive else _FLAGS_IGNORE_CASE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        if self._format_check is not None and not self._format_check(pattern_text):
            return False
        return None


class PersonNameRecognizer(EntityRecognizer):
    """Dictionary-based person names in free text (Faker's locale name lists, no NER model)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON_NAME"],
            name="PersonNameDictionaryRecognizer",
            context=["name", "patient", "mr", "mrs", "ms", "dr"],
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        name: str = getattr(self, "name", "PersonNameDictionaryRecognizer")
        return [
            RecognizerResult(
                entity_type="PERSON_NAME",
                start=start,
                end=end,
                score=score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end, score in find_names(text)
        ]


def our_recognizers() -> list[EntityRecognizer]:
    """Every recognizer of our own, as presidio recognizers."""
    from . import dates, financial, identity, location, network

    specs: list[PatternSpec] = [*identity.SPECS, *financial.SPECS, *location.SPECS, *dates.SPECS, *network.SPECS]
    recognizers: list[EntityRecognizer] = [SpecRecognizer(spec) for spec in specs]
    recognizers.append(PersonNameRecognizer())
    return recognizers


def presidio_recognizers() -> list[EntityRecognizer]:
    """presidio's own recognizers that we keep.

    Dropped on purpose: CreditCard, IbanCode, Crypto and UsSsn (they discard values whose
    checksum fails, and test data often fails it: ours report format and checksum apart),
    UsBank, UsLicense and UsPassport (ours cover them), Url (its pattern backtracks for
    seconds on long dotted strings; ours is bounded), and every NLP-model recognizer.
    """
    from presidio_analyzer.predefined_recognizers import (
        DateRecognizer,
        EmailRecognizer,
        IpRecognizer,
        MacAddressRecognizer,
        MedicalLicenseRecognizer,
        NhsRecognizer,
        PhoneRecognizer,
        UsItinRecognizer,
        UsMbiRecognizer,
        UuidRecognizer,
    )

    classes: list[Any] = [
        EmailRecognizer,
        IpRecognizer,
        MacAddressRecognizer,
        PhoneRecognizer,
        UuidRecognizer,
        DateRecognizer,
        UsItinRecognizer,
        UsMbiRecognizer,
        NhsRecognizer,
        MedicalLicenseRecognizer,
    ]
    return [cls() for cls in classes]

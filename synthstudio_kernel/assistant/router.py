"""Offline intent routing: TF-IDF nearest neighbours over the shipped question bank.

Word (1–2 grams) and character (3–5 grams) TF-IDF features; a question goes to the intent of
its most similar bank question when that similarity reaches :data:`MIN_SIMILARITY`, else to
``"unknown"``. No model is downloaded: the bank is ``data/questions.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

BANK_FILE = "questions.yaml"
#: Below this cosine similarity to every bank question, the intent is "unknown".
MIN_SIMILARITY = 0.22
UNKNOWN = "unknown"
#: "What can you do?" uses no domain word; a help question this close to the bank still counts.
HELP_SIMILARITY = 0.6

_SYMBOLS = {"ε": " epsilon ", "δ": " delta ", "e^": " e power ", "%": " percent "}
_RUN_ID = re.compile(r"\b[0-9a-f]{8,32}\b")


@dataclass(frozen=True)
class Route:
    intent: str
    similarity: float
    closest: str


def normalise(question: str) -> str:
    text = question.lower()
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    text = _RUN_ID.sub(" run ", text)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


@cache
def bank() -> dict[str, tuple[str, ...]]:
    """intent -> example questions."""
    import yaml

    text = resources.files(__package__).joinpath("data", BANK_FILE).read_text(encoding="utf-8")
    return {intent: tuple(map(str, examples)) for intent, examples in yaml.safe_load(text).items()}


@cache
def _model() -> tuple[Any, Any, list[str], list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    intents, questions = [], []
    for intent, examples in bank().items():
        for q in examples:
            intents.append(intent)
            questions.append(q)
    union = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=normalise)),
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=normalise),
            ),
        ]
    )
    matrix = union.fit_transform(questions)
    return union, matrix, intents, questions


#: Words too common to show that a question is about synthetic data.
_GENERIC = frozenset(
    {
        "good",
        "better",
        "best",
        "bad",
        "worse",
        "worst",
        "show",
        "tell",
        "give",
        "make",
        "use",
        "ok",
        "new",
        "old",
        "last",
        "latest",
        "like",
        "know",
        "say",
        "want",
        "need",
        "get",
        "got",
        "go",
        "going",
        "see",
        "look",
        "think",
        "way",
        "thing",
        "things",
        "much",
        "many",
        "lot",
        "well",
        "really",
        "just",
        "yesterday",
        "today",
        "table",
        "tables",
    }
)


@cache
def vocabulary() -> frozenset[str]:
    """Words that mark a question as in scope: the bank's and the knowledge base's names."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from .knowledge import metrics

    words: set[str] = set()
    texts = [q for examples in bank().values() for q in examples]
    texts += [" ".join((m.id.replace("_", " "), m.name, *m.aliases)) for m in metrics().values()]
    for text in texts:
        words.update(normalise(text).split())
    return frozenset(words - ENGLISH_STOP_WORDS - _GENERIC)


def in_scope(question: str, extra_words: frozenset[str] = frozenset()) -> bool:
    """Whether ``question`` uses at least one word of the domain (or of ``extra_words``: column names...)."""
    words = set(normalise(question).split())
    stems = {w.rstrip("s") for w in words}
    domain = vocabulary() | extra_words
    return bool(words & domain or stems & {w.rstrip("s") for w in domain})


def route(question: str, extra_words: frozenset[str] = frozenset()) -> Route:
    """The intent of ``question`` (``"unknown"`` when nothing in the bank is close enough, or when
    the question uses no word of the domain)."""
    import numpy as np

    union, matrix, intents, questions = _model()
    vector = union.transform([question])
    # Both halves are L2-normalised, so the dot product / 2 is the mean of the two cosines.
    similarity = np.asarray((matrix @ vector.T).todense()).ravel() / 2.0
    best = int(similarity.argmax())
    confident_help = intents[best] == "help" and similarity[best] >= HELP_SIMILARITY
    if similarity[best] < MIN_SIMILARITY or not (confident_help or in_scope(question, extra_words)):
        return Route(UNKNOWN, float(similarity[best]), questions[best])
    return Route(intents[best], float(similarity[best]), questions[best])

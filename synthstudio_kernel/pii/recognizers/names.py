"""Person names from Faker's locale name lists (dictionary lookup, no NER model).

Faker is imported on first use only. The dictionary holds first and last names of many
locales, lower-cased. Column verdicts use :func:`name_stats` over a column's values;
free text uses :func:`find_names` (pairs such as "Maria Lopez", or a title plus a surname).
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


#: Faker locales whose person providers feed the dictionary (Latin-script ones mostly).
LOCALES: tuple[str, ...] = (
    "en_US", "en_GB", "en_IE", "en_IN", "en_NZ", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CA", "es_ES", "es_MX",
    "it_IT", "pt_BR", "pt_PT", "nl_NL", "nl_BE", "pl_PL", "sv_SE", "da_DK", "no_NO", "fi_FI", "cs_CZ", "sk_SK",
    "hu_HU", "ro_RO", "tr_TR", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "et_EE", "ga_IE", "id_ID", "vi_VN", "hi_IN",
    "ar_AA", "he_IL", "sw", "yo_NG", "zu_ZA", "tw_GH", "ko_KR", "ja_JP", "zh_CN", "ru_RU", "uk_UA", "el_GR",
)  # fmt: skip
_FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
_LAST_ATTRS = ("last_names", "last_names_male", "last_names_female")
#: Frequent English words that also appear in name lists; never counted as names on their own.
COMMON_WORDS = _wordset(
    "a an and the of in on at to for by with from or not no yes none null nan unknown other male female "
    "white black brown green gray grey young long king price rose may june april will bill mark grace hope joy "
    "faith chase page major rich sales service services art love summer winter autumn dawn sunny august"
)
TITLES = _wordset("mr mrs ms miss mx dr prof sir dame rev fr sr")
SUFFIXES = _wordset("jr sr ii iii iv md phd rn do dds np pa esq")
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-.])*", re.UNICODE)
_CAPITALIZED = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[-'’][A-ZÀ-ÖØ-Þa-zß-öø-ÿ][a-zß-öø-ÿ]+)?"
_CAP_WORD = re.compile(rf"\b(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.|{_CAPITALIZED})")
#: What may separate a first name from a last name: spaces, or a middle initial.
_GAP = re.compile(r"\s{1,2}(?:[A-Z]\.\s{1,2})?")


#: A digit that starts a word or sits between letters: not a name ("12 Main", "A1B").
_DIGIT_INSIDE = re.compile(r"(?<![^\W_])\d|\d(?=[^\W\d_])")


@dataclass(frozen=True)
class NameDictionary:
    """Lower-cased first and last names."""

    first: frozenset[str]
    last: frozenset[str]

    def is_first(self, token: str) -> bool:
        t = token.lower().strip(".'’-")
        return t in self.first and t not in COMMON_WORDS

    def is_last(self, token: str) -> bool:
        t = token.lower().strip(".'’-")
        return t in self.last and t not in COMMON_WORDS

    def is_name(self, token: str) -> bool:
        return self.is_first(token) or self.is_last(token)


@lru_cache(maxsize=1)
def name_dictionary() -> NameDictionary:
    """Build the dictionary from Faker's person providers (cached)."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in _FIRST_ATTRS:
            first.update(str(n).lower() for n in getattr(provider, attr, ()) or ())
        for attr in _LAST_ATTRS:
            last.update(str(n).lower() for n in getattr(provider, attr, ()) or ())
    return NameDictionary(first=frozenset(first), last=frozenset(last))


@dataclass(frozen=True)
class NameStats:
    """How name-like a set of values is (shares are row-weighted)."""

    shaped: float  # 1-4 alphabetic tokens, no digits
    dictionary: float  # at least one token is a known first or last name
    full: float  # a known first name next to another capitalized token ("Maria Lopez", "Lopez, Maria")


def tokens_of(value: str) -> list[str]:
    """Alphabetic tokens, titles and suffixes removed."""
    return [t for t in _TOKEN.findall(value) if t.lower().strip(".") not in TITLES | SUFFIXES]


def _is_shaped(value: str) -> bool:
    """1-4 alphabetic words; digits only as a suffix of words (test data such as "Abe604")."""
    if "@" in value or len(value) > 60 or _DIGIT_INSIDE.search(value):
        return False
    letters = sum(ch.isalpha() for ch in value)
    if letters < 2 or letters < 0.4 * len(value.replace(" ", "")):
        return False
    toks = tokens_of(value)
    return 1 <= len(toks) <= 4


def name_stats(values: Sequence[str], counts: Sequence[int]) -> NameStats:
    """Row-weighted shares of name-shaped, dictionary-matched and full-name values."""
    names = name_dictionary()
    total = float(sum(counts)) or 1.0
    shaped = dictionary = full = 0.0
    for value, count in zip(values, counts, strict=True):
        if not _is_shaped(value):
            continue
        shaped += count
        toks = tokens_of(value)
        if any(names.is_name(t) for t in toks):
            dictionary += count
        if len(toks) >= 2 and (names.is_first(toks[0]) or ("," in value and names.is_first(toks[-1]))):
            full += count
    return NameStats(shaped=shaped / total, dictionary=dictionary / total, full=full / total)


def find_names(text: str) -> list[tuple[int, int, float]]:
    """Person-name spans in free text: ``(start, end, score)``."""
    names = name_dictionary()
    found: list[tuple[int, int, float]] = []
    words = list(_CAP_WORD.finditer(text))
    for left, right in itertools.pairwise(words):
        gap = text[left.end() : right.start()]
        if not _GAP.fullmatch(gap):
            continue
        first, last = left.group(), right.group()
        if left.group().rstrip(".").lower() in TITLES:
            if names.is_name(last):
                found.append((left.start(), right.end(), 0.6))
        elif names.is_first(first) and names.is_last(last):
            found.append((left.start(), right.end(), 0.7))
        elif names.is_first(first) and names.is_name(last):
            found.append((left.start(), right.end(), 0.5))
    return found


def all_tokens(values: Iterable[str]) -> list[str]:
    """Every alphabetic token of ``values`` (helper for tests and diagnostics)."""
    return [t for v in values for t in tokens_of(v)]

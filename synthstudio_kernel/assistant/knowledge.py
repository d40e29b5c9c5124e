"""The metric knowledge base (``data/metrics.yaml``): each metric in plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .facts import Fact

KB_FILE = "metrics.yaml"


@dataclass(frozen=True)
class Metric:
    """One knowledge-base entry (see the YAML file's header for the fields)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    fields: tuple[str, ...]
    meaning: str
    direction: str
    range: str
    typical: str

    def explanation(self) -> str:
        return (
            f"The {self.name} measures {self.meaning} Direction: {self.direction}. "
            f"Range: {self.range}. Typical values: {self.typical}"
        )

    def fact(self) -> Fact:
        """The entry as a citable fact."""
        return Fact(
            key=f"kb.{self.id}",
            label=f"What the {self.name} means",
            text=self.explanation(),
            source=f"knowledge base: {KB_FILE} · {self.id}",
        )


@cache
def metrics() -> dict[str, Metric]:
    """Every entry, by id."""
    import yaml

    text = resources.files(__package__).joinpath("data", KB_FILE).read_text(encoding="utf-8")
    entries = yaml.safe_load(text)
    out = {}
    for e in entries:
        out[e["id"]] = Metric(
            id=e["id"],
            name=e["name"],
            aliases=tuple(str(a).lower() for a in e.get("aliases", [])),
            fields=tuple(e.get("fields", [])),
            meaning=str(e["meaning"]),
            direction=str(e["direction"]),
            range=str(e["range"]),
            typical=str(e["typical"]),
        )
    return out


def find_metrics(question: str) -> list[Metric]:
    """The entries a question names (by name or alias), longest match first, without overlaps."""
    text = " " + re.sub(r"[^\w²ε δ-]+", " ", question.lower()) + " "
    found: list[tuple[int, int, Metric]] = []
    for metric in metrics().values():
        for alias in sorted({metric.name.lower(), *metric.aliases}, key=len, reverse=True):
            match = re.search(rf"(?<![\w]){re.escape(alias)}(?![\w])", text)
            if match:
                found.append((match.start(), match.end(), metric))
                break
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    chosen: list[tuple[int, int, Metric]] = []
    for start, end, metric in found:
        if all(end <= s or start >= e for s, e, _ in chosen) and metric not in [m for _, _, m in chosen]:
            chosen.append((start, end, metric))
    return [m for _, _, m in sorted(chosen, key=lambda c: c[0])]


def get(metric_id: str) -> Metric:
    return metrics()[metric_id]

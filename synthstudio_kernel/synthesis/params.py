"""Declared parameters of each method: types, ranges, defaults; one readable line per mistake."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError


@dataclass(frozen=True)
class Param:
    """One parameter: ``kind`` is int, float, bool, choice, dims or mapping."""

    name: str
    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""

    def check(self, method: str, value: Any) -> Any:
        """Return ``value`` converted to the declared type, or raise ConfigError."""
        checker = _CHECKERS[self.kind]
        return checker(self, f"{self.name!r} ({method})", value)

    def describe(self) -> str:
        return f"{self.name}={self.default!r}: {self.help}" if self.help else f"{self.name}={self.default!r}"


CrossCheck = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class Schema:
    """All parameters of one method plus checks that involve several of them."""

    method: str
    params: tuple[Param, ...]
    cross_checks: tuple[CrossCheck, ...] = ()

    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def validate(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults completed with the user's values, each checked."""
        known = {p.name: p for p in self.params}
        for name in given:
            if name not in known:
                raise ConfigError(_unknown_message(self.method, str(name), list(known)))
        values = {p.name: p.check(self.method, given[p.name]) if p.name in given else p.default for p in self.params}
        for check in self.cross_checks:
            check(self.method, values)
        return values


def _unknown_message(method: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"Unknown parameter {name!r} for method {method!r}; {hint}valid parameters: {', '.join(known)}."


# --- type checkers ----------------------------------------------------------------
def _range_ok(p: Param, value: float) -> bool:
    if p.minimum is not None and (value <= p.minimum if p.exclusive_minimum else value < p.minimum):
        return False
    return not (p.maximum is not None and (value >= p.maximum if p.exclusive_maximum else value > p.maximum))


def _range_text(p: Param) -> str:
    parts = []
    if p.minimum is not None:
        parts.append(f"{'>' if p.exclusive_minimum else '>='} {p.minimum:g}")
    if p.maximum is not None:
        parts.append(f"{'<' if p.exclusive_maximum else '<='} {p.maximum:g}")
    return " and ".join(parts)


def _check_int(p: Param, label: str, value: Any) -> int:
    ok_type = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value) and value.is_integer())
    if isinstance(value, bool) or not ok_type:
        raise ConfigError(f"{label} must be an integer {_range_text(p)}, got {value!r}.")
    number = int(value)
    if not _range_ok(p, number):
        raise ConfigError(f"{label} must be an integer {_range_text(p)}, got {number}.")
    return number


def _check_float(p: Param, label: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        raise ConfigError(f"{label} must be a finite number {_range_text(p)}, got {value!r}.")
    number = float(value)
    if not _range_ok(p, number):
        raise ConfigError(f"{label} must be a number {_range_text(p)}, got {number:g}.")
    return number


def _check_bool(p: Param, label: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{label} must be true or false, got {value!r}.")
    return value


def _check_choice(p: Param, label: str, value: Any) -> str:
    if not isinstance(value, str) or value not in p.choices:
        raise ConfigError(f"{label} must be one of {', '.join(p.choices)}; got {value!r}.")
    return value


def _check_dims(p: Param, label: str, value: Any) -> tuple[int, ...]:
    items = value if isinstance(value, list | tuple) else None
    if not items or any(isinstance(v, bool) or not isinstance(v, int) or v <= 0 for v in items):
        raise ConfigError(f"{label} must be a non-empty list of positive layer sizes, e.g. [256, 256]; got {value!r}.")
    return tuple(int(v) for v in items)


def _check_mapping(p: Param, label: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{label} must map column names to one of {', '.join(p.choices)}.")
    result: dict[str, str] = {}
    for column, choice in value.items():
        if not isinstance(choice, str) or choice not in p.choices:
            raise ConfigError(
                f"{label}: column {str(column)!r} must use one of {', '.join(p.choices)}; got {choice!r}."
            )
        result[str(column)] = choice
    return result


_CHECKERS: dict[str, Callable[[Param, str, Any], Any]] = {
    "int": _check_int,
    "float": _check_float,
    "bool": _check_bool,
    "choice": _check_choice,
    "dims": _check_dims,
    "mapping": _check_mapping,
}

# --- the methods' schemas ------------------------------------------------------------
#: Parametric marginals only: SDV's "gaussian_kde" keeps every training value of the column
#: inside the model, which an artifact without training rows cannot allow.
DISTRIBUTIONS = ("beta", "norm", "truncnorm", "gamma", "uniform")

_FORMAT = (
    Param("enforce_min_max_values", "bool", True, help="clip numbers to the range seen in training"),
    Param("enforce_rounding", "bool", True, help="round numbers to the training data's decimals"),
)
_EPOCHS = Param("epochs", "int", 300, minimum=1, maximum=100_000, help="passes over the data")


def _batch_multiple_of_pac(method: str, values: dict[str, Any]) -> None:
    batch, pac = values["batch_size"], values["pac"]
    if batch % 2 or batch % pac:
        raise ConfigError(
            f"'batch_size' ({method}) must be even and a multiple of 'pac' ({pac}), got {batch}; "
            f"try {max(2 * pac, (batch // (2 * pac)) * 2 * pac)}."
        )


GAUSSIAN_COPULA = Schema(
    "gaussian-copula",
    (
        Param("default_distribution", "choice", "beta", choices=DISTRIBUTIONS, help="marginal for numbers"),
        Param("numerical_distributions", "mapping", {}, choices=DISTRIBUTIONS, help="per-column marginals"),
        *_FORMAT,
    ),
)

CTGAN = Schema(
    "ctgan",
    (
        _EPOCHS,
        Param("batch_size", "int", 500, minimum=2, help="rows per step; even, a multiple of pac"),
        Param("embedding_dim", "int", 128, minimum=1, help="size of the generator's noise input"),
        Param("generator_dim", "dims", (256, 256), help="generator residual layer sizes"),
        Param("discriminator_dim", "dims", (256, 256), help="discriminator layer sizes"),
        Param("generator_lr", "float", 2e-4, minimum=0, exclusive_minimum=True),
        Param("generator_decay", "float", 1e-6, minimum=0),
        Param("discriminator_lr", "float", 2e-4, minimum=0, exclusive_minimum=True),
        Param("discriminator_decay", "float", 1e-6, minimum=0),
        Param("discriminator_steps", "int", 1, minimum=1),
        Param("log_frequency", "bool", True, help="sample conditions by log frequency"),
        Param("pac", "int", 10, minimum=1, help="rows the discriminator judges together"),
        *_FORMAT,
    ),
    cross_checks=(_batch_multiple_of_pac,),
)

TVAE = Schema(
    "tvae",
    (
        _EPOCHS,
        Param("batch_size", "int", 500, minimum=1, help="rows per step"),
        Param("embedding_dim", "int", 128, minimum=1, help="size of the latent space"),
        Param("compress_dims", "dims", (128, 128), help="encoder layer sizes"),
        Param("decompress_dims", "dims", (128, 128), help="decoder layer sizes"),
        Param("l2scale", "float", 1e-5, minimum=0, help="weight decay"),
        Param("loss_factor", "float", 2.0, minimum=0, exclusive_minimum=True, help="reconstruction weight"),
        Param(
            "validation_split",
            "float",
            0.0,
            minimum=0,
            maximum=0.5,
            exclusive_maximum=True,
            help="share of rows held out to compute holdout_loss each epoch (for early stopping)",
        ),
        *_FORMAT,
    ),
)

SCHEMAS: dict[str, Schema] = {s.method: s for s in (GAUSSIAN_COPULA, CTGAN, TVAE)}


def validate(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``params`` for ``method`` and fill in defaults."""
    return SCHEMAS[method].validate(params)

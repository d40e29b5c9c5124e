"""The wire schema shared by Python and the lab extension (``api.schema.json``).

The TypeScript types in ``labextension/src/schema.ts`` are generated from it
(``jlpm build:schema``); Python tests validate real server responses with :func:`validate`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("api.schema.json")


@cache
def load_schema() -> dict[str, Any]:
    """The whole schema document."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def definitions() -> list[str]:
    """Names of the shapes the schema defines (DatasetsResponse, RunSummary, ...)."""
    return sorted(load_schema()["definitions"])


def validate(payload: Any, definition: str) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``payload`` matches ``definition``."""
    import jsonschema

    schema = load_schema()
    if definition not in schema["definitions"]:
        raise KeyError(
            f"No definition {definition!r} in {SCHEMA_PATH.name}; choose one of: {', '.join(definitions())}."
        )
    wrapper = {"$ref": f"#/definitions/{definition}", "definitions": schema["definitions"]}
    jsonschema.Draft7Validator(wrapper, format_checker=jsonschema.FormatChecker()).validate(payload)

"""Attestations: a person's signed-off statement about a run, under one framework.

The tool measures; people attest. An attestation names who, in which role, what they state,
when, until when it holds, and the SHA-256 of the evidence they relied on (a facts document,
a contract, a policy). It is stored in the ledger (append-only), logged in the run log, and
shown in every report of the run with its status (current or expired).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ...errors import ConfigError
from . import runlog
from .audit_models import AttestationRow
from .engine import read_session, write_session
from .events import LedgerChange, notify

#: Frameworks an attestation may name.
FRAMEWORKS = ("hipaa", "gdpr", "ccpa", "soc2")


@dataclass(frozen=True)
class Attestation:
    """One attestation as stored."""

    id: str
    run_id: str
    framework: str
    claim: str
    who: str
    role: str
    statement: str
    attested_at: str
    expires_at: str | None
    evidence: list[dict[str, str]] = field(default_factory=list)
    entry_hash: str = ""

    def content(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "run_id": self.run_id,
            "framework": self.framework,
            "claim": self.claim,
            "who": self.who,
            "role": self.role,
            "statement": self.statement,
            "attested_at": self.attested_at,
            "expires_at": self.expires_at,
            "evidence": self.evidence,
        }

    def expired(self, now: datetime | None = None) -> bool:
        if not self.expires_at:
            return False
        moment = now or datetime.now(UTC)
        return datetime.fromisoformat(self.expires_at) <= moment

    def to_dict(self) -> dict[str, Any]:
        return {**self.content(), "entry_hash": self.entry_hash, "expired": self.expired()}


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"An attestation needs {what} (a non-empty text).")
    value = value.strip()
    if len(value) > limit:
        raise ConfigError(f"{what.capitalize()} is longer than {limit} characters; shorten it.")
    return value


def _expiry(expires: object) -> str:
    if isinstance(expires, str):
        try:
            expires = datetime.fromisoformat(expires)
        except ValueError as exc:
            raise ConfigError("expires must be a date such as '2027-06-30'.") from exc
    if isinstance(expires, date) and not isinstance(expires, datetime):
        expires = datetime(expires.year, expires.month, expires.day, tzinfo=UTC)
    if not isinstance(expires, datetime):
        raise ConfigError("expires is required: a date (or 'YYYY-MM-DD') after which the attestation lapses.")
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires <= datetime.now(UTC):
        raise ConfigError("expires must lie in the future.")
    return expires.isoformat(timespec="seconds")


def _evidence(evidence: Sequence[Any] | Mapping[str, Any] | None) -> list[dict[str, str]]:
    """Evidence as ``[{name, sha256}]``: files are hashed; ``{name: sha256}`` taken as given."""
    out: list[dict[str, str]] = []
    if isinstance(evidence, Mapping):
        for name, digest in evidence.items():
            if not isinstance(digest, str) or len(digest) != 64:
                raise ConfigError(f"Evidence {name!r} needs a SHA-256 (64 hex digits).")
            out.append({"name": str(name), "sha256": digest.lower()})
        return out
    for item in evidence or ():
        path = Path(item)
        if not path.is_file():
            raise ConfigError(f"Evidence file {str(path)!r} does not exist.")
        out.append({"name": path.name, "sha256": runlog.file_sha256(path)})
    return out


def attest(
    ledger: Any,
    run_id: str,
    *,
    framework: str,
    who: str,
    role: str,
    statement: str,
    expires: date | datetime | str,
    claim: str = "general",
    evidence: Sequence[Any] | Mapping[str, Any] | None = None,
) -> Attestation:
    """Store an attestation about ``run_id`` and log it in the run log."""
    if framework not in FRAMEWORKS:
        raise ConfigError(f"framework must be one of {', '.join(FRAMEWORKS)}, not {framework!r}.")
    if ledger.get_run(run_id) is None:
        raise ConfigError(f"Run {run_id} is not in the ledger; attest a run that was trained with this ledger.")
    record = Attestation(
        id=uuid.uuid4().hex,
        run_id=run_id,
        framework=framework,
        claim=_text(claim, "a claim name", 100),
        who=_text(who, "who attests", 200),
        role=_text(role, "the role of who attests", 200),
        statement=_text(statement, "a statement", 5_000),
        attested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        expires_at=_expiry(expires),
        evidence=_evidence(evidence),
    )
    digest = hashlib.sha256(runlog.canonical(record.content()).encode("utf-8")).hexdigest()
    record = Attestation(**{**record.__dict__, "entry_hash": digest})
    with write_session(ledger.engine) as s:
        s.add(AttestationRow(**record.content(), entry_hash=digest))
    runlog.append(
        ledger,
        kind="attest",
        run_id=run_id,
        details={"attestation": record.id, "framework": framework, "claim": record.claim, "role": record.role},
        outputs={"attestation_sha256": digest},
    )
    run = ledger.get_run(run_id)
    notify(LedgerChange("attested", run.dataset_name if run else "", run_id))  # the sidebar refreshes its badges
    return record


def attestations(ledger: Any, run_id: str | None = None, framework: str | None = None) -> list[Attestation]:
    """Stored attestations, oldest first."""
    with read_session(ledger.engine) as s:
        query = select(AttestationRow).order_by(AttestationRow.attested_at, AttestationRow.id)
        if run_id is not None:
            query = query.where(AttestationRow.run_id == run_id)
        if framework is not None:
            query = query.where(AttestationRow.framework == framework)
        return [
            Attestation(
                id=r.id,
                run_id=r.run_id,
                framework=r.framework,
                claim=r.claim,
                who=r.who,
                role=r.role,
                statement=r.statement,
                attested_at=r.attested_at,
                expires_at=r.expires_at,
                evidence=list(r.evidence or []),
                entry_hash=r.entry_hash,
            )
            for r in s.execute(query).scalars()
        ]

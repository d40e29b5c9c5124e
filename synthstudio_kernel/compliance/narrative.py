"""The audit narrative: plain sentences generated from the claims only.

Every number in the narrative is a claim's ``display`` or a value recorded in the facts; a test
checks that each number it prints appears in the facts document.
"""

from __future__ import annotations

from .claims import Claim


def _get(claims: dict[str, Claim], cid: str) -> Claim | None:
    return claims.get(cid)


def narrative(claims: dict[str, Claim], *, dataset: str | None, method: str, withheld: bool = False) -> list[str]:
    """Paragraphs, in the order an auditor reads them. ``withheld``: the document is released and
    the internal evaluation results were left out of it (the narrative says so, not "not assessed")."""
    paras: list[str] = []
    eps, delta = _get(claims, "dp.epsilon"), _get(claims, "dp.delta")
    if eps is not None and delta is not None:
        paras.append(
            f"A {method} model was trained on dataset {dataset}. The privacy accountant recorded ε = {eps.display} "
            f"at δ = {delta.display} for this run; this bounds what the model and anything sampled from it can "
            "reveal about any single training row."
        )
    else:
        paras.append(
            f"A {method} model was trained on dataset {dataset}. The method has no formal privacy guarantee, so the "
            "measurements below are the only evidence about disclosure risk."
        )
    scan, treatment = _get(claims, "pii.scan"), _get(claims, "pii.treatment")
    if scan is not None and scan.status == "MEASURED" and treatment is not None:
        direct = len(scan.value["direct"])
        paras.append(
            f"Before training, the PII scan flagged {direct} direct-identifier column(s); the recorded treatment: "
            f"{treatment.statement}"
        )
    else:
        paras.append("No PII scan or treatment was recorded for the training table.")
    risks = [
        c
        for c in (
            _get(claims, k) for k in ("eval.singling_out", "eval.linkability", "eval.inference", "eval.membership")
        )
        if c is not None and c.status == "MEASURED"
    ]
    if risks:
        above = [c.label for c in risks if c.outcome == "beyond threshold"]
        parts = ", ".join(f"{c.label.lower()} {c.display}" for c in risks)
        paras.append(
            f"Measured on the synthetic data: {parts}. "
            + (
                f"The result lies beyond the stated threshold for: {', '.join(above)}."
                if above
                else "Each lies within the threshold stated beside it."
            )
            + " These are internal evaluation results: computed on the private rows outside the DP guarantee, "
            "for the data owner and the expert, not for publication."
        )
    elif withheld:
        paras.append(
            "The disclosure risks of the synthetic data were measured on the private rows, outside the DP guarantee; "
            "those internal evaluation results are withheld from this released document."
        )
    else:
        paras.append("The disclosure risks of the synthetic data were not assessed.")
    attested, seen = [], set()
    # One line per attestation: a framework's claim (named for what it attests) and the generic
    # record of the same attestation share its entry hash; the framework's claim is kept.
    for c in sorted(claims.values(), key=lambda c: c.id.startswith("attestation.")):
        key = (c.attestation or {}).get("entry_hash") or c.id
        if c.status == "ATTESTED" and key not in seen:
            seen.add(key)
            attested.append(c)
    missing = [c.label for c in claims.values() if c.status == "NOT ASSESSED"]
    if attested:
        paras.append(
            "Attested by people: "
            + "; ".join(
                f"{c.label} by {c.attestation['who']} ({c.attestation['role']})" for c in attested if c.attestation
            )
            + "."
        )
    if missing:
        paras.append("Not assessed: " + "; ".join(missing) + ".")
    log = _get(claims, "runlog")
    if log is not None and log.status == "MEASURED":
        paras.append(f"The run log verifies as {log.outcome}.")
    return paras

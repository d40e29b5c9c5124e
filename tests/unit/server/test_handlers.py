"""The server extension's routes, against a real Jupyter server and the real ledger."""

from __future__ import annotations

import json
import uuid

import pandas as pd
import pytest

from synthstudio_kernel.privacy.ledger import register_dataset
from synthstudio_kernel.schema import validate

ROUTES = [
    "synthstudio/api/datasets",
    "synthstudio/api/datasets/anything",
    "synthstudio/api/runs",
    "synthstudio/api/runs/0123abcd",
    "synthstudio/api/runs/0123abcd/compliance",
    "synthstudio/api/runs/0123abcd/frameworks",
    "synthstudio/api/frameworks?run=0123abcd",
]

#: Values that exist only inside the table: none of them may ever reach a response.
SECRETS = ["Zebediah Quintrell", "zq-4471@example.org", "873-22-1911"]


def frame() -> pd.DataFrame:
    """A small table with a fresh fingerprint each time (one table has one budget in the ledger).
    The salt is wide: with a thousand values, two of this module's six tables were the same
    table about once in seventy runs, and the second registration was refused."""
    salt = uuid.uuid4().int % 10**12
    return pd.DataFrame(
        {
            "name": [SECRETS[0], "Ann Lee", "Bo Chen", "Cy Diaz"] * 5,
            "email": [SECRETS[1], "a@x.org", "b@x.org", "c@x.org"] * 5,
            "ssn": [SECRETS[2], "111-11-1111", "222-22-2222", "333-33-3333"] * 5,
            "age": [31 + salt, 45, 52, 38] * 5,
        }
    )


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def dp_run(ledger, dataset: str, *, epsilon: float = 1.0, spent: float = 0.9, facts: dict | None = None) -> str:
    run_id = uuid.uuid4().hex
    ledger.reserve(
        run_id=run_id, dataset_id=dataset, epsilon=epsilon, delta=1e-5, method="dp-tvae", params={"epochs": 2}
    )
    ledger.settle(
        run_id=run_id,
        epsilon_spent=spent,
        status="succeeded",
        accounting={"accountant": "rdp", "steps": 40, "noise_multiplier": 1.3, "sample_rate": 0.05},
    )
    for key, value in (facts or {}).items():
        ledger.attach_facts(run_id, key, value)
    return run_id


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_refuses_requests_without_a_valid_token(server, route):
    # Run
    anonymous = server.request(route, token=None)
    wrong = server.request(route, token="not-the-token")
    # Assert
    assert anonymous[0] == 403
    assert wrong[0] == 403


def test_datasets_list_budgets_and_run_history(server, ledger):
    # Setup
    name = unique("adult")
    register_dataset(frame(), name, total_epsilon=5.0)
    first = dp_run(ledger, name, epsilon=1.0, spent=0.9)
    second = dp_run(ledger, name, epsilon=2.0, spent=1.8)
    open_run = uuid.uuid4().hex
    ledger.reserve(run_id=open_run, dataset_id=name, epsilon=0.5, delta=1e-5, method="dp-ctgan", params={})
    # Run
    body = server.get("synthstudio/api/datasets")
    # Assert
    validate(body, "DatasetsResponse")
    assert body["version"] == "0.1.0"
    (dataset,) = [d for d in body["datasets"] if d["name"] == name]
    assert dataset["rows"] == 20
    assert dataset["budget"] == pytest.approx({"total": 5.0, "spent": 2.7, "reserved": 0.5, "remaining": 1.8})
    assert dataset["run_count"] == 3
    assert dataset["runs"][0]["id"] == open_run  # newest first
    assert {run["id"] for run in dataset["runs"]} == {first, second, open_run}
    training = dataset["runs"][0]
    assert training["status"] == "reserved"
    assert training["epsilon_spent"] is None
    assert training["compliance"]["privacy_level"] is None


def test_dataset_detail_and_unknown_dataset(server, ledger):
    # Setup
    name = unique("credit")
    register_dataset(frame(), name, total_epsilon=3.0)
    run_id = dp_run(ledger, name)
    # Run
    body = server.get(f"synthstudio/api/datasets/{name}")
    status, missing, _ = server.request("synthstudio/api/datasets/no-such-dataset")
    # Assert
    validate(body, "DatasetDetail")
    assert body["dataset"]["name"] == name
    assert [run["id"] for run in body["dataset"]["runs"]] == [run_id]
    assert status == 404
    assert "no-such-dataset" in missing["message"]


def test_runs_carry_method_epsilon_delta_status_and_safety(server, ledger):
    # Setup
    name = unique("insurance")
    register_dataset(frame(), name, total_epsilon=4.0)
    safety = {
        "ok": True,
        "errors": [],
        "warnings": ["Few epochs: utility may be low."],
        "checks": [
            {"name": "delta", "status": "ok", "message": "δ below 1/n"},
            {"name": "epochs", "status": "warning", "message": "few"},
        ],
    }
    dp = dp_run(ledger, name, epsilon=1.5, spent=1.4, facts={"safety": safety})
    plain = uuid.uuid4().hex
    ledger.record_run(run_id=plain, dataset_id=name, method="gaussian-copula", params={}, status="succeeded")
    # Run
    body = server.get(f"synthstudio/api/runs?dataset={name}&limit=10")
    one = server.get(f"synthstudio/api/runs?dataset={name}&limit=1")
    # Assert
    validate(body, "RunsResponse")
    runs = {run["id"]: run for run in body["runs"]}
    assert set(runs) == {dp, plain}
    assert len(one["runs"]) == 1
    assert runs[dp]["method"] == "dp-tvae"
    assert runs[dp]["guarantee"] == "differential-privacy"
    assert runs[dp]["epsilon_target"] == 1.5
    assert runs[dp]["epsilon_spent"] == pytest.approx(1.4)
    assert runs[dp]["delta"] == 1e-5
    assert runs[dp]["status"] == "succeeded"
    assert runs[dp]["safety"]["warnings"] == ["Few epochs: utility may be low."]
    assert [c["status"] for c in runs[dp]["safety"]["checks"]] == ["ok", "warning"]
    assert runs[plain]["guarantee"] == "none"
    assert runs[plain]["epsilon_spent"] is None
    assert runs[plain]["safety"] is None


def test_bad_query_arguments_are_400(server):
    status, body, _ = server.request("synthstudio/api/runs?limit=lots")
    assert status == 400
    assert "limit" in body["message"]
    assert server.request("synthstudio/api/runs?limit=100000")[0] == 400


def test_run_detail_has_params_and_accounting(server, ledger):
    name = unique("german")
    register_dataset(frame(), name, total_epsilon=2.0)
    run_id = dp_run(ledger, name)
    body = server.get(f"synthstudio/api/runs/{run_id}")
    validate(body, "RunDetail")
    assert body["params"] == {"epochs": 2}
    assert body["accounting"]["noise_multiplier"] == 1.3
    assert server.request(f"synthstudio/api/runs/{uuid.uuid4().hex}")[0] == 404


def test_compliance_is_built_from_recorded_facts_only(server, ledger):
    # Setup: a DP run with a PII record and an evaluation; a non-DP run with nothing attached
    name = unique("customers")
    register_dataset(frame(), name, total_epsilon=5.0)
    pii = {
        "columns": [
            {"column": "email", "identifier": "direct", "action": "drop"},
            {"column": "ssn", "identifier": "direct", "action": "drop"},
            {"column": "age", "identifier": "quasi", "action": "keep"},
        ]
    }
    evaluation = {"fidelity": 0.85, "utility": 0.8, "privacy": 0.9, "verdicts": {"internal_testing": "pass"}}
    dp = dp_run(ledger, name, facts={"pii": pii, "evaluation": evaluation})
    plain = uuid.uuid4().hex
    ledger.record_run(run_id=plain, dataset_id=name, method="ctgan", params={}, status="succeeded")
    # Run
    dp_status = server.get(f"synthstudio/api/runs/{dp}/compliance")
    plain_status = server.get(f"synthstudio/api/runs/{plain}/compliance")
    # Assert
    validate(dp_status, "ComplianceStatus")
    badges = {b["check"]: b for b in dp_status["badges"]}
    assert badges["formal-privacy"]["status"] == "pass"
    assert badges["identifiers"]["status"] == "warn"
    assert "Quasi-identifiers kept: age" in badges["identifiers"]["reasons"][0]
    assert "email (drop)" in badges["identifiers"]["reasons"][1]
    assert badges["fidelity"]["status"] == "pass"
    assert badges["safety-checks"]["status"] == "unknown"
    assert dp_status["privacy_level"] is not None
    plain_badges = {b["check"]: b["status"] for b in plain_status["badges"]}
    assert plain_badges == {"formal-privacy": "fail", "identifiers": "unknown", "evaluation": "unknown"}
    assert plain_status["status"] == "fail"
    assert server.request(f"synthstudio/api/runs/{uuid.uuid4().hex}/compliance")[0] == 404


def test_framework_badges_route_and_an_attestation_turning_hipaa_attested(server, ledger):
    # Setup: a settled DP run with nothing else recorded, and a failed one
    import synthstudio_kernel as ss

    name = unique("clinic")
    register_dataset(frame(), name, total_epsilon=5.0)
    dp = dp_run(ledger, name)
    failed = uuid.uuid4().hex
    ledger.reserve(run_id=failed, dataset_id=name, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})
    ledger.settle(run_id=failed, epsilon_spent=0.2, status="failed", accounting={"error": "stopped by the user"})

    # Run
    before = server.get(f"synthstudio/api/runs/{dp}/frameworks")
    ss.attest(
        dp, framework="hipaa", claim="expert_determination", who="Dr. Ada Expert", role="Expert",
        statement="Risk very small for the named recipient.", expires="2099-12-31", ledger=ledger,
    )  # fmt: skip
    after = server.get(f"synthstudio/api/runs/{dp}/frameworks")
    both = server.get(f"synthstudio/api/frameworks?run={dp}&run={failed}&run={uuid.uuid4().hex}")

    # Assert
    validate(before, "FrameworkBadges")
    validate(both, "FrameworkBadgesResponse")
    states = {f["framework"]: f["state"] for f in before["frameworks"]}
    assert states == {"hipaa": "missing", "gdpr": "missing", "ccpa": "missing", "soc2": "missing"}
    hipaa = next(f for f in after["frameworks"] if f["framework"] == "hipaa")
    assert hipaa["state"] == "attested" and any("Dr. Ada Expert" in r for r in hipaa["reasons"])
    assert [r["run_id"] for r in both["runs"]] == [dp, failed]  # the unknown run is left out
    assert {f["state"] for f in both["runs"][1]["frameworks"]} == {"fail"}
    assert server.request(f"synthstudio/api/runs/{uuid.uuid4().hex}/frameworks")[0] == 404
    status, _, page = server.request(f"synthstudio/api/runs/{dp}/report")
    assert status == 200 and "<h2>Frameworks</h2>" in page
    assert "<th>HIPAA</th><td>attested</td>" in page and "<th>SOC 2</th><td>missing</td>" in page
    assert server.request("synthstudio/api/frameworks?run=bad%20id")[0] == 400
    assert server.request("synthstudio/api/frameworks?" + "&".join(f"run=r{i}" for i in range(60)))[0] == 400


def secret_table(rows: int = 300) -> pd.DataFrame:
    """A table where each secret occurs once among ordinary values (a fresh fingerprint each time)."""
    salt = uuid.uuid4().int % 1000
    n = rows
    table = pd.DataFrame(
        {
            "name": [f"Person {i}" for i in range(n)],
            "email": [f"p{i}@x.org" for i in range(n)],
            "ssn": [f"{100 + i % 800:03d}-{10 + i % 80:02d}-{1000 + i:04d}" for i in range(n)],
            "city": (["north", "south", "east"] * n)[:n],
            "age": [20 + (i * 7 + salt) % 60 for i in range(n)],
        }
    )
    table.loc[7, ["name", "email", "ssn"]] = SECRETS
    table.loc[11, "city"] = SECRET_CATEGORY
    return table


SECRET_CATEGORY = "Qx-Hidden-Hamlet-55"


def test_no_response_ever_holds_a_data_value(server, ledger):
    # Setup: the secrets go through everything that writes to the ledger the server reads: a
    # registration, a non-DP run, a DP run refused by the safety checks, an evaluation whose
    # scores are attached to the run, and a real DP run on the PII-cleaned table
    import synthstudio_kernel as ss

    name = unique("secrets")
    table = secret_table()
    handle = register_dataset(table, name, total_epsilon=9.0)
    model = ss.train(table, method="gaussian-copula", seed=1, dataset=name)
    with pytest.raises(ss.errors.PrivacyError):
        ss.train(table, method="dp-tvae", epsilon=1.0, epochs=1, dataset=name)
    ss.evaluate(table, model.sample(120, seed=2), seed=0)
    clean = ss.scan_pii(table).apply(table)
    dp = ss.train(
        clean, method="dp-tvae", epsilon=8.0, epochs=1, batch_size=100, force=True, dataset=name,
        public_bounds={"age": (18, 90)}, embedding_dim=8, compress_dims=[16], decompress_dims=[16],
    )  # fmt: skip
    run_ids = [r.id for r in ledger.list_runs(name)] + [dp.run.id]

    # Run
    paths = ["synthstudio/api/datasets", f"synthstudio/api/datasets/{name}", "synthstudio/api/runs"]
    for run_id in run_ids:
        paths += [f"synthstudio/api/runs/{run_id}", f"synthstudio/api/runs/{run_id}/compliance"]
        paths += [f"synthstudio/api/runs/{run_id}/frameworks"]
    texts = [server.request(path)[2] for path in paths]

    # Assert: the responses are about these runs (the check is live) and hold no secret
    assert len(run_ids) >= 3 and all(run_id in "".join(texts) for run_id in run_ids)
    for text in texts:
        json.loads(text)
        for secret in [*SECRETS, SECRET_CATEGORY, handle.fingerprint]:
            assert secret not in text

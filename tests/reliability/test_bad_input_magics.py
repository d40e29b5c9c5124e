"""The bad-input corpus, through the magics in a real IPython shell (plus hypothesis fuzzing).

Each case must raise one IPython UsageError whose message is one readable line quoting no
data value, and leave the ledger's budgets and runs and the files unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from corpus_helpers import assert_one_clean_line, secret_table, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

import synthstudio_kernel as ss
from synthstudio_kernel.errors import SynthStudioError


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("magic-corpus-home")


@pytest.fixture
def ns(shell, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from synthstudio_kernel.privacy.ledger import close_ledgers

    monkeypatch.setenv("SYNTHSTUDIO_HOME", str(home))
    monkeypatch.delenv("SYNTHSTUDIO_DB_URL", raising=False)
    close_ledgers()
    table = secret_table()
    if "model" not in _CACHE:
        _CACHE["model"] = ss.train(table, method="gaussian-copula", seed=1)
        ss.register_dataset(table, "people", total_epsilon=3.0)
    shell.user_ns.update(df=table, model=_CACHE["model"], number=42)
    (tmp_path / "a-file.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    return shell.user_ns


_CACHE: dict[str, Any] = {}

#: (magic, line, cell body or None, a piece of the expected message)
CASES: list[tuple[str, str, str | None, str]] = [
    ("synth_sample", "model ²", None, "digits 0-9"),
    ("synth_sample", "model ٣", None, "digits 0-9"),
    ("synth_sample", "model ５", None, "digits 0-9"),
    ("synth_sample", "model 1000000000", None, "at most 10,000,000"),
    ("synth_sample", "model 0", None, "at least 1"),
    ("synth_sample", "model -3", None, "at least 1"),
    ("synth_sample", "model 2.5", None, "digits 0-9"),
    ("synth_sample", "model 1e3", None, "digits 0-9"),
    ("synth_sample", "model", None, "the following arguments are required: n"),
    ("synth_sample", "ghost 5", None, "No variable named 'ghost'"),
    ("synth_sample", "df 5", None, "not a trained model"),
    ("synth_sample", "model 5 --seed ²", None, "--seed must be a whole number"),
    ("synth_sample", "model 5 --seed -1", None, "--seed must be at least 0"),
    ("synth_sample", "model 5 --seed 99999999999", None, "--seed must be at most"),
    ("synth_sample", "model 5 --to 1x", None, "--to needs a valid variable name"),
    ("synth_sample", "model 5 --to class", None, "--to needs a valid variable name"),
    ("synth_sample", "model 5 --where city", None, "--where takes COLUMN=VALUE"),
    ("synth_sample", "model 5 --where nope=1", None, "Condition on unknown column"),
    ("synth_sample", "model 5 --where city=atlantis", None, "not one of the"),
    ("synth_sample", "model 5 --csv {tmp}/folder", None, "it is a folder"),
    ("synth_sample", "model 5 --csv {tmp}/a-file.txt/rows.csv", None, "is a file, not a folder"),
    ("synth_sample", "model 5 'unclosed", None, "cannot parse the arguments"),
    ("synth_sample", "model 5 --bogus", None, "unrecognized arguments"),
    ("synth_budget", "--runs ²", None, "--runs must be a whole number"),
    ("synth_budget", "--runs -1", None, "--runs must be at least 0"),
    ("synth_budget", "nope", None, "No dataset 'nope'"),
    ("synth_budget", "people --name 2x", None, "--name needs a valid variable name"),
    ("synth_budget", "people extra", None, "unrecognized arguments"),
    ("synth_budget", "number", None, "No dataset 'number'"),
    ("synth_profile", "ghost", None, "No variable named 'ghost'"),
    ("synth_profile", "number", None, "not a pandas DataFrame"),
    ("synth_profile", "df --kind age", None, "--kind expects COLUMN=KIND"),
    ("synth_profile", "df --kind age=weird", None, "Unknown column kind"),
    ("synth_profile", "df --kind nope=numeric", None, "unknown column"),
    ("synth_profile", "df --out x.html", None, "add --full"),
    ("synth_profile", "df --name 1x", None, "--name needs a valid variable name"),
    ("synth_pii", "df --sample-size 5", None, "--sample-size must be at least 10"),
    ("synth_pii", "df --sample-size ５０", None, "--sample-size must be a whole number"),
    ("synth_pii", "df --seed x", None, "--seed must be a whole number"),
    ("synth_pii", "df --columns nope", None, "Unknown column"),
    ("synth_pii", "df --salt-env SYNTHSTUDIO_NO_SUCH_VAR", None, "is not set or empty"),
    ("synth_evaluate", "df ghost", None, "No variable named 'ghost'"),
    ("synth_evaluate", "df number", None, "not a pandas DataFrame"),
    ("synth_evaluate", "df df --seed ²", None, "--seed must be a whole number"),
    ("synth_evaluate", "df df --name 1x", None, "is not a valid variable name"),
    ("synth_evaluate", "df df --out {tmp}/a-file.txt", None, "it is a file, not a folder"),
    ("synth_evaluate", "df df --out {tmp}/a-file.txt/sub", None, "is a file, not a folder"),
    (
        "dp_train",
        "df --name m",
        "method: dp-tvae\nepsilon: 5\nepochs: 1\nforce: 'false'\n",
        "force must be true or false",
    ),
    ("dp_train", "df --name m", "method: dp-tvae\nepsilon: five\nepochs: 1\n", "epsilon"),
    ("dp_train", "df --name m", "method: dp-tvae\nepsilon: 5\ndelta: 0.5\nepochs: 1\n", "Refused to train dp-tvae"),
    ("dp_train", "df --name m", "method: dp-tvae\nepsilon: 0.01\nepochs: 1\n", "Refused to train dp-tvae"),
    ("dp_train", "df --name m", "method: tvae\nepochs: ²\n", "epochs"),
    ("dp_train", "df --name m", "method: tvae\nepochs: 1.5\n", "epochs"),
    ("dp_train", "df --name m", "method: tvae\nbatch_size: 0\n", "batch_size"),
    ("dp_train", "df --name m", "method: tvae\nseed: -4\n", "seed"),
    ("dp_train", "df --name m", "method: [tvae]\n", "Unknown method"),
    ("dp_train", "df --name m", "method: tvae\nkinds: {nope: numeric}\n", "unknown column"),
    ("dp_train", "df --name m", "method: tvae\nkinds: {age: weird}\n", "Unknown column kind"),
    ("dp_train", "df --name m", "method: tvae\n: x\n", "YAML"),
    ("dp_train", "df --name m", "!!python/object/apply:os.system ['true']\n", "not valid YAML"),
    ("dp_train", "df --name m", "method: dp-tvae\nepsilon: 1\ndataset: nope\nepochs: 1\n", "nope"),
    ("dp_train", "df --name class", "method: tvae\n", "--name needs a valid variable name"),
]


@pytest.mark.parametrize(("magic", "line", "cell", "expected"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_bad_magic_input(ns, shell, tmp_path, magic, line, cell, expected):
    # Setup
    line = line.replace("{tmp}", str(tmp_path))
    before = snapshot(tmp_path)
    bound = set(shell.user_ns)

    # Run
    with pytest.raises(UsageError) as info:
        if cell is None:
            shell.run_line_magic(magic, line)
        else:
            shell.run_cell_magic(magic, line, cell)

    # Assert
    message = str(info.value)
    assert_one_clean_line(message)
    assert expected in message, message
    after = snapshot(tmp_path)
    assert (after.budgets, after.runs, after.files) == (before.budgets, before.runs, before.files)
    assert set(shell.user_ns) == bound, "a failed magic bound a variable"


# --- fuzzing ----------------------------------------------------------------------------------------
_WORDS = st.sampled_from(["model", "df", "5", "0", "-1", "²", "٣", "５", "1_000", "--to", "--seed", "--where",
                          "--csv", "--runs", "--name", "x=1", "city=north", "'", '"', "=", "1e9", "people", "nope"])  # fmt: skip
_LINES = st.one_of(st.lists(_WORDS, max_size=6).map(" ".join), st.text(max_size=30))

_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ
@given(line=_LINES)
def test_fuzzed_sample_and_budget_lines_are_one_line_or_work(ns, shell, tmp_path_factory, line):
    os.environ["SYNTHSTUDIO_MAX_SAMPLE_ROWS"] = "2000"
    folder = tmp_path_factory.mktemp("fuzz")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for magic in ("synth_sample", "synth_budget"):
            try:
                shell.run_line_magic(magic, line)
            except UsageError as exc:
                assert_one_clean_line(str(exc))
    finally:
        os.chdir(cwd)
        os.environ.pop("SYNTHSTUDIO_MAX_SAMPLE_ROWS", None)


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(min_value=-5, max_value=50), max_size=3),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2),
)
_KEYS = st.sampled_from(["method", "epsilon", "delta", "epochs", "batch_size", "seed", "device", "dataset", "force",
                         "kinds", "early_stopping", "embedding_dim", "compress_dims", "public_bounds",
                         "categories", "pac", "nonsense"])  # fmt: skip
_METHODS = st.sampled_from(["gaussian-copula", "tvae", "ctgan", "dp-tvae", "dp-ctgan", "nope", "", "DP-TVAE"])
_BODIES = st.one_of(
    st.builds(
        lambda m, extra: yaml.safe_dump({"method": m, **extra}), _METHODS, st.dictionaries(_KEYS, _VALUES, max_size=4)
    ),
    st.text(max_size=60),
)


@_FUZZ
@given(body=_BODIES)
def test_fuzzed_dp_train_bodies_are_one_line_or_a_valid_plan(ns, body):
    """Parsing and planning (everything before training): a plan, or one clean line."""
    from synthstudio_kernel.notebook.magics import train

    try:
        config = train.parse_body(body)
        train._plan(ns["df"], "df", config)
    except UsageError as exc:
        assert_one_clean_line(str(exc))
    except SynthStudioError as exc:
        assert_one_clean_line(str(exc))


@pytest.mark.parametrize(
    ("magic", "line"),
    [
        ("synth_sample", "model 5 --bogus"),
        ("synth_budget", "--bogus"),
        ("synth_profile", "df --bogus"),
        ("synth_pii", "df --bogus"),
        ("synth_evaluate", "df df --bogus"),
    ],
)
def test_usage_strings_are_not_garbled(ns, shell, magic, line):
    with pytest.raises(UsageError) as info:
        shell.run_line_magic(magic, line)
    message = str(info.value)
    assert f"Usage: %{magic} " in message or f"Usage: %%{magic} " in message
    assert "{'prog'" not in message


def test_evaluate_out_is_checked_before_evaluating(ns, shell, tmp_path, monkeypatch):
    ran: list[int] = []
    monkeypatch.setattr("synthstudio_kernel.evaluation.evaluate", lambda *a, **k: ran.append(1))
    (tmp_path / "a-file.txt").write_text("x")
    with pytest.raises(UsageError, match=r"is a file, not a folder|it is a file"):
        shell.run_line_magic("synth_evaluate", f"df df --out {tmp_path}/a-file.txt")
    assert ran == []

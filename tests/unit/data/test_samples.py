import pytest

from synthstudio_kernel.data import load_sample, sample_names
from synthstudio_kernel.errors import DataError


@pytest.mark.parametrize(
    ("name", "shape"),
    [("adult", (32561, 15)), ("german_credit", (1000, 21)), ("insurance", (1338, 7)), ("customer_data", (1000, 10))],
)
def test_bundled_samples_load(name, shape):
    assert load_sample(name).shape == shape


def test_adult_is_cleaned():
    adult = load_sample("adult")
    assert not adult["workclass"].dropna().str.startswith(" ").any()
    assert adult["workclass"].isna().sum() > 0  # "?" read as missing


def test_unknown_sample():
    with pytest.raises(DataError, match="choose one of"):
        load_sample("nope")
    assert "adult" in sample_names()


@pytest.mark.parametrize("name", ["adult", "german_credit"])
def test_codebook_names_every_value_of_its_table(name: str) -> None:
    """The published category lists cover the bundled rows (a codebook that missed a value
    would fold it into "other" in every DP run that declares it)."""
    from synthstudio_kernel.data import sample_codebook

    book = sample_codebook(name)
    frame = load_sample(name)
    assert book["source"]
    for column, values in book["categories"].items():
        seen = set(frame[column].dropna().unique())
        assert seen <= set(values), column
        assert len(values) == len(set(values)), column
    for column, (low, high) in book["public_bounds"].items():
        assert frame[column].min() >= low and frame[column].max() <= high


def test_codebook_of_a_table_without_one_is_a_clear_error() -> None:
    from synthstudio_kernel.data import sample_codebook
    from synthstudio_kernel.errors import DataError

    with pytest.raises(DataError, match="no published codebook"):
        sample_codebook("insurance")
    with pytest.raises(DataError, match="Unknown sample"):
        sample_codebook("nope")

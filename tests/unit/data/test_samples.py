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

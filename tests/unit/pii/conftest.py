"""Shared fixtures for the PII tests: scans are computed once per session."""

from __future__ import annotations

import pandas as pd
import pytest
from pii_tables import patient_table, unnamed_columns_table

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.pii import PIIReport, scan_pii


@pytest.fixture(scope="session")
def customer() -> pd.DataFrame:
    return load_sample("customer_data")


@pytest.fixture(scope="session")
def customer_report(customer: pd.DataFrame) -> PIIReport:
    return scan_pii(customer)


@pytest.fixture(scope="session")
def patients() -> pd.DataFrame:
    return patient_table()


@pytest.fixture(scope="session")
def patient_report(patients: pd.DataFrame) -> PIIReport:
    return scan_pii(patients)


@pytest.fixture(scope="session")
def unnamed() -> pd.DataFrame:
    return unnamed_columns_table()

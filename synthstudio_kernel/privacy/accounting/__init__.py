"""Privacy accounting: the RDP accountant for the whole pipeline and noise calibration."""

from .calibration import CalibrationError, calibrate_dpsgd, calibrate_gaussian
from .rdp import ACCOUNTANT_NAME, DEFAULT_ORDERS, Mechanism, RDPAccountant, dpsgd_epsilon, gaussian_epsilon

__all__ = [
    "ACCOUNTANT_NAME",
    "DEFAULT_ORDERS",
    "CalibrationError",
    "Mechanism",
    "RDPAccountant",
    "calibrate_dpsgd",
    "calibrate_gaussian",
    "dpsgd_epsilon",
    "gaussian_epsilon",
]

"""Privacy: RDP accounting, DP preprocessing, the three safety layers, reports and the ledger.

Submodules load on use; importing this package imports neither torch nor Opacus.
"""

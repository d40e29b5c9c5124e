"""Marginal-based DP synthesis (dp-mst, dp-aim): count queries, Gaussian measurements,
a graphical-model estimate (Private-PGM style, in NumPy) and an i.i.d. sampler."""

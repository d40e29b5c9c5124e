"""Differentially private synthesizers (DP-TVAE, DP-CTGAN) and their DP-safe transformer.

The classes are registered by import path in ``synthesis.registry``; importing this
package does not import torch.
"""

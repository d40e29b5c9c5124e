"""Notebook adapters: magics, ipywidgets panels and the kernel comm. Thin over the core."""

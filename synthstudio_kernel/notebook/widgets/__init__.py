"""ipywidgets panels, one module per area."""

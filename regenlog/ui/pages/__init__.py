"""The pages of the main window: each a view (layout) and a controller (wiring)."""

"""The desktop app: Qt widgets only, over the services in ``regenlog.core``.

Each page is a view (layout) and a controller (wiring to services); see ``app.run_gui``.
"""

"""The local web app: `planlens serve` (pipeline/server/app.py) and the dashboard data it shares
with compare.html (pipeline/server/dashboard.py).

Importing this package imports no web framework; `app.create_app` does.
"""
from __future__ import annotations

from importlib import resources


def static_text(name: str) -> str:
    """The text of one shipped front-end file (pipeline/server/static/NAME)."""
    return resources.files(__name__).joinpath("static", name).read_text(encoding="utf-8")

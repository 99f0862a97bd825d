"""Find the top-level ``resources/`` folder from a source checkout, an installed wheel (where
the build force-includes it as ``regenlog/resources``) or a frozen build (``sys._MEIPASS``)."""

import sys
from pathlib import Path


def resources_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "resources")
    here = Path(__file__).resolve().parent
    candidates += [here / "resources", here.parent / "resources"]
    for candidate in candidates:
        if (candidate / "demo").is_dir():
            return candidate
    raise FileNotFoundError("RegenLog's resources folder is missing; reinstall RegenLog.")


def resource(*parts: str) -> Path:
    return resources_root().joinpath(*parts)

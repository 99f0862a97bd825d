"""The installed wheel carries the resources the app needs (force-included at build time)."""

import shutil
import subprocess
import zipfile

import pytest


@pytest.mark.skipif(shutil.which("uv") is None, reason="building the wheel needs uv")
def test_wheel_contains_resources_and_migrations(tmp_path):
    subprocess.run(
        ["uv", "build", "--wheel", "--out-dir", str(tmp_path)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(tmp_path.glob("regenlog-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "regenlog/resources/demo/demo.json" in names
    assert "regenlog/store/migrations/env.py" in names
    assert any(n.startswith("regenlog/store/migrations/versions/0001") for n in names)
    assert any(n.startswith("regenlog/core/codes/data/") for n in names)


def test_resource_locator_prefers_the_installed_copy(tmp_path, monkeypatch):
    """In a wheel the resources sit beside the package; in a checkout one level up."""
    import regenlog.resources as res

    package = tmp_path / "site" / "regenlog"
    (package / "resources" / "demo").mkdir(parents=True)
    monkeypatch.setattr(res, "__file__", str(package / "resources.py"))
    assert res.resources_root() == package / "resources"
    frozen = tmp_path / "frozen"
    (frozen / "resources" / "demo").mkdir(parents=True)
    monkeypatch.setattr(res.sys, "_MEIPASS", str(frozen), raising=False)
    assert res.resources_root() == frozen / "resources"

"""The self-contained bundle: built once with packaging/build.py into a temporary folder,
then run as a user's PC would run it (no Python, no display, no network), packed for
Linux and wrapped by the Windows installer script."""

from __future__ import annotations

import importlib.util
import mmap
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CI builds on Linux"),
]


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("assessor_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """One build per test run, with the documented command."""
    folder = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(folder / "dist"),
            "--work",
            str(folder / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return folder / "dist"


@pytest.fixture(scope="module")
def program(dist) -> Path:
    return dist / "assessor-app" / "assessor-app"


def _user_env(tmp_path: Path) -> dict[str, str]:
    """A PC without Python or a display: none of the build environment's Python
    variables, no virtualenv on PATH, the offscreen Qt platform."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "ASSESSOR_DATA_DIR": str(tmp_path / "data"),
    }


def _run(program: Path, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args],
        cwd=tmp_path,  # not the source tree: nothing may be imported from there
        env=_user_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_built_program_reports_the_version_from_pyproject(program, tmp_path):
    started = time.monotonic()
    result = _run(program, ["--version"], tmp_path)
    seconds = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"assessor-app {VERSION}"
    print(f"--version took {seconds:.1f} s")


def test_the_built_program_passes_its_selftest_offscreen(program, tmp_path):
    result = _run(program, ["selftest"], tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "selftest passed"
    for step in ("database", "catalogue", "evidence", "progress report", "tracker workbook"):
        assert any(line.startswith(f"ok     {step}: ") for line in lines), step
    assert any(line.startswith("ok     Qt offscreen: Qt 6.") for line in lines)
    assert "Traceback" not in result.stderr


def test_the_built_program_explains_bad_input_without_a_traceback(program, tmp_path):
    result = _run(program, ["check-selection", str(tmp_path / "missing.txt")], tmp_path)

    assert result.returncode == 2
    assert "missing.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_bundle_carries_migrations_and_resources_and_leaves_unused_qt_out(dist):
    internal = dist / "assessor-app" / "_internal"
    source = ROOT / "assessor_app"
    for folder in ("resources", "store/migrations/versions"):
        wanted = {
            p.relative_to(source)
            for p in (source / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert wanted and all((internal / "assessor_app" / p).is_file() for p in wanted), folder
    assert (internal / "assessor_app" / "store" / "migrations" / "env.py").is_file()
    assert list((internal / "pypdfium2_raw").glob("*pdfium*"))
    qt = internal / "PySide6" / "Qt"
    libraries = {p.name.split(".")[0] for p in (qt / "lib").iterdir()}
    assert {"libQt6Core", "libQt6Gui", "libQt6Widgets", "libQt6PrintSupport"} <= libraries
    unused = ("WebEngine", "Quick", "Qml", "Multimedia", "3D", "Network", "Wayland")
    assert [lib for lib in libraries if any(u in lib for u in unused)] == []
    assert not list(internal.glob("PySide6/Qt*WebEngine*"))
    plugins = {p.parent.name + "/" + p.name for p in (qt / "plugins").glob("*/*")}
    for needed in ("platforms/libqoffscreen.so", "platforms/libqxcb.so", "imageformats/libqsvg.so"):
        assert needed in plugins
    assert any(p.startswith("printsupport/") for p in plugins)


def test_every_qt_library_a_bundled_plugin_links_to_is_in_the_bundle(dist):
    """Leaving Qt modules out must not leave a plugin without its library (the selftest
    only loads the offscreen platform; a desktop loads xcb)."""
    from PyInstaller.depend.bindepend import get_imports

    qt = dist / "assessor-app" / "_internal" / "PySide6" / "Qt"
    present = {p.name for p in (qt / "lib").iterdir()}
    missing = {}
    for plugin in (qt / "plugins").rglob("*.so"):
        wanted = {name for name, _path in get_imports(str(plugin)) if name.startswith("libQt6")}
        if wanted - present:
            missing[plugin.name] = sorted(wanted - present)
    assert missing == {}


def test_the_linux_archive_has_the_program_menu_entry_and_icon(dist, tmp_path):
    [archive] = dist.glob(f"assessor-app-{VERSION}-linux-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    top = tmp_path / "unpacked" / f"assessor-app-{VERSION}"
    assert os.access(top / "assessor-app" / "assessor-app", os.X_OK)
    assert (top / "assessor.svg").read_bytes().lstrip().startswith((b"<svg", b"<?xml"))
    entry = (top / "assessor.desktop").read_text(encoding="utf-8")
    assert "Icon=assessor" in entry and "Exec=assessor-app" in entry

    home = tmp_path / "home"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    subprocess.run([str(top / "install.sh")], env=env, check=True, capture_output=True)

    installed = home / ".local" / "opt" / "assessor-app" / "assessor-app"
    menu = (home / ".local" / "share" / "applications" / "assessor.desktop").read_text("utf-8")
    assert f"Exec={installed}" in menu.splitlines()
    assert (home / ".local" / "share" / "icons/hicolor/scalable/apps/assessor.svg").is_file()
    result = subprocess.run(
        [str(home / ".local" / "bin" / "assessor-app"), "--version"],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == f"assessor-app {VERSION}"


def test_the_windows_installer_script_compiles_around_the_bundle(dist):
    """The Windows bundle cannot be built here: the Linux one stands in as the payload, so
    a broken installer script still fails the build."""
    if shutil.which("makensis") is None:
        if os.environ.get("CI"):
            pytest.fail("makensis is missing: CI must install nsis (python3 dev test does)")
        pytest.skip("makensis is not installed (Debian/Ubuntu: apt-get install nsis)")
    build = _build_module()
    setup = build.windows_installer(dist / "assessor-app", dist, VERSION, compress=False)

    assert setup.name == f"assessor-app-{VERSION}-setup.exe"
    with setup.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        assert data[:2] == b"MZ"  # a Windows program
        # Stored uncompressed for this check, so the bundle's files are visible inside.
        for name in (
            "store/migrations/versions/0001_catalogue_users_and_audit_trail.py",
            "resources/icons/assessor.svg",
        ):
            assert data.find((ROOT / "assessor_app" / name).read_bytes()) != -1, name

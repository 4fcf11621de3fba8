"""Build Assessor's self-contained bundle for this platform into dist/.

    python packaging/build.py                 the one-folder bundle (dist/assessor-app/);
                                              on Linux also the .tar.gz with menu entry and icon
    python packaging/build.py --installer     and the NSIS installer (dist/...-setup.exe);
                                              needs makensis (Debian/Ubuntu: apt-get install nsis)
    python packaging/build.py --check         then run the built program's selftest

Needs only Python 3.11+: without PyInstaller in this interpreter, it uses the project's
.venv, creating it first with `dev` when it is missing. See packaging/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "assessor.spec"
NSIS_SCRIPT = PACKAGING / "windows" / "assessor.nsi"
NAME = "assessor-app"


class BuildError(Exception):
    """A step failed; the message says which and what to do."""


def version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"])


def executable(bundle: Path) -> Path:
    """The command-line program inside a built bundle folder."""
    return bundle / (f"{NAME}.exe" if os.name == "nt" else NAME)


def platform_tag() -> str:
    machine = platform.machine().lower() or "unknown"
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def _venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return ROOT / ".venv" / scripts / ("python.exe" if os.name == "nt" else "python")


def _has_pyinstaller() -> bool:
    return importlib.util.find_spec("PyInstaller") is not None


def _reexec_in_venv(argv: list[str]) -> int:
    """Run this script again with the project's .venv, which has PyInstaller and the app."""
    python = _venv_python()
    if not python.exists():
        print("[build] setting up .venv first (python3 dev); the first time takes a few minutes")
        subprocess.run([sys.executable, str(ROOT / "dev"), "run", "--version"], check=True)
    if Path(sys.executable).resolve() == python.resolve():
        raise BuildError(
            f"PyInstaller is missing from {python}; install it with "
            f"'{python} -m pip install -e .[dev]'."
        )
    return subprocess.call([str(python), str(Path(__file__).resolve()), *argv])


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the bundle folder dist/assessor-app."""
    started = time.monotonic()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {result.returncode}); see the messages above.")
    bundle = dist / NAME
    if not executable(bundle).is_file():
        raise BuildError(f"PyInstaller finished but {executable(bundle)} is missing.")
    print(f"[build] bundle: {bundle} ({time.monotonic() - started:.0f} s)")
    return bundle


def linux_archive(bundle: Path, dist: Path, ver: str) -> Path:
    """The tar.gz for Linux: the bundle with its menu entry, icon and a per-user installer."""
    out = dist / f"{NAME}-{ver}-linux-{platform_tag()}.tar.gz"
    extras = {
        "assessor.desktop": PACKAGING / "linux" / "assessor.desktop",
        "assessor.svg": ROOT / "assessor_app" / "resources" / "icons" / "assessor.svg",
        "install.sh": PACKAGING / "linux" / "install.sh",
    }
    top = f"{NAME}-{ver}"
    # Level 6: nearly the size of 9 in a fraction of the time on 200 MB of libraries.
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{top}/{NAME}")
        for name, source in extras.items():
            info = tar.gettarinfo(str(source), arcname=f"{top}/{name}")
            info.mode = 0o755 if name.endswith(".sh") else 0o644
            with source.open("rb") as handle:
                tar.addfile(info, handle)
    print(f"[build] archive: {out} ({out.stat().st_size / 1e6:.0f} MB)")
    return out


def windows_installer(bundle: Path, dist: Path, ver: str, *, compress: bool = True) -> Path:
    """Compile the NSIS script around the bundle. Elsewhere than Windows the bundle is a
    stand-in payload: the point is that the script compiles, not that setup.exe runs."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise BuildError(
            "makensis was not found. Install NSIS (Windows: https://nsis.sourceforge.io; "
            "Debian/Ubuntu: sudo apt-get install nsis) and run again."
        )
    out = dist / f"{NAME}-{ver}-setup.exe"
    # VIProductVersion wants four numbers: 0.1.0 -> 0.1.0.0 (a local part is dropped).
    numeric = ".".join([*ver.split("+")[0].split("."), "0", "0", "0"][:3]) + ".0"
    command = [
        makensis,
        "-V2",
        "-WX",  # warnings are errors: a script that compiles with warnings is broken
        f"-DVERSION={ver}",
        f"-DVERSION_NUMERIC={numeric}",
        f"-DBUNDLE={bundle.resolve()}",
        f"-DOUTFILE={out.resolve()}",
        *([] if compress else ["-DUNCOMPRESSED"]),
        str(NSIS_SCRIPT),
    ]
    result = subprocess.run(command, cwd=NSIS_SCRIPT.parent)
    if result.returncode != 0 or not out.is_file():
        raise BuildError(f"makensis failed (exit {result.returncode}); see the messages above.")
    if os.name != "nt":
        print("[build] note: this setup.exe wraps the Linux bundle; build on Windows to ship it")
    print(f"[build] installer: {out} ({out.stat().st_size / 1e6:.0f} MB)")
    return out


def check(bundle: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    program = str(executable(bundle))
    for args in (["--version"], ["selftest"]):
        result = subprocess.run([program, *args], env=env)
        if result.returncode != 0:
            raise BuildError(f"'{program} {' '.join(args)}' failed (exit {result.returncode}).")


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description="Build Assessor's bundle for this platform.")
    parser.add_argument("--installer", action="store_true", help="also compile the NSIS installer")
    parser.add_argument(
        "--uncompressed",
        action="store_true",
        help="store the installer's files uncompressed (a quick check that the script compiles)",
    )
    parser.add_argument(
        "--check", action="store_true", help="run the built program's --version and selftest"
    )
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)"
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder"
    )
    args = parser.parse_args(args_list)
    try:
        if not _has_pyinstaller():
            return _reexec_in_venv(args_list)
        ver = version()
        dist, work = args.dist.resolve(), args.work.resolve()
        bundle = build_bundle(dist, work)
        if sys.platform.startswith("linux"):
            linux_archive(bundle, dist, ver)
        if args.installer:
            windows_installer(bundle, dist, ver, compress=not args.uncompressed)
        if args.check:
            check(bundle)
    except (BuildError, subprocess.CalledProcessError, OSError) as exc:
        print(f"[build] failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

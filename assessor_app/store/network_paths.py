"""Is a database file on a network drive? SQLite's locking is unreliable there.

SQLite relies on the file system's locks; over SMB/CIFS, NFS and similar they can
be lost or ignored, and two PCs writing at once then corrupt the file. So a SQLite
database is only opened read-write on a local disk. The checks take the platform,
mount table and drive-type lookup as arguments so they can be tested anywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

# Linux file-system types whose files live on another machine.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "sshfs",
        "fuse.sshfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
    }
)
_LONG_UNC = "\\\\?\\UNC\\"  # \\?\UNC\server\share: a long-form UNC path
DRIVE_REMOTE = 4  # GetDriveTypeW's answer for a mapped network drive
MOUNTINFO = Path("/proc/self/mountinfo")


@dataclass(frozen=True)
class Mount:
    mount_point: str
    fs_type: str
    source: str


def parse_mountinfo(text: str) -> list[Mount]:
    """Mounts from /proc/self/mountinfo text; lines that do not parse are skipped."""
    mounts: list[Mount] = []
    for line in text.splitlines():
        fields = line.split()
        try:
            dash = fields.index("-")
            mount_point, fs_type = fields[4], fields[dash + 1]
        except (ValueError, IndexError):
            continue
        source = fields[dash + 2] if len(fields) > dash + 2 else ""
        mounts.append(Mount(_unescape(mount_point), fs_type, _unescape(source)))
    return mounts


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040 ...)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_for(path: str, mounts: Sequence[Mount]) -> Mount | None:
    """The mount holding `path` (absolute, resolved): the longest matching mount point;
    the last one listed wins a tie, as it hides the earlier ones."""
    best: Mount | None = None
    for mount in mounts:
        point = mount.mount_point.rstrip("/") or "/"
        inside = point == "/" or path == point or path.startswith(point + "/")
        if inside and (best is None or len(point) >= len(best.mount_point.rstrip("/") or "/")):
            best = mount
    return best


def linux_network_mount(path: str, mounts: Sequence[Mount]) -> str | None:
    """A description of the network mount holding `path`, or None if it is local."""
    mount = mount_for(path, mounts)
    if mount is None or mount.fs_type not in NETWORK_FS_TYPES:
        return None
    return f"a network file system ({mount.fs_type} from {mount.source} at {mount.mount_point})"


def windows_network_drive(path: str, drive_type: Callable[[str], int]) -> str | None:
    """A description if `path` is a UNC path or on a mapped network drive, else None."""
    text = path.replace("/", "\\")
    upper = text.upper()
    if upper.startswith(_LONG_UNC):
        return f"a network share ({_unc_share(text[len(_LONG_UNC) :])})"
    if upper.startswith(("\\\\?\\", "\\\\.\\")):
        text = text[4:]  # a long or device path to a drive: look at the drive below
    elif text.startswith("\\\\"):
        return f"a network share ({_unc_share(text[2:])})"
    drive = PureWindowsPath(text).drive
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"the network drive {drive.upper()}"
    return None


def _unc_share(rest: str) -> str:
    parts = [p for p in rest.split("\\") if p]
    return "\\\\" + "\\".join(parts[:2])


def network_location(
    path: Path,
    *,
    platform: str | None = None,
    mounts: Sequence[Mount] | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> str | None:
    """Where `path` is if that is a network drive or share, else None (a local disk).

    With no `mounts` or `drive_type`, the running system's are used.
    """
    platform = platform or sys.platform
    if platform == "win32":
        return windows_network_drive(str(path), drive_type or _system_drive_type)
    if platform.startswith("linux"):
        if mounts is None:
            try:
                mounts = parse_mountinfo(MOUNTINFO.read_text(errors="replace"))
            except OSError:
                return None  # no mount table to read (a sandbox): nothing to go on
        # Links resolved, so a link on a local disk to a network folder is caught.
        return linux_network_mount(os.path.realpath(path), mounts)
    return None


def _system_drive_type(root: str) -> int:
    import ctypes  # only on Windows, where windll exists

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(root))

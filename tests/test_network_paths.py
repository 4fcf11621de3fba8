"""SQLite files on network drives are refused: their locking is unreliable there."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessor_app.store import database, network_paths
from assessor_app.store.database import DatabaseError, open_database
from assessor_app.store.network_paths import (
    DRIVE_REMOTE,
    Mount,
    mount_for,
    network_location,
    parse_mountinfo,
)

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
25 22 0:21 / /proc rw,nosuid - proc proc rw
40 22 0:35 / /mnt/share rw,relatime shared:20 - cifs //fileserver/care rw,vers=3.0
41 40 8:17 / /mnt/share/local-cache rw - ext4 /dev/sdb1 rw
42 22 0:36 / /srv/nfs rw master:3 - nfs4 nas:/export/assessor rw,vers=4.2
43 22 0:37 / /home/tutor/remote rw - fuse.sshfs tutor@host:/data rw
44 22 0:38 / /mnt/with\\040space rw - nfs nas:/with\\040space rw
45 22 0:39 / /mnt/nfsish rw - ext4 /dev/sdc1 rw
"""
DRIVE_C, DRIVE_MAPPED = 3, DRIVE_REMOTE  # GetDriveTypeW: fixed disk, network drive


def linux(path: str) -> str | None:
    return network_location(Path(path), platform="linux", mounts=parse_mountinfo(MOUNTINFO))


def windows(path: str) -> str | None:
    def drive_type(root: str) -> int:
        return DRIVE_MAPPED if root.upper() == "Z:\\" else DRIVE_C

    return network_location(Path(path), platform="win32", drive_type=drive_type)


def test_mountinfo_lines_are_read_with_escapes_and_optional_fields():
    mounts = parse_mountinfo(MOUNTINFO + "garbage line\n")
    assert Mount("/mnt/share", "cifs", "//fileserver/care") in mounts
    assert Mount("/srv/nfs", "nfs4", "nas:/export/assessor") in mounts
    assert Mount("/mnt/with space", "nfs", "nas:/with space") in mounts
    assert len(mounts) == 8


@pytest.mark.parametrize(
    ("path", "fs_type"),
    [
        ("/mnt/share/assessor.sqlite3", "cifs"),
        ("/mnt/share", "cifs"),
        ("/srv/nfs/team/assessor.sqlite3", "nfs4"),
        ("/home/tutor/remote/a.sqlite3", "fuse.sshfs"),
        ("/mnt/with space/a.sqlite3", "nfs"),
    ],
)
def test_files_on_linux_network_mounts_are_recognised(path, fs_type):
    where = linux(path)
    assert where is not None and fs_type in where


@pytest.mark.parametrize(
    "path",
    [
        "/home/tutor/assessor.sqlite3",
        "/mnt/share/local-cache/assessor.sqlite3",  # a local disk mounted inside the share
        "/mnt/nfsish/a.sqlite3",  # a name that merely starts like a network mount
        "/mnt/shared/a.sqlite3",  # /mnt/share is not a prefix of /mnt/shared
        "/srv/nfsx/a.sqlite3",
    ],
)
def test_files_on_local_linux_disks_are_allowed(path):
    assert linux(path) is None


def test_the_longest_matching_mount_point_wins():
    mounts = parse_mountinfo(MOUNTINFO)
    assert mount_for("/mnt/share/local-cache/x", mounts).fs_type == "ext4"
    assert mount_for("/mnt/share/other/x", mounts).fs_type == "cifs"
    assert mount_for("/etc/passwd", mounts).mount_point == "/"


def test_a_link_on_a_local_disk_to_a_network_folder_is_followed(tmp_path):
    target = tmp_path / "remote"
    target.mkdir()
    (tmp_path / "link").symlink_to(target)
    mounts = [Mount("/", "ext4", "/dev/sda1"), Mount(str(target), "nfs", "nas:/x")]
    where = network_location(tmp_path / "link" / "a.sqlite3", platform="linux", mounts=mounts)
    assert where is not None and "nfs from nas:/x" in where


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (r"\\fileserver\care\assessor.sqlite3", r"\\fileserver\care"),
        ("//fileserver/care/assessor.sqlite3", r"\\fileserver\care"),
        (r"\\?\UNC\fileserver\care\assessor.sqlite3", r"\\fileserver\care"),
        (r"Z:\Assessor\assessor.sqlite3", "network drive Z:"),
        (r"z:\assessor.sqlite3", "network drive Z:"),
        (r"\\?\Z:\Assessor\assessor.sqlite3", "network drive Z:"),
    ],
)
def test_unc_paths_and_mapped_drives_on_windows_are_recognised(path, shown):
    where = windows(path)
    assert where is not None and shown in where


@pytest.mark.parametrize(
    "path", [r"C:\Users\tutor\AppData\Local\Assessor\assessor.sqlite3", r"\\?\C:\long\a.sqlite3"]
)
def test_local_windows_drives_are_allowed(path):
    assert windows(path) is None


def test_other_platforms_and_a_missing_mount_table_do_not_block(tmp_path, monkeypatch):
    assert network_location(tmp_path / "a.sqlite3", platform="darwin") is None
    monkeypatch.setattr(network_paths, "MOUNTINFO", tmp_path / "no-such-mountinfo")
    assert network_location(tmp_path / "a.sqlite3", platform="linux") is None


def test_opening_a_sqlite_file_on_a_network_share_is_refused_and_nothing_is_created(
    tmp_path, monkeypatch
):
    share = tmp_path / "share"
    mounts = [Mount("/", "ext4", "/dev/sda1"), Mount(str(share), "cifs", "//fileserver/care")]
    monkeypatch.setattr(
        database,
        "network_location",
        lambda path: network_location(path, platform="linux", mounts=mounts),
    )
    target = share / "assessor.sqlite3"
    with pytest.raises(DatabaseError) as refused:
        open_database(str(target))
    message = str(refused.value)
    assert str(target) in message
    assert "cifs from //fileserver/care" in message
    assert 'Shared server (PostgreSQL)" in the README' in message
    assert not share.exists()
    db = open_database(str(tmp_path / "local.sqlite3"))  # the local disk is still fine
    db.dispose()


def test_the_readme_has_the_section_the_message_points_to():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "## Shared server (PostgreSQL)" in readme

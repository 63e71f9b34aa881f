"""Files only this user may read: the Verse home folder (0700) and what Verse keeps in it
(the database and its -wal/-shm files, backups, the device key: 0600), whatever the umask.

Pure standard library, no I/O at import time; used by the database layer, the identity
bootstrap and the reader's start hint. On systems without POSIX modes these are plain
mkdir/create calls and every check passes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_POSIX = os.name == "posix"


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) if needed; a folder created here is 0700."""
    folder.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)


def create_private_file(path: Path) -> bool:
    """Create `path` empty with mode 0600 unless it exists; True if it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def others_can_access(path: Path) -> bool:
    """Whether the group or other users have any permission on `path` (False if absent)."""
    if not _POSIX:
        return False
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


def make_private(path: Path) -> bool:
    """Drop the group's and others' permissions on an existing file; True if it changed."""
    if not others_can_access(path):
        return False
    try:
        os.chmod(path, stat.S_IMODE(path.stat().st_mode) & 0o700)
    except OSError:
        return False
    return True

"""This installation's device credential: a random secret kept in a private file
(`settings.credential_path`, mode 0600), of which only the SHA-256 hash reaches the database.

The file is created atomically on first run; a concurrent first run keeps the winner's secret.
Reading it repairs loose permissions and refuses a damaged file with a clear error.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from verse_tui.errors import VerseError
from verse_tui.private_files import make_private_folder

CREDENTIAL_BYTES = 32  # 256 bits


class IdentityError(VerseError):
    """This installation's device credential is missing, damaged or not known to the database."""


@dataclass(frozen=True, slots=True)
class DeviceCredential:
    """The secret that identifies this device; only `hash` ever reaches the database."""

    secret: str = field(repr=False)

    @property
    def hash(self) -> str:
        return hash_credential(self.secret)


def hash_credential(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_credential() -> DeviceCredential:
    return DeviceCredential(secrets.token_urlsafe(CREDENTIAL_BYTES))


async def load_or_create_credential(path: Path) -> tuple[DeviceCredential, bool]:
    """This installation's credential and whether it was created just now."""
    return await asyncio.to_thread(_load_or_create_credential, path)


def _load_or_create_credential(path: Path) -> tuple[DeviceCredential, bool]:
    created = False
    if not path.exists():
        created = _create_credential_file(path, new_credential())
    return _read_credential_file(path), created


def _create_credential_file(path: Path, credential: DeviceCredential) -> bool:
    """Write the file atomically: a private temp file, then a hard link that fails if the
    file appeared meanwhile (another process won the race; its credential is kept)."""
    try:
        make_private_folder(path.parent)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(credential.secret + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.link(temp, path)
        except FileExistsError:
            return False
        finally:
            temp.unlink(missing_ok=True)
    except OSError as exc:
        raise IdentityError(
            f"Cannot create this device's key file {path}: {exc.strerror or exc}. "
            "Check that the folder is writable, or set VERSE_HOME to another folder."
        ) from exc
    return True


def _read_credential_file(path: Path) -> DeviceCredential:
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        secret = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentityError(
            f"Cannot read this device's key file {path}: {exc}. Fix its permissions; "
            "if it is lost, delete it to register this installation as a new device."
        ) from exc
    if len(secret) < 22 or not secret.isascii() or any(c.isspace() for c in secret):
        raise IdentityError(
            f"This device's key file {path} is damaged. Delete it to register this "
            "installation as a new device (the old device's data stays with its account)."
        )
    return DeviceCredential(secret)

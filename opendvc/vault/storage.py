"""Where the store's files live and how they are sealed: Fernet (AES-128-CBC with an HMAC) under
a key from the environment, in a private folder outside MEDIA_ROOT, so no URL reaches them and a
copied disk or backup shows nothing readable. Files are read only through the access checks.

The key is `settings.VAULT_KEY` (any string; it is stretched). When empty, the embedded set-up
derives one from SECRET_KEY so that it works out of the box; production must set VAULT_KEY,
since SECRET_KEY is rotated for other reasons and a rotation would make every file unreadable.
"""

import base64
import hashlib
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

DEFAULT_QUOTA = 200 * 1024 * 1024


def quota_bytes() -> int:
    return int(getattr(settings, "VAULT_QUOTA_BYTES", DEFAULT_QUOTA))


def root() -> Path:
    configured = getattr(settings, "VAULT_ROOT", "")
    # Beside MEDIA_ROOT, never inside it: /media/ must not reach a sealed file even by mistake.
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "vault"


def _fernet() -> Fernet:
    secret = getattr(settings, "VAULT_KEY", "") or f"opendvc-vault:{settings.SECRET_KEY}"
    key = hashlib.sha256(secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def new_path() -> str:
    # Two levels of random folders keep any one directory small.
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}.bin"


def seal(path: str, plain: bytes) -> None:
    target = root() / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_fernet().encrypt(plain))


def unseal(path: str) -> bytes:
    return _fernet().decrypt((root() / path).read_bytes())


def remove(path: str) -> None:
    (root() / path).unlink(missing_ok=True)

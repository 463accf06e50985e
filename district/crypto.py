"""Secrets the app must read back (an SSO client secret, an authenticator app's key), kept encrypted.

They are encrypted with Fernet (AES-128-CBC with an HMAC) under a key derived from SECRET_KEY, so a copy
of the database alone does not give them away. Changing SECRET_KEY without keeping the old one in
SECRET_KEY_FALLBACKS makes them unreadable: the district then enters the client secret again and people
set their authenticator app up again (an administrator resets it). Pages never show them.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PURPOSE = b"empathy.district.crypto.v1"


def _fernet_for(secret_key: str) -> Fernet:
    digest = hashlib.sha256(PURPOSE + secret_key.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(key) for key in keys])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The clear text, or "" when the key it was made with is gone (the secret must be entered again)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return ""

"""An authenticator app's code, computed by the tests themselves (RFC 6238: HMAC-SHA1, 30 seconds, 6 digits)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp(key: str, *, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(key.upper()), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"

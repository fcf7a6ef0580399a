"""The code an authenticator app shows (RFC 6238: HMAC-SHA1 over 30-second steps, six
digits), computed here from the key the set-up page shows, as a phone would."""

import hashlib
import hmac
import struct
import time
from base64 import b32decode


def totp(shown_key: str, *, at: float | None = None) -> str:
    key = "".join(shown_key.split()).upper()
    secret = b32decode(key + "=" * (-len(key) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def next_totp(shown_key: str) -> str:
    """The next step's code: the one just used cannot be used twice (replays are refused)."""
    return totp(shown_key, at=time.time() + 30)

"""Password hashing and the rules a new password must meet.

Hashes use scrypt from the standard library, which is memory-hard, so guessing
on graphics cards costs far more than it does against a fast hash. Each stored
string carries its own parameters (``scrypt$<log2 N>$<r>$<p>$<salt>$<hash>``),
so raising them later still verifies old hashes, and ``needs_rehash`` tells the
sign-in service to upgrade a hash once the password is known to be right.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass

from assessor_app.services.errors import ServiceError

MIN_LENGTH = 10
SALT_BYTES = 16
HASH_BYTES = 32
# A stored string asking for more memory than this is treated as damaged rather
# than allowed to exhaust a shared training-room PC.
MAX_MEMORY = 1024 * 1024 * 1024

_SCHEME = "scrypt"
_STORED = re.compile(
    r"scrypt\$(\d{1,2})\$(\d{1,4})\$(\d{1,4})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class ScryptParams:
    log2_n: int  # CPU and memory cost N = 2**log2_n
    r: int  # block size
    p: int  # parallelism

    @property
    def n(self) -> int:
        return 1 << self.log2_n

    @property
    def memory(self) -> int:
        """Bytes scrypt needs (OpenSSL's own estimate: 128·r·(N + p + 2))."""
        return 128 * self.r * (self.n + self.p + 2)

    def weaker_than(self, other: ScryptParams) -> bool:
        return self.log2_n < other.log2_n or self.r < other.r or self.p < other.p


# OWASP Password Storage Cheat Sheet minimum for scrypt (N=2**17, r=8, p=1).
# Tests swap this value for a cheaper one; code reads it at call time.
CURRENT = ScryptParams(log2_n=17, r=8, p=1)


class PasswordRejected(ServiceError):
    """A new password that breaks one of the rules; the message names the rule."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    params: ScryptParams
    salt: bytes
    digest: bytes


def check_password(password: str, *, username: str) -> None:
    """Raise PasswordRejected unless `password` may be used by `username`."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(
            f"A password needs at least {MIN_LENGTH} characters; a short phrase is easy "
            "to remember."
        )
    if len(set(password)) == 1:
        raise PasswordRejected(
            "A password cannot be the same character repeated; choose a phrase instead."
        )
    if password.strip().casefold() == username.strip().casefold():
        raise PasswordRejected("A password cannot be the same as the username.")


def hash_password(password: str) -> str:
    """A new salted hash of `password` with the current parameters."""
    params = CURRENT
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, params, HASH_BYTES)
    return "$".join(
        (
            _SCHEME,
            str(params.log2_n),
            str(params.r),
            str(params.p),
            _b64(salt),
            _b64(digest),
        )
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored`; False, never an error, for a damaged string."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    try:
        candidate = _scrypt(password, parsed.salt, parsed.params, len(parsed.digest))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, parsed.digest)


def needs_rehash(stored: str) -> bool:
    """Whether `stored` was made with weaker parameters than the current ones."""
    parsed = _parse(stored)
    if parsed is None:
        return True
    return (
        parsed.params.weaker_than(CURRENT)
        or len(parsed.salt) < SALT_BYTES
        or len(parsed.digest) < HASH_BYTES
    )


def _scrypt(password: str, salt: bytes, params: ScryptParams, length: int) -> bytes:
    # NFKC so the same password typed through different keyboards or input
    # methods gives the same bytes (NIST SP 800-63B 5.1.1.2).
    secret = unicodedata.normalize("NFKC", password).encode("utf-8")
    return hashlib.scrypt(
        secret,
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        # Twice the estimate leaves room for OpenSSL's bookkeeping: 256 MiB at N=2**17, r=8.
        maxmem=2 * params.memory,
        dklen=length,
    )


def _parse(stored: str) -> _Parsed | None:
    match = _STORED.fullmatch(stored) if isinstance(stored, str) else None
    if match is None:
        return None
    log2_n, r, p = (int(group) for group in match.group(1, 2, 3))
    if not (1 <= log2_n <= 30 and r >= 1 and p >= 1):
        return None
    params = ScryptParams(log2_n=log2_n, r=r, p=p)
    if params.memory > MAX_MEMORY or r * p >= 1 << 30:
        return None
    try:
        salt = base64.b64decode(match.group(4), validate=True)
        digest = base64.b64decode(match.group(5), validate=True)
    except (binascii.Error, ValueError):
        return None
    if not salt or len(digest) < 16:
        return None
    return _Parsed(params, salt, digest)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")

"""Private codes a family or a student types or scans to open a page without an account (the consent
letter's code; the same strength as the follow-up codes in interviews/followups.py, whose pattern this
copies). Only a hash of a code is ever stored; the cache that counts wrong codes never holds a code or a
part of one.

Guessing: only failures count, and a valid code opens whatever its address has tried, so a school's
network (many families, one address) is never shut out by typos. Two budgets per window: different wrong
codes from one address (past which that address's wrong codes are answered "too many tries"), and wrong
codes sharing two of a code's three groups from any address (past which codes sharing them are refused
before they are looked up, so a partly seen letter cannot be completed by trying the rest)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.cache import cache

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread on paper
CODE_LENGTH = 12  # about 59 bits: beyond guessing, even past the limits below
GROUP = 4


def normalised(code: str) -> str:
    return (code or "").replace("-", "").replace(" ", "").upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalised(code).encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def readable(code: str) -> str:
    code = normalised(code)
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class GuessLimits:
    """The two budgets of one kind of code, its cache keys under `scope`."""

    scope: str
    per_address: int
    per_code_pair: int
    window_seconds: int

    def _pair_keys(self, code: str) -> list[str]:
        code = normalised(code)
        if len(code) != CODE_LENGTH:
            return []
        groups = [code[i:i + GROUP] for i in range(0, CODE_LENGTH, GROUP)]
        return [f"{self.scope}-fail:pair:{_digest(f'{i}{j}:{groups[i]}{groups[j]}')}"
                for i in range(len(groups)) for j in range(i + 1, len(groups))]

    def _count(self, key: str) -> int:
        cache.add(key, 0, timeout=self.window_seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window_seconds)
            return 1

    def refused(self, code: str) -> bool:
        """True when codes like this one (two of its three groups the same) failed too often lately."""
        keys = self._pair_keys(code)
        counts = cache.get_many(keys) if keys else {}
        return any(count >= self.per_code_pair for count in counts.values())

    def wrong(self, code: str, *, address: str) -> bool:
        """Count a code that opened nothing; True once `address` has tried too many different wrong codes.
        The same wrong code typed again counts once for its address."""
        for key in self._pair_keys(code):
            self._count(key)
        seen = f"{self.scope}-fail:seen:{_digest(address)}:{code_hash(code)[:32]}"
        address_key = f"{self.scope}-fail:address:{_digest(address)}"
        if cache.add(seen, True, timeout=self.window_seconds):
            failures = self._count(address_key)
        else:
            failures = cache.get(address_key, 0)
        return failures > self.per_address

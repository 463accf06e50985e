"""Pseudonyms that stand for a student everywhere names must not appear.

A pseudonym is drawn at random, never derived from the name or id, so it reveals nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

ADJECTIVES = (
    "Amber", "Brave", "Bright", "Calm", "Clever", "Coral", "Crisp", "Curious", "Gentle", "Golden",
    "Happy", "Hazel", "Indigo", "Jade", "Keen", "Kind", "Lively", "Lucky", "Maple", "Mellow",
    "Misty", "Noble", "Olive", "Quick", "Quiet", "Rapid", "Rosy", "Ruby", "Sage", "Silver",
    "Sky", "Steady", "Sunny", "Swift", "Teal", "Topaz", "Violet", "Warm", "Wise", "Zesty",
)
ANIMALS = (
    "Badger", "Beaver", "Bison", "Crane", "Dolphin", "Eagle", "Falcon", "Finch", "Fox", "Gecko",
    "Heron", "Ibis", "Koala", "Lark", "Lemur", "Lynx", "Marten", "Moose", "Newt", "Orca",
    "Otter", "Owl", "Panda", "Puffin", "Quail", "Raven", "Robin", "Seal", "Sparrow", "Stork",
    "Swan", "Tapir", "Tern", "Tiger", "Toucan", "Turtle", "Walrus", "Wolf", "Wren", "Yak",
)
MAX_ATTEMPTS = 200


def new_pseudonym(*, is_taken: Callable[[str], bool]) -> str:
    """Return a random pseudonym such as "Quiet Heron 27" that `is_taken` says is free."""
    for _ in range(MAX_ATTEMPTS):
        candidate = f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)} {secrets.randbelow(90) + 10}"
        if not is_taken(candidate):
            return candidate
    # 144,000 combinations: reaching this means the roster is enormous; widen the number.
    return f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)} {secrets.randbelow(900_000) + 100_000}"

"""What every analysis screen shares."""

from __future__ import annotations

from programs.access import ProgramAccess


def page_context(access: ProgramAccess, **extra) -> dict:
    return {"access": access, "program": access.program, "active": "analysis", **extra}

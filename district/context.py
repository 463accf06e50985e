"""The district's name for the header of every page, read at most once per page and only when shown."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def district(request) -> dict:
    def name() -> str:
        from district.setup import current_district

        found = current_district()
        return found.name if found else ""

    return {"district_name": SimpleLazyObject(name)}

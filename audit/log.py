"""The one function every feature calls when a person sees names, exports or downloads."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from audit.models import AuditAction, AuditEvent


def client_address(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client chose to send
    # unless a trusted proxy rewrites it, and gunicorn behind the proxy sets REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: AuditAction | str,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    program_slug: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Pass the request when there is one: it names who and where."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=getattr(actor, "get_username", lambda: "")(),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        program_slug=program_slug,
        detail=detail or {},
        ip_address=client_address(request) if request is not None else None,
        user_agent=(request.headers.get("User-Agent", "")[:300] if request is not None else ""),
    )

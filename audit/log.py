"""The one function every feature calls when a person sees names, exports or downloads."""

from __future__ import annotations

import ipaddress
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from audit.models import AuditAction, AuditEvent


class ProgramLike(Protocol):
    """A program as the log sees it (audit/ imports nothing of ours): an id and a short name."""

    pk: Any
    slug: str


def client_address(request: HttpRequest) -> str | None:
    """The address of the person's machine: the one answer for the audit log, sign-in throttling
    (django-axes' AXES_CLIENT_IP_CALLABLE) and the follow-up limits.

    Each of the TRUSTED_PROXY_COUNT reverse proxies appends the address it heard from to
    X-Forwarded-For, and the nearest one is REMOTE_ADDR; so the client is the entry that many places
    from the right. Entries further left are whatever the client chose to send and are never read.
    With no trusted proxy, or a header too short to have come through them all (a request that went
    round the proxies) or not an address, the answer is REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def record(
    *,
    action: AuditAction | str,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    program: ProgramLike | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Pass the request when there is one: it names who and where.

    `program` is the program the event belongs to (its leads read it on the program's audit page): the
    entry keeps its id, by which it is found, and its short name at the time, as a label."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=getattr(actor, "get_username", lambda: "")(),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        program_id=program.pk if program is not None else None,
        program_slug=program.slug if program is not None else "",
        detail=detail or {},
        ip_address=client_address(request) if request is not None else None,
        user_agent=(request.headers.get("User-Agent", "")[:300] if request is not None else ""),
    )

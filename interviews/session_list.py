"""Finding sessions: filters, the viewer's own sessions first, a week grouped by day, and calendar files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interviews.models import Session, SessionStatus
from programs.models import Program


@dataclass(frozen=True)
class SessionFilters:
    school: int | None = None
    facilitator: int | None = None
    status: str = ""

    @classmethod
    def from_query(cls, query) -> SessionFilters:
        def number(name: str) -> int | None:
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        status = query.get("status", "")
        return cls(school=number("school"), facilitator=number("facilitator"),
                   status=status if status in SessionStatus.values else "")


def sessions_for(program: Program, user, filters: SessionFilters) -> QuerySet[Session]:
    """The program's sessions in date order, the viewer's own marked (`mine` is 0), not sorted first."""
    sessions = Session.objects.filter(program=program)
    if filters.school:
        sessions = sessions.filter(participants__school_id=filters.school).distinct()
    if filters.facilitator:
        sessions = sessions.filter(Q(facilitator_id=filters.facilitator) | Q(note_taker_id=filters.facilitator))
    if filters.status:
        sessions = sessions.filter(status=filters.status)
    mine = Case(When(Q(facilitator=user) | Q(note_taker=user), then=Value(0)), default=Value(1), output_field=IntegerField())
    return (sessions.annotate(mine=mine).order_by("starts_at", "pk")
            .select_related("facilitator", "note_taker").prefetch_related("participants__school"))


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_of(sessions, start: dt.date) -> list[tuple[dt.date, list[Session]]]:
    """Seven days from `start`, each with its sessions in time order (weekend days only when used)."""
    days = {start + dt.timedelta(days=n): [] for n in range(7)}
    for session in sorted(sessions, key=lambda s: s.starts_at):
        day = timezone.localdate(session.starts_at)
        if day in days:
            days[day].append(session)
    return [(day, items) for day, items in days.items() if day.weekday() < 5 or items]


def in_week(sessions: QuerySet[Session], start: dt.date) -> QuerySet[Session]:
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    return sessions.filter(starts_at__gte=first, starts_at__lt=first + dt.timedelta(days=7))


def calendar_file(sessions, *, name: str) -> bytes:
    """An .ics file of these sessions. It carries no student names: calendars are widely shared."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Empathy Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@empathy-interviews")
        event.add("summary", f"{session.get_format_display()}: {session.program.name}")
        event.add("dtstart", session.starts_at.astimezone(dt.UTC))
        event.add("dtend", session.ends_at.astimezone(dt.UTC))
        event.add("dtstamp", timezone.now().astimezone(dt.UTC))
        if session.place or session.video_link:
            event.add("location", session.place or session.video_link)
        count = len(session.participants.all())
        description = ngettext("%(count)d student. Facilitator: %(name)s.", "%(count)d students. Facilitator: %(name)s.",
                               count) % {"count": count, "name": session.facilitator.get_full_name() or session.facilitator.get_username()}
        if session.video_link:
            description += " " + _("Video: %(link)s") % {"link": session.video_link}
        event.add("description", description)
        event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()

"""The action plan: ideas that answer themes, the actions they become, and their follow-through."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actions.models import ActionItem, ActionKind, ActionStatus, ActionUpdate, DigestSent, Idea, IdeaComment, IdeaVote
from analysis.models import Theme
from participants.languages import account_language, district_default
from programs.models import Program, ProgramStatus
from programs.status import advance_status

DUE_BEFORE_START = _("The due date is before the start date.")
DROP_NEEDS_REASON = _("Say why the action is dropped; the team and the students' summary rely on it.")
SAME_IDEA = _("Choose two different ideas to merge.")
IDEA_NEEDS_TITLE = _("Give the idea a short title.")
COMMENT_NEEDS_TEXT = _("Write a comment first.")
COMMENT_LENGTH = 1000
UPDATE_NEEDS_TEXT = _("Write what happened.")
CHOOSE_A_KIND = _("Choose whether it is a project, an activity or a committee.")
CHOOSE_A_STATUS = _("Choose a status from the list.")
DIGEST_WINDOW_DAYS = 14
OPEN_STATUSES = (ActionStatus.PROPOSED, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionRefused(ValueError):
    pass


@transaction.atomic
def add_idea(*, program: Program, author, title: str, description: str = "", group: str = "",
             themes: Iterable[Theme] = ()) -> Idea:
    """A new idea on the board, answering `themes` (themes of other programs are left out)."""
    if not title.strip():
        raise ActionRefused(IDEA_NEEDS_TITLE)
    idea = Idea.objects.create(program=program, title=title.strip(), description=description, group=group.strip(),
                               author=author)
    idea.themes.set([theme for theme in themes if theme.program_id == program.pk])
    return idea


def comment_on_idea(*, idea: Idea, author, text: str) -> IdeaComment:
    if not text.strip():
        raise ActionRefused(COMMENT_NEEDS_TEXT)
    return IdeaComment.objects.create(idea=idea, author=author, text=text.strip()[:COMMENT_LENGTH])


def toggle_vote(idea: Idea, user) -> bool:
    """Support an idea, or withdraw support; one vote per person. True when the person now supports it."""
    deleted, _kinds = IdeaVote.objects.filter(idea=idea, user=user).delete()
    if deleted:
        return False
    IdeaVote.objects.get_or_create(idea=idea, user=user)
    return True


@transaction.atomic
def merge_ideas(*, source: Idea, target: Idea) -> Idea:
    """Fold one idea into another: its themes, votes and comments move; the source stays, marked merged."""
    if source.pk == target.pk:
        raise ActionRefused(SAME_IDEA)
    target.themes.add(*source.themes.all())
    for vote in source.votes.all():
        IdeaVote.objects.get_or_create(idea=target, user=vote.user)
    source.votes.all().delete()
    source.comments.update(idea=target)
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    return target


def action_from_idea(idea: Idea, *, owner, kind: str, due_on: dt.date | None = None, title: str = "") -> ActionItem:
    if kind not in ActionKind.values:
        raise ActionRefused(CHOOSE_A_KIND)
    item = ActionItem.objects.create(program=idea.program, idea=idea, title=title or idea.title,
                                     description=idea.description, kind=kind, owner=owner, due_on=due_on)
    item.themes.set(idea.themes.all())
    advance_status(program=idea.program, to=ProgramStatus.ACTING)
    return item


def change_status(item: ActionItem, *, status: str, reason: str = "") -> ActionItem:
    if status not in ActionStatus.values:
        raise ActionRefused(CHOOSE_A_STATUS)
    if status == ActionStatus.DROPPED and not reason.strip():
        raise ActionRefused(DROP_NEEDS_REASON)
    item.status, item.dropped_reason = status, reason.strip() if status == ActionStatus.DROPPED else ""
    item.save(update_fields=["status", "dropped_reason"])
    return item


def update_details(item: ActionItem, *, measure: str, starts_on: dt.date | None, due_on: dt.date | None,
                   people) -> ActionItem:
    """Dates may be cleared; a due date never comes before the start."""
    if starts_on and due_on and due_on < starts_on:
        raise ActionRefused(DUE_BEFORE_START)
    item.measure, item.starts_on, item.due_on = measure.strip(), starts_on, due_on
    item.save(update_fields=["measure", "starts_on", "due_on"])
    item.people.set(people)
    return item


def add_update(item: ActionItem, *, author, text: str) -> ActionUpdate:
    if not text.strip():
        raise ActionRefused(UPDATE_NEEDS_TEXT)
    return ActionUpdate.objects.create(item=item, author=author, text=text.strip())


def themes_without_action(program: Program) -> list[Theme]:
    """Themes that no live action answers (dropped actions do not count)."""
    answered = ActionItem.objects.filter(program=program).exclude(status=ActionStatus.DROPPED).values("themes")
    return list(Theme.objects.filter(program=program).exclude(pk__in=answered).order_by("name"))


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class DigestResult:
    sent: int
    skipped_already_sent: int


def send_digests(today: dt.date) -> DigestResult:
    """E-mail each owner their actions due in the next two weeks or overdue, once per owner per week."""
    owners = defaultdict(list)
    horizon = today + dt.timedelta(days=DIGEST_WINDOW_DAYS)
    for item in (ActionItem.objects.filter(status__in=OPEN_STATUSES, due_on__isnull=False, due_on__lte=horizon)
                 .select_related("owner", "program").order_by("due_on")):
        owners[item.owner].append(item)
    sent = skipped = 0
    for owner, items in owners.items():
        try:
            with transaction.atomic():
                DigestSent.objects.create(owner=owner, week_start=week_start(today))
                if owner.email:
                    # In the owner's own language: their account's choice, else the district's default.
                    with translation.override(account_language(owner) or district_default()):
                        send_mail(
                            subject=ngettext("Your action due soon (%(count)d)", "Your actions due soon (%(count)d)",
                                             len(items)) % {"count": len(items)},
                            message=render_to_string("actions/digest_email.txt",
                                                     {"owner": owner, "items": items, "today": today}),
                            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[owner.email],
                        )
        except IntegrityError:
            skipped += 1  # this week's digest went out already
            continue
        sent += 1
    return DigestResult(sent, skipped)

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from interviews.models import Protocol, Question, Session, SessionFormat, SessionStatus
from interviews.protocols import (
    NO_OPENING,
    TOO_MANY,
    ProtocolNotReady,
    add_question,
    delete_question,
    editable_version,
    has_reviewed,
    is_ready,
    mark_ready,
    move_question,
    readiness_problems,
    record_review,
    review_status,
    start_protocol,
    too_few,
    update_question,
    update_scripts,
)
from tests.factories import ProtocolFactory, QuestionFactory, ready_protocol


def test_a_first_protocol_starts_from_the_program(team):
    protocol = start_protocol(program=team.program, user=team.lead)
    assert (protocol.version, protocol.theme) == (1, team.program.theme)
    assert protocol.guidelines and protocol.wrap_up
    assert start_protocol(program=team.program, user=team.lead) == protocol


def test_readiness_needs_between_the_named_bounds_of_questions(team, settings):
    settings.PROTOCOL_MIN_QUESTIONS, settings.PROTOCOL_MAX_QUESTIONS = 4, 8
    protocol = ProtocolFactory(program=team.program)
    QuestionFactory(protocol=protocol, is_opening=True)
    assert too_few(1, 4) in readiness_problems(protocol)
    for _ in range(8):
        QuestionFactory(protocol=protocol)
    assert TOO_MANY.format(count=9, maximum=8) in readiness_problems(protocol)
    Question.objects.filter(protocol=protocol).order_by("-position").first().delete()
    assert readiness_problems(protocol) == []


def test_a_draft_may_hold_anything_but_cannot_be_marked_ready(team):
    protocol = ProtocolFactory(program=team.program)
    add_question(protocol, user=team.lead, text="Do you like math?")
    with pytest.raises(ProtocolNotReady) as refusal:
        mark_ready(protocol, user=team.lead)
    assert NO_OPENING in refusal.value.problems
    protocol.refresh_from_db()
    assert not protocol.marked_ready and not is_ready(protocol)


def test_removing_questions_below_the_minimum_makes_a_ready_protocol_not_ready(team):
    protocol = ready_protocol(team.program, questions=4)
    assert is_ready(protocol)
    delete_question(protocol.questions.last(), user=team.lead)
    assert not is_ready(protocol)


def test_questions_are_added_at_the_end_moved_and_renumbered(team):
    protocol = ProtocolFactory(program=team.program)
    first = add_question(protocol, user=team.lead, text=" First ", follow_ups=["Tell me more.", " ", ""])
    second = add_question(protocol, user=team.lead, text="Second")
    third = add_question(protocol, user=team.lead, text="Third")
    assert first.text == "First" and first.follow_ups == ["Tell me more."]
    move_question(third, user=team.lead, step=-1)
    assert list(protocol.questions.values_list("text", flat=True)) == ["First", "Third", "Second"]
    move_question(first, user=team.lead, step=-1)  # already first: nothing moves
    delete_question(Question.objects.get(pk=third.pk), user=team.lead)
    assert list(protocol.questions.values_list("text", "position")) == [("First", 1), ("Second", 2)]
    assert second.pk in protocol.questions.values_list("pk", flat=True)


def start_a_session(protocol, team):
    session = Session.objects.create(program=protocol.program, format=SessionFormat.INDIVIDUAL, protocol=protocol,
                                     starts_at=timezone.now() - dt.timedelta(hours=1), facilitator=team.facilitator,
                                     status=SessionStatus.IN_PROGRESS)
    return session


def test_editing_a_protocol_a_session_started_with_creates_a_new_version(team):
    protocol = ready_protocol(team.program)
    asked = protocol.questions.first()
    start_a_session(protocol, team)
    changed = update_question(asked, user=team.lead, text="Tell me about a new thing.", is_opening=True)
    assert changed.protocol.version == 2 and changed.protocol.based_on == protocol
    asked.refresh_from_db()
    assert asked.text.startswith("Tell me about moment number")
    assert asked.protocol == protocol  # the words that were asked stay with the session's version
    assert changed.protocol.questions.count() == protocol.questions.count()
    assert changed.protocol.marked_ready


def test_a_second_edit_changes_the_new_version_in_place(team):
    protocol = ready_protocol(team.program)
    start_a_session(protocol, team)
    v2 = update_scripts(protocol, user=team.lead, icebreaker="Favorite snack?")
    v2_again = update_scripts(v2, user=team.lead, icebreaker="Favorite song?")
    assert v2_again.pk == v2.pk and Protocol.objects.filter(program=team.program).count() == 2


def test_a_scheduled_session_does_not_freeze_the_protocol(team):
    protocol = ready_protocol(team.program)
    start_a_session(protocol, team).delete()
    Session.objects.create(program=team.program, format=SessionFormat.INDIVIDUAL, protocol=protocol,
                           starts_at=timezone.now(), facilitator=team.facilitator)
    assert not editable_version(protocol, user=team.lead).forked


def test_reviews_are_per_version(team):
    protocol = ready_protocol(team.program)
    assert review_status(protocol) == [(team.facilitator, False)]
    record_review(protocol=protocol, user=team.facilitator)
    record_review(protocol=protocol, user=team.facilitator)
    assert review_status(protocol) == [(team.facilitator, True)]
    start_a_session(protocol, team)
    v2 = update_scripts(protocol, user=team.lead, icebreaker="New")
    assert not has_reviewed(protocol=v2, user=team.facilitator)

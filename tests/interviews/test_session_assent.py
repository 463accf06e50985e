"""Assent in the session: the script in the session's language, each student's answer kept on the
invitation, and a "not today" that no note can get round (interviews/assent.py)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from analysis.corpus import withdrawn_student_ids
from interviews.assent import (
    DEFAULT_SCRIPT,
    IN_SESSION,
    AssentRefused,
    assent_script,
    record_session_assent,
    session_assents,
    speaker_refusal,
    speakers,
)
from interviews.models import Note, Session, SessionAssent, SessionFormat, SessionStatus
from interviews.views.runner import runner_data
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.IN_PROGRESS)
    students = [StudentFactory(first_name=f"Kid{i}") for i in range(3)]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, student_assent_method="paper",
                                  status=InvitationStatus.CONSENTED)
    return session


def kid(session, n):
    return session.participants.get(first_name=f"Kid{n}")


def post_note(client, session, student):
    body = {"id": str(uuid.uuid4()), "version": 0, "step": "question", "question": session.protocol.questions.first().pk,
            "student": student.pk, "kind": "student", "text": "Lunch is loud."}
    return client.post(reverse("runner_notes", kwargs={"slug": session.program.slug, "pk": session.pk}),
                       json.dumps(body), content_type="application/json")


def post_assent(client, session, student, answer):
    return client.post(reverse("runner_assent", kwargs={"slug": session.program.slug, "pk": session.pk}),
                       json.dumps({"student": student.pk, "answer": answer}), content_type="application/json")


def test_the_script_is_in_the_sessions_language_and_the_protocols_own_wins(session):
    assert "your choice" in assent_script(session)
    session.language = "es"
    with translation.override("es"):
        spanish = str(DEFAULT_SCRIPT)
    with translation.override("en"):  # the session's language, whatever the page's
        assert assent_script(session) == spanish
    session.protocol.translations = {"es": {"assent": "Hoy decides tú."}}
    assert assent_script(session) == "Hoy decides tú."
    session.language = "en"
    session.protocol.assent = "Our own words."
    assert assent_script(session) == "Our own words."


def test_a_yes_confirms_the_paper_assent_on_the_invitation(session, team):
    student = kid(session, 0)
    rows = {row["id"]: row for row in session_assents(session)}
    assert rows[student.pk]["earlier"]["method"] == "paper" and rows[student.pk]["answer"] is None
    record_session_assent(session=session, student_id=student.pk, answer="yes", user=team.facilitator)
    invitation = Invitation.objects.get(student=student)
    assert invitation.student_assent == ConsentStatus.GRANTED
    assert invitation.student_assent_method == IN_SESSION and invitation.student_assent_on == timezone.localdate()
    assert student in speakers(session)


def test_not_today_withdraws_an_earlier_assent_with_the_effects_of_a_withdrawal(session, team):
    student = kid(session, 1)
    record_session_assent(session=session, student_id=student.pk, answer="not_today", user=team.facilitator)
    invitation = Invitation.objects.get(student=student)
    assert invitation.student_assent == ConsentStatus.WITHDRAWN and invitation.student_assent_method == IN_SESSION
    assert invitation.status == InvitationStatus.DECLINED
    assert student.pk in {row["student_id"] for row in withdrawn_student_ids(team.program)}
    assert student not in speakers(session)
    assert speaker_refusal(session, student.pk) is not None and speaker_refusal(session, kid(session, 0).pk) is None


def test_not_today_without_an_earlier_assent_is_a_decline(session, team):
    student = kid(session, 2)
    Invitation.objects.filter(student=student).update(student_assent=ConsentStatus.PENDING)
    record_session_assent(session=session, student_id=student.pk, answer="not_today", user=team.facilitator)
    assert Invitation.objects.get(student=student).student_assent == ConsentStatus.DECLINED


def test_not_today_is_final_for_the_session_and_a_retry_changes_nothing(session, team):
    student = kid(session, 0)
    record_session_assent(session=session, student_id=student.pk, answer="yes", user=team.facilitator)
    record_session_assent(session=session, student_id=student.pk, answer="not_today", user=team.facilitator)
    record_session_assent(session=session, student_id=student.pk, answer="not_today", user=team.facilitator)
    assert SessionAssent.objects.filter(session=session, student=student).count() == 1
    with pytest.raises(AssentRefused):
        record_session_assent(session=session, student_id=student.pk, answer="yes", user=team.facilitator)
    with pytest.raises(AssentRefused):
        record_session_assent(session=session, student_id=student.pk, answer="maybe", user=team.facilitator)
    with pytest.raises(AssentRefused):
        record_session_assent(session=session, student_id=StudentFactory().pk, answer="yes", user=team.facilitator)


def test_the_server_refuses_a_note_naming_a_student_who_said_not_today(client, session, team):
    login(client, team.facilitator)
    no, yes = kid(session, 1), kid(session, 0)
    assert post_assent(client, session, no, "not_today").status_code == 200
    assert post_assent(client, session, yes, "yes").status_code == 200
    forged = post_note(client, session, no)
    assert forged.status_code == 400 and "not today" in forged.json()["error"]
    assert post_note(client, session, yes).status_code == 200
    assert not Note.objects.filter(student=no).exists()
    data = runner_data(session, team.facilitator)
    assert no.pk not in {p["id"] for p in data["participants"]}
    assert {s["id"]: s["answer"] for s in data["assent"]["students"]}[no.pk] == "not_today"


def test_a_student_whose_consent_was_withdrawn_is_not_offered_and_cannot_be_named(client, session, team):
    login(client, team.facilitator)
    student = kid(session, 2)
    Invitation.objects.filter(student=student).update(parent_consent=ConsentStatus.WITHDRAWN)
    assert student not in speakers(session)
    assert post_note(client, session, student).status_code == 400
    assert not Note.objects.filter(student=student).exists()
    assert post_assent(client, session, student, "yes").status_code == 400
    assert {row["id"]: row["excluded"] for row in session_assents(session)}[student.pk]


def test_assent_endpoint_refuses_bad_input_and_other_roles(client, session, team):
    login(client, team.facilitator)
    url = reverse("runner_assent", kwargs={"slug": session.program.slug, "pk": session.pk})
    assert client.post(url, "nope", content_type="application/json").status_code == 400
    assert client.post(url, json.dumps({"student": "x"}), content_type="application/json").status_code == 400
    client.logout()
    assert post_assent(client, session, kid(session, 0), "yes").status_code == 401


def test_the_lead_writes_the_assent_script_in_english_and_spanish_on_the_protocol_page(client, team):
    from interviews.models import Protocol

    protocol = ready_protocol(team.program)
    login(client, team.lead)
    data = {name: getattr(protocol, name) for name in ("theme", "purpose", "guidelines", "icebreaker", "wrap_up",
                                                         "facilitator_notes")}
    data.update(assent="Do you want to talk with us today?", assent_es="¿Quieres hablar con nosotros hoy?")
    assert client.post(reverse("protocol", kwargs={"slug": team.program.slug}), data).status_code == 302
    saved = Protocol.objects.filter(program=team.program).order_by("-version").first()
    session = Session(program=team.program, protocol=saved, language="es")
    assert assent_script(session) == "¿Quieres hablar con nosotros hoy?"
    session.language = "en"
    assert assent_script(session) == "Do you want to talk with us today?"

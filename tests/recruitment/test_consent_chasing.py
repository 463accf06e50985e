"""The Consent page: who has answered, days since the letter, reminders (never to a family that answered,
never more than the program allows), each recorded and audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditAction, AuditEvent
from programs.models import Program
from programs.pages import PROGRAM_TABS, may_open
from recruitment import chasing, letters
from recruitment.chasing import By, chase_rows, remindable_ids, send_email_reminders, status_counts
from recruitment.consent import record_consent
from recruitment.models import ConsentAnswer, ConsentContact, ConsentLetter, ConsentStatus, Invitation
from tests.factories import SchoolFactory, StudentFactory
from tests.test_helpers import count_queries, login


def invite(program, *, email="family@example.org", language="", letter_days_ago: int | None = 3, **student):
    student = StudentFactory(school=program.schools.first(), guardian_email=email, home_language=language, **student)
    invitation = Invitation.objects.create(program=program, student=student)
    if letter_days_ago is not None:
        contact = ConsentContact.objects.create(invitation=invitation, kind=ConsentContact.Kind.LETTER_PRINTED)
        ConsentContact.objects.filter(pk=contact.pk).update(sent_at=timezone.now() - dt.timedelta(days=letter_days_ago))
    return invitation


def answer(invitation, status, method="online"):
    ConsentAnswer.objects.create(invitation=invitation, answer=status, method=method, answered_on=dt.date.today())
    record_consent(invitation=invitation, parent=status, student=invitation.student_assent, method=method)


@pytest.fixture
def program(team):
    team.program.schools.add(SchoolFactory(name="North"))
    return team.program


def test_the_consent_tab_comes_after_students_and_only_leads_may_open_the_pages():
    keys = [tab.key for tab in PROGRAM_TABS]
    assert keys.index("consent") == keys.index("students") + 1
    for page in ("consent", "consent_remind", "consent_replace"):
        assert may_open("lead", page)
        assert not any(may_open(role, page) for role in ("facilitator", "analyst", "viewer"))


def test_the_rows_show_status_days_since_the_letter_the_last_reminder_and_how_consent_was_given(program):
    waiting = invite(program, letter_days_ago=9)
    online = invite(program)
    paper = invite(program)
    unsent = invite(program, letter_days_ago=None)
    answer(online, ConsentStatus.GRANTED, "online")
    answer(paper, ConsentStatus.DECLINED, "paper")
    send_email_reminders(program=program, invitation_ids=[waiting.pk])
    rows = {row.invitation.pk: row for row in chase_rows(program=program)}
    assert rows[waiting.pk].days_since_letter == 9
    assert rows[waiting.pk].invitation.reminders_sent == 1 and rows[waiting.pk].invitation.last_reminder_at is not None
    assert rows[online.pk].invitation.answer_method == "online" and rows[paper.pk].invitation.answer_method == "paper"
    assert rows[unsent.pk].days_since_letter is None
    assert dict((s, n) for s, _label, n in status_counts(list(rows.values()))) == {
        "pending": 2, "granted": 1, "declined": 1, "withdrawn": 0}


def test_the_page_lists_every_status_and_is_audited(client, team, program):
    answer(invite(program, first_name="Ana", last_name="Granted"), ConsentStatus.GRANTED)
    answer(invite(program, first_name="Ben", last_name="Withdrew"), ConsentStatus.WITHDRAWN, "paper")
    invite(program, first_name="Cy", last_name="Waiting")
    login(client, team.lead)
    page = client.get(reverse("consent", kwargs={"slug": program.slug})).content.decode()
    for name in ("Ana Granted", "Ben Withdrew", "Cy Waiting", "Answered online", "Answered on paper", "3 days ago"):
        assert name in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_STUDENT_NAMES, detail__page="consent").exists()


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_other_roles_are_refused(client, team, program, persona):
    login(client, getattr(team, persona))
    assert client.get(reverse("consent", kwargs={"slug": program.slug})).status_code == 403
    assert client.post(reverse("consent_remind", kwargs={"slug": program.slug}), {"by": "email"}).status_code == 403


def test_the_page_makes_the_same_number_of_queries_for_10_and_40_students(client, team, program):
    login(client, team.lead)
    url = reverse("consent", kwargs={"slug": program.slug})

    def grow(to):
        while Invitation.objects.filter(program=program).count() < to:
            invitation = invite(program, english_learner=Invitation.objects.count() % 4 == 0)
            if invitation.pk % 3 == 0:
                answer(invitation, ConsentStatus.GRANTED)
            elif invitation.pk % 5 == 0:
                send_email_reminders(program=program, invitation_ids=[invitation.pk])
        StudentFactory.create_batch(4, school=program.schools.first(), english_learner=True)  # to propose

    grow(10)
    small = count_queries(lambda: client.get(url))
    grow(40)
    assert count_queries(lambda: client.get(url)) == small


def test_reminders_go_only_to_families_who_have_not_answered_and_had_their_letter(program):
    waiting = invite(program)
    consented = invite(program)
    declined_on_paper = invite(program)
    no_letter = invite(program, letter_days_ago=None)
    no_email = invite(program, email="")
    answer(consented, ConsentStatus.GRANTED)
    answer(declined_on_paper, ConsentStatus.DECLINED, "paper")
    assert remindable_ids(program=program, by=By.EMAIL) == [waiting.pk]
    assert set(remindable_ids(program=program, by=By.PRINT)) == {waiting.pk, no_email.pk}
    everyone = [waiting.pk, consented.pk, declined_on_paper.pk, no_letter.pk, no_email.pk]
    result = send_email_reminders(program=program, invitation_ids=everyone)
    assert result.sent == [waiting.pk] and result.skipped == 4
    assert [m.to for m in mail.outbox] == [["family@example.org"]]
    assert not ConsentContact.objects.filter(kind__in=chasing.REMINDERS).exclude(invitation=waiting).exists()


def test_an_answer_recorded_without_changing_the_status_still_stops_reminders(program):
    """A family whose answer is on record is never chased, even if the invitation still reads pending."""
    invitation = invite(program)
    ConsentAnswer.objects.create(invitation=invitation, answer=ConsentStatus.PENDING, method="paper",
                                 answered_on=dt.date.today())
    assert send_email_reminders(program=program, invitation_ids=[invitation.pk]).sent == []


def test_never_more_reminders_than_the_program_allows_and_the_letter_is_made_when_missing(program):
    assert not ConsentLetter.objects.filter(program=program).exists()
    invitation = invite(program)
    for _ in range(5):
        send_email_reminders(program=program, invitation_ids=[invitation.pk])
    letter = ConsentLetter.objects.get(program=program)
    assert letter.max_reminders == 2
    assert ConsentContact.objects.filter(invitation=invitation, kind=ConsentContact.Kind.REMINDER_EMAILED).count() == 2
    assert len(mail.outbox) == 2
    letter.max_reminders = 3
    letter.save()
    send_email_reminders(program=program, invitation_ids=[invitation.pk])
    assert len(mail.outbox) == 3


def test_each_reminder_is_recorded_and_audited_in_the_familys_language(program, monkeypatch):
    spanish = invite(program, language="es", first_name="Lupe")
    english = invite(program, language="", first_name="Joe")
    spoken = []
    real = chasing.render_to_string

    def listening(template, context):
        spoken.append((context["student"].guardian_email, translation.get_language()))
        return real(template, context)

    monkeypatch.setattr(chasing, "render_to_string", listening)
    spanish.student.guardian_email = "lupe@example.org"
    spanish.student.save()
    send_email_reminders(program=program, invitation_ids=[spanish.pk, english.pk], base_url="https://app.example/")
    assert sorted(spoken) == [("family@example.org", "en"), ("lupe@example.org", "es")]
    contact = ConsentContact.objects.get(invitation=spanish, kind=ConsentContact.Kind.REMINDER_EMAILED)
    assert contact.language == "es"
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__consent_reminder="emailed")
    assert {e.object_id for e in events} == {str(spanish.pk), str(english.pk)}
    assert "Lupe" in mail.outbox[0].body + mail.outbox[1].body


def test_the_remind_page_sends_through_the_task_and_says_how_many(client, team, program):
    first, second = invite(program), invite(program)
    answer(second, ConsentStatus.GRANTED)
    login(client, team.lead)
    response = client.post(reverse("consent_remind", kwargs={"slug": program.slug}), {"by": "email"}, follow=True)
    assert "A reminder is being e-mailed to 1 family." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["family@example.org"]]
    assert ConsentContact.objects.get(kind=ConsentContact.Kind.REMINDER_EMAILED).invitation == first


def test_the_remind_page_refuses_bad_input_with_a_message_and_keeps_the_ticks(client, team, program):
    waiting = invite(program)
    login(client, team.lead)
    url = reverse("consent_remind", kwargs={"slug": program.slug})
    page = client.post(url, {"by": "fax", "invitations": [waiting.pk]}).content.decode()
    assert "Choose e-mail or a re-printed letter." in page
    assert f'value="{waiting.pk}" id="remind-{waiting.pk}" checked' in page
    elsewhere = Invitation.objects.create(program=Program.objects.get(slug="elsewhere"), student=StudentFactory(school=SchoolFactory()))
    page = client.post(url, {"by": "email", "invitations": [elsewhere.pk]}).content.decode()
    assert "not invited to this program" in page
    assert not mail.outbox


def test_reminding_only_answered_families_sends_nothing_and_says_why(client, team, program):
    done = invite(program)
    answer(done, ConsentStatus.GRANTED)
    login(client, team.lead)
    response = client.post(reverse("consent_remind", kwargs={"slug": program.slug}),
                           {"by": "email", "invitations": [done.pk]}, follow=True)
    assert "No family chosen may be sent a reminder" in response.content.decode()
    assert not mail.outbox


def written_letter(program):
    letter = chasing.letter_for(program)
    for part in letters.REQUIRED:
        setattr(letter, part, f"The {part} of the letter.")
    letter.save()
    return letter


def test_a_reprinted_reminder_is_the_class_set_pdf_of_the_families_who_have_not_answered(client, team, program):
    written_letter(program)
    waiting, done = invite(program, email=""), invite(program)
    answer(done, ConsentStatus.GRANTED)
    login(client, team.lead)
    response = client.post(reverse("consent_remind", kwargs={"slug": program.slug}), {"by": "print"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert list(ConsentContact.objects.filter(kind=ConsentContact.Kind.REMINDER_PRINTED)
                .values_list("invitation", flat=True)) == [waiting.pk]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__consent_reminder="printed",
                                     object_id=str(waiting.pk)).exists()
    assert waiting.consent_codes.count() == 1  # the re-printed letter carries a new private code


def test_a_reprint_before_the_letter_is_written_says_so_and_records_nothing(client, team, program):
    invite(program, email="")
    login(client, team.lead)
    response = client.post(reverse("consent_remind", kwargs={"slug": program.slug}), {"by": "print"}, follow=True)
    assert "The consent letter is not written yet" in response.content.decode()
    assert not ConsentContact.objects.filter(kind=ConsentContact.Kind.REMINDER_PRINTED).exists()


def test_a_mail_server_that_refuses_one_family_records_no_reminder_for_them_and_goes_on(program, monkeypatch):
    first, second = invite(program), invite(program)
    real = chasing.send_mail

    def refusing(**kwargs):
        if not getattr(refusing, "done", False):
            refusing.done = True
            raise OSError("refused")
        return real(**kwargs)

    monkeypatch.setattr(chasing, "send_mail", refusing)
    result = send_email_reminders(program=program, invitation_ids=[first.pk, second.pk])
    assert result.sent == [second.pk]
    assert not ConsentContact.objects.filter(invitation=first, kind__in=chasing.REMINDERS).exists()
    assert not first.consent_codes.exists()


# A family that has answered is never sent anything, whatever the lead ticks and however often they click.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(st.sampled_from([None, "pending-recorded", *ConsentStatus.values]), min_size=1, max_size=6),
       clicks=st.integers(min_value=1, max_value=4), most=st.integers(min_value=0, max_value=3))
def test_property_no_reminder_to_a_family_that_answered_and_never_more_than_allowed(program, answers, clicks, most):
    Invitation.objects.filter(program=program).delete()
    mail.outbox.clear()
    ConsentLetter.objects.update_or_create(program=program, defaults={"max_reminders": most})
    invitations = []
    for given_answer in answers:
        invitation = invite(program)
        if given_answer == "pending-recorded":
            ConsentAnswer.objects.create(invitation=invitation, answer=ConsentStatus.PENDING, method="paper",
                                         answered_on=dt.date.today())
        elif given_answer is not None and given_answer != ConsentStatus.PENDING:
            answer(invitation, given_answer)
        invitations.append((invitation, given_answer))
    for _ in range(clicks):
        send_email_reminders(program=program, invitation_ids=[i.pk for i, _a in invitations])
    for invitation, given_answer in invitations:
        sent = ConsentContact.objects.filter(invitation=invitation, kind__in=chasing.REMINDERS).count()
        if given_answer in (None, ConsentStatus.PENDING):
            assert sent == min(clicks, most)
        else:
            assert sent == 0


def test_the_emailed_reminder_carries_a_working_link_to_the_familys_own_page(program):
    from recruitment.consent_codes import find_code

    first, second = invite(program), invite(program)
    send_email_reminders(program=program, invitation_ids=[first.pk, second.pk], base_url="https://app.example/")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        invitation = first if f"for {first.student.first_name} to take part" in message.subject else second
        code = re.search(r"https://app\.example/c/([^/\s]+)/", message.body).group(1)
        assert find_code(code).invitation == invitation

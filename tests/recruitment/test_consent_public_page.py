"""A family's consent page behind the code on their letter: no account, their language, the program's
purpose and questions, yes / no with their name and relationship, a withdrawal through the same link,
and the same friendly page for a code that is unknown, expired or revoked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.corpus import withdrawn_student_ids
from audit.models import AuditEvent
from interviews.views.consent_public import CODE_NOT_VALID, CODE_RESTING, TOO_MANY_TRIES
from recruitment.consent_codes import issue_code
from recruitment.letters import save_letter
from recruitment.models import ConsentAnswer, ConsentCode, ConsentStatus, Invitation, InvitationStatus
from tests.factories import QuestionFactory, StudentFactory, ready_protocol
from tests.recruitment.test_consent_letters import SPANISH, WORDS

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone)"}


@pytest.fixture
def letter(team):
    return save_letter(program=team.program, user=team.lead, parts=WORDS, translations={"es": SPANISH},
                       max_reminders=2, code_days=30)


def family(team, **student):
    invitation = Invitation.objects.create(program=team.program, student=StudentFactory(**student),
                                           student_assent=ConsentStatus.GRANTED)
    return invitation, issue_code(invitation=invitation)


def page_url(code):
    return reverse("consent_page", kwargs={"code": code})


def answer(client, code, **data):
    return client.post(page_url(code), {"guardian_name": "Rosa Lopez", "relationship": "mother", **data}, **PHONE)


def test_the_page_shows_the_purpose_and_the_ready_protocols_questions(client, team, letter):
    protocol = ready_protocol(team.program, questions=4)
    QuestionFactory(protocol=protocol, position=9, text="What helps you feel you belong here?",
                    follow_ups=["Can you tell me about a time?"])
    invitation, code = family(team, first_name="Ana")
    page = client.get(page_url(code), **PHONE)
    html = page.content.decode()
    assert page.status_code == 200 and "May Ana take part?" in html
    assert WORDS["purpose"] in html and WORDS["contact"] in html and "Taking part is voluntary" in html
    assert "What helps you feel you belong here?" in html and "Can you tell me about a time?" in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"  # the code in the address never goes to another site


def test_a_spanish_family_reads_the_page_in_spanish_with_the_questions_translated(client, team, letter):
    protocol = ready_protocol(team.program, questions=4)
    QuestionFactory(protocol=protocol, position=9, text="What do you enjoy about math class?",
                    translations={"es": {"text": "¿Qué disfrutas de la clase de matemáticas?", "follow_ups": []}})
    _invitation, code = family(team, first_name="Ana", home_language="es")
    html = client.get(page_url(code), **PHONE).content.decode()
    assert '<html lang="es">' in html and "¿Puede participar Ana?" in html
    assert SPANISH["purpose"] in html and "¿Qué disfrutas de la clase de matemáticas?" in html
    assert WORDS["contact"] in html  # not written in Spanish: given in English


def test_the_visitors_own_language_choice_wins(client, team, letter):
    _invitation, code = family(team, home_language="es")
    client.cookies["empathy_language"] = "en"
    assert '<html lang="en">' in client.get(page_url(code)).content.decode()


def test_a_yes_is_kept_as_an_online_answer_and_audited(client, team, letter):
    invitation, code = family(team, first_name="Ana", home_language="es")
    response = answer(client, code, choice="yes")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.parent_consent == ConsentStatus.GRANTED and invitation.parent_consent_method == "online"
    assert invitation.status == InvitationStatus.CONSENTED
    kept = ConsentAnswer.objects.get()
    assert (kept.answer, kept.method, kept.guardian_name, kept.relationship, kept.language) == (
        "granted", "online", "Rosa Lopez", "mother", "es")
    event = AuditEvent.objects.get(detail__method="online")
    assert event.detail["consent"] == "granted" and event.actor is None
    thanks = client.get(response["Location"]).content.decode()
    assert "Su respuesta quedó registrada" in thanks


def test_a_missing_name_is_refused_and_what_was_typed_is_kept(client, team, letter):
    invitation, code = family(team)
    response = client.post(page_url(code), {"choice": "no", "guardian_name": " ", "relationship": "grandmother"})
    html = response.content.decode()
    assert response.status_code == 400 and "Write your name" in html
    assert 'value="grandmother"' in html and 'value="no" id="choice-no" checked' in html
    assert not ConsentAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.parent_consent == ConsentStatus.PENDING


def test_no_choice_is_refused(client, team, letter):
    _invitation, code = family(team)
    assert "Choose yes or no." in answer(client, code).content.decode()


def test_a_yes_then_a_no_through_the_same_link_withdraws_with_a_withdrawals_effect(client, team, letter):
    invitation, code = family(team, first_name="Ana")
    answer(client, code, choice="yes")
    html = client.get(page_url(code)).content.decode()
    assert "You said yes on" in html and "Withdraw my consent" in html
    assert 'value="Rosa Lopez"' in html  # their name offered back
    answer(client, code, choice="no")
    invitation.refresh_from_db()
    assert invitation.parent_consent == ConsentStatus.WITHDRAWN and invitation.status == InvitationStatus.DECLINED
    assert not invitation.can_be_scheduled
    assert invitation.student_id in {row["student_id"] for row in withdrawn_student_ids(team.program)}
    assert list(ConsentAnswer.objects.values_list("answer", flat=True)) == ["granted", "withdrawn"]
    after = client.get(page_url(code)).content.decode()
    assert "Consent was withdrawn on" in after and "Send my answer" not in after
    refused = answer(client, code, choice="yes")
    assert refused.status_code == 400
    invitation.refresh_from_db()
    assert invitation.parent_consent == ConsentStatus.WITHDRAWN


def test_a_no_can_become_a_yes(client, team, letter):
    invitation, code = family(team)
    answer(client, code, choice="no")
    assert "You said no on" in client.get(page_url(code)).content.decode()
    answer(client, code, choice="yes")
    invitation.refresh_from_db()
    assert invitation.parent_consent == ConsentStatus.GRANTED


def test_the_same_answer_twice_is_kept_once(client, team, letter):
    _invitation, code = family(team)
    answer(client, code, choice="yes")
    answer(client, code, choice="yes")
    assert ConsentAnswer.objects.count() == 1


@pytest.mark.parametrize("how", ["unknown", "expired", "revoked"])
def test_unknown_expired_and_revoked_codes_get_the_same_friendly_page(client, team, letter, how):
    invitation, code = family(team, first_name="Ana")
    if how == "unknown":
        code = "ABCD-EFGH-JKMN"
    elif how == "expired":
        ConsentCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    else:
        issue_code(invitation=invitation)  # a new letter: the old code stops working
    response = client.get(page_url(code))
    html = response.content.decode()
    assert response.status_code == 404 and str(CODE_NOT_VALID) in html and not re.search(r"\bAna\b", html)  # a word: a random CSRF token may hold the letters
    assert answer(client, code, choice="yes").status_code == 404
    invitation.refresh_from_db()
    assert invitation.parent_consent == ConsentStatus.PENDING


def test_many_wrong_codes_from_one_network_are_refused_but_a_valid_code_opens(client, team, letter, settings):
    settings.FOLLOW_UP_RATE_LIMIT = 5
    _invitation, code = family(team, first_name="Ana")
    wrong = [f"WXYZ-{i:0>4}-QRST".replace("0", "A").replace("1", "B") for i in range(8)]
    statuses = [client.get(page_url(c), REMOTE_ADDR="203.0.113.5").status_code for c in wrong]
    assert statuses[-1] == 429 and str(TOO_MANY_TRIES) in client.get(page_url(wrong[-1]), REMOTE_ADDR="203.0.113.5").content.decode()
    assert client.get(page_url(code), REMOTE_ADDR="203.0.113.5").status_code == 200


def test_codes_around_a_partly_seen_letter_are_refused_from_any_network(client, team, letter, settings):
    settings.FOLLOW_UP_CODE_FAILURE_LIMIT = 3
    _invitation, code = family(team)
    groups = code.split("-")
    for i, last in enumerate(["AAAA", "BBBB", "CCCC"]):
        client.get(page_url(f"{groups[0]}-{groups[1]}-{last}"), REMOTE_ADDR=f"198.51.100.{i}")
    response = client.get(page_url(code), REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429 and str(CODE_RESTING) in response.content.decode()


def test_the_page_without_a_letter_or_protocol_still_works(client, team):
    _invitation, code = family(team, first_name="Ana")
    html = client.get(page_url(code)).content.decode()
    assert "May Ana take part?" in html and "The questions are still being written." in html


def test_the_leads_words_are_shown_as_text_never_as_markup(client, team):
    save_letter(program=team.program, user=team.lead, parts={**WORDS, "purpose": '<img src="https://x.example/p">Hi'},
                translations={}, max_reminders=2, code_days=30)
    _invitation, code = family(team)
    html = client.get(page_url(code)).content.decode()
    assert '<img src="https://x.example/p">' not in html and "&lt;img" in html

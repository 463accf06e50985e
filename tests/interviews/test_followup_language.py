"""The follow-up slip and page speak the student's language: the family's recorded one when it is offered,
else the session's, unless the visitor chose another with the switcher; what the student sends is kept
with the language the page spoke."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from interviews.followups import add_follow_up, find_link, make_slips, student_language
from interviews.models import Note, NoteKind, Session, SessionFormat, SessionStatus
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.COMPLETED,
                                     language="en")
    session.participants.set([StudentFactory(first_name="Ana", home_language="es"),
                              StudentFactory(first_name="Bao", home_language="vi"),
                              StudentFactory(first_name="Cal", home_language="")])
    return session


def slip_of(slips, name):
    return next(slip for slip in slips if slip.student_name == name)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_each_students_language_is_their_familys_if_offered_else_the_sessions(session):
    by_name = {student.first_name: student_language(student, session) for student in session.participants.all()}
    assert by_name == {"Ana": "es", "Bao": "en", "Cal": "en"}
    session.language = "es"
    assert student_language(session.participants.get(first_name="Cal"), session) == "es"
    session.language = "vi"
    assert student_language(session.participants.get(first_name="Bao"), session) is None


def test_slips_are_made_in_each_students_language(session, team):
    slips = make_slips(session, user=team.facilitator)
    assert {slip.student_name: slip.language for slip in slips} == {"Ana": "es", "Bao": "en", "Cal": "en"}


def test_a_slip_in_no_offered_language_is_in_the_pages(session, team):
    session.language = "vi"
    session.save()
    with translation.override("es"):
        slips = make_slips(session, user=team.facilitator)
    assert slip_of(slips, "Bao").language == "es" and slip_of(slips, "Ana").language == "es"


def test_the_slips_page_prints_each_slip_in_its_students_language(client, session, team):
    login(client, team.facilitator)
    page = client.post(reverse("followup_slips", kwargs={"slug": session.program.slug, "pk": session.pk}))
    html = page.content.decode()
    assert html_lang(page) == "en"  # the page around the slips is the facilitator's
    cards = re.findall(r'<div class="card slip h-100" lang="(\w+)">.*?</div></div></div>', html, flags=re.DOTALL)
    assert cards == ["es", "en", "en"]  # Ana, Bao, Cal
    ana = re.search(r'lang="es">(.*?)</div></div></div>', html, flags=re.DOTALL).group(1)
    assert "For Ana" not in ana  # her slip's words come from the Spanish catalogue, not the page's


def code_for(session, team, name):
    return slip_of(make_slips(session, user=team.facilitator), name).code


def test_the_follow_up_page_speaks_the_familys_language(client, session, team):
    page = client.get(reverse("followup_page", kwargs={"code": code_for(session, team, "Ana")}))
    assert page.status_code == 200 and html_lang(page) == "es" and page["Content-Language"] == "es"
    other = client.get(reverse("followup_page", kwargs={"code": code_for(session, team, "Bao")}))
    assert html_lang(other) == "en" and other["Content-Language"] == "en"


def test_a_visitors_own_choice_wins_on_the_follow_up_page(client, session, team):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("followup_page", kwargs={"code": code_for(session, team, "Ana")}))
    assert html_lang(page) == "en" and page["Content-Language"] == "en"


def test_what_the_student_sends_is_kept_in_the_pages_language(client, session, team):
    url = reverse("followup_page", kwargs={"code": code_for(session, team, "Ana")})
    thanks = client.post(url, {"thoughts": "Me gustaría más tiempo para almorzar."})
    assert html_lang(thanks) == "es"
    note = Note.objects.get(kind=NoteKind.FOLLOW_UP)
    assert note.language == "es" and note.student.first_name == "Ana"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(url, {"thoughts": "Also the bus."})
    assert Note.objects.get(text="Also the bus.").language == "en"


def test_a_refused_follow_up_answers_in_the_students_language(client, session, team):
    refused = client.post(reverse("followup_page", kwargs={"code": code_for(session, team, "Ana")}), {"thoughts": " "})
    assert html_lang(refused) == "es" and not Note.objects.exists()


def test_add_follow_up_keeps_only_an_offered_language(session, team):
    link = find_link(code_for(session, team, "Cal"))
    assert add_follow_up(link, text="Hi", language="en").language == "en"
    assert add_follow_up(link, text="Hi again", language="xx").language == ""
    assert add_follow_up(link, text="Hi a third time").language == ""

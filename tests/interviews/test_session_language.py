"""A session is held in a language: the form offers the languages its protocol is written in (the
district's default first when the protocol has every question in it), the runner shows the questions,
prompts and scripts in that language (English where one is missing, marked), and the facilitator guide
comes in it, its own words and the protocol's."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.forms.sessions import SessionForm
from interviews.guide import guide_html
from interviews.models import Protocol, Session, SessionFormat, SessionStatus
from interviews.protocols import update_scripts
from interviews.views.runner import runner_data
from participants.models import THE_DISTRICT_PK, District
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.factories import SchoolFactory, StudentFactory, ready_protocol
from tests.interviews.test_protocol_views import pdf_text
from tests.interviews.test_session_views import form_data
from tests.test_helpers import login


@pytest.fixture
def program(team):
    """The team's program with a ready English protocol and three students who may take part."""
    ready_protocol(team.program)
    school = SchoolFactory(name="Lincoln High")
    team.program.schools.add(school)
    for number in range(3):
        Invitation.objects.create(program=team.program, student=StudentFactory(school=school, first_name=f"Stu{number}"),
                                  parent_consent=ConsentStatus.GRANTED, student_assent=ConsentStatus.GRANTED,
                                  status=InvitationStatus.CONSENTED)
    return team


def translate(protocol: Protocol, *numbers: int) -> Protocol:
    """Spanish for the questions at these positions (all when none is named), and for the purpose."""
    for position, question in enumerate(protocol.questions.all(), start=1):
        if not numbers or position in numbers:
            question.translations = {"es": {"text": f"Cuéntame del momento número {position}.",
                                            "follow_ups": ["¿Qué pasó después?"]}}
            question.save()
    update_scripts(protocol, user=None, translations={"es": {"purpose": "Queremos escuchar tu experiencia."}})
    return Protocol.objects.get(pk=protocol.pk)


def spanish_district():
    District.objects.update_or_create(pk=THE_DISTRICT_PK, defaults={"name": "Distrito Unido", "default_language": "es"})


def protocol_of(team) -> Protocol:
    return team.program.protocols.order_by("-version").first()


def test_an_english_protocol_offers_english_only(program):
    spanish_district()
    form = SessionForm(program=program.program)
    assert [code for code, _name in form.fields["language"].choices] == ["en"]
    assert form.fields["language"].initial == "en"


def test_a_partly_spanish_protocol_offers_both_with_english_first(program):
    spanish_district()
    translate(protocol_of(program), 1, 2)
    form = SessionForm(program=program.program)
    assert [code for code, _name in form.fields["language"].choices] == ["en", "es"]
    assert form.fields["language"].initial == "en"


def test_a_wholly_spanish_protocol_starts_in_the_districts_language(program):
    translate(protocol_of(program))
    assert SessionForm(program=program.program).fields["language"].initial == "en"  # the district speaks English
    spanish_district()
    assert SessionForm(program=program.program).fields["language"].initial == "es"


def test_the_lead_schedules_a_session_in_spanish(client, program):
    translate(protocol_of(program))
    login(client, program.lead)
    page = client.get(reverse("session_new", kwargs={"slug": program.program.slug})).content.decode()
    assert 'name="language"' in page and "Spanish" in page
    client.post(reverse("session_new", kwargs={"slug": program.program.slug}), form_data(program, language="es"))
    session = Session.objects.get()
    assert session.language == "es"
    detail = client.get(reverse("session_detail", kwargs={"slug": program.program.slug, "pk": session.pk})).content.decode()
    assert "Spanish" in detail and "?language=es" in detail


def test_a_language_the_protocol_lacks_is_refused_and_the_form_kept(client, program):
    login(client, program.lead)
    response = client.post(reverse("session_new", kwargs={"slug": program.program.slug}),
                           form_data(program, language="es", place="Room 12B"))
    page = response.content.decode()
    assert response.status_code == 200 and not Session.objects.exists()
    assert "Choose one of the languages the protocol is written in." in page and "Room 12B" in page


def test_without_a_language_sent_the_session_takes_the_one_offered_first(client, program):
    spanish_district()
    translate(protocol_of(program))
    login(client, program.lead)
    client.post(reverse("session_new", kwargs={"slug": program.program.slug}), form_data(program))
    assert Session.objects.get().language == "es"


def session_in(team, language: str, protocol: Protocol) -> Session:
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.IN_PROGRESS, language=language)
    return session


def test_the_runner_steps_are_in_the_sessions_language_with_english_marked(program):
    protocol = translate(protocol_of(program), 1, 3)
    steps = runner_data(session_in(program, "es", protocol), program.facilitator)["steps"]
    purpose = next(step for step in steps if step["key"] == "purpose")
    assert purpose["script"] == "Queremos escuchar tu experiencia." and purpose["language"] == "es"
    assert purpose["untranslated"] == ""
    wrap_up = next(step for step in steps if step["key"] == "wrap_up")
    assert wrap_up["script"] == protocol.wrap_up and wrap_up["language"] == "en" and wrap_up["untranslated"]
    questions = [step for step in steps if step["key"] == "question"]
    assert [q["language"] for q in questions] == ["es", "en", "es", "en", "en"]
    assert questions[0]["script"] == "Cuéntame del momento número 1." and questions[0]["follow_ups"] == ["¿Qué pasó después?"]
    assert questions[1]["script"] == protocol.questions.all()[1].text and questions[1]["untranslated"]
    assert [q["question"] for q in questions] == [q.pk for q in protocol.questions.all()]


def test_an_english_session_shows_the_english_protocol(program):
    protocol = translate(protocol_of(program))
    steps = runner_data(session_in(program, "en", protocol), program.facilitator)["steps"]
    assert all(step["language"] == "en" and not step["untranslated"] for step in steps)
    assert steps[0]["script"] == protocol.purpose


def test_the_runner_page_says_the_sessions_language_and_marks_english(client, program):
    protocol = translate(protocol_of(program), 1)
    session = session_in(program, "es", protocol)
    login(client, program.facilitator)
    page = client.get(reverse("runner", kwargs={"slug": program.program.slug, "pk": session.pk})).content.decode()
    assert 'id="step-untranslated"' in page and "session-language" in page
    data = json.loads(re.search(r'<script id="runner-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["steps"][0]["script"] == "Queremos escuchar tu experiencia."
    assert "No version in the session" in data["steps"][-1]["untranslated"]


def test_the_guide_comes_in_spanish_with_the_protocols_spanish(program):
    protocol = translate(protocol_of(program), 1, 2)
    html = guide_html(protocol, language="es")
    assert '<html lang="es">' in html
    assert "Guía para facilitadores" in html and "Normas básicas" in html  # its own words, through the catalogue
    assert "Cuéntame del momento número 1." in html and "Queremos escuchar tu experiencia." in html
    assert protocol.questions.all()[2].text in html  # no Spanish: in English, marked
    assert html.count('class="badge untranslated"') == 3
    english = guide_html(protocol, language="en")
    assert "Facilitator guide" in english and "Cuéntame" not in english and "untranslated" not in english


def test_the_guide_download_follows_the_language_asked_for(client, program, tmp_path):
    translate(protocol_of(program))
    login(client, program.facilitator)
    response = client.get(reverse("protocol_guide", kwargs={"slug": program.program.slug}) + "?language=es")
    assert response["Content-Disposition"].endswith(f'-v{protocol_of(program).version}-es.pdf"')
    text = pdf_text(response.content, tmp_path)
    assert "Guía para facilitadores" in text and "Cuéntame del momento número 1." in text


@pytest.mark.parametrize("asked", ["es", "fr", ""])
def test_a_guide_in_a_language_the_protocol_lacks_is_the_english_one(client, program, asked):
    login(client, program.facilitator)
    response = client.get(reverse("protocol_guide", kwargs={"slug": program.program.slug}) + f"?language={asked}")
    assert response.status_code == 200 and not response["Content-Disposition"].endswith('-es.pdf"')

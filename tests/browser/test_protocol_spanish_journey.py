"""A protocol in Spanish, in the browser: a lead reading the app in Spanish writes a question's Spanish
beside its English and sees the Spanish wording check live; a facilitator's Spanish session shows the
Spanish questions, and a question without Spanish in English with a visible note. Screenshots in
test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Question, Session, SessionFormat, SessionStatus
from interviews.protocols import record_review, update_scripts
from tests.browser.accessibility import axe_violations, describe
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR
from tests.factories import StudentFactory, ready_protocol

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


@pytest.fixture
def protocol(team, transactional_db):
    protocol = ready_protocol(team.program, questions=3)
    first, second, _third = protocol.questions.all()
    first.translations = {"es": {"text": "Cuéntame de un lugar de la escuela donde sientas que perteneces.",
                                 "follow_ups": ["¿Qué hace que se sienta así?"]}}
    first.save()
    second.translations = {"es": {"text": "¿Te gusta la clase de matemáticas?", "follow_ups": []}}
    second.save()
    update_scripts(protocol, user=team.lead, translations={"es": {
        "purpose": "Queremos escuchar tu experiencia en la escuela para mejorarla.",
        "guidelines": "Lo que digas se queda aquí. Puedes no responder cualquier pregunta.",
        "wrap_up": "Gracias por compartir con nosotros."}})
    return protocol


def violations_in(page, *selectors: str) -> list[dict]:
    """axe's serious violations inside the parts this feature adds (the page's chrome has its own tests)."""
    axe_violations(page)  # loads axe into the page
    result = page.evaluate("""async (include) => await axe.run({include: include}, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""", [[selector] for selector in selectors])
    return [v for v in result["violations"] if v["impact"] in ("critical", "serious")]


def spanish(context, live_server):
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}])


@pytest.mark.parametrize(("width", "interface"), [(1280, "es"), (390, "es"), (1280, "en")])
def test_the_lead_writes_spanish_beside_english_and_the_check_reads_it(browser, live_server, team, protocol, width, interface):
    context, page = signed_in(browser, live_server, team.lead.username, viewport={"width": width, "height": 900})
    if interface == "es":
        spanish(context, live_server)
    page.goto(f"/programs/{team.program.slug}/protocol/")
    expect(page.locator(".question-translation").first).to_contain_text("Cuéntame de un lugar")
    expect(page.locator(".untranslated-summary")).to_be_visible()  # question 3 has no Spanish
    expect(page.locator(".question-card").nth(2).locator(".untranslated")).to_be_visible()
    # the Spanish version of question 2 is closed: the Spanish check says so, with a Spanish rewrite
    expect(page.locator(".question-card").nth(1).locator(".question-translation .rewrite").first).to_have_text(
        "¿Cómo es para ti la clase de matemáticas?")
    spanish_box = page.locator("#new-question-es")
    spanish_box.fill("¿Alguna vez te has sentido excluido en la escuela?")
    expect(page.locator("#new-findings-es .rewrite").first).to_have_text(
        "Cuéntame de una vez en que te sentiste excluido en la escuela.")
    page.locator("#new-question").fill("Tell me about a time you felt left out at school.")
    page.locator("#add-question button[type=submit]").click()
    expect(page.locator(".question-card")).to_have_count(4)
    assert Question.objects.filter(translations__es__text__startswith="¿Alguna vez").exists()
    page.locator("details summary").first.click()
    expect(page.locator("#id_purpose_es")).to_have_value("Queremos escuchar tu experiencia en la escuela para mejorarla.")
    page.screenshot(path=str(SHOTS / f"protocol-languages-{interface}-{width}.png"), full_page=True)
    found = violations_in(page, "#protocol-editor", "details.card")
    assert found == [], describe(found)
    scroll = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert scroll <= 1, f"the page scrolls sideways by {scroll}px"
    context.close()


def test_a_spanish_session_runs_in_spanish_and_marks_english(browser, live_server, team, protocol):
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.IN_PROGRESS, language="es")
    session.participants.set([StudentFactory(first_name="Ana", home_language="es")])
    record_review(protocol=protocol, user=team.facilitator)
    context, page = signed_in(browser, live_server, team.facilitator.username)
    spanish(context, live_server)
    page.goto(f"/programs/{team.program.slug}/sessions/{session.pk}/run/")
    expect(page.locator("#step-script")).to_have_text("Queremos escuchar tu experiencia en la escuela para mejorarla.")
    expect(page.locator("#step-script")).to_have_attribute("lang", "es")
    expect(page.locator("#step-untranslated")).to_be_hidden()
    page.locator("#steps button").nth(2).click()  # question 1, in Spanish
    expect(page.locator("#step-script")).to_have_text("Cuéntame de un lugar de la escuela donde sientas que perteneces.")
    expect(page.locator("#step-follow-ups")).to_contain_text("¿Qué hace que se sienta así?")
    page.screenshot(path=str(SHOTS / "runner-es-question.png"), full_page=True)
    page.locator("#steps button").nth(4).click()  # question 3: no Spanish, shown in English and said so
    expect(page.locator("#step-script")).to_have_text(protocol.questions.all()[2].text)
    expect(page.locator("#step-script")).to_have_attribute("lang", "en")
    expect(page.locator("#step-untranslated")).to_be_visible()
    page.screenshot(path=str(SHOTS / "runner-es-untranslated.png"), full_page=True)
    found = violations_in(page, "section.card", ".session-language")
    assert found == [], describe(found)
    context.close()

"""Notes in their language: a facilitator in a Spanish session types a note in Spanish, switches one
note to English (by click, then by Alt+L and the pin), sees the language go back to the session's at the
next note, and a follow-up page opened from the code of a Spanish-speaking student reads Spanish."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.followups import make_slips
from interviews.models import Note, NoteKind, Session, SessionFormat, SessionStatus
from interviews.protocols import record_review
from recruitment.models import ConsentStatus, Invitation
from tests.browser.accessibility import axe_violations, describe
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR
from tests.factories import StudentFactory, ready_protocol

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


@pytest.fixture
def spanish_session(team, transactional_db):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.IN_PROGRESS, language="es")
    students = [StudentFactory(first_name="Ana", home_language="es"), StudentFactory(first_name="Ben", home_language="en")]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    record_review(protocol=protocol, user=team.facilitator)
    return session


def language_button(page, code):
    return page.locator(f'#note-language button[data-language="{code}"]')


def note(page, speaker, text):
    page.locator("#chips button", has_text=speaker).click()
    page.locator("#composer").fill(text)
    page.locator("#next-note").click()


def test_a_spanish_session_keeps_each_notes_language_and_the_follow_up_speaks_spanish(browser, live_server, spanish_session, team):
    context, page = signed_in(browser, live_server, team.facilitator.username)
    page.goto(f"/programs/{spanish_session.program.slug}/sessions/{spanish_session.pk}/run/")
    page.locator("#steps button").nth(2).click()  # the first question
    expect(language_button(page, "es")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#composer")).to_have_attribute("lang", "es")

    note(page, "Ana", "La cafetería es muy ruidosa y el almuerzo es corto.")
    # One note in English: switched by a click, back to the session's Spanish at the next note.
    language_button(page, "en").click()
    expect(language_button(page, "en")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#composer")).to_have_attribute("lang", "en")
    note(page, "Ben", "The lunch line takes half of lunch.")
    expect(language_button(page, "es")).to_have_attribute("aria-checked", "true")
    # From the keyboard: Alt+L switches, the pin keeps it for the notes after.
    page.locator("#composer").focus()
    page.keyboard.press("Alt+KeyL")
    expect(language_button(page, "en")).to_have_attribute("aria-checked", "true")
    page.locator("#pin-language").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#pin-language")).to_have_attribute("aria-pressed", "true")
    note(page, "Ben", "I eat in the library.")
    expect(language_button(page, "en")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    # The notes not in the session's language say so in the list.
    expect(page.locator("#notes .note-language")).to_have_count(2)
    expect(page.locator("#notes .note-language").first).to_have_text("EN")
    # The toggle, its pin and the notes list pass axe (the rest of the runner: test_accessibility.py).
    axe_violations(page)  # loads axe into the page
    found = page.evaluate("""async () => (await axe.run({include: [["#note-language-box"], ["#notes"]]}, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        resultTypes: ["violations"]})).violations.filter(v => ["critical", "serious"].includes(v.impact))""")
    assert found == [], describe(found)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "runner-note-language.png"), full_page=True)

    languages = {n.text: n.language for n in Note.objects.all()}
    assert languages == {"La cafetería es muy ruidosa y el almuerzo es corto.": "es",
                         "The lunch line takes half of lunch.": "en", "I eat in the library.": "en"}

    # A saved note's language corrected in the runner: the Spanish one marked English, then back.
    spanish = page.locator("#notes li", has_text="Ana").first
    spanish.locator("summary").click()
    spanish.get_by_label("Language").select_option("en")
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    corrected = Note.objects.get(text__startswith="La cafetería")
    assert corrected.language == "en" and corrected.revisions.get().changes == {"language": ["es", "en"]}
    context.close()

    # The follow-up page from Ana's code, on a phone with no account: in Spanish, her family's language.
    slip = next(s for s in make_slips(spanish_session, user=team.facilitator) if s.student_name == "Ana")
    assert slip.language == "es"
    student = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    phone = student.new_page()
    response = phone.goto(f"/f/{slip.code}/")
    assert response.headers["content-language"] == "es"
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    expect(phone.locator("h1")).to_have_text("¿Hay algo más que quieras contarnos?")
    phone.screenshot(path=str(SHOTS / "followup-spanish.png"), full_page=True)
    phone.locator("#thoughts").fill("También quiero decir que la biblioteca es tranquila.")
    phone.locator("button[type=submit]").last.click()
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    follow_up = Note.objects.get(kind=NoteKind.FOLLOW_UP)
    assert follow_up.language == "es" and follow_up.student.first_name == "Ana"
    student.close()

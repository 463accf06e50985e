"""The languages issue's "done when", in one browser run with the app in Spanish for everyone, each step by the
person who does it: a Spanish-speaking lead chooses Español on the account page, writes a bilingual protocol
(the Spanish check flags a closed Spanish question with its Spanish rewrite), writes good Spanish and marks it
ready, and schedules a Spanish focus group; the facilitator runs it in Spanish, types students' words with
accents and ñ, and makes the follow-up slips; a student opens the follow-up page from a slip's code, reads it in
Spanish and sends a note; the analyst runs theme suggestions (their words keep their accents), accepts one as a
code and makes a theme with a quote; the lead generates the Spanish thematic report and reads its PDF.

Screenshots of the main pages at 1280 and 390 px go to test-artifacts/screenshots/spanish/."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from analysis.models import Theme, ThemeQuote
from interviews.models import Note, NoteKind, Protocol, Session, SessionStatus
from participants.models import AccountLanguage
from programs.models import Role
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from reports.models import Report, ReportStatus
from tests.conftest import PROJECT_DIR
from tests.factories import TEST_PASSWORD, MembershipFactory, ProgramFactory, SchoolFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots" / "spanish"
STUDENTS = [("Sofía", "Muñoz"), ("Mateo", "Peña"), ("Lucía", "Ibáñez")]
CLOSED = "¿Te gusta la cafetería?"
SAID = [  # (speaker, words), as the facilitator types them
    (0, "En la cafetería no me siento cómodo; los niños de último año se burlan de nosotros."),
    (1, "La cafetería es muy ruidosa y la fila del almuerzo es larguísima."),
    (2, "Yo como en la biblioteca porque en la cafetería no hay lugar para sentarse."),
    (0, "Extraño la comida de mi abuela; el almuerzo de aquí no sabe a nada."),
    (1, "En matemáticas el señor Núñez nos explica con paciencia, eso me ayuda."),
    (2, "¿Por qué nadie nos pregunta? Los de último año mandan en el patio y en la cafetería."),
    (0, "Me gustaría que la escuela tuviera más clubes después de clase, como el de fútbol."),
]
FOLLOW_UP = "También quiero decir que la biblioteca es tranquila y ahí me siento segura."


def shoot(page, name: str) -> None:
    """The page at desktop width, then at phone width (the page must not scroll sideways there)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    scroll = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    assert scroll <= 1, f"{name}: the page scrolls sideways by {scroll}px at 390px"
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(browser, live_server, username: str, **options):
    """A new context and a page signed in through the Spanish sign-in page (the footer's Español chosen first)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("[data-language-switcher]").get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    return context, page


def test_a_program_in_spanish_from_the_protocol_to_the_report(browser, live_server, transactional_db, tmp_path):
    school = SchoolFactory(code="ECH", name="Escuela César Chávez")
    program = ProgramFactory(name="Voces del almuerzo", slug="voces", theme="Cómo se vive el almuerzo",
                             suppression_threshold=5)
    program.schools.add(school)
    people = {}
    for role, (first, last) in {Role.LEAD: ("Begoña", "Núñez"), Role.FACILITATOR: ("Íñigo", "Castaño"),
                                Role.ANALYST: ("Ana", "Analista")}.items():
        people[role] = UserFactory(username=f"es-{role.value}", first_name=first, last_name=last)
        MembershipFactory(program=program, user=people[role], role=role)
    AccountLanguage.objects.create(user=people[Role.ANALYST], language="es")  # chosen earlier, on another day
    students = [StudentFactory(school=school, first_name=first, last_name=last, home_language="es")
                for first, last in STUDENTS]
    for student in students:
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, status=InvitationStatus.CONSENTED)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # --- The lead: Español on the account page ---------------------------------------------
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("es-lead")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/accounts/password_change/")
    page.get_by_label("Language", exact=True).select_option("es")
    page.get_by_role("form", name="Your language").get_by_role("button", name="Save").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Su idioma")).to_be_visible()
    assert AccountLanguage.objects.get(user=people[Role.LEAD]).language == "es"
    shoot(page, "1-account")

    # --- The lead: a bilingual protocol, the Spanish check, ready ----------------------------
    page.goto("/programs/voces/protocol/")
    expect(page.get_by_role("heading", name="Protocolo", exact=True)).to_be_visible()
    page.locator("#new-question").fill("Tell me about a usual lunch time for you at school.")
    page.locator("#new-question-es").fill(CLOSED)
    findings = page.locator("#new-findings-es")
    expect(findings.get_by_text("Pregunta cerrada")).to_be_visible()
    expect(findings.locator(".rewrite").first).to_have_text("¿Cómo es para ti la cafetería?")
    page.get_by_label("Pregunta de apertura con la que todo estudiante puede identificarse").check()
    page.get_by_role("button", name="Agregar la pregunta").click()
    expect(page.locator(".question-card")).to_have_count(1)
    expect(page.locator(".question-card .question-translation .rewrite").first).to_have_text("¿Cómo es para ti la cafetería?")
    for english, spanish in (
        ("Tell me about a place at school where you feel you belong.",
         "Cuéntame de un lugar de la escuela donde sientas que perteneces."),
        ("Walk me through lunchtime, from the bell to the end of the break.",
         "Cuéntame cómo es el almuerzo, desde que suena el timbre hasta que termina el recreo."),
        ("What worries students here that adults might not notice?",
         "¿Qué les preocupa a los estudiantes aquí que los adultos quizá no notan?"),
    ):
        page.locator("#new-question").fill(english)
        page.locator("#new-question-es").fill(spanish)
        count = page.locator(".question-card").count()
        page.get_by_role("button", name="Agregar la pregunta").click()
        expect(page.locator(".question-card")).to_have_count(count + 1)
    # The closed Spanish question rewritten in good Spanish.
    page.get_by_role("button", name="Editar la pregunta 1").click()
    page.locator("textarea[id^='edit-text-es-']").fill("Cuéntame cómo es para ti un día normal en la cafetería.")
    page.get_by_role("button", name="Guardar la pregunta").click()
    expect(page.locator(".question-card").first.locator(".question-translation .question-text")).to_have_text(
        "Cuéntame cómo es para ti un día normal en la cafetería.")
    expect(page.locator(".question-card .finding")).to_have_count(0)
    page.get_by_text("Guiones: propósito").click()
    page.locator("#id_purpose").fill("We want to hear how lunch feels, so we can make it better.")
    page.locator("#id_purpose_es").fill("Queremos escuchar cómo vives el almuerzo para mejorarlo. ¿Nos ayudas?")
    page.get_by_role("button", name="Guardar los guiones").click()
    page.get_by_role("button", name="Marcar como listo").click()
    expect(page.get_by_text("Listo para usar con los estudiantes")).to_be_visible()
    protocol = Protocol.objects.get(program=program)
    assert protocol.marked_ready
    assert protocol.questions.first().translations["es"]["text"].startswith("Cuéntame cómo es para ti")
    shoot(page, "2-protocol")

    # --- The lead: a Spanish focus group ------------------------------------------------------
    page.goto("/programs/voces/sessions/new/")
    page.get_by_label("Grupo focal").check()
    page.get_by_label("Fecha").fill("2026-12-08")
    page.get_by_label("Hora de inicio").fill("11:30")
    page.get_by_label("Lugar").fill("Biblioteca")
    page.locator("#id_facilitator").select_option(label="Íñigo Castaño")
    page.get_by_label("Idioma de la sesión").select_option("es")
    for student in students:
        page.get_by_label(f"{student.first_name} {student.last_name}", exact=False).check()
    shoot(page, "3-session-form")
    page.get_by_role("button", name="Programar").click()
    expect(page.get_by_text("Sesión programada.")).to_be_visible()
    session = Session.objects.get(program=program)
    assert session.language == "es"
    context.close()

    # --- The facilitator: reviews the protocol, runs the session in Spanish -------------------
    context, page = sign_in(browser, live_server, "es-facilitator")
    page.goto("/programs/voces/protocol/")
    page.get_by_role("button", name="Revisé este protocolo").click()
    page.goto(f"/programs/voces/sessions/{session.pk}/run/")
    page.get_by_role("button", name="Iniciar la sesión").click()
    expect(page.locator("#step-script")).to_have_text("Queremos escuchar cómo vives el almuerzo para mejorarlo. ¿Nos ayudas?")
    for student in students:  # each student's assent, at the opening step
        answer = page.get_by_role("group", name=f"Asentimiento de {student.first_name}").get_by_role("button", name="Sí")
        answer.click()
        expect(answer).to_have_attribute("aria-pressed", "true")
    page.locator("#steps button", has_text="Pregunta 1").click()
    expect(page.locator("#step-script")).to_have_text("Cuéntame cómo es para ti un día normal en la cafetería.")
    expect(page.locator('#note-language button[data-language="es"]')).to_have_attribute("aria-checked", "true")
    for speaker, text in SAID:
        page.locator("#chips button", has_text=students[speaker].first_name).click()
        page.locator("#composer").fill(text)
        page.get_by_role("button", name="Siguiente nota").click()
    expect(page.locator("#save-status")).to_have_text("Guardado", timeout=15_000)
    expect(page.locator("#assent-missing")).to_be_hidden()
    shoot(page, "4-runner")
    page.get_by_role("button", name="Terminar la sesión").click()
    page.wait_for_load_state()
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    notes = {note.text: note.language for note in Note.objects.filter(session=session)}
    assert notes == {text: "es" for _speaker, text in SAID}
    page.goto(f"/programs/voces/sessions/{session.pk}/follow-up-slips/")
    page.get_by_role("button", name="Crear tarjetas para 3 estudiantes").click()
    slip = page.locator(".slip", has_text="Sofía")
    expect(slip).to_have_attribute("lang", "es")
    code = slip.locator(".slip-code").inner_text()
    shoot(page, "5-slips")
    context.close()

    # --- A student: the follow-up page from the slip's code, on a phone ------------------------
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    student_page = phone.new_page()
    student_page.goto(f"/f/{code}/")
    expect(student_page.locator("html")).to_have_attribute("lang", "es")
    expect(student_page.locator("h1")).to_have_text("¿Hay algo más que quieras contarnos?")
    shoot(student_page, "6-follow-up")
    student_page.get_by_label("Tus ideas").fill(FOLLOW_UP)
    student_page.get_by_role("button", name="Enviar").click()
    expect(student_page.locator("html")).to_have_attribute("lang", "es")
    expect(student_page.locator("h1")).to_contain_text("Gracias")
    phone.close()
    follow_up = Note.objects.get(kind=NoteKind.FOLLOW_UP)
    assert follow_up.text == FOLLOW_UP and follow_up.language == "es" and follow_up.student == students[0]

    # --- The analyst: theme suggestions in Spanish, a code, a theme with a quote ----------------
    context, page = sign_in(browser, live_server, "es-analyst")
    page.goto("/programs/voces/analysis/suggestions/")
    page.get_by_role("button", name="Sugerir temas a partir de notas sin codificar").click()
    headings = page.locator("section.card h2")
    expect(headings.first).to_be_visible(timeout=30_000)
    words = " ".join(headings.all_inner_texts())
    assert "cafetería" in words and "último" in words, words
    assert "cafeter," not in words + "," and "ltimo" not in words.replace("último", ""), words
    shoot(page, "7-suggestions")
    suggestion = page.locator("section.card", has=page.locator("h2", has_text="cafetería")).first
    suggestion.get_by_label("Nombre del código").fill("Cafetería incómoda")
    suggestion.get_by_role("button", name="Aceptar como código").click()
    expect(page.get_by_text("Se creó el código “Cafetería incómoda”")).to_be_visible()
    page.goto("/programs/voces/analysis/themes/")
    page.get_by_label("Nombre", exact=True).fill("La cafetería no es un lugar seguro")
    page.get_by_label("Hallazgo").fill("Los estudiantes más jóvenes se sienten incómodos con los de último año en la cafetería.")
    page.get_by_label("Cafetería incómoda").check()
    page.get_by_role("button", name="Crear tema").click()
    page.locator("li", has_text="no me siento cómodo").get_by_role("button", name="Usar").click()
    expect(page.locator(".quote-card")).to_have_count(1)
    # Who raised it: the Spanish column headings ("Entrevistados", "Proporción") fit without a scroll bar.
    clipped = page.evaluate("[...document.querySelectorAll('.table-responsive')].filter(t => t.scrollWidth > t.clientWidth + 1).length")
    assert clipped == 0, f"{clipped} tables of who raised the theme are cut at 1280px"
    shoot(page, "8-theme")
    quote = ThemeQuote.objects.get(theme__program=program).snippet
    assert "no me siento cómodo" in quote and "último año" in quote, quote
    context.close()

    # --- The lead: the Spanish thematic report, downloaded and read ---------------------------
    context, page = sign_in(browser, live_server, "es-lead", accept_downloads=True)
    page.goto("/programs/voces/reports/")
    expect(page.locator("#lang-es")).to_be_checked()
    page.get_by_label("Informe temático").check()
    page.get_by_label("Resumen ejecutivo").fill("Los estudiantes piden una cafetería donde nadie se burle de nadie.")
    shoot(page, "9-reports")
    page.get_by_role("button", name="Generar").click()
    expect(page.get_by_role("link", name="Descargar PDF")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar PDF").click()
    pdf = tmp_path / "informe.pdf"
    download.value.save_as(pdf)
    context.close()
    report = Report.objects.get(program=program)
    assert report.status == ReportStatus.READY and report.language == "es"
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
                    .stdout.decode("utf-8").split())
    theme = Theme.objects.get(program=program)
    for expected in ("Voces del almuerzo", "Propósito y método", "A quiénes escuchamos", theme.name, theme.insight,
                     "Los estudiantes piden una cafetería donde nadie se burle de nadie.", " ".join(quote.split()),
                     "Cuéntame cómo es para ti un día normal en la cafetería."):
        assert expected in text, expected
    assert "¿" in text and "ñ" in text
    for english in ("Grade 9", "Not specified", "Not recorded", "1 sessions", "1 sesiones"):  # each group once, in Spanish
        assert english not in text, english
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(SHOTS / "10-report-pdf")], check=True)
    for student in students:  # no names
        assert f"{student.first_name} {student.last_name}" not in text

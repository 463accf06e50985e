"""Issue 17's letters and online consent: a lead writes the consent letter (English and Spanish, with a
preview), prints the class set (the PDF read back: one page per student, each with a working code), and
three families answer on a phone: one consents, one declines in Spanish, one consents and later withdraws."""

from __future__ import annotations

import re
import subprocess

import pytest

from programs.models import Role
from recruitment.models import ConsentAnswer, ConsentContact, ConsentStatus, Invitation, InvitationStatus
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR
from tests.factories import (
    MembershipFactory,
    ProgramFactory,
    QuestionFactory,
    StudentFactory,
    UserFactory,
    ready_protocol,
)

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
CODE = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_lead_prints_letters_and_families_answer_online(browser, live_server, transactional_db, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    lead = UserFactory(username="consent-lead")
    program = ProgramFactory(name="Belonging 2026", slug="belonging-2026")
    MembershipFactory(program=program, user=lead, role=Role.LEAD)
    protocol = ready_protocol(program, questions=4)
    QuestionFactory(protocol=protocol, position=9, text="What helps you feel you belong at school?",
                    translations={"es": {"text": "¿Qué te ayuda a sentir que perteneces a la escuela?", "follow_ups": []}})
    ana = Invitation.objects.create(program=program, student=StudentFactory(first_name="Ana", last_name="Lopez",
                                                                            home_language="es"))
    ben = Invitation.objects.create(program=program, student=StudentFactory(first_name="Ben", last_name="Kim"))
    cy = Invitation.objects.create(program=program, student=StudentFactory(first_name="Cy", last_name="Do"))
    for invitation in (ana, ben, cy):
        Invitation.objects.filter(pk=invitation.pk).update(student_assent=ConsentStatus.GRANTED)

    # The lead writes the letter: an empty required part is refused and what was typed is kept.
    context, page = signed_in(browser, live_server, "consent-lead")
    page.goto(f"/programs/{program.slug}/consent/letter/")
    page.locator("#id_purpose").fill("Our school wants to hear what helps students feel they belong.")
    page.locator("#id_es_purpose").fill("Nuestra escuela quiere escuchar qué ayuda a los estudiantes a sentirse parte.")
    page.locator("#id_taking_part").fill("A small group conversation with classmates and a trained adult.")
    page.locator("#id_duration").fill("About 45 minutes, in the school day.")
    page.locator("#id_es_duration").fill("Unos 45 minutos, durante la jornada escolar.")
    page.locator("#id_who_sees").fill("Only the project team reads the notes; reports never name a student.")
    page.locator("#id_storage").fill("Notes are kept on the district's system and deleted by June 30.")
    page.get_by_role("button", name="Save the letter").click()
    assert page.get_by_text("Give a contact for families' questions.").is_visible()
    assert page.locator("#id_es_purpose").input_value().startswith("Nuestra escuela")
    page.locator("#id_contact").fill("Ms. Rivera, rivera@example.org")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview-es").is_visible()
    assert page.get_by_text("Estimada familia de Nombre del Estudiante:").is_visible()
    page.get_by_role("button", name="Save the letter").click()
    assert page.get_by_text("The consent letter is saved.").is_visible()
    page.screenshot(path=str(SHOTS / "consent-letter-editor.png"), full_page=True)

    # The class set: one page per family, each in its language, each with a code that works.
    page.get_by_role("link", name="Print letters").click()
    page.get_by_role("button", name=re.compile(r"Print the class set \(3 letters\)")).click()
    assert page.get_by_text("3 letters are ready.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letters").click()
    pdf = tmp_path / "letters.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == 3
    codes = {}
    for letter_page in pages:
        name = next(n for n in ("Ana Lopez", "Ben Kim", "Cy Do") if n in letter_page)
        codes[name] = CODE.findall(letter_page)[0]
    assert "Estimada familia de Ana Lopez" in next(p for p in pages if "Ana Lopez" in p)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "consent-letter-pdf")],
                   check=True)
    assert ConsentContact.objects.filter(kind="letter_printed").count() == 3
    # The lead's pages in Spanish, and on a phone.
    page.get_by_role("button", name="Español").click()
    assert page.get_by_role("heading", name="Imprimir cartas de consentimiento").is_visible()
    page.screenshot(path=str(SHOTS / "consent-letters-print-es.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/programs/{program.slug}/consent/letter/")
    page.screenshot(path=str(SHOTS / "consent-letter-editor-phone-es.png"), full_page=True)
    context.close()

    # Ben's guardian consents on a phone.
    phone = browser.new_context(base_url=live_server.url, **PHONE)
    family = phone.new_page()
    family.goto(f"/c/{codes['Ben Kim']}/")
    assert family.get_by_role("heading", name="May Ben take part?").is_visible()
    assert family.get_by_text("What helps you feel you belong at school?").is_visible()
    assert family.evaluate("document.documentElement.scrollWidth") <= 390
    family.screenshot(path=str(SHOTS / "consent-page-phone-en.png"), full_page=True)
    family.get_by_label("Yes, my child may take part.").check()
    family.get_by_label("Your name").fill("Min Kim")
    family.get_by_label("Your relationship to the student").fill("father")
    family.get_by_role("button", name="Send my answer").click()
    assert family.get_by_text("Thank you. Your answer is recorded: Ben may take part.").is_visible()
    phone.close()

    # Ana's guardian reads the page in Spanish and declines.
    phone = browser.new_context(base_url=live_server.url, **PHONE)
    family = phone.new_page()
    family.goto(f"/c/{codes['Ana Lopez']}/")
    assert family.locator("html").get_attribute("lang") == "es"
    assert family.get_by_text("¿Qué te ayuda a sentir que perteneces a la escuela?").is_visible()
    family.get_by_role("button", name="Enviar mi respuesta").click()  # nothing chosen: refused, nothing lost
    assert family.get_by_text("Elija sí o no.").first.is_visible()
    family.get_by_label("No, mi hijo o hija no puede participar.").check()
    family.get_by_label("Su nombre").fill("Rosa Lopez")
    family.get_by_label("Su relación con el estudiante").fill("madre")
    family.screenshot(path=str(SHOTS / "consent-page-phone-es.png"), full_page=True)
    family.get_by_role("button", name="Enviar mi respuesta").click()
    assert family.get_by_text("Gracias. Su respuesta quedó registrada: Ana no participará.").is_visible()
    phone.close()

    # Cy's guardian consents, and later withdraws through the same link.
    phone = browser.new_context(base_url=live_server.url, **PHONE)
    family = phone.new_page()
    family.goto(f"/c/{codes['Cy Do']}/")
    family.get_by_label("Yes, my child may take part.").check()
    family.get_by_label("Your name").fill("Sam Do")
    family.get_by_label("Your relationship to the student").fill("guardian")
    family.get_by_role("button", name="Send my answer").click()
    phone.close()
    assert Invitation.objects.get(pk=cy.pk).status == InvitationStatus.CONSENTED
    phone = browser.new_context(base_url=live_server.url, **PHONE)
    family = phone.new_page()
    family.goto(f"/c/{codes['Cy Do']}/")
    assert family.get_by_text(re.compile("You said yes on")).is_visible()
    assert family.get_by_label("Your name").input_value() == "Sam Do"
    family.get_by_role("button", name="Withdraw my consent").click()
    assert family.get_by_text(re.compile("Your consent is withdrawn: Cy will not take part")).is_visible()
    family.screenshot(path=str(SHOTS / "consent-page-withdrawn.png"), full_page=True)
    # A wrong code gets the friendly page, naming no one.
    family.goto("/c/ABCD-EFGH-JKMN/")
    assert family.get_by_text(re.compile("This code has expired or is not valid")).is_visible()
    phone.close()

    answers = {a.invitation_id: a for a in ConsentAnswer.objects.all()}
    assert {i.pk: i.parent_consent for i in Invitation.objects.all()} == {
        ana.pk: ConsentStatus.DECLINED, ben.pk: ConsentStatus.GRANTED, cy.pk: ConsentStatus.WITHDRAWN}
    assert all(a.method == "online" for a in answers.values()) and answers[ana.pk].language == "es"
    assert Invitation.objects.get(pk=cy.pk).status == InvitationStatus.DECLINED
    assert not Invitation.objects.get(pk=cy.pk).can_be_scheduled

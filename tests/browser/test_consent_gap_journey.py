"""Issue 17's chasing and the consent gap, in the browser: a lead opens the Consent page, e-mails reminders to
the families who have not answered (none to those who have), reads that English learners' consent lags
and invites a replacement the sampler proposes; the page at desktop and phone widths, in English and Spanish."""

from __future__ import annotations

import datetime as dt
import subprocess

import polib
import pytest
from django.core import mail
from django.utils import timezone

from programs.models import Role
from recruitment.consent import record_consent
from recruitment.models import ConsentContact, ConsentStatus, Invitation, SamplePlan
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR
from tests.factories import MembershipFactory, ProgramFactory, SchoolFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def spanish_with_fragments(folder):
    """The Spanish catalogue with the fragments not merged yet, compiled into `folder` (a LOCALE_PATHS entry)."""
    catalogue = polib.pofile(str(PROJECT_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid): e for e in catalogue}
    for fragment in sorted((PROJECT_DIR / "locale" / "fragments").glob("*.django.po")):
        for entry in polib.pofile(str(fragment)):
            key = (entry.msgctxt, entry.msgid)
            if not entry.translated() or "fuzzy" in entry.flags:
                continue
            if key not in known:
                catalogue.append(entry)
                known[key] = entry
            elif not known[key].translated():
                known[key].msgstr, known[key].msgstr_plural = entry.msgstr, dict(entry.msgstr_plural)
                known[key].flags = [flag for flag in known[key].flags if flag != "fuzzy"]
    target = folder / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue.save(str(target / "django.po"))
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(target / "django.po")], check=True)


def test_a_lead_chases_consent_and_invites_a_replacement_for_a_lagging_group(browser, live_server, transactional_db,
                                                                            tmp_path, settings):
    SHOTS.mkdir(parents=True, exist_ok=True)
    lead = UserFactory(username="gap-lead")
    program = ProgramFactory(name="Belonging 2026", slug="belonging-2026")
    MembershipFactory(program=program, user=lead, role=Role.LEAD)
    school = SchoolFactory(name="Lincoln High")
    program.schools.add(school)
    SamplePlan.objects.create(program=program, size=12, criteria=["english_learner", "grade"])
    names = ["Ana Lopez", "Ben Kim", "Cy Do", "Dee Park", "Eli Ruiz", "Fay Wu", "Gus Roy", "Hana Sato", "Ivo Diaz",
             "Jo Lee", "Kai Nunez", "Lia Moss", "Max Ito", "Noa Reyes", "Oli Chen", "Pia Gomez"]
    students = []
    for i, name in enumerate(names):
        first, last = name.split()
        students.append(StudentFactory(school=school, first_name=first, last_name=last, grade=9 + (i // 4) % 4,
                                       english_learner=i % 4 == 0, home_language="es" if i % 4 == 0 else "",
                                       guardian_email=f"family{i}@example.org" if i % 3 else ""))
    letter_day = timezone.now() - dt.timedelta(days=8)
    for student in students[:12]:  # 3 learners of 12 invited: 25%
        invitation = Invitation.objects.create(program=program, student=student)
        ConsentContact.objects.filter(pk=ConsentContact.objects.create(
            invitation=invitation, kind=ConsentContact.Kind.LETTER_PRINTED).pk).update(sent_at=letter_day)
    for student in students[1:4] + students[5:8] + students[9:10]:  # 7 consent, none a learner
        record_consent(invitation=Invitation.objects.get(program=program, student=student),
                       parent=ConsentStatus.GRANTED, student=ConsentStatus.PENDING, method="online")
    record_consent(invitation=Invitation.objects.get(program=program, student=students[10]),
                   parent=ConsentStatus.DECLINED, student=ConsentStatus.PENDING, method="paper")

    context, page = signed_in(browser, live_server, "gap-lead")
    page.goto(f"/programs/{program.slug}/")
    page.get_by_role("link", name="Consent", exact=True).click()
    assert page.locator("[data-status=pending] .stat-figure").inner_text() == "4"
    assert page.get_by_text("English learner: 25% of invited, 0% of consented").is_visible()
    page.screenshot(path=str(SHOTS / "consent-gap-desktop-en.png"), full_page=True)

    # Reminders by e-mail: only the families without an answer who have an address.
    page.get_by_role("button", name="E-mail reminders").click()
    assert page.get_by_text("Reminders are being e-mailed to 3 families.").is_visible()
    assert sorted(m.to[0] for m in mail.outbox) == ["family11@example.org", "family4@example.org", "family8@example.org"]
    assert page.locator("#chase-table tr", has_text="Eli Ruiz").get_by_text("1 of 2").is_visible()

    # The sampler proposes learners not invited yet; one click invites one.
    proposal = page.locator("#replacements li").first
    invite_button = proposal.get_by_role("button")
    label = invite_button.inner_text()
    invite_button.click()
    invited_name = label.removeprefix("Invite ")
    assert page.get_by_text(f"{invited_name} is invited.").is_visible()
    first, last = invited_name.split()
    invited = Invitation.objects.get(program=program, student__first_name=first, student__last_name=last)
    assert invited.student.english_learner and invited.parent_consent == ConsentStatus.PENDING

    phone = browser.new_context(base_url=live_server.url, storage_state=context.storage_state(), **PHONE)
    phone_page = phone.new_page()
    phone_page.goto(f"/programs/{program.slug}/consent/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=str(SHOTS / "consent-gap-phone-en.png"), full_page=True)

    # In Spanish (the fragments not merged yet are compiled for this run).
    spanish_with_fragments(tmp_path / "locale")
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    for which, ctx, pg in (("desktop", context, page), ("phone", phone, phone_page)):
        ctx.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}])
        pg.goto(f"/programs/{program.slug}/consent/")
        assert pg.get_by_role("heading", name="La brecha del consentimiento").is_visible()
        assert pg.get_by_text("de los que tienen consentimiento").first.is_visible()
        if which == "phone":
            assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        pg.screenshot(path=str(SHOTS / f"consent-gap-{which}-es.png"), full_page=True)
    phone.close()
    context.close()

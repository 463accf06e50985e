"""The session form's student picker shows every invited student without a sideways scroll, at desktop
and phone widths (CSS columns under a max-height had hidden 3 of 24 behind one)."""

from __future__ import annotations

import pytest

from programs.models import Role
from recruitment.models import ConsentStatus, Invitation
from tests.browser.helpers import signed_in
from tests.factories import MembershipFactory, ProgramFactory, SchoolFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_every_invited_student_can_be_reached_without_a_sideways_scroll(browser, live_server, transactional_db, width):
    program = ProgramFactory(slug="picker")
    lead = UserFactory(username="picker-lead")
    MembershipFactory(program=program, user=lead, role=Role.LEAD)
    school = SchoolFactory(name="Lincoln High School")
    for student in [StudentFactory(school=school, grade=9 + i % 4) for i in range(24)]:
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    context, page = signed_in(browser, live_server, "picker-lead", viewport={"width": width, "height": 900})
    try:
        page.goto(f"/programs/{program.slug}/sessions/new/")
        picker = page.locator(".student-picker")
        sizes = picker.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert sizes[0] <= sizes[1], sizes  # nothing hidden to the side
        boxes = page.locator(".student-picker input[type=checkbox]")
        assert boxes.count() == 24
        for index in range(24):  # each one can be scrolled to and ticked
            boxes.nth(index).check()
        assert boxes.evaluate_all("els => els.filter(e => e.checked).length") == 24
    finally:
        context.close()

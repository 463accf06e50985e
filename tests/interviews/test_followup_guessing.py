"""Follow-up links on a school's network: a valid code always opens, classmates' typos never block
it, and guessing many codes (from one address, or around a partly seen slip from many) is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.followups import CODE_ALPHABET, make_slips
from interviews.models import Session, SessionFormat, SessionStatus
from interviews.views.followup import CODE_RESTING, TOO_MANY_TRIES
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, ready_protocol

SCHOOL = "203.0.113.5"


@pytest.fixture
def slips(team):
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP,
                                     protocol=ready_protocol(team.program), starts_at=timezone.now(),
                                     facilitator=team.facilitator, status=SessionStatus.COMPLETED)
    students = [StudentFactory(first_name=f"Kid{i}") for i in range(3)]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    return make_slips(session, user=team.facilitator)


def open_code(client, code, address=SCHOOL, **extra):
    return client.get(reverse("followup_page", kwargs={"code": code}), REMOTE_ADDR=address, **extra)


def wrong_codes(count, *, keep=""):
    """Different codes that open nothing; `keep` fixes their first characters."""
    codes = []
    for i in range(count):
        tail = "".join(CODE_ALPHABET[(i // len(CODE_ALPHABET) ** n) % len(CODE_ALPHABET)] for n in range(12))
        codes.append((keep + tail)[:12])
    return codes


def test_a_valid_code_opens_after_many_wrong_ones_from_the_same_network(client, slips, settings):
    settings.FOLLOW_UP_RATE_LIMIT = 10
    for code in wrong_codes(30):
        open_code(client, code)
    assert open_code(client, wrong_codes(31)[-1]).status_code == 429
    page = open_code(client, slips[0].code)
    assert page.status_code == 200 and "Anything else you want to tell us?" in page.content.decode()
    sent = client.post(reverse("followup_page", kwargs={"code": slips[0].code}), {"thoughts": "The library."},
                       REMOTE_ADDR=SCHOOL)
    assert "Thank you" in sent.content.decode()


def test_valid_codes_do_not_count_against_the_network(client, slips, settings):
    settings.FOLLOW_UP_RATE_LIMIT = 3
    for _ in range(20):
        for slip in slips:
            assert open_code(client, slip.code).status_code == 200
    assert open_code(client, wrong_codes(1)[0]).status_code == 404


def test_many_different_wrong_codes_from_one_address_are_refused_and_other_addresses_are_not(client, db, settings):
    settings.FOLLOW_UP_RATE_LIMIT = 5
    answers = [open_code(client, code).status_code for code in wrong_codes(8)]
    assert answers == [404] * 5 + [429] * 3
    assert str(TOO_MANY_TRIES) in open_code(client, wrong_codes(9)[-1]).content.decode()
    assert open_code(client, wrong_codes(1)[0], address="198.51.100.7").status_code == 404


def test_the_same_typo_typed_again_counts_once(client, db, settings):
    settings.FOLLOW_UP_RATE_LIMIT = 3
    assert {open_code(client, "ABCD-EFGH-JKMM").status_code for _ in range(10)} == {404}


def test_behind_a_proxy_each_student_has_their_own_budget(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FOLLOW_UP_RATE_LIMIT = 3
    for code in wrong_codes(5):
        open_code(client, code, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert open_code(client, wrong_codes(6)[-1], address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10").status_code == 429
    assert open_code(client, wrong_codes(6)[-1], address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.11").status_code == 404


def test_completing_a_partly_seen_slip_from_many_addresses_is_refused_even_for_the_right_code(client, slips, settings):
    settings.FOLLOW_UP_CODE_FAILURE_LIMIT = 5
    known = slips[0].code.replace("-", "")[:8]  # the first two groups were seen
    for i, code in enumerate(wrong_codes(5, keep=known)):
        assert open_code(client, code, address=f"198.51.100.{i}").status_code == 404
    refused = open_code(client, slips[0].code, address="198.51.100.200")
    assert refused.status_code == 429 and str(CODE_RESTING) in refused.content.decode()
    assert open_code(client, slips[1].code).status_code == 200  # every other student's link still opens


def test_a_few_typos_of_ones_own_code_do_not_refuse_it(client, slips, settings):
    code = slips[0].code.replace("-", "")
    for i in range(3):
        typo = code[:11] + CODE_ALPHABET[(CODE_ALPHABET.index(code[11]) + i + 1) % len(CODE_ALPHABET)]
        assert open_code(client, typo).status_code == 404
    assert open_code(client, slips[0].code).status_code == 200


def test_the_code_entry_page_is_never_refused(client, db, settings):
    settings.FOLLOW_UP_RATE_LIMIT = 1
    for code in wrong_codes(3):
        open_code(client, code)
    assert client.get(reverse("followup_start"), REMOTE_ADDR=SCHOOL).status_code == 200

"""Properties of the consent codes: a code opens its own family's page and no other; a changed code opens
nothing; a code stops at its expiry and when a newer letter replaces it; only hashes are stored; and
answers through a code follow the rule (a "no" after a "yes" withdraws; nothing reopens a withdrawal)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruitment.consent_codes import AnswerRefused, answer_online, find_code, issue_code
from recruitment.models import ConsentAnswer, ConsentCode, ConsentStatus, Invitation
from tests.factories import StudentFactory
from toolkit.codes import CODE_ALPHABET, code_hash, normalised

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def families(team, count):
    # Names that are never part of one another ("Kid1x" is not in "Kid12x"), so a page shows whose it is.
    invitations = [Invitation.objects.create(program=team.program, student=StudentFactory(
        first_name=f"Kid{Invitation.objects.count() + 1}x")) for _ in range(count)]
    return [(invitation, issue_code(invitation=invitation)) for invitation in invitations]


@SETTINGS
@given(count=st.integers(min_value=2, max_value=5), data=st.data())
def test_property_a_code_opens_its_own_familys_page_and_no_other(client, team, count, data):
    issued = families(team, count)
    for invitation, code in issued:
        assert find_code(code).invitation_id == invitation.pk
        assert find_code(code.lower().replace("-", " ")).invitation_id == invitation.pk  # as typed from paper
        html = client.get(reverse("consent_page", kwargs={"code": code})).content.decode()
        assert invitation.student.first_name in html
        assert all(other.student.first_name not in html for other, _c in issued if other.pk != invitation.pk)
    # Any other code (one character changed, or a random one) opens nothing.
    _invitation, code = data.draw(st.sampled_from(issued))
    plain = normalised(code)
    position = data.draw(st.integers(min_value=0, max_value=len(plain) - 1))
    other = data.draw(st.sampled_from([c for c in CODE_ALPHABET if c != plain[position]]))
    changed = plain[:position] + other + plain[position + 1:]
    random_code = data.draw(st.text(alphabet=CODE_ALPHABET, min_size=12, max_size=12))
    live = {normalised(c) for _i, c in issued}
    for attempt in (changed, random_code):
        if attempt not in live:
            assert find_code(attempt) is None


@SETTINGS
@given(days=st.integers(min_value=1, max_value=365), offset=st.integers(min_value=-10_000, max_value=10_000))
def test_property_a_code_works_until_its_expiry_and_never_after(team, days, offset):
    from recruitment.letters import save_letter
    from tests.recruitment.test_consent_letters import WORDS

    save_letter(program=team.program, user=team.lead, parts=WORDS, translations={}, max_reminders=2, code_days=days)
    invitation = Invitation.objects.create(program=team.program, student=StudentFactory())
    made = timezone.now()
    code = issue_code(invitation=invitation, now=made)
    at = made + dt.timedelta(days=days) + dt.timedelta(seconds=offset)
    assert (find_code(code, now=at) is not None) == (offset < 0)


@SETTINGS
@given(letters=st.integers(min_value=1, max_value=5))
def test_property_only_the_newest_letters_code_works_and_no_code_is_stored(team, letters):
    invitation = Invitation.objects.create(program=team.program, student=StudentFactory())
    codes = [issue_code(invitation=invitation) for _ in range(letters)]
    assert [find_code(code) is not None for code in codes] == [False] * (letters - 1) + [True]
    stored = set(ConsentCode.objects.filter(invitation=invitation).values_list("code_hash", flat=True))
    assert stored == {code_hash(code) for code in codes}
    assert not any(normalised(code) in value or code in value for code in codes for value in stored)


def expected(choices):
    """The rule, written apart: what the family's consent is after these answers through their link."""
    status, kept = ConsentStatus.PENDING, []
    for choice in choices:
        if status == ConsentStatus.WITHDRAWN:
            continue  # a "yes" is refused, a "no" changes nothing
        new = {("yes", ConsentStatus.PENDING): ConsentStatus.GRANTED, ("yes", ConsentStatus.DECLINED): ConsentStatus.GRANTED,
               ("no", ConsentStatus.PENDING): ConsentStatus.DECLINED, ("no", ConsentStatus.GRANTED): ConsentStatus.WITHDRAWN,
               }.get((choice, status))
        if new:
            status = new
            kept.append(new)
    return status, kept


@SETTINGS
@given(choices=st.lists(st.sampled_from(["yes", "no"]), min_size=1, max_size=6))
def test_property_answers_through_a_code_follow_the_rule_and_a_withdrawal_is_final_online(team, choices):
    invitation = Invitation.objects.create(program=team.program, student=StudentFactory(),
                                           student_assent=ConsentStatus.GRANTED)
    code = issue_code(invitation=invitation)
    for choice in choices:
        row = find_code(code)
        assert row is not None  # the link keeps opening, after a withdrawal too
        try:
            answer_online(code=row, choice=choice, guardian_name="A Parent", relationship="father")
        except AnswerRefused:
            invitation.refresh_from_db()
            assert invitation.parent_consent == ConsentStatus.WITHDRAWN and choice == "yes"
    invitation.refresh_from_db()
    status, kept = expected(choices)
    assert invitation.parent_consent == status
    assert list(ConsentAnswer.objects.filter(invitation=invitation).values_list("answer", flat=True)) == kept
    assert invitation.can_be_scheduled == (status == ConsentStatus.GRANTED)
    if status == ConsentStatus.WITHDRAWN:
        assert Invitation.objects.filter(pk=invitation.pk).withdrawn().exists()

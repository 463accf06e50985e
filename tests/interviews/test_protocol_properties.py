"""Arbitrary text typed into the protocol editor: a question is added whole with its check, or the
person is told why not; never a crash, never half a question."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviews.forms.protocol import QuestionForm
from interviews.models import Question
from interviews.protocol_check import FindingKind, check_question
from tests.test_helpers import login

typed = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=1200)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=typed, follow_ups=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_any_text_is_added_whole_or_refused_plainly(client, team, text, follow_ups):
    login(client, team.lead)
    before = Question.objects.filter(protocol__program=team.program).count()
    response = client.post(reverse("question_add", args=[team.program.slug]),
                           {"text": text, "follow_ups": follow_ups}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    after = list(Question.objects.filter(protocol__program=team.program).order_by("-pk")[:1])
    added = Question.objects.filter(protocol__program=team.program).count() - before
    cleaned = text.strip()
    if added:
        assert added == 1 and after[0].text == after[0].text.strip() and after[0].text
        for finding in check_question(after[0].text):  # the check runs on what was stored, without a crash
            assert finding.kind in FindingKind
    else:
        form = QuestionForm({"text": text, "follow_ups": follow_ups})
        assert not form.is_valid()
        page = response.content.decode()
        for errors in form.errors.values():  # every reason is shown beside its field
            assert escape(errors[0]) in page, (text[:80], cleaned[:80])


@pytest.mark.django_db
def test_a_bad_follow_up_is_explained_without_htmx_too(client, team):
    login(client, team.lead)
    response = client.post(reverse("question_add", args=[team.program.slug]),
                           {"text": "Tell me about lunch.", "follow_ups": "\x00"}, follow=True)
    assert response.status_code == 200 and "Null characters are not allowed." in response.content.decode()
    assert not Question.objects.filter(protocol__program=team.program).exists()

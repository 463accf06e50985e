"""Input that used to crash a view (500) now gets a plain 4xx or a form error, and nothing is written."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from analysis.models import Category
from interviews.forms.sessions import FILTER_LEFT_OUT
from interviews.models import Note, Session
from interviews.notes import BAD_QUESTION, BAD_SINCE, NOT_AN_OBJECT, WRONG_TYPE
from interviews.views.runner import NOT_JSON
from reports.charts import horizontal_bars
from tests.test_helpers import login

TOO_BIG = str(2**70)


def _program(coded):
    return {"slug": coded.team.program.slug}


def _session(coded):
    return {**_program(coded), "pk": coded.session.pk}


def notes_array(client, coded):
    login(client, coded.team.facilitator)
    return client.post(reverse("runner_notes", kwargs=_session(coded)), "[1, 2]", content_type="application/json")


def notes_not_utf8(client, coded):
    login(client, coded.team.facilitator)
    return client.post(reverse("runner_notes", kwargs=_session(coded)), b"\xff\xfe{", content_type="application/json")


def notes_huge_numbers(client, coded):
    login(client, coded.team.facilitator)
    body = ('{"id": "6f1c1a52-6a3c-4a55-9d7e-1f1e0d5b4a10", "step": "question", "kind": "student", "text": "x", '
            f'"question": {TOO_BIG}, "student": {TOO_BIG}, "version": 1e999}}')
    return client.post(reverse("runner_notes", kwargs=_session(coded)), body, content_type="application/json")


def notes_huge_ids(client, coded):
    login(client, coded.team.facilitator)
    body = ('{"id": "6f1c1a52-6a3c-4a55-9d7e-1f1e0d5b4a10", "step": "question", "kind": "student", "text": "x", '
            f'"question": {TOO_BIG}, "student": {TOO_BIG}}}')
    return client.post(reverse("runner_notes", kwargs=_session(coded)), body, content_type="application/json")


def runner_poll_since_the_end_of_time(client, coded):
    login(client, coded.team.facilitator)
    return client.get(reverse("runner_notes", kwargs=_session(coded)), {"since": "9999-12-31T23:59:59"})


def runner_poll_since_the_start_of_time(client, coded):
    login(client, coded.team.facilitator)
    return client.get(reverse("runner_notes", kwargs=_session(coded)), {"since": "0001-01-01T00:00:00"})


def follow_up_code_with_a_slash(client, coded):
    return client.post(reverse("followup_start"), {"code": "a/b"}, follow=True)


def session_list_school_too_big(client, coded):
    login(client, coded.team.lead)
    return client.get(reverse("session_list", kwargs=_program(coded)), {"school": TOO_BIG, "facilitator": TOO_BIG})


def session_list_odd_digits(client, coded):
    login(client, coded.team.lead)
    return client.get(reverse("session_list", kwargs=_program(coded)), {"school": "²", "facilitator": "٣"})


def session_week_at_the_end_of_time(client, coded):
    login(client, coded.team.lead)
    return client.get(reverse("session_list", kwargs=_program(coded)), {"view": "week", "week": "9999-12-31"})


def session_week_at_the_start_of_time(client, coded):
    login(client, coded.team.lead)
    return client.get(reverse("session_list", kwargs=_program(coded)), {"view": "week", "week": "0001-01-01"})


def session_scheduled_at_the_end_of_time(client, coded):
    login(client, coded.team.lead)
    return client.post(reverse("session_new", kwargs=_program(coded)), {
        "format": "individual", "date": "9999-12-31", "start_time": "23:59", "duration_minutes": "240", "place": "Library",
        "facilitator": coded.team.facilitator.pk, "students": [coded.students[0].pk]})


def facilitator_ics_id_too_big(client, coded):
    login(client, coded.team.lead)
    return client.get(f"/programs/{coded.team.program.slug}/sessions/facilitator/{TOO_BIG}.ics")


def session_ids_too_big(client, coded):
    login(client, coded.team.lead)
    for name in ("session_detail", "runner", "notes_review"):
        response = client.get(reverse(name, kwargs={**_program(coded), "pk": TOO_BIG}))
        assert response.status_code == 404, name
    return client.get(reverse("runner_notes", kwargs={**_program(coded), "pk": TOO_BIG}))


def duplicate_category(client, coded):
    login(client, coded.team.analyst)
    name = Category.objects.filter(program=coded.team.program).first().name
    return client.post(reverse("codebook", kwargs=_program(coded)), {"action": "add_category", "name": f" {name.upper()} "})


# Each case, the status it gets and words of the plain message it carries.
CASES = {
    notes_array: (400, NOT_AN_OBJECT),
    notes_not_utf8: (400, NOT_JSON),
    notes_huge_numbers: (400, WRONG_TYPE),
    notes_huge_ids: (400, BAD_QUESTION),
    runner_poll_since_the_end_of_time: (400, BAD_SINCE),
    runner_poll_since_the_start_of_time: (200, ""),  # in range once in UTC: an ordinary poll
    follow_up_code_with_a_slash: (404, "This link has expired or is not valid"),
    session_list_school_too_big: (200, FILTER_LEFT_OUT % {"fields": "School, Facilitator or note-taker"}),
    session_list_odd_digits: (200, FILTER_LEFT_OUT % {"fields": "School"}),
    session_week_at_the_end_of_time: (200, FILTER_LEFT_OUT % {"fields": "Week"}),
    session_week_at_the_start_of_time: (200, FILTER_LEFT_OUT % {"fields": "Week"}),
    session_scheduled_at_the_end_of_time: (200, "Choose a date between"),
    facilitator_ics_id_too_big: (404, ""),
    session_ids_too_big: (404, ""),
    duplicate_category: (400, "There is already a category called"),
}


@pytest.mark.parametrize("send", CASES, ids=[case.__name__ for case in CASES])
def test_bad_input_gets_a_plain_answer_not_a_500(client, coded, send):
    before = (Category.objects.count(), Note.objects.count(), Session.objects.count())
    client.raise_request_exception = False
    status, message = CASES[send]
    response = send(client, coded)
    assert response.status_code == status
    if response["Content-Type"].startswith("application/json"):
        body = response.json().get("error", "")
    else:
        body = html.unescape(response.content.decode(errors="replace"))
    assert str(message) in body and "Traceback" not in body
    assert (Category.objects.count(), Note.objects.count(), Session.objects.count()) == before


@pytest.mark.parametrize("label", [r"$\foo$", "$5 lunch $", r"\$x^2$", "50% of $"])
def test_a_label_with_dollar_signs_is_drawn_as_typed(label):
    svg = horizontal_bars([label, "Lincoln High"], [40.0, None], hidden_label=f"{label} withheld")
    assert svg.startswith("<svg")

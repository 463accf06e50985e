from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from district.setup import FIRST_ADMINISTRATOR_GROUPS, FirstRunClosed, complete_first_run, first_run_open
from participants.models import GRADE_SPAN_OUT_OF_ORDER, School
from tests.factories import UserFactory

FIRST = {"district_name": "Riverside Unified", "username": "dana", "email": "dana@riverside.example",
         "password": "a-long-first-password-42", "password_again": "a-long-first-password-42",
         "school_name": "Riverside High", "school_code": "RHS", "lowest_grade": "9", "highest_grade": "12"}


def test_an_empty_database_sends_the_sign_in_page_to_the_first_run(client, db):
    assert client.get(reverse("login"))["Location"] == reverse("first_run")


def test_the_first_run_makes_the_district_its_administrator_and_school_then_the_dashboard(client, db):
    response = client.post(reverse("first_run"), FIRST)
    assert response["Location"] == reverse("district_home")
    dana = get_user_model().objects.get(username="dana")
    assert not dana.is_superuser and dana.check_password(FIRST["password"])
    assert set(dana.groups.values_list("name", flat=True)) == set(FIRST_ADMINISTRATOR_GROUPS)
    assert dana.has_perm("participants.change_school") and dana.has_perm("programs.add_program")
    school = School.objects.get()
    assert (school.code, school.lowest_grade, school.highest_grade) == ("RHS", 9, 12)
    page = client.get(response["Location"]).content.decode()  # signed in as dana
    assert "Riverside Unified" in page and "District set-up" in page
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_DISTRICT, actor=dana).exists()


def test_once_done_the_first_run_is_never_reachable_again(client, db):
    client.post(reverse("first_run"), FIRST)
    client.logout()
    assert client.get(reverse("first_run")).status_code == 404
    assert client.post(reverse("first_run"), {**FIRST, "username": "mallory"}).status_code == 404
    assert client.get(reverse("login")).status_code == 200
    assert not get_user_model().objects.filter(username="mallory").exists()


def test_an_installation_with_accounts_has_no_first_run(client, db):
    UserFactory()
    assert not first_run_open()
    assert client.get(reverse("first_run")).status_code == 404
    with pytest.raises(FirstRunClosed):
        complete_first_run(**{k: v for k, v in FIRST.items() if k != "password_again"})


def test_bad_input_is_named_and_what_was_typed_is_kept(client, db):
    response = client.post(reverse("first_run"), {**FIRST, "password_again": "other", "lowest_grade": "10",
                                                  "highest_grade": "9"})
    page = response.content.decode()
    assert response.status_code == 200 and str(GRADE_SPAN_OUT_OF_ORDER) in page
    assert "The two passwords differ" in page and 'value="Riverside Unified"' in page
    assert first_run_open()


def test_a_weak_password_is_refused(client, db):
    response = client.post(reverse("first_run"), {**FIRST, "password": "123", "password_again": "123"})
    assert response.status_code == 200 and first_run_open()

"""The language a page speaks: a person's own choice (saved on the account, kept across sign-ins), the
switcher's cookie for visitors, the district's default; families' pages in the family's language."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from participants.models import THE_DISTRICT_PK, AccountLanguage, District
from tests.factories import UserFactory
from tests.test_helpers import login
from toolkit.languages import activate_for_family, supported


def spoken(response) -> str:
    return response.headers["Content-Language"]


def test_pages_speak_the_districts_default_until_a_person_chooses(client, db):
    assert spoken(client.get(reverse("login"))) == "en"
    District.objects.create(pk=THE_DISTRICT_PK, name="Distrito Unido", default_language="es")
    response = client.get(reverse("login"))
    assert spoken(response) == "es" and '<html lang="es">' in response.content.decode()


def test_a_visitor_switches_with_one_click_and_the_choice_sticks(client, db):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert spoken(client.get(reverse("login"))) == "es"
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert spoken(client.get(reverse("login"))) == "en"


def test_the_switcher_goes_back_only_to_this_site(client, db):
    response = client.post(reverse("set_language"), {"language": "es", "next": "https://evil.example/"})
    assert response.url == "/"


def test_an_unknown_language_falls_back_to_the_default(client, db):
    client.post(reverse("set_language"), {"language": "klingon"})
    assert spoken(client.get(reverse("login"))) == "en"


def test_a_persons_choice_is_saved_on_their_account_and_follows_them_to_another_computer(client, db):
    District.objects.create(pk=THE_DISTRICT_PK, name="Riverside", default_language="en")
    person = UserFactory()
    login(client, person)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert AccountLanguage.objects.get(user=person).language == "es"
    client.logout()
    client.cookies.clear()  # another computer: no cookie
    login(client, person)
    assert spoken(client.get(reverse("home"))) == "es"


def test_a_signed_in_persons_choice_costs_no_query_per_page(client, db, django_assert_max_num_queries):
    from tests.test_helpers import count_queries

    person = UserFactory()
    login(client, person)
    before = count_queries(lambda: client.get(reverse("home")))
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert count_queries(lambda: client.get(reverse("home"))) <= before


def test_a_signed_in_person_without_a_choice_reads_the_district_default_at_no_query_per_page(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    District.objects.create(pk=THE_DISTRICT_PK, name="Distrito", default_language="es")
    login(client, UserFactory())
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as context:
        assert spoken(client.get(reverse("home"))) == "es"
    # One read of the district: the header's name (district/context.py); none for the language.
    assert len([q for q in context.captured_queries if "district_district" in q["sql"]]) == 1


def test_the_district_default_is_set_on_the_district_page(client, db):
    from participants.roles import DISTRICT_ADMINISTRATOR, grant_district_role

    admin = UserFactory()
    grant_district_role(admin, DISTRICT_ADMINISTRATOR)
    login(client, admin)
    client.post(reverse("district_home"), {"name": "Riverside", "default_language": "es"})
    assert District.objects.get().default_language == "es"
    refused = client.post(reverse("district_home"), {"name": "", "default_language": "es"})
    assert refused.status_code == 200 and District.objects.get().name == "Riverside"


@pytest.mark.parametrize(("recorded", "cookie", "expected"), [
    ("es", None, "es"), ("spa", None, "en"), ("es-MX", None, "es"), ("es", "en", "en"), ("", "es", "es"),
    (None, None, "en"), ("zh", None, "en"),
])
def test_a_familys_page_speaks_their_language_unless_the_visitor_chose(db, recorded, cookie, expected):
    request = RequestFactory().get("/f/abc/")
    request.session = {}
    if cookie:
        request.COOKIES["empathy_language"] = cookie
    with translation.override("en"):
        assert activate_for_family(request, recorded=recorded) == expected
        assert translation.get_language() == expected


def test_supported_reads_language_tags():
    assert [supported(code) for code in ("ES", "es_US", "en-GB", "fr", "", None)] == ["es", "es", "en", None, None, None]


def test_a_person_chooses_their_language_on_their_account_page(client, db):
    person = UserFactory()
    login(client, person)
    page = client.get(reverse("password_change")).content.decode()
    assert 'name="language"' in page and reverse("set_language") in page
    client.post(reverse("set_language"), {"language": "es", "next": reverse("password_change")})
    assert AccountLanguage.objects.get(user=person).language == "es"
    assert '<option value="es" lang="es" selected>' in client.get(reverse("password_change")).content.decode()

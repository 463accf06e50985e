from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import reverse

from programs.models import Role
from tests.factories import MembershipFactory, ProgramFactory, SchoolFactory, UserFactory
from tests.test_helpers import count_queries, login


def test_home_lists_only_my_programs_with_my_role(client, team):
    login(client, team.analyst)
    page = client.get(reverse("home")).content.decode()
    assert team.program.name in page
    assert "Analyst" in page
    assert "elsewhere" not in page


def test_home_offers_new_program_only_with_permission(client, db):
    user = UserFactory()
    login(client, user)
    assert "New program" not in client.get(reverse("home")).content.decode()
    user.user_permissions.add(Permission.objects.get(codename="add_program"))
    assert "New program" in client.get(reverse("home")).content.decode()


def test_home_with_no_programs_explains_what_to_do(client, db):
    login(client, UserFactory())
    assert "You are not on a program team yet" in client.get(reverse("home")).content.decode()


def _add_programs(user, count):
    for _ in range(count):
        program = ProgramFactory()
        program.schools.add(SchoolFactory(), SchoolFactory())
        MembershipFactory(program=program, user=user, role=Role.VIEWER)


def test_home_keeps_a_constant_number_of_queries(client, db):
    user = UserFactory()
    login(client, user)
    _add_programs(user, 2)
    small = count_queries(lambda: client.get(reverse("home")))
    _add_programs(user, 20)
    large = count_queries(lambda: client.get(reverse("home")))
    assert small == large


def test_team_page_keeps_a_constant_number_of_queries(client, team):
    login(client, team.lead)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    small = count_queries(lambda: client.get(url))
    for _ in range(15):
        MembershipFactory(program=team.program, role=Role.FACILITATOR)
    large = count_queries(lambda: client.get(url))
    assert small == large


def test_dashboard_keeps_a_constant_number_of_queries(client, team):
    login(client, team.lead)
    url = reverse("program_dashboard", kwargs={"slug": team.program.slug})
    small = count_queries(lambda: client.get(url))
    for _ in range(15):
        MembershipFactory(program=team.program, role=Role.FACILITATOR)
        team.program.schools.add(SchoolFactory())
    large = count_queries(lambda: client.get(url))
    assert small == large


def test_every_page_names_the_apps_own_favicon(client, db):
    from django.contrib.staticfiles import finders

    UserFactory()  # a district that exists: the sign-in page, not the first-run page
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page and finders.find("favicon.svg")

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from district.setup import give_district_roles, roles_they_may_give
from participants.accounts import ALREADY_SIGNED_UP, CANNOT_DEACTIVATE_SUPERUSER
from participants.models import GRADE_SPAN_OUT_OF_ORDER, School, StaffMember
from participants.roles import (
    DISTRICT_ADMINISTRATOR,
    DISTRICT_ROLES,
    PRIVACY_OFFICER,
    ROSTER_MANAGER,
    grant_district_role,
)
from tests.factories import SchoolFactory, StaffMemberFactory, UserFactory
from tests.test_helpers import count_queries, login

PAGES = ["district_home", "district_schools", "district_staff", "district_accounts"]


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="district-admin")
    grant_district_role(user, DISTRICT_ADMINISTRATOR)
    return user


@pytest.mark.parametrize("name", PAGES)
def test_a_person_who_is_not_a_district_administrator_gets_403(client, db, name):
    manager = UserFactory()
    grant_district_role(manager, ROSTER_MANAGER)
    login(client, manager)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(client, db, name):
    assert client.get(reverse(name)).status_code == 302


def test_the_top_bar_links_the_set_up_for_administrators_only(client, admin_user):
    login(client, admin_user)
    assert reverse("district_home") in client.get(reverse("home")).content.decode()
    other = UserFactory()
    login(client, other)
    assert reverse("district_home") not in client.get(reverse("home")).content.decode()


def test_a_school_is_added_with_its_grade_span_and_audited(client, admin_user):
    login(client, admin_user)
    response = client.post(reverse("district_schools"), {"name": "Elm K-8", "code": "ELM", "lowest_grade": "0",
                                                         "highest_grade": "8"})
    assert response.status_code == 302
    school = School.objects.get(code="ELM")
    assert school.grade_span == "K–8"
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_DISTRICT, object_id=str(school.pk)).exists()
    assert "K–8" in client.get(reverse("district_schools")).content.decode()


def test_a_grade_span_out_of_order_and_a_taken_code_are_refused_keeping_the_input(client, admin_user):
    SchoolFactory(code="RHS")
    login(client, admin_user)
    page = client.post(reverse("district_schools"), {"name": "Odd School", "code": "RHS", "lowest_grade": "9",
                                                     "highest_grade": "6"}).content.decode()
    assert str(GRADE_SPAN_OUT_OF_ORDER) in page and "already exists" in page and 'value="Odd School"' in page
    assert not School.objects.filter(name="Odd School").exists()


def test_a_school_is_edited(client, admin_user):
    school = SchoolFactory(code="RHS", name="Riverside")
    login(client, admin_user)
    client.post(reverse("district_school_edit", kwargs={"pk": school.pk}),
                {"name": "Riverside High", "code": "RHS", "lowest_grade": "9", "highest_grade": "12"})
    school.refresh_from_db()
    assert (school.name, school.lowest_grade) == ("Riverside High", 9)


def test_a_staff_member_is_added(client, admin_user):
    school = SchoolFactory()
    login(client, admin_user)
    client.post(reverse("district_staff"), {"full_name": "Pat Doe", "email": "pat@example.org", "staff_id": "S-1",
                                            "schools": [school.pk]})
    member = StaffMember.objects.get(full_name="Pat Doe")
    assert list(member.schools.all()) == [school] and member.staff_id == "S-1"
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_DISTRICT, object_id=str(member.pk)).exists()


def test_a_staff_member_is_edited_and_a_bad_edit_keeps_what_was_typed(client, admin_user):
    first, second = SchoolFactory(), SchoolFactory()
    member = StaffMemberFactory(full_name="Pat Doe", email="pat@example.org", staff_id="S-1")
    member.schools.set([first])
    StaffMemberFactory(full_name="Other", staff_id="S-2")
    login(client, admin_user)
    assert reverse("district_staff_edit", args=[member.pk]) in client.get(reverse("district_staff")).content.decode()
    refused = client.post(reverse("district_staff_edit", args=[member.pk]), {
        "full_name": "Pat Doe-Rivera", "email": "pat@example.org", "staff_id": "S-2", "schools": [second.pk]})
    assert refused.status_code == 200 and "Pat Doe-Rivera" in refused.content.decode()
    member.refresh_from_db()
    assert member.full_name == "Pat Doe" and member.staff_id == "S-1"
    response = client.post(reverse("district_staff_edit", args=[member.pk]), {
        "full_name": "Pat Doe-Rivera", "email": "pat.rivera@example.org", "staff_id": "", "schools": [second.pk],
        "is_outside_facilitator": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.email, member.staff_id, member.is_outside_facilitator) == (
        "Pat Doe-Rivera", "pat.rivera@example.org", None, True)
    assert list(member.schools.all()) == [second]
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_DISTRICT, object_id=str(member.pk),
                                     detail__staff="changed").exists()


def test_an_invited_account_gets_a_staff_record_or_the_one_listed_under_its_address(client, admin_user):
    listed = StaffMemberFactory(full_name="Lee Park", email="lee@example.org", user=None)
    login(client, admin_user)
    client.post(reverse("district_accounts"), {"full_name": "Lee Park", "email": "LEE@example.org"})
    client.post(reverse("district_accounts"), {"full_name": "Sam Ortiz", "email": "sam@example.org"})
    User = admin_user.__class__
    listed.refresh_from_db()
    assert listed.user == User.objects.get(email__iexact="lee@example.org")
    sam = StaffMember.objects.get(email="sam@example.org")
    assert sam.user == User.objects.get(email="sam@example.org") and sam.full_name == "Sam Ortiz"
    assert StaffMember.objects.filter(email__iexact="lee@example.org").count() == 1


def test_an_account_is_invited_by_e_mail_with_its_roles(client, admin_user):
    grant_district_role(admin_user, ROSTER_MANAGER)
    login(client, admin_user)
    client.post(reverse("district_accounts"), {"full_name": "Lee Park", "email": "lee@example.org",
                                               "roles": [ROSTER_MANAGER]})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lee@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body
    lee = admin_user.__class__.objects.get(username="lee@example.org")
    assert not lee.has_usable_password() and lee.has_perm("participants.add_student")
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_DISTRICT, object_id=str(lee.pk)).exists()


def test_an_administrator_gives_only_the_district_roles_they_hold(client, admin_user):
    login(client, admin_user)
    page = client.get(reverse("district_accounts")).content.decode()
    assert f'value="{PRIVACY_OFFICER}"' not in page and f'value="{DISTRICT_ADMINISTRATOR}"' in page
    client.post(reverse("district_accounts"), {"full_name": "Sly", "email": "sly@example.org", "roles": [PRIVACY_OFFICER]})
    assert not admin_user.__class__.objects.filter(email="sly@example.org").exists() and not mail.outbox
    with pytest.raises(PermissionDenied):
        give_district_roles(user=UserFactory(), roles=[PRIVACY_OFFICER], given_by=admin_user)
    assert set(roles_they_may_give(UserFactory(is_superuser=True))) == set(DISTRICT_ROLES)


def test_a_superuser_is_deactivated_only_by_a_superuser(client, admin_user):
    root = UserFactory(is_superuser=True)
    login(client, admin_user)
    response = client.post(reverse("district_account_active", kwargs={"pk": root.pk}), {"active": "no"}, follow=True)
    root.refresh_from_db()
    assert root.is_active
    assert str(CANNOT_DEACTIVATE_SUPERUSER) in [str(m) for m in response.context["messages"]]


def test_a_deactivated_account_is_reactivated(client, admin_user):
    lee = UserFactory(is_active=False)
    login(client, admin_user)
    client.post(reverse("district_account_active", kwargs={"pk": lee.pk}), {"active": "yes"})
    lee.refresh_from_db()
    assert lee.is_active
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_DISTRICT, detail__account="reactivated").exists()


def test_an_invited_person_gets_a_new_link_but_not_once_they_chose_a_password(client, admin_user):
    invited = UserFactory(email="lee@example.org")
    invited.set_unusable_password()
    invited.save()
    login(client, admin_user)
    assert "Send the link again" in client.get(reverse("district_accounts")).content.decode()
    client.post(reverse("district_account_invite_again", kwargs={"pk": invited.pk}))
    assert mail.outbox[-1].to == ["lee@example.org"] and "/accounts/reset/" in mail.outbox[-1].body
    signed_up = UserFactory()
    response = client.post(reverse("district_account_invite_again", kwargs={"pk": signed_up.pk}), follow=True)
    assert str(ALREADY_SIGNED_UP) in [str(m) for m in response.context["messages"]] and len(mail.outbox) == 1


def test_an_address_that_has_an_account_is_refused_on_the_form(client, admin_user):
    UserFactory(email="lee@example.org")
    login(client, admin_user)
    page = client.post(reverse("district_accounts"), {"full_name": "Lee", "email": "lee@example.org"}).content.decode()
    assert "already exists" in page and not mail.outbox


def test_an_account_is_deactivated_and_audited_but_not_ones_own(client, admin_user):
    lee = UserFactory()
    login(client, admin_user)
    client.post(reverse("district_account_active", kwargs={"pk": lee.pk}), {"active": "no"})
    lee.refresh_from_db()
    assert not lee.is_active
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_DISTRICT, detail__account="deactivated").exists()
    client.post(reverse("district_account_active", kwargs={"pk": admin_user.pk}), {"active": "no"})
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert client.get(reverse("district_account_active", kwargs={"pk": lee.pk})).status_code == 405


def _fill(count: int) -> None:
    for _ in range(count):
        school = SchoolFactory()
        StaffMemberFactory(user=UserFactory()).schools.add(school)
        grant_district_role(UserFactory(), ROSTER_MANAGER)


@pytest.mark.parametrize("name", ["district_schools", "district_staff", "district_accounts"])
def test_list_pages_keep_a_constant_number_of_queries(client, admin_user, name):
    login(client, admin_user)
    url = reverse(name)
    _fill(2)
    few = count_queries(lambda: client.get(url))
    _fill(8)
    assert count_queries(lambda: client.get(url)) == few

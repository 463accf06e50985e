"""Invited accounts: the one-time link sets a password once; a deactivated person cannot sign in."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from participants.accounts import (
    CANNOT_DEACTIVATE_YOURSELF,
    EMAIL_TAKEN,
    AccountRefused,
    deactivate_account,
    invite_account,
    set_password_link,
)
from tests.factories import TEST_PASSWORD, UserFactory
from tests.test_helpers import login

NEW_PASSWORD = "a-brand-new-password-77"


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)


def choose_password(client, link: str):
    page = client.get(link, follow=True)
    return page, client.post(page.redirect_chain[-1][0] if page.redirect_chain else link,
                             {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_invitation_link_sets_a_password_once_then_fails(client, db):
    user = invite_account(email="Lee@Example.org", full_name="Lee Park", base_url="http://testserver/")
    assert user.username == "Lee@example.org" and (user.first_name, user.last_name) == ("Lee", "Park")
    assert not user.has_usable_password()
    link = link_in(mail.outbox[0])
    _page, done = choose_password(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


def test_an_address_with_an_account_is_refused(db):
    UserFactory(email="lee@example.org")
    with pytest.raises(AccountRefused) as refusal:
        invite_account(email="LEE@example.org", full_name="Lee", base_url="http://testserver")
    assert refusal.value.message == str(EMAIL_TAKEN) and not mail.outbox


def test_a_deactivated_person_cannot_sign_in_and_their_session_ends(client, db):
    admin, lee = UserFactory(), UserFactory()
    login(client, lee)
    deactivate_account(user=lee, by=admin)
    assert client.get(reverse("home")).status_code == 302  # the open session no longer signs them in
    assert not client.login(request=HttpRequest(), username=lee.username, password=TEST_PASSWORD)
    response = client.post(reverse("login"), {"username": lee.username, "password": TEST_PASSWORD})
    assert response.status_code == 200 and response.context["form"].errors  # the sign-in form refuses
    assert client.get(reverse("home")).status_code == 302
    assert get_user_model().objects.filter(pk=lee.pk).exists()  # history stays


def test_nobody_deactivates_themselves(db):
    admin = UserFactory()
    with pytest.raises(AccountRefused) as refusal:
        deactivate_account(user=admin, by=admin)
    assert refusal.value.message == str(CANNOT_DEACTIVATE_YOURSELF)


def test_the_link_is_made_for_the_base_address(db):
    user = UserFactory()
    assert set_password_link(user=user, base_url="https://district.example/").startswith("https://district.example/accounts/reset/")

"""The two-factor requirement is checked once a minute for a person who does not need the set-up page,
not on every request (district/two_factor.py, RECHECK_SECONDS), and on every request for one who does."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district import sso, two_factor
from programs.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.test_helpers import login


def policy(*, required: bool) -> None:
    sso.save_policy(allowed_domains=[], create_accounts=False, sso_only=False, require_two_factor=required)


def policy_reads(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get(path)
    return sum('"district_signinpolicy"' in query["sql"] for query in context.captured_queries)


def test_a_policy_turned_on_reaches_a_signed_in_lead_once_the_minute_is_over(client, db):
    policy(required=False)
    lead = UserFactory()
    program = MembershipFactory(user=lead, role=Role.LEAD).program
    login(client, lead)
    assert client.get(reverse("home")).status_code == 200
    policy(required=True)
    page = f"/programs/{program.slug}/"
    assert client.get(page).status_code == 200  # checked less than a minute ago
    session = client.session
    session[two_factor.CHECKED_KEY] = time.time() - two_factor.RECHECK_SECONDS - 1
    session.save()
    assert client.get(page)["Location"] == reverse("two_factor_setup")
    assert client.get(reverse("home"))["Location"] == reverse("two_factor_setup")  # every request until set up


def test_the_check_reads_the_policy_once_a_minute_not_on_every_request(client, db):
    policy(required=False)
    lead = UserFactory()
    MembershipFactory(user=lead, role=Role.LEAD)
    login(client, lead)
    assert policy_reads(client, reverse("home")) == 1
    assert policy_reads(client, reverse("home")) == 0
    session = client.session
    session[two_factor.CHECKED_KEY] = time.time() - two_factor.RECHECK_SECONDS - 1
    session.save()
    assert policy_reads(client, reverse("home")) == 1


def test_a_check_time_from_the_future_or_not_a_number_is_checked_again(client, db):
    policy(required=True)
    lead = UserFactory()
    MembershipFactory(user=lead, role=Role.LEAD)
    login(client, lead)
    for kept in (time.time() + 3600, "soon"):
        session = client.session
        session[two_factor.CHECKED_KEY] = kept
        session.save()
        assert client.get(reverse("home"))["Location"] == reverse("two_factor_setup")

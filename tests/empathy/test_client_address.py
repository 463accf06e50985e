"""One answer for "which machine sent this": REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the
X-Forwarded-For entry that many from the right; sign-in throttling and the audit log both use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.log import client_address, record
from audit.models import AuditAction
from tests.factories import TEST_PASSWORD

PROXY = "10.0.0.1"
WRONG = "not-the-password"


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "192.0.2.10", PROXY),                        # no proxy trusted: the header is the client's own words
    (1, "192.0.2.10", "192.0.2.10"),
    (1, "6.6.6.6, 192.0.2.10", "192.0.2.10"),        # what the client put on the left is never read
    (2, "6.6.6.6, 192.0.2.10, 10.0.0.2", "192.0.2.10"),
    (2, "192.0.2.10", PROXY),                        # too short to have come through both proxies
    (1, "", PROXY),
    (1, "not-an-address", PROXY),
    (1, "2001:db8::7", "2001:db8::7"),
])
def test_the_client_is_read_from_the_right_past_the_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def sign_in(client, username, password, student):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{student}")


def test_behind_a_proxy_a_lock_is_for_one_client_not_everyone_behind_it(client, team, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        sign_in(client, team.viewer.username, WRONG, "192.0.2.10")
    assert sign_in(client, team.viewer.username, TEST_PASSWORD, "192.0.2.10").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    assert sign_in(client, team.viewer.username, TEST_PASSWORD, "192.0.2.11").status_code == 302


def test_behind_a_proxy_a_forged_header_does_not_escape_the_lock(client, team, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        sign_in(client, team.viewer.username, WRONG, f"198.51.100.{i}, 192.0.2.10")
    assert sign_in(client, team.viewer.username, TEST_PASSWORD, "198.51.100.99, 192.0.2.10").status_code == 429


def test_the_audit_log_records_the_client_behind_the_proxy(rf, team, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.10")
    request.user = team.lead
    event = record(action=AuditAction.VIEW_STUDENT_NAMES, request=request)
    assert event.ip_address == "192.0.2.10"

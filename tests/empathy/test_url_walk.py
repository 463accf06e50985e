"""Every URL in the project, walked: anonymous visitors reach only the public pages, and a signed-in
person who is not on a program gets 404 from every one of its pages."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages meant for people who are not signed in: signing in, resetting a password, the students'
# follow-up links, the families' consent pages and the published "you said, we did" page, the health check and the runner's service worker;
# the language switcher and the JavaScript translations (both speak to families without an account too);
# and the first-run page, open only while the database holds no account (404 here: the walk has accounts);
# signing in with the school's account (allauth's provider pages under /accounts/sso/: starting, the provider's
# callback, its error and cancel pages) and the sign-in's two-factor step.
SSO_PUBLIC = {"google_login", "google_callback", "google_login_by_token", "microsoft_login", "microsoft_callback",
              "openid_connect_login", "openid_connect_callback", "socialaccount_login_cancelled",
              "socialaccount_login_error", "socialaccount_signup", "account_login", "account_inactive",
              "two_factor_sign_in"}
PUBLIC = SSO_PUBLIC | {"first_run", "login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
          "followup_start", "followup_page", "consent_page", "student_summary_page", "healthz", "runner_service_worker", "logout",
          "set_language", "javascript_catalog"}
SAMPLE_VALUES = {"slug": "belonging", "int": "1", "str": "abc", "uuid": str(uuid.uuid4()), "path": "x"}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin" or str(entry.pattern).startswith("admin/"):
                continue  # the Django admin has its own sign-in, tested with the demo
            if entry.namespace == "oauth2_provider":
                continue  # the test-only identity provider beside the app (tests/urls.py), not the app's
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern)


def concrete(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "1"), route)
    return "/" + path.lstrip("^").rstrip("$")


ROUTES = sorted({(name, concrete(route)) for name, route in walk(get_resolver().url_patterns)
                 if name not in PUBLIC and not route.startswith(("static/", "media/"))}, key=lambda item: item[1])


def test_the_walk_finds_the_whole_project():
    assert len(ROUTES) > 60


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[name or path for name, path in ROUTES])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name, path):
    for method in (client.get, client.post):
        response = method(path)
        # 405: a method the page does not take is refused before anything is looked up.
        assert response.status_code in (302, 401, 405), (name, path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), (name, path, response["Location"])


PROGRAM_PAGES = [(name, path) for name, path in ROUTES
                 if path.startswith("/programs/belonging/") and path.count("belonging") == 1
                 and not re.search(r"/(1|abc|[0-9a-f-]{36})(/|$|\.)", path)]


def test_the_walk_finds_the_program_pages():
    assert len(PROGRAM_PAGES) > 25


@pytest.mark.parametrize(("name", "path"), PROGRAM_PAGES, ids=[name for name, _ in PROGRAM_PAGES])
def test_people_not_on_the_program_get_404_from_every_page(client, team, name, path):
    from tests.test_helpers import login

    login(client, team.outsider)
    real_path = path.replace("/programs/belonging/", f"/programs/{team.program.slug}/")
    for method in (client.get, client.post):
        assert method(real_path).status_code in (404, 405), (name, real_path)

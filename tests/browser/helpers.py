"""What the browser journeys share: a fresh browser context signed in as one person."""

from __future__ import annotations

from tests.factories import TEST_PASSWORD


def signed_in(browser, live_server, username: str, password: str = TEST_PASSWORD, **context_options):
    """A new context (1280×900 unless told otherwise) and a page signed in as `username`."""
    context = browser.new_context(base_url=live_server.url, **{"viewport": {"width": 1280, "height": 900}, **context_options})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()  # not "Sign in with" a school account
    page.wait_for_url("**/")
    return context, page

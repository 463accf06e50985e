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


def wait_until(page, expression: str, timeout_ms: int = 15_000) -> None:
    """Wait until a page expression is true. Playwright's wait_for_function polls by evaluating a string,
    which the app's Content-Security-Policy (no 'unsafe-eval') forbids once the first check is false."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")

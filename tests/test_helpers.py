from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from tests.factories import TEST_PASSWORD


def login(client, user) -> None:
    # django-axes needs the request that signs in; the test client's login has none of its own.
    assert client.login(request=HttpRequest(), username=user.username, password=TEST_PASSWORD)


def count_queries(callable_) -> int:
    """Queries made by one call, after a first call has warmed sessions and caches."""
    callable_()
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)

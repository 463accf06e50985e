"""The URL fetcher every PDF in the app is rendered with.

WeasyPrint fetches nothing but the app's own static files (fonts, styles): any other address,
file:// path or host is refused, so text people type (a protocol, a note, a theme) can never pull
anything in.
"""

from __future__ import annotations

import mimetypes

from django.contrib.staticfiles import finders

STATIC_PREFIX = "static:/"


class RefusedFetch(ValueError):
    pass


def static_file(url: str) -> tuple[bytes, str]:
    """The bytes and type of the static file `static:/path`; RefusedFetch for anything else."""
    if not url.startswith(STATIC_PREFIX):
        raise RefusedFetch(f"Refused to fetch {url[:80]}")
    relative = url[len(STATIC_PREFIX):].split("?", 1)[0].lstrip("/")
    if ".." in relative.split("/"):
        raise RefusedFetch("Refused a path outside the static files")
    path = finders.find(relative)
    if not path:
        raise RefusedFetch(f"No static file {relative}")
    with open(path, "rb") as handle:
        return handle.read(), mimetypes.guess_type(relative)[0] or "application/octet-stream"


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves the app's static files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            body, content_type = static_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher()

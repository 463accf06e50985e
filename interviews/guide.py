"""The printable facilitator guide: the protocol and the reminders, as a PDF.

WeasyPrint fetches nothing but the app's own static files (fonts, styles): any other address,
file:// path or host is refused, so text typed into a protocol can never pull anything in.
"""

from __future__ import annotations

import mimetypes

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from interviews.models import Protocol

STATIC_PREFIX = "static:/"
REMINDERS = (
    "Keep your own opinions out of it: react warmly, but do not agree, disagree or correct.",
    "Invite quiet students by name, gently, and make sure everyone has a chance to speak.",
    "Never require an answer. “Pass” is always fine.",
    "Ask for specific examples: “Can you tell me about a time when that happened?”",
    "Capture students' words verbatim, with as much detail as you can.",
    "Use the follow-up prompts to go deeper before moving on.",
)


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


def guide_html(protocol: Protocol) -> str:
    return render_to_string("interviews/guide_pdf.html", {
        "protocol": protocol, "program": protocol.program, "questions": protocol.questions.all(),
        "reminders": REMINDERS, "printed": timezone.localdate(),
    })


def render_guide_pdf(protocol: Protocol) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF work needs

    return HTML(string=guide_html(protocol), base_url=STATIC_PREFIX, url_fetcher=static_only_fetcher()).write_pdf()


def guide_filename(protocol: Protocol) -> str:
    return f"facilitator-guide-{slugify(protocol.program.slug)}-v{protocol.version}.pdf"

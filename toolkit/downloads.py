"""File download responses, with the file name always quoted safely.

A name built from data (a student's local id, a program's slug) may hold quotes, semicolons or
non-ASCII letters; Django's `content_disposition_header` escapes them and adds the RFC 5987 form,
where an f-string into the header would break it or let the data add header parameters.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    """A response that the browser saves as `filename` instead of showing."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def attach(response: HttpResponse, *, filename: str) -> HttpResponse:
    """Mark an existing (e.g. streaming) response as a download named `filename`."""
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response

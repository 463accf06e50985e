"""The printable facilitator guide: the protocol and the reminders, as a PDF (through the
static-only fetcher in `toolkit.pdf`, so text typed into a protocol can never pull anything in)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from interviews.models import Protocol
from interviews.protocols import BASE_LANGUAGE, localised
from toolkit.pdf import STATIC_PREFIX, static_only_fetcher

REMINDERS = (
    _("Keep your own opinions out of it: react warmly, but do not agree, disagree or correct."),
    _("Invite quiet students by name, gently, and make sure everyone has a chance to speak."),
    _("Never require an answer. “Pass” is always fine."),
    _("Ask for specific examples: “Can you tell me about a time when that happened?”"),
    _("Capture students' words verbatim, with as much detail as you can."),
    _("Use the follow-up prompts to go deeper before moving on."),
)


def guide_html(protocol: Protocol, *, language: str | None = None) -> str:
    """The guide in `language` (the page's when None): its own words through the catalogue, the protocol's
    from its translations, in English where the protocol has none in that language (marked)."""
    language = language or translation.get_language() or BASE_LANGUAGE
    with translation.override(language):
        return render_to_string("interviews/guide_pdf.html", {
            "protocol": protocol, "program": protocol.program, "local": localised(protocol, language),
            "reminders": REMINDERS, "printed": timezone.localdate(),
        })


def render_guide_pdf(protocol: Protocol, *, language: str | None = None) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF work needs

    return HTML(string=guide_html(protocol, language=language), base_url=STATIC_PREFIX,
                url_fetcher=static_only_fetcher()).write_pdf()


def guide_filename(protocol: Protocol, *, language: str = BASE_LANGUAGE) -> str:
    suffix = "" if language == BASE_LANGUAGE else f"-{language}"
    return f"facilitator-guide-{slugify(protocol.program.slug)}-v{protocol.version}{suffix}.pdf"

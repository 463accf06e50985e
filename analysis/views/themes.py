"""Themes: the list with a new-theme form, and a theme's page with its quotes and who raised it.

Viewers read themes; only analysts and leads change them (`programs/pages.py` lets viewers open
these pages, so the views refuse their changes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from analysis.attribution import A_STUDENT
from analysis.forms.base import UNKNOWN_CHANGE, field_messages, posted_change, typed
from analysis.forms.themes import QuoteForm, RemoveQuoteForm, ThemeForm, TranslationForm
from analysis.models import Code, Theme
from analysis.patterns import interviewed_population, program_patterns
from analysis.themes import (
    add_quote,
    candidate_quotes,
    create_theme,
    descriptors,
    in_language,
    remove_quote,
    remove_translation,
    stance_lists,
    theme_quotes,
    translate_quote,
    translated_by,
    update_theme,
)
from analysis.views.common import page_context
from audit.log import record
from audit.models import AuditAction
from programs.access import ProgramAccess, get_program_for
from programs.models import Role

ONLY_ANALYSTS_CHANGE_THEMES = gettext_lazy("Only analysts and leads change themes; you may read them.")


def _refuse_readers(access: ProgramAccess) -> None:
    if not access.allows(Role.ANALYST):
        raise PermissionDenied(ONLY_ANALYSTS_CHANGE_THEMES)


@login_required
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="themes")
    program = access.program
    entered = {}
    if request.method == "POST":
        _refuse_readers(access)
        form = ThemeForm(request.POST, program=program)
        if form.is_valid():
            data = form.cleaned_data
            theme = create_theme(program=program, name=data["name"], insight=data["insight"], category=data["category"],
                                 codes=data["codes"])
            return redirect("theme_detail", slug=slug, pk=theme.pk)
        for problem in field_messages(form):
            messages.error(request, problem)
        entered = typed(form)
    listed = list(program.themes.prefetch_related("codes").select_related("category"))
    patterns = program_patterns(program, listed)
    rows = [(theme, patterns.overall(theme.pk)[0]) for theme in listed]
    return render(request, "analysis/themes.html", page_context(
        access, rows=rows, categories=program.categories.all(), codes=Code.objects.filter(program=program, retired=False),
        typed=entered), status=400 if entered else 200)


def _quote(request: HttpRequest, access: ProgramAccess, theme: Theme) -> QuoteForm:
    form = QuoteForm(request.POST, program=access.program)
    if form.is_valid():
        try:
            add_quote(theme, application=form.cleaned_data["coding"])
        except ValueError as refusal:
            form.add_error(None, str(refusal))
    return form


def _remove_quote(request: HttpRequest, access: ProgramAccess, theme: Theme) -> RemoveQuoteForm:
    form = RemoveQuoteForm(request.POST, program=access.program, theme=theme)
    if form.is_valid():
        remove_quote(theme=theme, quote=form.cleaned_data["quote"])
    return form


def _translate(request: HttpRequest, access: ProgramAccess, theme: Theme) -> TranslationForm:
    form = TranslationForm(request.POST, program=access.program, theme=theme)
    if form.is_valid():
        quote, data = form.cleaned_data["quote"], form.cleaned_data
        had = bool(quote.translation)
        try:
            translate_quote(quote=quote, text=data["translation"], language=data["translation_language"],
                            user=request.user, role=access.role)
        except ValueError as refusal:
            form.add_error(None, str(refusal))
            return form
        _audit_translation(request, access, quote, "changed" if had else "added")
        messages.success(request, _("Translation saved. Reports in that language show it after the student's words, "
                                    "marked as the team's translation."))
    return form


def _remove_translation(request: HttpRequest, access: ProgramAccess, theme: Theme) -> RemoveQuoteForm:
    form = RemoveQuoteForm(request.POST, program=access.program, theme=theme)
    if form.is_valid():
        quote = form.cleaned_data["quote"]
        if quote.translation:
            language = quote.translation_language
            remove_translation(quote=quote)
            _audit_translation(request, access, quote, "removed", language=language)
            messages.success(request, _("Translation removed. Reports show the student's words alone."))
    return form


def _audit_translation(request: HttpRequest, access: ProgramAccess, quote, change: str, *, language: str = "") -> None:
    record(action=AuditAction.TRANSLATE_QUOTE, request=request, obj=quote, program=access.program,
           detail={"theme": quote.theme_id, "change": change, "language": language or quote.translation_language,
                   "role": str(access.role)})


def _save(request: HttpRequest, access: ProgramAccess, theme: Theme) -> ThemeForm:
    form = ThemeForm(request.POST, program=access.program)
    if form.is_valid():
        data = form.cleaned_data
        update_theme(theme=theme, name=data["name"], insight=data["insight"], root_causes=data["root_causes"],
                     codes=data["codes"])
        messages.success(request, _("Theme saved."))
    return form


# The edit form sends no action: saving the theme is what a POST without one asks for.
THEME_CHANGES = {"quote": _quote, "remove_quote": _remove_quote, "translate": _translate,
                 "remove_translation": _remove_translation, "": _save, "save": _save}


@login_required
@require_http_methods(["GET", "POST"])
def theme_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="theme_detail")
    theme = get_object_or_404(Theme, pk=pk, program=access.program)
    if request.method == "GET":
        return _detail(request, access, theme)
    _refuse_readers(access)
    action = posted_change(request.POST)
    change = THEME_CHANGES.get(action)
    if change is None:
        messages.error(request, UNKNOWN_CHANGE)
        return _detail(request, access, theme, status=400)
    form = change(request, access, theme)
    if not form.errors:
        return redirect("theme_detail", slug=slug, pk=pk)
    for problem in field_messages(form):
        messages.error(request, problem)
    return _detail(request, access, theme, typed=typed(form, action or "save"), status=400)


def _detail(request: HttpRequest, access: ProgramAccess, theme: Theme, *, typed: dict | None = None,
            status: int = 200) -> HttpResponse:
    code_ids = list(theme.codes.values_list("pk", flat=True))
    chosen = set(theme.quotes.values_list("note_id", "start", "end"))
    population = interviewed_population(access.program)  # loaded once for the descriptors and the counts
    described = descriptors(access.program, students=population.students)
    patterns = program_patterns(access.program, population=population)
    raised, interviewed = patterns.overall(theme.pk)
    return render(request, "analysis/theme_detail.html", page_context(
        access, theme=theme, quotes=[_shown(quote) for quote in theme_quotes(theme, described)],
        quote_rows=theme.quotes.all(), languages=settings.LANGUAGES,
        candidates=[(c, described.get(c.note.student_id) or str(A_STUDENT), (c.note_id, c.start, c.end) in chosen)
                    for c in candidate_quotes(theme)] if access.allows(Role.ANALYST) else [],
        stances=stance_lists(theme), tables=patterns.tables(theme.pk), raised=raised,
        interviewed=interviewed, codes=Code.objects.filter(program=access.program, retired=False), code_ids=code_ids,
        actions=theme.action_items.select_related("owner").order_by("due_on"), typed=typed or {},
    ), status=status)


def _shown(quote) -> dict:
    """A quote on its theme's page: the words, their language, and the team's translation if any."""
    other = next((code for code, _name in settings.LANGUAGES if code != quote.language), "")
    return {"quote": quote, "language_name": in_language(quote.language) if quote.language else "",
            "translation_mark": translated_by(quote.translator_role) if quote.translation else "",
            "translation_language_name": in_language(quote.translation_language) if quote.translation else "",
            "suggested_language": quote.translation_language or other}

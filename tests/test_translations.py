"""The catalogue check `make test` runs: every string marked for translation has its Spanish, none is fuzzy,
placeholders match, and no template holds text a person reads that is not marked."""

from __future__ import annotations

from pathlib import Path

import polib
from django.test import Client
from django.urls import reverse
from django.utils import translation

from empathy.catalogue import extract, format_errors, gaps, templates_with_unmarked_text, unmarked_text


def test_every_marked_string_has_its_spanish_and_none_is_fuzzy():
    missing = gaps(extract())
    assert not missing, f"{len(missing)} strings lack Spanish:\n" + "\n".join(map(str, missing[:60]))


def test_the_catalogues_compile_with_matching_placeholders_and_plurals():
    assert format_errors() == []


def test_no_template_holds_text_a_person_reads_that_is_not_marked():
    found = templates_with_unmarked_text()
    assert not found, f"{len(found)} pieces of template text are not marked:\n" + "\n".join(found[:60])


def test_the_check_finds_unmarked_text_and_read_attributes(tmp_path: Path):
    template = tmp_path / "page.html"
    template.write_text('{% load i18n %}<h1>{% translate "Students" %}</h1><p>Nobody here</p>'
                        '<input placeholder="Search names" value="{{ q }}"><button>{% translate "Go" %}</button>'
                        '<code translate="no">student_id</code><span>{{ count }} · PDF</span>'
                        '{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}<script>var a = "x y";</script>')
    assert [text for _line, text in unmarked_text(template)] == ["Nobody here", 'placeholder="Search names"']


def test_the_check_finds_a_marked_string_without_spanish(tmp_path: Path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('{% load i18n %}{% translate "A sentence nobody translated" %}')
    committed = tmp_path / "locale"
    committed.mkdir()
    found = gaps(extract(files=[Path("templates/page.html")], root=tmp_path, committed=committed))
    assert [gap.msgid for gap in found] == ["A sentence nobody translated"]


def test_spanish_has_three_plural_forms_as_gettext_counts_them():
    catalogue = polib.pofile(str(Path(__file__).resolve().parent.parent / "locale/es/LC_MESSAGES/django.po"))
    assert "nplurals=3" in catalogue.metadata["Plural-Forms"]


def test_a_page_in_spanish_reads_spanish(db):
    from tests.factories import UserFactory

    UserFactory()  # an installation in use: the sign-in page, not the first run
    client = Client()
    client.cookies["empathy_language"] = "es"
    page = client.get(reverse("login")).content.decode()
    assert "Iniciar sesión" in page and "Entrevistas de empatía" in page
    with translation.override("es"):
        assert translation.gettext("Sign out") == "Cerrar sesión"

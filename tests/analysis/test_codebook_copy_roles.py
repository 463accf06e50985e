"""Copying a codebook: only from a program whose codebook page the person may open there (programs.pages);
the page offers only those, and a program where they read findings or run sessions is refused."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from analysis.codebook import add_code, seed_categories
from analysis.forms.codebook import COPY_FROM_YOUR_PROGRAMS, codebooks_to_copy
from analysis.models import Code
from programs.models import Membership, Role
from programs.pages import may_open
from tests.factories import ProgramFactory
from tests.test_helpers import login


@pytest.fixture
def source(db):
    """Another program with one code of its own."""
    program = ProgramFactory(slug="fall-cycle", name="Fall cycle")
    add_code(program, category=seed_categories(program)[0], name="Hallways")
    return program


def _codebook(coded) -> str:
    return reverse("codebook", kwargs={"slug": coded.team.program.slug})


@pytest.mark.parametrize("role", list(Role))
def test_a_codebook_is_copied_exactly_when_its_page_opens_for_the_role_there(client, coded, source, role):
    Membership.objects.create(program=source, user=coded.team.analyst, role=role)
    login(client, coded.team.analyst)
    there = client.get(reverse("codebook", kwargs={"slug": source.slug})).status_code
    assert there == (200 if may_open(role, "codebook") else 403)

    offered = [p.pk for p in client.get(_codebook(coded)).context["others"]]
    response = client.post(_codebook(coded), {"action": "copy", "source": source.pk}, follow=True)
    copied = Code.objects.filter(program=coded.team.program, name="Hallways").exists()
    if may_open(role, "codebook"):
        assert offered == [source.pk] and copied and "1 code copied from" in html.unescape(response.content.decode())
    else:
        assert offered == [] and not copied
        assert f"Program: {COPY_FROM_YOUR_PROGRAMS}" in html.unescape(response.content.decode())


def test_the_choice_lists_only_programs_whose_codebook_opens(coded, source):
    analyst = coded.team.analyst
    Membership.objects.create(program=source, user=analyst, role=Role.VIEWER)
    coded_elsewhere = ProgramFactory(slug="spring-cycle", name="Spring cycle")
    Membership.objects.create(program=coded_elsewhere, user=analyst, role=Role.LEAD)
    assert list(codebooks_to_copy(analyst, program=coded.team.program)) == [coded_elsewhere]

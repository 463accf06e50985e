from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from analysis.codebook import copy_codebook
from analysis.coding import apply_code
from analysis.compare import compare_programs
from analysis.models import Code, Theme
from analysis.qdc import export_qdc, import_qdc
from audit.models import AuditAction, AuditEvent
from programs.models import Membership, Role
from tests.factories import ProgramFactory
from tests.test_helpers import login


def test_a_qdc_codebook_round_trips(coded):
    content = export_qdc(coded.team.program)
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in content and b'name="Noise"' in content
    other = ProgramFactory(slug="other")
    assert import_qdc(other, content) == 4
    assert import_qdc(other, content) == 0
    imported = {c.name: c.category.name for c in Code.objects.filter(program=other).select_related("category")}
    original = {c.name: c.category.name for c in Code.objects.filter(program=coded.team.program).select_related("category")}
    assert imported == original


def test_a_qdc_from_another_tool_with_nesting_imports(db):
    program = ProgramFactory(slug="from-nvivo")
    content = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="a" name="Feelings" isCodable="true"><Description>How students feel</Description>
    <Code guid="b" name="Anxious" isCodable="true"><Code guid="c" name="Test anxiety" isCodable="true"/></Code>
  </Code>
  <Code guid="d" name="Loose code" isCodable="true"/>
</Codes><Sets/></CodeBook>"""
    assert import_qdc(program, content) == 3
    names = {c.name: c.category.name for c in Code.objects.filter(program=program).select_related("category")}
    assert names == {"Anxious": "Feelings", "Test anxiety": "Feelings", "Loose code": "Imported"}


@pytest.mark.parametrize("content", [b"not xml", b"<Other/>",
                                     b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><CodeBook>&b;</CodeBook>'])
def test_a_file_that_is_not_a_codebook_is_refused(db, content):
    # An entity-expansion attack is refused by defusedxml before anything is expanded.
    with pytest.raises(ValueError, match="This is not a REFI-QDA codebook"):
        import_qdc(ProgramFactory(), content)


def test_the_qdc_imports_through_the_codebook_page(client, coded):
    login(client, coded.team.analyst)
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = export_qdc(coded.team.program).replace(b'name="Noise"', b'name="Crowding"')
    client.post(reverse("codebook", kwargs={"slug": coded.team.program.slug}),
                {"action": "import", "file": SimpleUploadedFile("book.qdc", content)})
    assert Code.objects.filter(program=coded.team.program, name="Crowding").exists()


def test_excerpts_download_as_excel_and_are_audited(client, coded):
    apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst)
    login(client, coded.team.analyst)
    response = client.get(reverse("excerpts_xlsx", kwargs={"slug": coded.team.program.slug}))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("code", "category", "stance", "excerpt") and rows[1][0] == "Noise"
    assert rows[1][4] == coded.students[0].pseudonym
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__export="coded excerpts (xlsx)").exists()


def test_comparing_programs_shows_which_themes_grew(coded):
    fall = coded.team.program
    for note in coded.notes[:6]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    for note in coded.notes[:18]:
        apply_code(note=note, code=coded.codes["Time"], coder=coded.team.analyst)
    Theme.objects.create(program=fall, name="Noise").codes.add(coded.codes["Noise"])
    Theme.objects.create(program=fall, name="Time").codes.add(coded.codes["Time"])
    spring = ProgramFactory(slug="spring", suppression_threshold=5)
    copy_codebook(source=fall, target=spring)
    Theme.objects.create(program=spring, name="Noise")
    changes = {c.name: c for c in compare_programs(fall, fall)}
    assert changes["Noise"].before == "25%" and changes["Noise"].change_points == 0
    against_spring = {c.name: c for c in compare_programs(fall, spring)}
    assert against_spring["Time"].after == "not a theme" and against_spring["Time"].change_points is None
    assert against_spring["Noise"].after == "fewer than 5"  # nobody interviewed in spring yet


def test_the_compare_page_lists_only_programs_the_user_is_on(client, coded):
    other = ProgramFactory(slug="spring-cycle", name="Spring cycle")
    Membership.objects.create(program=other, user=coded.team.analyst, role=Role.ANALYST)
    ProgramFactory(slug="secret", name="Someone else's")
    login(client, coded.team.analyst)
    page = client.get(reverse("compare", kwargs={"slug": coded.team.program.slug}), {"with": "secret"}).content.decode()
    assert "Spring cycle" in page and "Someone else" not in page

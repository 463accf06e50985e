"""A .qdpx upload is read without trusting it: zip bombs, parts that climb out, a file that is not a zip or has no
project.qde, XML that is broken, declares entities (billion laughs) or reaches outside (XXE), and projects past
the caps are refused with a plain message, quickly, and nothing is written."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from analysis import qdpx_import
from analysis.qdpx_import import (
    BAD_XML,
    NOT_A_PROJECT,
    NOT_A_ZIP_PROJECT,
    NOT_PROJECT_XML,
    NOTHING_TO_IMPORT,
    ProjectRefused,
    import_project,
)
from programs.models import Program
from tests.analysis.qdpx_helpers import qdpx
from tests.factories import SchoolFactory
from toolkit.limits import ARCHIVE_TOO_COMPRESSED, ARCHIVE_UNSAFE_NAME

TEXT_SOURCE = ('<Sources><TextSource guid="0a1b2c3d-0000-4000-8000-00000000000a" name="One">'
               "<PlainTextContent>Words.</PlainTextContent></TextSource></Sources>")


def _project(inner: str = TEXT_SOURCE) -> str:
    return f'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">{inner}</Project>'


def _refused(team, content: bytes, match: str) -> float:
    programs = Program.objects.count()
    started = time.monotonic()
    with pytest.raises(ProjectRefused, match=re.escape(match)):
        import_project(content=content, file_name="x.qdpx", name="Refused", user=team.lead, school=SchoolFactory())
    assert Program.objects.count() == programs, "nothing is written"
    return time.monotonic() - started


def test_a_well_formed_tiny_project_imports(team):
    result = import_project(content=qdpx(_project()), file_name="x.qdpx", name="Tiny", user=team.lead,
                            school=SchoolFactory())
    assert result.notes == 1


def test_a_zip_bomb_is_refused_by_its_compression_ratio(team):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", _project())
        archive.writestr("Sources/bomb.txt", b"\0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    elapsed = _refused(team, buffer.getvalue(), str(ARCHIVE_TOO_COMPRESSED.format(name="Sources/bomb.txt", limit=100))[:40])
    assert elapsed < 5


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil", "/etc/passwd", "C:/Windows/evil.txt", "Sources/../../x"])
def test_a_part_whose_name_climbs_out_is_refused(team, name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", _project())
        archive.writestr(name, "x")
    _refused(team, buffer.getvalue(), str(ARCHIVE_UNSAFE_NAME.format(name=name))[:30])


def test_a_file_that_is_not_a_zip_is_refused(team):
    _refused(team, _project().encode(), str(NOT_A_ZIP_PROJECT)[:40])


def test_a_zip_without_project_qde_is_refused(team):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("codebook.qdc", "<CodeBook/>")
    _refused(team, buffer.getvalue(), str(NOT_A_PROJECT)[:40])


def test_broken_xml_is_refused(team):
    _refused(team, qdpx("<Project xmlns='urn:QDA-XML:project:1.0' name='p'><Sources>"), str(BAD_XML)[:40])


def test_other_xml_is_refused(team):
    _refused(team, qdpx("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"), str(NOT_PROJECT_XML)[:40])


def test_entity_expansion_is_refused(team):
    laughs = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "hahahahahahahahahaha">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
              + ']><Project xmlns="urn:QDA-XML:project:1.0" name="&i;"/>')
    elapsed = _refused(team, qdpx(laughs), str(BAD_XML)[:40])
    assert elapsed < 5


def test_an_external_entity_is_refused(team):
    xxe = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources><TextSource guid="0a1b2c3d-0000-4000-8000-'
           '00000000000a" name="One"><PlainTextContent>&secret;</PlainTextContent></TextSource></Sources></Project>')
    _refused(team, qdpx(xxe), str(BAD_XML)[:40])


def test_a_project_past_the_cap_on_sources_is_refused_while_streaming(team, monkeypatch):
    monkeypatch.setattr(qdpx_import, "MAX_SOURCES", 10)
    sources = "".join(f'<TextSource guid="0a1b2c3d-0000-4000-8000-{i:012d}" name="s{i}"><PlainTextContent>w'
                      "</PlainTextContent></TextSource>" for i in range(11))
    _refused(team, qdpx(_project(f"<Sources>{sources}</Sources>")), "more than 10 sources")


def test_codes_nested_past_the_depth_cap_are_refused(team):
    nested = "".join(f'<Code guid="0a1b2c3d-0000-4000-8000-{i:012d}" name="c{i}" isCodable="true">' for i in range(60))
    _refused(team, qdpx(_project(f"<CodeBook><Codes>{nested}{'</Code>' * 60}</Codes></CodeBook>{TEXT_SOURCE}")),
             "40 levels")


def test_a_project_with_no_text_is_refused(team):
    _refused(team, qdpx(_project("")), str(NOTHING_TO_IMPORT)[:40])


def test_a_failure_half_way_writes_nothing(team, monkeypatch):
    def broken(*args, **kwargs):
        raise ProjectRefused("stopped")

    monkeypatch.setattr(qdpx_import, "_themes", broken)
    _refused(team, qdpx(_project()), "stopped")


def test_a_project_of_more_sources_than_a_roster_has_files_imports(team, settings):
    settings.UPLOAD_MAX_ARCHIVE_ENTRIES = 10  # the cap of every other upload
    guids = [f"0a1b2c3d-0000-4000-8000-{i:012d}" for i in range(12)]
    sources = "".join(f'<TextSource guid="{g}" name="s" plainTextPath="internal://{g}.txt"/>' for g in guids)
    content = qdpx(_project(f"<Sources>{sources}</Sources>"), {f"{g}.txt": f"Words {g}." for g in guids})
    result = import_project(content=content, file_name="x.qdpx", name="Many", user=team.lead, school=SchoolFactory())
    assert result.sessions == 12


def test_a_project_past_its_own_cap_on_files_is_refused(team, monkeypatch):
    monkeypatch.setattr(qdpx_import, "MAX_ARCHIVE_ENTRIES", 5)
    content = qdpx(_project(), {f"{i}.txt": "w" for i in range(60)})
    _refused(team, content, "more than 50 files")

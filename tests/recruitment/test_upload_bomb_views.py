"""Any lead reaches the consent and community imports: a bomb there gets the plain refusal on the page, never a 500."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from recruitment.models import CommunityShare, Invitation
from tests.factories import StudentFactory
from tests.test_helpers import login
from tests.toolkit.bombs import SECONDS, batched, sheet_xml, write_xlsx
from toolkit.limits import ARCHIVE_TOO_COMPRESSED, CELL_TOO_LONG, TOO_MANY_COLUMNS


def test_a_consent_file_of_a_million_columns_is_refused_and_nothing_recorded(client, team):
    Invitation.objects.create(program=team.program, student=StudentFactory(local_id="A1"))
    before = list(Invitation.objects.values_list("pk", "parent_consent"))
    login(client, team.lead)
    started = time.monotonic()
    response = client.post(reverse("consent_import", kwargs={"slug": team.program.slug}),
                           {"file": SimpleUploadedFile("consent.csv", b",".join(b"c%d" % i for i in range(1_000_000)) + b"\n")})
    assert time.monotonic() - started < SECONDS
    assert response.status_code == 200 and escape(TOO_MANY_COLUMNS.format(limit=200)) in response.content.decode()
    assert list(Invitation.objects.values_list("pk", "parent_consent")) == before


def test_a_consent_xlsx_of_3_million_rows_is_refused(client, team, tmp_path):
    Invitation.objects.create(program=team.program, student=StudentFactory(local_id="A1"))  # the consent section shows
    path = write_xlsx(tmp_path / "consent.xlsx", sheet=sheet_xml(batched(b"<row><c><v>1</v></c></row>", 3_000_000)))
    login(client, team.lead)
    response = client.post(reverse("consent_import", kwargs={"slug": team.program.slug}),
                           {"file": SimpleUploadedFile("consent.xlsx", path.read_bytes())})
    message = ARCHIVE_TOO_COMPRESSED.format(name="xl/worksheets/sheet1.xml", limit=100)
    assert response.status_code == 200 and escape(message) in response.content.decode()


def test_a_community_file_with_a_200_000_character_field_is_refused_not_a_500(client, team):
    login(client, team.lead)
    content = b"Criterion,Category,Percent\nGender," + b"F" * 200_000 + b",50\n"
    response = client.post(reverse("community_shares", kwargs={"slug": team.program.slug}),
                           {"file": SimpleUploadedFile("community.csv", content)})
    assert response.status_code == 200 and escape(CELL_TOO_LONG.format(limit=10_000)) in response.content.decode()
    assert not CommunityShare.objects.exists()
